/* Reading the card's bootstrap objects through PKCS#15 (ub_cardboot.h). */
#include <stdio.h>
#include <string.h>

#include "ub_cardboot.h"
#include "ub_error.h"

const struct ub_boot_oid ub_boot_oids[5] = {
	{{0x67, 0x2B, 0x07, 0x01}, "2.23.43.7.1", "DM Bootstrap"},
	{{0x67, 0x2B, 0x05, 0x01}, "2.23.43.5.1", "CP Bootstrap"},
	{{0x67, 0x2B, 0x05, 0x02}, "2.23.43.5.2", "CP Config1"},
	{{0x67, 0x2B, 0x05, 0x03}, "2.23.43.5.3", "CP Config2"},
	{{0x67, 0x2B, 0x09, 0x01}, "2.23.43.9.1", "LwM2M Bootstrap"},
};

int ub_boot_oid_index(const struct ub_p15_oid_do *o)
{
	int i;

	for (i = 0; i < 5; i++)
		if (ub_p15_oid_is(o, ub_boot_oids[i].oid, 4))
			return i;
	return -1;
}

int ub_cardboot_open(struct ub_uicc *u, struct ub_cardboot *d, bool channel, struct ub_status *st)
{
	bool had = u->chan != 0;
	int n;

	memset(d, 0, sizeof(*d));
	/* G.2.1: "MUST open a logical channel" and select the PKCS#15 ADF by
	 * its AID on it; the basic channel keeps what it had selected (for
	 * the modem).  Opened first, so that finding the application (EF_DIR,
	 * or a SELECT by its AID) already happens on the channel. */
	if (channel && (n = ub_uicc_open_channel(u, st)))
		return n;
	d->opened_channel = !had && u->chan;
	n = ub_uicc_find_app(u, UB_APP_PKCS15, &d->p15, st);
	if (n == UB_E_NOT_FOUND && ub_uicc_dir_empty(u))
		return ub_fail(st, UB_E_BAD_DATA, 0, "EF_DIR",
			       "EF_DIR: every one of its %d records is empty: the card lists no "
			       "application, so it cannot say that it holds no bootstrap object",
			       u->dir_read);
	if (n == UB_E_NOT_FOUND) {
		d->p15 = NULL;
		return 0;
	}
	if (n)
		return n;
	n = ub_uicc_p15_objects(u, d->p15, d->objs, UB_CARDBOOT_ENTRIES, st);
	if (n < 0)
		return n;
	d->nobjs = n;
	return 0;
}

int ub_cardboot_close(struct ub_uicc *u, struct ub_cardboot *d, struct ub_status *st)
{
	bool ours = d->opened_channel && u->chan;

	d->opened_channel = false;
	return ours ? ub_uicc_close_channel(u, st) : 0;
}

void ub_cardboot_entry_name(const struct ub_p15_oid_do *o, char *out, size_t max)
{
	int i = ub_boot_oid_index(o);
	char path[48];

	ub_p15_path_text(&o->path, path, sizeof(path));
	snprintf(out, max, "%s (EF %s)", i >= 0 ? ub_boot_oids[i].name : "object", path);
}

const char *ub_cardboot_set_name(unsigned kinds)
{
	/* every combination of the four DM and CP objects, in their order */
	static const char *const names[16] = {
		NULL,
		"DM Bootstrap",
		"CP Bootstrap",
		"DM Bootstrap + CP Bootstrap",
		"CP Config1",
		"DM Bootstrap + CP Config1",
		"CP Bootstrap + CP Config1",
		"DM Bootstrap + CP Bootstrap + CP Config1",
		"CP Config2",
		"DM Bootstrap + CP Config2",
		"CP Bootstrap + CP Config2",
		"DM Bootstrap + CP Bootstrap + CP Config2",
		"CP Config1 + CP Config2",
		"DM Bootstrap + CP Config1 + CP Config2",
		"CP Bootstrap + CP Config1 + CP Config2",
		"DM Bootstrap + CP Bootstrap + CP Config1 + CP Config2",
	};

	return names[kinds & 15];
}

int ub_cardboot_read_entry(struct ub_uicc *u, const struct ub_cardboot *d, int j, uint8_t *buf,
			   size_t max, const char *name, struct ub_status *st)
{
	int len, k;

	/* bootstrap EF contents are secret in the trace */
	len = ub_uicc_p15_read(u, d->p15, &d->objs[j].path, buf, max, true, name, st);
	if (len == UB_E_NOT_FOUND) /* the card's own directory names it: broken */
		return ub_fail(st, UB_E_BAD_DATA, st ? st->sw : 0, name,
			       "%s: the card's PKCS#15 directory names it, but it is missing",
			       name);
	if (len < 0)
		return len;
	for (k = len; k && buf[k - 1] == 0xFF; k--)
		;
	return k ? len : 0; /* all FF: erased, no object in it */
}

const struct ub_p15_oid_do *ub_cardboot_lwm2m_entry(const struct ub_cardboot *d)
{
	int j;

	for (j = 0; d->p15 && j < d->nobjs; j++)
		if (ub_boot_oid_index(&d->objs[j]) == UB_BOOT_OID_LWM2M)
			return &d->objs[j];
	return NULL;
}

int ub_cardboot_read_lwm2m(struct ub_uicc *u, const struct ub_cardboot *d, uint8_t *buf, size_t max,
			   struct ub_status *st)
{
	const struct ub_p15_oid_do *o = ub_cardboot_lwm2m_entry(d);
	const char *name = ub_boot_oids[UB_BOOT_OID_LWM2M].name;
	int err, j;

	if (!o)
		return 0;
	/* one file, whatever the card says: a second one is not guessed at */
	for (j = 0; j < d->nobjs; j++) {
		const struct ub_p15_oid_do *x = &d->objs[j];
		char a[64], b[64];

		if (x == o || ub_boot_oid_index(x) != UB_BOOT_OID_LWM2M ||
		    (x->path.len == o->path.len &&
		     !memcmp(x->path.path, o->path.path, o->path.len) &&
		     x->path.index == o->path.index && x->path.length == o->path.length))
			continue;
		ub_cardboot_entry_name(o, a, sizeof(a));
		ub_cardboot_entry_name(x, b, sizeof(b));
		return ub_fail(st, UB_E_BAD_DATA, 0, name,
			       "%s and %s: the DODF lists two LwM2M bootstraps; both refused", a,
			       b);
	}
	/* G.2.4: "In the case where one of the above mentioned flag is set,
	 * cardholder verification is required" -- asked before the read,
	 * on the channel the file is read on */
	if ((o->is_private || o->is_modifiable) && (err = ub_uicc_verify_pin(u, st))) {
		ub_status_at(st, "%s", name);
		return err;
	}
	return ub_uicc_p15_read_sized(u, d->p15, &o->path, buf, max, true, name, st);
}
