/* Reading the card's bootstrap objects through PKCS#15. */
#include <string.h>

#include "ub_cardboot.h"
#include "ub_error.h"

const struct ub_boot_oid ub_boot_oids[4] = {
	{{0x67, 0x2B, 0x07, 0x01}, "2.23.43.7.1", "DM Bootstrap"},
	{{0x67, 0x2B, 0x05, 0x01}, "2.23.43.5.1", "CP Bootstrap"},
	{{0x67, 0x2B, 0x05, 0x02}, "2.23.43.5.2", "CP Config1"},
	{{0x67, 0x2B, 0x05, 0x03}, "2.23.43.5.3", "CP Config2"},
};

int ub_boot_oid_index(const struct ub_p15_oid_do *o)
{
	int i;

	for (i = 0; i < 4; i++)
		if (ub_p15_oid_is(o, ub_boot_oids[i].oid, 4))
			return i;
	return -1;
}

int ub_cardboot_read(struct ub_uicc *u, uint8_t *buf, size_t max, const struct ub_boot_oid **which,
		     struct ub_status *st)
{
	const struct ub_app *p15;
	struct ub_p15_oid_do objs[16];
	int n, i, j, len;
	size_t k;

	*which = NULL;
	n = ub_uicc_find_app(u, UB_APP_PKCS15, &p15, st);
	if (n == UB_E_NOT_FOUND)
		return 0;
	if (n)
		return n;
	n = ub_uicc_p15_objects(u, p15, objs, 16, st);
	if (n < 0)
		return n;
	for (i = 0; i < 4; i++) {
		for (j = 0; j < n; j++) {
			if (ub_boot_oid_index(&objs[j]) != i)
				continue;
			/* bootstrap EF contents are secret in the trace */
			len = ub_uicc_p15_read(u, p15, &objs[j].path, buf, max, true,
					       ub_boot_oids[i].name, st);
			if (len < 0)
				return len;
			for (k = (size_t)len; k && buf[k - 1] == 0xFF; k--)
				;
			if (k) { /* present and not empty */
				*which = &ub_boot_oids[i];
				return len;
			}
		}
	}
	return 0;
}
