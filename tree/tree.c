/* The device tree in SQLite (R-BOOT 7): schema, ACLs, reads.  Writes of
 * bootstraps are in apply.c, one transaction each. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "tree.h"
#include "tree_internal.h"
#include "ub_error.h"
#include "ub_secret.h"

#define SCHEMA_VERSION 3

/* Each entry moves the schema from version i to i+1. */
static const char *const migrations[SCHEMA_VERSION] = {
	"CREATE TABLE node("
	" uri TEXT PRIMARY KEY,"
	" parent TEXT,"
	" format TEXT NOT NULL,"
	" type TEXT,"
	" value TEXT,"
	" acl TEXT NOT NULL DEFAULT '',"
	" server TEXT,"
	" source TEXT);"
	"CREATE INDEX node_parent ON node(parent);"
	"CREATE INDEX node_server ON node(server);"
	/* the root: owned by the device, Add=*&Get=* (DM-TND 8.3.7.1.5) */
	"INSERT INTO node(uri, parent, format, acl) VALUES('.', NULL, 'node', 'Add=*&Get=*');",
	/* 2: what each source last applied, by digest (unchanged card data
	 * is not written again) */
	"CREATE TABLE provenance("
	" source TEXT PRIMARY KEY,"
	" digest TEXT NOT NULL,"
	" applied INTEGER NOT NULL);"
	"CREATE INDEX node_source ON node(source);",
	/* 3: containers belong to the device (earlier versions gave
	 * ./SyncML/DMAcc and its like to their first creator, whose removal
	 * then took other servers' accounts with it).  A migration is a record
	 * of its day: the list is spelled here, not taken from dm/names.c. */
	("UPDATE node SET server = NULL, source = NULL WHERE uri IN "
	 "('.', './DMAcc', './ConnMO', './SyncML', './SyncML/DMAcc', './SyncML/Con');"),
};

int ub_tree_sql(struct ub_tree *t, const char *sql)
{
	return sqlite3_exec(t->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : UB_E_IO;
}

static sqlite3_stmt *prepare_bound(struct ub_tree *t, const char *sql, int n, va_list ap)
{
	sqlite3_stmt *st;
	int i;

	if (sqlite3_prepare_v2(t->db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	for (i = 1; i <= n; i++)
		sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_STATIC);
	return st;
}

int ub_tree_run(struct ub_tree *t, int *changes, const char *sql, int n, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int err;

	va_start(ap, n);
	st = prepare_bound(t, sql, n, ap);
	va_end(ap);
	if (!st)
		return UB_E_IO;
	err = sqlite3_step(st) == SQLITE_DONE ? 0 : UB_E_IO;
	if (!err && changes)
		*changes = sqlite3_changes(t->db);
	sqlite3_finalize(st);
	return err;
}

int ub_tree_value(struct ub_tree *t, char *out, size_t max, const char *sql, int n, ...)
{
	const unsigned char *v;
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, n);
	st = prepare_bound(t, sql, n, ap);
	va_end(ap);
	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		v = sqlite3_column_text(st, 0);
		snprintf(out, max, "%s", v ? (const char *)v : "");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : UB_E_IO;
}

static int user_version(struct ub_tree *t, int *version)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(t->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : UB_E_IO;
}

static int migrate(struct ub_tree *t)
{
	int version = 0, err;

	if ((err = user_version(t, &version)))
		return err;
	if (version > SCHEMA_VERSION)
		return UB_E_NOT_SUPPORTED; /* written by a newer uiccboot */
	if (version == SCHEMA_VERSION)
		return 0;
	/* Read the version again inside the write transaction: another
	 * process (or a reader thread of --all-readers) may have migrated
	 * the tree meanwhile. */
	if ((err = ub_tree_sql(t, "BEGIN IMMEDIATE")))
		return err;
	err = user_version(t, &version);
	if (!err && version > SCHEMA_VERSION)
		err = UB_E_NOT_SUPPORTED;
	for (; !err && version < SCHEMA_VERSION; version++)
		err = ub_tree_sql(t, migrations[version]);
	if (!err && version == SCHEMA_VERSION) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
		err = ub_tree_sql(t, sql);
	}
	if (!err)
		err = ub_tree_sql(t, "COMMIT");
	if (err)
		ub_tree_sql(t, "ROLLBACK");
	return err;
}

/* Switching a new file to WAL takes a lock that the busy handler does not
 * wait for: several processes (or --all-readers threads) opening a new
 * tree at once get SQLITE_BUSY.  Retry for up to 5 s. */
static int set_wal(struct ub_tree *t)
{
	int i, rc;

	for (i = 0; i < 500; i++) {
		rc = sqlite3_exec(t->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc != SQLITE_BUSY)
			return rc == SQLITE_OK ? 0 : UB_E_IO;
		sqlite3_sleep(10);
	}
	return UB_E_IO;
}

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
	if (sqlite3_open_v2(path, &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) !=
	    SQLITE_OK) {
		ub_tree_close(t);
		return UB_E_IO;
	}
	sqlite3_busy_timeout(t->db, 5000);
	err = set_wal(t)
		      ?: ub_tree_sql(t, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
					"PRAGMA secure_delete=ON;");
	if (!err)
		err = migrate(t);
	if (err) {
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
	sqlite3_close(t->db);
	free(t);
}

static char *col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

int ub_tree_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n)
{
	sqlite3_stmt *st;
	int rc, err = UB_E_NOT_FOUND;

	memset(n, 0, sizeof(*n));
	if (sqlite3_prepare_v2(t->db,
			       "SELECT uri, format, type, value, acl, server, source FROM node "
			       "WHERE uri = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n->uri = col(st, 0);
		n->format = col(st, 1);
		n->type = col(st, 2);
		n->value = col(st, 3);
		n->acl = col(st, 4);
		n->server = col(st, 5);
		n->source = col(st, 6);
		err = n->uri && n->format && n->acl ? 0 : UB_E_NOMEM;
	} else if (rc != SQLITE_DONE) {
		err = UB_E_IO;
	}
	sqlite3_finalize(st);
	if (err && err != UB_E_NOT_FOUND)
		ub_tree_node_free(n);
	return err;
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

int ub_tree_list(struct ub_tree *t, const char *uri, void (*cb)(const char *name, void *arg),
		 void *arg)
{
	sqlite3_stmt *st;
	size_t plen = strlen(uri);
	int count = 0, rc;

	if (sqlite3_prepare_v2(t->db, "SELECT uri FROM node WHERE parent = ? ORDER BY uri", -1, &st,
			       NULL) != SQLITE_OK)
		return UB_E_IO;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *u = (const char *)sqlite3_column_text(st, 0);

		if (cb && u && strlen(u) > plen + 1)
			cb(u + plen + 1, arg);
		count++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? count : UB_E_IO;
}

int ub_tree_count(struct ub_tree *t)
{
	sqlite3_stmt *st;
	int n = UB_E_IO;

	if (sqlite3_prepare_v2(t->db, "SELECT count(*) FROM node", -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
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
	char u[UB_TREE_URI_MAX + 1];
	struct ub_tree_node n;
	char *slash;
	int err;

	if (strlen(uri) > UB_TREE_URI_MAX)
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
	char acl[UB_ACL_MAX + 1];
	struct ub_tree_node n;
	sqlite3_stmt *st;
	int err;

	err = ub_tree_get(t, uri, &n);
	if (err)
		return err;
	if (!strcmp(n.format, "node")) {
		ub_tree_node_free(&n);
		return UB_E_USAGE; /* interior nodes have no value */
	}
	ub_tree_node_free(&n);
	/* Replace of a value needs Replace in the node's ACL in force (its
	 * own, else inherited); changing the ACL itself is another matter */
	err = ub_tree_effective_acl(t, uri, acl, sizeof(acl));
	if (err)
		return err;
	if (!ub_acl_allows(acl, "Replace", server_id))
		return UB_E_POLICY;
	/* what the tree holds can be exported as XML */
	if (!value || !ub_dm_text_ok(value))
		return UB_E_BAD_DATA;
	if (sqlite3_prepare_v2(t->db, "UPDATE node SET value = ? WHERE uri = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return UB_E_IO;
	sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, uri, -1, SQLITE_STATIC);
	err = sqlite3_step(st) == SQLITE_DONE ? 0 : UB_E_IO;
	sqlite3_finalize(st);
	return err;
}
