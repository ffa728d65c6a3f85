/* libFuzzer target with an isolation oracle: a tree seeded with server A
 * (a DM 1.2 and a DM 1.1 account, a ConnMO each, from A's card); a fuzzed
 * plan applied as server B, as a push, a card or an import.  Whatever B's
 * plan holds (it may name A's accounts, A's ConnMOs, containers, long or
 * deep URIs), afterwards:
 *   - A's nodes are byte-identical (every column of every row A owns),
 *   - nothing that is not A's sits directly under a node of A,
 *   - the containers are still the device's,
 *   - every node has its parent, and every URI is within the bounds.
 *
 * A's card also wrote LwM2M Instances (iccid:A/lwm2m, owned by lwm2m:101
 * and lwm2m:bootstrap): they too stay byte-identical.
 *
 * Input: byte 0 chooses the plan kind (DM 1.2, 1.1, CP, LwM2M), the source
 * (push, card, import) and the conflict policy; then lines
 * "URI\tFORMAT\tVALUE[\tTYPE]" (no VALUE: an interior node; no FORMAT:
 * chr).  Plans that name A's ServerID for one of their accounts are
 * skipped: those are A's own. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "tree.h"
#include "tree_internal.h"
#include "ub_apply.h"
#include "ub_plan.h"
#include "ub_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define A "server-a"

static struct ub_tree *t;
static sqlite3 *pristine;
static char *a_before;

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
	{"./LwM2M/0/1/0", "chr", "coaps://bs.a.example:5684", "String"},
	{"./LwM2M/0/1/1", "bool", "true", "Boolean"},
	{"./LwM2M/0/1/2", "int", "3", "Integer"},
	{"./LwM2M/1/0/0", "int", "101", "Integer"},
	{"./LwM2M/1/0/1", "int", "86400", "Unsigned Integer"},
};

static int add_node(struct ub_plan *p, const char *uri, const char *format, const char *value,
		    const char *type)
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
	n->type = type ? strdup(type) : NULL;
	n->mo = -1;
	return n->uri && n->format && (!value || n->value) && (!type || n->type) ? 0 : -1;
}

static void apply_seed(const char *const (*nodes)[4], size_t n, enum ub_plan_kind kind)
{
	struct ub_plan p = {.kind = kind};
	struct ub_apply_opts o = {.source = kind == UB_PLAN_LWM2M ? "iccid:A/lwm2m" : "iccid:A"};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	char why[300];
	size_t i;

	ub_policy_defaults(&pol);
	for (i = 0; i < n; i++)
		if (add_node(&p, nodes[i][0], nodes[i][1], nodes[i][2], nodes[i][3]))
			abort();
	if (ub_plan_model(&p, UB_MODEL_BOOTSTRAP, why, sizeof(why)) ||
	    ub_tree_apply(t, &p, &pol, &o, &r, why, sizeof(why))) {
		fprintf(stderr, "seed: %s\n", why);
		abort();
	}
	ub_apply_result_free(&r);
	ub_plan_free(&p);
}

/* Every column of every row A owns, and of the containers. */
static char *dump_a(void)
{
	sqlite3_stmt *st;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	int i;

	if (!fp ||
	    sqlite3_prepare_v2(t->db,
			       "SELECT uri, parent, format, type, value, acl, server, source "
			       "FROM node WHERE server = '" A "' OR source = 'iccid:A/lwm2m' OR "
			       "uri IN ('.', './DMAcc', './ConnMO', './SyncML', './SyncML/DMAcc', "
			       "'./SyncML/Con', './LwM2M', './LwM2M/0', './LwM2M/1') "
			       "ORDER BY uri",
			       -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < 8; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);

			fprintf(fp, "%s\t", v ? (const char *)v : "(null)");
		}
		fputc('\n', fp);
	}
	sqlite3_finalize(st);
	fclose(fp);
	return out;
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

static void reset(void)
{
	sqlite3_backup *b = sqlite3_backup_init(t->db, "main", pristine, "main");

	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
}

static void init(void)
{
	char path[64];
	sqlite3_backup *b;

	snprintf(path, sizeof(path), "/dev/shm/ub-fuzz-isolation-%d.db", (int)getpid());
	unlink(path);
	if (ub_tree_open(path, &t))
		abort();
	apply_seed(seed, sizeof(seed) / sizeof(seed[0]), UB_PLAN_DM12);
	apply_seed(seed11, sizeof(seed11) / sizeof(seed11[0]), UB_PLAN_DM11);
	apply_seed(seed_lwm2m, sizeof(seed_lwm2m) / sizeof(seed_lwm2m[0]), UB_PLAN_LWM2M);
	if (sqlite3_open(":memory:", &pristine) != SQLITE_OK)
		abort();
	b = sqlite3_backup_init(pristine, "main", t->db, "main");
	if (!b || sqlite3_backup_step(b, -1) != SQLITE_DONE ||
	    sqlite3_backup_finish(b) != SQLITE_OK)
		abort();
	a_before = dump_a();
}

/* The fuzzed plan: lines "URI\tFORMAT\tVALUE". */
static int parse(const uint8_t *data, size_t size, struct ub_plan *p)
{
	char *text = malloc(size + 1), *line, *save = NULL, *f, *v, *ty;

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
		f = strchr(line, '\t');
		v = ty = NULL;
		if (f) {
			*f++ = '\0';
			v = strchr(f, '\t');
			if (v)
				*v++ = '\0';
			if (v && (ty = strchr(v, '\t')))
				*ty++ = '\0';
		}
		if (add_node(p, line, f && *f ? f : v ? "chr" : "node", v, ty)) {
			free(text);
			return -1;
		}
	}
	free(text);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ub_plan_kind kinds[] = {UB_PLAN_DM12, UB_PLAN_DM11, UB_PLAN_CP,
						  UB_PLAN_LWM2M};
	static const char *const present[] = {"iccid:A"};
	struct ub_plan p = {0};
	struct ub_apply_opts o = {0};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	char why[400], *after;
	const char *s;
	size_t i;
	bool import;

	if (!t)
		init();
	if (size < 1 || size > 8192)
		return 0;
	p.kind = kinds[data[0] & 3];
	import = (data[0] >> 2) % 3 == 2;
	if (parse(data + 1, size - 1, &p) ||
	    ub_plan_model(&p, import ? UB_MODEL_IMPORT : UB_MODEL_BOOTSTRAP, why, sizeof(why))) {
		ub_plan_free(&p);
		return 0;
	}
	for (i = 0; (s = ub_plan_server(&p, i)); i++)
		if (!strcmp(s, A)) {
			ub_plan_free(&p);
			return 0; /* A's own bootstrap */
		}
	ub_policy_defaults(&pol);
	if (data[0] & 0x40)
		pol.account = UB_CONFLICT_REJECT;
	if (data[0] & 0x80)
		pol.connmo = UB_CONFLICT_REJECT;
	switch ((data[0] >> 2) % 3) {
	case 0:
		o.source = "push";
		break;
	case 1: /* B's card, A's card inserted too */
		o.source = p.kind == UB_PLAN_LWM2M ? "iccid:B/lwm2m" : "iccid:B";
		o.supersede = true;
		o.remove_absent_cards = true;
		o.present = present;
		o.npresent = 1;
		o.digest = "00";
		break;
	default:
		o.source = "import";
	}
	if (data[0] & 0x20)
		o.naf_host = "b.example";
	ub_tree_apply(t, &p, &pol, &o, &r, why, sizeof(why));
	ub_apply_result_free(&r);
	ub_plan_free(&p);

	after = dump_a();
	if (strcmp(after, a_before)) {
		fprintf(stderr, "A's nodes changed:\n--- before\n%s--- after\n%s", a_before, after);
		__builtin_trap();
	}
	free(after);
	if (count("SELECT count(*) FROM node c JOIN node q ON q.uri = c.parent "
		  "WHERE q.server = '" A "' AND c.server IS NOT '" A "'"))
		__builtin_trap(); /* something of B's under A's */
	if (count("SELECT count(*) FROM node c LEFT JOIN node q ON q.uri = c.parent "
		  "WHERE c.uri <> '.' AND q.uri IS NULL"))
		__builtin_trap(); /* an orphan */
	{
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(t->db, "SELECT uri FROM node", -1, &st, NULL) != SQLITE_OK)
			abort();
		while (sqlite3_step(st) == SQLITE_ROW)
			if (ub_uri_check((const char *)sqlite3_column_text(st, 0), NULL, 0))
				__builtin_trap(); /* out of bounds */
		sqlite3_finalize(st);
	}
	reset();
	return 0;
}
