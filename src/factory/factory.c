/* Per-device DM credentials from one master key (HKDF-SHA-256, RFC 5869). */
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_factory.h"

struct ub_factory {
	EVP_MAC_CTX *prk_mac; /* HMAC keyed with the PRK, re-used per expand */
	uint8_t prk[32];
};

static int hkdf(EVP_KDF_CTX *ctx, int mode, const uint8_t *key, size_t klen, const void *salt,
		size_t slen, const uint8_t *info, size_t ilen, uint8_t *out, size_t olen)
{
	OSSL_PARAM p[6], *q = p;

	*q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	*q++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)key, klen);
	if (salt)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, slen);
	if (info)
		*q++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, ilen);
	*q = OSSL_PARAM_construct_end();
	return EVP_KDF_derive(ctx, out, olen, p) > 0 ? 0 : UB_E_INTERNAL;
}

struct ub_factory *ub_factory_new(const uint8_t *master, size_t len)
{
	struct ub_factory *f;
	EVP_KDF *kdf;
	EVP_KDF_CTX *ctx = NULL;
	int err = UB_E_INTERNAL;

	if (len < 16 || len > 64)
		return NULL;
	f = calloc(1, sizeof(*f));
	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (f && kdf)
		ctx = EVP_KDF_CTX_new(kdf);
	if (ctx)
		err = hkdf(ctx, EVP_KDF_HKDF_MODE_EXTRACT_ONLY, master, len, UB_FACTORY_SALT,
			   strlen(UB_FACTORY_SALT), NULL, 0, f->prk, sizeof(f->prk));
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	if (!err) {
		OSSL_PARAM p[] = {
			OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256",
							 0),
			OSSL_PARAM_construct_end(),
		};
		EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);

		f->prk_mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
		EVP_MAC_free(mac);
		if (!f->prk_mac || !EVP_MAC_init(f->prk_mac, f->prk, sizeof(f->prk), p))
			err = UB_E_INTERNAL;
	}
	if (err) {
		ub_factory_free(f);
		return NULL;
	}
	return f;
}

int ub_factory_from_hex(const char *hex, struct ub_factory **out, struct ub_status *st)
{
	uint8_t key[64];
	int len = ub_unhex(key, sizeof(key), hex);

	*out = len >= 16 ? ub_factory_new(key, (size_t)len) : NULL;
	OPENSSL_cleanse(key, sizeof(key));
	if (*out)
		return 0;
	return ub_fail(st, len == UB_E_NOMEM ? UB_E_NOMEM : UB_E_BAD_DATA, 0, "factory key",
		       "wants 16 to 64 bytes as hex on one line");
}

void ub_factory_free(struct ub_factory *f)
{
	if (!f)
		return;
	OPENSSL_cleanse(f->prk, sizeof(f->prk));
	EVP_MAC_CTX_free(f->prk_mac);
	free(f);
}

static bool printable(const char *s)
{
	size_t n = strlen(s), i;

	if (!n || n > UB_FACTORY_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7F)
			return false;
	return true;
}

static size_t lp(uint8_t *o, const char *s)
{
	size_t n = strlen(s);

	o[0] = (uint8_t)(n >> 8);
	o[1] = (uint8_t)n;
	memcpy(o + 2, s, n);
	return n + 2;
}

static int expand(struct ub_factory *f, const char *label, const char *dev, const char *srv,
		  uint8_t *out, size_t olen)
{
	uint8_t info[3 * (2 + UB_FACTORY_ID_MAX)];
	size_t n = 0;

	uint8_t t[32], one = 0x01;
	size_t tl = 0;
	int ok;

	n += lp(info + n, label);
	n += lp(info + n, dev);
	n += lp(info + n, srv);
	/* HKDF-Expand (RFC 5869 2.3) for L <= HashLen is one block:
	 * T(1) = HMAC(PRK, info || 0x01).  Re-initialising the keyed context
	 * avoids EVP_KDF's set-up per call (4x the rate; test_factory checks
	 * it against EVP_KDF). */
	if (olen > sizeof(t))
		return UB_E_INTERNAL;
	ok = EVP_MAC_init(f->prk_mac, NULL, 0, NULL) && EVP_MAC_update(f->prk_mac, info, n) &&
	     EVP_MAC_update(f->prk_mac, &one, 1) && EVP_MAC_final(f->prk_mac, t, &tl, sizeof(t));
	memcpy(out, t, olen);
	OPENSSL_cleanse(t, sizeof(t));
	return ok && tl == sizeof(t) ? 0 : UB_E_INTERNAL;
}

int ub_factory_derive(struct ub_factory *f, const char *device_id, const char *server_id,
		      struct ub_factory_creds *out)
{
	uint8_t k[24];
	int err;

	if (!printable(device_id) || !printable(server_id))
		return UB_E_BAD_DATA;
	err = expand(f, "client-name", device_id, server_id, k, 10);
	if (err)
		return err;
	memcpy(out->client_name, "u1-", 3);
	ub_hex(out->client_name + 3, k, 10);
	if ((err = expand(f, "client-secret", device_id, server_id, k, 24)))
		goto end;
	ub_b64(out->client_secret, k, 24, 1);
	if ((err = expand(f, "server-secret", device_id, server_id, k, 24)))
		goto end;
	ub_b64(out->server_secret, k, 24, 1);
end:
	OPENSSL_cleanse(k, sizeof(k));
	return err;
}

static int field_eq(const char *want, const char *got)
{
	size_t n = strlen(want);

	/* the length of a derived credential is public: fixed by the algorithm */
	if (!got || strlen(got) != n)
		return 1;
	return CRYPTO_memcmp(want, got, n) != 0;
}

int ub_factory_check(const struct ub_factory_creds *want, const char *client_name,
		     const char *client_secret, const char *server_secret)
{
	int bad = field_eq(want->client_name, client_name) |
		  field_eq(want->client_secret, client_secret);

	if (server_secret)
		bad |= field_eq(want->server_secret, server_secret);
	return bad ? UB_E_MAC : 0;
}
