/* Secrets outside the command line, files that hold secrets, and a process
 * that keeps secrets off the disk.
 *
 * A secret (a PIN, a shared secret, a key file's hex) given on argv is
 * readable by every local user in /proc/PID/cmdline; these functions take
 * it from a file, a descriptor or a string the caller got from the
 * environment, into memory the caller owns and wipes (OPENSSL_cleanse).
 * Files the library writes that may hold secrets (the APDU trace with
 * --trace-secrets, the device tree) are kept private to their owner. */
#ifndef UB_SECRET_H
#define UB_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "secret.h"
#include "ub_error.h"

/* Longest secret line, without its newline (a card PIN is 4-8 digits, a
 * factory key 128 hex digits, a DM shared secret well below this). */
#define UB_SECRET_MAX 256

/* Read one secret line from fd into out (max bytes with the NUL; at most
 * UB_SECRET_MAX + 1 is useful).  The line ends at "\n" or "\r\n" (taken
 * off) or at the end of the data; from a pipe, a FIFO or a terminal only
 * that line is read, so the rest is left to the caller; a regular file
 * must hold nothing after it.  Refused: a regular file or FIFO whose mode
 * gives group or others any access (others could read the secret too),
 * an empty line, a line longer than max - 1 bytes, NUL or another control
 * character (C0, DEL).  Temporaries are wiped; on failure out is wiped.
 * Returns the secret's length, or UB_E_POLICY (the mode), UB_E_BAD_DATA
 * (the content), UB_E_IO (read error, errno kept), with st filled
 * (never with the secret). */
int ub_secret_read_fd(int fd, char *out, size_t max, struct ub_status *st);

/* The same for the file at path, "-" being standard input (fd 0, not
 * closed).  Symbolic links are followed (secret stores such as
 * systemd's credentials or Kubernetes secrets are links); the mode of
 * what was opened is checked.  Returns as ub_secret_read_fd, and UB_E_IO
 * when path cannot be opened (errno kept). */
int ub_secret_read_file(const char *path, char *out, size_t max, struct ub_status *st);

/* Check s as ub_secret_read_fd checks a line (not empty, no control
 * character, shorter than max) and copy it into out.  For a secret taken
 * from the environment or argv.  Returns its length or UB_E_BAD_DATA
 * (out wiped). */
int ub_secret_copy(const char *s, char *out, size_t max, struct ub_status *st);

/* fd (a descriptor of any kind, O_PATH too) names a file that holds or
 * will hold secrets: it must be a regular file with one link (a second
 * link would be a second name with its own directory's rules); if its
 * mode gives group or others access, it is made 0600 when the effective
 * user owns it and refused otherwise.  must_own: refuse another user's
 * file even when it is already private (a file we are about to
 * overwrite).  name: the file's name for st.  Returns 0, UB_E_POLICY
 * (st names the file, its mode and owner), UB_E_NOT_FOUND (no name left:
 * removed since it was opened), UB_E_IO. */
int ub_secret_file_private(int fd, bool must_own, const char *name, struct ub_status *st);

/* ub_secret_file_private for the file at path, which must not be a
 * symbolic link.  The file is looked at through an O_PATH descriptor,
 * which is never opened for reading or writing: closing it does not drop
 * the process's POSIX locks on the file (SQLite's locks on a database
 * that another thread of the process has open).  optional: a missing file
 * is fine (returns 0), also one removed while it is checked.  Returns 0,
 * UB_E_POLICY, UB_E_IO (errno kept). */
int ub_secret_path_private(const char *path, bool optional, bool must_own, struct ub_status *st);

/* Open path for writing, creating it with mode 0600 or truncating an
 * existing file, for output that may hold secrets (an APDU trace).
 * Refused: a symbolic link as the last component (O_NOFOLLOW: a link
 * planted in /tmp would make root write where its owner points it), and
 * any existing file that ub_secret_file_private(must_own) refuses; a
 * file of ours readable by others is made 0600 before it is truncated.
 * Returns the descriptor (O_CLOEXEC), UB_E_POLICY or UB_E_IO (errno
 * kept), with st filled. */
int ub_secret_create_private(const char *path, struct ub_status *st);

/* A file written whole that holds secrets (a backup of the tree, a push
 * holding an AAuthSecret), put in place atomically: the data goes into a
 * new file "<path>.XXXXXX" in path's directory, created with O_EXCL and
 * mode 0600 whatever the umask (never a link, never a file someone else
 * opened before), and ub_secret_out_commit renames it over path.  Nobody
 * ever sees a half-written file at path, nor a mode that lets them read. */
struct ub_secret_out {
	int fd; /* where to write; -1 once committed or aborted */
	char path[4096];
	char tmp[4096 + 8];
};

/* Refused, before anything is created: path a symbolic link (a link
 * planted in a shared directory would otherwise decide what is
 * replaced), or an existing file that is not a regular file or is owned
 * by another user.  Returns 0 (o->fd open for writing, O_CLOEXEC),
 * UB_E_POLICY, or UB_E_CANT_CREATE (the directory, errno kept), with st
 * filled. */
int ub_secret_out_open(struct ub_secret_out *o, const char *path, struct ub_status *st);

/* fsync the data, close o->fd, rename the file over path.  On failure the
 * new file is removed and path left as it was.  Returns 0, UB_E_IO (the
 * data did not reach the disk) or UB_E_CANT_CREATE (the rename). */
int ub_secret_out_commit(struct ub_secret_out *o, struct ub_status *st);

/* Close o->fd and remove the new file (after a failed write); nothing
 * when committed already. */
void ub_secret_out_abort(struct ub_secret_out *o);

/* ub_secret_harden_process() is public: secret.h. */

#endif
