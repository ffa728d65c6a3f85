/* TS 33.220 Annex B key derivation, NAF_Id and B-TID. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_gba.h"

int ub_kdf(const uint8_t *key, size_t klen, uint8_t fc, const struct ub_kdf_param *p, size_t n,
	   uint8_t out[32])
{
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	uint8_t l[2];
	size_t i, olen = 0;
	int ok;

	for (i = 0; i < n; i++)
		if (p[i].len > 0xFFFF)
			return UB_E_USAGE;
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	ok = ctx && EVP_MAC_init(ctx, key, klen, params) && EVP_MAC_update(ctx, &fc, 1);
	for (i = 0; ok && i < n; i++) {
		l[0] = (uint8_t)(p[i].len >> 8);
		l[1] = (uint8_t)p[i].len;
		ok = EVP_MAC_update(ctx, p[i].p, p[i].len) && EVP_MAC_update(ctx, l, 2);
	}
	ok = ok && EVP_MAC_final(ctx, out, &olen, 32) && olen == 32;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return ok ? 0 : UB_E_INTERNAL;
}

int ub_gba_me_ks_naf(const uint8_t ks[32], const uint8_t rand[16], const char *impi,
		     const uint8_t *naf_id, size_t naf_len, uint8_t out[32])
{
	const struct ub_kdf_param p[] = {
		{(const uint8_t *)"gba-me", 6},
		{rand, 16},
		{(const uint8_t *)impi, strlen(impi)},
		{naf_id, naf_len},
	};

	return ub_kdf(ks, 32, 0x01, p, 4, out);
}

int ub_naf_id(const char *fqdn, const uint8_t ua[UB_UA_LEN], uint8_t *out, size_t max)
{
	size_t n = strlen(fqdn);

	if (!n || n + UB_UA_LEN > max)
		return UB_E_USAGE;
	memcpy(out, fqdn, n);
	memcpy(out + n, ua, UB_UA_LEN);
	return (int)(n + UB_UA_LEN);
}

int ub_btid(const uint8_t rand[16], const char *bsf, char *out, size_t max)
{
	char b64[32];
	int w;

	ub_b64(b64, rand, 16, 0); /* 24 chars with "==" */
	w = snprintf(out, max, "%s@%s", b64, bsf);
	return (!*bsf || w < 0 || (size_t)w >= max) ? UB_E_USAGE : 0;
}

/* s starts with the pattern: 'd' a digit, any other character itself. */
static bool shaped(const char *s, const char *pat)
{
	for (; *pat; s++, pat++)
		if (*pat == 'd' ? !(*s >= '0' && *s <= '9') : *s != *pat)
			return false;
	return true;
}

int ub_lifetime_parse(const char *s, long long *t)
{
	struct tm tm;
	const char *rest;
	int oh = 0, om = 0, sign = 0;

	memset(&tm, 0, sizeof(tm));
	/* the shape first: strptime takes "2030-1-1T0:0:0", blanks, signs */
	if (!shaped(s, "dddd-dd-ddTdd:dd:dd"))
		return UB_E_BAD_DATA;
	rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (rest != s + 19)
		return UB_E_BAD_DATA;
	if (*rest == '.') { /* fractional seconds: one digit at least */
		if (!shaped(rest + 1, "d"))
			return UB_E_BAD_DATA;
		for (rest++; *rest >= '0' && *rest <= '9'; rest++)
			;
	}
	if (!strcmp(rest, "Z")) {
		sign = 0;
	} else if ((rest[0] == '+' || rest[0] == '-') && shaped(rest + 1, "dd:dd") &&
		   strlen(rest) == 6 && sscanf(rest + 1, "%2d:%2d", &oh, &om) == 2 && om <= 59 &&
		   (oh < 14 || (oh == 14 && om == 0))) {
		sign = rest[0] == '+' ? 1 : -1;
	} else {
		return UB_E_BAD_DATA; /* no zone: the instant is unknown */
	}
	*t = (long long)timegm(&tm) - sign * (oh * 3600LL + om * 60LL);
	return 0;
}
