#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ub_hex.h"
#include "ub_error.h"

char *ub_hex(char *out, const uint8_t *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
	return out;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int ub_unhex(uint8_t *out, size_t max, const char *hex)
{
	size_t n = 0;
	int hi, lo;

	while (*hex) {
		if (*hex == ' ' || *hex == ':' || *hex == '\t') {
			hex++;
			continue;
		}
		hi = nibble(hex[0]);
		lo = hi < 0 ? -1 : nibble(hex[1]);
		if (lo < 0)
			return UB_E_BAD_DATA;
		if (n >= max)
			return UB_E_USAGE;
		out[n++] = (uint8_t)(hi << 4 | lo);
		hex += 2;
	}
	return (int)n;
}

size_t ub_b64(char *out, const uint8_t *in, size_t len, int url)
{
	size_t n = 0, i;

	/* EVP_EncodeBlock takes an int: in blocks of 3 * 2^20 bytes */
	while (len) {
		size_t k = len > 3u << 20 ? 3u << 20 : len;

		n += (size_t)EVP_EncodeBlock((unsigned char *)out + n, in, (int)k);
		in += k;
		len -= k;
	}
	out[n] = '\0';
	if (url) {
		while (n && out[n - 1] == '=')
			out[--n] = '\0';
		for (i = 0; i < n; i++)
			out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
	}
	return n;
}

int ub_unb64(uint8_t *out, size_t max, const char *s)
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), pad = 0, i;
	uint8_t *tmp;
	char *back;
	int len, same;

	if (n % 4 || n > INT32_MAX / 2)
		return UB_E_BAD_DATA;
	if (n && s[n - 1] == '=')
		pad = n > 1 && s[n - 2] == '=' ? 2 : 1;
	for (i = 0; i < n - pad; i++)
		if (!memchr(abc, s[i], sizeof(abc) - 1))
			return UB_E_BAD_DATA;
	if (n / 4 * 3 - pad > max)
		return UB_E_USAGE;
	/* EVP_DecodeBlock writes whole groups of 3: a buffer of its own */
	if (!(tmp = malloc(n / 4 * 3 + 1)) || !(back = malloc(n + 1))) {
		free(tmp);
		return UB_E_NOMEM;
	}
	len = EVP_DecodeBlock(tmp, (const unsigned char *)s, (int)n);
	same = len >= 0 && (size_t)len >= pad;
	if (same) {
		len -= (int)pad;
		EVP_EncodeBlock((unsigned char *)back, tmp, len);
		same = !strcmp(back, s);
		memcpy(out, tmp, (size_t)len);
	}
	OPENSSL_cleanse(tmp, n / 4 * 3 + 1); /* a key, perhaps */
	OPENSSL_cleanse(back, n + 1);
	free(tmp);
	free(back);
	if (!same) {
		OPENSSL_cleanse(out, max);
		return UB_E_BAD_DATA;
	}
	return len;
}
