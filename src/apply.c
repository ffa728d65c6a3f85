/* One bootstrap, one transaction (R-BOOT 6-8). */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_apply.h"
#include "ub_error.h"

enum root_kind { ROOT_ACCOUNT, ROOT_CONNMO, ROOT_OTHER };

struct root {
	char uri[UB_TREE_URI_MAX + 1];	 /* as in the plan */
	char final[UB_TREE_URI_MAX + 1]; /* where it goes */
	enum root_kind kind;
	const char *server;		    /* account: its ServerID */
	char replaces[UB_TREE_URI_MAX + 1]; /* account of the same ServerID in the tree */
	bool skip;			    /* identical ConnMO already there */
	bool identical;			    /* replacing account equal to the plan's */
};

struct work {
	struct ub_tree *t;
	const struct ub_plan *plan;
	char **uri, **value; /* the plan's, after renames */
	struct root roots[UB_APPLY_MAX_ROOTS];
	int nroots;
	const char *owner; /* ServerID of ConnMOs and other MOs: the first account's */
	char *reason;
	size_t rlen;
};

static int refuse(struct work *w, int err, const char *fmt, const char *a, const char *b)
{
	snprintf(w->reason, w->rlen, fmt, a, b ? b : "");
	return err;
}

/* ./DMAcc/x, ./ConnMO/y (DM 1.2, CP) and ./SyncML/DMAcc/x, ./SyncML/Con/y (1.1) */
static size_t root_len(const char *u, enum root_kind *kind)
{
	static const struct {
		const char *prefix;
		enum root_kind kind;
	} r[] = {{"./DMAcc/", ROOT_ACCOUNT},
		 {"./SyncML/DMAcc/", ROOT_ACCOUNT},
		 {"./ConnMO/", ROOT_CONNMO},
		 {"./SyncML/Con/", ROOT_CONNMO}};
	size_t i, p;

	for (i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		p = strlen(r[i].prefix);
		if (!strncmp(u, r[i].prefix, p) && u[p]) {
			*kind = r[i].kind;
			return p + strcspn(u + p, "/");
		}
	}
	*kind = ROOT_OTHER;
	p = 2 + strcspn(u + 2, "/"); /* ./A/B: the MO under a top-level node */
	return u[p] ? p + 1 + strcspn(u + p + 1, "/") : p;
}

static bool in_tree(struct ub_tree *t, const char *uri)
{
	struct ub_tree_node n;

	if (ub_tree_get(t, uri, &n))
		return false;
	ub_tree_node_free(&n);
	return true;
}

static bool under(const char *u, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(u, root, n) && (u[n] == '\0' || u[n] == '/');
}

static int collect_roots(struct work *w)
{
	const struct ub_plan *p = w->plan;
	enum root_kind kind;
	size_t i, len, sl;
	int k;

	for (i = 0; i < p->nnodes; i++) {
		len = root_len(p->nodes[i].uri, &kind);
		for (k = 0; k < w->nroots; k++)
			if (strlen(w->roots[k].uri) == len &&
			    !strncmp(w->roots[k].uri, p->nodes[i].uri, len))
				break;
		if (k < w->nroots)
			continue;
		if (w->nroots >= UB_APPLY_MAX_ROOTS || len > UB_TREE_URI_MAX)
			return refuse(w, UB_E_BAD_DATA, "more than %s management objects%s", "32",
				      NULL);
		memset(&w->roots[k], 0, sizeof(w->roots[k]));
		memcpy(w->roots[k].uri, p->nodes[i].uri, len);
		w->roots[k].kind = kind;
		w->nroots++;
	}
	/* a container (./DMAcc, ./SyncML/DMAcc) named in the plan is no MO of
	 * its own: shared, created as needed by put() */
	for (k = 0; k < w->nroots;) {
		int j;

		for (j = 0; j < w->nroots; j++)
			if (j != k && w->roots[k].kind == ROOT_OTHER &&
			    under(w->roots[j].uri, w->roots[k].uri))
				break;
		if (j == w->nroots) {
			k++;
			continue;
		}
		w->nroots--;
		memmove(&w->roots[k], &w->roots[k + 1],
			(size_t)(w->nroots - k) * sizeof(w->roots[0]));
	}
	/* each account's ServerID */
	for (k = 0; k < w->nroots; k++) {
		struct root *r = &w->roots[k];

		if (r->kind != ROOT_ACCOUNT)
			continue;
		sl = strlen(r->uri);
		for (i = 0; i < p->nnodes; i++)
			if (!strncmp(p->nodes[i].uri, r->uri, sl) && p->nodes[i].uri[sl] == '/' &&
			    (!strcmp(p->nodes[i].uri + sl + 1, "ServerID") ||
			     !strcmp(p->nodes[i].uri + sl + 1, "ServerId")))
				r->server = p->nodes[i].value;
		if (!r->server)
			return refuse(w, UB_E_BAD_DATA, "account %s without ServerID%s", r->uri,
				      NULL);
		if (!w->owner)
			w->owner = r->server;
	}
	return 0;
}

/* The tree's account of server s, if any. */
static int account_of(struct work *w, const char *s, const char *like, char *out)
{
	sqlite3_stmt *st;
	int found = 0;

	if (sqlite3_prepare_v2(w->t->db,
			       "SELECT uri FROM node WHERE value = ?1 AND uri LIKE ?2 AND "
			       "(uri GLOB '*/ServerID' OR uri GLOB '*/ServerId') LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	sqlite3_bind_text(st, 1, s, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, like, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);

		snprintf(out, UB_TREE_URI_MAX + 1, "%.*s", (int)(strrchr(u, '/') - u), u);
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* r->final = r->uri + a number: not in the tree, not used by another root. */
static int free_name(struct work *w, struct root *r)
{
	char cand[UB_TREE_URI_MAX + 1];
	int i, k;

	for (i = 1; i < 1000; i++) {
		if (snprintf(cand, sizeof(cand), "%s%d", r->uri, i) >= (int)sizeof(cand))
			return refuse(w, UB_E_BAD_DATA, "no free name for %s%s", r->uri, NULL);
		if (in_tree(w->t, cand))
			continue;
		for (k = 0; k < w->nroots; k++)
			if (&w->roots[k] != r &&
			    (!strcmp(w->roots[k].uri, cand) || !strcmp(w->roots[k].final, cand)))
				break;
		if (k == w->nroots) {
			memcpy(r->final, cand, sizeof(cand));
			return 0;
		}
	}
	return refuse(w, UB_E_BAD_DATA, "no free name for %s%s", r->uri, NULL);
}

/* Is the subtree at tree_root exactly the plan's nodes under plan_root? */
static bool same_subtree(struct work *w, const char *tree_root, const char *plan_root)
{
	const struct ub_plan *p = w->plan;
	size_t tl = strlen(tree_root), pl = strlen(plan_root), i, nplan = 0;
	char u[2 * UB_TREE_URI_MAX + 2];
	struct ub_tree_node n;
	sqlite3_stmt *st;
	int ntree = -1;
	bool same = true;

	for (i = 0; i < p->nnodes && same; i++) {
		if (!under(w->uri[i], plan_root))
			continue;
		nplan++;
		snprintf(u, sizeof(u), "%s%s", tree_root, w->uri[i] + pl);
		if (ub_tree_get(w->t, u, &n))
			return false;
		same = !strcmp(n.format, p->nodes[i].format) &&
		       !((n.value == NULL) != (w->value[i] == NULL)) &&
		       (!n.value || !strcmp(n.value, w->value[i]));
		ub_tree_node_free(&n);
	}
	if (!same)
		return false;
	/* and no other leaves: interior nodes may be implied by the plan's
	 * URIs, leaves may not */
	if (sqlite3_prepare_v2(w->t->db,
			       "SELECT count(*) FROM node WHERE substr(uri, 1, ?2) = ?1 || '/' "
			       "AND format <> 'node'",
			       -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(st, 1, tree_root, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)tl + 1);
	if (sqlite3_step(st) == SQLITE_ROW)
		ntree = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	nplan = 0;
	for (i = 0; i < p->nnodes; i++)
		if (under(w->uri[i], plan_root) && strcmp(w->uri[i], plan_root) &&
		    strcmp(p->nodes[i].format, "node"))
			nplan++;
	return ntree == (int)nplan;
}

static int rename_root(struct work *w, struct root *r)
{
	size_t i, ol = strlen(r->uri), nl = strlen(r->final);
	char *n;

	for (i = 0; i < w->plan->nnodes; i++) {
		if (under(w->uri[i], r->uri)) {
			n = malloc(strlen(w->uri[i]) - ol + nl + 1);
			if (!n)
				return UB_E_NOMEM;
			sprintf(n, "%s%s", r->final, w->uri[i] + ol);
			free(w->uri[i]);
			w->uri[i] = n;
		}
		/* references in the same bootstrap follow (DM-Boot 5.4.5) */
		if (w->value[i] && under(w->value[i], r->uri) && r->kind == ROOT_CONNMO) {
			n = malloc(strlen(w->value[i]) - ol + nl + 1);
			if (!n)
				return UB_E_NOMEM;
			sprintf(n, "%s%s", r->final, w->value[i] + ol);
			free(w->value[i]);
			w->value[i] = n;
		}
	}
	return 0;
}

static int resolve(struct work *w, const struct ub_policy *pol, struct ub_apply_result *res)
{
	char like[32];
	int k, err, ex;

	/* accounts first: their names do not depend on ConnMOs */
	for (k = 0; k < w->nroots; k++) {
		struct root *r = &w->roots[k];

		memcpy(r->final, r->uri, sizeof(r->final));
		if (r->kind != ROOT_ACCOUNT)
			continue;
		snprintf(like, sizeof(like), "%s",
			 !strncmp(r->uri, "./SyncML/", 9) ? "./SyncML/DMAcc/%" : "./DMAcc/%");
		ex = account_of(w, r->server, like, r->replaces);
		if (ex < 0)
			return ex;
		if (ex) {
			if (pol->account == UB_CONFLICT_REJECT)
				return refuse(
					w, UB_E_POLICY,
					"an account for ServerID %s exists (%s); policy: reject",
					r->server, r->replaces);
			memcpy(r->final, r->replaces, sizeof(r->final));
		} else if (in_tree(w->t, r->uri)) {
			/* the name belongs to another ServerID: never touch it (R-BOOT 8) */
			if ((err = free_name(w, r)))
				return err;
		}
	}
	for (k = 0; k < w->nroots; k++) {
		struct root *r = &w->roots[k];

		if (r->kind == ROOT_ACCOUNT) {
			if (strcmp(r->final, r->uri)) {
				if ((err = rename_root(w, r)))
					return err;
				if (!r->replaces[0] && res->nrenamed < UB_APPLY_MAX_ROOTS) {
					snprintf(res->renamed[res->nrenamed].from,
						 UB_TREE_URI_MAX + 1, "%s", r->uri);
					snprintf(res->renamed[res->nrenamed++].to,
						 UB_TREE_URI_MAX + 1, "%s", r->final);
				}
				memcpy(r->uri, r->final, sizeof(r->uri));
			}
			r->identical = r->replaces[0] && same_subtree(w, r->final, r->final);
			continue;
		}
		if (!in_tree(w->t, r->uri))
			continue;
		if (same_subtree(w, r->uri, r->uri)) {
			r->skip = true; /* identical: reuse it */
			continue;
		}
		if (r->kind != ROOT_CONNMO || pol->connmo == UB_CONFLICT_REJECT)
			return refuse(w, UB_E_POLICY, "%s exists with other content%s", r->uri,
				      r->kind == ROOT_CONNMO ? "; policy: reject" : NULL);
		if ((err = free_name(w, r)) || (err = rename_root(w, r)))
			return err;
		snprintf(res->renamed[res->nrenamed].from, UB_TREE_URI_MAX + 1, "%s", r->uri);
		snprintf(res->renamed[res->nrenamed++].to, UB_TREE_URI_MAX + 1, "%s", r->final);
		memcpy(r->uri, r->final, sizeof(r->uri));
	}
	return 0;
}

static int put(struct work *w, const char *uri, const char *format, const char *type,
	       const char *value, const char *acl, const char *server, const char *source,
	       bool interior_ok)
{
	char parent[UB_TREE_URI_MAX + 1], *slash;
	struct ub_tree_node n;
	bool owned;
	int err;

	if (!ub_tree_get(w->t, uri, &n)) {
		/* there already: fine for a shared interior node or one of this
		 * server's own, never across owners (R-BOOT 8) */
		bool same_owner =
			(!n.server && !server) || (n.server && server && !strcmp(n.server, server));
		bool shared_interior = interior_ok && !strcmp(n.format, "node");

		ub_tree_node_free(&n);
		if (!shared_interior && !same_owner)
			return refuse(w, UB_E_POLICY, "%s belongs to another server%s", uri, NULL);
		return 0;
	}
	snprintf(parent, sizeof(parent), "%s", uri);
	slash = strrchr(parent, '/');
	if (!slash)
		return UB_E_BAD_DATA;
	*slash = '\0';
	if (strcmp(parent, ".") &&
	    (err = put(w, parent, "node", NULL, NULL, NULL, server, source, true)))
		return err;
	/* top-level interior nodes (./DMAcc, ./ConnMO) belong to the device */
	owned = strchr(uri + 2, '/') != NULL;
	return ub_tree_run(
		w->t, NULL,
		"INSERT INTO node(uri, parent, format, type, value, acl, server, source) "
		"VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
		8, uri, parent, format, type, value, acl ? acl : "", owned ? server : NULL,
		owned ? source : NULL);
}

static int delete_subtree(struct work *w, const char *root)
{
	/* the root and what is below it: "<root>/" as a prefix, no LIKE escapes */
	return ub_tree_run(w->t, NULL,
			   "DELETE FROM node WHERE uri = ?1 OR "
			   "substr(uri, 1, length(?1) + 1) = ?1 || '/'",
			   1, root);
}

static int write_all(struct work *w, const char *source, struct ub_apply_result *res)
{
	const struct ub_plan *p = w->plan;
	const struct ub_plan_node *own;
	char acl[512];
	size_t i;
	int k, err = 0;

	for (k = 0; k < w->nroots && !err; k++)
		if (w->roots[k].replaces[0])
			err = delete_subtree(w, w->roots[k].replaces);
	for (k = 0; k < w->nroots && !err; k++) {
		struct root *r = &w->roots[k];
		const char *s = r->kind == ROOT_ACCOUNT ? r->server : w->owner;

		if (r->skip)
			continue;
		/* the MO's own node as the plan gives it; an account's ACL
		 * grants Get, Replace, Delete to its ServerID unless the
		 * bootstrap says otherwise (CP 5.3.4, StdObj) */
		snprintf(acl, sizeof(acl), "Get=%s&Replace=%s&Delete=%s", s ? s : "*", s ? s : "*",
			 s ? s : "*");
		own = NULL;
		for (i = 0; i < p->nnodes; i++)
			if (!strcmp(w->uri[i], r->final))
				own = &p->nodes[i];
		if (own && own->acl)
			snprintf(acl, sizeof(acl), "%s", own->acl);
		if (s || r->kind == ROOT_ACCOUNT || own)
			err = put(w, r->final, "node",
				  own && own->type	    ? own->type
				  : r->kind == ROOT_ACCOUNT ? "org.openmobilealliance/1.0/w7"
							    : NULL,
				  NULL, s || (own && own->acl) ? acl : NULL, s, source, !s);
		for (i = 0; i < p->nnodes && !err; i++)
			if (under(w->uri[i], r->final) && strcmp(w->uri[i], r->final))
				err = put(w, w->uri[i], p->nodes[i].format, p->nodes[i].type,
					  w->value[i], p->nodes[i].acl, s, source, false);
		if (!err && r->kind == ROOT_ACCOUNT && res->naccounts < UB_APPLY_MAX_LIST)
			snprintf(res->accounts[res->naccounts++], UB_TREE_URI_MAX + 1, "%s",
				 r->final);
	}
	return err;
}

/* Roots of what source wrote: its nodes whose parent is not its own. */
static int source_roots(struct ub_tree *t, const char *source, char (*out)[UB_TREE_URI_MAX + 1],
			int *n)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(t->db,
			       "SELECT n.uri FROM node n LEFT JOIN node p ON p.uri = n.parent "
			       "WHERE n.source = ?1 AND p.source IS NOT ?1 ORDER BY n.uri",
			       -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (*n < UB_APPLY_MAX_LIST)
			snprintf(out[(*n)++], UB_TREE_URI_MAX + 1, "%s",
				 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

/* The accounts that source wrote, left as they are. */
static int kept_accounts(struct ub_tree *t, const char *source, struct ub_apply_result *res)
{
	char roots[UB_APPLY_MAX_LIST][UB_TREE_URI_MAX + 1];
	enum root_kind kind;
	int i, n = 0, err;

	if ((err = source_roots(t, source, roots, &n)))
		return err;
	for (i = 0; i < n && res->naccounts < UB_APPLY_MAX_LIST; i++)
		if (root_len(roots[i], &kind) && kind == ROOT_ACCOUNT)
			memcpy(res->accounts[res->naccounts++], roots[i], UB_TREE_URI_MAX + 1);
	return 0;
}

/* Everything source wrote, and its record, goes. */
static int remove_source(struct ub_tree *t, const char *source, struct ub_apply_result *res)
{
	return source_roots(t, source, res->removed, &res->nremoved) ?:
		       ub_tree_run(t, NULL, "DELETE FROM node WHERE source = ?", 1, source) ?:
				 ub_tree_run(t, NULL, "DELETE FROM provenance WHERE source = ?", 1,
					     source);
}

/* Cards (iccid:*) other than o->source and o->present[] that wrote nodes. */
static int remove_other_cards(struct ub_tree *t, const struct ub_apply_opts *o,
			      struct ub_apply_result *res)
{
	char src[64][64];
	sqlite3_stmt *st;
	int n = 0, i, k, err = 0;

	if (sqlite3_prepare_v2(t->db,
			       "SELECT DISTINCT source FROM node WHERE source GLOB 'iccid:*' "
			       "UNION SELECT source FROM provenance WHERE source GLOB 'iccid:*'",
			       -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	while (n < 64 && sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		if (strlen(s) >= sizeof(src[0]) || !strcmp(s, o->source))
			continue;
		for (k = 0; k < o->npresent && strcmp(s, o->present[k]); k++)
			;
		if (k == o->npresent)
			memcpy(src[n++], s, strlen(s) + 1);
	}
	sqlite3_finalize(st);
	for (i = 0; i < n && !err; i++)
		err = remove_source(t, src[i], res);
	return err;
}

/* The digest recorded for source, compared with digest. */
static bool same_digest(struct ub_tree *t, const char *source, const char *digest)
{
	char d[80];

	return ub_tree_value(t, d, sizeof(d), "SELECT digest FROM provenance WHERE source = ?", 1,
			     source) == 1 &&
	       !strcmp(d, digest);
}

static int record_digest(struct ub_tree *t, const char *source, const char *digest)
{
	return ub_tree_run(t, NULL,
			   "INSERT OR REPLACE INTO provenance(source, digest, applied) "
			   "VALUES(?, ?, strftime('%s', 'now'))",
			   2, source, digest);
}

static int apply_plan(struct work *w, const struct ub_policy *pol, const struct ub_apply_opts *o,
		      struct ub_apply_result *res, bool *wrote)
{
	const struct ub_plan *plan = w->plan;
	size_t i;
	int err, k;

	w->uri = calloc(plan->nnodes + 1, sizeof(char *));
	w->value = calloc(plan->nnodes + 1, sizeof(char *));
	if (!w->uri || !w->value)
		return UB_E_NOMEM;
	for (i = 0; i < plan->nnodes; i++) {
		w->uri[i] = strdup(plan->nodes[i].uri);
		w->value[i] = plan->nodes[i].value ? strdup(plan->nodes[i].value) : NULL;
		if (!w->uri[i] || (plan->nodes[i].value && !w->value[i]))
			return UB_E_NOMEM;
	}
	if ((err = collect_roots(w)) || (err = resolve(w, pol, res)))
		return err;
	*wrote = res->nrenamed > 0;
	for (k = 0; k < w->nroots; k++)
		if (!(w->roots[k].identical || w->roots[k].skip))
			*wrote = true;
	if (!*wrote) {
		/* the tree already holds exactly this */
		for (k = 0; k < w->nroots; k++)
			if (w->roots[k].kind == ROOT_ACCOUNT && res->naccounts < UB_APPLY_MAX_LIST)
				snprintf(res->accounts[res->naccounts++], UB_TREE_URI_MAX + 1, "%s",
					 w->roots[k].final);
		return 0;
	}
	err = write_all(w, o->source, res);
	if (!err && o->digest)
		err = record_digest(w->t, o->source, o->digest);
	return err;
}

int ub_tree_apply(struct ub_tree *t, const struct ub_plan *plan, const struct ub_policy *pol,
		  const struct ub_apply_opts *o, struct ub_apply_result *res, char *reason,
		  size_t rlen)
{
	struct work w;
	size_t i;
	int err;
	bool wrote = false;

	memset(res, 0, sizeof(*res));
	memset(&w, 0, sizeof(w));
	w.t = t;
	w.plan = plan;
	w.reason = reason;
	w.rlen = rlen;
	reason[0] = '\0';
	/* BEGIN IMMEDIATE: the decisions and the writes see one state */
	if ((err = ub_tree_sql(t, "BEGIN IMMEDIATE")))
		return err;
	if (o->remove_absent_cards)
		err = remove_other_cards(t, o, res);
	if (!err && plan && o->digest && same_digest(t, o->source, o->digest)) {
		/* the card holds what was applied before: no write, so that
		 * what its server changed since stays (R-BOOT 7) */
		err = kept_accounts(t, o->source, res);
	} else if (!err) {
		if (o->supersede)
			err = remove_source(t, o->source, res);
		if (!err && plan)
			err = apply_plan(&w, pol, o, res, &wrote);
	}
	wrote = wrote || res->nremoved > 0;
	res->unchanged = !err && !wrote;
	if (!err && wrote)
		err = ub_tree_sql(t, "COMMIT");
	else
		ub_tree_sql(t, "ROLLBACK"); /* nothing half-applied, nothing written for nothing */
	for (i = 0; w.uri && i < plan->nnodes; i++)
		free(w.uri[i]);
	for (i = 0; w.value && i < plan->nnodes; i++)
		free(w.value[i]);
	free(w.uri);
	free(w.value);
	return err;
}
