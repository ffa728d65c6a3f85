/* libFuzzer target with an isolation oracle: a tree seeded with server A
 * (a DM 1.2 and a DM 1.1 account, a ConnMO each, from A's card) and
 * server C (an account and a ConnMO from a push; the account also names
 * ./ConnMO/Free, which nothing holds); A's card also wrote
 * LwM2M Instances (iccid:A/lwm2m, owned by lwm2m:101 and lwm2m:bootstrap),
 * which no owner the plan names; a fuzzed plan applied as
 * server B, as a push, a card or an import.  Whatever the plan holds (it
 * may name A's accounts, A's ConnMOs or A's ServerID, containers, ACLs,
 * long or deep URIs), afterwards:
 *   - a refused apply left the tree as it was, every row of it,
 *   - a plan that does not name A (by an account's ServerID): A's nodes
 *     are byte-identical (every column of every row A owns), and no node
 *     is A's that was not, but for the new rows of a ConnMO that an
 *     import's owner ACL gives A; and
 *     so for every owner the plan does not name, but for what a card
 *     removed now wrote (and nothing of that stays),
 *   - a plan that names A, applied as a push that replaces only what
 *     pushes wrote (pushed_only, as boot/push.c sets it for a push without
 *     GBA under the default policy): what A's card wrote is byte-identical,
 *   - nothing that is not A's sits directly under a node of A,
 *   - the containers are still the device's,
 *   - every node has its parent, and every URI is within the bounds,
 *   - but after an import: no leaf of a server (a secret aside) names
 *     another server's ConnMO,
 *   - after an apply that succeeded: every account has its ServerID leaf
 *     and every node of an account is owned by that ServerID, every node
 *     of a ConnMO by the ConnMO's owner; the export of the whole tree
 *     (secrets too) imports into an empty tree, as `tree import` does, and
 *     the copy exports byte for byte the same, every node with the same
 *     owner.
 *
 * Input: byte 0 chooses the plan kind (bits 0-1: DM 1.2, 1.1, CP; 3 is
 * DM 1.2 with [push] replace_card_accounts = yes), the source (push, card,
 * import: (byte >> 2) % 3), a GBA push's NAF (bit 5; for a card: A's card
 * is gone) and the conflict policies (bits 6, 7); then lines "URI\tFORMAT\tVALUE\tACL\tTYPE"
 * (no VALUE: an interior node; no FORMAT: chr; an empty VALUE followed by
 * ACL or TYPE: none; ACL and Type trimmed of XML white space, as every
 * decoder reads them).  A plan whose first URI is under ./LwM2M is an
 * LwM2M plan (a card's: iccid:B/lwm2m). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dm_names.h"
#include "store.h"
#include "tree.h"
#include "tree_internal.h"
#include "ub_apply.h"
#include "ub_plan.h"
#include "ub_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define A "server-a"
#define CONTAINERS                                                                               \
	"('.', './DMAcc', './ConnMO', './SyncML', './SyncML/DMAcc', './SyncML/Con', './LwM2M', " \
	"'./LwM2M/0', './LwM2M/1')"
/* the account and ConnMO containers, and an account's ServerID leaf */
#define ACCOUNTS "('./DMAcc', './SyncML/DMAcc')"
#define CONNMOS "('./ConnMO', './SyncML/Con')"
#define SERVER_LEAF(a) "CASE " a ".parent WHEN './DMAcc' THEN 'ServerID' ELSE 'ServerId' END"
/* n is a or below it */
#define IN_SUBTREE(n, a)                                                              \
	"(" n ".uri = " a ".uri OR (" n ".uri >= " a ".uri || '/' AND " n ".uri < " a \
	".uri || '0'))"

static struct ub_tree *t, *copy;
static sqlite3 *pristine, *empty;
static char *a_before, *a_card_before, *containers_before, *all_before;

static const char *const seed[][4] = {
	{"./DMAcc/A", "node", NULL},
	{"./DMAcc/A/ServerID", "chr", A},
	{"./DMAcc/A/AppAddr/1/Addr", "chr", "https://a.example/dm"},
	{"./DMAcc/A/AppAuth/1/AAuthSecret", "chr", "a-secret"},
	{"./DMAcc/A/PrefConRef", "chr", "./ConnMO/Internet"},
	{"./ConnMO/Internet/ID", "chr", "internet.a.example"},
	{"./ConnMO/Internet/NAP/AuthInfo/AuthSecret", "chr", "a-apn-secret"},
};

static const char *const seed11[][4] = {
	{"./SyncML/DMAcc/A", "node", NULL},
	{"./SyncML/DMAcc/A/ServerId", "chr", A},
	{"./SyncML/DMAcc/A/Addr", "chr", "http://a.example/"},
	{"./SyncML/DMAcc/A/ConRef", "chr", "./SyncML/Con/gprs"},
	{"./SyncML/Con/gprs/NAP/Addr", "chr", "apn.a.example"},
};

static const char *const seed_lwm2m[][4] = {
	{"./LwM2M/0/0", "node", NULL, "urn:oma:lwm2m:oma:0"},
	{"./LwM2M/0/0/0", "chr", "coaps://a.example:5684", "String"},
	{"./LwM2M/0/0/1", "bool", "false", "Boolean"},
	{"./LwM2M/0/0/2", "int", "0", "Integer"},
	{"./LwM2M/0/0/5", "b64", "YS1wc2s=", "Opaque"},
	{"./LwM2M/0/0/10", "int", "101", "Integer"},
	{"./LwM2M/0/1", "node", NULL, "urn:oma:lwm2m:oma:0"},
	{"./LwM2M/0/1/0", "chr", "coaps://bs.a.example:5684", "String"},
	{"./LwM2M/0/1/1", "bool", "true", "Boolean"},
	{"./LwM2M/0/1/2", "int", "3", "Integer"},
	{"./LwM2M/1/0", "node", NULL, "urn:oma:lwm2m:oma:1"},
	{"./LwM2M/1/0/0", "int", "101", "Integer"},
	{"./LwM2M/1/0/1", "int", "86400", "Unsigned Integer"},
};

/* a pushed account: a push may replace it */
static const char *const seed_c[][4] = {
	{"./DMAcc/C", "node", NULL},
	{"./DMAcc/C/ServerID", "chr", "server-c"},
	{"./DMAcc/C/AppAddr/1/Addr", "chr", "https://b.example/dm"},
	{"./DMAcc/C/PrefConRef", "chr", "./ConnMO/C"},
	/* a reference to a ConnMO nothing holds yet: no other server's
	 * ConnMO may come to sit there */
	{"./DMAcc/C/ToConRef/1/ConRef", "chr", "./ConnMO/Free"},
	{"./ConnMO/C/ID", "chr", "apn.c.example"},
};

static int add_node(struct ub_plan *p, const char *uri, const char *format, const char *value,
		    const char *acl, const char *type)
{
	struct ub_plan_node *n;

	n = realloc(p->nodes, (p->nnodes + 1) * sizeof(*n));
	if (!n)
		return -1;
	p->nodes = n;
	n = &p->nodes[p->nnodes++];
	memset(n, 0, sizeof(*n));
	n->uri = strdup(uri);
	n->format = strdup(format);
	n->value = value ? strdup(value) : NULL;
	n->acl = acl ? strdup(acl) : NULL;
	n->type = type ? strdup(type) : NULL;
	n->mo = -1;
	return n->uri && n->format && (!value || n->value) && (!acl || n->acl) && (!type || n->type)
		       ? 0
		       : -1;
}

static void apply_seed(const char *const (*nodes)[4], size_t n, enum ub_plan_kind kind,
		       const char *source)
{
	struct ub_plan p = {.kind = kind};
	struct ub_apply_opts o = {.source = source};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	char why[300];
	size_t i;

	ub_policy_defaults(&pol);
	for (i = 0; i < n; i++)
		if (add_node(&p, nodes[i][0], nodes[i][1], nodes[i][2], NULL, nodes[i][3]))
			abort();
	if (ub_plan_model(&p, UB_MODEL_BOOTSTRAP, why, sizeof(why)) ||
	    ub_tree_apply(t, &p, &pol, &o, &r, why, sizeof(why))) {
		fprintf(stderr, "seed: %s\n", why);
		abort();
	}
	ub_apply_result_free(&r);
	ub_plan_free(&p);
}

/* The 8 columns of st's row, a line. */
static void put_row(FILE *fp, sqlite3_stmt *st)
{
	int i;

	for (i = 0; i < 8; i++) {
		const unsigned char *v = sqlite3_column_text(st, i);

		fprintf(fp, "%s\t", v ? (const char *)v : "(null)");
	}
	fputc('\n', fp);
}

/* Every column of the rows that sql (over node) selects, by URI. */
static char *dump(struct ub_tree *tr, const char *where)
{
	sqlite3_stmt *st;
	char *out = NULL, sql[512];
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	snprintf(sql, sizeof(sql),
		 "SELECT uri, parent, format, type, value, acl, server, source FROM node "
		 "WHERE %s ORDER BY uri",
		 where);
	if (!fp || sqlite3_prepare_v2(tr->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW)
		put_row(fp, st);
	sqlite3_finalize(st);
	fclose(fp);
	return out;
}

/* A row an import wrote into a ConnMO, in C and in SQL. */
static bool imported_connmo_row(const char *uri, const char *source)
{
	return source && !strcmp(source, "import") &&
	       (!strncmp(uri, "./ConnMO/", 9) || !strncmp(uri, "./SyncML/Con/", 13));
}
#define IMPORTED_CONNMO_ROW \
	"(source IS 'import' AND (uri LIKE './ConnMO/%' OR uri LIKE './SyncML/Con/%'))"

/* Every column of the rows of owners not in named[] (NULL-terminated),
 * but those that source gone wrote, and the rows an import added to a
 * ConnMO of an owner in acl_named[]. */
static char *unnamed(sqlite3 *db, const char *const *named, const char *const *acl_named,
		     const char *gone)
{
	sqlite3_stmt *st;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	const char *const *k;

	if (!fp ||
	    sqlite3_prepare_v2(db,
			       "SELECT uri, parent, format, type, value, acl, server, source "
			       "FROM node WHERE server IS NOT NULL ORDER BY uri",
			       -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *server = (const char *)sqlite3_column_text(st, 6);
		const char *source = (const char *)sqlite3_column_text(st, 7);

		for (k = named; *k && strcmp(*k, server); k++)
			;
		/* a card gone takes its LwM2M source (<card>/lwm2m) with it */
		if (*k || (gone && source && !strncmp(source, gone, strlen(gone)) &&
			   (!source[strlen(gone)] || source[strlen(gone)] == '/')))
			continue;
		/* what an import added to a ConnMO its ACL gives this server:
		 * new (no row of the seed comes from an import); the server's
		 * rows from before must still be there, unchanged */
		for (k = acl_named; *k && strcmp(*k, server); k++)
			;
		if (*k && imported_connmo_row((const char *)sqlite3_column_text(st, 0), source))
			continue;
		put_row(fp, st);
	}
	sqlite3_finalize(st);
	fclose(fp);
	return out;
}

/* Every row A owns, and the containers. */
static char *dump_a(void)
{
	return dump(t, "server = '" A "' OR uri IN " CONTAINERS);
}

/* The first URI that sql selects, or NULL. */
static char *first(struct ub_tree *tr, const char *sql)
{
	sqlite3_stmt *st;
	char *uri = NULL;

	if (sqlite3_prepare_v2(tr->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		uri = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return uri;
}

static int count(const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	if (sqlite3_prepare_v2(t->db, sql, -1, &st, NULL) != SQLITE_OK)
		abort();
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void restore(struct ub_tree *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to->db, "main", from, "main");

	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
}

static sqlite3 *snapshot(struct ub_tree *of)
{
	sqlite3 *db;
	sqlite3_backup *b;

	if (sqlite3_open(":memory:", &db) != SQLITE_OK)
		abort();
	b = sqlite3_backup_init(db, "main", of->db, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
	return db;
}

static void init(void)
{
	static char dir[] = "/dev/shm/ub-fuzz-isolation-XXXXXX";
	char path[64];

	/* a directory of our own: a tree's may be written by nobody else */
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/tree.db", dir);
	if (ub_tree_open(path, &t))
		abort();
	snprintf(path, sizeof(path), "%s/copy.db", dir);
	if (ub_tree_open(path, &copy))
		abort();
	empty = snapshot(copy);
	apply_seed(seed, sizeof(seed) / sizeof(seed[0]), UB_PLAN_DM12, "iccid:A");
	apply_seed(seed11, sizeof(seed11) / sizeof(seed11[0]), UB_PLAN_DM11, "iccid:A");
	apply_seed(seed_c, sizeof(seed_c) / sizeof(seed_c[0]), UB_PLAN_DM12, "push");
	apply_seed(seed_lwm2m, sizeof(seed_lwm2m) / sizeof(seed_lwm2m[0]), UB_PLAN_LWM2M,
		   "iccid:A/lwm2m");
	pristine = snapshot(t);
	a_before = dump_a();
	a_card_before = dump(t, "source = 'iccid:A'");
	containers_before = dump(t, "uri IN " CONTAINERS);
	all_before = dump(t, "1");
}

static char *trim(char *s)
{
	char *e;

	for (; *s == ' ' || *s == '\t' || *s == '\r'; s++)
		;
	for (e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
		;
	*e = '\0';
	return s;
}

/* The fuzzed plan: lines "URI\tFORMAT\tVALUE\tACL\tTYPE". */
static int parse(const uint8_t *data, size_t size, struct ub_plan *p)
{
	char *text = malloc(size + 1), *line, *save = NULL, *f[4], *cur;
	const char *format;
	int k;

	if (!text)
		return -1;
	memcpy(text, data, size);
	text[size] = '\0';
	if (strlen(text) != size) {
		free(text);
		return -1; /* NUL inside */
	}
	for (line = strtok_r(text, "\n", &save); line && p->nnodes < UB_NODES_MAX;
	     line = strtok_r(NULL, "\n", &save)) {
		/* f[0] FORMAT, f[1] VALUE, f[2] ACL, f[3] TYPE */
		for (k = 0, cur = line; k < 4; k++, cur = f[k - 1])
			if ((f[k] = cur ? strchr(cur, '\t') : NULL))
				*f[k]++ = '\0';
		if (f[1] && !*f[1] && f[2])
			f[1] = NULL; /* no value, an ACL or a Type */
		if (f[2] && !*(f[2] = trim(f[2])))
			f[2] = NULL;
		if (f[3] && !*(f[3] = trim(f[3])))
			f[3] = NULL;
		format = f[0] && *f[0] ? f[0] : f[1] ? "chr" : "node";
		if (add_node(p, line, format, f[1], f[2], f[3])) {
			free(text);
			return -1;
		}
	}
	free(text);
	return 0;
}

static void found(const char *what, const char *detail, const char *why)
{
	fprintf(stderr, "isolation: %s%s%s\n(apply: %s)\n", what, detail ? ": " : "",
		detail ? detail : "", why);
	__builtin_trap();
}

/* The tree's export, secrets too; its length in *len. */
static char *export_of(struct ub_tree *tr, size_t *len, const char *why)
{
	char *out = NULL;
	FILE *fp = open_memstream(&out, len);
	int err;

	if (!fp)
		abort();
	err = ub_tree_export_tnds(tr, ".", true, fp);
	if (fclose(fp))
		abort();
	if (err)
		found("the tree does not export", tr == t ? "the tree" : "the copy", why);
	return out;
}

/* Each node's URI and owner (the server column). */
static char *owners_of(struct ub_tree *tr)
{
	sqlite3_stmt *st;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	if (!fp || sqlite3_prepare_v2(
			   tr->db, "SELECT uri, ifnull(server, '(device)') FROM node ORDER BY uri",
			   -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(fp, "%s\t%s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	fclose(fp);
	return out;
}

/* export -> import into an empty tree (as `tree import`) -> export: the
 * same document, every node with the same owner. */
static void round_trip(const char *applied)
{
	struct ub_apply_opts o = {.source = "import"};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	struct ub_plan p;
	char why[400], *x1, *x2, *o1, *o2;
	size_t n1, n2;

	ub_policy_defaults(&pol);
	restore(copy, empty);
	x1 = export_of(t, &n1, applied);
	if (ub_plan_from_tnds(x1, n1, &p, why, sizeof(why))) {
		fprintf(stderr, "%s", x1);
		found("the export does not read back", why, applied);
	}
	if (ub_tree_apply(copy, &p, &pol, &o, &r, why, sizeof(why))) {
		fprintf(stderr, "%s", x1);
		found("the export does not import", why, applied);
	}
	ub_apply_result_free(&r);
	ub_plan_free(&p);
	x2 = export_of(copy, &n2, applied);
	if (n1 != n2 || memcmp(x1, x2, n1)) {
		fprintf(stderr, "--- export\n%s--- its import's export\n%s", x1, x2);
		found("the import of the export exports otherwise", NULL, applied);
	}
	o1 = owners_of(t);
	o2 = owners_of(copy);
	if (strcmp(o1, o2)) {
		fprintf(stderr, "--- the tree\n%s--- its copy\n%s", o1, o2);
		found("export -> import changed an owner", NULL, applied);
	}
	free(o1);
	free(o2);
	free(x1);
	free(x2);
}

/* The account model in the tree: every account has its ServerID leaf and
 * all of it is that ServerID's; all of a ConnMO is its root's owner's. */
static void owners(const char *applied)
{
	char *u;

	if ((u = first(t, "SELECT a.uri FROM node a WHERE a.parent IN " ACCOUNTS
			  " AND NOT EXISTS (SELECT 1 FROM node s WHERE s.uri = a.uri || '/' "
			  "|| " SERVER_LEAF("a") " AND s.parent = a.uri AND s.format <> 'node')")))
		found("an account without its ServerID", u, applied);
	if ((u = first(t, "SELECT n.uri FROM node a JOIN node s ON s.uri = a.uri || '/' || "
			  "" SERVER_LEAF("a") " JOIN node n ON " IN_SUBTREE(
				  "n", "a") " WHERE "
					    "a.parent IN " ACCOUNTS
					    " AND n.server IS NOT s.value LIMIT 1")))
		found("a node of an account not owned by its ServerID", u, applied);
	if ((u = first(t, "SELECT n.uri FROM node c JOIN node n ON n.uri >= c.uri || '/' AND "
			  "n.uri < c.uri || '0' WHERE c.parent IN " CONNMOS
			  " AND n.server IS NOT c.server LIMIT 1")))
		found("a node of a ConnMO not owned as its root", u, applied);
}

static void same(const char *what, const char *before, char *after, const char *why)
{
	if (strcmp(before, after)) {
		fprintf(stderr, "--- before\n%s--- after\n%s", before, after);
		found(what, NULL, why);
	}
	free(after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ub_plan_kind kinds[] = {UB_PLAN_DM12, UB_PLAN_DM11, UB_PLAN_CP,
						  UB_PLAN_DM12};
	static const char *const present[] = {"iccid:A"};
	static const char *named[UB_NODES_MAX + 1], *acl_named[UB_NODES_MAX + 1];
	const char *gone = NULL;
	struct ub_plan p = {0};
	struct ub_apply_opts o = {0};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	char why[400];
	const char *s;
	size_t i, k;
	bool import, names_a = false, a_by_acl = false;
	int err;

	if (!t)
		init();
	if (size < 1 || size > 8192)
		return 0;
	p.kind = kinds[data[0] & 3];
	import = (data[0] >> 2) % 3 == 2;
	err = parse(data + 1, size - 1, &p);
	if (!err && p.nnodes && !strncmp(p.nodes[0].uri, "./LwM2M/", 8))
		p.kind = UB_PLAN_LWM2M; /* what the card's LwM2M file maps to */
	if (err ||
	    ub_plan_model(&p, import ? UB_MODEL_IMPORT : UB_MODEL_BOOTSTRAP, why, sizeof(why))) {
		ub_plan_free(&p);
		return 0;
	}
	for (i = 0; (s = ub_plan_server(&p, i)); i++) {
		named[i] = s;
		if (!strcmp(s, A))
			names_a = true; /* A's own bootstrap, or one that says so */
	}
	named[i] = NULL;
	/* an import gives a ConnMO to the server its owner ACL names, with
	 * or without that server's account: that server may gain the
	 * ConnMO's new rows, and nothing else of it may change */
	for (i = k = 0; import && k < p.nmos; k++)
		if (p.mos[k].kind == UB_MO_CONNMO && p.mos[k].server_id) {
			acl_named[i++] = p.mos[k].server_id;
			a_by_acl |= !strcmp(p.mos[k].server_id, A);
		}
	acl_named[i] = NULL;
	ub_policy_defaults(&pol);
	if (data[0] & 0x40)
		pol.account = UB_CONFLICT_REJECT;
	if (data[0] & 0x80)
		pol.connmo = UB_CONFLICT_REJECT;
	if ((data[0] & 0x20) && (data[0] >> 2) % 3 != 1)
		o.naf_host = "b.example";
	switch ((data[0] >> 2) % 3) {
	case 0:
		o.source = "push";
		/* as boot/push.c: a push without GBA, under replace_card_accounts
		 * = gba (the default), replaces only what pushes wrote; kind 3:
		 * replace_card_accounts = yes */
		o.pushed_only = !o.naf_host && (data[0] & 3) != 3;
		break;
	case 1: /* B's card, A's card inserted too (bit 5: A's card gone) */
		o.source = p.kind == UB_PLAN_LWM2M ? "iccid:B/lwm2m" : "iccid:B";
		o.supersede = true;
		o.remove_absent_cards = true;
		if (data[0] & 0x20)
			gone = present[0];
		else
			o.present = present, o.npresent = 1;
		o.digest = "00";
		break;
	default:
		o.source = "import";
	}
	err = ub_tree_apply(t, &p, &pol, &o, &r, why, sizeof(why));
	ub_apply_result_free(&r);

	if (err)
		same("a refused apply changed the tree", all_before, dump(t, "1"), why);
	if (!names_a && !gone)
		same("A's nodes changed", a_before,
		     a_by_acl ? dump(t, "(server = '" A "' AND NOT " IMPORTED_CONNMO_ROW
					") OR uri IN " CONTAINERS)
			      : dump_a(),
		     why);
	else if (names_a && o.pushed_only)
		same("a push replaced what A's card wrote", a_card_before,
		     dump(t, "source = 'iccid:A'"), why);
	if (gone && !err &&
	    count("SELECT count(*) FROM node WHERE source IN ('iccid:A', 'iccid:A/lwm2m')"))
		found("a removed card's node stayed", NULL, why);
	{
		char *before = unnamed(pristine, named, acl_named, gone);

		same("the nodes of a server the plan does not name changed", before,
		     unnamed(t->db, named, acl_named, gone), why);
		free(before);
	}
	ub_plan_free(&p); /* named[] and acl_named[] point into it */
	same("the containers changed", containers_before, dump(t, "uri IN " CONTAINERS), why);
	if (count("SELECT count(*) FROM node c JOIN node q ON q.uri = c.parent "
		  "WHERE q.server = '" A "' AND c.server IS NOT '" A "'"))
		found("something not A's under A's", NULL, why);
	if (count("SELECT count(*) FROM node c LEFT JOIN node q ON q.uri = c.parent "
		  "WHERE c.uri <> '.' AND q.uri IS NULL"))
		found("an orphan", NULL, why);
	if (!import) { /* a server's leaf names no other server's ConnMO */
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(t->db,
				       "SELECT r.uri FROM node r JOIN node c ON c.uri = r.value "
				       "WHERE c.parent IN " CONNMOS " AND r.format <> 'node' AND "
				       "r.server IS NOT NULL AND c.server IS NOT NULL AND "
				       "r.server <> c.server",
				       -1, &st, NULL) != SQLITE_OK)
			abort();
		while (sqlite3_step(st) == SQLITE_ROW)
			if (!ub_dm_is_secret((const char *)sqlite3_column_text(st, 0)))
				found("a server's node names another server's ConnMO",
				      (const char *)sqlite3_column_text(st, 0), why);
		sqlite3_finalize(st);
	}
	{
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(t->db, "SELECT uri FROM node", -1, &st, NULL) != SQLITE_OK)
			abort();
		while (sqlite3_step(st) == SQLITE_ROW)
			if (ub_uri_check((const char *)sqlite3_column_text(st, 0), NULL, 0))
				found("out of bounds", (const char *)sqlite3_column_text(st, 0),
				      why);
		sqlite3_finalize(st);
	}
	if (!err) {
		owners(why);
		round_trip(why);
	}
	restore(t, pristine);
	return 0;
}
