/* The card side of TS 33.220 Annex B: Ks_ext_NAF = KDF(Ks, "gba-me", RAND,
 * IMPI, NAF_Id), HMAC-SHA-256 over FC || P0 || L0 || ... (FC = 0x01). */
#include <openssl/hmac.h>
#include <string.h>

#include "sim.h"

static size_t put_param(uint8_t *s, const uint8_t *p, size_t n)
{
	memcpy(s, p, n);
	s[n] = (uint8_t)(n >> 8);
	s[n + 1] = (uint8_t)n;
	return n + 2;
}

void sim_gba_ks_ext_naf(const uint8_t ks[32], const uint8_t rand[16], const uint8_t *impi,
			size_t impi_len, const uint8_t *naf_id, size_t naf_len, uint8_t out[32])
{
	uint8_t s[1 + 8 + 18 + 2 * 258];
	size_t n = 0;
	unsigned int olen = 32;

	s[n++] = 0x01;
	n += put_param(s + n, (const uint8_t *)"gba-me", 6);
	n += put_param(s + n, rand, 16);
	n += put_param(s + n, impi, impi_len);
	n += put_param(s + n, naf_id, naf_len);
	HMAC(EVP_sha256(), ks, 32, s, n, out, &olen);
}
