/* The card's OMA bootstrap objects (OMA-TS-DM_Bootstrap 5.4.6, OMA-WAP-ProvSC): PKCS#15 oidDO
 * entries DM Bootstrap 2.23.43.7.1, then CP Bootstrap, Config1, Config2 (2.23.43.5.1/2/3), the
 * first present and non-empty one is used. */
#ifndef UB_CARDBOOT_H
#define UB_CARDBOOT_H

#include "ub_uicc.h"

struct ub_boot_oid {
	uint8_t oid[4];
	const char *dotted, *name;
};
extern const struct ub_boot_oid ub_boot_oids[4]; /* in order of preference */

/* The index into ub_boot_oids of o, or -1. */
int ub_boot_oid_index(const struct ub_p15_oid_do *o);

/* Read the preferred bootstrap object into buf (contents redacted in the
 * trace).  *which: its ub_boot_oids entry.  Returns the length, 0 when the
 * card holds none, or an error. */
int ub_cardboot_read(struct ub_uicc *u, uint8_t *buf, size_t max, const struct ub_boot_oid **which,
		     struct ub_status *st);

#endif
