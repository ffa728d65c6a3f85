/* libFuzzer target with an isolation oracle: a tree seeded with server A
 * (a DM 1.2 and a DM 1.1 account, a ConnMO each, from A's card) and
 * server C (an account and a ConnMO from a push; the account also names
 * ./ConnMO/Free, which nothing holds); A's card also wrote
 * LwM2M Instances (iccid:A/lwm2m, owned by lwm2m:101 and lwm2m:bootstrap),
 * which no owner the plan names; the device, a party too: its
 * connectivity from a connectivity-only push (a proxy naming an APN; A's
 * account names that APN, and relatively ./ConnMO/DevFree, which nothing
 * holds) and from a factory image; a fuzzed plan applied as
 * server B, as a push, a card or an import.  Whatever the plan holds (it
 * may name A's accounts, A's ConnMOs or A's ServerID, containers, ACLs,
 * long or deep URIs, references in any spelling), afterwards:
 *   - a refused apply left the tree as it was, every row of it,
 *   - a plan that does not name A (by an account's ServerID): A's nodes
 *     are byte-identical (every column of every row A owns), and no node
 *     is A's that was not, but for the new rows of a ConnMO that an
 *     import's owner ACL gives A; and
 *     so for every owner the plan does not name, but for what a card
 *     removed now wrote (and nothing of that stays),
 *   - a plan that names A, applied as a push that replaces only what
 *     pushes wrote (a push without GBA under the default policy): what A's
 *     card wrote is byte-identical,
 *   - a plan applied as card B under [smartcard] replace_accounts = cards
 *     (the default): the accounts that factory apply (server-f), an import
 *     (server-i) and pushes (server-c) wrote are byte-identical, whatever
 *     ServerIDs it names; and card A's rows change only when B's account
 *     of A is at A's host (a.example: the same server),
 *   - nothing that is not A's sits directly under a node of A,
 *   - the containers are still the device's,
 *   - every node has its parent, and every URI is within the bounds,
 *   - the device's rows likewise: unchanged, unless the plan is the
 *     device's own (connectivity only, or an import): then only its rows
 *     of the plan's source may change,
 *   - no node reaches another party's ConnMO by any chain of references
 *     (a leaf whose value, read as a DM client could read it, names a
 *     ConnMO; through the device's ConnMOs): a server only its own and
 *     the device's, the device only its own; every such reference is
 *     held in the one spelling "./...",
 *   - a reference that named a ConnMO before, and is still there, still
 *     names one (nobody removed what another party names); one that
 *     named nothing names nothing of another party (nobody's ConnMO took
 *     a name that another party's reference holds),
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
#include <strings.h>
#include <unistd.h>

#include "dm_names.h"
#include "store.h"
#include "tree.h"
#include "tree_internal.h"
#include "ub_account.h"
#include "ub_apply.h"
#include "ub_decoders.h"
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
static char *a_before, *a_card_before, *containers_before, *all_before, *not_cards_before;
/* the rows that no card wrote, of the accounts' servers (a card replaces
 * none of them under the default policy) */
#define NOT_CARDS "server IS NOT NULL AND source IN ('push', 'factory', 'import')"
/* an account's server address (DM 1.2 AppAddr/<x>/Addr, DM 1.1 Addr) */
#define SERVER_ADDR "(uri GLOB './DMAcc/*/AppAddr/*/Addr' OR uri GLOB './SyncML/DMAcc/*/Addr')"

/* the device's connectivity from a connectivity-only push */
static const char *const seed_dev[][4] = {
	{"./ConnMO/DevPX/PX/Addr", "chr", "proxy.dev.example"},
	{"./ConnMO/DevPX/PX/ToConRef", "chr", "./ConnMO/DevNAP"},
	{"./ConnMO/DevNAP/NAP/Addr", "chr", "apn.dev.example"},
};

/* the device's connectivity from a factory image */
static const char *const seed_factory[][4] = {
	{"./ConnMO/DevImg/NAP/Addr", "chr", "apn.img.example"},
};

static const char *const seed[][4] = {
	{"./DMAcc/A", "node", NULL},
	{"./DMAcc/A/ServerID", "chr", A},
	{"./DMAcc/A/AppAddr/1/Addr", "chr", "https://a.example/dm"},
	{"./DMAcc/A/AppAuth/1/AAuthSecret", "chr", "a-secret"},
	{"./DMAcc/A/PrefConRef", "chr", "./ConnMO/Internet"},
	/* the device's APN, and (relatively, as DM-TND 5 allows) a name
	 * nothing holds */
	{"./DMAcc/A/ToConRef/1/ConRef", "chr", "./ConnMO/DevNAP"},
	{"./DMAcc/A/ToConRef/2/ConRef", "chr", "ConnMO/DevFree"},
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

/* accounts of factory apply and of an import: no card replaces them
 * (under [smartcard] replace_accounts = cards, the default) */
static const char *const seed_f[][4] = {
	{"./DMAcc/F", "node", NULL},
	{"./DMAcc/F/ServerID", "chr", "server-f"},
	{"./DMAcc/F/AppAddr/1/Addr", "chr", "https://f.example/dm"},
	{"./DMAcc/F/AppAuth/1/AAuthSecret", "chr", "f-secret"},
};
static const char *const seed_i[][4] = {
	{"./DMAcc/I", "node", NULL},
	{"./DMAcc/I/ServerID", "chr", "server-i"},
	{"./DMAcc/I/AppAddr/1/Addr", "chr", "https://i.example/dm"},
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
		       const char *source, enum ub_model_mode mode)
{
	struct ub_plan p = {.kind = kind};
	struct ub_apply_opts o = {.source = source};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	struct ub_status why = {0};
	size_t i;

	ub_policy_defaults(&pol);
	for (i = 0; i < n; i++)
		if (add_node(&p, nodes[i][0], nodes[i][1], nodes[i][2], NULL, nodes[i][3]))
			abort();
	if (ub_plan_model(&p, mode, &why) || ub_tree_apply(t, &p, &pol, &o, &r, &why)) {
		fprintf(stderr, "seed: %s\n", why.what);
		abort();
	}
	ub_apply_result_free(&r);
	ub_plan_free(&p);
}

static void found(const char *what, const char *detail, const char *why)
{
	fprintf(stderr, "isolation: %s%s%s\n(apply: %s)\n", what, detail ? ": " : "",
		detail ? detail : "", why);
	__builtin_trap();
}

/* --- references, read independently of the code under test --- */

/* The ConnMO root that v names, as a DM client could read it: with "./"
 * or without, empty and "." segments skipped, ".." going up; into root,
 * or false. */
static bool names_connmo(const char *v, char *root, size_t max)
{
	const char *seg[UB_URI_SEGMENTS_MAX * 4];
	size_t len[UB_URI_SEGMENTS_MAX * 4], n = 0, l;

	if (!strncmp(v, "./", 2))
		v += 2;
	else if (*v == '/')
		return false;
	for (; *v; v += l + (v[l] == '/')) {
		l = strcspn(v, "/");
		if (!l || (l == 1 && *v == '.'))
			continue;
		if (l == 2 && !strncmp(v, "..", 2)) {
			if (!n)
				return false;
			n--;
			continue;
		}
		if (n == sizeof(seg) / sizeof(seg[0]))
			return false;
		seg[n] = v, len[n++] = l;
	}
#define SEG(i, s) (len[i] == strlen(s) && !strncmp(seg[i], s, len[i]))
	if (n >= 2 && SEG(0, "ConnMO"))
		return snprintf(root, max, "./ConnMO/%.*s", (int)len[1], seg[1]) < (int)max;
	if (n >= 3 && SEG(0, "SyncML") && SEG(1, "Con"))
		return snprintf(root, max, "./SyncML/Con/%.*s", (int)len[2], seg[2]) < (int)max;
#undef SEG
	return false;
}

/* Is the leaf at uri with value v a reference: one of the reference
 * leaves of OMA-TS-DM_StdObj (PrefConRef, ConRef, ToConRef), or a value
 * that starts as a node URI ("./", a container's name and '/'); never a
 * secret, a ServerID or an LwM2M resource. */
static bool is_ref(const char *uri, const char *v)
{
	static const char *const leaves[] = {"PrefConRef", "ConRef", "ToConRef"},
				 *const tops[] = {"./", "ConnMO/", "DMAcc/", "SyncML/"};
	const char *name = strrchr(uri, '/') ? strrchr(uri, '/') + 1 : uri;
	size_t i;

	if (!v || !*v || ub_dm_is_secret(uri) || ub_dm_is_server_id_leaf(uri) ||
	    !strncmp(uri, "./LwM2M/", 8))
		return false;
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		if (!strcasecmp(name, leaves[i]))
			return true;
	for (i = 0; i < sizeof(tops) / sizeof(tops[0]); i++)
		if (!strncmp(v, tops[i], strlen(tops[i])))
			return true;
	return false;
}

/* A reference of the tree: the leaf, its value, its owner (NULL: the
 * device), the ConnMO it names. */
struct ref {
	char *uri, *value, *owner, root[UB_URI_MAX + 64];
};

struct refs {
	struct ref *v;
	size_t n;
};

static char *dup_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

static struct refs references_of(sqlite3 *db)
{
	struct refs r = {NULL, 0};
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db,
			       "SELECT uri, value, server FROM node WHERE format <> 'node' AND "
			       "value IS NOT NULL ORDER BY uri",
			       -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *uri = (const char *)sqlite3_column_text(st, 0),
			   *v = (const char *)sqlite3_column_text(st, 1);
		struct ref x;

		/* a root no node can have (a control character, too long):
		 * names nothing that anyone could hold */
		if (!is_ref(uri, v) || !names_connmo(v, x.root, sizeof(x.root)) ||
		    ub_uri_check(x.root, NULL))
			continue;
		if (!(r.v = realloc(r.v, (r.n + 1) * sizeof(*r.v))))
			abort();
		x.uri = dup_text(st, 0), x.value = dup_text(st, 1), x.owner = dup_text(st, 2);
		r.v[r.n++] = x;
	}
	sqlite3_finalize(st);
	return r;
}

static struct refs refs_before;

static void refs_free(struct refs *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->v[i].uri), free(r->v[i].value), free(r->v[i].owner);
	free(r->v);
}

/* The owner of the node at uri: 1 (*owner, NULL: the device), 0 none. */
static int owner_at(sqlite3 *db, const char *uri, char **owner)
{
	sqlite3_stmt *st;
	int found;

	if (sqlite3_prepare_v2(db, "SELECT server FROM node WHERE uri = ?1", -1, &st, NULL) !=
	    SQLITE_OK)
		abort();
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	*owner = found ? dup_text(st, 0) : NULL;
	sqlite3_finalize(st);
	return found;
}

static bool under(const char *uri, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(uri, root, n) && (!uri[n] || uri[n] == '/');
}

/* From the references of party p (NULL: the device), through the
 * ConnMOs they reach: one of another party, or NULL. */
static const struct ref *reaches_other(sqlite3 *db, const struct refs *r, const char *p)
{
	char **seen = calloc(r->n + 1, sizeof(*seen)), *o;
	size_t i, k, nseen = 0, head = 0;
	const struct ref *bad = NULL;

	if (!seen)
		abort();
	/* p's own leaves, anywhere, then those of the ConnMOs reached */
	for (i = 0; i < r->n && !bad; i++) {
		if (p ? !r->v[i].owner || strcmp(r->v[i].owner, p) : r->v[i].owner != NULL)
			continue;
		for (k = 0; k < nseen && strcmp(seen[k], r->v[i].root); k++)
			;
		if (k == nseen)
			seen[nseen++] = r->v[i].root;
	}
	for (; head < nseen && !bad; head++) {
		if (!owner_at(db, seen[head], &o))
			continue; /* names nothing (yet) */
		if (o && (!p || strcmp(o, p))) {
			/* the reference that reached it */
			for (i = 0; i < r->n && strcmp(r->v[i].root, seen[head]); i++)
				;
			bad = &r->v[i];
		}
		free(o);
		for (i = 0; i < r->n && !bad; i++) {
			if (!under(r->v[i].uri, seen[head]))
				continue;
			for (k = 0; k < nseen && strcmp(seen[k], r->v[i].root); k++)
				;
			if (k == nseen)
				seen[nseen++] = r->v[i].root;
		}
	}
	free(seen);
	return bad;
}

/* No party reaches another's ConnMO; every reference in its one
 * spelling; what named a ConnMO before still does. */
static void check_references(const struct refs *before, const char *why)
{
	struct refs r = references_of(t->db);
	char canon[UB_URI_MAX + 64], *o, *owners[64];
	const struct ref *bad;
	size_t i, k, nowners = 0;

	for (i = 0; i < r.n; i++) {
		if (strncmp(r.v[i].value, "./", 2) ||
		    !names_connmo(r.v[i].value, canon, sizeof(canon)) ||
		    (strcmp(r.v[i].value, canon) && !under(r.v[i].value, canon)) ||
		    strstr(r.v[i].value, "//") || strstr(r.v[i].value, "/./") ||
		    strstr(r.v[i].value, "/../") || r.v[i].value[strlen(r.v[i].value) - 1] == '/' ||
		    (strlen(r.v[i].value) > 2 &&
		     !strcmp(r.v[i].value + strlen(r.v[i].value) - 2, "/.")) ||
		    (strlen(r.v[i].value) > 3 &&
		     !strcmp(r.v[i].value + strlen(r.v[i].value) - 3, "/..")))
			found("a reference not in the one spelling", r.v[i].uri, why);
		for (k = 0; k < nowners; k++)
			if (r.v[i].owner ? owners[k] && !strcmp(owners[k], r.v[i].owner)
					 : !owners[k])
				break;
		if (k == nowners && nowners < sizeof(owners) / sizeof(owners[0]))
			owners[nowners++] = r.v[i].owner;
	}
	for (k = 0; k < nowners; k++)
		if ((bad = reaches_other(t->db, &r, owners[k]))) {
			fprintf(stderr, "%s (of %s) names %s\n", bad->uri,
				bad->owner ? bad->owner : "the device", bad->root);
			found("a node reaches another party's ConnMO",
			      owners[k] ? owners[k] : "the device", why);
		}
	/* what named a ConnMO before (the same leaf, the same value) still
	 * names one; what named none names none of another party now */
	for (i = 0; i < before->n; i++) {
		const char *p = before->v[i].owner;

		for (k = 0; k < r.n && (strcmp(r.v[k].uri, before->v[i].uri) ||
					strcmp(r.v[k].value, before->v[i].value));
		     k++)
			;
		if (k == r.n)
			continue;
		if (owner_at(pristine, before->v[i].root, &o)) {
			free(o);
			if (!owner_at(t->db, before->v[i].root, &o))
				found("a ConnMO that another node names was removed",
				      before->v[i].root, why);
		} else if (owner_at(t->db, before->v[i].root, &o) &&
			   (o && p ? strcmp(o, p) : o != p)) {
			fprintf(stderr, "%s (of %s) named nothing, now %s's\n", before->v[i].uri,
				p ? p : "the device", o ? o : "the device's");
			found("a ConnMO came to sit where another party's reference named nothing",
			      before->v[i].root, why);
		}
		free(o);
	}
	refs_free(&r);
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
 * ConnMO of an owner in acl_named[]; and the device's rows (the
 * containers aside), but those of source device_source (NULL: none),
 * when the plan is the device's (an import's, which also creates the
 * parents of its device objects, without a source). */
static char *unnamed(sqlite3 *db, const char *const *named, const char *const *acl_named,
		     const char *gone, const char *device_source)
{
	sqlite3_stmt *st;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	const char *const *k;

	if (!fp ||
	    sqlite3_prepare_v2(db,
			       "SELECT uri, parent, format, type, value, acl, server, source "
			       "FROM node WHERE server IS NOT NULL OR uri NOT IN " CONTAINERS
			       " ORDER BY uri",
			       -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *server = (const char *)sqlite3_column_text(st, 6);
		const char *source = (const char *)sqlite3_column_text(st, 7);

		if (!server) {
			if (!device_source || (source ? strcmp(source, device_source)
						      : strcmp(device_source, "import")))
				put_row(fp, st);
			continue;
		}

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
#define SEED(s, kind, source, mode) apply_seed(s, sizeof(s) / sizeof(s[0]), kind, source, mode)
	SEED(seed_dev, UB_PLAN_CP, "push", UB_MODEL_BOOTSTRAP);
	SEED(seed_factory, UB_PLAN_DM12, "factory", UB_MODEL_IMPORT);
	SEED(seed, UB_PLAN_DM12, "iccid:A", UB_MODEL_BOOTSTRAP);
	SEED(seed11, UB_PLAN_DM11, "iccid:A", UB_MODEL_BOOTSTRAP);
	SEED(seed_c, UB_PLAN_DM12, "push", UB_MODEL_BOOTSTRAP);
	SEED(seed_f, UB_PLAN_DM12, "factory", UB_MODEL_IMPORT);
	SEED(seed_i, UB_PLAN_DM12, "import", UB_MODEL_IMPORT);
	SEED(seed_lwm2m, UB_PLAN_LWM2M, "iccid:A/lwm2m", UB_MODEL_BOOTSTRAP);
#undef SEED
	pristine = snapshot(t);
	refs_before = references_of(t->db);
	a_before = dump_a();
	a_card_before = dump(t, "source = 'iccid:A'");
	not_cards_before = dump(t, NOT_CARDS);
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
	struct ub_status why = {0};
	char *x1, *x2, *o1, *o2;
	size_t n1, n2;

	ub_policy_defaults(&pol);
	restore(copy, empty);
	x1 = export_of(t, &n1, applied);
	if (ub_plan_from_tnds(x1, n1, &p, &why)) {
		fprintf(stderr, "%s", x1);
		found("the export does not read back", why.what, applied);
	}
	if (ub_tree_apply(copy, &p, &pol, &o, &r, &why)) {
		fprintf(stderr, "%s", x1);
		found("the export does not import", why.what, applied);
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

/* Is the host of URI v (after "://", up to ':', '/', '?', '#' or the
 * end) A's, a.example, in any case? */
static bool at_a_host(const char *v)
{
	const char *h = v ? strstr(v, "://") : NULL;
	size_t n;

	if (!h)
		return false;
	h += 3;
	n = strcspn(h, ":/?#");
	return n == 9 && !strncasecmp(h, "a.example", 9);
}

/* Has card B's account of A server addresses, all at A's host? */
static bool b_at_a_host(void)
{
	sqlite3_stmt *st;
	bool all = true;
	int n = 0;

	if (sqlite3_prepare_v2(t->db,
			       "SELECT value FROM node WHERE server = '" A
			       "' AND source = 'iccid:B' AND " SERVER_ADDR,
			       -1, &st, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(st) == SQLITE_ROW) {
		n++;
		all = all && at_a_host((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return n && all;
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
	const char *gone = NULL, *device_source = NULL;
	struct ub_plan p = {0};
	struct ub_apply_opts o = {0};
	struct ub_apply_result r = {0};
	struct ub_policy pol;
	struct ub_status why = {0};
	const char *s;
	size_t i, k;
	bool import, names_a = false, a_by_acl = false, pushed_only = false, cards_only = false;
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
	if (err || ub_plan_model(&p, import ? UB_MODEL_IMPORT : UB_MODEL_BOOTSTRAP, &why)) {
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
		/* a push without GBA, under replace_card_accounts = gba (the
		 * default), replaces only what pushes wrote; kind 3:
		 * replace_card_accounts = yes */
		if ((data[0] & 3) == 3)
			pol.replace_card_accounts = UB_REPLACE_YES;
		pushed_only = !o.naf_host && (data[0] & 3) != 3;
		break;
	case 1: /* B's card, A's card inserted too (bit 5: A's card gone, and
		 * [smartcard] remove_absent = yes); kind 3: replace_accounts =
		 * same_server, else the default (cards) */
		o.source = p.kind == UB_PLAN_LWM2M ? "iccid:B/lwm2m" : "iccid:B";
		if ((data[0] & 3) == 3)
			pol.card_replace = UB_CARD_REPLACE_SAME_SERVER;
		cards_only = (data[0] & 3) != 3;
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
	/* the device's own plan: its connectivity (no server), or an import */
	for (k = 0; k < p.nmos; k++)
		if (p.mos[k].kind != UB_MO_ACCOUNT && p.mos[k].kind != UB_MO_LWM2M &&
		    !p.mos[k].server_id)
			device_source = o.source;
	if (import)
		device_source = o.source;
	err = ub_tree_apply(t, &p, &pol, &o, &r, &why);
	ub_apply_result_free(&r);

	if (err)
		same("a refused apply changed the tree", all_before, dump(t, "1"), why.what);
	if (!names_a && !gone)
		same("A's nodes changed", a_before,
		     a_by_acl ? dump(t, "(server = '" A "' AND NOT " IMPORTED_CONNMO_ROW
					") OR uri IN " CONTAINERS)
			      : dump_a(),
		     why.what);
	else if (names_a && pushed_only)
		same("a push replaced what A's card wrote", a_card_before,
		     dump(t, "source = 'iccid:A'"), why.what);
	/* a card replaces no account that a push, factory apply or an import
	 * wrote (replace_accounts = cards); and another card's only when it
	 * is the same server: A's card rows change only for an account of A
	 * whose every server address is at a.example, A's host */
	if (cards_only)
		same("a card replaced what a push, factory apply or an import wrote",
		     not_cards_before, dump(t, NOT_CARDS), why.what);
	if (!err && !strcmp(o.source, "iccid:B") && !gone && names_a) {
		char *now = dump(t, "source = 'iccid:A'");

		if (strcmp(now, a_card_before) && !b_at_a_host())
			found("a card of another server replaced card A's account", NULL, why.what);
		free(now);
	}
	if (gone && !err &&
	    count("SELECT count(*) FROM node WHERE source IN ('iccid:A', 'iccid:A/lwm2m')"))
		found("a removed card's node stayed", NULL, why.what);
	{
		char *before = unnamed(pristine, named, acl_named, gone, device_source);

		same("the nodes of a party the plan does not name changed", before,
		     unnamed(t->db, named, acl_named, gone, device_source), why.what);
		free(before);
	}
	ub_plan_free(&p); /* named[] and acl_named[] point into it */
	same("the containers changed", containers_before, dump(t, "uri IN " CONTAINERS), why.what);
	if (count("SELECT count(*) FROM node c JOIN node q ON q.uri = c.parent "
		  "WHERE q.server = '" A "' AND c.server IS NOT '" A "'"))
		found("something not A's under A's", NULL, why.what);
	if (count("SELECT count(*) FROM node c LEFT JOIN node q ON q.uri = c.parent "
		  "WHERE c.uri <> '.' AND q.uri IS NULL"))
		found("an orphan", NULL, why.what);
	if (!err)
		check_references(&refs_before, why.what);
	{
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(t->db, "SELECT uri FROM node", -1, &st, NULL) != SQLITE_OK)
			abort();
		while (sqlite3_step(st) == SQLITE_ROW)
			if (ub_uri_check((const char *)sqlite3_column_text(st, 0), NULL))
				found("out of bounds", (const char *)sqlite3_column_text(st, 0),
				      why.what);
		sqlite3_finalize(st);
	}
	if (!err) {
		owners(why.what);
		round_trip(why.what);
	}
	restore(t, pristine);
	return 0;
}
