/* WSP connectionless Push PDUs (WAP-230 8.2.4.1) with their headers
 * (8.4), the Content-Type in every encoding (8.4.2.24) with the SEC and MAC
 * parameters of OMA Provisioning Bootstrap, and the reverse: a Push PDU
 * from media, SEC, MAC, application id and body.
 *
 * A transport layer: SEC is passed up as text (the short integers 0..3 as
 * "0".."3", else the token as sent); what it means is the caller's.  Pure
 * functions over caller buffers: no allocation, no globals. */
#ifndef UB_WSP_H
#define UB_WSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"

/* WDP ports (WAP-259 6.3, OMA Push OTA 7.3): connectionless push, and
 * connectionless push over WTLS, which uiccboot does not implement. */
#define UB_WSP_PORT_PUSH 2948
#define UB_WSP_PORT_PUSH_WTLS 2949

#define UB_WSP_PDU_PUSH 0x06
#define UB_WSP_PDU_CONFIRMED_PUSH 0x07

/* OMNA Push Application IDs (WAP-230 8.4.2.54 X-Wap-Application-Id) */
#define UB_WSP_APP_ANY 0x00	    /* x-wap-application:* */
#define UB_WSP_APP_PUSH_SYNCML 0x05 /* x-wap-application:push.syncml */
#define UB_WSP_APP_SYNCML_DM 0x07   /* x-wap-application:syncml.dm */

/* Well-known media (WAP-230 Table 40 and the OMNA registry) */
#define UB_WSP_MEDIA_SIC 0x2E
#define UB_WSP_MEDIA_SLC 0x30
#define UB_WSP_MEDIA_CONNECTIVITY_WBXML 0x36
#define UB_WSP_MEDIA_MMS 0x3E
#define UB_WSP_MEDIA_DM_WBXML 0x42
#define UB_WSP_MEDIA_DM_XML 0x43
#define UB_WSP_MEDIA_DM_NOTIFICATION 0x44

#define UB_WSP_MEDIA_MAX 128
#define UB_WSP_SEC_MAX 64
#define UB_WSP_MAC_HEX 40 /* HMAC-SHA1 as hex (OMA ProvBoot, DM Security 5.7.2) */
#define UB_WSP_URI_MAX 512

/* A decoded Content-Type value. */
struct ub_wsp_ctype {
	char media[UB_WSP_MEDIA_MAX]; /* the name; a well-known code not in our table: "wsp:0x4e" */
	long media_code;	      /* the well-known code, -1 when sent as text */
	bool has_sec;
	char sec[UB_WSP_SEC_MAX]; /* "0".."3" (short integer), or the text sent */
	bool sec_typed;		  /* well-known parameter 0x11 (else untyped "SEC") */
	bool has_mac;
	char mac[UB_WSP_MAC_HEX + 1]; /* 40 hex digits, as sent */
	unsigned params;	      /* parameters seen, SEC and MAC included */
};

/* A decoded Push PDU.  headers and body point into the caller's buffer. */
struct ub_wsp_push {
	uint8_t tid, pdu_type;
	struct ub_wsp_ctype ct;
	bool has_app_id;
	long app_code;		      /* -1 when the id was a URI */
	char app_uri[UB_WSP_URI_MAX]; /* the URI sent, or the registry's name of the code, or "" */
	bool has_content_uri, has_initiator_uri, has_content_length;
	char content_uri[UB_WSP_URI_MAX], initiator_uri[UB_WSP_URI_MAX];
	unsigned long content_length;
	unsigned headers_skipped; /* headers we do not use, skipped by their encoding */
	const uint8_t *headers;	  /* Content-Type and the other headers */
	size_t headers_len;
	size_t ct_len; /* octets of the Content-Type value at headers */
	const uint8_t *body;
	size_t body_len;
};

/* Decode the Content-type-value at b[0..n): *used says how many octets it
 * took.  Refused (UB_E_BAD_DATA, st says what and where): a length past
 * n, a bad uintvar (more than 5 octets, or over 32 bits), an unterminated
 * string, a Q-value over 2 octets, an unknown encoding, SEC or MAC twice in
 * any mix of typed (0x91/0x92, in any Integer-value form) and untyped
 * ("SEC"/"MAC" in any case) parameters, a MAC that is not 40 hex digits,
 * an integer MAC, a SEC of No-value. */
int ub_wsp_ctype_decode(const uint8_t *b, size_t n, size_t *used, struct ub_wsp_ctype *ct,
			struct ub_status *st);

/* Decode a connectionless Push PDU: TID, PDU type, HeadersLen (uintvar),
 * Content-Type, headers, body.  X-Wap-Application-Id, X-Wap-Content-URI,
 * X-Wap-Initiator-URI and Content-Length are decoded; every other header
 * (well-known, code page shifts, application headers) is skipped by its
 * encoding (WAP-230 8.4.1.2).  Returns 0; UB_E_NOT_SUPPORTED for a
 * ConfirmedPush (not connectionless); UB_E_BAD_DATA for another PDU type,
 * HeadersLen past the end, a Content-Type past HeadersLen, a second
 * Content-Type, a repeated application id or URI header, or anything
 * ub_wsp_ctype_decode refuses. */
int ub_wsp_push_decode(const uint8_t *b, size_t n, struct ub_wsp_push *p, struct ub_status *st);

/* A WDP datagram that arrived over SMS (WAP-259 6.5: the UDH application
 * ports) as a Push PDU: only destination port 2948 is connectionless
 * push.  Returns what ub_wsp_push_decode returns, or UB_E_NOT_SUPPORTED
 * (no ports: not a WAP push; port 2949: WTLS, which uiccboot does not
 * have; another port), st saying which. */
int ub_wsp_push_from_wdp(bool has_ports, unsigned dst_port, const uint8_t *b, size_t n,
			 struct ub_wsp_push *p, struct ub_status *st);

enum ub_wsp_kind {
	UB_WSP_DM_BOOTSTRAP, /* application/vnd.syncml.dm+wbxml for syncml.dm */
	UB_WSP_CP_BOOTSTRAP, /* application/vnd.wap.connectivity-wbxml */
	UB_WSP_DM_NOTIFICATION,
	UB_WSP_DM_XML, /* a DM message as XML: never a bootstrap (DM Security 5.7.2) */
	UB_WSP_SI,
	UB_WSP_SL,
	UB_WSP_MMS,
	UB_WSP_GBA_PUSH, /* GBA Push Info, TS 24.109 Annex J */
	UB_WSP_OTHER,
};

/* What a push is, from its media and application id; a bootstrap media
 * type addressed to an application other than DM (or "*") is OTHER. */
enum ub_wsp_kind ub_wsp_classify(const struct ub_wsp_push *p);
/* "DM bootstrap", "CP bootstrap", "DM notification", ... ; never NULL. */
const char *ub_wsp_kind_name(enum ub_wsp_kind k);

/* The well-known code of a media name, or -1. */
long ub_wsp_media_code(const char *media);
/* The name of a well-known media code, or NULL. */
const char *ub_wsp_media_name(long code);
/* The registry name of an application id code, or NULL. */
const char *ub_wsp_app_name(long code);

/* What to put in a Push PDU. */
struct ub_wsp_encode_opts {
	uint8_t tid;
	const char *media; /* encoded as its well-known code when there is one */
	const char *sec;   /* NULL: none.  NETWPIN, USERPIN, USERNETWPIN, USERPINMAC or "0".."3"
			    * go as the short integer; any other token as untyped SEC */
	const char *mac;   /* NULL, or 40 hex digits */
	long app_code;	   /* X-Wap-Application-Id as a code; -1: app_uri, or none */
	const char *app_uri;
};

/* The Content-Type value for media, sec and mac.  Returns the length, or
 * UB_E_USAGE (bad token, MAC not 40 hex, out too small). */
int ub_wsp_ctype_encode(const char *media, const char *sec, const char *mac, uint8_t *out,
			size_t max);

/* A Push PDU with body.  Returns the length, or UB_E_USAGE. */
int ub_wsp_push_encode(const struct ub_wsp_encode_opts *o, const uint8_t *body, size_t n,
		       uint8_t *out, size_t max);

#endif
