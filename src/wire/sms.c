/* SMS-DELIVER TPDUs: decoding, concatenation, encoding (3GPP TS 23.040,
 * TS 23.038, TS 24.011). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ub_error.h"
#include "ub_sms.h"
#include "ub_status.h"

/* TP-MTI values in the MS direction (TS 23.040 9.2.3.1) */
#define MTI_DELIVER 0x00
#define MTI_SUBMIT 0x01
#define IEI_CONCAT8 0x00
#define IEI_PORTS8 0x04
#define IEI_PORTS16 0x05
#define IEI_CONCAT16 0x08

/* The TPDU is wrong at octet off: UB_E_BAD_DATA, st saying what and where. */
#define fail(st, off, ...) ub_fail_off(st, UB_E_BAD_DATA, "octet", off, __VA_ARGS__)

/* Semi-octet digits, low nibble first (TS 23.040 9.1.2.3); 0xA-0xE are
 * '*', '#', 'a', 'b', 'c' (TS 24.008 10.5.4.7); F only as the filler of an
 * odd count.  Returns the digit count or -1. */
static int bcd_digits(const uint8_t *b, size_t octets, size_t ndigits, char *out)
{
	static const char sym[] = "0123456789*#abc";
	size_t i;
	unsigned nib;

	for (i = 0; i < octets * 2; i++) {
		nib = i & 1 ? b[i / 2] >> 4 : b[i / 2] & 0x0F;
		if (i >= ndigits) {
			if (nib != 0xF)
				return -1; /* beyond the stated length: only the filler */
			continue;
		}
		if (nib == 0xF) {
			if (i + 1 != octets * 2)
				return -1;
			ndigits = i; /* a filler ends the number (SMSC address) */
			continue;
		}
		out[i] = sym[nib];
	}
	out[ndigits] = '\0';
	return (int)ndigits;
}

/* GSM 7-bit default alphabet (TS 23.038 6.2.1) to ASCII where the two
 * agree; anything else (and the escape to the extension table) is '?'. */
static char gsm7_ascii(uint8_t c)
{
	if (c == 0x00)
		return '@';
	if (c == 0x02)
		return '$';
	if (c == 0x11)
		return '_';
	if ((c >= 0x20 && c <= 0x23) || (c >= 0x25 && c <= 0x3F) || (c >= 0x41 && c <= 0x5A) ||
	    (c >= 0x61 && c <= 0x7A))
		return (char)c;
	return '?';
}

static int ascii_gsm7(char c)
{
	if (c == '@')
		return 0x00;
	if (c == '$')
		return 0x02;
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    c == ' ' || c == '-' || c == '.' || c == '+')
		return c;
	return -1;
}

/* TP-OA (TS 23.040 9.1.2.5): length in useful semi-octets, TOA, value. */
static int decode_oa(const uint8_t *b, size_t n, size_t *o, struct ub_sms_deliver *d,
		     struct ub_status *st)
{
	size_t len, octets, i, septets;
	char digits[UB_SMS_ADDR_DIGITS + 1];

	if (*o + 2 > n)
		return fail(st, *o, "TP-OA: truncated");
	len = b[*o];
	d->oa_toa = b[*o + 1];
	octets = (len + 1) / 2;
	if (len > UB_SMS_ADDR_DIGITS)
		return fail(st, *o, "TP-OA: length %zu semi-octets, at most 20", len);
	if (!(d->oa_toa & 0x80))
		return fail(st, *o + 1, "TP-OA: type of address without bit 8");
	if (*o + 2 + octets > n)
		return fail(st, *o, "TP-OA: %zu octets past the end", octets);
	d->oa_raw_len = (uint8_t)(2 + octets);
	memcpy(d->oa_raw, b + *o, d->oa_raw_len);
	*o += 2;
	if (((d->oa_toa >> 4) & 7) == 5) { /* alphanumeric, GSM 7-bit packed */
		septets = len * 4 / 7;
		for (i = 0; i < septets; i++) {
			size_t bit = i * 7;
			unsigned v = b[*o + bit / 8] >> (bit % 8);

			if (bit % 8 > 1)
				v |= (unsigned)b[*o + bit / 8 + 1] << (8 - bit % 8);
			d->originator[i] = gsm7_ascii((uint8_t)(v & 0x7F));
		}
		d->originator[septets] = '\0';
	} else {
		if (bcd_digits(b + *o, octets, len, digits) != (int)len)
			return fail(st, *o, "TP-OA: not semi-octet digits");
		snprintf(d->originator, sizeof(d->originator), "%s%s",
			 ((d->oa_toa >> 4) & 7) == 1 ? "+" : "", digits);
	}
	*o += octets;
	return 0;
}

/* RP address of the SMSC (TS 24.011 8.2.5.1): length in octets with TOA. */
static int decode_smsc(const uint8_t *b, size_t n, size_t *o, struct ub_sms_deliver *d,
		       struct ub_status *st)
{
	char digits[UB_SMS_ADDR_DIGITS + 1];
	size_t len;
	int k;

	if (n < 1)
		return fail(st, 0, "SMSC address: empty input");
	len = b[0];
	if (!len) {
		*o = 1;
		return 0;
	}
	if (len < 2 || len > 11)
		return fail(st, 0, "SMSC address: length %zu, wants 2..11", len);
	if (1 + len > n)
		return fail(st, 0, "SMSC address: %zu octets past the end", len);
	if (!(b[1] & 0x80))
		return fail(st, 1, "SMSC address: type of address without bit 8");
	k = bcd_digits(b + 2, len - 1, (len - 1) * 2, digits);
	if (k < 0)
		return fail(st, 2, "SMSC address: not semi-octet digits");
	snprintf(d->smsc, sizeof(d->smsc), "%s%s", ((b[1] >> 4) & 7) == 1 ? "+" : "", digits);
	*o = 1 + len;
	return 0;
}

/* TP-DCS (TS 23.038 clause 4). */
static void decode_dcs(struct ub_sms_deliver *d)
{
	uint8_t c = d->dcs;

	d->msg_class = -1;
	if ((c & 0xC0) == 0x00 || (c & 0xC0) == 0x40) { /* general / automatic deletion */
		if (c & 0x10)
			d->msg_class = c & 3;
		if (c & 0x20)
			d->alphabet = UB_SMS_COMPRESSED;
		else if (((c >> 2) & 3) == 1)
			d->alphabet = UB_SMS_8BIT;
		else if (((c >> 2) & 3) == 2)
			d->alphabet = UB_SMS_UCS2;
		else
			d->alphabet = UB_SMS_GSM7; /* 00, and 11 reserved: the default alphabet */
	} else if ((c & 0xF0) == 0xE0) {	   /* message waiting, store, UCS2 */
		d->alphabet = UB_SMS_UCS2;
	} else if ((c & 0xF0) == 0xF0) { /* data coding / message class */
		d->alphabet = c & 0x04 ? UB_SMS_8BIT : UB_SMS_GSM7;
		d->msg_class = c & 3;
	} else {
		d->alphabet = UB_SMS_GSM7; /* message waiting groups; reserved groups */
	}
}

static void scts_text(struct ub_sms_deliver *d)
{
	unsigned v[7], i, lo, hi, tz;

	for (i = 0; i < 7; i++) {
		lo = d->scts[i] & 0x0F;
		hi = d->scts[i] >> 4;
		if (i == 6)
			lo &= 7; /* bit 3: the sign of the time zone */
		if (lo > 9 || hi > 9)
			return;
		v[i] = lo * 10 + hi;
	}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 59 ||
	    v[6] > 56)
		return;
	tz = v[6] * 15; /* quarters of an hour (TS 23.040 9.2.3.11) */
	snprintf(d->scts_text, sizeof(d->scts_text), "20%02u-%02u-%02uT%02u:%02u:%02u%c%02u:%02u",
		 v[0], v[1], v[2], v[3], v[4], v[5], d->scts[6] & 0x08 ? '-' : '+', tz / 60,
		 tz % 60);
}

/* The User Data Header (TS 23.040 9.2.3.24): the IEs this layer needs;
 * others are skipped within their stated length.  A repeated concatenation
 * or port IE is refused (both are "not repeatable", 9.2.3.24 table), and so
 * are both port widths, or both reference widths, at once. */
static int decode_udh(const uint8_t *u, size_t ulen, size_t base, struct ub_sms_deliver *d,
		      struct ub_status *st)
{
	const uint8_t *v;
	size_t o = 1, l;
	uint8_t iei;

	while (o < ulen) {
		if (o + 2 > ulen)
			return fail(st, base + o, "UDH: IE header truncated");
		iei = u[o];
		l = u[o + 1];
		if (o + 2 + l > ulen)
			return fail(st, base + o, "UDH: IE %02X length %zu past the UDH end", iei,
				    l);
		v = u + o + 2;
		if (iei == IEI_CONCAT8 || iei == IEI_CONCAT16) {
			if (d->concat)
				return fail(st, base + o, "UDH: concatenation IE repeated");
			if (l != (iei == IEI_CONCAT8 ? 3u : 4u))
				return fail(st, base + o,
					    "UDH: concatenation IE %02X of length %zu", iei, l);
			d->concat = true;
			d->ref_bits = iei == IEI_CONCAT8 ? 8 : 16;
			d->ref = iei == IEI_CONCAT8 ? v[0] : (uint16_t)(v[0] << 8 | v[1]);
			d->total = v[l - 2];
			d->seq = v[l - 1];
			if (!d->total)
				return fail(st, base + o, "UDH: concatenation of 0 parts");
			if (!d->seq || d->seq > d->total)
				return fail(st, base + o, "UDH: part %u of %u does not exist",
					    d->seq, d->total);
		} else if (iei == IEI_PORTS8 || iei == IEI_PORTS16) {
			if (d->has_ports)
				return fail(st, base + o, "UDH: application port IE repeated");
			if (l != (iei == IEI_PORTS8 ? 2u : 4u))
				return fail(st, base + o, "UDH: port IE %02X of length %zu", iei,
					    l);
			d->has_ports = true;
			d->port_bits = iei == IEI_PORTS8 ? 8 : 16;
			if (iei == IEI_PORTS8) {
				d->dst_port = v[0];
				d->src_port = v[1];
			} else {
				d->dst_port = (uint16_t)(v[0] << 8 | v[1]);
				d->src_port = (uint16_t)(v[2] << 8 | v[3]);
			}
		}
		o += 2 + l;
	}
	return 0;
}

int ub_sms_deliver_decode(const uint8_t *b, size_t n, bool has_smsc, struct ub_sms_deliver *d,
			  struct ub_status *st)
{
	size_t o = 0, udoct;
	int err;

	memset(d, 0, sizeof(*d));
	if (has_smsc && (err = decode_smsc(b, n, &o, d, st)))
		return err;

	if (o >= n)
		return fail(st, o, "first octet: missing");
	if ((b[o] & 3) != MTI_DELIVER) {
		return ub_fail_off(st, UB_E_NOT_SUPPORTED, "octet", o,
				   "TP-MTI %u: not an SMS-DELIVER", b[o] & 3);
	}
	/* TP-MMS is "more messages to send" when 0 (TS 23.040 9.2.3.2) */
	d->mms = !(b[o] & 0x04);
	d->sri = b[o] & 0x20;
	d->udhi = b[o] & 0x40;
	d->rp = b[o] & 0x80;
	o++;
	if ((err = decode_oa(b, n, &o, d, st)))
		return err;
	if (o + 10 > n)
		return fail(st, o, "TP-PID/TP-DCS/TP-SCTS/TP-UDL: truncated");
	d->pid = b[o++];
	d->dcs = b[o++];
	decode_dcs(d);
	memcpy(d->scts, b + o, 7);
	scts_text(d);
	o += 7;
	d->udl = b[o++];
	if (d->alphabet == UB_SMS_GSM7) {
		if (d->udl > 160)
			return fail(st, o - 1, "TP-UDL %u septets, at most 160", d->udl);
		udoct = ((size_t)d->udl * 7 + 7) / 8;
	} else {
		if (d->udl > UB_SMS_UD_MAX)
			return fail(st, o - 1, "TP-UDL %u octets, at most 140", d->udl);
		udoct = d->udl;
	}
	if (o + udoct > n)
		return fail(st, o - 1, "TP-UDL %u: %zu octets of TP-UD, %zu present", d->udl, udoct,
			    n - o);
	if (o + udoct < n)
		return fail(st, o + udoct, "%zu octets after TP-UD", n - o - udoct);
	if (d->udhi) {
		if (!udoct)
			return fail(st, o, "TP-UDHI set but TP-UD is empty");
		d->udh = b + o;
		d->udh_len = (size_t)b[o] + 1;
		if (d->udh_len > udoct)
			return fail(st, o, "UDHL %u past TP-UD (%zu octets)", b[o], udoct);
		if ((err = decode_udh(d->udh, d->udh_len, o, d, st)))
			return err;
	}
	if (d->alphabet != UB_SMS_GSM7) {
		d->payload = b + o + d->udh_len;
		d->payload_len = udoct - d->udh_len;
	}
	return 0;
}

bool ub_sms_same_message(const struct ub_sms_deliver *a, const struct ub_sms_deliver *b)
{
	return a->concat && b->concat && a->ref == b->ref && a->ref_bits == b->ref_bits &&
	       a->total == b->total && a->has_ports == b->has_ports && a->dst_port == b->dst_port &&
	       a->src_port == b->src_port && a->port_bits == b->port_bits &&
	       a->oa_raw_len == b->oa_raw_len && !memcmp(a->oa_raw, b->oa_raw, a->oa_raw_len);
}

static int too_long(struct ub_status *st, size_t max)
{
	return ub_fail(st, UB_E_USAGE, 0, NULL, "the message is longer than the %zu octets given",
		       max);
}

int ub_sms_reassemble(const struct ub_sms_deliver *parts, size_t n, uint8_t *out, size_t max,
		      struct ub_status *st)
{
	const struct ub_sms_deliver *by_seq[UB_SMS_PARTS_MAX + 1] = {0};
	size_t i, len = 0;
	unsigned s, total;

	if (!n)
		return ub_fail(st, UB_E_NOT_FOUND, 0, NULL, "no part");
	for (i = 0; i < n; i++)
		if (parts[i].alphabet != UB_SMS_8BIT)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "part %zu: not 8-bit data",
				       i + 1);
	if (!parts[0].concat) {
		if (n != 1)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "%zu unconcatenated messages given as one", n);
		if (parts[0].payload_len > max)
			return too_long(st, max);
		memcpy(out, parts[0].payload, parts[0].payload_len);
		return (int)parts[0].payload_len;
	}
	total = parts[0].total;
	for (i = 0; i < n; i++) {
		const struct ub_sms_deliver *p = &parts[i];

		if (!ub_sms_same_message(&parts[0], p))
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "part %zu: belongs to another message", i + 1);
		if (by_seq[p->seq]) {
			if (by_seq[p->seq]->payload_len != p->payload_len ||
			    memcmp(by_seq[p->seq]->payload, p->payload, p->payload_len))
				return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
					       "part %u of %u twice, with different data", p->seq,
					       total);
			continue; /* the network repeated a part (TS 23.040 9.2.3.24.1) */
		}
		by_seq[p->seq] = p;
	}
	for (s = 1; s <= total; s++) {
		if (!by_seq[s])
			return ub_fail(st, UB_E_NOT_FOUND, 0, NULL, "part %u of %u missing", s,
				       total);
		if (len + by_seq[s]->payload_len > max)
			return too_long(st, max);
		memcpy(out + len, by_seq[s]->payload, by_seq[s]->payload_len);
		len += by_seq[s]->payload_len;
	}
	return (int)len;
}

/* --- encoding --- */

/* The width of the concatenation reference: 16 bits unless 8 are asked
 * for.  A receiver groups parts by originator and reference (TS 23.040
 * 9.2.3.24.1), and the originator is not authenticated: with 8 bits a
 * part from anyone lands in a message 1 time in 256, with 16 in 65536. */
static unsigned ref_width(const struct ub_sms_encode_opts *o)
{
	return o->ref_bits ? o->ref_bits : 16;
}

static size_t udh_octets(const struct ub_sms_encode_opts *o, bool concat)
{
	size_t n = 0;

	if (o->ports)
		n += 6; /* IE 05: 05 04 dst src */
	if (concat)
		n += ref_width(o) == 16 ? 6 : 5; /* IE 08 / IE 00 */
	return n ? n + 1 : 0;			 /* + UDHL */
}

static bool opts_ok(const struct ub_sms_encode_opts *o)
{
	struct ub_sms_deliver d;

	memset(&d, 0, sizeof(d));
	d.dcs = o->dcs;
	decode_dcs(&d);
	return (o->submit_to ? *o->submit_to != '\0' : o->originator != NULL) &&
	       (ref_width(o) == 8 || ref_width(o) == 16) && d.alphabet == UB_SMS_8BIT &&
	       (ref_width(o) == 16 || o->ref <= 0xFF);
}

int ub_sms_part_count(size_t n, const struct ub_sms_encode_opts *o)
{
	size_t room, parts;

	if (!opts_ok(o))
		return UB_E_USAGE;
	if (n + udh_octets(o, false) <= UB_SMS_UD_MAX)
		return 1;
	room = UB_SMS_UD_MAX - udh_octets(o, true);
	parts = (n + room - 1) / room;
	return parts > UB_SMS_PARTS_MAX ? UB_E_USAGE : (int)parts;
}

/* Digits (with '+': international, TOA 91; else unknown, 81) as semi-octets. */
static int encode_digits(const char *s, uint8_t *out, size_t *ndigits, uint8_t *toa)
{
	size_t i, k = 0;

	*toa = 0x81;
	if (*s == '+') {
		*toa = 0x91;
		s++;
	}
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= UB_SMS_ADDR_DIGITS)
			return UB_E_USAGE;
		if (i & 1)
			out[k++] |= (uint8_t)((s[i] - '0') << 4);
		else
			out[k] = (uint8_t)(s[i] - '0');
	}
	if (!i)
		return UB_E_USAGE;
	if (i & 1)
		out[k++] |= 0xF0;
	*ndigits = i;
	return (int)k;
}

/* TP-OA: digits, or alphanumeric (TON 5, GSM 7-bit packed) for a name. */
static int encode_oa(const char *s, uint8_t *out)
{
	size_t nd, len = strlen(s), i, bit;
	uint8_t toa;
	int k;

	k = encode_digits(s, out + 2, &nd, &toa);
	if (k > 0) {
		out[0] = (uint8_t)nd;
		out[1] = toa;
		return k + 2;
	}
	if (!len || len > 11)
		return UB_E_USAGE;
	memset(out, 0, 2 + (len * 7 + 7) / 8);
	for (i = 0; i < len; i++) {
		int c = ascii_gsm7(s[i]);

		if (c < 0)
			return UB_E_USAGE;
		bit = i * 7;
		out[2 + bit / 8] |= (uint8_t)(c << (bit % 8));
		if (bit % 8 > 1)
			out[2 + bit / 8 + 1] |= (uint8_t)(c >> (8 - bit % 8));
	}
	out[0] = (uint8_t)((len * 7 + 3) / 4); /* useful semi-octets */
	out[1] = 0xD0;			       /* alphanumeric, TS 23.040 9.1.2.5 */
	return 2 + (int)((len * 7 + 7) / 8);
}

int ub_sms_encode(const uint8_t *payload, size_t n, const struct ub_sms_encode_opts *o, unsigned i,
		  struct ub_sms_part *out)
{
	int parts = ub_sms_part_count(n, o), k;
	size_t t = 0, room, off, len, nd;
	uint8_t toa;
	bool concat;

	memset(out, 0, sizeof(*out));
	if (parts < 0 || i >= (unsigned)parts)
		return UB_E_USAGE;
	concat = parts > 1;
	if (o->smsc && !o->smsc[0]) {
		out->tpdu[t++] = 0x00; /* SMSC field present but empty, as modems print it */
	} else if (o->smsc) {
		k = encode_digits(o->smsc, out->tpdu + 2, &nd, &toa);
		if (k < 0 || k > 10)
			return UB_E_USAGE;
		out->tpdu[0] = (uint8_t)(k + 1);
		out->tpdu[1] = toa;
		t = 2 + (size_t)k;
	}
	if (o->submit_to) {
		/* SMS-SUBMIT (9.2.2.2): TP-VPF 00 (no validity period), TP-RD,
		 * TP-SRR, TP-RP 0; TP-UDHI when a UDH; TP-MR 0, which the MS
		 * replaces; TP-DA digits (9.1.2.5) */
		out->tpdu[t++] = (uint8_t)(MTI_SUBMIT | (udh_octets(o, concat) ? 0x40 : 0));
		out->tpdu[t++] = 0x00;
		k = encode_digits(o->submit_to, out->tpdu + t + 2, &nd, &toa);
		if (k < 0)
			return k;
		out->tpdu[t] = (uint8_t)nd;
		out->tpdu[t + 1] = toa;
		t += 2 + (size_t)k;
		out->tpdu[t++] = 0x00; /* TP-PID: default */
		out->tpdu[t++] = o->dcs;
	} else {
		/* SMS-DELIVER; TP-MMS=1: no more messages waiting; TP-UDHI
		 * when a UDH */
		out->tpdu[t++] = (uint8_t)(MTI_DELIVER | 0x04 | (udh_octets(o, concat) ? 0x40 : 0));
		k = encode_oa(o->originator, out->tpdu + t);
		if (k < 0)
			return k;
		t += (size_t)k;
		out->tpdu[t++] = 0x00; /* TP-PID: default */
		out->tpdu[t++] = o->dcs;
		memcpy(out->tpdu + t, o->scts, 7);
		t += 7;
	}
	out->udh_len = udh_octets(o, concat);
	if (out->udh_len) {
		size_t u = 1;

		out->udh[0] = (uint8_t)(out->udh_len - 1);
		if (o->ports) {
			const uint8_t p[6] = {IEI_PORTS16,
					      4,
					      (uint8_t)(o->dst_port >> 8),
					      (uint8_t)o->dst_port,
					      (uint8_t)(o->src_port >> 8),
					      (uint8_t)o->src_port};

			memcpy(out->udh + u, p, 6);
			u += 6;
		}
		if (concat) {
			out->udh[u++] = ref_width(o) == 16 ? IEI_CONCAT16 : IEI_CONCAT8;
			out->udh[u++] = ref_width(o) == 16 ? 4 : 3;
			if (ref_width(o) == 16)
				out->udh[u++] = (uint8_t)(o->ref >> 8);
			out->udh[u++] = (uint8_t)o->ref;
			out->udh[u++] = (uint8_t)parts;
			out->udh[u++] = (uint8_t)(i + 1);
		}
	}
	room = UB_SMS_UD_MAX - out->udh_len;
	off = (size_t)i * room;
	len = n - off < room ? n - off : room;
	out->data = payload + off;
	out->data_len = len;
	out->tpdu[t++] = (uint8_t)(out->udh_len + len); /* TP-UDL in octets (8-bit) */
	memcpy(out->tpdu + t, out->udh, out->udh_len);
	t += out->udh_len;
	memcpy(out->tpdu + t, payload + off, len);
	out->tpdu_len = t + len;
	return 0;
}

static uint8_t swapped(unsigned v)
{
	return (uint8_t)((v % 10) << 4 | (v / 10 % 10));
}

void ub_sms_scts(long long t, uint8_t scts[7])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	scts[0] = swapped((unsigned)tm.tm_year % 100);
	scts[1] = swapped((unsigned)tm.tm_mon + 1);
	scts[2] = swapped((unsigned)tm.tm_mday);
	scts[3] = swapped((unsigned)tm.tm_hour);
	scts[4] = swapped((unsigned)tm.tm_min);
	scts[5] = swapped((unsigned)tm.tm_sec);
	scts[6] = 0x00;
}

const char *ub_sms_alphabet_name(enum ub_sms_alphabet a)
{
	switch (a) {
	case UB_SMS_8BIT:
		return "8-bit";
	case UB_SMS_UCS2:
		return "UCS2";
	case UB_SMS_COMPRESSED:
		return "compressed";
	default:
		return "GSM 7-bit";
	}
}
