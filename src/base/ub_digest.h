#ifndef UB_DIGEST_H
#define UB_DIGEST_H
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/* SHA-256 (FIPS 180-4) of n pieces, one after the other, into out.
 * Returns 0, or UB_E_INTERNAL when OpenSSL fails. */
int ub_sha256v(const struct iovec *v, int n, uint8_t out[32]);

/* SHA-256 of len bytes. */
int ub_sha256(const void *b, size_t len, uint8_t out[32]);

#endif
