/* The device tree: schema, ACLs, and one-transaction applies with naming,
 * isolation and ConnMO conflicts, from plans of the real fixtures. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "tree.h"
#include "tmpdb.h"
#include "store.h"
#include "tree_internal.h"
#include "ub_account.h"
#include "ub_apply.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_plan.h"
#include "ub_policy.h"

static char path[64];
static struct ub_tree *t;
static struct ub_policy pol;
static const struct ub_apply_opts push = {.source = "push"};

static int setup(void **state)
{
	(void)state;
	tmpdb_name(path, sizeof(path), "/tmp", "ub-tree");
	ub_policy_defaults(&pol);
	return ub_tree_open(path, &t);
}

static int teardown(void **state)
{
	(void)state;
	ub_tree_close(t);
	tmpdb_remove(path);
	return 0;
}

static void plan_of(const char *file, struct ub_plan *p)
{
	static uint8_t b[70000];
	struct ub_status err = {0};
	FILE *fp = fopen(file, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(b, 1, sizeof(b), fp);
	fclose(fp);
	assert_int_equal(ub_plan_decode(b, n, false, p, &err), 0);
}

static const char *value_of(const char *uri)
{
	static char v[256];
	struct ub_tree_node n;

	if (ub_tree_get(t, uri, &n))
		return NULL;
	snprintf(v, sizeof(v), "%s", n.value ? n.value : "(none)");
	ub_tree_node_free(&n);
	return v;
}

static int apply(const char *file, struct ub_apply_result *res)
{
	struct ub_plan p;
	struct ub_status reason = {0};
	int err;

	plan_of(file, &p);
	err = ub_tree_apply(t, &p, &pol, &push, res, &reason);
	if (err && getenv("UB_DEBUG"))
		fprintf(stderr, "apply %s: %d %s\n", file, err, reason.what);
	ub_plan_free(&p);
	return err;
}

static void schema_and_acl(void **state)
{
	struct stat st;
	char acl[200];

	(void)state;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ub_tree_count(t), 1);
	assert_int_equal(ub_tree_effective_acl(t, ".", acl, sizeof(acl)), 0);
	assert_string_equal(acl, "Add=*&Get=*");
	assert_true(ub_acl_allows("Get=a+b&Replace=b", "Get", "b"));
	assert_true(ub_acl_allows("Get=*", "Get", "anyone"));
	assert_false(ub_acl_allows("Get=a+b&Replace=b", "Replace", "a"));
	assert_false(ub_acl_allows("Get=ab", "Get", "a"));
	assert_false(ub_acl_allows("Get=", "Get", "a"));
	assert_false(ub_acl_allows("Get", "Get", "a"));
	assert_false(ub_acl_allows("Get=a++b", "Get", "b"));
	/* one grammar with the account model's check: an ACL it refuses
	 * grants nothing, not even by an entry before the fault */
	assert_false(ub_acl_allows("Get=a&Replace=", "Get", "a"));
	assert_false(ub_acl_allows("Get=a&", "Get", "a"));
	assert_false(ub_acl_allows("Get=a&Copy=a", "Get", "a"));
	assert_false(ub_acl_allows("Get=a+b c", "Get", "a"));
	assert_true(ub_acl_allows("Add=b&Get=a+b", "Get", "a"));
}

static void apply_then_unchanged(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_tree_node n;
	char acl[200];
	int count;

	(void)state;
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), 0);
	assert_false(r.unchanged);
	assert_string_equal(r.accounts[0], "./DMAcc/ex");
	assert_string_equal(value_of("./DMAcc/ex/AppAuth/1/AAuthName"), "cli");
	assert_int_equal(ub_tree_effective_acl(t, "./DMAcc/ex/AppID", acl, sizeof(acl)), 0);
	assert_string_equal(acl, "Get=dm.example.com&Replace=dm.example.com&Delete=dm.example.com");
	assert_int_equal(ub_tree_get(t, "./DMAcc/ex/ServerID", &n), 0);
	assert_string_equal(n.server, "dm.example.com");
	assert_string_equal(n.source, "push");
	ub_tree_node_free(&n);
	count = ub_tree_count(t);
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), 0);
	assert_true(r.unchanged);
	assert_int_equal(ub_tree_count(t), count);
	/* rights: the owner may Get and Replace, another server may not */
	assert_int_equal(ub_tree_get_as(t, "other", "./DMAcc/ex/AppID", &n), UB_E_POLICY);
	assert_int_equal(ub_tree_get_as(t, "dm.example.com", "./DMAcc/ex/AppID", &n), 0);
	ub_tree_node_free(&n);
	assert_int_equal(ub_tree_replace_as(t, "other", "./DMAcc/ex/AppID", "x"), UB_E_POLICY);
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./DMAcc/ex/Name", "n"),
			 UB_E_NOT_FOUND);
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./DMAcc/ex/AAuthPref", "x"),
			 UB_E_NOT_FOUND);
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./DMAcc/ex/AppID", "w7"), 0);
	/* the owner may not rename itself: its ServerID is Get only */
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./DMAcc/ex/ServerID", "srvB"),
			 UB_E_POLICY);
	assert_string_equal(value_of("./DMAcc/ex/ServerID"), "dm.example.com");
	ub_apply_result_free(&r);
}

static void connmo_rename_and_isolation(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_tree_node n;
	int before;

	(void)state;
	memset(&n, 0, sizeof(n));
	/* a ConnMO "Internet" of another server is already there (CP w7 plan
	 * renamed by hand would be long: use the TNDS one twice with a change) */
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r), 0);
	assert_string_equal(value_of("./DMAcc/ExampleOp/PrefConRef"), "./ConnMO/Internet");
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./ConnMO/Internet/Name", "Other"),
			 0);
	/* policy reject: the ConnMO differs now, refused and nothing written */
	pol.connmo = UB_CONFLICT_REJECT;
	before = ub_tree_count(t);
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r), UB_E_POLICY);
	assert_int_equal(ub_tree_count(t), before);
	assert_string_equal(value_of("./ConnMO/Internet/Name"), "Other");
	/* same ServerID again: the account is replaced, the ConnMO differs -> renamed */
	pol.connmo = UB_CONFLICT_RENAME;
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r), 0);
	assert_int_equal(r.nrenamed, 1);
	assert_string_equal(r.renamed[0].from, "./ConnMO/Internet");
	assert_string_equal(r.renamed[0].to, "./ConnMO/Internet1");
	assert_string_equal(value_of("./DMAcc/ExampleOp/PrefConRef"), "./ConnMO/Internet1");
	assert_string_equal(value_of("./ConnMO/Internet1/Name"), "Internet");
	/* the old one, its own from the same source and referred to by
	 * nothing now, goes with the old account: a server cannot grow the
	 * tree by bootstrapping again and again */
	assert_null(value_of("./ConnMO/Internet/Name"));
	assert_int_equal(r.nremoved, 1);
	assert_string_equal(r.removed[0], "./ConnMO/Internet");
	pol.connmo = UB_CONFLICT_RENAME;
	/* dm12-plain is another account of the same ServerID: refused under
	 * account = reject, nothing written */
	pol.account = UB_CONFLICT_REJECT;
	before = ub_tree_count(t);
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), UB_E_POLICY);
	assert_int_equal(ub_tree_count(t), before);
	/* replace: the account keeps its name, its old content is gone */
	pol.account = UB_CONFLICT_REPLACE;
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), 0);
	assert_string_equal(r.accounts[0], "./DMAcc/ExampleOp");
	assert_string_equal(value_of("./DMAcc/ExampleOp/AppAuth/1/AAuthName"), "cli");
	assert_null(value_of("./DMAcc/ExampleOp/PrefConRef"));
	assert_null(value_of("./DMAcc/ex/AppID"));
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), 0);
	assert_true(r.unchanged);
	/* isolation: server-b's account called ExampleOp gets another
	 * name; dm.example.com's is not touched */
	{
		struct ub_plan p;
		struct ub_status reason = {0};
		char *u;
		size_t i;

		plan_of("tests/fixtures/dm12-plain.wbxml", &p);
		for (i = 0; i < p.nnodes; i++) {
			if (!strcmp(p.nodes[i].uri, "./DMAcc/ex/ServerID")) {
				free(p.nodes[i].value);
				p.nodes[i].value = strdup("server-b");
			}
			u = malloc(strlen(p.nodes[i].uri) + 16);
			sprintf(u, "./DMAcc/ExampleOp%s", p.nodes[i].uri + strlen("./DMAcc/ex"));
			free(p.nodes[i].uri);
			p.nodes[i].uri = u;
		}
		struct ub_apply_opts o = {.source = "iccid:89"};

		assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &reason), 0);
		assert_int_equal(ub_tree_apply(t, &p, &pol, &o, &r, &reason), 0);
		ub_plan_free(&p);
	}
	assert_string_equal(r.accounts[0], "./DMAcc/ExampleOp1");
	assert_int_equal(r.nrenamed, 1);
	assert_string_equal(value_of("./DMAcc/ExampleOp/ServerID"), "dm.example.com");
	assert_string_equal(value_of("./DMAcc/ExampleOp1/ServerID"), "server-b");
	assert_int_equal(ub_tree_get(t, "./DMAcc/ExampleOp1/AppID", &n), 0);
	assert_string_equal(n.source, "iccid:89");
	ub_tree_node_free(&n);
	ub_apply_result_free(&r);
}

static void cp_and_dm11(void **state)
{
	struct ub_apply_result r = {0};

	(void)state;
	assert_int_equal(apply("tests/fixtures/cp-w7.wbxml", &r), 0);
	assert_string_equal(value_of("./DMAcc/operator-cp/PrefConRef"), "./ConnMO/CP_APN");
	assert_string_equal(value_of("./ConnMO/CP_APN/NAP/Addr"), "cp.operator.example");
	assert_int_equal(apply("tests/fixtures/dm11.wbxml", &r), 0);
	assert_string_equal(value_of("./SyncML/DMAcc/legacy/ServerId"), "dm11.example.org");
	ub_apply_result_free(&r);
}

/* Power-on: a card's data applied once, unchanged data not written again
 * (a server's change survives), changed data supersedes, data gone or
 * card gone removes what it wrote. */
static int card(const char *iccid, const char *file, const char *digest, bool others,
		struct ub_apply_result *r)
{
	struct ub_apply_opts o = {
		.digest = digest, .supersede = true, .remove_absent_cards = others};
	struct ub_status reason = {0};
	char src[64];
	struct ub_plan p;
	int err;

	snprintf(src, sizeof(src), "iccid:%s", iccid);
	o.source = src;
	if (file)
		plan_of(file, &p);
	err = ub_tree_apply(t, file ? &p : NULL, &pol, &o, r, &reason);
	if (file)
		ub_plan_free(&p);
	return err;
}

static void card_provenance(void **state)
{
	struct ub_apply_result r = {0};
	int before;

	(void)state;
	assert_int_equal(card("8901", "tests/fixtures/dm12-tnds.wbxml", "d1", true, &r), 0);
	assert_false(r.unchanged);
	assert_string_equal(r.accounts[0], "./DMAcc/ExampleOp");
	/* the server changes a value; the same card data does not undo it */
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./DMAcc/ExampleOp/PrefConRef",
					    "./ConnMO/Other"),
			 0);
	before = ub_tree_count(t);
	assert_int_equal(card("8901", "tests/fixtures/dm12-tnds.wbxml", "d1", true, &r), 0);
	assert_true(r.unchanged);
	assert_int_equal(r.naccounts, 1);
	assert_string_equal(r.accounts[0], "./DMAcc/ExampleOp");
	assert_int_equal(r.nremoved, 0);
	assert_string_equal(value_of("./DMAcc/ExampleOp/PrefConRef"), "./ConnMO/Other");
	assert_int_equal(ub_tree_count(t), before);
	/* new card data replaces the card's earlier account and ConnMO */
	assert_int_equal(card("8901", "tests/fixtures/dm12-plain.wbxml", "d2", true, &r), 0);
	assert_false(r.unchanged);
	assert_int_equal(r.nremoved, 2); /* ./ConnMO/Internet, ./DMAcc/ExampleOp */
	assert_null(value_of("./DMAcc/ExampleOp/ServerID"));
	assert_null(value_of("./ConnMO/Internet/Name"));
	assert_string_equal(value_of("./DMAcc/ex/ServerID"), "dm.example.com");
	/* a pushed account stays whatever the cards do */
	assert_int_equal(apply("tests/fixtures/dm11.wbxml", &r), 0);
	/* another card: the first card's nodes go, the push's stay */
	assert_int_equal(card("8902", "tests/fixtures/cp-w7.wbxml", "d3", true, &r), 0);
	assert_int_equal(r.nremoved, 1);
	assert_string_equal(r.removed[0], "./DMAcc/ex");
	assert_null(value_of("./DMAcc/ex/ServerID"));
	assert_string_equal(value_of("./DMAcc/operator-cp/PrefConRef"), "./ConnMO/CP_APN");
	assert_string_equal(value_of("./SyncML/DMAcc/legacy/ServerId"), "dm11.example.org");
	/* the card's bootstrap file emptied: its nodes go */
	assert_int_equal(card("8902", NULL, NULL, true, &r), 0);
	assert_false(r.unchanged);
	assert_null(value_of("./DMAcc/operator-cp/ServerID"));
	assert_null(value_of("./ConnMO/CP_APN/NAP/Addr"));
	assert_string_equal(value_of("./SyncML/DMAcc/legacy/ServerId"), "dm11.example.org");
	/* and nothing more to remove: unchanged */
	assert_int_equal(card("8902", NULL, NULL, true, &r), 0);
	assert_true(r.unchanged);
	ub_apply_result_free(&r);
}

/* A refused bootstrap leaves the tree as it was, removals included. */
static void refused_is_atomic(void **state)
{
	struct ub_apply_result r = {0};
	int before;

	(void)state;
	assert_int_equal(card("8901", "tests/fixtures/cp-w7.wbxml", "d1", true, &r), 0);
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r), 0);
	before = ub_tree_count(t);
	pol.account = UB_CONFLICT_REJECT;
	/* another card brings an account of the pushed ServerID: refused, and
	 * the first card's removal in the same transaction is undone too */
	assert_int_equal(card("8902", "tests/fixtures/dm12-plain.wbxml", "d9", true, &r),
			 UB_E_POLICY);
	assert_int_equal(ub_tree_count(t), before);
	assert_string_equal(value_of("./DMAcc/operator-cp/PrefConRef"), "./ConnMO/CP_APN");
	assert_string_equal(value_of("./DMAcc/ExampleOp/ServerID"), "dm.example.com");
	ub_apply_result_free(&r);
}

/* A version 1 tree (no provenance table) is migrated on open. */
static void migrate_v1(void **state)
{
	sqlite3 *db;
	struct ub_apply_result r = {0};

	(void)state;
	ub_tree_close(t);
	unlink(path);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TABLE node(uri TEXT PRIMARY KEY, parent TEXT, format "
				      "TEXT NOT NULL, type TEXT, value TEXT, acl TEXT NOT NULL "
				      "DEFAULT '', server TEXT, source TEXT);"
				      "INSERT INTO node(uri, format, acl) VALUES('.', 'node', "
				      "'Add=*&Get=*'); PRAGMA user_version = 1;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(ub_tree_open(path, &t), 0);
	assert_int_equal(card("8901", "tests/fixtures/dm12-tnds.wbxml", "d1", true, &r), 0);
	assert_int_equal(card("8901", "tests/fixtures/dm12-tnds.wbxml", "d1", true, &r), 0);
	assert_true(r.unchanged);
	/* and a tree from a newer uiccboot is refused, not damaged */
	ub_tree_close(t);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(ub_tree_open(path, &t), UB_E_NOT_SUPPORTED);
	assert_null(t);
	ub_apply_result_free(&r);
}

/* Schema 2 gave a container to its first creator (here a card's
 * ./SyncML/DMAcc); 3 gives it back to the device, so that the card's
 * removal keeps the other account in it. */
static void migrate_v2_containers(void **state)
{
	sqlite3 *db;
	struct ub_apply_result r = {0};
	struct ub_tree_node n;
	struct ub_status reason = {0};
	struct ub_apply_opts o = {.source = "iccid:OLD", .supersede = true};

	(void)state;
	assert_int_equal(card("OLD", "tests/fixtures/dm11.wbxml", "d1", false, &r), 0);
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), 0);
	ub_tree_close(t);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(db,
			     "UPDATE node SET server = 'dm11.example.org', source = "
			     "'iccid:OLD' WHERE uri IN ('./SyncML', './SyncML/DMAcc');"
			     "INSERT INTO node(uri, parent, format, server, source) VALUES("
			     "'./SyncML/DMAcc/other', './SyncML/DMAcc', 'node', 'other', "
			     "'push');"
			     /* and what version 4 added is not there yet */
			     "DROP TABLE tree_size; DROP INDEX node_server_parent; DROP TRIGGER "
			     "node_size_insert; DROP TRIGGER node_size_delete; DROP TRIGGER "
			     "node_size_update;"
			     "CREATE INDEX node_server ON node(server); PRAGMA user_version = 2;",
			     NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(ub_tree_open(path, &t), 0);
	assert_int_equal(ub_tree_get(t, "./SyncML/DMAcc", &n), 0);
	assert_null(n.server);
	assert_null(n.source);
	ub_tree_node_free(&n);
	/* the card's data gone: its account goes, the other one stays */
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &o, &r, &reason), 0);
	assert_null(value_of("./SyncML/DMAcc/legacy/ServerId"));
	assert_string_equal(value_of("./SyncML/DMAcc/other"), "(none)");
	assert_string_equal(value_of("./DMAcc/ex/ServerID"), "dm.example.com");
	ub_apply_result_free(&r);
}

/* Removing what a source wrote never orphans another source's node: a
 * tree where a push node sits under a card's (as an older uiccboot could
 * leave it) makes the removal refuse, and nothing is removed. */
static void removal_never_orphans(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	struct ub_apply_opts o = {.source = "iccid:89", .supersede = true};
	int before;

	(void)state;
	assert_int_equal(card("89", "tests/fixtures/dm12-tnds.wbxml", "d1", false, &r), 0);
	assert_int_equal(
		sqlite3_exec(t->db,
			     "INSERT INTO node(uri, parent, format, value, server, source) "
			     "VALUES('./DMAcc/ExampleOp/Planted', './DMAcc/ExampleOp', 'chr', "
			     "'x', 'someone', 'push')",
			     NULL, NULL, NULL),
		SQLITE_OK);
	before = ub_tree_count(t);
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &o, &r, &reason), UB_E_BAD_DATA);
	assert_non_null(strstr(reason.what, "orphan"));
	assert_int_equal(ub_tree_count(t), before);
	/* and replacing the account would delete that node: refused as well */
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r), UB_E_POLICY);
	assert_int_equal(ub_tree_count(t), before);
	ub_apply_result_free(&r);
}

/* Readers bootstrapped in parallel open a new tree at once: one of them
 * creates the schema, the others see it (no "table exists" failure). */
static void *open_close(void *arg)
{
	struct ub_tree *x;
	int *err = arg;

	*err = ub_tree_open(path, &x);
	ub_tree_close(x);
	return NULL;
}

static void concurrent_first_open(void **state)
{
	pthread_t th[8];
	int err[8], round, i;

	(void)state;
	for (round = 0; round < 20; round++) {
		ub_tree_close(t);
		t = NULL;
		tmpdb_remove(path);
		for (i = 0; i < 8; i++)
			assert_int_equal(pthread_create(&th[i], NULL, open_close, &err[i]), 0);
		for (i = 0; i < 8; i++) {
			pthread_join(th[i], NULL);
			assert_int_equal(err[i], 0);
		}
		assert_int_equal(ub_tree_open(path, &t), 0);
		assert_int_equal(ub_tree_count(t), 1);
	}
}

#define CHR "<RTProperties><Format><chr/></Format></RTProperties>"

/* A value with CR, CR LF, TAB, LF, at either end too, goes through export
 * (with secrets) and import byte for byte: the export writes CR as &#13;,
 * which XML end-of-line handling would otherwise turn into LF. */
static void tnds_round_trip_controls(void **state)
{
	static const char xml[] =
		"<MgmtTree><Node><NodeName>rt</NodeName><Path>./DMAcc</Path>"
		"<Node><NodeName>ServerID</NodeName>" CHR "<Value>rt.example</Value></Node>"
		"<Node><NodeName>Name</NodeName>" CHR
		"<Value>a&#13;b&#13;&#10;c&#9;d</Value></Node>"
		"<Node><NodeName>AAuthPref</NodeName>" CHR
		"<Value>&#13;&#10;\t x \t&#10;&#13;</Value></Node>"
		"<Node><NodeName>AAuthSecret</NodeName>" CHR
		"<Value>s&#13;&#13;e\n&#13;c</Value></Node>"
		"<Node><NodeName>ServerPW</NodeName>" CHR "<Value>&#13;</Value></Node>"
		"</Node></MgmtTree>";
	static const struct {
		const char *uri, *value;
	} want[] = {
		{"./DMAcc/rt/Name", "a\rb\r\nc\td"},
		{"./DMAcc/rt/AAuthPref", "\r\n\t x \t\n\r"},
		{"./DMAcc/rt/AAuthSecret", "s\r\re\n\rc"},
		{"./DMAcc/rt/ServerPW", "\r"},
	};
	const struct ub_apply_opts import = {.source = "import"};
	struct ub_apply_result res = {0};
	struct ub_plan p;
	struct ub_status err = {0};
	char *out = NULL;
	size_t len = 0, i, j;
	FILE *fp;

	(void)state;
	assert_int_equal(ub_plan_from_tnds(xml, strlen(xml), &p, &err), 0);
	assert_int_equal(ub_tree_apply(t, &p, &pol, &import, &res, &err), 0);
	ub_plan_free(&p);
	ub_apply_result_free(&res);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_string_equal(value_of(want[i].uri), want[i].value);
	fp = open_memstream(&out, &len);
	assert_int_equal(ub_tree_export_tnds(t, "./DMAcc/rt", true, fp), 0);
	fclose(fp);
	assert_int_equal(ub_plan_from_tnds(out, len, &p, &err), 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (j = 0; j < p.nnodes && strcmp(p.nodes[j].uri, want[i].uri); j++)
			;
		assert_true(j < p.nnodes);
		assert_string_equal(p.nodes[j].value, want[i].value);
	}
	ub_plan_free(&p);
	assert_null(strchr(out, '\r')); /* every CR a character reference */
	assert_non_null(strstr(out, "<Value>a&#13;b&#13;\nc\td</Value>"));
	free(out);
}

/* An export without secrets holds UB_SECRET_MASK for every secret leaf:
 * importing it would replace the credentials with the placeholder, so the
 * import refuses it, naming the node; a non-secret leaf with that text,
 * or a secret leaf with any other value, is imported. */
static void tnds_masked_export_refused(void **state)
{
	static const char ok[] =
		"<MgmtTree><Node><NodeName>ms</NodeName><Path>./DMAcc</Path>"
		"<Node><NodeName>ServerID</NodeName>" CHR "<Value>ms.example</Value></Node>"
		"<Node><NodeName>Name</NodeName>" CHR "<Value>" UB_SECRET_MASK "</Value></Node>"
		"<Node><NodeName>AAuthSecret</NodeName>" CHR "<Value> " UB_SECRET_MASK
		"</Value></Node>"
		"</Node></MgmtTree>";
	const struct ub_apply_opts import = {.source = "import"};
	struct ub_apply_result res = {0};
	struct ub_plan p;
	struct ub_status err = {0};
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	(void)state;
	plan_of("tests/fixtures/dm12-plain.wbxml", &p); /* ./DMAcc/ex with AAuthSecret */
	assert_int_equal(ub_tree_apply(t, &p, &pol, &push, &res, &err), 0);
	ub_plan_free(&p);
	ub_apply_result_free(&res);
	fp = open_memstream(&out, &len);
	assert_int_equal(ub_tree_export_tnds(t, ".", false, fp), 0);
	fclose(fp);
	assert_non_null(strstr(out, "<Value>" UB_SECRET_MASK "</Value>"));
	assert_int_equal(ub_plan_from_tnds(out, len, &p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "./DMAcc/ex/AppAuth/"));
	assert_non_null(strstr(err.what, "without --secrets"));
	free(out);
	/* the same export with secrets is a backup */
	out = NULL;
	fp = open_memstream(&out, &len);
	assert_int_equal(ub_tree_export_tnds(t, ".", true, fp), 0);
	fclose(fp);
	assert_int_equal(ub_plan_from_tnds(out, len, &p, &err), 0);
	ub_plan_free(&p);
	free(out);
	assert_int_equal(ub_plan_from_tnds(ok, strlen(ok), &p, &err), 0);
	assert_int_equal(ub_tree_apply(t, &p, &pol, &import, &res, &err), 0);
	ub_plan_free(&p);
	ub_apply_result_free(&res);
	assert_string_equal(value_of("./DMAcc/ms/Name"), UB_SECRET_MASK);
	assert_string_equal(value_of("./DMAcc/ms/AAuthSecret"), " " UB_SECRET_MASK);
}

/* tree import's parser refuses what is no usable TNDS, with a reason. */
static void tnds_refusals(void **state)
{
	static const struct {
		const char *xml, *why;
	} bad[] = {
		{"<SyncML/>", "not MgmtTree"},
		{"<MgmtTree><VerDTD>1.2</VerDTD></MgmtTree>", "without nodes"},
		{"<MgmtTree><Node><Value>x</Value></Node></MgmtTree>", "NodeName"},
		{"<MgmtTree><Node><NodeName>a/b</NodeName></Node></MgmtTree>", "NodeName"},
		{"<MgmtTree><Node><NodeName>X</NodeName><RTProperties><Format><node/></Format>"
		 "</RTProperties><Value>v</Value></Node></MgmtTree>",
		 "interior node with a value"},
		{"<MgmtTree><Node><NodeName>X</NodeName><Path>./A</Path></Node>"
		 "<Node><NodeName>X</NodeName><Path>./A</Path></Node></MgmtTree>",
		 "given twice"},
		{"<MgmtTree><Node><NodeName>", "TNDS"},
	};
	static char deep[70 * 36 + 64];
	struct ub_plan p;
	struct ub_status err = {0};
	size_t i;
	int d;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ub_plan_from_tnds(bad[i].xml, strlen(bad[i].xml), &p, &err),
				 UB_E_BAD_DATA);
		if (!strstr(err.what, bad[i].why))
			fail_msg("%s: '%s' does not say '%s'", bad[i].xml, err.what, bad[i].why);
	}
	/* nesting beyond the depth bound */
	strcpy(deep, "<MgmtTree>");
	for (d = 0; d < 70; d++)
		strcat(deep, "<Node><NodeName>n</NodeName>");
	for (d = 0; d < 70; d++)
		strcat(deep, "</Node>");
	strcat(deep, "</MgmtTree>");
	assert_int_equal(ub_plan_from_tnds(deep, strlen(deep), &p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "nested too deeply"));
}

/* The size the database keeps equals the nodes' (after applies, renames,
 * a replace, removals); past the capacity an apply, a replace and a
 * factory-style value change are refused and nothing is written. */
static void capacity(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_apply_opts o = {.source = "iccid:89", .supersede = true};
	long long nodes, text, want_nodes, want_text;
	struct ub_status reason = {0};
	char big[2048];
	sqlite3_stmt *st;
	int before;

	(void)state;
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r), 0);
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./ConnMO/Internet/Name", "Other"),
			 0);
	assert_int_equal(apply("tests/fixtures/dm12-tnds.wbxml", &r),
			 0); /* renamed, old one gone */
	assert_int_equal(card("89", "tests/fixtures/dm11.wbxml", "d1", false, &r), 0);
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &o, &r, &reason), 0);
	assert_int_equal(ub_store_size(t, &nodes, &text), 0);
	assert_int_equal(
		sqlite3_prepare_v2(t->db,
				   "SELECT count(*), sum(length(CAST(uri AS BLOB)) + "
				   "ifnull(length(CAST(value AS BLOB)), 0) + length(CAST(acl "
				   "AS BLOB)) + ifnull(length(CAST(type AS BLOB)), 0)) FROM node",
				   -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	want_nodes = sqlite3_column_int64(st, 0);
	want_text = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	assert_int_equal(nodes, want_nodes);
	assert_int_equal(text, want_text);

	/* room for 3 more nodes: a bootstrap of more is refused whole */
	t->max_nodes = nodes + 3;
	before = ub_tree_count(t);
	assert_int_equal(apply("tests/fixtures/dm12-plain.wbxml", &r), UB_E_POLICY);
	assert_int_equal(ub_tree_count(t), before);
	t->max_nodes = UB_TREE_NODES_MAX;
	/* text: a value that would pass it, by a server's Replace */
	t->max_text = text + 100;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./ConnMO/Internet1/Name", big),
			 UB_E_POLICY);
	assert_string_equal(value_of("./ConnMO/Internet1/Name"), "Internet");
	assert_int_equal(ub_store_size(t, &nodes, &text), 0);
	assert_int_equal(text, want_text);
	t->max_text = UB_TREE_TEXT_MAX;
	assert_int_equal(ub_tree_replace_as(t, "dm.example.com", "./ConnMO/Internet1/Name", big),
			 0);
	ub_apply_result_free(&r);
}

/* The tree's export, secrets too (a backup). */
static char *export_of(struct ub_tree *tr)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	assert_non_null(fp);
	assert_int_equal(ub_tree_export_tnds(tr, ".", true, fp), 0);
	assert_int_equal(fclose(fp), 0);
	return out;
}

/* Each node's URI and owner. */
static char *owners_of(struct ub_tree *tr)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	sqlite3_stmt *st;

	assert_non_null(fp);
	assert_int_equal(sqlite3_prepare_v2(tr->db,
					    "SELECT uri, ifnull(server, '(device)') FROM node "
					    "ORDER BY uri",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(fp, "%s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	assert_int_equal(fclose(fp), 0);
	return out;
}

/* Every column of the rows of uri and below it. */
static char *rows_of(struct ub_tree *tr, const char *uri)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	sqlite3_stmt *st;

	assert_non_null(fp);
	assert_int_equal(sqlite3_prepare_v2(tr->db,
					    "SELECT uri, parent, format, type, value, acl, server, "
					    "source FROM node WHERE uri = ?1 OR substr(uri, 1, "
					    "length(?1) + 1) = ?1 || '/' ORDER BY uri",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		int i;

		for (i = 0; i < 8; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			fprintf(fp, "%s\t", v ? (const char *)v : "(null)");
		}
		fputc('\n', fp);
	}
	sqlite3_finalize(st);
	assert_int_equal(fclose(fp), 0);
	return out;
}

/* A TNDS document into tr: as `tree import`, or (bootstrap) as a push
 * of a plan under the bootstrap model. */
static int put_tnds(struct ub_tree *tr, const char *xml, bool bootstrap, struct ub_status *reason)
{
	struct ub_apply_opts o = {.source = bootstrap ? "push" : "import"};
	struct ub_apply_result r = {0};
	struct ub_plan p;
	int err;

	err = ub_plan_from_tnds(xml, strlen(xml), &p, reason);
	if (err)
		return err;
	if (bootstrap && (err = ub_plan_model(&p, UB_MODEL_BOOTSTRAP, reason))) {
		ub_plan_free(&p);
		return err;
	}
	err = ub_tree_apply(tr, &p, &pol, &o, &r, reason);
	ub_apply_result_free(&r);
	ub_plan_free(&p);
	return err;
}

#define TNDS_NODE(name, rest) "<Node><NodeName>" name "</NodeName>" rest "</Node>"
#define TNDS_LEAF(name, value) TNDS_NODE(name, "<Value>" value "</Value>")

/* tree export -> tree import into an empty tree -> export: the same
 * document, every node of the same owner.  Each case is what
 * fuzz_isolation found a tree to break. */
/* t's export imports into an empty tree and exports the same, every node
 * of the same owner. */
static void imports_again(const char *what)
{
	struct ub_status reason = {0};
	char copy_path[80], *x1, *x2, *o1, *o2;
	struct ub_tree *copy;

	snprintf(copy_path, sizeof(copy_path), "%s-copy", path);
	unlink(copy_path);
	assert_int_equal(ub_tree_open(copy_path, &copy), 0);
	x1 = export_of(t);
	if (put_tnds(copy, x1, false, &reason))
		fail_msg("%s: the export does not import: %s", what, reason.what);
	x2 = export_of(copy);
	if (strcmp(x1, x2))
		fail_msg("%s: the export\n%s\nimports as\n%s", what, x1, x2);
	o1 = owners_of(t);
	o2 = owners_of(copy);
	if (strcmp(o1, o2))
		fail_msg("%s: owners\n%s\nimport as\n%s", what, o1, o2);
	free(x1), free(x2), free(o1), free(o2);
	ub_tree_close(copy);
	unlink(copy_path);
}

static void export_imports_again(void **state)
{
	static const struct {
		const char *xml;
		bool bootstrap;
	} cases[] = {
		/* a CR in a value: written raw, XML readers read it as a LF */
		{"<MgmtTree>" TNDS_NODE("Vendor",
					TNDS_LEAF("v", "a&#13;b&#13;&#10;c")) "</MgmtTree>",
		 false},
		{"<MgmtTree>" TNDS_NODE(
			 "DMAcc", TNDS_NODE("b", TNDS_LEAF("ServerID", "server-b")
							 TNDS_LEAF("Name", "&#13;"))) "</MgmtTree>",
		 true},
	};
	struct ub_status reason = {0};
	char what[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (put_tnds(t, cases[i].xml, cases[i].bootstrap, &reason))
			fail_msg("case %zu: %s", i, reason.what);
		snprintf(what, sizeof(what), "case %zu", i);
		imports_again(what);
		assert_int_equal(
			sqlite3_exec(t->db, "DELETE FROM node WHERE uri <> '.'", NULL, NULL, NULL),
			SQLITE_OK);
	}
}

/* A bootstrap's ConnMO whose root ACL is not its owner's: a tree import
 * reads the owner from that ACL, so after export -> import the ConnMO
 * would be another server's or the device's; and a server's owner ACL on
 * a ConnMO of the device (CP connectivity only) would give it to that
 * server.  Refused (found by fuzz_isolation). */
#define B_REFERS_TO_X \
	TNDS_NODE("b", TNDS_LEAF("ServerID", "server-b") TNDS_LEAF("PrefConRef", "./ConnMO/X"))
#define CONNMO_X(acl)                                                \
	TNDS_NODE("ConnMO", TNDS_NODE("X", "<RTProperties><ACL>" acl \
					   "</ACL></RTProperties>" TNDS_LEAF("ID", "x")))
#define OWNER_ACL(s) "Get=" s "&amp;Replace=" s "&amp;Delete=" s

static void bootstrap_connmo_acl(void **state)
{
	static const struct {
		enum ub_plan_kind kind;
		const char *xml;
	} refused[] = {
		{UB_PLAN_DM12,
		 "<MgmtTree>" TNDS_NODE("DMAcc", TNDS_NODE("a", TNDS_LEAF("ServerID", "server-a"))
							 B_REFERS_TO_X)
			 CONNMO_X(OWNER_ACL("server-a")) "</MgmtTree>"},
		{UB_PLAN_DM12,
		 "<MgmtTree>" TNDS_NODE("DMAcc", B_REFERS_TO_X) CONNMO_X("Get=*") "</MgmtTree>"},
		{UB_PLAN_CP, "<MgmtTree>" CONNMO_X(OWNER_ACL("server-a")) "</MgmtTree>"},
	};
	struct ub_tree_node n;
	struct ub_plan p;
	struct ub_status reason = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		assert_int_equal(
			ub_plan_from_tnds(refused[i].xml, strlen(refused[i].xml), &p, &reason), 0);
		p.kind = refused[i].kind;
		if (ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &reason) != UB_E_BAD_DATA ||
		    !strstr(reason.what, "ACL"))
			fail_msg("case %zu not refused: '%s'", i, reason.what);
		ub_plan_free(&p);
	}
	/* its owner's ACL, or none: the ConnMO is its server's */
	if (put_tnds(t,
		     "<MgmtTree>" TNDS_NODE("DMAcc", B_REFERS_TO_X)
			     CONNMO_X(OWNER_ACL("server-b")) "</MgmtTree>",
		     true, &reason))
		fail_msg("the owner's ACL: %s", reason.what);
	assert_int_equal(ub_tree_get(t, "./ConnMO/X", &n), 0);
	assert_string_equal(n.server, "server-b");
	ub_tree_node_free(&n);
}

/* A card's removal leaves its containers empty (./SyncML/DMAcc): the
 * export writes them, and the import creates the containers it names
 * (found by fuzz_isolation: it wrote only what lies in an MO, and the
 * copy had no ./SyncML). */
static void empty_containers_import_again(void **state)
{
	static const char card11[] = "<MgmtTree>" TNDS_NODE(
		"SyncML",
		TNDS_NODE("DMAcc", TNDS_NODE("a", TNDS_LEAF("ServerId", "server-a")))) "</"
										       "MgmtTree>";
	struct ub_apply_opts card = {.source = "iccid:A"},
			     gone = {.source = "iccid:B", .remove_absent_cards = true};
	struct ub_apply_result r = {0};
	struct ub_tree_node n;
	struct ub_plan p;
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(ub_plan_from_tnds(card11, strlen(card11), &p, &reason), 0);
	p.kind = UB_PLAN_DM11;
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &reason), 0);
	assert_int_equal(ub_tree_apply(t, &p, &pol, &card, &r, &reason), 0);
	ub_plan_free(&p);
	if (put_tnds(t,
		     "<MgmtTree>" TNDS_NODE(
			     "DMAcc",
			     TNDS_NODE("b", TNDS_LEAF("ServerID", "server-b"))) "</MgmtTree>",
		     true, &reason))
		fail_msg("%s", reason.what);
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &gone, &r, &reason), 0);
	assert_int_equal(r.nremoved, 1);
	ub_apply_result_free(&r);
	assert_int_equal(ub_tree_get(t, "./SyncML/DMAcc", &n), 0);
	ub_tree_node_free(&n);
	imports_again("empty containers");
	/* an import of containers alone creates them, the device's */
	if (put_tnds(t, "<MgmtTree>" TNDS_NODE("SyncML", TNDS_NODE("Con", "")) "</MgmtTree>", false,
		     &reason))
		fail_msg("%s", reason.what);
	assert_int_equal(ub_tree_get(t, "./SyncML/Con", &n), 0);
	assert_null(n.server);
	assert_null(n.source);
	ub_tree_node_free(&n);
}

/* In an import a ConnMO is the server's whose owner ACL its root
 * carries, whether or not that server's account is in the import: one
 * imported next to an account the tree holds, and one that outlived its
 * server's account, keep their owner through export -> import (found by
 * fuzz_isolation: the first was the device's until the next round trip,
 * the second went to the device).  "*" and an LwM2M server's name own
 * nothing. */
static void import_connmo_owner_is_its_acl(void **state)
{
	static const struct {
		const char *name, *acl, *owner;
	} cases[] = {
		{"Z", OWNER_ACL("server-a"), "server-a"},
		{"Y", OWNER_ACL("server-c"), "server-c"},
		{"W", OWNER_ACL("*"), NULL},
		{"V", OWNER_ACL("lwm2m:1"), NULL},
		{"U", OWNER_ACL("LwM2M:1"), NULL}, /* as an account's ServerID is refused */
	};
	struct ub_status reason = {0};
	char xml[600], uri[40], *account, *now;
	struct ub_tree_node n;
	size_t i;

	(void)state;
	if (put_tnds(t,
		     "<MgmtTree>" TNDS_NODE(
			     "DMAcc",
			     TNDS_NODE("a", TNDS_LEAF("ServerID", "server-a"))) "</MgmtTree>",
		     false, &reason))
		fail_msg("%s", reason.what);
	account = rows_of(t, "./DMAcc/a");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(xml, sizeof(xml),
			 "<MgmtTree>" TNDS_NODE(
				 "ConnMO", TNDS_NODE("%s", "<RTProperties><ACL>%s"
							   "</ACL></RTProperties>")) "</MgmtTree>",
			 cases[i].name, cases[i].acl);
		if (put_tnds(t, xml, false, &reason))
			fail_msg("%s: %s", cases[i].name, reason.what);
		snprintf(uri, sizeof(uri), "./ConnMO/%s", cases[i].name);
		assert_int_equal(ub_tree_get(t, uri, &n), 0);
		if (cases[i].owner && (!n.server || strcmp(n.server, cases[i].owner)))
			fail_msg("%s: owned by %s, not %s", uri, n.server ? n.server : "the device",
				 cases[i].owner);
		else if (!cases[i].owner)
			assert_null(n.server);
		ub_tree_node_free(&n);
		/* the ConnMO is server-a's: its account stays as it was */
		now = rows_of(t, "./DMAcc/a");
		if (strcmp(account, now))
			fail_msg("%s: ./DMAcc/a was\n%s\nis\n%s", cases[i].name, account, now);
		free(now);
		imports_again(cases[i].name);
	}
	free(account);
}

/* A reference that names no node yet: server-c's account points at
 * ./ConnMO/Z, which nothing holds; server-a's bootstrap then brings its
 * own ./ConnMO/Z.  Written there, it would give server-c's account
 * server-a's APN and its credentials; it goes to ./ConnMO/Z1, server-a's
 * reference follows, and ./ConnMO/Z stays free (found by review). */
static void dangling_reference_not_handed_over(void **state)
{
	struct ub_status reason = {0};
	struct ub_tree_node n;

	(void)state;
	if (put_tnds(t,
		     "<MgmtTree>" TNDS_NODE(
			     "DMAcc",
			     TNDS_NODE("c", TNDS_LEAF("ServerID", "server-c") TNDS_LEAF(
						    "PrefConRef", "./ConnMO/Z"))) "</MgmtTree>",
		     true, &reason))
		fail_msg("server-c: %s", reason.what);
	if (put_tnds(
		    t,
		    "<MgmtTree>" TNDS_NODE(
			    "DMAcc", TNDS_NODE("a", TNDS_LEAF("ServerID", "server-a")
							    TNDS_LEAF("PrefConRef", "./ConnMO/Z")))
			    TNDS_NODE(
				    "ConnMO",
				    TNDS_NODE(
					    "Z",
					    TNDS_NODE(
						    "NAP",
						    TNDS_NODE(
							    "AuthInfo",
							    TNDS_LEAF(
								    "AuthSecret",
								    "a-apn-secret"))))) "</"
											"MgmtTree>",
		    true, &reason))
		fail_msg("server-a: %s", reason.what);
	assert_int_equal(ub_tree_get(t, "./ConnMO/Z", &n), UB_E_NOT_FOUND);
	assert_int_equal(ub_tree_get(t, "./ConnMO/Z1/NAP/AuthInfo/AuthSecret", &n), 0);
	assert_non_null(n.server);
	assert_string_equal(n.server, "server-a");
	ub_tree_node_free(&n);
	assert_int_equal(ub_tree_get(t, "./DMAcc/a/PrefConRef", &n), 0);
	assert_non_null(n.value);
	assert_string_equal(n.value, "./ConnMO/Z1");
	ub_tree_node_free(&n);
	/* server-c's own ConnMO may take the name it named */
	if (put_tnds(
		    t,
		    "<MgmtTree>" TNDS_NODE(
			    "DMAcc", TNDS_NODE("c", TNDS_LEAF("ServerID", "server-c")
							    TNDS_LEAF("PrefConRef", "./ConnMO/Z")))
			    TNDS_NODE("ConnMO", TNDS_NODE("Z", TNDS_LEAF("ID", "c"))) "</MgmtTree>",
		    true, &reason))
		fail_msg("server-c again: %s", reason.what);
	assert_int_equal(ub_tree_get(t, "./ConnMO/Z/ID", &n), 0);
	assert_string_equal(n.server, "server-c");
	ub_tree_node_free(&n);
}

/* --- one spelling of a URI; the device a party; bounded shared state --- */

/* A plan of kind from lines "URI=VALUE" ("URI" alone: an interior node),
 * under the bootstrap model: 0, or the model's refusal in reason. */
static int plan_lines(enum ub_plan_kind kind, const char *const *lines, struct ub_plan *p,
		      struct ub_status *reason)
{
	const char *eq;
	size_t i;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	for (i = 0; lines[i]; i++) {
		struct ub_plan_node *n;

		p->nodes = realloc(p->nodes, (p->nnodes + 1) * sizeof(*p->nodes));
		assert_non_null(p->nodes);
		n = &p->nodes[p->nnodes++];
		memset(n, 0, sizeof(*n));
		n->mo = -1;
		eq = strchr(lines[i], '=');
		n->uri = eq ? strndup(lines[i], (size_t)(eq - lines[i])) : strdup(lines[i]);
		n->format = strdup(eq ? "chr" : "node");
		n->value = eq ? strdup(eq + 1) : NULL;
	}
	return ub_plan_model(p, UB_MODEL_BOOTSTRAP, reason);
}

/* The plan of lines applied as source: 0 or the error, why in reason. */
static int boot_as(enum ub_plan_kind kind, const char *source, const char *const *lines,
		   struct ub_apply_result *r, struct ub_status *reason)
{
	struct ub_apply_opts o = {.source = source};
	struct ub_plan p;
	int err;

	ub_status_clear(reason);
	err = plan_lines(kind, lines, &p, reason);
	if (!err)
		err = ub_tree_apply(t, &p, &pol, &o, r, reason);
	if (err && getenv("UB_DEBUG"))
		fprintf(stderr, "boot_as %s: %d %s\n", lines[0], err, reason->what);
	ub_plan_free(&p);
	return err;
}

#define LINES(...) ((const char *const[]){__VA_ARGS__, NULL})
#define PUSH(kind, ...) boot_as(kind, "push", LINES(__VA_ARGS__), &r, &reason)
/* server-a's account and ConnMO, with its APN's credentials */
#define SERVER_A                                                                 \
	"./DMAcc/a/ServerID=server-a", "./DMAcc/a/PrefConRef=./ConnMO/Internet", \
		"./ConnMO/Internet/NAP/Addr=apn.a.example",                      \
		"./ConnMO/Internet/NAP/AuthInfo/AuthSecret=a-apn-secret"

/* OMA-TS-DM_TND 1.2 clause 5: "ConnMO/Internet" names ./ConnMO/Internet.
 * server-b's relative reference to server-a's ConnMO is one to another
 * server's connectivity (it was applied: every check matched "./" only). */
static void relative_reference_to_other_connmo(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A), 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/b/ServerID=server-b",
			      "./DMAcc/b/PrefConRef=ConnMO/Internet"),
			 UB_E_POLICY);
	assert_non_null(strstr(reason.what, "connectivity MO of another server"));
	assert_null(value_of("./DMAcc/b/ServerID"));
	/* nor through a server's Replace of its own reference */
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/b/ServerID=server-b",
			      "./DMAcc/b/PrefConRef=ConnMO/B", "./ConnMO/B/NAP/Addr=apn.b"),
			 0);
	assert_int_equal(
		ub_tree_replace_as(t, "server-b", "./DMAcc/b/PrefConRef", "ConnMO/Internet/NAP"),
		UB_E_POLICY);
	assert_int_equal(ub_tree_replace_as(t, "server-b", "./DMAcc/b/PrefConRef", "./ConnMO//B"),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_tree_replace_as(t, "server-b", "./DMAcc/b/PrefConRef", "ConnMO/B"), 0);
	assert_string_equal(value_of("./DMAcc/b/PrefConRef"), "./ConnMO/B");
	ub_apply_result_free(&r);
}

/* server-b's own ConnMO whose name server-a holds is renamed, and its
 * relative reference follows it (it kept naming server-a's). */
static void relative_reference_follows_rename(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	struct ub_tree_node n;

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A), 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/b/ServerID=server-b",
			      "./DMAcc/b/PrefConRef=ConnMO/Internet",
			      "./ConnMO/Internet/NAP/Addr=apn.b.example"),
			 0);
	assert_int_equal(r.nrenamed, 1);
	assert_string_equal(r.renamed[0].to, "./ConnMO/Internet1");
	assert_string_equal(value_of("./DMAcc/b/PrefConRef"), "./ConnMO/Internet1");
	assert_int_equal(ub_tree_get(t, "./ConnMO/Internet1/NAP/Addr", &n), 0);
	assert_string_equal(n.server, "server-b");
	ub_tree_node_free(&n);
	ub_apply_result_free(&r);
}

/* server-c's relative reference names ./ConnMO/Z, which nothing holds:
 * server-a's ConnMO Z goes elsewhere (it came to sit there). */
static void relative_dangling_reference_not_handed_over(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/c/ServerID=server-c",
			      "./DMAcc/c/ToConRef/1/ConRef=ConnMO/Z"),
			 0);
	assert_string_equal(value_of("./DMAcc/c/ToConRef/1/ConRef"), "./ConnMO/Z");
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a",
			      "./DMAcc/a/PrefConRef=./ConnMO/Z",
			      "./ConnMO/Z/NAP/AuthInfo/AuthSecret=a-apn-secret"),
			 0);
	assert_null(value_of("./ConnMO/Z/NAP/AuthInfo/AuthSecret"));
	assert_string_equal(value_of("./ConnMO/Z1/NAP/AuthInfo/AuthSecret"), "a-apn-secret");
	assert_string_equal(value_of("./DMAcc/a/PrefConRef"), "./ConnMO/Z1");
	ub_apply_result_free(&r);
}

/* server-a's second bootstrap still names its ConnMO X, relatively: X is
 * referenced and stays (it was removed as unreferenced). */
static void relative_reference_keeps_connmo(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a",
			      "./DMAcc/a/PrefConRef=ConnMO/X", "./ConnMO/X/NAP/Addr=apn.a"),
			 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a", "./DMAcc/a/Name=two",
			      "./DMAcc/a/PrefConRef=ConnMO/X"),
			 0);
	assert_int_equal(r.nremoved, 0);
	assert_string_equal(value_of("./ConnMO/X/NAP/Addr"), "apn.a");
	/* and a ConnMO that names itself, or two that name each other, are
	 * still removed when nothing else names them */
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a",
			      "./DMAcc/a/PrefConRef=./ConnMO/X", "./ConnMO/S/ToConRef=./ConnMO/S",
			      "./ConnMO/P/ToConRef=./ConnMO/Q", "./ConnMO/Q/ToConRef=./ConnMO/P"),
			 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a", "./DMAcc/a/Name=four",
			      "./DMAcc/a/PrefConRef=./ConnMO/X"),
			 0);
	assert_int_equal(r.nremoved, 3);
	assert_null(value_of("./ConnMO/S/ToConRef"));
	assert_null(value_of("./ConnMO/P/ToConRef"));
	assert_string_equal(value_of("./ConnMO/X/NAP/Addr"), "apn.a");
	ub_apply_result_free(&r);
}

/* Every reference in one spelling: relative ones made absolute, other
 * forms refused naming the node; node URIs likewise. */
static void one_spelling(void **state)
{
	static const char *const bad[] = {
		"./ConnMO//Internet",
		"./ConnMO/./Internet",
		"./ConnMO/x/../Internet",
		"./ConnMO/Internet/",
		"ConnMO//Internet",
		"ConnMO/Internet/..",
		"./",
		"/ConnMO/Internet",
	};
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	char line[100];
	struct ub_plan p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "./DMAcc/b/PrefConRef=%s", bad[i]);
		if (plan_lines(UB_PLAN_DM12, LINES("./DMAcc/b/ServerID=server-b", line), &p,
			       &reason) != UB_E_BAD_DATA ||
		    !strstr(reason.what, "./DMAcc/b/PrefConRef"))
			fail_msg("PrefConRef %s: '%s'", bad[i], reason.what);
		ub_plan_free(&p);
		/* any leaf whose value names a node: the CP mapping's
		 * PX/ToConRef, a vendor's leaf */
		snprintf(line, sizeof(line), "./ConnMO/P/PX/ToConRef=%s", bad[i]);
		if (plan_lines(UB_PLAN_CP, LINES(line), &p, &reason) != UB_E_BAD_DATA)
			fail_msg("ToConRef %s: '%s'", bad[i], reason.what);
		ub_plan_free(&p);
	}
	assert_int_equal(
		plan_lines(UB_PLAN_DM12,
			   LINES("./DMAcc/b/ServerID=server-b", "./DMAcc/b/Ext/Note=./ConnMO/x/"),
			   &p, &reason),
		UB_E_BAD_DATA);
	ub_plan_free(&p);
	/* relative node URIs and references become absolute; text that
	 * names no node stays as it is */
	assert_int_equal(PUSH(UB_PLAN_DM12, "DMAcc/b/ServerID=server-b",
			      "DMAcc/b/PrefConRef=ConnMO/B", "ConnMO/B/NAP/Addr=apn.b",
			      "./DMAcc/b/Name=TCP/IP and ConnMO", "./DMAcc/b/Ext/Ref=DMAcc/b/Name"),
			 0);
	assert_string_equal(value_of("./DMAcc/b/PrefConRef"), "./ConnMO/B");
	assert_string_equal(value_of("./DMAcc/b/Name"), "TCP/IP and ConnMO");
	assert_string_equal(value_of("./DMAcc/b/Ext/Ref"), "./DMAcc/b/Name");
	assert_string_equal(value_of("./ConnMO/B/NAP/Addr"), "apn.b");
	/* a node given in both spellings is one node given twice */
	assert_int_equal(plan_lines(UB_PLAN_DM12,
				    LINES("./DMAcc/d/ServerID=d", "DMAcc/d/ServerID=d"), &p,
				    &reason),
			 UB_E_BAD_DATA);
	assert_non_null(strstr(reason.what, "given twice"));
	ub_plan_free(&p);
	/* DM 1.1.2 */
	assert_int_equal(PUSH(UB_PLAN_DM11, "./SyncML/DMAcc/l/ServerId=legacy",
			      "./SyncML/DMAcc/l/ConRef=SyncML/Con/gprs",
			      "./SyncML/Con/gprs/NAP/Addr=apn.l"),
			 0);
	assert_string_equal(value_of("./SyncML/DMAcc/l/ConRef"), "./SyncML/Con/gprs");
	/* a secret is a value: never read as a reference */
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/s/ServerID=server-s",
			      "./DMAcc/s/AppAuth/1/AAuthSecret=ConnMO//x/"),
			 0);
	assert_string_equal(value_of("./DMAcc/s/AppAuth/1/AAuthSecret"), "ConnMO//x/");
	ub_apply_result_free(&r);
}

/* A tree that an older version wrote holds references in other
 * spellings: schema 6 rewrites them once, so the index and every check
 * see them. */
static void migrate_v5_references(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	sqlite3 *db;

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A, "./DMAcc/a/Ext/Ref=./ConnMO/Internet/NAP",
			      "./DMAcc/a/Ext/Up=./ConnMO/Internet/NAP",
			      "./DMAcc/a/Ext/Root=./ConnMO/Internet/NAP"),
			 0);
	ub_tree_close(t);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_exec(
			db,
			"UPDATE node SET value = 'ConnMO/Free' WHERE uri = './DMAcc/a/PrefConRef';"
			"UPDATE node SET value = './ConnMO//Internet/NAP/' WHERE uri = "
			"'./DMAcc/a/Ext/Ref';"
			"UPDATE node SET value = './ConnMO/x/../Internet' WHERE uri = "
			"'./DMAcc/a/Ext/Up';"
			"UPDATE node SET value = './ConnMO/../../x' WHERE uri = "
			"'./DMAcc/a/Ext/Root';"
			"UPDATE node SET value = 'a-apn-secret/' WHERE uri = "
			"'./ConnMO/Internet/NAP/AuthInfo/AuthSecret';"
			"DROP INDEX IF EXISTS node_reference; PRAGMA user_version = 5;",
			NULL, NULL, NULL),
		SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(ub_tree_open(path, &t), 0);
	assert_string_equal(value_of("./DMAcc/a/PrefConRef"), "./ConnMO/Free");
	assert_string_equal(value_of("./DMAcc/a/Ext/Ref"), "./ConnMO/Internet/NAP");
	assert_string_equal(value_of("./DMAcc/a/Ext/Up"), "./ConnMO/Internet");
	assert_string_equal(value_of("./DMAcc/a/Ext/Root"), "./ConnMO/../../x");
	assert_string_equal(value_of("./ConnMO/Internet/NAP/AuthInfo/AuthSecret"), "a-apn-secret/");
	/* the migrated reference is seen: server-b's ConnMO Free goes elsewhere */
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/b/ServerID=server-b",
			      "./DMAcc/b/PrefConRef=./ConnMO/Free", "./ConnMO/Free/NAP/Addr=b"),
			 0);
	assert_string_equal(value_of("./DMAcc/b/PrefConRef"), "./ConnMO/Free1");
	/* the value the migration could not read is refused by an import,
	 * naming the node, not taken in another spelling */
	{
		char copy_path[80], *x = export_of(t);
		struct ub_tree *copy;

		snprintf(copy_path, sizeof(copy_path), "%s-copy", path);
		unlink(copy_path);
		assert_int_equal(ub_tree_open(copy_path, &copy), 0);
		assert_int_equal(put_tnds(copy, x, false, &reason), UB_E_BAD_DATA);
		assert_non_null(strstr(reason.what, "./DMAcc/a/Ext/Root"));
		ub_tree_close(copy);
		unlink(copy_path);
		free(x);
	}
	ub_apply_result_free(&r);
}

/* The device is a party: an OMA CP push with connectivity only (no w7)
 * does not land at a name server-a's account names (it did: a server's
 * ConnMO was renamed there, the device's was not), and names no server's
 * connectivity (a PXLOGICAL's PX/ToConRef to server-a's APN was applied,
 * and server-b then used it through the device's proxy). */
static void device_connectivity_is_a_party(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	struct ub_tree_node n;

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a",
			      "./DMAcc/a/PrefConRef=./ConnMO/APN1",
			      "./DMAcc/a/ToConRef/1/ConRef=./ConnMO/Internet",
			      "./ConnMO/Internet/NAP/AuthInfo/AuthSecret=a-apn-secret"),
			 0);
	assert_int_equal(PUSH(UB_PLAN_CP, "./ConnMO/APN1/PX/Addr=proxy.evil.example"), 0);
	assert_int_equal(ub_tree_get(t, "./ConnMO/APN1", &n), UB_E_NOT_FOUND);
	assert_int_equal(ub_tree_get(t, "./ConnMO/APN11/PX/Addr", &n), 0);
	assert_null(n.server);
	ub_tree_node_free(&n);
	assert_int_equal(PUSH(UB_PLAN_CP, "./ConnMO/PX1/PX/Addr=proxy.evil.example",
			      "./ConnMO/PX1/PX/ToConRef=./ConnMO/Internet"),
			 UB_E_POLICY);
	assert_non_null(strstr(reason.what, "the device's connectivity names only the device's"));
	assert_int_equal(PUSH(UB_PLAN_CP, "./ConnMO/PX1/PX/ToConRef=ConnMO/Internet"), UB_E_POLICY);
	/* the device's own: fine, and any server may name them */
	assert_int_equal(PUSH(UB_PLAN_CP, "./ConnMO/PX1/PX/ToConRef=./ConnMO/NAP1",
			      "./ConnMO/NAP1/NAP/Addr=apn.device"),
			 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/b/ServerID=server-b",
			      "./DMAcc/b/PrefConRef=./ConnMO/PX1"),
			 0);
	ub_apply_result_free(&r);
}

/* A chain: a device proxy that an older version let name server-a's APN;
 * whoever names the proxy would reach server-a's APN and credentials
 * (server-b's account was applied). */
static void no_chain_to_another_party(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A), 0);
	assert_int_equal(
		sqlite3_exec(t->db,
			     "INSERT INTO node(uri, parent, format, value, source) VALUES"
			     "('./ConnMO/DevPX', './ConnMO', 'node', NULL, 'push'),"
			     "('./ConnMO/DevPX/PX', './ConnMO/DevPX', 'node', NULL, 'push'),"
			     "('./ConnMO/DevPX/PX/ToConRef', './ConnMO/DevPX/PX', 'chr', "
			     "'./ConnMO/DevNAP', 'push'),"
			     "('./ConnMO/DevNAP', './ConnMO', 'node', NULL, 'push'),"
			     "('./ConnMO/DevNAP/ToConRef', './ConnMO/DevNAP', 'chr', "
			     "'./ConnMO/Internet/NAP', 'push')",
			     NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/b/ServerID=server-b",
			      "./DMAcc/b/PrefConRef=./ConnMO/DevPX"),
			 UB_E_POLICY);
	assert_non_null(strstr(reason.what, "leads to ./ConnMO/Internet"));
	assert_null(value_of("./DMAcc/b/ServerID"));
	assert_int_equal(PUSH(UB_PLAN_CP, "./ConnMO/PX2/PX/ToConRef=./ConnMO/DevPX"), UB_E_POLICY);
	ub_apply_result_free(&r);
}

/* Pushed connectivity of the device never fills the tree: each
 * connectivity-only push replaces the earlier ones' (33 of them filled
 * the tree's capacity, and every later bootstrap was refused), but for
 * what an account still names, and a push of the same again changes
 * nothing. */
static void connectivity_pushes_replace(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	char l[4][64];
	int i, before;

	(void)state;
	assert_int_equal(PUSH(UB_PLAN_CP, "./ConnMO/N0/NAP/Addr=apn.0", "./ConnMO/P0/PX/Addr=p0",
			      "./ConnMO/P0/PX/ToConRef=./ConnMO/N0"),
			 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, "./DMAcc/a/ServerID=server-a",
			      "./DMAcc/a/PrefConRef=./ConnMO/N0"),
			 0);
	before = ub_tree_count(t);
	/* room for one such push more (9 nodes), not two */
	t->max_nodes = before + 9;
	for (i = 1; i <= 33; i++) {
		snprintf(l[0], sizeof(l[0]), "./ConnMO/N%d/NAP/Addr=apn.%d", i, i);
		snprintf(l[1], sizeof(l[1]), "./ConnMO/P%d/PX/ToConRef=./ConnMO/Q%d", i, i);
		snprintf(l[2], sizeof(l[2]), "./ConnMO/Q%d/PX/ToConRef=./ConnMO/P%d", i, i);
		if (PUSH(UB_PLAN_CP, l[0], l[1], l[2]))
			fail_msg("push %d: %s", i, reason.what);
	}
	/* N0, named by server-a's account, stays; P0 (4 nodes) went; the
	 * last push's 9 are there */
	assert_string_equal(value_of("./ConnMO/N0/NAP/Addr"), "apn.0");
	assert_null(value_of("./ConnMO/P0/PX/Addr"));
	assert_null(value_of("./ConnMO/N32/NAP/Addr"));
	assert_string_equal(value_of("./ConnMO/N33/NAP/Addr"), "apn.33");
	assert_int_equal(ub_tree_count(t), before - 4 + 9);
	/* the same again: nothing written */
	assert_int_equal(PUSH(UB_PLAN_CP, l[0], l[1], l[2]), 0);
	assert_true(r.unchanged);
	/* the card's bootstrap still fits */
	t->max_nodes = UB_TREE_NODES_MAX;
	assert_int_equal(card("89", "tests/fixtures/dm12-tnds.wbxml", "d1", false, &r), 0);
	ub_apply_result_free(&r);
}

/* One push holding Internet, Internet1 ... Internet999 (a 20 KiB CP
 * document) does not make a later ConnMO Internet fail for want of a
 * name ("no free name"): it goes to the next free one. */
static void rename_never_runs_out(void **state)
{
	struct ub_apply_result r = {0};
	const char **lines = calloc(1002, sizeof(*lines));
	struct ub_status reason = {0};
	char(*l)[32] = calloc(1001, sizeof(*l));
	struct ub_plan p;
	int i;

	(void)state;
	assert_non_null(lines);
	assert_non_null(l);
	for (i = 0; i < 1000; i++) {
		snprintf(l[i], sizeof(l[i]),
			 i ? "./ConnMO/Internet%d/ID=x" : "./ConnMO/Internet/ID=x", i);
		lines[i] = l[i];
	}
	assert_int_equal(boot_as(UB_PLAN_CP, "push", lines, &r, &reason), 0);
	assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A), 0);
	assert_string_equal(value_of("./DMAcc/a/PrefConRef"), "./ConnMO/Internet1000");
	assert_string_equal(value_of("./ConnMO/Internet1000/NAP/AuthInfo/AuthSecret"),
			    "a-apn-secret");
	/* names of this plan are not given twice either: Internet1 and
	 * Internet + 1 + 1, Internet11 */
	assert_int_equal(
		plan_lines(UB_PLAN_DM12,
			   LINES("./DMAcc/b/ServerID=server-b", "./ConnMO/Internet/ID=b",
				 "./ConnMO/Internet1/ID=b1", "./ConnMO/Internet10001/ID=c"),
			   &p, &reason),
		0);
	{
		struct ub_apply_opts o = {.source = "push"};

		assert_int_equal(ub_tree_apply(t, &p, &pol, &o, &r, &reason), 0);
	}
	ub_plan_free(&p);
	assert_int_equal(r.nrenamed, 2);
	assert_string_not_equal(r.renamed[0].to, r.renamed[1].to);
	free(lines);
	free(l);
	ub_apply_result_free(&r);
}

/* The steps SQLite took in full scans of a table, in the statements of
 * the tree's connection since the last call. */
static long long fullscan_steps(struct ub_tree *tr)
{
	sqlite3_stmt *st = NULL;
	long long n = 0;

	while ((st = sqlite3_next_stmt(tr->db, st)))
		n += sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
	return n;
}

/* A push of ConnMOs into a tree of 200 or 20000 leaves with values: the
 * checks that a name is free (named by another party?) and the removal
 * of what nothing names look references up by an index, so the rows
 * read in full scans do not grow with the tree (they read every value
 * inside the write transaction: one 18 KiB push on a full tree held the
 * write lock 16 s). */
static void reference_lookups_by_index(void **state)
{
	static const int sizes[] = {200, 20000};
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	long long steps[2];
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		char sql[400];

		assert_int_equal(
			sqlite3_exec(t->db, "DELETE FROM node WHERE uri <> '.'", NULL, NULL, NULL),
			SQLITE_OK);
		snprintf(sql, sizeof(sql),
			 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < "
			 "%d) INSERT INTO node(uri, parent, format, value, server, source) "
			 "SELECT './V' || i, '.', 'chr', CASE i %% 2 WHEN 0 THEN './ConnMO/Y' || "
			 "i ELSE 'v' END, 'server-v', 'import' FROM n",
			 sizes[k]);
		assert_int_equal(sqlite3_exec(t->db, sql, NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A, "./ConnMO/Y2/ID=y"), 0);
		fullscan_steps(t);
		assert_int_equal(PUSH(UB_PLAN_DM12, SERVER_A, "./DMAcc/a/Name=again",
				      "./ConnMO/Y4/ID=y", "./ConnMO/Z/ID=z"),
				 0);
		steps[k] = fullscan_steps(t);
	}
	if (steps[1] != steps[0])
		fail_msg("rows read in full scans: %lld with %d leaves, %lld with %d", steps[0],
			 sizes[0], steps[1], sizes[1]);
	ub_apply_result_free(&r);
}

/* --- sources: what a card may replace (SIM swap, a thief's card) --- */

/* operator-dm's account at the server addr, its secret, its ConnMO */
#define OPERATOR(addr, secret)                                                                \
	"./DMAcc/OperatorDM/ServerID=operator-dm", "./DMAcc/OperatorDM/AppAddr/1/Addr=" addr, \
		"./DMAcc/OperatorDM/AppAuth/1/AAuthSecret=" secret,                           \
		"./DMAcc/OperatorDM/PrefConRef=./ConnMO/Internet",                            \
		"./ConnMO/Internet/ID=internet.operator.example"
#define OPERATOR_A OPERATOR("https://dm.operator.example/dm", "operator-secret")
#define THIEF OPERATOR("https://dm.thief.example/dm", "thief-secret")
#define SAME_HOST OPERATOR("https://dm.operator.example/dm", "card-secret")

/* The plan of lines applied as a card's power-on: source iccid:<iccid>,
 * digest as given, supersede (remove_stale = yes or data present). */
static int card_as(const char *iccid, const char *digest, const char *const *lines,
		   struct ub_apply_result *r, struct ub_status *reason)
{
	char src[64];
	struct ub_apply_opts o = {.digest = digest, .supersede = true};
	struct ub_plan p;
	int err;

	snprintf(src, sizeof(src), "iccid:%s", iccid);
	o.source = src;
	ub_status_clear(reason);
	err = plan_lines(UB_PLAN_DM12, lines, &p, reason);
	if (!err)
		err = ub_tree_apply(t, &p, &pol, &o, r, reason);
	ub_plan_free(&p);
	return err;
}
#define CARD(iccid, digest, ...) card_as(iccid, digest, LINES(__VA_ARGS__), &r, &reason)

/* What factory apply, an import and a push wrote is not a card's: a
 * thief's card naming its ServerID does not take it over, at the thief's
 * host or at the same host, unless [smartcard] replace_accounts says so. */
static void card_replaces_only_cards(void **state)
{
	static const char *const sources[] = {"factory", "import", "push"};
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};
	char want[200];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		ub_policy_defaults(&pol);
		assert_int_equal(boot_as(UB_PLAN_DM12, sources[i], LINES(OPERATOR_A), &r, &reason),
				 0);
		assert_int_equal(CARD("8999", "t1", THIEF), UB_E_POLICY);
		snprintf(want, sizeof(want),
			 "./DMAcc/OperatorDM (ServerID operator-dm) was written by %s", sources[i]);
		assert_non_null(strstr(reason.what, want));
		assert_non_null(strstr(reason.what, "[smartcard] replace_accounts"));
		assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"),
				    "operator-secret");
		/* the same host: still not a card's to replace */
		assert_int_equal(CARD("8999", "t2", SAME_HOST), UB_E_POLICY);
		/* same_server: the same host replaces, another does not */
		pol.card_replace = UB_CARD_REPLACE_SAME_SERVER;
		assert_int_equal(CARD("8999", "t1", THIEF), UB_E_POLICY);
		assert_non_null(strstr(reason.what, "dm.thief.example"));
		assert_string_equal(value_of("./DMAcc/OperatorDM/AppAddr/1/Addr"),
				    "https://dm.operator.example/dm");
		assert_int_equal(CARD("8999", "t2", SAME_HOST), 0);
		assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"),
				    "card-secret");
		/* yes: whatever wrote it */
		assert_int_equal(ub_tree_forget_source(t, "iccid:8999", &r, &reason), 0);
		assert_int_equal(boot_as(UB_PLAN_DM12, sources[i], LINES(OPERATOR_A), &r, &reason),
				 0);
		pol.card_replace = UB_CARD_REPLACE_YES;
		assert_int_equal(CARD("8999", "t1", THIEF), 0);
		assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"),
				    "thief-secret");
		assert_int_equal(ub_tree_forget_source(t, "iccid:8999", &r, &reason), 0);
		assert_null(value_of("./DMAcc/OperatorDM/ServerID"));
	}
	ub_policy_defaults(&pol);
	ub_apply_result_free(&r);
}

/* Another card's account of the same ServerID: replaced only by the same
 * server (every address at the new account's host), or when [servers]
 * allow pins the ServerID to the host the new card names. */
static void card_replaces_card_of_same_server(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(CARD("8901", "a1", OPERATOR_A), 0);
	assert_int_equal(CARD("8999", "t1", THIEF), UB_E_POLICY);
	assert_non_null(strstr(reason.what, "./DMAcc/OperatorDM (ServerID operator-dm, written by "
					    "iccid:8901) is not replaced"));
	assert_non_null(strstr(reason.what, "same server"));
	assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"),
			    "operator-secret");
	/* the operator's new card: the same server */
	assert_int_equal(
		CARD("8902", "a2", OPERATOR("https://DM.operator.example:8443/dm", "new-secret")),
		0);
	assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"), "new-secret");
	/* the operator moves to another host: pinned, its card replaces */
	assert_int_equal(CARD("8903", "a3", OPERATOR("https://dm2.operator.example/dm", "s3")),
			 UB_E_POLICY);
	assert_int_equal(ub_policy_load(&pol, "/dev/null", true, &reason), 0);
	snprintf(pol.servers[0], sizeof(pol.servers[0]), "operator-dm");
	snprintf(pol.server_hosts[0], sizeof(pol.server_hosts[0]), "dm2.operator.example");
	pol.nservers = 1;
	assert_int_equal(CARD("8903", "a3", OPERATOR("https://dm2.operator.example/dm", "s3")), 0);
	assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"), "s3");
	ub_policy_defaults(&pol);
	ub_apply_result_free(&r);
}

/* "unchanged" only while the source owns what it wrote: card A, a card
 * that replaces A's account (the policy lets it), A again is applied and
 * A's account is back (it was "unchanged", pointing at the other). */
static void replaced_source_not_unchanged(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_status reason = {0};

	(void)state;
	pol.card_replace = UB_CARD_REPLACE_YES;
	assert_int_equal(CARD("8901", "a1", OPERATOR_A), 0);
	assert_int_equal(CARD("8999", "t1", THIEF), 0);
	assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"), "thief-secret");
	assert_int_equal(CARD("8901", "a1", OPERATOR_A), 0);
	assert_false(r.unchanged);
	assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"),
			    "operator-secret");
	/* and now it owns it again: unchanged, its server's change kept */
	assert_int_equal(ub_tree_replace_as(t, "operator-dm",
					    "./DMAcc/OperatorDM/AppAuth/1/AAuthSecret", "rotated"),
			 0);
	assert_int_equal(CARD("8901", "a1", OPERATOR_A), 0);
	assert_true(r.unchanged);
	assert_string_equal(value_of("./DMAcc/OperatorDM/AppAuth/1/AAuthSecret"), "rotated");
	ub_policy_defaults(&pol);
	ub_apply_result_free(&r);
}

/* A card change takes nothing away (remove_absent_cards only when the
 * policy asks); the owner forgets a card's data with ub_tree_forget_source. */
/* The writers' names: one table, read back by the one parse (what tree
 * forget takes, what the replace rules sort by). */
static void source_names(void **state)
{
	static const struct {
		const char *s;
		bool named;
		enum ub_source kind;
	} v[] = {
		{"push", true, UB_SRC_PUSH},
		{"import", true, UB_SRC_IMPORT},
		{"factory", true, UB_SRC_FACTORY},
		{"iccid:8949440000001234567", true, UB_SRC_CARD},
		{"iccid:894944000000123456F", true, UB_SRC_CARD},
		{"iccid:89494400000012345678F", false, UB_SRC_CARD}, /* 21 digits */
		{"iccid:8949440000001234567/lwm2m", false, UB_SRC_CARD},
		{"iccid:", false, UB_SRC_CARD},
		{"iccid:89x", false, UB_SRC_CARD},
		{"Push", false, UB_SRC_DEVICE},
		{"pushed", false, UB_SRC_DEVICE},
		{"", false, UB_SRC_DEVICE},
		{NULL, false, UB_SRC_DEVICE},
	};
	enum ub_source k;
	size_t i;
	int j;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		k = UB_SRC_KINDS;
		assert_int_equal(ub_source_parse(v[i].s, &k), v[i].named);
		assert_int_equal(k, v[i].kind);
	}
	for (j = 0; j < UB_SRC_KINDS; j++) {
		const char *n = ub_source_name(j);

		assert_non_null(ub_source_what(j));
		if (j == UB_SRC_DEVICE) {
			assert_null(n);
		} else if (j != UB_SRC_CARD) {
			assert_true(ub_source_parse(n, &k));
			assert_int_equal(k, j);
		}
	}
	assert_string_equal(ub_source_name(UB_SRC_CARD), "iccid:");
	assert_string_equal(ub_source_what(UB_SRC_DEVICE), "the device");
}

static void card_change_takes_nothing(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_apply_opts plain = {.source = "iccid:8900", .supersede = true};
	struct ub_status reason = {0};

	(void)state;
	assert_int_equal(CARD("8901", "a1", OPERATOR_A), 0);
	/* a SIM without bootstrap: its own (nothing) superseded, A's stays */
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &plain, &r, &reason), 0);
	assert_int_equal(r.nremoved, 0);
	assert_string_equal(value_of("./DMAcc/OperatorDM/ServerID"), "operator-dm");
	assert_int_equal(ub_tree_forget_source(t, "iccid:8901", &r, &reason), 0);
	assert_int_equal(r.nremoved, 2);
	assert_string_equal(r.removed[0], "./ConnMO/Internet");
	assert_string_equal(r.removed[1], "./DMAcc/OperatorDM");
	assert_null(value_of("./DMAcc/OperatorDM/ServerID"));
	assert_int_equal(ub_tree_forget_source(t, "iccid:8901", &r, &reason), UB_E_NOT_FOUND);
	assert_non_null(strstr(reason.what, "nothing that iccid:8901 wrote"));
	/* forgotten: the card again is applied, not "unchanged" */
	assert_int_equal(CARD("8901", "a1", OPERATOR_A), 0);
	assert_false(r.unchanged);
	ub_apply_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(schema_and_acl, setup, teardown),
		cmocka_unit_test_setup_teardown(apply_then_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(connmo_rename_and_isolation, setup, teardown),
		cmocka_unit_test_setup_teardown(cp_and_dm11, setup, teardown),
		cmocka_unit_test_setup_teardown(card_provenance, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_is_atomic, setup, teardown),
		cmocka_unit_test_setup_teardown(migrate_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(migrate_v2_containers, setup, teardown),
		cmocka_unit_test_setup_teardown(removal_never_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(concurrent_first_open, setup, teardown),
		cmocka_unit_test_setup_teardown(capacity, setup, teardown),
		cmocka_unit_test_setup_teardown(tnds_round_trip_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(tnds_masked_export_refused, setup, teardown),
		cmocka_unit_test(tnds_refusals),
		cmocka_unit_test_setup_teardown(export_imports_again, setup, teardown),
		cmocka_unit_test_setup_teardown(bootstrap_connmo_acl, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_containers_import_again, setup, teardown),
		cmocka_unit_test_setup_teardown(import_connmo_owner_is_its_acl, setup, teardown),
		cmocka_unit_test_setup_teardown(dangling_reference_not_handed_over, setup,
						teardown),
		cmocka_unit_test_setup_teardown(relative_reference_to_other_connmo, setup,
						teardown),
		cmocka_unit_test_setup_teardown(relative_reference_follows_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(relative_dangling_reference_not_handed_over, setup,
						teardown),
		cmocka_unit_test_setup_teardown(relative_reference_keeps_connmo, setup, teardown),
		cmocka_unit_test_setup_teardown(one_spelling, setup, teardown),
		cmocka_unit_test_setup_teardown(migrate_v5_references, setup, teardown),
		cmocka_unit_test_setup_teardown(device_connectivity_is_a_party, setup, teardown),
		cmocka_unit_test_setup_teardown(no_chain_to_another_party, setup, teardown),
		cmocka_unit_test_setup_teardown(connectivity_pushes_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(rename_never_runs_out, setup, teardown),
		cmocka_unit_test_setup_teardown(reference_lookups_by_index, setup, teardown),
		cmocka_unit_test_setup_teardown(card_replaces_only_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(card_replaces_card_of_same_server, setup, teardown),
		cmocka_unit_test_setup_teardown(replaced_source_not_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(card_change_takes_nothing, setup, teardown),
		cmocka_unit_test(source_names),
	};

	return cmocka_run_group_tests_name("device tree", tests, NULL, NULL);
}
