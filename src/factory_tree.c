/* factory apply (R-FACTORY 2): the credentials of every factory-provisioned
 * account (source "factory", from `tree import --source factory`) filled
 * from the master key and the device id, in one transaction.
 *
 *   DM 1.2  ./DMAcc/<x>/AppAuth/<n>, AAuthLevel CLCRED: AAuthName = client
 *           name, AAuthSecret = client secret; SRVCRED: AAuthName =
 *           ServerID, AAuthSecret = server secret (missing ones are added
 *           as AppAuth/CLCRED and AppAuth/SRVCRED, AAuthType DIGEST)
 *   DM 1.1  ./SyncML/DMAcc/<x>/UserName, ClientPW, ServerPW */
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "ub_apply.h"
#include "ub_error.h"
#include "ub_factory.h"

struct fwork {
	struct ub_tree *t;
	const char *acc, *server;
	bool wrote;
};

/* uri = value, written only when it differs; the parents under the
 * account as interior nodes. */
static int set(struct fwork *w, const char *uri, const char *value)
{
	static const char interior[] = "INSERT OR IGNORE INTO node(uri, parent, format, server, "
				       "source) VALUES(?, ?, 'node', ?, 'factory')";
	char parent[UB_TREE_URI_MAX + 1], grand[UB_TREE_URI_MAX + 1];
	int err = 0, changed = 0;

	snprintf(parent, sizeof(parent), "%s", uri);
	*strrchr(parent, '/') = '\0';
	if (strlen(parent) > strlen(w->acc)) { /* <acc>/AppAuth/<n>/leaf */
		snprintf(grand, sizeof(grand), "%s", parent);
		*strrchr(grand, '/') = '\0';
		err = ub_tree_run(w->t, NULL, interior, 3, grand, w->acc, w->server)
			      ?: ub_tree_run(w->t, NULL, interior, 3, parent, grand, w->server);
	}
	if (!err)
		err = ub_tree_run(
			w->t, &changed,
			"INSERT INTO node(uri, parent, format, type, value, server, source) "
			"VALUES(?1, ?2, 'chr', 'text/plain', ?3, ?4, 'factory') "
			"ON CONFLICT(uri) DO UPDATE SET value = excluded.value "
			"WHERE value IS NOT excluded.value",
			4, uri, parent, value, w->server);
	if (changed)
		w->wrote = true;
	return err;
}

/* base/leaf = v */
static int set_at(struct fwork *w, const char *base, const char *leaf, const char *v)
{
	char u[UB_TREE_URI_MAX + 1];

	if (snprintf(u, sizeof(u), "%s/%s", base, leaf) >= (int)sizeof(u))
		return UB_E_BAD_DATA;
	return set(w, u, v);
}

/* The AppAuth entry of level (CLCRED, SRVCRED), or a new AppAuth/<level>. */
static int appauth(struct fwork *w, const char *level, char *out)
{
	char like[UB_TREE_URI_MAX + 1];
	int found;

	snprintf(like, sizeof(like), "%s/AppAuth/*/AAuthLevel", w->acc);
	found = ub_tree_value(w->t, out, UB_TREE_URI_MAX + 1,
			      "SELECT substr(uri, 1, length(uri) - 11) FROM node WHERE uri GLOB ?1 "
			      "AND value = ?2 ORDER BY uri LIMIT 1",
			      2, like, level);
	if (found)
		return found < 0 ? found : 0;
	if (snprintf(out, UB_TREE_URI_MAX + 1, "%s/AppAuth/%s", w->acc, level) > UB_TREE_URI_MAX)
		return UB_E_BAD_DATA;
	return set_at(w, out, "AAuthLevel", level) ?: set_at(w, out, "AAuthType", "DIGEST");
}

static int fill(struct fwork *w, const struct ub_factory_creds *c, bool dm11)
{
	char base[UB_TREE_URI_MAX + 1];
	int err;

	if (dm11)
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

int ub_tree_factory_apply(struct ub_tree *t, struct ub_factory *f, const char *device_id,
			  struct ub_apply_result *res, char *reason, size_t rlen)
{
	char accs[UB_APPLY_MAX_LIST][UB_TREE_URI_MAX + 1], server[256], u[UB_TREE_URI_MAX + 16];
	struct ub_factory_creds c;
	struct fwork w = {t, NULL, server, false};
	sqlite3_stmt *st;
	int n = 0, i, err;

	memset(res, 0, sizeof(*res));
	reason[0] = '\0';
	if ((err = ub_tree_sql(t, "BEGIN IMMEDIATE")))
		return err;
	if (sqlite3_prepare_v2(t->db,
			       "SELECT uri FROM node WHERE source = 'factory' AND format = 'node' "
			       "AND parent IN ('./DMAcc', './SyncML/DMAcc') ORDER BY uri",
			       -1, &st, NULL) != SQLITE_OK) {
		ub_tree_sql(t, "ROLLBACK");
		return UB_E_IO;
	}
	while (n < UB_APPLY_MAX_LIST && sqlite3_step(st) == SQLITE_ROW)
		snprintf(accs[n++], sizeof(accs[0]), "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (!n) {
		snprintf(reason, rlen,
			 "no factory-provisioned account in the tree "
			 "(tree import --source factory)");
		err = UB_E_NOT_FOUND;
	}
	for (i = 0; i < n && !err; i++) {
		bool dm11 = !strncmp(accs[i], "./SyncML/", 9);

		w.acc = accs[i];
		if (snprintf(u, sizeof(u), "%s/%s", accs[i], dm11 ? "ServerId" : "ServerID") >=
			    (int)sizeof(u) ||
		    ub_tree_value(t, server, sizeof(server), "SELECT value FROM node WHERE uri = ?",
				  1, u) != 1) {
			snprintf(reason, rlen, "%s has no ServerID", accs[i]);
			err = UB_E_BAD_DATA;
			break;
		}
		err = ub_factory_derive(f, device_id, server, &c);
		if (err) {
			snprintf(reason, rlen,
				 "device id %s or ServerID %s is not 1-128 printable "
				 "characters",
				 device_id, server);
			break;
		}
		err = fill(&w, &c, dm11);
		OPENSSL_cleanse(&c, sizeof(c));
		if (!err)
			memcpy(res->accounts[res->naccounts++], accs[i], sizeof(accs[i]));
	}
	res->unchanged = !err && !w.wrote;
	if (!err && w.wrote)
		err = ub_tree_sql(t, "COMMIT");
	else
		ub_tree_sql(t, "ROLLBACK");
	return err;
}
