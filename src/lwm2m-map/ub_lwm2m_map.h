/* LwM2M Objects in the device tree: where each Object Instance, Resource
 * and Resource Instance of the card's LwM2M bootstrap goes, with which
 * Format, Type and value, and the way back.  Decided here once (the plan
 * from the card, the account model, the export to clients all ask):
 *
 *   ./LwM2M                     container (the device's)
 *   ./LwM2M/<O>                 container, one per Object ID
 *   ./LwM2M/<O>/<I>             Object Instance: interior node, Type the
 *                               Object's URN, urn:oma:lwm2m:{oma,ext,x}:<O>
 *                               and ":<major>.<minor>" for an explicit version
 *   ./LwM2M/<O>/<I>/<R>         single Resource: a leaf; Multiple Resource:
 *                               an interior node
 *   ./LwM2M/<O>/<I>/<R>/<RI>    Resource Instance: a leaf
 *
 * IDs are decimal without leading zeros.  A leaf's Type is the data type
 * of its resource (LwM2M Core Appendix C: "String", "Integer", "Unsigned
 * Integer", "Float", "Boolean", "Opaque", "Time", "Objlnk", "Corelnk";
 * "Opaque" for resources src/lwm2m/'s table does not know).  Format and value:
 *   String, Corelnk      chr   the text
 *   Integer, Time        int   decimal            Unsigned Integer  int  decimal
 *   Boolean              bool  true / false       Float   float  %.17g, binary64
 *   Objlnk               chr   "<O>:<I>"          Opaque  b64 (RFC 4648 4)
 * A value that text would not give back byte for byte (an Integer in more
 * bytes than it needs, a binary32 Float, a String with characters XML
 * text cannot hold) is b64 of its bytes, with the same Type: the tree
 * hands every client the bytes the card held. */
#ifndef UB_LWM2M_MAP_H
#define UB_LWM2M_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"
#include "ub_lwm2m.h"

/* Owners of LwM2M Object Instances: ACL principals no DM server may take. */
#define UB_LWM2M_OWNER_PREFIX "lwm2m:"
#define UB_LWM2M_OWNER_BOOTSTRAP "lwm2m:bootstrap"
#define UB_LWM2M_OWNER_CLIENT "lwm2m:client"

/* UB_LWM2M_TREE, struct ub_lwm2m_path and its URIs: dm_names.h */

/* A resource value as a tree leaf. */
struct ub_lwm2m_leaf {
	const char *format, *type;
	char *value; /* malloc'd; ub_lwm2m_leaf_wipe */
};

/* The leaf for the bytes v[n] of resource res of Object obj.  Returns 0,
 * UB_E_BAD_DATA (bytes that are not a value of the resource's type, an
 * Executable's value) or UB_E_NOMEM. */
int ub_lwm2m_leaf_make(uint16_t obj, uint16_t res, const uint8_t *v, size_t n,
		       struct ub_lwm2m_leaf *l);
void ub_lwm2m_leaf_wipe(struct ub_lwm2m_leaf *l);

/* The bytes of a leaf of resource res of Object obj, from its Format,
 * Type and value, into out (strlen(value) + 8 bytes always suffice).  The
 * Type must be the resource's data type, the Format its own or b64, the
 * value of that form and a value of that type.  Returns the length, or
 * UB_E_BAD_DATA with why saying what is wrong. */
int ub_lwm2m_leaf_bytes(uint16_t obj, uint16_t res, const char *format, const char *type,
			const char *value, uint8_t *out, size_t max, struct ub_status *st);

/* The URN of Object obj (with its version when explicit) into out.
 * Returns 0 or UB_E_USAGE (no room). */
int ub_lwm2m_urn(uint16_t obj, bool explicit_version, uint8_t major, uint8_t minor, char *out,
		 size_t max);
/* The version an Object Instance node's Type gives for Object obj: its
 * URN, as ub_lwm2m_urn writes it.  Returns 0 or UB_E_BAD_DATA. */
int ub_lwm2m_urn_parse(uint16_t obj, const char *urn, bool *explicit_version, uint8_t *major,
		       uint8_t *minor);

#endif
