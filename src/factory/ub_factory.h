/* Factory bootstrap credentials, algorithm "uiccboot-factory-v1":
 *
 *   PRK  = HKDF-Extract(salt = "uiccboot factory bootstrap v1", IKM = master key)
 *   OKM_l = HKDF-Expand(PRK, info = lp(label_l) || lp(device id) || lp(ServerID), L_l)
 *   lp(x) = 2-byte big-endian length of x || x      (no two inputs collide)
 *
 *   client name   = "u1-" || hex(OKM_"client-name", 10 bytes)         23 characters
 *   client secret = base64url(OKM_"client-secret", 24 bytes), no "="  32 characters
 *   server secret = base64url(OKM_"server-secret", 24 bytes), no "="  32 characters
 *
 * HKDF is RFC 5869 with SHA-256 (OpenSSL EVP_KDF "HKDF"). */
#ifndef UB_FACTORY_H
#define UB_FACTORY_H

#include <stddef.h>
#include <stdint.h>

#define UB_FACTORY_SALT "uiccboot factory bootstrap v1"
#define UB_FACTORY_ID_MAX 128

struct ub_factory_creds {
	char client_name[24];
	char client_secret[33];
	char server_secret[33];
};

struct ub_factory; /* holds the PRK: extract once, expand per device */

/* New context for a master key of 16..64 bytes; NULL on a bad key or
 * no memory.  ub_factory_free() wipes the PRK. */
struct ub_factory *ub_factory_new(const uint8_t *master, size_t len);
void ub_factory_free(struct ub_factory *f);

/* Credentials of device_id for server_id.  Both must be 1..128 printable
 * ASCII characters.  Returns 0, UB_E_BAD_DATA (bad id) or UB_E_INTERNAL. */
int ub_factory_derive(struct ub_factory *f, const char *device_id, const char *server_id,
		      struct ub_factory_creds *out);

/* Does a presented credential match?  Constant time; 0 or UB_E_MAC. */
int ub_factory_check(const struct ub_factory_creds *want, const char *client_name,
		     const char *client_secret, const char *server_secret);

#endif
