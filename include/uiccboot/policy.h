/* libuiccboot: the device owner's policy (uiccboot-policy(5)): an INI
 * file, built-in defaults when the default file is absent. */
#ifndef UICCBOOT_POLICY_H
#define UICCBOOT_POLICY_H

#include <stddef.h>

#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UB_POLICY_DEFAULT "/etc/uiccboot/policy.conf"

struct ub_policy;

/* Load path (NULL: UB_POLICY_DEFAULT, whose absence means the built-in
 * defaults; a path given must exist).  An unknown key or a bad value is
 * refused with st->where "file:line" and st->what naming the key.
 * Returns 0, UB_E_CONFIG (path given and not there, or a file there that
 * cannot be read), UB_E_BAD_DATA, UB_E_POLICY (a file holding [pin]
 * pin1 that others may read), UB_E_NOMEM.  The policy is wiped (it may
 * hold pin1) by ub_policy_close. */
int ub_policy_open(const char *path, struct ub_policy **out, struct ub_status *st);
void ub_policy_close(struct ub_policy *p);

/* The modem the policy names ([modem] port) as a reader spec, "at:PORT",
 * written into buf (n bytes; UB_POLICY_MODEM_SPEC_MAX holds any); returns
 * buf, or NULL when p (NULL: the defaults) names no modem.  Pure; any
 * thread. */
#define UB_POLICY_MODEM_SPEC_MAX (3 + 256)
const char *ub_policy_modem(const struct ub_policy *p, char *buf, size_t n);

/* The byte layout of a GBA Push Info in effect, for ub_gba_gpi_decode
 * (gba.h): [gba] gpi_layout, checked when the file was read, else (and
 * for p NULL) UB_GBA_GPI_LAYOUT_DEFAULT.  Points into p (valid until
 * ub_policy_close) or to a constant.  Pure; any thread. */
const char *ub_policy_gpi_layout(const struct ub_policy *p);

#ifdef __cplusplus
}
#endif

#endif
