/* The device tree's public calls (tree.h): opening it with the file rules
 * for secrets, reads, the ACL of DM-TND 8.3.7.1.5 checked once, before the
 * store (store.c, all the SQL) is touched.  Bootstraps are written by
 * apply.c, one transaction each. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
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
#include "ub_status.h"
#include "ub_error.h"
#include "ub_secret.h"

/* What the open has checked: the directory and the file, by descriptor. */
struct checked {
	const char *path; /* as the caller gave it, for messages */
	const char *name; /* its last component */
	char dir[PATH_MAX];
	int dfd, fd; /* O_PATH: closing them drops no lock SQLite holds */
	struct stat dst, fst;
};

/* The directory, opened and checked: nobody but its owner, who is us or
 * root, may put a file into it.  Another user who could would put a file
 * of theirs, or a link, in the place of the tree or of the -wal and -shm
 * that SQLite creates at every first open, between any check and the
 * open; in a directory of ours nobody can, so the names checked are the
 * names SQLite opens. */
static int open_dir(struct checked *c, enum ub_tree_mode mode, struct ub_status *st)
{
	const char *slash = strrchr(c->path, '/');
	int gone = mode == UB_TREE_CREATE ? UB_E_CANT_CREATE : UB_E_NO_INPUT;

	c->name = slash ? slash + 1 : c->path;
	if (!*c->name || !strcmp(c->name, ".") || !strcmp(c->name, ".."))
		return ub_fail(st, UB_E_USAGE, 0, NULL, "%s: not the name of a file", c->path);
	if (!slash)
		snprintf(c->dir, sizeof(c->dir), ".");
	else if (slash == c->path)
		snprintf(c->dir, sizeof(c->dir), "/");
	else if ((size_t)(slash - c->path) >= sizeof(c->dir))
		return ub_fail(st, UB_E_USAGE, 0, NULL, "%s: the name is too long", c->path);
	else
		snprintf(c->dir, sizeof(c->dir), "%.*s", (int)(slash - c->path), c->path);
	c->dfd = open(c->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->dfd < 0) {
		if ((errno == ENOENT || errno == ENOTDIR) && mode == UB_TREE_CREATE)
			return ub_fail(
				st, gone, 0, NULL,
				"cannot create %s: the directory %s does not exist (make it, "
				"mode 0700, or choose another place)",
				c->path, c->dir);
		if (errno == ENOENT || errno == ENOTDIR)
			return ub_fail(st, gone, 0, NULL,
				       "%s: no device tree there: the directory %s does not exist",
				       c->path, c->dir);
		if (errno == EACCES)
			return ub_fail(
				st, gone, 0, NULL,
				"%s: the directory %s cannot be reached by us (uid %u): permission "
				"denied",
				c->path, c->dir, (unsigned)geteuid());
		return ub_fail(st, UB_E_IO, 0, NULL, "%s: the directory %s: %s", c->path, c->dir,
			       strerror(errno));
	}
	if (fstat(c->dfd, &c->dst))
		return ub_fail(st, UB_E_IO, 0, NULL, "%s: %s", c->dir, strerror(errno));
	if (c->dst.st_uid != geteuid() && c->dst.st_uid != 0)
		return ub_fail(
			st, UB_E_POLICY, 0, NULL,
			"%s: its directory %s belongs to uid %u, not to us (uid %u) or root: "
			"its owner could put another file in the tree's place",
			c->path, c->dir, (unsigned)c->dst.st_uid, (unsigned)geteuid());
	if (c->dst.st_mode & (S_IWGRP | S_IWOTH))
		return ub_fail(
			st, UB_E_POLICY, 0, NULL,
			"%s: its directory %s is writable by others (mode %04o): a file of "
			"theirs could take the place of the tree's -wal or -shm; keep the tree "
			"in a directory of its own (mode 0700)",
			c->path, c->dir, (unsigned)(c->dst.st_mode & 07777));
	return 0;
}

/* Create the file 0600 ourselves (SQLite would use the umask; its -wal
 * and -shm take the database's mode).  O_EXCL: an existing file, or a
 * symbolic link in its place, is left to the checks.  Only a file just
 * created is opened (for writing) and closed here: closing such a
 * descriptor drops the process's POSIX locks on the file, which SQLite
 * connections of other threads may hold on an existing tree. */
static int create_file(struct checked *c, struct ub_status *st)
{
	int fd = openat(c->dfd, c->name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	switch (errno) {
	case EEXIST:
		return 0;
	case EACCES:
	case EPERM:
		return ub_fail(
			st, UB_E_CANT_CREATE, 0, NULL,
			"cannot create %s: its directory %s is not writable by us (uid %u; the "
			"directory: mode %04o, uid %u): run as its owner, or choose another place",
			c->path, c->dir, (unsigned)geteuid(), (unsigned)(c->dst.st_mode & 07777),
			(unsigned)c->dst.st_uid);
	case EROFS:
		return ub_fail(st, UB_E_CANT_CREATE, 0, NULL,
			       "cannot create %s: %s is on a read-only file system (choose another "
			       "place)",
			       c->path, c->dir);
	default:
		return ub_fail(st,
			       errno == ENOSPC || errno == EDQUOT || errno == EIO
				       ? UB_E_IO
				       : UB_E_CANT_CREATE,
			       0, NULL, "cannot create %s: %s", c->path, strerror(errno));
	}
}

/* Can we read (and write) the file?  Said before SQLite tries, so that the
 * message names the cause; the checks that matter are on descriptors. */
static int access_file(struct checked *c, enum ub_tree_mode mode, struct ub_status *st)
{
	bool write = mode != UB_TREE_READ;

	if (!faccessat(c->dfd, c->name, write ? R_OK | W_OK : R_OK,
		       AT_EACCESS | AT_SYMLINK_NOFOLLOW))
		return 0;
	if (errno == EROFS)
		return ub_fail(
			st, UB_E_CANT_CREATE, 0, NULL,
			"%s: cannot be written: it is on a read-only file system (copy it to "
			"another place to change it)",
			c->path);
	if (errno == EPERM)
		return ub_fail(st, write ? UB_E_CANT_CREATE : UB_E_NO_INPUT, 0, NULL,
			       "%s: cannot be %s: an immutable file (chattr -i)", c->path,
			       write ? "written" : "read");
	if (errno != EACCES)
		return 0; /* SQLite will say */
	if (!write)
		return ub_fail(
			st, UB_E_NO_INPUT, 0, NULL,
			"%s: not readable by us (uid %u): mode %04o, owned by uid %u; run as its "
			"owner",
			c->path, (unsigned)geteuid(), (unsigned)(c->fst.st_mode & 07777),
			(unsigned)c->fst.st_uid);
	return ub_fail(
		st, UB_E_CANT_CREATE, 0, NULL,
		"%s: not writable by us (uid %u): mode %04o, owned by uid %u; run as its owner "
		"(a command that only reads does not need to write it)",
		c->path, (unsigned)geteuid(), (unsigned)(c->fst.st_mode & 07777),
		(unsigned)c->fst.st_uid);
}

/* The -wal or -shm beside the tree, when there is one: a regular file of
 * one name, private, with the tree's owner (SQLite gives them the
 * database's owner); a file of someone else's would hand SQLite their
 * pages to read as the tree's, or take the tree's newest pages. */
static int check_side(struct checked *c, const char *suffix, struct ub_status *st)
{
	char name[NAME_MAX + 1], shown[PATH_MAX + 8];
	struct stat sb;
	int fd, err;

	if ((size_t)snprintf(name, sizeof(name), "%s%s", c->name, suffix) >= sizeof(name))
		return ub_fail(st, UB_E_USAGE, 0, NULL, "%s: the name is too long", c->path);
	snprintf(shown, sizeof(shown), "%s%s", c->path, suffix);
	fd = openat(c->dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT
			       ? 0
			       : ub_fail(st, UB_E_IO, 0, NULL, "%s: %s", shown, strerror(errno));
	err = ub_secret_file_private(fd, false, shown, st);
	if (!err && fstat(fd, &sb))
		err = ub_fail(st, UB_E_IO, 0, NULL, "%s: %s", shown, strerror(errno));
	else if (!err && sb.st_uid != c->fst.st_uid)
		err = ub_fail(
			st, UB_E_POLICY, 0, NULL,
			"%s: owned by uid %u, the tree by uid %u; refusing a file that is not "
			"the tree's",
			shown, (unsigned)sb.st_uid, (unsigned)c->fst.st_uid);
	close(fd);
	if (err == UB_E_NOT_FOUND) /* removed meanwhile: SQLite's last close */
		err = 0, ub_status_clear(st);
	return err;
}

/* The tree file, by descriptor: not a link, one name, private. */
static int check_file(struct checked *c, enum ub_tree_mode mode, struct ub_status *st)
{
	int err;

	c->fd = openat(c->dfd, c->name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (c->fd < 0) {
		if (errno == ENOENT && mode != UB_TREE_CREATE)
			return ub_fail(
				st, UB_E_NO_INPUT, 0, NULL,
				"%s: no such file: no device tree there yet (the first bootstrap, "
				"push or import makes one)",
				c->path);
		return ub_fail(st, UB_E_IO, 0, NULL, "%s: %s", c->path, strerror(errno));
	}
	/* it holds the accounts' secrets: no link to elsewhere, no access
	 * for others (made 0600 when it is ours) */
	err = ub_secret_file_private(c->fd, false, c->path, st);
	if (err == UB_E_NOT_FOUND)
		return ub_fail(st, UB_E_IO, 0, NULL, "%s: removed while it was being opened",
			       c->path);
	if (err)
		return err;
	if (fstat(c->fd, &c->fst))
		return ub_fail(st, UB_E_IO, 0, NULL, "%s: %s", c->path, strerror(errno));
	return access_file(c, mode, st) ?: check_side(c, "-wal", st) ?: check_side(c, "-shm", st);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* While and after SQLite opens: the names it opens still name what was
 * checked (the directory by the path SQLite was given, the file in it),
 * and the -wal and -shm it made or found are the tree's. */
struct recheck {
	struct checked *c;
	const char *real_dir;
};

static int recheck(void *arg, struct ub_status *st)
{
	struct recheck *r = arg;
	struct checked *c = r->c;
	struct stat sb;

	if (stat(r->real_dir, &sb) || !same_file(&sb, &c->dst))
		return ub_fail(st, UB_E_POLICY, 0, NULL,
			       "%s: its directory %s was replaced while the tree was being opened",
			       c->path, r->real_dir);
	if (fstatat(c->dfd, c->name, &sb, AT_SYMLINK_NOFOLLOW) || !same_file(&sb, &c->fst))
		return ub_fail(st, UB_E_POLICY, 0, NULL,
			       "%s: replaced by another file while it was being opened", c->path);
	return check_side(c, "-wal", st) ?: check_side(c, "-shm", st);
}

/* A reader of a WAL database needs its -shm, which SQLite creates beside
 * it when it is not there: in a directory we cannot write, it cannot. */
static int read_where_unwritable(struct checked *c, struct ub_status *st)
{
	char shm[NAME_MAX + 1];

	snprintf(shm, sizeof(shm), "%s-shm", c->name);
	if (!faccessat(c->dfd, shm, F_OK, AT_SYMLINK_NOFOLLOW) ||
	    !faccessat(c->dfd, ".", W_OK, AT_EACCESS))
		return UB_E_IO; /* not that: SQLite's own words stand */
	return ub_fail(st, UB_E_NO_INPUT, 0, NULL,
		       "%s: cannot be read here: SQLite needs to create its -shm beside it, and %s "
		       "%s; copy the tree to a place we may write",
		       c->path, c->dir,
		       errno == EROFS ? "is on a read-only file system" : "is not writable by us");
}

int ub_tree_open_mode(const char *path, enum ub_tree_mode mode, struct ub_tree **out,
		      struct ub_status *st)
{
	struct checked c = {.path = path, .dfd = -1, .fd = -1};
	char proc[40], real_dir[PATH_MAX], db[PATH_MAX + NAME_MAX + 2];
	struct ub_tree *t = NULL;
	ssize_t n;
	int err;

	*out = NULL;
	ub_status_clear(st);
	if (!path || (unsigned)mode > UB_TREE_CREATE)
		return ub_fail(st, UB_E_USAGE, 0, NULL, "no tree path, or an unknown mode");
	err = open_dir(&c, mode, st);
	if (!err && mode == UB_TREE_CREATE)
		err = create_file(&c, st);
	if (!err)
		err = check_file(&c, mode, st);
	/* SQLite opens by name, and refuses a symbolic link anywhere in it:
	 * the directory as the kernel names the one checked */
	if (!err) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", c.dfd);
		n = readlink(proc, real_dir, sizeof(real_dir) - 1);
		if (n > 0)
			real_dir[n] = '\0';
		else if (!realpath(c.dir, real_dir))
			err = ub_fail(st, UB_E_IO, 0, NULL, "%s: %s", c.dir, strerror(errno));
		if (!err &&
		    (size_t)snprintf(db, sizeof(db), "%s%s%s", real_dir,
				     strcmp(real_dir, "/") ? "/" : "", c.name) >= sizeof(db))
			err = ub_fail(st, UB_E_USAGE, 0, NULL, "%s: the name is too long", path);
	}
	if (!err && !(t = calloc(1, sizeof(*t))))
		err = ub_fail(st, UB_E_NOMEM, 0, NULL, "%s: out of memory", path);
	if (!err) {
		struct recheck r = {&c, real_dir};

		err = ub_store_open(t, db, mode == UB_TREE_READ, recheck, &r, st);
		if (err == UB_E_IO && mode == UB_TREE_READ)
			err = read_where_unwritable(&c, st);
		/* SQLite's words for the file: said with its name */
		if (err && st && st->err == err && strncmp(st->what, path, strlen(path)))
			ub_status_pre(st, "%s: ", path);
	}
	if (!err)
		err = recheck(&(struct recheck){&c, real_dir}, st);
	if (c.fd >= 0)
		close(c.fd);
	if (c.dfd >= 0)
		close(c.dfd);
	if (err) {
		/* the file is where, whichever check refused it */
		if (st && st->err != err)
			ub_fail(st, err, 0, path, NULL);
		else if (st && !st->where[0])
			snprintf(st->where, sizeof(st->where), "%s", path);
		/* nothing of a file refused goes into the tree on the way out */
		if (t && t->db)
			sqlite3_db_config(t->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
		ub_tree_close(t);
		return err;
	}
	*out = t;
	return 0;
}

int ub_tree_open(const char *path, struct ub_tree **out)
{
	return ub_tree_open_mode(path, UB_TREE_CREATE, out, NULL);
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

struct acl_query {
	const char *cmd, *server_id;
};

static int acl_match(const char *cmd, size_t cl, const char *id, size_t il, void *arg)
{
	const struct acl_query *q = arg;

	return cl == strlen(q->cmd) && !strncmp(cmd, q->cmd, cl) &&
	       ((il == 1 && *id == '*') ||
		(il == strlen(q->server_id) && !strncmp(id, q->server_id, il)));
}

/* A malformed ACL grants nothing, not even by an entry before the fault. */
bool ub_acl_allows(const char *acl, const char *cmd, const char *server_id)
{
	struct acl_query q = {cmd, server_id};

	return ub_dm_acl_ok(acl) && ub_acl_walk(acl, acl_match, &q) == 1;
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
	char acl[UB_ACL_MAX + 1], canon[UB_URI_MAX + 1], owner[UB_SERVER_ID_MAX + 1];
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
		if (ub_uri_canon(value, canon, sizeof(canon), false, NULL))
			return UB_E_BAD_DATA;
		value = canon;
	}
	if ((err = ub_store_begin(t)))
		return err;
	if (ub_dm_is_reference(uri, value))
		err = ub_apply_reference_ok(t, owner[0] ? owner : NULL, uri, value, NULL);
	if (!err)
		err = ub_store_set_value(t, uri, value, &changed);
	if (!err && changed)
		err = ub_store_check_capacity(t, NULL);
	if (!err && changed)
		return ub_store_commit(t);
	ub_store_rollback(t);
	return err;
}
