/* libuiccboot: GBA with the card (3GPP TS 33.220), on a card session of
 * card.h, as uiccboot gba does: GBA_U bootstrapping and NAF key derivation
 * by the card (TS 31.102 / TS 31.103 7.1.2.4, 7.1.2.5), the GBA state the
 * card records (EF_GBABP, EF_GBANL) and GBA_U push (TS 33.223), from the
 * GBA Push Info's fields or from its bytes (ub_gba_gpi_decode).
 *
 *   #include <uiccboot/gba.h>      cc ... $(pkg-config --cflags --libs libuiccboot)
 *
 *   struct ub_card_gba_key k;
 *   uint8_t naf_id[UB_GBA_NAF_ID_MAX];
 *   int n = ub_gba_naf_id("naf.example", ua, naf_id, sizeof(naf_id));
 *   err = ub_card_gba_naf_key(s, NULL, naf_id, n, time(NULL), &k, &st);
 *   ... k.ks_ext_naf ...
 *   ub_card_gba_key_wipe(&k);
 *
 * The card calls run on an open session s (card.h), used by one thread at a
 * time; the others hold no state and any thread may call them.  app is
 * "usim", "isim" or NULL (the ISIM when it offers GBA, else the USIM).  The
 * results are the caller's structs; the calls fill them, on failure as far
 * as they got (app once the application is chosen, auts with
 * UB_E_AUTH_SYNC).  Every call returns 0 or a negative enum ub_err
 * (ub_error.h); the card calls say in st what failed and where (the reader
 * first). */
#ifndef UICCBOOT_GBA_H
#define UICCBOOT_GBA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ub_session;

#define UB_GBA_UA_LEN 5	      /* the Ua security protocol identifier (TS 33.220 H.2) */
#define UB_GBA_NAF_ID_MAX 255 /* a NAF_Id as the card takes it */
#define UB_GBA_NAFS_MAX 8     /* the EF_GBANL records ub_card_gba_status reads */

/* NAF_Id = the NAF's FQDN || the Ua security protocol id (TS 33.220 H.2)
 * into out (max bytes).  Returns its length, or UB_E_USAGE when the FQDN
 * is empty or it does not fit. */
int ub_gba_naf_id(const char *fqdn, const uint8_t ua[UB_GBA_UA_LEN], uint8_t *out, size_t max);

/* B-TID = base64(RAND) "@" the BSF's FQDN (TS 33.220 4.5.2) into out (max
 * bytes, NUL-terminated).  Returns 0 or UB_E_USAGE (an empty FQDN, or it
 * does not fit). */
int ub_gba_btid(const uint8_t rand[16], const char *bsf, char *out, size_t max);

/* A key lifetime as the BSF gives it (an xs:dateTime, TS 24.109), from arg:
 * an xs:dateTime, copied when readable, or "+SECONDS" (1 to ten years)
 * after now (seconds since the epoch), written as UTC
 * ("2030-01-31T12:00:00Z").  arg NULL is "+86400".  Into out (max bytes).
 * Returns 0 or UB_E_USAGE. */
int ub_gba_lifetime(const char *arg, long long now, char *out, size_t max);

/* The fields of a GBA Push Info (TS 33.223 5.2.1) that the UE needs. */
struct ub_gba_push_info {
	uint8_t rand[16], autn[16];
	uint8_t naf_id[UB_GBA_NAF_ID_MAX];
	size_t naf_id_len;
	char ptid[256];	   /* the P-TID */
	char lifetime[64]; /* the NAF key's lifetime, an xs:dateTime */
};

/* The GPI's byte layout that ub_gba_push_info_decode and a NULL layout
 * mean.  The text of TS 33.223 5.3.5 (the GPI encoding) was not available
 * to us: this layout is our assumption, NOT confirmed by the standard. */
#define UB_GBA_GPI_LAYOUT_DEFAULT "version:1=1,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1"

/* Decode a GBA Push Info of n bytes at b into *pi (zeroed first, and
 * zeroed again on failure) with layout, the GPI's byte layout as text
 * (NULL: UB_GBA_GPI_LAYOUT_DEFAULT; [gba] gpi_layout of
 * uiccboot-policy(5), ub_policy_gpi_layout):
 *   layout = field *( "," field )        blanks around a field allowed
 *   field  = name ":" coding [ "=" V ]   ("=V" for version only)
 *   coding = N (that many octets) / "lv1" (a length octet, then the
 *            value) / "lv2" (two length octets, big-endian, then it)
 * names: version (1 to 4 octets, big-endian, must equal V), ptid, rand
 * and autn (16 octets each), naf_id (the NAF's FQDN || the 5-octet Ua id)
 * or naf_fqdn with ua (5 octets), lifetime (an xs:dateTime), app_lbl
 * (read, not used), skip (octets ignored; may repeat).  ptid, rand, autn,
 * the NAF and lifetime are needed (EF_GBABP records a lifetime), each name
 * but skip once.  No GPI MAC is known
 * or checked: RAND and AUTN(*) are checked by the card (GBA_U
 * bootstrapping), a wrong NAF_Id gives a key the NAF does not have.
 * Returns 0, UB_E_USAGE (the layout, st saying the character offset and
 * what is wrong) or UB_E_BAD_DATA (the GPI: cut short, octets left over,
 * another version, a value longer than its field of *pi, a P-TID, FQDN
 * or lifetime that is empty or holds a byte outside visible ASCII
 * 0x21-0x7E, a lifetime that is not an xs:dateTime; st names the field
 * and its octet offset).
 * Holds no state: any thread; st may be NULL. */
int ub_gba_gpi_decode(const char *layout, const uint8_t *b, size_t n, struct ub_gba_push_info *pi,
		      struct ub_status *st);

/* ub_gba_gpi_decode with UB_GBA_GPI_LAYOUT_DEFAULT, without a status:
 * returns 0, UB_E_BAD_DATA.  Any thread. */
int ub_gba_push_info_decode(const uint8_t *b, size_t n, struct ub_gba_push_info *pi);

/* What GBA bootstrapping gave (uiccboot gba bootstrap).  No secret: with
 * GBA_U, Ks stays in the card; with GBA_ME, Ks (CK || IK) was wiped. */
struct ub_card_gba_boot {
	const char *app; /* "isim" or "usim" once chosen, else NULL (static) */
	bool service;	 /* GBA_U; false: GBA_ME, no key kept */
	uint8_t res[16];
	size_t res_len;
	uint8_t auts[14]; /* UB_E_AUTH_SYNC: for the BSF to resynchronise */
	char btid[300];
	char lifetime[64];
};

/* GBA bootstrapping with rand and autn (16 bytes each): the card's GBA_U
 * bootstrapping (it keeps Ks and records RAND, the B-TID made of rand and
 * bsf, and lifetime in EF_GBABP); without GBA_U only when allow_me, as
 * GBA_ME (TS 33.220 5.3): a 3G AUTHENTICATE whose Ks is wiped at once,
 * nothing stored.  Into *r.  Returns 0, UB_E_USAGE (bsf, lifetime or app
 * unusable), UB_E_NO_GBA (no GBA service, or not in app), UB_E_AUTH_SYNC
 * (r->auts), UB_E_AUTH_MAC, UB_E_AUTH_CONTEXT or a card error. */
int ub_card_gba_bootstrap(struct ub_session *s, const char *app, bool allow_me,
			  const uint8_t rand[16], const uint8_t autn[16], const char *bsf,
			  const char *lifetime, struct ub_card_gba_boot *r, struct ub_status *st);

/* A NAF key the card derived (uiccboot gba naf-key, gba push). */
struct ub_card_gba_key {
	const char *app; /* "isim" or "usim" once chosen, else NULL (static) */
	bool service;	 /* GBA_U; false: the card has none, and no key came */
	char btid[256];	 /* naf-key: the B-TID of EF_GBABP */
	char lifetime[64];
	char impi[256];		/* naf-key: the IMPI the key is bound to */
	uint8_t ks_ext_naf[32]; /* a secret: ub_card_gba_key_wipe wipes it */
	uint8_t auts[14];	/* push, UB_E_AUTH_SYNC: the card's AUTS */
};

/* Wipe *k, its key with it; k may be NULL. */
void ub_card_gba_key_wipe(struct ub_card_gba_key *k);

/* Ks_ext_NAF for naf_id (naf_len bytes: ub_gba_naf_id) from the key the
 * card bootstrapped, with its B-TID, lifetime and the IMPI, into *k, which
 * the caller wipes with ub_card_gba_key_wipe, also on failure.  The key
 * must not have expired at now (seconds since the epoch).  Returns 0,
 * UB_E_USAGE, UB_E_NO_GBA (k->service false: GBA_ME keeps no key between
 * calls), UB_E_KEY_EXPIRED (bootstrap again) or a card error. */
int ub_card_gba_naf_key(struct ub_session *s, const char *app, const uint8_t *naf_id,
			size_t naf_len, long long now, struct ub_card_gba_key *k,
			struct ub_status *st);

/* GBA_U push (TS 33.223) from the fields of a GBA Push Info: the card's
 * bootstrapping with its RAND and AUTN, EF_GBABP with the P-TID and the
 * lifetime, then Ks_ext_NAF for its NAF_Id, into *k (k->lifetime is
 * pi->lifetime), which the caller wipes with ub_card_gba_key_wipe, also on
 * failure.  Returns as ub_card_gba_bootstrap (k->auts) and
 * ub_card_gba_naf_key (UB_E_NO_GBA: k->service false, push needs GBA_U). */
int ub_card_gba_push(struct ub_session *s, const char *app, const struct ub_gba_push_info *pi,
		     long long now, struct ub_card_gba_key *k, struct ub_status *st);

/* One record of EF_GBANL: a NAF the card derived a key for. */
struct ub_card_gba_naf {
	uint8_t naf_id[UB_GBA_NAF_ID_MAX];
	size_t naf_id_len;
	char btid[256];
};

/* The GBA state of the card (uiccboot gba status). */
struct ub_card_gba_status {
	const char *app; /* "isim" or "usim" once chosen, else NULL (static) */
	bool service;	 /* the application's GBA service */
	char btid[256];	 /* EF_GBABP: "" when none */
	char lifetime[64];
	bool expired; /* no lifetime, an unreadable one, or one past now */
	struct ub_card_gba_naf nafs[UB_GBA_NAFS_MAX];
	int nnafs;
};

/* EF_GBABP and the first UB_GBA_NAFS_MAX records of EF_GBANL of the
 * application GBA uses, into *r; expired as of now (seconds since the
 * epoch).  Returns 0, UB_E_USAGE, UB_E_NO_GBA (no GBA service, or not in
 * app) or a card error. */
int ub_card_gba_status(struct ub_session *s, const char *app, long long now,
		       struct ub_card_gba_status *r, struct ub_status *st);

#ifdef __cplusplus
}
#endif

#endif
