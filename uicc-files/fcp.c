/* FCP template (TS 102 221 11.1.1.3) and EF_DIR (TS 102 221 13.1). */
#include <string.h>

#include "ub_decode.h"
#include "ub_error.h"

static size_t be(const uint8_t *v, size_t n)
{
	size_t x = 0, i;

	for (i = 0; i < n; i++)
		x = x << 8 | v[i];
	return x;
}

/* C6 PIN status template: PS_DO (90) is a bitmap over the key references
 * (83) that follow, first reference = b8 (TS 102 221 9.5.2). */
static void pin_status(const uint8_t *b, size_t n, struct ub_fcp *f)
{
	struct ub_tlv t;
	size_t off = 0;
	unsigned ps = 0, bit = 0x80, bits = 0;

	f->has_c6 = true;
	while (ub_tlv_next(b, n, &off, &t) > 0) {
		if (t.tag == 0x90 && t.len >= 1) {
			ps = t.v[0];
			bits = 8;
		} else if (t.tag == 0x83 && t.len == 1) {
			if (t.v[0] == 0x01 && bits && (ps & bit))
				f->pin1_on = true;
			bit >>= 1;
		}
	}
}

int ub_fcp_parse(const uint8_t *b, size_t n, struct ub_fcp *f)
{
	struct ub_tlv top, t;
	size_t off = 0;
	int r;

	memset(f, 0, sizeof(*f));
	f->sfi = -1;
	if (ub_tlv_next(b, n, &off, &top) != 1 || top.tag != 0x62)
		return UB_E_BAD_DATA;
	off = 0;
	while ((r = ub_tlv_next(top.v, top.len, &off, &t)) > 0) {
		switch (t.tag) {
		case 0x82:
			if (t.len < 2)
				return UB_E_BAD_DATA;
			if ((t.v[0] & 0x38) == 0x38)
				f->type = t.v[0] == 0x39 ? UB_FT_BERTLV : UB_FT_DF;
			else if ((t.v[0] & 0x07) == 1)
				f->type = UB_FT_TRANSPARENT;
			else if ((t.v[0] & 0x07) == 2)
				f->type = UB_FT_LINEAR;
			else if ((t.v[0] & 0x07) == 6)
				f->type = UB_FT_CYCLIC;
			if (f->type == UB_FT_LINEAR || f->type == UB_FT_CYCLIC) {
				if (t.len < 5)
					return UB_E_BAD_DATA;
				f->rec_len = (uint16_t)be(t.v + 2, 2);
				f->nrec = t.v[4];
				if (!f->rec_len)
					return UB_E_BAD_DATA;
			}
			break;
		case 0x83:
			if (t.len != 2)
				return UB_E_BAD_DATA;
			f->fid = (uint16_t)be(t.v, 2);
			f->has_fid = true;
			break;
		case 0x84:
			if (t.len < 1 || t.len > 16)
				return UB_E_BAD_DATA;
			memcpy(f->aid, t.v, t.len);
			f->aid_len = t.len;
			break;
		case 0x80:
			if (t.len < 1 || t.len > 4)
				return UB_E_BAD_DATA;
			f->size = be(t.v, t.len);
			break;
		case 0x81:
			if (t.len < 1 || t.len > 4)
				return UB_E_BAD_DATA;
			f->total = be(t.v, t.len);
			break;
		case 0x88:
			if (t.len > 1)
				return UB_E_BAD_DATA;
			f->sfi = t.len ? t.v[0] >> 3 : 0;
			break;
		case 0x8A:
			if (t.len != 1)
				return UB_E_BAD_DATA;
			f->lcsi = t.v[0];
			break;
		case 0xC6:
			pin_status(t.v, t.len, f);
			break;
		default: /* A5, 8B, 8C, AB and proprietary tags: not needed */
			break;
		}
	}
	if (r < 0 || f->type == UB_FT_UNKNOWN)
		return UB_E_BAD_DATA;
	if (f->sfi < 0 && f->has_fid && f->type != UB_FT_DF)
		f->sfi = f->fid & 0x1F; /* 88 absent: SFI = 5 LSBs of the FID */
	if (f->sfi < 0)
		f->sfi = 0;
	return 0;
}

static enum ub_app_kind app_kind(const uint8_t *aid, size_t n)
{
	static const uint8_t p3gpp[] = {0xA0, 0x00, 0x00, 0x00, 0x87};
	static const uint8_t p15[] = {0xA0, 0x00, 0x00, 0x00, 0x63, 0x50,
				      0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35};

	/* RID A000000087 + application code 1002 (USIM) / 1004 (ISIM), TS 101 220 */
	if (n >= 7 && !memcmp(aid, p3gpp, 5) && aid[5] == 0x10 && aid[6] == 0x02)
		return UB_APP_USIM;
	if (n >= 7 && !memcmp(aid, p3gpp, 5) && aid[5] == 0x10 && aid[6] == 0x04)
		return UB_APP_ISIM;
	if (n >= sizeof(p15) && !memcmp(aid, p15, sizeof(p15)))
		return UB_APP_PKCS15;
	return UB_APP_OTHER;
}

const char *ub_app_kind_name(enum ub_app_kind k)
{
	switch (k) {
	case UB_APP_USIM:
		return "usim";
	case UB_APP_ISIM:
		return "isim";
	case UB_APP_PKCS15:
		return "pkcs15";
	default:
		return "other";
	}
}

/* Application template 61 { 4F AID, 50 label, ... } (TS 102 221 13.1). */
static int app_template(const uint8_t *b, size_t n, struct ub_app *a)
{
	struct ub_tlv t;
	size_t off = 0, i;
	int r;

	memset(a, 0, sizeof(*a));
	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag == 0x4F) {
			if (t.len < 5 || t.len > 16)
				return UB_E_BAD_DATA;
			memcpy(a->aid, t.v, t.len);
			a->aid_len = t.len;
		} else if (t.tag == 0x50) {
			for (i = 0; i < t.len && i < sizeof(a->label) - 1; i++)
				a->label[i] =
					(t.v[i] >= 0x20 && t.v[i] < 0x7F) ? (char)t.v[i] : '?';
		}
	}
	if (r < 0 || !a->aid_len)
		return UB_E_BAD_DATA;
	a->kind = app_kind(a->aid, a->aid_len);
	return 0;
}

int ub_efdir_decode(const uint8_t *b, size_t n, struct ub_app *apps, size_t max)
{
	struct ub_tlv t;
	size_t off = 0;
	int r, count = 0;

	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag != 0x61)
			return UB_E_BAD_DATA;
		if ((size_t)count >= max)
			return UB_E_BAD_DATA;
		if (app_template(t.v, t.len, &apps[count]))
			return UB_E_BAD_DATA;
		count++;
	}
	/* an application template hidden behind a 00 or FF: damaged */
	return r < 0 || !ub_padding_only(b + off, n - off) ? UB_E_BAD_DATA : count;
}
