/* What the resources of the bootstrap Objects mean: one table (names, data
 * types, single or multiple, secret), and the checks of a bootstrap file's
 * meaning.  Resource IDs and types: OMA LwM2M Core 1.1/1.2 Appendix E.1
 * (LwM2M Security, object version 1.2), E.2 (LwM2M Server, 1.2) and the
 * OSCORE Object (21), as the OMNA registry files 0.xml, 1.xml and 21.xml
 * define them; types are those of Appendix C. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ub_error.h"
#include "ub_lwm2m.h"

#define S UB_LWM2M_STRING
#define I UB_LWM2M_INTEGER
#define U UB_LWM2M_UNSIGNED
#define B UB_LWM2M_BOOLEAN
#define O UB_LWM2M_OPAQUE
#define T UB_LWM2M_TIME
#define L UB_LWM2M_OBJLNK
#define X UB_LWM2M_NONE

static const struct ub_lwm2m_rdef rdefs[] = {
	/* E.1 LwM2M Security */
	{0, 0, "LwM2M Server URI", S, false, false},
	{0, 1, "Bootstrap-Server", B, false, false},
	{0, 2, "Security Mode", I, false, false},
	{0, 3, "Public Key or Identity", O, false, true},
	{0, 4, "Server Public Key", O, false, true},
	{0, 5, "Secret Key", O, false, true},
	{0, 6, "SMS Security Mode", I, false, false},
	{0, 7, "SMS Binding Key Parameters", O, false, false},
	{0, 8, "SMS Binding Secret Key(s)", O, false, true},
	{0, 9, "LwM2M Server SMS Number", S, false, false},
	{0, 10, "Short Server ID", I, false, false},
	{0, 11, "Client Hold Off Time", I, false, false},
	{0, 12, "Bootstrap-Server Account Timeout", I, false, false},
	{0, 13, "Matching Type", U, false, false},
	{0, 14, "SNI", S, false, false},
	{0, 15, "Certificate Usage", U, false, false},
	{0, 16, "DTLS/TLS Ciphersuite", U, true, false},
	{0, 17, "OSCORE Security Mode", L, false, false},
	{0, 18, "Groups To Use by Client", U, true, false},
	{0, 19, "Signature Algorithms Supported by Server", U, true, false},
	{0, 20, "Signature Algorithms To Use by Client", U, true, false},
	{0, 21, "Signature Algorithm Certs Supported by Server", U, true, false},
	{0, 22, "TLS 1.3 Features To Use by Client", U, false, false},
	{0, 23, "TLS Extensions Supported by Server", U, false, false},
	{0, 24, "TLS Extensions To Use by Client", U, false, false},
	{0, 25, "Secondary LwM2M Server URI", S, true, false},
	{0, 26, "MQTT Server", L, false, false},
	{0, 27, "LwM2M COSE Security", L, true, false},
	{0, 28, "RDS Destination Port", I, false, false},
	{0, 29, "RDS Source Port", I, false, false},
	{0, 30, "RDS Application ID", S, false, false},
	/* E.2 LwM2M Server */
	{1, 0, "Short Server ID", I, false, false},
	{1, 1, "Lifetime", U, false, false},
	{1, 2, "Default Minimum Period", I, false, false},
	{1, 3, "Default Maximum Period", I, false, false},
	{1, 4, "Disable", X, false, false},
	{1, 5, "Disable Timeout", I, false, false},
	{1, 6, "Notification Storing When Disabled or Offline", B, false, false},
	{1, 7, "Binding", S, false, false},
	{1, 8, "Registration Update Trigger", X, false, false},
	{1, 9, "Bootstrap-Request Trigger", X, false, false},
	{1, 10, "APN Link", L, false, false},
	{1, 11, "TLS-DTLS Alert Code", U, false, false},
	{1, 12, "Last Bootstrapped", T, false, false},
	{1, 13, "Registration Priority Order", U, false, false},
	{1, 14, "Initial Registration Delay Timer", U, false, false},
	{1, 15, "Registration Failure Block", B, false, false},
	{1, 16, "Bootstrap on Registration Failure", B, false, false},
	{1, 17, "Communication Retry Count", U, false, false},
	{1, 18, "Communication Retry Timer", U, false, false},
	{1, 19, "Communication Sequence Delay Timer", U, false, false},
	{1, 20, "Communication Sequence Retry Count", U, false, false},
	{1, 21, "Trigger", B, false, false},
	{1, 22, "Preferred Transport", S, false, false},
	{1, 23, "Mute Send", B, false, false},
	{1, 24, "Alternate APN Links", L, true, false},
	{1, 25, "Supported Server Versions", S, true, false},
	{1, 26, "Default Notification Mode", I, false, false},
	{1, 27, "Profile ID Hash Algorithm", U, false, false},
	/* OSCORE (Object 21): its Master Secret is a pre-shared key */
	{21, 0, "OSCORE Master Secret", S, false, true},
	{21, 1, "OSCORE Sender ID", S, false, false},
	{21, 2, "OSCORE Recipient ID", S, false, false},
	{21, 3, "OSCORE AEAD Algorithm", I, false, false},
	{21, 4, "OSCORE HMAC Algorithm", I, false, false},
	{21, 5, "OSCORE Master Salt", S, false, false},
	{21, 6, "OSCORE ID Context", S, false, false},
};

#undef S
#undef I
#undef U
#undef B
#undef O
#undef T
#undef L
#undef X

const struct ub_lwm2m_rdef *ub_lwm2m_rdef(uint16_t obj, uint16_t res)
{
	size_t i;

	for (i = 0; i < sizeof(rdefs) / sizeof(rdefs[0]); i++)
		if (rdefs[i].obj == obj && rdefs[i].res == res)
			return &rdefs[i];
	return NULL;
}

bool ub_lwm2m_is_secret(uint16_t obj, uint16_t res)
{
	const struct ub_lwm2m_rdef *d = ub_lwm2m_rdef(obj, res);

	return d && d->secret;
}

const char *ub_lwm2m_obj_name(uint16_t obj)
{
	switch (obj) {
	case 0:
		return "LwM2M Security";
	case 1:
		return "LwM2M Server";
	case 21:
		return "OSCORE";
	default:
		return NULL;
	}
}

const char *ub_lwm2m_dtype_name(enum ub_lwm2m_dtype t)
{
	static const char *const names[] = {
		"String", "Integer", "Unsigned Integer", "Float",   "Boolean",
		"Opaque", "Time",    "Objlnk",		 "Corelnk", "none"};

	return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

bool ub_lwm2m_value_ok(enum ub_lwm2m_dtype t, const uint8_t *v, size_t n)
{
	int64_t i;
	uint64_t u;
	double f;
	bool b;
	uint16_t a, c;

	switch (t) {
	case UB_LWM2M_STRING:
	case UB_LWM2M_CORELNK:
		return !ub_lwm2m_string(v, n);
	case UB_LWM2M_INTEGER:
	case UB_LWM2M_TIME:
		return !ub_lwm2m_int(v, n, &i);
	case UB_LWM2M_UNSIGNED:
		return !ub_lwm2m_uint(v, n, &u);
	case UB_LWM2M_FLOAT:
		return !ub_lwm2m_float(v, n, &f) && isfinite(f);
	case UB_LWM2M_BOOLEAN:
		return !ub_lwm2m_bool(v, n, &b);
	case UB_LWM2M_OBJLNK:
		return !ub_lwm2m_objlnk(v, n, &a, &c);
	case UB_LWM2M_OPAQUE:
		return true;
	case UB_LWM2M_NONE:
		return false;
	}
	return false;
}

static int res_check(uint16_t obj, uint16_t inst, const struct ub_lwm2m_res *r,
		     struct ub_status *st)
{
	const struct ub_lwm2m_rdef *d = ub_lwm2m_rdef(obj, r->id);
	size_t i;

	if (!d)
		return 0; /* unknown: kept as opaque bytes */
	if (d->type == UB_LWM2M_NONE)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/%u/%u/%u (%s) is Executable and carries no value", obj, inst,
			       r->id, d->name);
	if (d->multiple != r->multiple)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/%u/%u/%u (%s) is a %s resource, the file has it %s", obj, inst,
			       r->id, d->name, d->multiple ? "multiple" : "single",
			       r->multiple ? "multiple" : "single");
	if (!r->multiple && !ub_lwm2m_value_ok(d->type, r->v, r->len))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/%u/%u/%u (%s): %zu bytes are not a valid %s", obj, inst, r->id,
			       d->name, r->len, ub_lwm2m_dtype_name(d->type));
	for (i = 0; i < r->nri; i++)
		if (!ub_lwm2m_value_ok(d->type, r->ri[i].v, r->ri[i].len))
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "/%u/%u/%u/%u (%s): %zu bytes are not a valid %s", obj, inst,
				       r->id, r->ri[i].id, d->name, r->ri[i].len,
				       ub_lwm2m_dtype_name(d->type));
	return 0;
}

static int inst_types(uint16_t obj, const struct ub_lwm2m_inst *in, struct ub_status *st)
{
	size_t i;
	int rc;

	for (i = 0; i < in->nres; i++)
		if ((rc = res_check(obj, in->id, &in->res[i], st)))
			return rc;
	return 0;
}

/* A single resource's value, or NULL when absent. */
static const struct ub_lwm2m_res *single(const struct ub_lwm2m_inst *in, uint16_t id)
{
	const struct ub_lwm2m_res *r = ub_lwm2m_res_find(in, id);

	return r && !r->multiple ? r : NULL;
}

int ub_lwm2m_security_get(const struct ub_lwm2m_inst *in, struct ub_lwm2m_security *s,
			  struct ub_status *st)
{
	const struct ub_lwm2m_res *r;
	int rc;

	memset(s, 0, sizeof(*s));
	s->inst = in->id;
	if ((rc = inst_types(0, in, st)))
		return rc;
	if (!(r = single(in, 0)) || !r->len)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/0/%u: no LwM2M Server URI (resource 0)", in->id);
	s->uri = r->v;
	s->uri_len = r->len;
	if (!(r = single(in, 1)))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/0/%u: no Bootstrap-Server flag (resource 1)", in->id);
	ub_lwm2m_bool(r->v, r->len, &s->bootstrap);
	if (!(r = single(in, 2)))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "/0/%u: no Security Mode (resource 2)",
			       in->id);
	ub_lwm2m_int(r->v, r->len, &s->mode);
	if (s->mode < 0 || s->mode > 4)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/0/%u/2: Security Mode %lld is not 0..4", in->id,
			       (long long)s->mode);
	if ((r = single(in, 10))) {
		ub_lwm2m_int(r->v, r->len, &s->ssid);
		if (s->ssid < 1 || s->ssid > 65534)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "/0/%u/10: Short Server ID %lld is not 1..65534", in->id,
				       (long long)s->ssid);
	} else if (!s->bootstrap) {
		/* E.1: "MUST be set when the Bootstrap-Server Resource has a value of 'false'" */
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/0/%u: an LwM2M Server account without Short Server ID", in->id);
	}
	return 0;
}

int ub_lwm2m_server_get(const struct ub_lwm2m_inst *in, struct ub_lwm2m_server *s,
			struct ub_status *st)
{
	const struct ub_lwm2m_res *r;
	int rc;

	memset(s, 0, sizeof(*s));
	s->inst = in->id;
	if ((rc = inst_types(1, in, st)))
		return rc;
	if (!(r = single(in, 0)))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "/1/%u: no Short Server ID (resource 0)",
			       in->id);
	ub_lwm2m_int(r->v, r->len, &s->ssid);
	if (s->ssid < 1 || s->ssid > 65534)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "/1/%u/0: Short Server ID %lld is not 1..65534", in->id,
			       (long long)s->ssid);
	if ((r = single(in, 1))) {
		ub_lwm2m_uint(r->v, r->len, &s->lifetime);
		s->has_lifetime = true;
	}
	if ((r = single(in, 7))) {
		s->binding = r->v;
		s->binding_len = r->len;
	}
	return 0;
}

/* Short Server IDs met, one bit each (1..65534). */
static bool ssid_seen(uint8_t *set, int64_t ssid)
{
	bool was = set[ssid >> 3] & (1u << (ssid & 7));

	set[ssid >> 3] |= (uint8_t)(1u << (ssid & 7));
	return was;
}

static int security_all(const struct ub_lwm2m_obj *o, struct ub_status *st)
{
	struct ub_lwm2m_security s;
	uint8_t set[8192] = {0};
	size_t i, nbs = 0;
	int rc;

	for (i = 0; i < o->tlv.ninst; i++) {
		if ((rc = ub_lwm2m_security_get(&o->tlv.inst[i], &s, st)))
			return rc;
		if (s.bootstrap && ++nbs > 1)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "/0/%u: a second Bootstrap-Server account", s.inst);
		if (!s.bootstrap && ssid_seen(set, s.ssid))
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "/0/%u: Short Server ID %lld of an earlier Instance", s.inst,
				       (long long)s.ssid);
	}
	return 0;
}

static int server_all(const struct ub_lwm2m_obj *o, struct ub_status *st)
{
	struct ub_lwm2m_server s;
	uint8_t set[8192] = {0};
	size_t i;
	int rc;

	for (i = 0; i < o->tlv.ninst; i++) {
		if ((rc = ub_lwm2m_server_get(&o->tlv.inst[i], &s, st)))
			return rc;
		if (ssid_seen(set, s.ssid))
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "/1/%u: Short Server ID %lld of an earlier Instance", s.inst,
				       (long long)s.ssid);
	}
	return 0;
}

int ub_lwm2m_check(const struct ub_lwm2m_boot *b, struct ub_status *st)
{
	size_t i, j;
	int rc;

	for (i = 0; i < b->nobj; i++) {
		const struct ub_lwm2m_obj *o = &b->obj[i];

		if (o->id == 0)
			rc = security_all(o, st);
		else if (o->id == 1)
			rc = server_all(o, st);
		else
			for (rc = 0, j = 0; j < o->tlv.ninst && !rc; j++)
				rc = inst_types(o->id, &o->tlv.inst[j], st);
		if (rc)
			return rc;
	}
	return 0;
}
