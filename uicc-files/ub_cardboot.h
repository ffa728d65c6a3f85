/* The card's bootstrap objects, PKCS#15 oidDO entries of its DODF:
 *   OMA DM Bootstrap 2.23.43.7.1, CP Bootstrap, Config1, Config2
 *   (2.23.43.5.1/2/3): every one is read (src/boot/ decodes them all and
 *   applies them together, or refuses them together);
 *   LwM2M Bootstrap 2.23.43.9.1 (OMA LwM2M Core Appendix G), beside them.
 * A file the directory names is read whole, its size known from its Path
 * or its FCP: a failed read is an error, and only a file of FF holds no
 * object.
 * The PKCS#15 application is used on a logical channel, as LwM2M Core
 * G.2.1 wants (MANAGE CHANNEL, the ADF selected by AID on it), and its
 * ODF and DODF are read once for every object. */
#ifndef UB_CARDBOOT_H
#define UB_CARDBOOT_H

#include "ub_uicc.h"

struct ub_boot_oid {
	uint8_t oid[4];
	const char *dotted, *name;
};
/* The DM and CP objects in order of preference (the order in which they
 * are read and named), then the LwM2M one. */
#define UB_BOOT_OIDS_DM 4
#define UB_BOOT_OID_LWM2M 4
extern const struct ub_boot_oid ub_boot_oids[5];

/* The index into ub_boot_oids of o, or -1. */
int ub_boot_oid_index(const struct ub_p15_oid_do *o);

#define UB_CARDBOOT_ENTRIES 16

/* The card's PKCS#15 application and its DODF entries. */
struct ub_cardboot {
	const struct ub_app *p15; /* NULL: the card has no PKCS#15 application */
	struct ub_p15_oid_do objs[UB_CARDBOOT_ENTRIES];
	int nobjs;
	bool opened_channel; /* the logical channel is ours to close */
};

/* With channel, open a logical channel unless the session is on one (a
 * card that refuses is used on the basic channel: u->channel_refused;
 * without, the basic channel is used as it is), find the
 * PKCS#15 application there, select it and read ODF and DODF (at most
 * UB_CARDBOOT_ENTRIES oidDO entries; more are refused).  Returns 0 (d->p15
 * NULL when the card has no PKCS#15 application: it refuses its AID and
 * EF_DIR does not list it) or an error: UB_E_BAD_DATA also for an EF_DIR
 * whose records are all empty (the card lists nothing, which says nothing
 * about PKCS#15) and a directory that loops (ub_uicc_p15_objects);
 * ub_cardboot_close() after, whatever it returned. */
int ub_cardboot_open(struct ub_uicc *u, struct ub_cardboot *d, bool channel, struct ub_status *st);
/* Close the channel ub_cardboot_open opened (the basic channel's
 * selection is as it was).  Returns 0 or the error of MANAGE CHANNEL. */
int ub_cardboot_close(struct ub_uicc *u, struct ub_cardboot *d, struct ub_status *st);

/* Entry o's name for messages: "DM Bootstrap (EF 6432)". */
void ub_cardboot_entry_name(const struct ub_p15_oid_do *o, char *out, size_t max);

/* The names of a set of DM and CP objects, bit i for ub_boot_oids[i]
 * ("DM Bootstrap + CP Bootstrap"); NULL for none. */
const char *ub_cardboot_set_name(unsigned kinds);

/* Read the file of DODF entry d->objs[j] into buf (its contents redacted
 * in the trace), all of it: its size comes from the entry's Path or from
 * the file's FCP, and fewer bytes are a failed read.  name: the entry's,
 * for a failure.  Returns the length, 0 when the file holds nothing but FF
 * (erased: no object), UB_E_BAD_DATA (the file is missing, larger than
 * max, not transparent), UB_E_PROTO (the card gave fewer bytes, or none),
 * or another card error. */
int ub_cardboot_read_entry(struct ub_uicc *u, const struct ub_cardboot *d, int j, uint8_t *buf,
			   size_t max, const char *name, struct ub_status *st);

/* The LwM2M bootstrap's DODF entry (the first), or NULL.  (A second one
 * naming another file is refused by ub_cardboot_read_lwm2m.) */
const struct ub_p15_oid_do *ub_cardboot_lwm2m_entry(const struct ub_cardboot *d);

/* Read EF LwM2M_Bootstrap into buf: cardholder verification first when
 * its entry is private or modifiable (G.2.4; PIN1, under the PIN rule:
 * never the last attempt), its size from its FCP (G.3.4: at most max),
 * its contents redacted in the trace; fewer bytes than the FCP says are a
 * failed read.  Returns the length (0: the DODF lists no LwM2M
 * bootstrap), or UB_E_BAD_DATA (larger than max, not a transparent EF, no
 * size, a second LwM2M entry naming another file), UB_E_PROTO (the card
 * gave fewer bytes, or none), UB_E_PIN_REQUIRED, UB_E_PIN_LAST,
 * UB_E_PIN_WRONG, UB_E_PIN_BLOCKED, UB_E_NOT_FOUND (the file the DODF
 * names is missing), or a card error. */
int ub_cardboot_read_lwm2m(struct ub_uicc *u, const struct ub_cardboot *d, uint8_t *buf, size_t max,
			   struct ub_status *st);

#endif
