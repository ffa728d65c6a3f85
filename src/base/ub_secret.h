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

/* ub_secret_harden_process, UB_SECRET_MAX, ub_secret_read_file,
 * ub_secret_copy, ub_secret_create_private and ub_secret_out_* are public:
 * secret.h. */

#endif
