/* Security of pushed bootstrap messages: the Content-Type
 * parameters SEC and MAC, and HMAC-SHA1 verification with the key each
 * SEC type names (OMA DM Security 5.7.2, OMA CP ProvBoot). */
#ifndef UB_BOOTSEC_H
#define UB_BOOTSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_policy.h"

#define UB_MAC_LEN 20

enum ub_msg_kind { UB_MSG_UNKNOWN, UB_MSG_DM, UB_MSG_CP };

struct ub_ctype {
	char type[128];
	enum ub_msg_kind kind;
	enum ub_sec sec; /* UB_SEC_NONE: no SEC parameter */
	uint8_t mac[UB_MAC_LEN];
	bool has_mac;
};

/* The name of sec as a message of kind calls it: OMA CP's NETWPIN is DM's
 * NETWORKID (one key construction, two names). */
const char *ub_sec_name_for(enum ub_sec sec, enum ub_msg_kind kind);

/* "application/vnd.syncml.dm+wbxml; SEC=USERPIN; MAC=<40 hex>" (either
 * case; CP's numeric SEC 0-3 too), read as RFC 2045 5.1 reads it: a value
 * is a token or a quoted-string (a ';' inside quotes does not split; a
 * quoted SEC or MAC means what the token does).  Returns 0 or UB_E_BAD_DATA
 * (malformed syntax, an unterminated quote, a parameter without '=', SEC
 * or MAC twice, a SEC we do not know, a MAC that is not 40 hex digits). */
int ub_ctype_parse(const char *s, struct ub_ctype *ct);

/* The WSP binary Content-Type header value (WAP-230 8.4.2.24): media as a
 * well-known short integer or text, SEC (0x91) and MAC (0x92) parameters.
 * Returns 0 or UB_E_BAD_DATA. */
int ub_ctype_parse_wsp(const uint8_t *b, size_t n, struct ub_ctype *ct);

struct ub_wsp_ctype;
/* A Content-Type that src/wire/wsp.c decoded: its media, and its SEC and MAC
 * texts as this layer's values.  Returns 0 or UB_E_BAD_DATA (a SEC type
 * we do not know, a MAC that is not 40 hex digits). */
int ub_ctype_from_wsp(const struct ub_wsp_ctype *w, struct ub_ctype *ct);

/* What a push's MAC covers, as one SHA-256: the SEC type, the MAC's 20
 * octets and the body.  Every spelling of one push gives one digest: the
 * MAC in upper or lower case, quoted or not, SEC as a DM or CP name or a
 * CP number, the Content-Type as text or in any WSP encoding, other
 * parameters.  A USERPINMAC push (whose MAC parameter is not what is
 * verified) or one without SEC counts without its MAC.  The device's
 * replay memory is keyed by it.  Returns 0 or UB_E_INTERNAL. */
int ub_push_digest(const struct ub_ctype *ct, const uint8_t *body, size_t n, uint8_t out[32]);

/* IMSI as semi-octets, as OMA CP NETWPIN keys it (no length byte).
 * Returns the byte count or UB_E_BAD_DATA. */
int ub_imsi_semi_octets(const char *imsi, uint8_t out[8]);

/* Key material for the MAC, gathered by the caller. */
struct ub_mac_keys {
	const char *imsi;	   /* NETWORKID forms */
	enum ub_netid_key netid;   /* semi-octet (default) or ASCII IMSI */
	const char *pin;	   /* USERPIN forms */
	const uint8_t *ks_ext_naf; /* the GBA forms: 32 bytes */
};

/* HMAC-SHA1 over body with the key sec names (the construction
 * ub_mac_verify uses).  Returns 0, UB_E_USAGE when key material for this
 * SEC is missing or sec is USERPINMAC (whose check digits are in the PIN:
 * ub_userpinmac_pin), UB_E_BAD_DATA (an IMSI that is not 6-15 digits). */
int ub_mac_compute(const struct ub_mac_keys *k, enum ub_sec sec, const uint8_t *body, size_t n,
		   uint8_t mac[UB_MAC_LEN]);

/* USERPINMAC (OMA ProvBoot): the PIN to give the user, key || check
 * digits, for a key of 5..20 digits.  out holds 2 * strlen(key) + 1.
 * Returns 0 or UB_E_USAGE. */
int ub_userpinmac_pin(const char *key, const uint8_t *body, size_t n, char *out, size_t max);

/* Verify mac over body for sec: ub_mac_compute and a constant-time
 * comparison.  USERPINMAC ignores mac (the PIN carries
 * it).  Returns 0, UB_E_MAC on a mismatch, UB_E_USAGE when key material
 * for this SEC is missing (no PIN, no IMSI, no GBA key). */
int ub_mac_verify(const struct ub_mac_keys *k, enum ub_sec sec, const uint8_t *body, size_t n,
		  const uint8_t mac[UB_MAC_LEN]);

#endif
