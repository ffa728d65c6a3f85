/* PKCS#15 v1.1: ODF -> DODF -> oidDO, as the OMA bootstrap files use it
 * (OMA DM Bootstrap smartcard appendix, LwM2M Core Appendix G).  Tolerant where live cards differ
 * (double-encoded OID, missing CommonObjectAttributes, Path without index/length, FF padding),
 * strict on every length. */
#include <stdio.h>
#include <string.h>

#include "ub_decode.h"
#include "ub_error.h"

/* Path ::= SEQUENCE { path OCTET STRING, index INTEGER OPTIONAL,
 *                     length [0] INTEGER OPTIONAL } */
static int path_decode(const uint8_t *b, size_t n, struct ub_p15_path *p)
{
	struct ub_tlv t;
	size_t off = 0, i;
	int r, v;

	memset(p, 0, sizeof(*p));
	p->index = p->length = -1;
	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag == 0x04) {
			if (t.len < 2 || t.len > sizeof(p->path) || t.len % 2)
				return UB_E_BAD_DATA;
			memcpy(p->path, t.v, t.len);
			p->len = t.len;
		} else if (t.tag == 0x02 || t.tag == 0x80) {
			if (t.len < 1 || t.len > 3 || (t.v[0] & 0x80))
				return UB_E_BAD_DATA; /* non-negative, < 2^23 */
			for (v = 0, i = 0; i < t.len; i++)
				v = v << 8 | t.v[i];
			*(t.tag == 0x02 ? &p->index : &p->length) = v;
		}
	}
	return r < 0 || off != n || !p->len ? UB_E_BAD_DATA : 0; /* no padding inside */
}

void ub_p15_path_text(const struct ub_p15_path *p, char *out, size_t max)
{
	size_t i, o = 0;

	if (max)
		out[0] = '\0';
	for (i = 0; i + 1 < p->len && o + 6 <= max; i += 2)
		o += (size_t)snprintf(out + o, max - o, "%s%02X%02X", i ? "/" : "", p->path[i],
				      p->path[i + 1]);
}

int ub_p15_odf_dodfs(const uint8_t *b, size_t n, struct ub_p15_path *out, size_t max)
{
	struct ub_tlv t, seq;
	size_t off = 0;
	int r, count = 0;

	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag != 0xA7)
			continue; /* other directories: keys, certificates, ... */
		if ((size_t)count >= max)
			return UB_E_BAD_DATA;
		if (ub_tlv_find(t.v, t.len, 0x30, &seq) != 1 ||
		    path_decode(seq.v, seq.len, &out[count]))
			return UB_E_BAD_DATA;
		count++;
	}
	/* 00 or FF ends the data only when nothing but padding follows: a
	 * directory entry hidden behind one is a damaged or hostile file */
	return r < 0 || !ub_padding_only(b + off, n - off) ? UB_E_BAD_DATA : count;
}

/* CommonObjectAttributes ::= SEQUENCE { label Label OPTIONAL,
 *     flags CommonObjectFlags OPTIONAL, authId Identifier OPTIONAL, ... }
 * CommonObjectFlags ::= BIT STRING { private (0), modifiable (1) }: bit 0
 * is the most significant bit of the first content byte after the
 * unused-bits count (X.690 8.6).  Other elements (label, userConsent,
 * access rules, extensions) are skipped; what is read is checked. */
static int common_attrs(const uint8_t *b, size_t n, struct ub_p15_oid_do *o)
{
	struct ub_tlv t;
	size_t off = 0, bits;
	int r;

	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag == 0x03) {
			if (o->has_flags || !t.len || t.v[0] > 7 || (t.len == 1 && t.v[0]))
				return UB_E_BAD_DATA; /* unused-bits count 0..7, 0 when empty */
			bits = (t.len - 1) * 8 - t.v[0];
			o->has_flags = true;
			o->is_private = bits > 0 && (t.v[1] & 0x80);
			o->is_modifiable = bits > 1 && (t.v[1] & 0x40);
		} else if (t.tag == 0x04) {
			if (o->auth_id_len || t.len > sizeof(o->auth_id))
				return UB_E_BAD_DATA;
			memcpy(o->auth_id, t.v, t.len);
			o->auth_id_len = t.len;
		}
	}
	return r < 0 || off != n ? UB_E_BAD_DATA : 0; /* no padding inside a SEQUENCE */
}

/* OidDO ::= SEQUENCE { id OBJECT IDENTIFIER, value Path } inside [1]. */
static int oid_do(const uint8_t *b, size_t n, struct ub_p15_oid_do *o)
{
	struct ub_tlv t, type, seq, id, path;
	size_t off = 0, off2 = 0;
	int r, nseq = 0;

	memset(o, 0, sizeof(*o));
	/* Common*Attributes are SEQUENCEs (30) and optional; typeAttributes is
	 * [1] (A1).  The first SEQUENCE is CommonObjectAttributes; when a card
	 * leaves it out, the one there is CommonDataObjectAttributes, whose
	 * elements (applicationName, applicationOID) carry no flags. */
	while ((r = ub_tlv_next(b, n, &off, &t)) > 0 && t.tag == 0x30)
		if (!nseq++ && common_attrs(t.v, t.len, o))
			return UB_E_BAD_DATA;
	if (r != 1 || t.tag != 0xA1)
		return UB_E_BAD_DATA;
	type = t;
	if (ub_tlv_next(type.v, type.len, &off2, &seq) != 1 || seq.tag != 0x30)
		return UB_E_BAD_DATA;
	off2 = 0;
	if (ub_tlv_next(seq.v, seq.len, &off2, &id) != 1 || id.tag != 0x06 || !id.len ||
	    id.len > sizeof(o->oid))
		return UB_E_BAD_DATA;
	memcpy(o->oid, id.v, id.len);
	o->oid_len = id.len;
	if (ub_tlv_next(seq.v, seq.len, &off2, &path) != 1 || path.tag != 0x30)
		return UB_E_BAD_DATA;
	return path_decode(path.v, path.len, &o->path);
}

int ub_p15_dodf_oids(const uint8_t *b, size_t n, struct ub_p15_oid_do *out, size_t max)
{
	struct ub_tlv t;
	size_t off = 0;
	int r, count = 0;

	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag != 0xA1)
			continue; /* opaqueDO (30), externalIDO (A0) */
		if ((size_t)count >= max)
			return UB_E_BAD_DATA;
		if (oid_do(t.v, t.len, &out[count]))
			return UB_E_BAD_DATA;
		count++;
	}
	return r < 0 || !ub_padding_only(b + off, n - off) ? UB_E_BAD_DATA : count;
}

bool ub_p15_oid_is(const struct ub_p15_oid_do *o, const uint8_t *oid, size_t len)
{
	if (o->oid_len == len && !memcmp(o->oid, oid, len))
		return true;
	/* Seen on live SIMs: the OID encoded twice, 06 06 06 04 67 2B 09 01. */
	return o->oid_len == len + 2 && o->oid[0] == 0x06 && o->oid[1] == len &&
	       !memcmp(o->oid + 2, oid, len);
}
