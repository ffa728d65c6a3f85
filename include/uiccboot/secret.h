/* libuiccboot: what a process that handles the library's secrets (PINs,
 * GBA keys, the accounts' AAuthSecret in the tree) does about them.
 *
 *   #include <uiccboot/secret.h>
 *
 *   int main(void) { if (ub_secret_harden_process()) exit(70); ... }
 *
 * The library wipes the secrets it holds when it is done with them
 * (OPENSSL_cleanse) and masks them on output; what it cannot do for a
 * program is keep the program's memory off the disk. */
#ifndef UICCBOOT_SECRET_H
#define UICCBOOT_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest secret line, without its newline (a card PIN is 4-8 digits, a
 * factory key 128 hex digits, a DM shared secret well below this). */
#define UB_SECRET_MAX 256

/* Keep the process's memory, which holds PINs and keys, off the disk:
 * the core file size limit (soft and hard) to 0 and the process not
 * dumpable (prctl PR_SET_DUMPABLE 0: no core dump whatever the limit, and
 * /proc/PID/{mem,environ,...} and ptrace are closed to other processes of
 * the same user).  uiccboot calls it first thing; a daemon or DM client
 * that links libuiccboot should call it at start, before it reads a
 * secret (it also stops debuggers of the same user from attaching).
 * Affects the whole process; safe to call more than once.  Returns 0 or
 * UB_E_INTERNAL (errno kept). */
int ub_secret_harden_process(void);

/* Secrets outside the command line: a secret on argv is readable by every
 * local user in /proc/PID/cmdline; these take it from a file, a
 * descriptor or a string the caller got from the environment, into
 * memory the caller owns and wipes. */

/* One secret line from the file at path into out (max bytes with the
 * NUL, the caller's; at most UB_SECRET_MAX + 1 is useful), "-" being
 * standard input (fd 0, not closed).  Symbolic links are followed (secret stores such as
 * systemd's credentials or Kubernetes secrets are links); the mode of
 * what was opened is checked.  The line ends at "\n" or "\r\n"
 * (taken off) or at the end of the data; from a pipe, a FIFO or a terminal
 * only that line is read; a regular file must hold nothing after it.
 * Refused: a regular file or FIFO whose mode gives group or others any
 * access, an empty line, a line longer than max - 1 bytes, NUL or another
 * control character.  Temporaries are wiped; on failure out is wiped; the
 * caller wipes out when done (OPENSSL_cleanse).  Any thread (stdin: one
 * at a time).  Returns the secret's length, UB_E_POLICY (the mode),
 * UB_E_BAD_DATA (the content), UB_E_IO (errno kept), with st filled
 * (never with the secret). */
int ub_secret_read_file(const char *path, char *out, size_t max, struct ub_status *st);

/* Check s as ub_secret_read_file checks a line (not empty, no control
 * character, shorter than max) and copy it into out.  For a secret taken
 * from the environment or argv.  Returns its length or UB_E_BAD_DATA
 * (out wiped).  out is the caller's, who wipes it.  Pure; any thread. */
int ub_secret_copy(const char *s, char *out, size_t max, struct ub_status *st);

/* Open path for writing, creating it with mode 0600 or truncating an
 * existing file, for output that may hold secrets (an APDU trace).
 * Refused: a symbolic link as the last component (O_NOFOLLOW: a link
 * planted in /tmp would make root write where its owner points it), and
 * any existing file that ub_secret_file_private(must_own) refuses; a
 * file of ours readable by others is made 0600 before it is truncated.
 * Returns the descriptor (O_CLOEXEC), UB_E_POLICY or UB_E_IO (errno
 * kept), with st filled.  The caller closes the descriptor.  Any
 * thread. */
int ub_secret_create_private(const char *path, struct ub_status *st);

/* A file written whole that holds secrets (a backup of the tree, a push
 * holding an AAuthSecret), put in place atomically: the data goes into a
 * new file "<path>.XXXXXX" in path's directory, created with O_EXCL and
 * mode 0600 whatever the umask (never a link, never a file someone else
 * opened before), and ub_secret_out_commit renames it over path.  Nobody
 * ever sees a half-written file at path, nor a mode that lets them read.
 * o is the caller's (one thread at a time); every ub_secret_out_open is
 * ended by ub_secret_out_commit or ub_secret_out_abort (abort after commit
 * does nothing). */
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

#ifdef __cplusplus
}
#endif

#endif
