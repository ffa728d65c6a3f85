/* Output of bootstrap Objects as a client's Bootstrap-Write takes them:
 * SenML JSON (RFC 8428 as OMA LwM2M Core 1.1 7.4.4 profiles it, content
 * format 110) and TLV (7.4.3, 11542).  LwM2M's SenML names: "bn" the
 * Object Instance path "/O/I/", "n" the Resource ("R") or Resource Instance
 * ("R/RI"); values by Appendix C: numbers "v", Boolean "vb", String and
 * Corelnk "vs", Opaque "vd" (base64url without padding, RFC 8428 4.3),
 * Objlnk "vlo" ("O:I", the LwM2M extension label).  Secret resources are
 * left out unless asked for: a stand-in value would be a key to a client
 * that writes what it is given. */
#include <inttypes.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_lwm2m.h"

/* base64url (RFC 4648 5) without "=" as a JSON string. */
static json_object *b64url(const uint8_t *v, size_t n)
{
	json_object *s = NULL;
	char *out;
	int len;

	if (n > 3 * (size_t)(INT32_MAX / 4 - 1))
		return NULL;
	out = malloc(4 * ((n + 2) / 3) + 1);
	if (!out)
		return NULL;
	len = (int)ub_b64(out, v, n, 1);
	s = json_object_new_string_len(out, len);
	OPENSSL_cleanse(out, (size_t)len); /* may be a key */
	free(out);
	return s;
}

/* The value member of one record: its label and json-c value. */
static int value(const struct ub_lwm2m_rdef *d, const uint8_t *v, size_t n, const char **label,
		 json_object **val)
{
	enum ub_lwm2m_dtype t = d ? d->type : UB_LWM2M_OPAQUE;
	char lnk[16];
	int64_t i;
	uint64_t u;
	double f;
	bool b;
	uint16_t o, oi;

	*val = NULL;
	switch (t) {
	case UB_LWM2M_STRING:
	case UB_LWM2M_CORELNK:
		if (ub_lwm2m_string(v, n))
			return UB_E_BAD_DATA;
		*label = "vs";
		*val = json_object_new_string_len((const char *)v, (int)n);
		break;
	case UB_LWM2M_INTEGER:
	case UB_LWM2M_TIME:
		if (ub_lwm2m_int(v, n, &i))
			return UB_E_BAD_DATA;
		*label = "v";
		*val = json_object_new_int64(i);
		break;
	case UB_LWM2M_UNSIGNED:
		if (ub_lwm2m_uint(v, n, &u))
			return UB_E_BAD_DATA;
		*label = "v";
		*val = u <= INT64_MAX ? json_object_new_int64((int64_t)u)
				      : json_object_new_uint64(u);
		break;
	case UB_LWM2M_FLOAT:
		if (ub_lwm2m_float(v, n, &f) || !isfinite(f))
			return UB_E_BAD_DATA; /* JSON has no NaN or infinity */
		*label = "v";
		*val = json_object_new_double(f);
		break;
	case UB_LWM2M_BOOLEAN:
		if (ub_lwm2m_bool(v, n, &b))
			return UB_E_BAD_DATA;
		*label = "vb";
		*val = json_object_new_boolean(b);
		break;
	case UB_LWM2M_OBJLNK:
		if (ub_lwm2m_objlnk(v, n, &o, &oi))
			return UB_E_BAD_DATA;
		snprintf(lnk, sizeof(lnk), "%u:%u", o, oi);
		*label = "vlo";
		*val = json_object_new_string(lnk);
		break;
	case UB_LWM2M_OPAQUE:
		if (n > INT32_MAX / 2)
			return UB_E_BAD_DATA;
		*label = "vd";
		*val = b64url(v, n);
		break;
	case UB_LWM2M_NONE:
		return UB_E_BAD_DATA; /* an Executable has no value to write */
	}
	return *val ? 0 : UB_E_NOMEM;
}

static int add(json_object *o, const char *k, json_object *v)
{
	if (!v)
		return UB_E_NOMEM;
	if (json_object_object_add(o, k, v)) {
		json_object_put(v);
		return UB_E_NOMEM;
	}
	return 0;
}

/* One record: {"bn"?, "n", value}. */
static int record(json_object *arr, const char *bn, const char *n, const struct ub_lwm2m_rdef *d,
		  const uint8_t *v, size_t len)
{
	json_object *r = json_object_new_object(), *val;
	const char *label = NULL;
	int rc;

	if (!r)
		return UB_E_NOMEM;
	rc = value(d, v, len, &label, &val);
	if (!rc && bn)
		rc = add(r, "bn", json_object_new_string(bn));
	if (!rc)
		rc = add(r, "n", json_object_new_string(n));
	if (!rc) {
		rc = add(r, label, val);
		val = NULL;
	}
	json_object_put(val);
	if (!rc && json_object_array_add(arr, r))
		rc = UB_E_NOMEM;
	if (rc)
		json_object_put(r);
	return rc;
}

int ub_lwm2m_senml_obj(const struct ub_lwm2m_obj *o, unsigned flags, json_object *arr)
{
	char bn[16], n[16];
	size_t i, j, k;
	int rc;

	for (i = 0; i < o->tlv.ninst; i++) {
		const struct ub_lwm2m_inst *in = &o->tlv.inst[i];
		bool first = true;

		snprintf(bn, sizeof(bn), "/%u/%u/", o->id, in->id);
		for (j = 0; j < in->nres; j++) {
			const struct ub_lwm2m_res *r = &in->res[j];
			const struct ub_lwm2m_rdef *d = ub_lwm2m_rdef(o->id, r->id);

			if (d && d->secret && !(flags & UB_LWM2M_SECRETS))
				continue;
			for (k = 0; k < (r->multiple ? r->nri : 1); k++) {
				if (r->multiple)
					snprintf(n, sizeof(n), "%u/%u", r->id, r->ri[k].id);
				else
					snprintf(n, sizeof(n), "%u", r->id);
				rc = record(arr, first ? bn : NULL, n, d,
					    r->multiple ? r->ri[k].v : r->v,
					    r->multiple ? r->ri[k].len : r->len);
				if (rc)
					return rc;
				first = false;
			}
		}
	}
	return 0;
}

int ub_lwm2m_senml(const struct ub_lwm2m_boot *b, unsigned flags, json_object **out)
{
	size_t i;
	int rc = 0;

	*out = json_object_new_array();
	if (!*out)
		return UB_E_NOMEM;
	for (i = 0; i < b->nobj && !rc; i++)
		rc = ub_lwm2m_senml_obj(&b->obj[i], flags, *out);
	if (rc) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

static bool keep_public(uint16_t obj, uint16_t res, void *arg)
{
	(void)arg;
	return !ub_lwm2m_is_secret(obj, res);
}

int ub_lwm2m_tlv_obj(const struct ub_lwm2m_obj *o, unsigned flags, uint8_t *out, size_t max)
{
	return ub_lwm2m_tlv_encode(o->id, o->tlv.inst, o->tlv.ninst,
				   (flags & UB_LWM2M_SECRETS) ? NULL : keep_public, NULL, out, max);
}

int ub_lwm2m_senml_text(const struct ub_lwm2m_boot *b, int obj, unsigned flags, char **out)
{
	const struct ub_lwm2m_obj *o = NULL;
	json_object *arr = NULL;
	const char *s;
	int rc;

	*out = NULL;
	if (obj >= 0 && !(o = obj <= 0xFFFF ? ub_lwm2m_obj_find(b, (uint16_t)obj) : NULL))
		return UB_E_NOT_FOUND;
	if (o) {
		if (!(arr = json_object_new_array()))
			return UB_E_NOMEM;
		rc = ub_lwm2m_senml_obj(o, flags, arr);
	} else {
		rc = ub_lwm2m_senml(b, flags, &arr);
	}
	if (!rc) {
		/* json-c escapes "/" unless told not to: "bn":"\/0\/1\/" is
		 * valid JSON, but not what a reader expects to see */
		s = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
								JSON_C_TO_STRING_NOSLASHESCAPE);
		*out = s ? strdup(s) : NULL;
		rc = *out ? 0 : UB_E_NOMEM;
		if (s)
			OPENSSL_cleanse((char *)s, strlen(s)); /* json-c's copy of a key */
	}
	json_object_put(arr);
	return rc;
}

void ub_lwm2m_text_free(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
	free(s);
}
