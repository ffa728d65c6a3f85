/* Milenage f1..f5* (TS 35.206 clause 4.1), AES-128 from OpenSSL. */
#include <openssl/evp.h>
#include <string.h>

#include "sim.h"

static void aes(const uint8_t k[16], const uint8_t in[16], uint8_t out[16])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0;

	EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, k, NULL);
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	EVP_EncryptUpdate(ctx, out, &n, in, 16);
	EVP_CIPHER_CTX_free(ctx);
}

/* OUTi = E_K(rot(TEMP xor OPc, r) xor c) xor OPc, r in bytes, c = last byte. */
static void out_i(const uint8_t k[16], const uint8_t opc[16], const uint8_t temp[16], int r,
		  uint8_t c, uint8_t out[16])
{
	uint8_t x[16], y[16];
	int i;

	for (i = 0; i < 16; i++)
		x[i] = temp[i] ^ opc[i];
	for (i = 0; i < 16; i++)
		y[i] = x[(i + r) % 16];
	y[15] ^= c;
	aes(k, y, out);
	for (i = 0; i < 16; i++)
		out[i] ^= opc[i];
}

static void temp_of(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		    uint8_t temp[16])
{
	uint8_t x[16];
	int i;

	for (i = 0; i < 16; i++)
		x[i] = rand[i] ^ opc[i];
	aes(k, x, temp);
}

void milenage_f1(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		 const uint8_t sqn[6], const uint8_t amf[2], uint8_t mac_a[8], uint8_t mac_s[8])
{
	uint8_t temp[16], in1[16], x[16], out[16];
	int i;

	temp_of(k, opc, rand, temp);
	memcpy(in1, sqn, 6);
	memcpy(in1 + 6, amf, 2);
	memcpy(in1 + 8, sqn, 6);
	memcpy(in1 + 14, amf, 2);
	/* rot(IN1 xor OPc, r1 = 64 bits) xor TEMP, c1 = 0 */
	for (i = 0; i < 16; i++)
		x[i] = temp[i] ^ (in1[(i + 8) % 16] ^ opc[(i + 8) % 16]);
	aes(k, x, out);
	for (i = 0; i < 16; i++)
		out[i] ^= opc[i];
	if (mac_a)
		memcpy(mac_a, out, 8);
	if (mac_s)
		memcpy(mac_s, out + 8, 8);
}

void milenage_f2345(const uint8_t k[16], const uint8_t opc[16], const uint8_t rand[16],
		    uint8_t res[8], uint8_t ck[16], uint8_t ik[16], uint8_t ak[6], uint8_t ak_s[6])
{
	uint8_t temp[16], out[16];

	temp_of(k, opc, rand, temp);
	out_i(k, opc, temp, 0, 1, out); /* r2 = 0, c2 = 1 */
	if (res)
		memcpy(res, out + 8, 8);
	if (ak)
		memcpy(ak, out, 6);
	out_i(k, opc, temp, 4, 2, out); /* r3 = 32 */
	if (ck)
		memcpy(ck, out, 16);
	out_i(k, opc, temp, 8, 4, out); /* r4 = 64 */
	if (ik)
		memcpy(ik, out, 16);
	out_i(k, opc, temp, 12, 8, out); /* r5 = 96 */
	if (ak_s)
		memcpy(ak_s, out, 6);
}
