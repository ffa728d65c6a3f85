#ifndef UB_HEX_H
#define UB_HEX_H
#include <stddef.h>
#include <stdint.h>

/* Lowercase hex of len bytes into out (2*len+1 bytes).  Returns out. */
char *ub_hex(char *out, const uint8_t *in, size_t len);

/* Decode hex (either case; spaces and ':' between byte pairs allowed).
 * Returns the byte count, UB_E_BAD_DATA on a bad digit or odd count,
 * UB_E_USAGE when the result does not fit in max. */
int ub_unhex(uint8_t *out, size_t max, const char *hex);

#endif
