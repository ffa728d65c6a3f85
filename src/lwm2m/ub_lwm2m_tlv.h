/* LwM2M TLV (OMA LwM2M Core 1.1 7.4.3, media type application/vnd.oma.lwm2m+tlv,
 * content format 11542) and the value encodings of Core Appendix C.
 *
 * A TLV payload here is the one of an Object: a list of Object Instance
 * TLVs, each holding Resource TLVs or Multiple Resource TLVs, the latter
 * holding Resource Instance TLVs (the three levels of Core 7.4.3, and
 * nothing else).  Pure functions over bytes: no I/O, no global state. */
#ifndef UB_LWM2M_TLV_H
#define UB_LWM2M_TLV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m.h" /* the decoded structures, public */

/* MAX-ID (Core 7.2): reserved, never an Object Instance ID. */
#define UB_LWM2M_MAX_ID 65535
/* The 24-bit TLV length field (Core 7.4.3): no value is longer. */
#define UB_LWM2M_TLV_MAX_VALUE 0xFFFFFF

/* Decode b[n], a list of Object Instance TLVs.  Refused (UB_E_BAD_DATA, st
 * says what and at which byte offset, base + offset in b): a record whose
 * header or value runs past its parent, a nesting Core 7.4.3 does not allow
 * (a Resource Instance outside a Multiple Resource, a Resource at the top,
 * a Resource inside a Resource, ...), an empty Multiple Resource, an ID that
 * repeats among its siblings, Object Instance ID 65535, and more records than
 * *budget (which is decreased by the records read, so one budget can cover
 * a whole file).  Bits 2-0 of a type byte with a length field are ignored,
 * as 7.4.3 says.  Returns 0, UB_E_BAD_DATA or UB_E_NOMEM; on error *out is
 * empty. */
int ub_lwm2m_tlv_decode(const uint8_t *b, size_t n, size_t base, size_t *budget,
			struct ub_lwm2m_tlv *out, struct ub_status *st);
void ub_lwm2m_tlv_free(struct ub_lwm2m_tlv *t);

/* Which resources to write: false leaves (object, resource) out. */
typedef bool (*ub_lwm2m_keep_fn)(uint16_t obj, uint16_t res, void *arg);

/* Encode Object Instances as TLV (8-bit IDs and the shortest length field
 * where they fit), leaving out the resources keep() refuses (keep NULL:
 * all).  With out NULL, returns the length needed.  Returns the length
 * written, UB_E_USAGE when max is too small, a value is longer than 24 bits
 * allow or the total does not fit in an int. */
int ub_lwm2m_tlv_encode(uint16_t obj, const struct ub_lwm2m_inst *inst, size_t ninst,
			ub_lwm2m_keep_fn keep, void *arg, uint8_t *out, size_t max);

/* Values (Core Appendix C, TLV column).  Each returns 0, or UB_E_BAD_DATA
 * when the bytes are not a value of that type. */
/* Integer and Time: 1, 2, 4 or 8 bytes, two's complement, big endian. */
int ub_lwm2m_int(const uint8_t *v, size_t n, int64_t *out);
/* Unsigned Integer: 1, 2, 4 or 8 bytes, big endian. */
int ub_lwm2m_uint(const uint8_t *v, size_t n, uint64_t *out);
/* Float: IEEE 754 binary32 (4 bytes) or binary64 (8 bytes), big endian. */
int ub_lwm2m_float(const uint8_t *v, size_t n, double *out);
/* Boolean: exactly one byte, 0 or 1. */
int ub_lwm2m_bool(const uint8_t *v, size_t n, bool *out);
/* Objlnk: two 16-bit unsigned integers, Object ID then Object Instance ID. */
int ub_lwm2m_objlnk(const uint8_t *v, size_t n, uint16_t *obj, uint16_t *inst);
/* String and Corelnk: UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF) without NUL, so C consumers cannot truncate it. */
int ub_lwm2m_string(const uint8_t *v, size_t n);

/* Encoders for building values: the shortest of 1/2/4/8 bytes for
 * integers.  Return the length written into out (at least 8 bytes). */
size_t ub_lwm2m_put_int(int64_t v, uint8_t out[8]);
size_t ub_lwm2m_put_uint(uint64_t v, uint8_t out[8]);

#endif
