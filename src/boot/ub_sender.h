/* Building a pushed bootstrap for DM server teams: an XML (or WBXML)
 * SyncML DM 1.1/1.2 or OMA CP document -> WBXML (libwbxml) -> the MAC of a
 * SEC type (the key construction of ub_mac_compute, shared with the
 * device) -> a WSP Push PDU.  Splitting into SMS TPDUs is src/wire/'s
 * ub_sms_encode. */
#ifndef UB_SENDER_H
#define UB_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sms.h" /* UB_SMS_KEY_* */
#include "ub_bootsec.h"
#include "ub_plan.h"
#include "ub_wsp.h"

struct ub_send_opts {
	enum ub_sec sec;	    /* UB_SEC_NONE: no SEC/MAC (a secure transport only) */
	struct ub_mac_keys keys;    /* IMSI (+ NETWORKID form), PIN, Ks_ext_NAF */
	const char *userpinmac_key; /* USERPINMAC: the key digits K; the PIN is K || m */
	uint8_t tid;		    /* WSP transaction id */
	bool no_app_id;		    /* leave out X-Wap-Application-Id (DM: syncml.dm) */
	/* the shortest user PIN sent (the device's [push] user_pin_min);
	 * 0: UB_USER_PIN_MIN_DEFAULT, what a device's default policy takes */
	unsigned user_pin_min;
};

/* The key material a SEC type takes, as bits. */
enum ub_send_key {
	UB_SEND_KEY_IMSI = UB_SMS_KEY_IMSI,		/* keys.imsi */
	UB_SEND_KEY_PIN = UB_SMS_KEY_PIN,		/* keys.pin */
	UB_SEND_KEY_KS_EXT_NAF = UB_SMS_KEY_KS_EXT_NAF, /* keys.ks_ext_naf */
	UB_SEND_KEY_USERPINMAC = UB_SMS_KEY_USERPINMAC, /* userpinmac_key */
};
/* What sec needs (0 for UB_SEC_NONE). */
unsigned ub_send_keys_needed(enum ub_sec sec);
/* What of it o lacks: a subset of ub_send_keys_needed(o->sec). */
unsigned ub_send_keys_missing(const struct ub_send_opts *o);
/* "the IMSI", "the user PIN", "Ks_ext_NAF", "the USERPINMAC key" for one bit. */
const char *ub_send_key_name(unsigned key);

struct ub_send_result {
	uint8_t *wbxml; /* the document as sent (malloc'd) */
	size_t wbxml_len;
	enum ub_plan_kind kind;
	char servers[8][128]; /* ServerIDs it configures, for the operator to check */
	int nservers;
	char sec[UB_WSP_SEC_MAX];	  /* SEC as put in the Content-Type, "" for none */
	char mac[UB_WSP_MAC_HEX + 1];	  /* "" for none (USERPINMAC: the PIN carries it) */
	char userpin[2 * UB_MAC_LEN + 1]; /* USERPINMAC: the PIN the user types; else "" */
	uint8_t *wsp;			  /* the Push PDU (malloc'd) */
	size_t wsp_len;
};

/* doc is XML (first non-blank octet '<') or WBXML.  XML is encoded by
 * libwbxml (WBXML 1.2 for SyncML, 1.3 for CP, no string table); either
 * way the WBXML must decode with ub_plan_decode, our own device-side
 * decoder.  Returns 0 (ub_send_result_free after), UB_E_BAD_DATA (the
 * document), UB_E_USAGE (key material missing for sec: st names the
 * key), UB_E_POLICY (a user PIN shorter than o->user_pin_min, which a
 * device would refuse), UB_E_NOMEM; st says why. */
int ub_send_build(const uint8_t *doc, size_t n, const struct ub_send_opts *o,
		  struct ub_send_result *r, struct ub_status *st);
void ub_send_result_free(struct ub_send_result *r);

/* A received push checked with the sender's keys, offline, the way a
 * device checks it (ub_mac_verify; USERPINMAC: the PIN o->keys.pin the
 * user was told; o->userpinmac_key is not used: the PIN it gives from p's
 * body matches any body).  p is a DM or CP bootstrap with a
 * SEC parameter.  *sec (may be NULL): the SEC checked, UB_SEC_NONE when
 * there is none to check.  Returns 0 (the MAC verifies), UB_E_MAC (it does
 * not), UB_E_USAGE (key material missing: st names the key),
 * UB_E_BAD_DATA (not a bootstrap, no SEC, an unknown SEC, no MAC where one
 * is needed); st says why. */
int ub_send_check(const struct ub_send_opts *o, const struct ub_wsp_push *p, enum ub_sec *sec,
		  struct ub_status *st);

/* XML -> WBXML with libwbxml (version 0x01..0x03 = WBXML 1.1..1.3).
 * Returns 0 with *out malloc'd, UB_E_BAD_DATA or UB_E_NOMEM (st). */
int ub_send_xml2wbxml(const char *xml, size_t n, int version, uint8_t **out, size_t *len,
		      struct ub_status *st);

#endif
