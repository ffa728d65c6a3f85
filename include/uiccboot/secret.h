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

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
