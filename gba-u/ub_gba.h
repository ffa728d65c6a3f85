/* GBA (TS 33.220) with the card's GBA_U commands (TS 31.102/31.103 7.1.2)
 * and 3G/GSM authentication.  Knows keys and the GBA files; nothing of
 * OMA DM.  Keys are wiped with OPENSSL_cleanse once used.  The calls that
 * talk to the card fill st on failure (see ub_uicc.h). */
#ifndef UB_GBA_H
#define UB_GBA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_gpi.h"
#include "ub_uicc.h"

#define UB_KS_LEN 32
#define UB_UA_LEN 5

/* One parameter P_i of the KDF; L_i is its 2-byte length. */
struct ub_kdf_param {
	const uint8_t *p;
	size_t len;
};

/* TS 33.220 B.2: HMAC-SHA-256(key, FC || P0 || L0 || ... || Pn || Ln).
 * Returns 0 or UB_E_USAGE (a parameter longer than 65535 bytes). */
int ub_kdf(const uint8_t *key, size_t klen, uint8_t fc, const struct ub_kdf_param *p, size_t n,
	   uint8_t out[32]);

/* Ks_(ext)_NAF = KDF(Ks, "gba-me", RAND, IMPI, NAF_Id), FC 0x01 (B.3). */
int ub_gba_me_ks_naf(const uint8_t ks[32], const uint8_t rand[16], const char *impi,
		     const uint8_t *naf_id, size_t naf_len, uint8_t out[32]);

/* NAF_Id = FQDN || Ua security protocol id (5 octets, H.2).  Returns its
 * length, UB_E_USAGE when it does not fit or the FQDN is empty. */
int ub_naf_id(const char *fqdn, const uint8_t ua[UB_UA_LEN], uint8_t *out, size_t max);

/* B-TID = base64(RAND) "@" BSF FQDN (4.5.2).  Returns 0 or UB_E_USAGE. */
int ub_btid(const uint8_t rand[16], const char *bsf, char *out, size_t max);

/* Key lifetime (xs:dateTime, "2030-01-31T12:00:00Z" or with +hh:mm) to
 * time_t; UB_E_BAD_DATA when unreadable: other than YYYY-MM-DDThh:mm:ss,
 * optional fractional seconds of one digit or more, then Z or a zone of
 * two digits each, at most 14:00 (blanks, signs and one-digit fields that
 * strptime alone takes are refused). */
int ub_lifetime_parse(const char *s, long long *t);

/* --- with the card --- */
struct ub_gba {
	struct ub_uicc *u;
	const struct ub_app *app; /* where GBA runs: the ISIM or the USIM */
	bool isim;
	bool service; /* UST 68 / IST 2 */
	char impi[256];
	const struct ub_ef *gbabp, *gbanl;
};

/* Choose the application: the ISIM when present, GBA-capable and
 * preferred, else the USIM.  Returns 0, or
 * UB_E_NO_GBA when neither application offers GBA and !allow_me. */
int ub_gba_open(struct ub_gba *g, struct ub_uicc *u, bool prefer_isim, bool allow_me,
		struct ub_status *st);

/* g->impi: EF_IMPI of the ISIM, else from IMSI and MNC length (TS 23.003
 * 13.3).  Read on demand: bootstrapping does not need it. */
int ub_gba_impi(struct ub_gba *g, struct ub_status *st);

/* Bootstrapping mode (DD).  On success res/res_len are set, and EF_GBABP
 * gets B-TID and lifetime behind the RAND the card wrote.  Returns 0,
 * UB_E_AUTH_SYNC (auts filled), UB_E_AUTH_MAC (9862),
 * UB_E_AUTH_CONTEXT (9864), or a card error. */
int ub_gba_bootstrap(struct ub_gba *g, const uint8_t rand[16], const uint8_t autn[16],
		     const char *btid, const char *lifetime, uint8_t res[16], size_t *res_len,
		     uint8_t auts[14], struct ub_status *st);

/* NAF derivation mode (DE): Ks_ext_NAF for naf_id, without printing it.
 * The bootstrapped key must exist and not be expired (now: time(NULL)).
 * Returns 0, UB_E_KEY_EXPIRED (re-bootstrap), or a card error. */
int ub_gba_naf_key(struct ub_gba *g, const uint8_t *naf_id, size_t naf_len, long long now,
		   uint8_t ks_ext_naf[32], struct ub_gbabp *bp, struct ub_status *st);

/* EF_GBABP and the EF_GBANL records (up to max) of the chosen app. */
int ub_gba_status(struct ub_gba *g, struct ub_gbabp *bp, struct ub_gbanl *nl, size_t max,
		  struct ub_status *st);

/* --- authentication (TS 31.102 7.1.2) --- */
struct ub_auth3g {
	uint8_t res[16];
	size_t res_len;
	uint8_t ck[16], ik[16], kc[8];
	bool has_kc;
	uint8_t auts[14];
};
/* 3G context (P2 81) in app.  Returns 0, UB_E_AUTH_SYNC (a->auts),
 * UB_E_AUTH_MAC, UB_E_AUTH_CONTEXT or a card error. */
int ub_auth_3g(struct ub_uicc *u, const struct ub_app *app, const uint8_t rand[16],
	       const uint8_t autn[16], struct ub_auth3g *a, struct ub_status *st);
/* GSM context (P2 80): SRES and Kc. */
int ub_auth_gsm(struct ub_uicc *u, const struct ub_app *app, const uint8_t rand[16],
		uint8_t sres[4], uint8_t kc[8], struct ub_status *st);

/* GBA_ME (TS 33.220 5.3, Annex B): 3G AKA, Ks = CK || IK kept by the host.
 * Only when the policy allows it; the caller wipes ks. */
int ub_gba_me_bootstrap(struct ub_gba *g, const uint8_t rand[16], const uint8_t autn[16],
			uint8_t ks[32], struct ub_auth3g *a, struct ub_status *st);

/* --- GBA Push (TS 33.223), GBA_U: the GPI itself is ub_gpi.h's --- */
/* GBA_U push: DD with the GPI's RAND/AUTN*, EF_GBABP with the P-TID in the
 * B-TID field and the NAF key lifetime (what the ME writes there after a push is not known to us;
 * the card's EF_GBANL then records NAF_Id with the P-TID: the NAF SA), then DE for Ks_ext_NAF.
 * Returns as ub_gba_bootstrap and ub_gba_naf_key. */
int ub_gba_push(struct ub_gba *g, const struct ub_gpi *gpi, long long now, uint8_t ks_ext_naf[32],
		uint8_t auts[14], struct ub_status *st);

#endif
