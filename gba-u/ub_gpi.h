/* GBA Push Info (TS 33.223 5.2.1 fields, 5.3.5 encoding): a codec of
 * octets only, knowing nothing of the card, of OMA DM or of files.
 *
 * The text of TS 33.223 5.3.5 (the GPI's byte layout) was not available
 * to us, so the layout is configuration: an ordered, comma-separated list
 * of fields "name:coding" (docs/usage.md, GBA).  UB_GPI_LAYOUT_DEFAULT is
 * our assumption, not the standard's confirmed layout.  No GPI MAC is
 * known: none is checked (a trailing one can only be skipped). */
#ifndef UB_GPI_H
#define UB_GPI_H

#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"

#define UB_GPI_LAYOUT_DEFAULT "version:1=1,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1"
#define UB_GPI_LAYOUT_MAX 400 /* characters of a layout's text */
#define UB_GPI_ITEMS_MAX 16   /* fields of a layout */

enum ub_gpi_field {
	UB_GPI_VERSION,	 /* a fixed-size number that must equal the layout's */
	UB_GPI_PTID,	 /* the P-TID, visible ASCII */
	UB_GPI_RAND,	 /* 16 octets */
	UB_GPI_AUTN,	 /* AUTN(*), 16 octets */
	UB_GPI_NAF_ID,	 /* FQDN || Ua security protocol id (5 octets) */
	UB_GPI_NAF_FQDN, /* the FQDN alone, with ua */
	UB_GPI_UA,	 /* the Ua security protocol id alone, 5 octets */
	UB_GPI_LIFETIME, /* the NAF key's lifetime, an xs:dateTime */
	UB_GPI_APP_LBL,	 /* the UICC application's label: read, kept, not used */
	UB_GPI_SKIP,	 /* octets ignored (a flag, a MAC nobody can check) */
	UB_GPI_FIELDS_N
};

enum ub_gpi_coding {
	UB_GPI_FIXED, /* len octets */
	UB_GPI_LV1,   /* one octet of length, then the value */
	UB_GPI_LV2,   /* two octets of length (big-endian), then the value */
};

struct ub_gpi_item {
	enum ub_gpi_field field;
	enum ub_gpi_coding coding;
	size_t len;	    /* UB_GPI_FIXED: the octets */
	unsigned long want; /* UB_GPI_VERSION: the value it must have */
};

struct ub_gpi_layout {
	struct ub_gpi_item items[UB_GPI_ITEMS_MAX];
	size_t n;
};

/* The fields of a GBA Push Info that the UE needs. */
struct ub_gpi {
	uint8_t rand[16], autn[16];
	uint8_t naf_id[255]; /* FQDN || Ua id */
	size_t naf_id_len;
	char ptid[256];
	char lifetime[64];
	uint8_t app_lbl[255];
	size_t app_lbl_len;
};

/* "ptid" for UB_GPI_PTID; "?" out of range. */
const char *ub_gpi_field_name(enum ub_gpi_field f);

/* Parse a layout's text (NULL: UB_GPI_LAYOUT_DEFAULT) into *l.
 * Grammar:  layout = field *( "," field ), blanks around each allowed;
 *           field  = name ":" coding [ "=" number ]   ("=" only for version)
 *           coding = 1*DIGIT (that many octets) / "lv1" / "lv2"
 * version is fixed-size (1 to 4 octets, big-endian) and needs "=V";
 * rand and autn are 16 octets, ua 5 (fixed: exactly that); each name but
 * skip at most once; ptid, rand, autn, naf_id (or naf_fqdn with ua) and
 * lifetime must be there.  Returns 0 or UB_E_USAGE, st naming the field and its
 * character offset in text. */
int ub_gpi_layout_parse(const char *text, struct ub_gpi_layout *l, struct ub_status *st);

/* Decode the n octets at b with layout l into *gpi (zeroed first; on
 * failure left zeroed).  Refuses (UB_E_BAD_DATA, st naming the field and
 * its octet offset) a GPI cut short, octets after the last field, a
 * version other than the layout's, rand/autn/ua of another length, a value
 * longer than its field in struct ub_gpi, an empty P-TID, FQDN or
 * lifetime, a NUL or
 * a byte outside visible ASCII (0x21-0x7E) in the P-TID, FQDN or lifetime,
 * and a lifetime that is not an xs:dateTime. */
int ub_gpi_decode(const struct ub_gpi_layout *l, const uint8_t *b, size_t n, struct ub_gpi *gpi,
		  struct ub_status *st);

#endif
