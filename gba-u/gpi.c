/* GBA Push Info (TS 33.223 5.2.1 fields, 5.3.5 encoding) with a layout
 * that is configuration, since the text of 5.3.5 was not available to us
 * (ub_gpi.h).  Every octet is hostile: lengths are checked against what
 * is left and against the field that keeps the value, before any copy. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_error.h"
#include "ub_gba.h"
#include "ub_gpi.h"
#include "ub_status.h"

/* The names of enum ub_gpi_field, and the most octets each may hold
 * (the room in struct ub_gpi; for skip, what lv2 can say). */
static const struct {
	const char *name;
	size_t min, max;
} fields[UB_GPI_FIELDS_N] = {
	[UB_GPI_VERSION] = {"version", 1, 4},
	[UB_GPI_PTID] = {"ptid", 1, sizeof(((struct ub_gpi *)0)->ptid) - 1},
	[UB_GPI_RAND] = {"rand", 16, 16},
	[UB_GPI_AUTN] = {"autn", 16, 16},
	[UB_GPI_NAF_ID] = {"naf_id", 1 + UB_UA_LEN, sizeof(((struct ub_gpi *)0)->naf_id)},
	[UB_GPI_NAF_FQDN] = {"naf_fqdn", 1, sizeof(((struct ub_gpi *)0)->naf_id) - UB_UA_LEN},
	[UB_GPI_UA] = {"ua", UB_UA_LEN, UB_UA_LEN},
	[UB_GPI_LIFETIME] = {"lifetime", 1, sizeof(((struct ub_gpi *)0)->lifetime) - 1},
	[UB_GPI_APP_LBL] = {"app_lbl", 0, sizeof(((struct ub_gpi *)0)->app_lbl)},
	[UB_GPI_SKIP] = {"skip", 0, 65535},
};

const char *ub_gpi_field_name(enum ub_gpi_field f)
{
	return (unsigned)f < UB_GPI_FIELDS_N ? fields[f].name : "?";
}

/* --- the layout --- */

static const char *blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A decimal number of at most 10 digits at *p, moved past it. */
static bool number(const char **p, unsigned long *v)
{
	size_t n = strspn(*p, "0123456789");
	char *end;

	if (!n || n > 10)
		return false;
	*v = strtoul(*p, &end, 10);
	*p = end;
	return true;
}

/* "N" or "N to M": the octets field f holds, from lo. */
static const char *room(enum ub_gpi_field f, size_t lo, char out[48])
{
	if (lo == fields[f].max)
		snprintf(out, 48, "%zu", lo);
	else
		snprintf(out, 48, "%zu to %zu", lo, fields[f].max);
	return out;
}

#define LAYOUT_FAIL(st, at, fmt, ...) \
	ub_fail_off(st, UB_E_USAGE, "GPI layout character", (size_t)((at)-text), fmt, ##__VA_ARGS__)

/* One "name:coding[=V]" at *pp into *it; *pp moved past it. */
static int layout_item(const char *text, const char **pp, struct ub_gpi_item *it,
		       struct ub_status *st)
{
	const char *p = *pp, *start = *pp, *name_end;
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz_");
	char holds[48];
	unsigned long v;
	int f;

	for (f = 0; f < UB_GPI_FIELDS_N; f++)
		if (strlen(fields[f].name) == n && !strncmp(p, fields[f].name, n))
			break;
	name_end = p + n;
	if (!n || f == UB_GPI_FIELDS_N)
		return LAYOUT_FAIL(st, start,
				   "'%.*s' is not a field (version, ptid, rand, autn, naf_id, "
				   "naf_fqdn, ua, lifetime, app_lbl, skip)",
				   (int)(n ? n : strcspn(p, ",")), p);
	memset(it, 0, sizeof(*it));
	it->field = (enum ub_gpi_field)f;
	if (*name_end != ':')
		return LAYOUT_FAIL(st, name_end, "%s: ':' and a coding (N, lv1 or lv2) expected",
				   fields[f].name);
	p = name_end + 1;
	if (!strncmp(p, "lv1", 3) || !strncmp(p, "lv2", 3)) {
		it->coding = p[2] == '1' ? UB_GPI_LV1 : UB_GPI_LV2;
		p += 3;
	} else if (number(&p, &v) && v >= 1 && v <= 65535) {
		it->coding = UB_GPI_FIXED;
		it->len = v;
	} else {
		return LAYOUT_FAIL(st, name_end + 1,
				   "%s: the coding is a number of octets (1 to 65535), lv1 or lv2",
				   fields[f].name);
	}
	if (it->coding == UB_GPI_FIXED && (it->len < fields[f].min || it->len > fields[f].max))
		return LAYOUT_FAIL(
			st, start, "%s: %zu octets; it holds %s", fields[f].name, it->len,
			room((enum ub_gpi_field)f, fields[f].min ? fields[f].min : 1, holds));
	if (f == UB_GPI_VERSION) {
		if (it->coding != UB_GPI_FIXED)
			return LAYOUT_FAIL(st, start, "version: a fixed number of octets (1 to 4)");
		if (*p != '=')
			return LAYOUT_FAIL(st, p,
					   "version: '=V', the value it must have, expected");
		p++;
		if (!number(&p, &v) || (it->len < 4 && v >> (8 * it->len)) || v > 0xFFFFFFFFul)
			return LAYOUT_FAIL(st, start,
					   "version: the value does not fit its %zu octets",
					   it->len);
		it->want = v;
	} else if (*p == '=') {
		return LAYOUT_FAIL(st, p, "%s: only version takes '=V'", fields[f].name);
	}
	*pp = p;
	return 0;
}

int ub_gpi_layout_parse(const char *text, struct ub_gpi_layout *l, struct ub_status *st)
{
	bool seen[UB_GPI_FIELDS_N] = {false};
	const char *p;
	int err;

	memset(l, 0, sizeof(*l));
	if (!text)
		text = UB_GPI_LAYOUT_DEFAULT;
	if (strlen(text) > UB_GPI_LAYOUT_MAX)
		return ub_fail(st, UB_E_USAGE, 0, "GPI layout", "longer than %d characters",
			       UB_GPI_LAYOUT_MAX);
	for (p = blanks(text);; p = blanks(p + 1)) {
		const char *start = p;
		struct ub_gpi_item *it = &l->items[l->n];

		if (l->n == UB_GPI_ITEMS_MAX) {
			err = LAYOUT_FAIL(st, start, "more than %d fields", UB_GPI_ITEMS_MAX);
			goto fail;
		}
		if ((err = layout_item(text, &p, it, st)))
			goto fail;
		if (it->field != UB_GPI_SKIP && seen[it->field]) {
			err = LAYOUT_FAIL(st, start, "%s given twice", fields[it->field].name);
			goto fail;
		}
		seen[it->field] = true;
		l->n++;
		p = blanks(p);
		if (!*p)
			break;
		if (*p != ',') {
			err = LAYOUT_FAIL(st, p, "',' or the end expected after %s",
					  fields[it->field].name);
			goto fail;
		}
	}
	if (seen[UB_GPI_NAF_ID] && (seen[UB_GPI_NAF_FQDN] || seen[UB_GPI_UA]))
		err = ub_fail(st, UB_E_USAGE, 0, "GPI layout",
			      "naf_id is the FQDN with the Ua id: not with naf_fqdn or ua");
	else if (seen[UB_GPI_NAF_FQDN] != seen[UB_GPI_UA])
		err = ub_fail(st, UB_E_USAGE, 0, "GPI layout", "naf_fqdn and ua go together");
	else if (!seen[UB_GPI_PTID] || !seen[UB_GPI_RAND] || !seen[UB_GPI_AUTN] ||
		 !seen[UB_GPI_LIFETIME] || !(seen[UB_GPI_NAF_ID] || seen[UB_GPI_NAF_FQDN]))
		/* the lifetime too: EF_GBABP needs one, and without it the NAF
		 * key would be refused after the card spent the bootstrap */
		err = ub_fail(st, UB_E_USAGE, 0, "GPI layout",
			      "ptid, rand, autn, naf_id (or naf_fqdn and ua) and lifetime are "
			      "needed");
	else
		return 0;
fail:
	memset(l, 0, sizeof(*l));
	return err;
}

/* --- the octets --- */

/* Visible ASCII, no NUL, no blank: what the card's files and the KDF get
 * as a string.  Returns the index of the first other byte, or n. */
static size_t visible(const uint8_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n && v[i] >= 0x21 && v[i] <= 0x7E; i++)
		;
	return i;
}

#define GPI_FAIL(st, off, fmt, ...) \
	ub_fail_off(st, UB_E_BAD_DATA, "GPI octet", off, fmt, ##__VA_ARGS__)

/* The string field f's n octets at b[off] into out (n + 1 bytes):
 * visible ASCII only. */
static int put_string(enum ub_gpi_field f, const uint8_t *b, size_t off, size_t n, char *out,
		      struct ub_status *st)
{
	size_t bad = visible(b + off, n);

	if (bad < n)
		return GPI_FAIL(st, off + bad, "%s: byte 0x%02X (visible ASCII only)",
				fields[f].name, b[off + bad]);
	memcpy(out, b + off, n);
	out[n] = '\0';
	return 0;
}

/* One field of the GPI, value at b[off], n octets. */
static int decode_value(const struct ub_gpi_item *it, const uint8_t *b, size_t off, size_t n,
			struct ub_gpi *gpi, uint8_t ua[UB_UA_LEN], size_t *fqdn_len,
			struct ub_status *st)
{
	unsigned long v = 0;
	long long t;
	size_t i, fqdn;
	int err;

	switch (it->field) {
	case UB_GPI_VERSION:
		for (i = 0; i < n; i++)
			v = v << 8 | b[off + i];
		if (v != it->want)
			return GPI_FAIL(st, off, "version %lu, not %lu", v, it->want);
		return 0;
	case UB_GPI_PTID:
		return put_string(it->field, b, off, n, gpi->ptid, st);
	case UB_GPI_RAND:
		memcpy(gpi->rand, b + off, 16);
		return 0;
	case UB_GPI_AUTN:
		memcpy(gpi->autn, b + off, 16);
		return 0;
	case UB_GPI_NAF_ID:
	case UB_GPI_NAF_FQDN:
		fqdn = it->field == UB_GPI_NAF_ID ? n - UB_UA_LEN : n;
		if ((i = visible(b + off, fqdn)) < fqdn)
			return GPI_FAIL(st, off + i,
					"%s: byte 0x%02X in the FQDN (visible ASCII only)",
					fields[it->field].name, b[off + i]);
		memcpy(gpi->naf_id, b + off, n);
		if (it->field == UB_GPI_NAF_ID)
			gpi->naf_id_len = n;
		else
			*fqdn_len = n;
		return 0;
	case UB_GPI_UA:
		memcpy(ua, b + off, UB_UA_LEN);
		return 0;
	case UB_GPI_LIFETIME:
		if ((err = put_string(it->field, b, off, n, gpi->lifetime, st)))
			return err;
		if (ub_lifetime_parse(gpi->lifetime, &t))
			return GPI_FAIL(st, off, "lifetime '%s' is not an xs:dateTime",
					gpi->lifetime);
		return 0;
	case UB_GPI_APP_LBL:
		memcpy(gpi->app_lbl, b + off, n);
		gpi->app_lbl_len = n;
		return 0;
	case UB_GPI_SKIP:
	case UB_GPI_FIELDS_N:
		break;
	}
	return 0;
}

int ub_gpi_decode(const struct ub_gpi_layout *l, const uint8_t *b, size_t n, struct ub_gpi *gpi,
		  struct ub_status *st)
{
	uint8_t ua[UB_UA_LEN] = {0};
	size_t i, off = 0, hdr, len, fqdn_len = 0;
	char holds[48];
	const char *name;
	int err = 0;

	memset(gpi, 0, sizeof(*gpi));
	if (!l->n)
		return ub_fail(st, UB_E_USAGE, 0, "GPI layout", "no fields");
	for (i = 0; i < l->n; i++) {
		const struct ub_gpi_item *it = &l->items[i];

		name = fields[it->field].name;
		hdr = it->coding == UB_GPI_LV1 ? 1 : it->coding == UB_GPI_LV2 ? 2 : 0;
		if (n - off < hdr) {
			err = GPI_FAIL(st, off,
				       "%s: cut short (its length, %zu octets, is not there)", name,
				       hdr);
			goto fail;
		}
		len = it->coding == UB_GPI_LV1	 ? b[off]
		      : it->coding == UB_GPI_LV2 ? (size_t)b[off] << 8 | b[off + 1]
						 : it->len;
		if (len < fields[it->field].min || len > fields[it->field].max) {
			err = GPI_FAIL(st, off, "%s: %zu octets; it holds %s", name, len,
				       room(it->field, fields[it->field].min, holds));
			goto fail;
		}
		if (n - off - hdr < len) {
			err = GPI_FAIL(st, off, "%s: cut short (%zu octets, %zu left)", name, len,
				       n - off - hdr);
			goto fail;
		}
		if ((err = decode_value(it, b, off + hdr, len, gpi, ua, &fqdn_len, st)))
			goto fail;
		off += hdr + len;
	}
	if (off != n) {
		err = GPI_FAIL(st, off, "%zu octets after the last field (%s)", n - off,
			       fields[l->items[l->n - 1].field].name);
		goto fail;
	}
	if (fqdn_len) { /* naf_fqdn and ua: NAF_Id = FQDN || Ua id (TS 33.220 H.2) */
		memcpy(gpi->naf_id + fqdn_len, ua, UB_UA_LEN);
		gpi->naf_id_len = fqdn_len + UB_UA_LEN;
	}
	return 0;
fail:
	memset(gpi, 0, sizeof(*gpi));
	return err;
}
