/* factory apply: the credentials of every factory-provisioned
 * account (source "factory", from `tree import --source factory`) filled
 * from the master key and the device id, in one transaction.
 *
 *   DM 1.2  ./DMAcc/<x>/AppAuth/<n>, AAuthLevel CLCRED: AAuthName = client
 *           name, AAuthSecret = client secret; SRVCRED: AAuthName =
 *           ServerID, AAuthSecret = server secret (missing ones are added
 *           as AppAuth/CLCRED and AppAuth/SRVCRED, AAuthType DIGEST)
 *   DM 1.1  ./SyncML/DMAcc/<x>/UserName, ClientPW, ServerPW */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "ub_apply.h"
#include "ub_error.h"
#include "ub_factory.h"

struct fwork {
	struct ub_tree *t;
	const struct ub_dm_layout *layout;
	const char *acc;
	char server[UB_SERVER_ID_MAX + 2];
	bool wrote;
};

/* uri, an interior node inside the account, and its parents up to the
 * account: added when missing, for the account's ServerID. */
static int interior(struct fwork *w, const char *uri)
{
	char parent[UB_URI_MAX + 1];
	struct ub_store_row row = {uri,	 parent, "node",    NULL,
				   NULL, "",	 w->server, ub_source_name(UB_SRC_FACTORY)};
	int ex, err;

	if ((ex = ub_store_exists(w->t, uri)) != 0)
		return ex < 0 ? ex : 0;
	if (!ub_uri_under(uri, w->acc) || !strcmp(uri, w->acc))
		return UB_E_INTERNAL; /* the account itself is there */
	snprintf(parent, sizeof(parent), "%s", uri);
	*strrchr(parent, '/') = '\0';
	if ((err = interior(w, parent)))
		return err;
	w->wrote = true;
	return ub_store_insert(w->t, &row);
}

/* base/leaf = v, written only when it differs.  All of it is inside the
 * account, whose whole subtree belongs to its ServerID (checked first). */
static int set_at(struct fwork *w, const char *base, const char *leaf, const char *v)
{
	char u[UB_URI_MAX + 1];
	struct ub_store_row row = {u, base, "chr",     "text/plain",
				   v, "",   w->server, ub_source_name(UB_SRC_FACTORY)};
	bool changed = false;
	int ex, err;

	if (snprintf(u, sizeof(u), "%s/%s", base, leaf) >= (int)sizeof(u) || ub_uri_check(u, NULL))
		return UB_E_BAD_DATA;
	if ((ex = ub_store_exists(w->t, u)) < 0)
		return ex;
	if (ex) {
		err = ub_store_set_value(w->t, u, v, &changed);
		w->wrote |= changed;
		return err;
	}
	if ((err = interior(w, base)))
		return err;
	w->wrote = true;
	return ub_store_insert(w->t, &row);
}

struct level {
	struct fwork *w;
	const char *level;
	char *out;
	int found;
};

static int level_cb(const char *entry, void *arg)
{
	struct level *l = arg;
	char u[UB_URI_MAX + 1], v[64];
	int n;

	if (l->found || snprintf(u, sizeof(u), "%s/AAuthLevel", entry) >= (int)sizeof(u))
		return 0;
	n = ub_store_value(l->w->t, u, v, sizeof(v));
	if (n < 0)
		return n;
	if (n && !strcmp(v, l->level)) {
		snprintf(l->out, UB_URI_MAX + 1, "%s", entry);
		l->found = 1;
	}
	return 0;
}

/* The AppAuth entry of level (CLCRED, SRVCRED), or a new AppAuth/<level>:
 * the account's own AppAuth children, looked at one by one (no pattern is
 * built from a name a server chose). */
static int appauth(struct fwork *w, const char *level, char *out)
{
	char aa[UB_URI_MAX + 1];
	struct level l = {w, level, out, 0};
	int n;

	if (snprintf(aa, sizeof(aa), "%s/AppAuth", w->acc) >= (int)sizeof(aa))
		return UB_E_BAD_DATA;
	n = ub_store_children(w->t, aa, level_cb, &l);
	if (n < 0)
		return n;
	if (l.found)
		return 0;
	if (snprintf(out, UB_URI_MAX + 1, "%s/%s", aa, level) > UB_URI_MAX)
		return UB_E_BAD_DATA;
	return set_at(w, out, "AAuthLevel", level) ?: set_at(w, out, "AAuthType", "DIGEST");
}

static int fill(struct fwork *w, const struct ub_factory_creds *c)
{
	char base[UB_URI_MAX + 1];
	int err;

	if (w->layout->version == UB_DM11)
		return set_at(w, w->acc, "UserName", c->client_name) ?:
			       set_at(w, w->acc, "ClientPW", c->client_secret) ?:
						 set_at(w, w->acc, "ServerPW", c->server_secret);
	if ((err = appauth(w, "CLCRED", base)) ||
	    (err = set_at(w, base, "AAuthName", c->client_name)) ||
	    (err = set_at(w, base, "AAuthSecret", c->client_secret)) ||
	    (err = appauth(w, "SRVCRED", base)) || (err = set_at(w, base, "AAuthName", w->server)))
		return err;
	return set_at(w, base, "AAuthSecret", c->server_secret);
}

struct accounts {
	struct ub_tree *t;
	char **v;
	size_t n, cap;
};

/* A child of an account container that `tree import --source factory`
 * wrote. */
static int factory_account(const char *uri, void *arg)
{
	struct accounts *a = arg;
	struct ub_tree_node n;
	enum ub_source k;
	char **x;
	int err = ub_tree_get(a->t, uri, &n);

	if (err)
		return err;
	err = ub_source_parse(n.source, &k) && k == UB_SRC_FACTORY && !strcmp(n.format, "node");
	ub_tree_node_free(&n);
	if (!err)
		return 0;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 8;
		if (!(x = realloc(a->v, a->cap * sizeof(*x))))
			return UB_E_NOMEM;
		a->v = x;
	}
	return (a->v[a->n] = strdup(uri)) ? (a->n++, 0) : UB_E_NOMEM;
}

/* One factory account: its ServerID (the account model's: the direct
 * child spelled as its version spells it), the whole subtree that
 * server's, then the credentials. */
static int fill_account(struct fwork *w, struct ub_factory *f, const char *device_id,
			struct ub_apply_result *res, struct ub_status *st)
{
	struct ub_factory_creds c;
	char u[UB_URI_MAX + 1], owner[UB_SERVER_ID_MAX + 2];
	int n, err;

	snprintf(u, sizeof(u), "%s/%s", w->acc, w->layout->server_leaf);
	n = ub_store_value(w->t, u, w->server, sizeof(w->server));
	if (n < 0)
		return n;
	if (!n || !ub_dm_server_id_ok(w->server)) {
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "%s has no usable %s", w->acc,
			       w->layout->server_leaf);
	}
	n = ub_store_owner(w->t, w->acc, owner, sizeof(owner));
	if (n < 0)
		return n;
	err = strcmp(owner, w->server) ? 1 : ub_store_count_foreign(w->t, w->acc, w->server);
	if (err < 0)
		return err;
	if (err) {
		return ub_fail(st, UB_E_POLICY, 0, NULL,
			       "%s holds nodes that ServerID %s does not own: not filled", w->acc,
			       w->server);
	}
	err = ub_factory_derive(f, device_id, w->server, &c);
	if (err)
		return ub_fail(st, err, 0, NULL,
			       "device id %s or ServerID %s is not 1-128 printable characters",
			       device_id, w->server);
	err = fill(w, &c);
	OPENSSL_cleanse(&c, sizeof(c));
	if (!err)
		err = ub_apply_result_account(res, w->acc);
	return err;
}

int ub_factory_apply(struct ub_tree *t, struct ub_factory *f, const char *device_id,
		     struct ub_apply_result *res, struct ub_status *st)
{
	struct accounts a = {t, NULL, 0, 0};
	struct fwork w = {t, NULL, NULL, "", false};
	static const enum ub_dm_version versions[] = {UB_DM12, UB_DM11};
	size_t i, v, first = 0;
	int err;

	ub_apply_result_free(res);
	ub_status_clear(st);
	if ((err = ub_store_begin(t)))
		return ub_apply_begin_failed(t, err, st);
	for (v = 0; v < 2 && !err; v++) {
		const struct ub_dm_layout *l = ub_dm_layout(versions[v]);
		int n = ub_store_children(t, l->accounts, factory_account, &a);

		err = n < 0 ? n : 0;
		for (i = first; i < a.n && !err; i++) {
			w.layout = l;
			w.acc = a.v[i];
			err = fill_account(&w, f, device_id, res, st);
		}
		first = a.n;
	}
	if (!err && !a.n) {
		err = ub_fail(st, UB_E_NOT_FOUND, 0, NULL,
			      "no factory-provisioned account in the tree "
			      "(tree import --source factory)");
	}
	for (i = 0; i < a.n; i++)
		free(a.v[i]);
	free(a.v);
	if (!err && w.wrote)
		err = ub_store_check_capacity(t, st);
	res->unchanged = !err && !w.wrote;
	return ub_apply_end(t, err, w.wrote, st);
}
