#ifndef UB_HEX_H
#define UB_HEX_H
#include <stddef.h>
#include <stdint.h>

#include "hex.h" /* ub_hex, ub_unhex: public */

/* The characters ub_b64 writes for len bytes, without the NUL. */
#define UB_B64_LEN(len) (4 * (((len) + 2) / 3))

/* Base64 (RFC 4648 section 4) of len bytes into out (UB_B64_LEN(len) + 1
 * bytes), padded, no line breaks; with url, base64url (section 5) without
 * padding.  Returns the length written (the NUL not counted). */
size_t ub_b64(char *out, const uint8_t *in, size_t len, int url);

/* Base64 (RFC 4648 section 4) in its one canonical form only: padded, no
 * line breaks or other characters, zero bits after the last character (so
 * one byte string has one spelling).  Returns the byte count,
 * UB_E_BAD_DATA when s is not that form, UB_E_USAGE when the result does
 * not fit in max. */
int ub_unb64(uint8_t *out, size_t max, const char *s);

#endif
