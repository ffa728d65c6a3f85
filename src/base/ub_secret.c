/* Secrets from files and descriptors, private files, no core dumps. */
#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub_error.h"
#include "ub_secret.h"

/* Any access for group or others: they could read what we put there. */
static bool shared_mode(const struct stat *st)
{
	return (st->st_mode & 077) != 0;
}

/* The content rule shared by lines and strings; n bytes at s. */
static int check_text(const char *s, size_t n, size_t max, struct ub_status *st)
{
	size_t i;

	if (!n)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "empty");
	if (n >= max)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "longer than %zu bytes", max - 1);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "byte %zu is a control character (NUL, C0 or DEL)", i + 1);
	return 0;
}

int ub_secret_copy(const char *s, char *out, size_t max, struct ub_status *st)
{
	size_t n = strnlen(s, max);
	int err;

	if (!max)
		return UB_E_USAGE;
	if ((err = check_text(s, n, max, st))) {
		OPENSSL_cleanse(out, max);
		return err;
	}
	memcpy(out, s, n);
	out[n] = '\0';
	return (int)n;
}

/* One byte; 1, 0 at the end of the data, or UB_E_IO. */
static int read_byte(int fd, char *c)
{
	ssize_t r;

	do
		r = read(fd, c, 1);
	while (r < 0 && errno == EINTR);
	return r < 0 ? UB_E_IO : (int)r;
}

int ub_secret_read_fd(int fd, char *out, size_t max, struct ub_status *st)
{
	struct stat sb;
	size_t n = 0;
	char c = 0;
	int r, err = 0;

	if (!max)
		return UB_E_USAGE;
	if (fstat(fd, &sb))
		return ub_fail(st, UB_E_IO, 0, NULL, "%s", strerror(errno));
	if ((S_ISREG(sb.st_mode) || S_ISFIFO(sb.st_mode)) && shared_mode(&sb))
		return ub_fail(st, UB_E_POLICY, 0, NULL,
			       "mode %04o gives others access (it must be mode 0600 or stricter)",
			       (unsigned)(sb.st_mode & 07777));
	/* Byte by byte: from a pipe only this line is taken, the rest of
	 * standard input is the caller's.  The bound is max bytes, so one
	 * byte more than fits tells "too long" from "fits exactly". */
	while ((r = read_byte(fd, &c)) == 1 && c != '\n' && n < max)
		out[n++] = c;
	if (r < 0) {
		err = ub_fail(st, UB_E_IO, 0, NULL, "%s", strerror(errno));
	} else if (r == 1 && c != '\n') {
		err = ub_fail(st, UB_E_BAD_DATA, 0, NULL, "longer than %zu bytes", max - 1);
	} else {
		if (n && out[n - 1] == '\r')
			n--; /* a line written by a DOS editor */
		err = check_text(out, n, max, st);
		/* a regular file holds the secret and nothing else */
		if (!err && r == 1 && S_ISREG(sb.st_mode) && (r = read_byte(fd, &c)) != 0)
			err = r < 0 ? ub_fail(st, UB_E_IO, 0, NULL, "%s", strerror(errno))
				    : ub_fail(st, UB_E_BAD_DATA, 0, NULL,
					      "more than one line (a secret is one line)");
	}
	OPENSSL_cleanse(&c, sizeof(c));
	if (err) {
		OPENSSL_cleanse(out, max);
		return err;
	}
	out[n] = '\0';
	return (int)n;
}

int ub_secret_read_file(const char *path, char *out, size_t max, struct ub_status *st)
{
	int fd, n;

	if (!strcmp(path, "-"))
		return ub_secret_read_fd(0, out, max, st);
	/* O_NOCTTY: a terminal given as the file must not become ours */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return ub_fail(st, UB_E_IO, 0, path, "%s", strerror(errno));
	n = ub_secret_read_fd(fd, out, max, st);
	close(fd);
	if (n < 0)
		ub_status_at(st, "%s", path); /* the file is where */
	return n;
}

int ub_secret_file_private(int fd, bool must_own, const char *name, struct ub_status *st)
{
	char proc[40];
	struct stat sb;

	if (fstat(fd, &sb))
		return ub_fail(st, UB_E_IO, 0, name, "%s: %s", name, strerror(errno));
	if (S_ISLNK(sb.st_mode))
		return ub_fail(st, UB_E_POLICY, 0, name,
			       "%s: a symbolic link; refusing to follow it", name);
	if (!S_ISREG(sb.st_mode))
		return ub_fail(st, UB_E_POLICY, 0, name, "%s: not a regular file (mode %06o)", name,
			       (unsigned)sb.st_mode);
	/* no name left: removed since it was opened (SQLite deletes -wal and
	 * -shm on its last close) */
	if (sb.st_nlink == 0)
		return ub_fail(st, UB_E_NOT_FOUND, 0, name, "%s: removed while being checked",
			       name);
	if (sb.st_nlink != 1)
		return ub_fail(st, UB_E_POLICY, 0, name,
			       "%s: has %lu names (hard links); refusing a file that is also "
			       "elsewhere",
			       name, (unsigned long)sb.st_nlink);
	if (sb.st_uid != geteuid() && (must_own || shared_mode(&sb)))
		return ub_fail(st, UB_E_POLICY, 0, name,
			       "%s: mode %04o, owned by uid %u, not by us (uid %u); refusing it",
			       name, (unsigned)(sb.st_mode & 07777), (unsigned)sb.st_uid,
			       (unsigned)geteuid());
	if (!shared_mode(&sb))
		return 0;
	/* an O_PATH descriptor cannot be fchmod'ed; its /proc link names
	 * exactly the inode just checked, whatever happens to the path */
	if (fchmod(fd, sb.st_mode & 0600)) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		if (errno != EBADF || chmod(proc, sb.st_mode & 0600))
			return ub_fail(st, UB_E_IO, 0, name, "%s: chmod 0600: %s", name,
				       strerror(errno));
	}
	return 0;
}

int ub_secret_path_private(const char *path, bool optional, bool must_own, struct ub_status *st)
{
	/* O_PATH | O_NOFOLLOW opens a symbolic link itself: fstat then says
	 * S_IFLNK and ub_secret_file_private refuses it */
	int fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC), err;

	if (fd < 0) {
		if (optional && errno == ENOENT)
			return 0;
		return ub_fail(st, UB_E_IO, 0, path, "%s: %s", path, strerror(errno));
	}
	err = ub_secret_file_private(fd, must_own, path, st);
	close(fd);
	if (optional && err == UB_E_NOT_FOUND) {
		ub_status_clear(st);
		return 0;
	}
	return err;
}

int ub_secret_create_private(const char *path, struct ub_status *st)
{
	/* Not O_TRUNC: a file is truncated only once it is known to be ours.
	 * O_NONBLOCK: a FIFO without a reader must not hang the open (it is
	 * refused below anyway); O_NOCTTY: a tty must not become ours. */
	int fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK,
		      0600),
	    err;

	if (fd < 0) {
		if (errno == ELOOP)
			return ub_fail(st, UB_E_POLICY, 0, path,
				       "%s: a symbolic link; refusing to follow it", path);
		return ub_fail(st, UB_E_IO, 0, path, "%s: %s", path, strerror(errno));
	}
	err = ub_secret_file_private(fd, true, path, st);
	if (!err && ftruncate(fd, 0))
		err = ub_fail(st, UB_E_IO, 0, path, "%s: truncate: %s", path, strerror(errno));
	if (!err && fcntl(fd, F_SETFL, 0))
		err = ub_fail(st, UB_E_IO, 0, path, "%s: %s", path, strerror(errno));
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int ub_secret_out_open(struct ub_secret_out *o, const char *path, struct ub_status *st)
{
	struct stat sb;
	int fd;

	o->fd = -1;
	if (!*path || strlen(path) >= sizeof(o->path))
		return ub_fail(st, UB_E_IO, 0, path, "%.100s: %s", path, strerror(ENAMETOOLONG));
	snprintf(o->path, sizeof(o->path), "%s", path);
	snprintf(o->tmp, sizeof(o->tmp), "%s.XXXXXX", path);
	/* what is there now: O_PATH | O_NOFOLLOW sees a link itself */
	fd = open(path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		return ub_fail(st, UB_E_CANT_CREATE, 0, path, "%s: %s", path, strerror(errno));
	if (fd >= 0) {
		if (fstat(fd, &sb)) {
			close(fd);
			return ub_fail(st, UB_E_IO, 0, path, "%s: %s", path, strerror(errno));
		}
		close(fd);
		if (S_ISLNK(sb.st_mode))
			return ub_fail(st, UB_E_POLICY, 0, path,
				       "%s: a symbolic link; refusing to write through or over it",
				       path);
		if (!S_ISREG(sb.st_mode))
			return ub_fail(st, UB_E_POLICY, 0, path,
				       "%s: not a regular file (mode %06o)", path,
				       (unsigned)sb.st_mode);
		if (sb.st_uid != geteuid())
			return ub_fail(
				st, UB_E_POLICY, 0, path,
				"%s: owned by uid %u, not by us (uid %u); refusing to replace "
				"it",
				path, (unsigned)sb.st_uid, (unsigned)geteuid());
	}
	/* mkostemp: O_CREAT | O_EXCL, mode 0600 */
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0)
		return ub_fail(st, UB_E_CANT_CREATE, 0, path, "%s: a new file beside it: %s", path,
			       strerror(errno));
	if (fchmod(o->fd, 0600)) { /* mkostemp's mode, said again */
		ub_secret_out_abort(o);
		return ub_fail(st, UB_E_IO, 0, path, "%s: chmod 0600: %s", o->tmp, strerror(errno));
	}
	return 0;
}

int ub_secret_out_commit(struct ub_secret_out *o, struct ub_status *st)
{
	int err = 0;

	if (o->fd < 0)
		return ub_fail(st, UB_E_IO, 0, o->path, "%s: not open", o->path);
	if (fsync(o->fd))
		err = ub_fail(st, UB_E_IO, 0, o->path, "%s: fsync: %s", o->tmp, strerror(errno));
	if (close(o->fd) && !err)
		err = ub_fail(st, UB_E_IO, 0, o->path, "%s: close: %s", o->tmp, strerror(errno));
	o->fd = -1;
	/* rename() replaces path itself, never what a link there names */
	if (!err && rename(o->tmp, o->path))
		err = ub_fail(st, UB_E_CANT_CREATE, 0, o->path, "%s: rename: %s", o->path,
			      strerror(errno));
	if (err)
		unlink(o->tmp);
	return err;
}

void ub_secret_out_abort(struct ub_secret_out *o)
{
	if (o->fd < 0)
		return;
	close(o->fd);
	o->fd = -1;
	unlink(o->tmp);
}

int ub_secret_harden_process(void)
{
	const struct rlimit none = {0, 0};

	if (setrlimit(RLIMIT_CORE, &none) || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		return UB_E_INTERNAL;
	return 0;
}
