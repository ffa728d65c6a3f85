/* SHA-256 for the digests of what a card or a message holds (is it the
 * one applied before?).  OpenSSL 3's EVP interface loads the
 * configuration file and the default provider's names and methods on
 * its first use: about 140 KiB of heap that a process keeps to its end,
 * a tenth of what uiccboot bootstrap holds.  The one-shot SHA-256 of
 * OpenSSL's lower interface computes the same bytes without any of that;
 * an OpenSSL built without the 3.0 deprecated calls gets EVP. */
#define OPENSSL_SUPPRESS_DEPRECATED /* before any OpenSSL header */
#include <openssl/opensslconf.h>
#ifndef OPENSSL_NO_DEPRECATED_3_0
#include <openssl/sha.h>
#else
#include <openssl/evp.h>
#endif

#include "ub_digest.h"
#include "ub_error.h"

int ub_sha256v(const struct iovec *v, int n, uint8_t out[32])
{
	int i, ok;
#ifndef OPENSSL_NO_DEPRECATED_3_0
	SHA256_CTX c;

	ok = SHA256_Init(&c);
	for (i = 0; ok && i < n; i++)
		ok = SHA256_Update(&c, v[i].iov_base, v[i].iov_len);
	ok = ok && SHA256_Final(out, &c);
#else
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(c, v[i].iov_base, v[i].iov_len);
	ok = ok && EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
#endif
	return ok ? 0 : UB_E_INTERNAL;
}

int ub_sha256(const void *b, size_t len, uint8_t out[32])
{
	struct iovec v = {(void *)b, len};

	return ub_sha256v(&v, 1, out);
}
