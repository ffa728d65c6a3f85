/* Building a pushed bootstrap for DM server teams: an XML (or WBXML)
 * SyncML DM 1.1/1.2 or OMA CP document -> WBXML (libwbxml) -> the MAC of a
 * SEC type (the key construction of ub_mac_compute, shared with the
 * device) -> a WSP Push PDU.  Splitting into SMS TPDUs is wire/'s
 * ub_sms_encode. */
#ifndef UB_SENDER_H
#define UB_SENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_bootsec.h"
#include "ub_plan.h"
#include "ub_wsp.h"

struct ub_send_opts {
	enum ub_sec sec;	    /* UB_SEC_NONE: no SEC/MAC (a secure transport only) */
	struct ub_mac_keys keys;    /* IMSI (+ NETWORKID form), PIN, Ks_ext_NAF */
	const char *userpinmac_key; /* USERPINMAC: the key digits K; the PIN is K || m */
	uint8_t tid;		    /* WSP transaction id */
	bool no_app_id;		    /* leave out X-Wap-Application-Id (DM: syncml.dm) */
};

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
 * document; err says why), UB_E_USAGE (key material missing for sec),
 * UB_E_NOMEM. */
int ub_send_build(const uint8_t *doc, size_t n, const struct ub_send_opts *o,
		  struct ub_send_result *r, char *err, size_t errlen);
void ub_send_result_free(struct ub_send_result *r);

/* XML -> WBXML with libwbxml (version 0x01..0x03 = WBXML 1.1..1.3).
 * Returns 0 with *out malloc'd, UB_E_BAD_DATA or UB_E_NOMEM. */
int ub_send_xml2wbxml(const char *xml, size_t n, int version, uint8_t **out, size_t *len, char *err,
		      size_t errlen);

#endif
