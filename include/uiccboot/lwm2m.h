/* libuiccboot: the OMA LwM2M bootstrap the power-on bootstrap took from the
 * card (EF LwM2M_Bootstrap, LwM2M Core Appendix G) and keeps in the device
 * tree under ./LwM2M, for an LwM2M client's Bootstrap-Write handler.
 *
 *   #include <uiccboot/lwm2m.h>     cc ... $(pkg-config --cflags --libs libuiccboot)
 *
 *   struct ub_tree *t;  struct ub_lwm2m_boot b;  struct ub_status st;  char *senml;
 *   ub_tree_open_mode("/var/lib/uiccboot/dmtree.db", UB_TREE_READ, &t, &st);
 *   ub_lwm2m_from_tree(t, UB_LWM2M_SECRETS, &b, &st);
 *   ub_lwm2m_senml_text(&b, 0, UB_LWM2M_SECRETS, &senml);   the /0 payload (110)
 *   ...  ub_lwm2m_text_free(senml);  ub_lwm2m_boot_free(&b);  ub_tree_close(t);
 *
 * Every function returns 0 (or a length) or a negative enum ub_err
 * (ub_error.h).  The mapping of Objects to tree nodes is in docs/lwm2m.md. */
#ifndef UICCBOOT_LWM2M_H
#define UICCBOOT_LWM2M_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"
#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where the device tree keeps the LwM2M Objects: ./LwM2M/<Object>/<Instance>. */
#define UB_LWM2M_TREE "./LwM2M"

/* Content formats (LwM2M Core 1.1 7.4): what a Bootstrap-Write carries. */
#define UB_LWM2M_CF_SENML_JSON 110
#define UB_LWM2M_CF_TLV 11542

/* Secret resources (keys, PSK identities, the OSCORE Master Secret) are
 * included only with this flag: without it they are left out, never
 * replaced by a stand-in a client could take for a key. */
#define UB_LWM2M_SECRETS 1u

/* --- the Objects, as decoded (values point into the boot's data) --- */
struct ub_lwm2m_rinst {
	uint16_t id;
	const uint8_t *v;
	size_t len;
};

struct ub_lwm2m_res {
	uint16_t id;
	bool multiple;	  /* a Multiple Resource TLV (type 10) */
	const uint8_t *v; /* single (type 11): the value */
	size_t len;
	struct ub_lwm2m_rinst *ri; /* multiple: its Resource Instances */
	size_t nri;
};

struct ub_lwm2m_inst {
	uint16_t id;
	struct ub_lwm2m_res *res;
	size_t nres;
};

/* The Object Instances of one TLV payload.  Values point into the decoded
 * buffer, which must outlive this; the arrays belong to it. */
struct ub_lwm2m_tlv {
	struct ub_lwm2m_inst *inst;
	size_t ninst;
	struct ub_lwm2m_res *res_pool; /* storage of every inst[].res */
	struct ub_lwm2m_rinst *ri_pool;
};

struct ub_lwm2m_obj {
	uint16_t id;
	bool explicit_version; /* false: IMPLICIT_VERSION 00 (1.0, or the enabler's) */
	uint8_t major, minor;  /* explicit_version: major 1..255 */
	size_t offset;	       /* of the Object's header in the file */
	struct ub_lwm2m_tlv tlv;
};

struct ub_lwm2m_boot {
	struct ub_lwm2m_obj *obj; /* in Object ID order when read from the tree */
	size_t nobj;
	uint8_t *data; /* the bytes every value points into */
	size_t len;
};

/* The Objects the tree holds under ./LwM2M (every card's, in one
 * collection), sorted by Object, Instance and Resource ID, each value the
 * bytes the card held; secret resources only with UB_LWM2M_SECRETS.  They
 * are checked as the card's file was (LwM2M TLV bounds, the types of the
 * known resources, the Security and Server rules), so what a DM server
 * changed in the tree cannot hand a client a malformed value.  No
 * ./LwM2M: no Objects (nobj 0).  Returns 0, UB_E_BAD_DATA (st, when not
 * NULL: where, the node; what, the node and what is wrong), UB_E_IO,
 * UB_E_NOMEM; ub_lwm2m_boot_free() after success. */
int ub_lwm2m_from_tree(struct ub_tree *t, unsigned flags, struct ub_lwm2m_boot *out,
		       struct ub_status *st);

/* Frees b and wipes (OPENSSL_cleanse) its bytes: keys live in there. */
void ub_lwm2m_boot_free(struct ub_lwm2m_boot *b);

const struct ub_lwm2m_obj *ub_lwm2m_obj_find(const struct ub_lwm2m_boot *b, uint16_t id);

/* SenML JSON (content format 110) of Object obj (-1: every Object, in one
 * array), as LwM2M Core 1.1 7.4.4 profiles RFC 8428: "bn" "/O/I/", "n"
 * "R" or "R/RI", values "v", "vb", "vs", "vd" (base64url), "vlo".  Secrets
 * only with UB_LWM2M_SECRETS.  *out: NUL-terminated text, free it with
 * ub_lwm2m_text_free.  Returns 0, UB_E_NOT_FOUND (no such Object),
 * UB_E_BAD_DATA, UB_E_NOMEM. */
int ub_lwm2m_senml_text(const struct ub_lwm2m_boot *b, int obj, unsigned flags, char **out);
/* Wipe and free a text of ub_lwm2m_senml_text (it may hold a key). */
void ub_lwm2m_text_free(char *s);

/* LwM2M TLV (content format 11542) of one Object's Instances, as a
 * Bootstrap-Write of /O takes it; secrets only with UB_LWM2M_SECRETS.
 * Returns the length, with out NULL the length needed, or UB_E_USAGE. */
int ub_lwm2m_tlv_obj(const struct ub_lwm2m_obj *o, unsigned flags, uint8_t *out, size_t max);

/* Every Object in the framing of EF LwM2M_Bootstrap (Appendix G: HWORD
 * count, HWORD size, per Object its ID, version, HWORD length and TLV),
 * shortest TLV forms, no padding.  Returns the length, with out NULL the
 * length needed, or UB_E_USAGE when it does not fit (or the framing's
 * 16-bit sizes overflow). */
int ub_lwm2m_boot_encode(const struct ub_lwm2m_boot *b, uint8_t *out, size_t max);

/* --- one resource's value as text, as uiccboot lwm2m list shows it --- */

/* "LwM2M Security" (0), "LwM2M Server" (1), "OSCORE" (21), else NULL
 * (static).  Pure; any thread. */
const char *ub_lwm2m_obj_name(uint16_t obj);

struct ub_lwm2m_value {
	const char *name;   /* the resource's name ("LwM2M Server URI"), or NULL:
			       one the library does not know (static) */
	bool secret;	    /* a key or PSK identity: mask it unless asked */
	const char *type;   /* "String", "Integer", "Opaque", ...; NULL: bytes
			       that are no value of the resource's type (static) */
	const char *format; /* the DM tree's Format ("chr", "int", "b64", ...),
			       NULL with type (static) */
	char *value;	    /* the value as the tree holds it (malloc'd), or NULL */
};

/* The value v[n] (the caller's, read during the call) of resource res of
 * Object obj, as text, into *out (the caller's; free it with
 * ub_lwm2m_value_free, which wipes the value).  Pure; any thread.
 * Returns 0, UB_E_BAD_DATA (no value of the resource's type: name and
 * secret are filled all the same) or UB_E_NOMEM. */
int ub_lwm2m_value_text(uint16_t obj, uint16_t res, const uint8_t *v, size_t n,
			struct ub_lwm2m_value *out);
void ub_lwm2m_value_free(struct ub_lwm2m_value *x);

#ifdef __cplusplus
}
#endif

#endif
