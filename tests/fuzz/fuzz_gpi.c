/* libFuzzer target: the GBA Push Info codec (gba-u/gpi.c) and the public
 * ub_gba_gpi_decode.  The input is a layout's text, a newline, then the
 * GPI's octets (no newline: the default layout, the whole input).
 *
 * Oracles: whatever decodes re-encodes, with the encoder below (this
 * file's, not the library's), to exactly the input octets; every string
 * the decoder gives is NUL-terminated within its buffer, non-empty and
 * visible ASCII; the public call says the same as the codec, field for
 * field; a failure leaves the structs zeroed. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gba.h"
#include "ub_gpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                          \
	do {                              \
		if (!(c))                 \
			__builtin_trap(); \
	} while (0)

/* s: NUL within max, 1 or more visible ASCII characters. */
static void check_string(const char *s, size_t max)
{
	const char *nul = memchr(s, 0, max);
	size_t i;

	CHECK(nul && nul > s);
	for (i = 0; s + i < nul; i++)
		CHECK(s[i] >= 0x21 && s[i] <= 0x7E);
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* The encoder: the field it of the layout, from the decoded *g; skip's
 * octets come from the input at the same place (they are not kept). */
static size_t encode_item(const struct ub_gpi_item *it, const struct ub_gpi *g, const uint8_t *in,
			  size_t in_n, size_t at, uint8_t *out)
{
	const uint8_t *v = NULL;
	uint8_t ver[4];
	size_t n = 0, hdr, i;

	hdr = it->coding == UB_GPI_LV1 ? 1 : it->coding == UB_GPI_LV2 ? 2 : 0;
	switch (it->field) {
	case UB_GPI_VERSION:
		for (i = 0; i < it->len; i++)
			ver[i] = (uint8_t)(it->want >> (8 * (it->len - 1 - i)));
		v = ver, n = it->len;
		break;
	case UB_GPI_PTID:
		v = (const uint8_t *)g->ptid, n = strlen(g->ptid);
		break;
	case UB_GPI_RAND:
		v = g->rand, n = 16;
		break;
	case UB_GPI_AUTN:
		v = g->autn, n = 16;
		break;
	case UB_GPI_NAF_ID:
		v = g->naf_id, n = g->naf_id_len;
		break;
	case UB_GPI_NAF_FQDN:
		CHECK(g->naf_id_len > UB_GBA_UA_LEN);
		v = g->naf_id, n = g->naf_id_len - UB_GBA_UA_LEN;
		break;
	case UB_GPI_UA:
		CHECK(g->naf_id_len > UB_GBA_UA_LEN);
		v = g->naf_id + g->naf_id_len - UB_GBA_UA_LEN, n = UB_GBA_UA_LEN;
		break;
	case UB_GPI_LIFETIME:
		v = (const uint8_t *)g->lifetime, n = strlen(g->lifetime);
		break;
	case UB_GPI_APP_LBL:
		v = g->app_lbl, n = g->app_lbl_len;
		break;
	case UB_GPI_SKIP:
	default:
		/* its length as the input says it at this place */
		CHECK(at + hdr <= in_n);
		n = hdr == 0 ? it->len : hdr == 1 ? in[at] : (size_t)in[at] << 8 | in[at + 1];
		CHECK(at + hdr + n <= in_n);
		v = in + at + hdr;
		break;
	}
	if (it->coding == UB_GPI_FIXED)
		CHECK(n == it->len);
	if (hdr == 1) {
		CHECK(n <= 0xFF);
		out[0] = (uint8_t)n;
	} else if (hdr == 2) {
		CHECK(n <= 0xFFFF);
		out[0] = (uint8_t)(n >> 8), out[1] = (uint8_t)n;
	}
	memcpy(out + hdr, v, n);
	return hdr + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[UB_GPI_LAYOUT_MAX + 2];
	static uint8_t out[70000];
	const uint8_t *nl = memchr(data, '\n', size), *b = data;
	const char *layout = NULL;
	struct ub_gpi_layout l;
	struct ub_gpi g;
	struct ub_gba_push_info pi;
	struct ub_status st = {0}, st2 = {0};
	size_t n = size, i, at = 0;
	int err, err2;

	if (size > 60000)
		return 0; /* out holds the input and a field more */
	if (nl) {
		if ((size_t)(nl - data) > UB_GPI_LAYOUT_MAX + 1)
			return 0;
		memcpy(text, data, (size_t)(nl - data));
		text[nl - data] = '\0';
		if (strlen(text) != (size_t)(nl - data))
			return 0; /* a NUL in the layout: C text ends there */
		layout = text;
		b = nl + 1;
		n = size - (size_t)(b - data);
	}
	err = ub_gpi_layout_parse(layout, &l, &st);
	err2 = ub_gba_gpi_decode(layout, b, n, &pi, &st2);
	if (err) {
		CHECK(err == UB_E_USAGE && st.err == err && l.n == 0);
		CHECK(err2 == UB_E_USAGE && all_zero(&pi, sizeof(pi)));
		return 0;
	}
	CHECK(l.n >= 5 && l.n <= UB_GPI_ITEMS_MAX);
	err = ub_gpi_decode(&l, b, n, &g, &st);
	CHECK(err == err2);
	if (err) {
		CHECK(err == UB_E_BAD_DATA && st.err == err && st.where[0]);
		CHECK(all_zero(&g, sizeof(g)) && all_zero(&pi, sizeof(pi)));
		return 0;
	}
	/* the strings: terminated in their buffers, visible ASCII */
	check_string(g.ptid, sizeof(g.ptid));
	check_string(g.lifetime, sizeof(g.lifetime));
	check_string(pi.ptid, sizeof(pi.ptid));
	check_string(pi.lifetime, sizeof(pi.lifetime));
	CHECK(g.naf_id_len > UB_GBA_UA_LEN && g.naf_id_len <= sizeof(g.naf_id));
	CHECK(g.app_lbl_len <= sizeof(g.app_lbl));
	for (i = 0; i < g.naf_id_len - UB_GBA_UA_LEN; i++)
		CHECK(g.naf_id[i] >= 0x21 && g.naf_id[i] <= 0x7E);
	/* the public call says the same */
	CHECK(!memcmp(pi.rand, g.rand, 16) && !memcmp(pi.autn, g.autn, 16));
	CHECK(pi.naf_id_len == g.naf_id_len && !memcmp(pi.naf_id, g.naf_id, g.naf_id_len));
	CHECK(!strcmp(pi.ptid, g.ptid) && !strcmp(pi.lifetime, g.lifetime));
	/* re-encoded: the input, octet for octet */
	for (i = 0; i < l.n; i++) {
		at += encode_item(&l.items[i], &g, b, n, at, out + at);
		CHECK(at <= n && !memcmp(out, b, at));
	}
	CHECK(at == n);
	return 0;
}
