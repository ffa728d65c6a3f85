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
