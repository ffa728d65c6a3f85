/* The device tree's public calls (tree.h): opening it with the file rules
 * for secrets, reads, the ACL of DM-TND 8.3.7.1.5 checked once, before the
 * store (store.c, all the SQL) is touched.  Bootstraps are written by
 * apply.c, one transaction each. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "tree.h"
#include "tree_internal.h"
#include "ub_apply.h"
#include "ub_error.h"
#include "ub_secret.h"

int ub_tree_open_why(const char *path, struct ub_tree **out, char *why, size_t whylen)
{
	static const char *const side[] = {"-wal", "-shm"};
	struct ub_tree *t = NULL;
	char aux[4096];
	size_t i;
	int fd, err = 0;

	*out = NULL;
	if (why && whylen)
		why[0] = '\0';
	/* Create it 0600 ourselves (SQLite would use the umask; its -wal and
	 * -shm take the database's mode).  O_EXCL: an existing file, or a
	 * symbolic link in its place, is left to the checks below.  Only a
	 * file just created is opened and closed here: closing a descriptor
	 * drops the process's POSIX locks on the file, which SQLite
	 * connections of other threads may hold on an existing tree. */
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST)
		return UB_E_IO;
	/* It holds the accounts' secrets: no link to elsewhere, no access
	 * for others, and the same for the -wal and -shm that hold its
	 * newest pages (SQLite follows a planted -wal symlink) */
	err = ub_secret_path_private(path, false, false, why, whylen);
	for (i = 0; !err && i < sizeof(side) / sizeof(side[0]); i++) {
		if ((size_t)snprintf(aux, sizeof(aux), "%s%s", path, side[i]) >= sizeof(aux))
			err = UB_E_IO;
		else
			err = ub_secret_path_private(aux, true, false, why, whylen);
	}
	if (err)
		return err;
	if (!(t = calloc(1, sizeof(*t))))
		return UB_E_NOMEM;
	if ((err = ub_store_open(t, path))) {
		ub_tree_close(t);
		return err;
	}
	*out = t;
	return 0;
}

int ub_tree_open(const char *path, struct ub_tree **out)
{
	return ub_tree_open_why(path, out, NULL, 0);
}

void ub_tree_close(struct ub_tree *t)
{
	if (!t)
		return;
	ub_store_close(t);
	free(t);
}

int ub_tree_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n)
{
	return ub_store_get(t, uri, n);
}

void ub_tree_node_free(struct ub_tree_node *n)
{
	free(n->uri);
	free(n->format);
	free(n->type);
	free(n->value);
	free(n->acl);
	free(n->server);
	free(n->source);
	memset(n, 0, sizeof(*n));
}

struct names {
	size_t plen;
	void (*cb)(const char *name, void *arg);
	void *arg;
};

static int name_cb(const char *uri, void *arg)
{
	struct names *n = arg;

	if (n->cb && strlen(uri) > n->plen + 1)
		n->cb(uri + n->plen + 1, n->arg);
	return 0;
}

int ub_tree_list(struct ub_tree *t, const char *uri, void (*cb)(const char *name, void *arg),
		 void *arg)
{
	struct names n = {strlen(uri), cb, arg};

	return ub_store_children(t, uri, name_cb, &n);
}

int ub_tree_count(struct ub_tree *t)
{
	return ub_store_count(t);
}

/* acl ::= entry *("&" entry); entry ::= command "=" id *("+" id) */
bool ub_acl_allows(const char *acl, const char *cmd, const char *server_id)
{
	size_t cl = strlen(cmd), il = strlen(server_id);
	const char *e = acl, *end, *ids, *id;

	while (*e) {
		end = e + strcspn(e, "&");
		ids = memchr(e, '=', (size_t)(end - e));
		if (!ids)
			return false; /* malformed: nothing is granted */
		if ((size_t)(ids - e) == cl && !strncmp(e, cmd, cl)) {
			for (id = ids + 1; id < end;) {
				size_t n = strcspn(id, "+&");

				if (!n)
					return false; /* "Get=" or "a++b": malformed */
				if ((n == 1 && *id == '*') ||
				    (n == il && !strncmp(id, server_id, il)))
					return true;
				id += n;
				if (*id != '+')
					break;
				id++;
			}
		}
		e = *end ? end + 1 : end;
	}
	return false;
}

int ub_tree_effective_acl(struct ub_tree *t, const char *uri, char *out, size_t max)
{
	char u[UB_URI_MAX + 1];
	struct ub_tree_node n;
	char *slash;
	int err;

	if (strlen(uri) > UB_URI_MAX)
		return UB_E_USAGE;
	snprintf(u, sizeof(u), "%s", uri);
	for (;;) {
		err = ub_tree_get(t, u, &n);
		if (err)
			return err;
		if (n.acl[0] || !strcmp(u, ".")) {
			/* a cut ACL could name a prefix of a ServerID: never */
			err = snprintf(out, max, "%s", n.acl) >= (int)max ? UB_E_BAD_DATA : 0;
			ub_tree_node_free(&n);
			return err;
		}
		ub_tree_node_free(&n);
		slash = strrchr(u, '/');
		if (!slash)
			return UB_E_NOT_FOUND;
		*slash = '\0';
	}
}

int ub_tree_get_as(struct ub_tree *t, const char *server_id, const char *uri,
		   struct ub_tree_node *n)
{
	char acl[UB_ACL_MAX + 1];
	int err = ub_tree_effective_acl(t, uri, acl, sizeof(acl));

	if (err)
		return err;
	if (!ub_acl_allows(acl, "Get", server_id))
		return UB_E_POLICY;
	return ub_tree_get(t, uri, n);
}

int ub_tree_replace_as(struct ub_tree *t, const char *server_id, const char *uri, const char *value)
{
	char acl[UB_ACL_MAX + 1], why[200], canon[UB_URI_MAX + 1], owner[UB_SERVER_ID_MAX + 1];
	struct ub_tree_node n;
	bool changed;
	int err;

	err = ub_tree_get(t, uri, &n);
	if (err)
		return err;
	if (!strcmp(n.format, "node")) {
		ub_tree_node_free(&n);
		return UB_E_USAGE; /* interior nodes have no value */
	}
	snprintf(owner, sizeof(owner), "%s", n.server ? n.server : "");
	ub_tree_node_free(&n);
	/* the ServerID names the account's owner: a server that changed it
	 * would own nodes under a name that is not its own */
	if (ub_dm_is_server_id_leaf(uri))
		return UB_E_POLICY;
	/* Replace of a value needs Replace in the node's ACL in force (its
	 * own, else inherited); changing the ACL itself is another matter */
	err = ub_tree_effective_acl(t, uri, acl, sizeof(acl));
	if (err)
		return err;
	if (!ub_acl_allows(acl, "Replace", server_id))
		return UB_E_POLICY;
	/* what the tree holds can be exported as XML, and read back */
	if (!value || !ub_dm_text_ok(value))
		return UB_E_BAD_DATA;
	/* a reference as a bootstrap's: in its one spelling, to what its
	 * owner may name (apply's rule) */
	if (ub_dm_is_reference(uri, value)) {
		if (ub_uri_canon(value, canon, sizeof(canon), false, NULL, 0))
			return UB_E_BAD_DATA;
		value = canon;
	}
	if ((err = ub_store_begin(t)))
		return err;
	if (ub_dm_is_reference(uri, value))
		err = ub_apply_reference_ok(t, owner[0] ? owner : NULL, uri, value, why,
					    sizeof(why));
	if (!err)
		err = ub_store_set_value(t, uri, value, &changed);
	if (!err && changed)
		err = ub_store_check_capacity(t, why, sizeof(why));
	if (!err && changed)
		return ub_store_commit(t);
	ub_store_rollback(t);
	return err;
}
