/* LwM2M bootstrap information from the smartcard: the EF LwM2M_Bootstrap
 * file of OMA LwM2M Core Appendix G (G.3.3 in 1.0, G.3.4 in 1.1.1 and 1.2),
 * the meaning of the Security (/0) and Server (/1) Objects (Appendix E),
 * and output as SenML JSON (Core 1.1 7.4.4, content format 110) or TLV
 * (7.4.3, 11542).  Pure functions: nothing here reads a card, a file or a
 * database.  docs/lwm2m.md gives the byte layout and the choices made. */
#ifndef UB_LWM2M_H
#define UB_LWM2M_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwm2m.h"
#include "ub_lwm2m_tlv.h"

/* G.3.3: "This file size is limited to 32KB". */
#define UB_LWM2M_FILE_MAX 32768
#define UB_LWM2M_OBJECTS_MAX 64
#define UB_LWM2M_RECORDS_MAX 4096

enum ub_lwm2m_padding {
	UB_LWM2M_PAD_FF,   /* bytes after the payload must all be FF (default) */
	UB_LWM2M_PAD_NONE, /* the file ends where the payload ends */
};

struct ub_lwm2m_opts {
	enum ub_lwm2m_padding padding;
	size_t max_file;    /* default UB_LWM2M_FILE_MAX */
	size_t max_objects; /* default UB_LWM2M_OBJECTS_MAX; at most that */
	size_t max_records; /* TLV records in the whole file */
};
void ub_lwm2m_opts_default(struct ub_lwm2m_opts *o);

/* Decode an EF LwM2M_Bootstrap file:
 *   HWORD number of Objects, HWORD size of what follows, then per Object
 *   HWORD Object ID, version (00, or major minor), HWORD length, TLV.
 * The bytes are copied, so b may go away.  Refused with UB_E_BAD_DATA and
 * st naming the byte offset: a file shorter than its header or than its
 * size says, more than opts->max_file bytes, an Object whose length runs
 * past the payload, a count that is not the number of Objects found, an
 * Object ID that repeats, more Objects or TLV records than the limits,
 * bytes after the payload that the padding rule does not allow, and every
 * TLV refusal of ub_lwm2m_tlv_decode.  An empty file or one of FF bytes
 * only (an erased EF) is UB_E_NOT_FOUND.  opts NULL: defaults.  Returns 0,
 * UB_E_BAD_DATA, UB_E_NOT_FOUND or UB_E_NOMEM; on error *out is empty. */
int ub_lwm2m_boot_decode(const uint8_t *b, size_t n, const struct ub_lwm2m_opts *opts,
			 struct ub_lwm2m_boot *out, struct ub_status *st);

const struct ub_lwm2m_res *ub_lwm2m_res_find(const struct ub_lwm2m_inst *in, uint16_t id);

/* --- meaning (Appendix C data types, Appendix E objects) --- */
enum ub_lwm2m_dtype {
	UB_LWM2M_STRING,
	UB_LWM2M_INTEGER,
	UB_LWM2M_UNSIGNED,
	UB_LWM2M_FLOAT,
	UB_LWM2M_BOOLEAN,
	UB_LWM2M_OPAQUE,
	UB_LWM2M_TIME,
	UB_LWM2M_OBJLNK,
	UB_LWM2M_CORELNK,
	UB_LWM2M_NONE, /* Executable: carries no value */
};

struct ub_lwm2m_rdef {
	uint16_t obj, res;
	const char *name;
	enum ub_lwm2m_dtype type;
	bool multiple;
	bool secret; /* shown or exported only with UB_LWM2M_SECRETS */
};

/* The one table of known resources: Security (0), Server (1), OSCORE (21).
 * NULL: not known (its value is kept as opaque bytes). */
const struct ub_lwm2m_rdef *ub_lwm2m_rdef(uint16_t obj, uint16_t res);
/* Secret: Security 3 (Public Key or Identity), 4 (Server Public Key),
 * 5 (Secret Key), 8 (SMS Binding Secret Keys); OSCORE 0 (Master Secret). */
bool ub_lwm2m_is_secret(uint16_t obj, uint16_t res);
const char *ub_lwm2m_dtype_name(enum ub_lwm2m_dtype t);
/* Are the bytes v[n] a value of type t (Appendix C, TLV column: Boolean
 * one byte 0 or 1, Integer and Time 1/2/4/8 bytes, UTF-8 strings without
 * NUL, finite Floats, Objlnk 4 bytes; Opaque anything; an Executable
 * nothing)? */
bool ub_lwm2m_value_ok(enum ub_lwm2m_dtype t, const uint8_t *v, size_t n);
/* ub_lwm2m_obj_name: <uiccboot/lwm2m.h> */

/* A Security Object Instance, read (E.1). */
struct ub_lwm2m_security {
	uint16_t inst;
	const uint8_t *uri; /* resource 0, UTF-8, not NUL-terminated */
	size_t uri_len;
	bool bootstrap; /* resource 1 */
	int64_t mode;	/* resource 2: 0 PSK, 1 RPK, 2 Certificate, 3 NoSec, 4 Cert + EST */
	int64_t ssid;	/* resource 10; 0: absent */
};
/* A Server Object Instance, read (E.2). */
struct ub_lwm2m_server {
	uint16_t inst;
	int64_t ssid;	   /* resource 0 */
	uint64_t lifetime; /* resource 1; has_lifetime */
	bool has_lifetime;
	const uint8_t *binding; /* resource 7; NULL: absent */
	size_t binding_len;
};

/* Check the meaning of every Object: each known resource has its type's
 * form (Boolean one byte 0/1, Integer 1/2/4/8 bytes, UTF-8 strings without
 * NUL, finite floats, ...), single or multiple as defined, no value for an
 * Executable; a Security Instance has a Server URI, a Bootstrap-Server flag,
 * a Security Mode 0..4, a Short Server ID 1..65534 unless it is the
 * Bootstrap-Server's; at most one Bootstrap-Server Instance; a Server
 * Instance has a Short Server ID 1..65534; no two Security (or Server)
 * Instances share a Short Server ID.  Returns 0 or UB_E_BAD_DATA with st
 * naming /obj/inst/res. */
int ub_lwm2m_check(const struct ub_lwm2m_boot *b, struct ub_status *st);
/* The fields of one Instance of /0 or /1, checked as ub_lwm2m_check does. */
int ub_lwm2m_security_get(const struct ub_lwm2m_inst *in, struct ub_lwm2m_security *s,
			  struct ub_status *st);
int ub_lwm2m_server_get(const struct ub_lwm2m_inst *in, struct ub_lwm2m_server *s,
			struct ub_status *st);

/* --- output --- */

/* SenML JSON records (RFC 8428 as Core 1.1 7.4.4 uses it) of one Object: an
 * array of {"bn":"/O/I/" (first record of each Instance), "n":"R" or "R/RI",
 * and one of "v" (Integer, Unsigned, Float, Time), "vb", "vs" (String,
 * Corelnk), "vd" (Opaque and unknown resources: base64url without padding),
 * "vlo" (Objlnk, "O:I")}.  Without UB_LWM2M_SECRETS the secret resources
 * are left out (never replaced by a stand-in a client could take for a
 * key).  Appends to the json-c array arr.  Returns 0, UB_E_BAD_DATA (a
 * value that is not of its type) or UB_E_NOMEM. */
int ub_lwm2m_senml_obj(const struct ub_lwm2m_obj *o, unsigned flags, json_object *arr);
/* All Objects of the file in one array; *out is a new array or NULL. */
int ub_lwm2m_senml(const struct ub_lwm2m_boot *b, unsigned flags, json_object **out);
#endif
