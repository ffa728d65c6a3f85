/* libuiccboot: per-device DM credentials from a factory master key
 * (algorithm uiccboot-factory-v1, HKDF-SHA-256 of RFC 5869), for the
 * factory's line (derive, check) and for the device (apply: the accounts
 * that `tree import --source factory` left without credentials).
 *
 *   #include <uiccboot/factory.h>   cc ... $(pkg-config --cflags --libs libuiccboot)
 *
 *   struct ub_factory *f;
 *   struct ub_status st = {0};
 *   if (!ub_factory_from_hex(hex_from_a_0600_file, &f, &st)) {
 *           ub_factory_apply(tree, f, "IMEI:490154203237518", &res, &st);
 *           ub_factory_free(f);
 *   }
 *
 * A context holds the key's HKDF PRK (wiped by ub_factory_free); it is
 * used by one thread at a time.  Every call returns 0 or a negative enum
 * ub_err (ub_error.h). */
#ifndef UICCBOOT_FACTORY_H
#define UICCBOOT_FACTORY_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"
#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One device's credentials for one DM server. */
struct ub_factory_creds {
	char client_name[24];	/* "u1-" and 20 hex digits */
	char client_secret[33]; /* 32 characters of base64url */
	char server_secret[33];
};

struct ub_factory; /* holds the PRK: extract once, expand per device */

/* New context for a master key of 16..64 bytes (master is read during the
 * call only; the caller wipes it); NULL on a bad key or no memory.  Free
 * it with ub_factory_free. */
struct ub_factory *ub_factory_new(const uint8_t *master, size_t len);

/* The same for the key as text: 16 to 64 bytes in hex on one line (what a
 * key file holds).  Every copy of the key the call makes is wiped.
 * *out: free it with ub_factory_free.  Returns 0, UB_E_BAD_DATA (st->what
 * says what a key is), UB_E_NOMEM. */
int ub_factory_from_hex(const char *hex, struct ub_factory **out, struct ub_status *st);

/* Wipe the PRK and free f (NULL: nothing). */
void ub_factory_free(struct ub_factory *f);

/* Credentials of device_id for server_id into *out (the caller's; wipe it
 * after use).  Both ids must be 1..128 printable ASCII characters.
 * Returns 0, UB_E_BAD_DATA (bad id) or UB_E_INTERNAL. */
int ub_factory_derive(struct ub_factory *f, const char *device_id, const char *server_id,
		      struct ub_factory_creds *out);

/* Does a presented credential match want (server_secret NULL: not
 * checked)?  Constant time; 0 or UB_E_MAC.  Pure; any thread. */
int ub_factory_check(const struct ub_factory_creds *want, const char *client_name,
		     const char *client_secret, const char *server_secret);

/* The device's side: fill the credentials of every account of t that
 * `tree import --source factory` marked, derived for device_id and the
 * account's ServerID, in one transaction; the same again writes nothing
 * (res->unchanged).  res: zeroed; the caller frees it with
 * ub_apply_result_free whatever the outcome.  st->what says why it
 * failed.  Returns 0, UB_E_NOT_FOUND (no such account), UB_E_BAD_DATA,
 * UB_E_IO, UB_E_NOMEM, UB_E_USAGE (t read-only). */
int ub_factory_apply(struct ub_tree *t, struct ub_factory *f, const char *device_id,
		     struct ub_apply_result *res, struct ub_status *st);

#ifdef __cplusplus
}
#endif

#endif
