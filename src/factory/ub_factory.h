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

#include "factory.h"

#define UB_FACTORY_SALT "uiccboot factory bootstrap v1"
#define UB_FACTORY_ID_MAX 128

/* The context, the credentials and the calls: uiccboot/factory.h. */
#endif
