/* Bounded BER-TLV reading: one- and two-byte tags, lengths up to 82 xx xx. */
#include "ub_decode.h"
#include "ub_error.h"

int ub_tlv_next(const uint8_t *buf, size_t len, size_t *off, struct ub_tlv *t)
{
	size_t o = *off, l;

	if (o >= len || buf[o] == 0xFF || buf[o] == 0x00)
		return 0; /* end, or padding */
	t->tag = buf[o++];
	if ((t->tag & 0x1F) == 0x1F) {
		if (o >= len || (buf[o] & 0x80))
			return UB_E_BAD_DATA; /* tags longer than 2 bytes: not in UICC files */
		t->tag = t->tag << 8 | buf[o++];
	}
	if (o >= len)
		return UB_E_BAD_DATA;
	l = buf[o++];
	if (l == 0x81) {
		if (o + 1 > len || buf[o] < 0x80)
			return UB_E_BAD_DATA; /* DER: 81 only for 128..255 */
		l = buf[o++];
	} else if (l == 0x82) {
		if (o + 2 > len)
			return UB_E_BAD_DATA;
		l = (size_t)buf[o] << 8 | buf[o + 1];
		o += 2;
		if (l < 0x100)
			return UB_E_BAD_DATA;
	} else if (l > 0x7F) {
		return UB_E_BAD_DATA;
	}
	if (l > len - o)
		return UB_E_BAD_DATA;
	t->v = buf + o;
	t->len = l;
	*off = o + l;
	return 1;
}

int ub_tlv_find(const uint8_t *buf, size_t len, unsigned tag, struct ub_tlv *t)
{
	size_t off = 0;
	int r;

	while ((r = ub_tlv_next(buf, len, &off, t)) > 0)
		if (t->tag == tag)
			return 1;
	return r;
}

bool ub_padding_only(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0x00 && b[i] != 0xFF)
			return false;
	return true;
}
