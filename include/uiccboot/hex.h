/* libuiccboot: hex, as the library writes and reads it (traces, keys,
 * ATRs, TPDUs), for programs that print or take what the calls give.
 *
 *   #include <uiccboot/hex.h>
 *
 * Pure functions on the caller's buffers: any thread, nothing to free. */
#ifndef UICCBOOT_HEX_H
#define UICCBOOT_HEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lowercase hex of len bytes into out (2*len+1 bytes, the caller's).
 * Returns out. */
char *ub_hex(char *out, const uint8_t *in, size_t len);

/* Decode hex (either case; spaces and ':' between byte pairs allowed) into
 * out (max bytes, the caller's; wiped by the caller when a key).  Returns
 * the byte count, UB_E_BAD_DATA on a bad digit or odd count, UB_E_USAGE
 * when the result does not fit in max. */
int ub_unhex(uint8_t *out, size_t max, const char *hex);

#ifdef __cplusplus
}
#endif

#endif
