/* Decoders for UICC file contents.  Pure functions over bytes from the
 * card: every length is checked, nothing is trusted.  Each returns 0 on
 * success or UB_E_BAD_DATA. */
#ifndef UB_DECODE_H
#define UB_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- BER-TLV (ISO/IEC 8825-1 subset used by UICC files) --- */
struct ub_tlv {
	unsigned tag; /* 1 or 2 tag bytes, as read: 0x82, 0x5F2D */
	const uint8_t *v;
	size_t len;
};

/* Next TLV at *off in buf[len].  Returns 1 and advances *off, 0 at the end
 * (end of buffer, or 00/FF padding), UB_E_BAD_DATA on a malformed TLV. */
int ub_tlv_next(const uint8_t *buf, size_t len, size_t *off, struct ub_tlv *t);
/* First TLV with tag at the top level of buf; 1 found, 0 absent, <0 bad. */
int ub_tlv_find(const uint8_t *buf, size_t len, unsigned tag, struct ub_tlv *t);
/* Nothing but 00/FF padding in b[n]: what must follow the point where
 * ub_tlv_next stops in a file whose padding is only at its end. */
bool ub_padding_only(const uint8_t *b, size_t n);

/* --- FCP (TS 102 221 11.1.1.3) --- */
enum ub_ftype {
	UB_FT_UNKNOWN,
	UB_FT_DF,
	UB_FT_TRANSPARENT,
	UB_FT_LINEAR,
	UB_FT_CYCLIC,
	UB_FT_BERTLV
};

struct ub_fcp {
	enum ub_ftype type;
	uint16_t fid;
	bool has_fid;
	uint8_t aid[16];
	size_t aid_len;
	size_t size;	  /* 80: EF data bytes */
	size_t total;	  /* 81 */
	uint16_t rec_len; /* linear/cyclic */
	uint8_t nrec;
	int sfi;      /* 0 = none, -1 = not given (default: 5 LSBs of FID) */
	uint8_t lcsi; /* 8A */
	bool pin1_on; /* C6: PS_DO says key ref 01 enabled */
	bool has_c6;
};
int ub_fcp_parse(const uint8_t *b, size_t n, struct ub_fcp *fcp);

/* --- EF_DIR (TS 102 221 13.1) --- */
enum ub_app_kind { UB_APP_OTHER, UB_APP_USIM, UB_APP_ISIM, UB_APP_PKCS15 };

struct ub_app {
	uint8_t aid[16];
	size_t aid_len;
	char label[33];
	enum ub_app_kind kind;
};

/* One EF_DIR record (or the whole transparent EF_DIR): fills up to max
 * apps, returns the count (0 for an empty FF record) or UB_E_BAD_DATA
 * (also for a template after the first 00/FF padding byte). */
int ub_efdir_decode(const uint8_t *b, size_t n, struct ub_app *apps, size_t max);
const char *ub_app_kind_name(enum ub_app_kind k);

/* --- identities --- */
int ub_iccid_decode(const uint8_t *b, size_t n, char out[21]);
int ub_imsi_decode(const uint8_t *b, size_t n, char out[16]);
/* EF_AD: MNC length 2 or 3, 0 when the file does not say. */
int ub_ad_mnc_len(const uint8_t *b, size_t n, int *mnc_len);
/* Service n (1-based) of EF_UST/EF_IST. */
bool ub_service(const uint8_t *tab, size_t n, unsigned num);
/* "80 L text" (EF_IMPI, EF_DOMAIN, an EF_IMPU record); FF padding after. */
int ub_tlv80_text(const uint8_t *b, size_t n, char *out, size_t max);
/* IMPI per TS 23.003 13.3 from IMSI and MNC length (2 or 3). */
int ub_impi_from_imsi(const char *imsi, int mnc_len, char *out, size_t max);

/* --- GBA files (TS 31.102 4.2.79, 4.2.83) --- */
struct ub_gbabp {
	uint8_t rand[16];
	size_t rand_len; /* 0: never bootstrapped */
	char btid[256];	 /* "" when not written yet */
	char lifetime[64];
};
int ub_gbabp_decode(const uint8_t *b, size_t n, struct ub_gbabp *g);
/* Encode RAND, B-TID, lifetime; returns the length or UB_E_USAGE. */
int ub_gbabp_encode(const struct ub_gbabp *g, uint8_t *out, size_t max);

struct ub_gbanl {
	uint8_t naf_id[255];
	size_t naf_id_len; /* 0: empty record */
	char btid[256];
};
int ub_gbanl_decode(const uint8_t *b, size_t n, struct ub_gbanl *e);

/* --- PKCS#15 (v1.1) ODF -> DODF -> oidDO --- */
struct ub_p15_path {
	uint8_t path[16];
	size_t len;
	int index;  /* -1: absent */
	int length; /* -1: absent */
};
/* The DODF path(s) of an ODF; returns the count.  00/FF padding ends the
 * data only at the end of the file: anything but padding after the first
 * padding byte is UB_E_BAD_DATA (as in a DODF). */
int ub_p15_odf_dodfs(const uint8_t *b, size_t n, struct ub_p15_path *out, size_t max);
/* The path as text for messages: "5207", "3F00/7F50/5207". */
void ub_p15_path_text(const struct ub_p15_path *p, char *out, size_t max);

struct ub_p15_oid_do {
	uint8_t oid[16]; /* DER content of the OID */
	size_t oid_len;
	struct ub_p15_path path;
	/* CommonObjectAttributes (PKCS #15 v1.1 Annex A): flags BIT STRING
	 * { private(0), modifiable(1) } and authId, the PIN object that guards
	 * the file.  LwM2M Core G.2.4: either flag set means cardholder
	 * verification is needed before the file can be read. */
	bool has_flags;
	bool is_private;
	bool is_modifiable;
	uint8_t auth_id[255]; /* Identifier ::= OCTET STRING (SIZE (0..255)) */
	size_t auth_id_len;   /* 0: absent or empty */
};
/* oidDO entries of a DODF; opaque/external entries are skipped. */
int ub_p15_dodf_oids(const uint8_t *b, size_t n, struct ub_p15_oid_do *out, size_t max);
/* Does the entry name this OID (DER content), plain or double-encoded? */
bool ub_p15_oid_is(const struct ub_p15_oid_do *o, const uint8_t *oid, size_t len);

#endif
