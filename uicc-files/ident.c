/* Identity and service files: ICCID, IMSI, AD, UST/IST, IMPI/IMPU/DOMAIN. */
#include <stdio.h>
#include <string.h>

#include "ub_decode.h"
#include "ub_error.h"

/* EF_ICCID (TS 102 221 13.2): 10 bytes BCD, nibbles swapped, F padded. */
int ub_iccid_decode(const uint8_t *b, size_t n, char out[21])
{
	size_t i, k = 0;
	uint8_t d;

	if (n != 10)
		return UB_E_BAD_DATA;
	for (i = 0; i < 20; i++) {
		d = (i & 1) ? b[i / 2] >> 4 : b[i / 2] & 0x0F;
		if (d == 0x0F) {
			if (i < 18) /* at least 18 digits (ITU-T E.118) */
				return UB_E_BAD_DATA;
			break;
		}
		if (d > 9)
			return UB_E_BAD_DATA;
		out[k++] = (char)('0' + d);
	}
	if (i == 18 && (b[9] != 0xFF))
		return UB_E_BAD_DATA;
	out[k] = '\0';
	return 0;
}

/* EF_IMSI (TS 31.102 4.2.2): length byte, then BCD; the first nibble is
 * the identity type 001 with b4 = odd number of digits (TS 24.008 10.5.1.4). */
int ub_imsi_decode(const uint8_t *b, size_t n, char out[16])
{
	size_t len, i, k = 0, digits;
	uint8_t d;

	if (n < 2 || b[0] < 1 || b[0] > 8 || (size_t)b[0] + 1 > n)
		return UB_E_BAD_DATA;
	len = b[0];
	if ((b[1] & 0x07) != 0x01)
		return UB_E_BAD_DATA;
	digits = 2 * len - ((b[1] & 0x08) ? 1 : 2);
	if (digits < 6 || digits > 15)
		return UB_E_BAD_DATA;
	for (i = 1; i <= digits; i++) {
		d = (i & 1) ? b[1 + i / 2] >> 4 : b[1 + i / 2] & 0x0F;
		if (d > 9)
			return UB_E_BAD_DATA;
		out[k++] = (char)('0' + d);
	}
	if (!(b[1] & 0x08) && (b[len] >> 4) != 0x0F)
		return UB_E_BAD_DATA; /* even count: the last nibble is filler */
	out[k] = '\0';
	return 0;
}

int ub_ad_mnc_len(const uint8_t *b, size_t n, int *mnc_len)
{
	if (n < 3)
		return UB_E_BAD_DATA;
	*mnc_len = 0;
	if (n >= 4 && ((b[3] & 0x0F) == 2 || (b[3] & 0x0F) == 3))
		*mnc_len = b[3] & 0x0F;
	return 0;
}

bool ub_service(const uint8_t *tab, size_t n, unsigned num)
{
	return num >= 1 && (num - 1) / 8 < n && (tab[(num - 1) / 8] >> ((num - 1) % 8) & 1);
}

int ub_tlv80_text(const uint8_t *b, size_t n, char *out, size_t max)
{
	struct ub_tlv t;
	size_t off = 0, i;

	if (ub_tlv_next(b, n, &off, &t) != 1 || t.tag != 0x80 || !t.len || t.len >= max)
		return UB_E_BAD_DATA;
	for (i = 0; i < t.len; i++) {
		if (t.v[i] < 0x20 || t.v[i] == 0x7F)
			return UB_E_BAD_DATA; /* control characters: not an NAI or URI */
		out[i] = (char)t.v[i];
	}
	out[t.len] = '\0';
	return 0;
}

int ub_impi_from_imsi(const char *imsi, int mnc_len, char *out, size_t max)
{
	size_t n = strlen(imsi);
	int w;

	if ((mnc_len != 2 && mnc_len != 3) || n < (size_t)(3 + mnc_len) || n > 15)
		return UB_E_BAD_DATA;
	/* <IMSI>@ims.mnc<MNC, 3 digits>.mcc<MCC>.3gppnetwork.org */
	w = snprintf(out, max, "%s@ims.mnc%s%.*s.mcc%.3s.3gppnetwork.org", imsi,
		     mnc_len == 2 ? "0" : "", mnc_len, imsi + 3, imsi);
	return w < 0 || (size_t)w >= max ? UB_E_BAD_DATA : 0;
}

/* EF_GBABP: RAND, B-TID and key lifetime, each length-prefixed. */
int ub_gbabp_decode(const uint8_t *b, size_t n, struct ub_gbabp *g)
{
	size_t o = 0, l;

	memset(g, 0, sizeof(*g));
	if (!n || b[0] == 0xFF)
		return 0; /* never bootstrapped */
	l = b[o++];
	if (l > sizeof(g->rand) || l > n - o)
		return UB_E_BAD_DATA;
	memcpy(g->rand, b + o, l);
	g->rand_len = l;
	o += l;
	if (o >= n || b[o] == 0xFF)
		return 0;
	l = b[o++];
	if (l >= sizeof(g->btid) || l > n - o)
		return UB_E_BAD_DATA;
	memcpy(g->btid, b + o, l);
	g->btid[l] = '\0';
	if (strlen(g->btid) != l)
		return UB_E_BAD_DATA;
	o += l;
	if (o >= n || b[o] == 0xFF)
		return 0;
	l = b[o++];
	if (l >= sizeof(g->lifetime) || l > n - o)
		return UB_E_BAD_DATA;
	memcpy(g->lifetime, b + o, l);
	g->lifetime[l] = '\0';
	if (strlen(g->lifetime) != l)
		return UB_E_BAD_DATA;
	return 0;
}

int ub_gbabp_encode(const struct ub_gbabp *g, uint8_t *out, size_t max)
{
	size_t bl = strlen(g->btid), ll = strlen(g->lifetime), n = 0;

	if (g->rand_len > 16 || bl > 255 || ll > 255 || 3 + g->rand_len + bl + ll > max)
		return UB_E_USAGE;
	out[n++] = (uint8_t)g->rand_len;
	memcpy(out + n, g->rand, g->rand_len);
	n += g->rand_len;
	out[n++] = (uint8_t)bl;
	memcpy(out + n, g->btid, bl);
	n += bl;
	out[n++] = (uint8_t)ll;
	memcpy(out + n, g->lifetime, ll);
	return (int)(n + ll);
}

/* EF_GBANL record: 80 NAF_ID, 81 B-TID, FF padding. */
int ub_gbanl_decode(const uint8_t *b, size_t n, struct ub_gbanl *e)
{
	struct ub_tlv t;
	size_t off = 0;
	int r;

	memset(e, 0, sizeof(*e));
	while ((r = ub_tlv_next(b, n, &off, &t)) > 0) {
		if (t.tag == 0x80) {
			if (t.len < 6 || t.len > sizeof(e->naf_id))
				return UB_E_BAD_DATA; /* FQDN + 5-octet Ua id */
			memcpy(e->naf_id, t.v, t.len);
			e->naf_id_len = t.len;
		} else if (t.tag == 0x81) {
			if (t.len >= sizeof(e->btid) || memchr(t.v, 0, t.len))
				return UB_E_BAD_DATA;
			memcpy(e->btid, t.v, t.len);
			e->btid[t.len] = '\0';
		}
	}
	if (r < 0 || (!e->naf_id_len && e->btid[0]))
		return UB_E_BAD_DATA;
	return 0;
}
