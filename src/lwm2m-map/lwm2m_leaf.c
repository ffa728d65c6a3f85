/* LwM2M resources as tree leaves and back (ub_lwm2m_map.h): the Object
 * URN, a leaf's Format, Type and value.  (The ./LwM2M URIs are names.c's,
 * the plan of a card's EF LwM2M_Bootstrap is lwm2m_map.c's.) */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm_names.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_lwm2m_map.h"

/* --- the Object's URN (OMNA LwM2M registry: the oma, ext and x ranges) --- */

static const char *urn_space(uint16_t obj)
{
	/* 0-1023 OMA's, 1024-2047 reserved for it, 2048-10240 other SDOs',
	 * the rest vendors' */
	return obj < 2048 ? "oma" : obj <= 10240 ? "ext" : "x";
}

int ub_lwm2m_urn(uint16_t obj, bool explicit_version, uint8_t major, uint8_t minor, char *out,
		 size_t max)
{
	int n = explicit_version ? snprintf(out, max, "urn:oma:lwm2m:%s:%u:%u.%u", urn_space(obj),
					    obj, major, minor)
				 : snprintf(out, max, "urn:oma:lwm2m:%s:%u", urn_space(obj), obj);

	return n < 0 || (size_t)n >= max ? UB_E_USAGE : 0;
}

int ub_lwm2m_urn_parse(uint16_t obj, const char *urn, bool *explicit_version, uint8_t *major,
		       uint8_t *minor)
{
	char want[64];
	size_t n;
	unsigned a, b;
	int k = 0;

	*explicit_version = false;
	*major = *minor = 0;
	ub_lwm2m_urn(obj, false, 0, 0, want, sizeof(want));
	n = strlen(want);
	if (!urn || strncmp(urn, want, n))
		return UB_E_BAD_DATA;
	if (!urn[n])
		return 0;
	/* ":<major>.<minor>", decimal, as ub_lwm2m_urn writes it */
	if (sscanf(urn + n, ":%3u.%3u%n", &a, &b, &k) != 2 || urn[n + (size_t)k] || a < 1 ||
	    a > 255 || b > 255)
		return UB_E_BAD_DATA;
	ub_lwm2m_urn(obj, true, (uint8_t)a, (uint8_t)b, want, sizeof(want));
	if (strcmp(urn, want)) /* no leading zeros or signs */
		return UB_E_BAD_DATA;
	*explicit_version = true;
	*major = (uint8_t)a;
	*minor = (uint8_t)b;
	return 0;
}

/* --- leaves --- */

static enum ub_lwm2m_dtype type_of(uint16_t obj, uint16_t res)
{
	const struct ub_lwm2m_rdef *d = ub_lwm2m_rdef(obj, res);

	return d ? d->type : UB_LWM2M_OPAQUE;
}

/* The Format of a value of type t in its own form. */
static const char *format_of(enum ub_lwm2m_dtype t)
{
	switch (t) {
	case UB_LWM2M_STRING:
	case UB_LWM2M_CORELNK:
	case UB_LWM2M_OBJLNK:
		return "chr";
	case UB_LWM2M_INTEGER:
	case UB_LWM2M_UNSIGNED:
	case UB_LWM2M_TIME:
		return "int";
	case UB_LWM2M_FLOAT:
		return "float";
	case UB_LWM2M_BOOLEAN:
		return "bool";
	default:
		return "b64";
	}
}

static void put_double(double d, uint8_t out[8])
{
	uint64_t u;
	int i;

	memcpy(&u, &d, sizeof(u));
	for (i = 7; i >= 0; i--, u >>= 8)
		out[i] = (uint8_t)u;
}

/* The value of type t as text, written into out (>= 32 bytes); false when
 * it has no text form there (an Opaque) or not one that gives the same
 * bytes back (non-shortest integers, binary32, control characters). */
static bool typed_text(enum ub_lwm2m_dtype t, const uint8_t *v, size_t n, char *out, size_t max)
{
	uint8_t back[8];
	int64_t i;
	uint64_t u;
	double f;
	bool b;
	uint16_t o, oi;

	switch (t) {
	case UB_LWM2M_STRING:
	case UB_LWM2M_CORELNK:
		if (n >= max || memchr(v, 0, n))
			return false;
		memcpy(out, v, n);
		out[n] = '\0';
		return ub_dm_text_ok(out);
	case UB_LWM2M_INTEGER:
	case UB_LWM2M_TIME:
		if (ub_lwm2m_int(v, n, &i) || ub_lwm2m_put_int(i, back) != n || memcmp(back, v, n))
			return false;
		snprintf(out, max, "%" PRId64, i);
		return true;
	case UB_LWM2M_UNSIGNED:
		if (ub_lwm2m_uint(v, n, &u) || ub_lwm2m_put_uint(u, back) != n ||
		    memcmp(back, v, n))
			return false;
		snprintf(out, max, "%" PRIu64, u);
		return true;
	case UB_LWM2M_FLOAT:
		if (n != 8 || ub_lwm2m_float(v, n, &f) || !isfinite(f))
			return false;
		snprintf(out, max, "%.17g", f);
		put_double(strtod(out, NULL), back);
		return !memcmp(back, v, 8);
	case UB_LWM2M_BOOLEAN:
		if (ub_lwm2m_bool(v, n, &b))
			return false;
		snprintf(out, max, "%s", b ? "true" : "false");
		return true;
	case UB_LWM2M_OBJLNK:
		if (ub_lwm2m_objlnk(v, n, &o, &oi))
			return false;
		snprintf(out, max, "%u:%u", o, oi);
		return true;
	default:
		return false;
	}
}

int ub_lwm2m_leaf_make(uint16_t obj, uint16_t res, const uint8_t *v, size_t n,
		       struct ub_lwm2m_leaf *l)
{
	enum ub_lwm2m_dtype t = type_of(obj, res);
	size_t max = n + 32;

	memset(l, 0, sizeof(*l));
	if (!ub_lwm2m_value_ok(t, v, n))
		return UB_E_BAD_DATA;
	if (n > 3 * (size_t)(INT32_MAX / 4 - 1))
		return UB_E_BAD_DATA;
	if (4 * ((n + 2) / 3) + 1 > max)
		max = 4 * ((n + 2) / 3) + 1;
	if (!(l->value = malloc(max)))
		return UB_E_NOMEM;
	l->type = ub_lwm2m_dtype_name(t);
	if (typed_text(t, v, n, l->value, max)) {
		l->format = format_of(t);
	} else {
		l->format = "b64";
		ub_b64(l->value, v, n, 0);
	}
	return 0;
}

void ub_lwm2m_leaf_wipe(struct ub_lwm2m_leaf *l)
{
	if (l->value) {
		OPENSSL_cleanse(l->value, strlen(l->value));
		free(l->value);
	}
	memset(l, 0, sizeof(*l));
}

/* A decimal integer in its one form (no '+', no leading zeros, "-0" no). */
static bool decimal(const char *s, bool sign_ok, const char **digits)
{
	const char *d = s + (sign_ok && *s == '-');

	*digits = d;
	return *d && strspn(d, "0123456789") == strlen(d) && (d[0] != '0' || !d[1]) &&
	       !(d != s && !strcmp(d, "0"));
}

/* The text form of type t into out: the length, or -1. */
static int from_text(enum ub_lwm2m_dtype t, const char *s, uint8_t *out, size_t max)
{
	const char *d;
	char *end;
	unsigned long long u;
	long long i;
	unsigned a, b;
	int k = 0;
	double f;

	switch (t) {
	case UB_LWM2M_STRING:
	case UB_LWM2M_CORELNK:
		if (strlen(s) > max)
			return -1;
		memcpy(out, s, strlen(s));
		return (int)strlen(s);
	case UB_LWM2M_INTEGER:
	case UB_LWM2M_TIME:
		if (!decimal(s, true, &d))
			return -1;
		errno = 0;
		i = strtoll(s, &end, 10);
		return errno || *end || max < 8 ? -1 : (int)ub_lwm2m_put_int(i, out);
	case UB_LWM2M_UNSIGNED:
		if (!decimal(s, false, &d))
			return -1;
		errno = 0;
		u = strtoull(s, &end, 10);
		return errno || *end || max < 8 ? -1 : (int)ub_lwm2m_put_uint(u, out);
	case UB_LWM2M_FLOAT:
		if (!*s || strchr(" \t\n\r", *s) || max < 8)
			return -1;
		errno = 0;
		f = strtod(s, &end);
		if (errno || *end || !isfinite(f))
			return -1;
		put_double(f, out);
		return 8;
	case UB_LWM2M_BOOLEAN:
		if (!max || (strcmp(s, "true") && strcmp(s, "false")))
			return -1;
		out[0] = !strcmp(s, "true");
		return 1;
	case UB_LWM2M_OBJLNK: {
		char canon[16];

		if (sscanf(s, "%5u:%5u%n", &a, &b, &k) != 2 || s[k] || a > 0xFFFF || b > 0xFFFF ||
		    max < 4)
			return -1;
		snprintf(canon, sizeof(canon), "%u:%u", a, b);
		if (strcmp(canon, s))
			return -1;
		out[0] = (uint8_t)(a >> 8), out[1] = (uint8_t)a;
		out[2] = (uint8_t)(b >> 8), out[3] = (uint8_t)b;
		return 4;
	}
	default:
		return -1;
	}
}

int ub_lwm2m_leaf_bytes(uint16_t obj, uint16_t res, const char *format, const char *type,
			const char *value, uint8_t *out, size_t max, struct ub_status *st)
{
	enum ub_lwm2m_dtype t = type_of(obj, res);
	const char *name = ub_lwm2m_dtype_name(t);
	int n;

	if (t == UB_LWM2M_NONE)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "resource %u of Object %u is Executable: it holds no value", res,
			       obj);
	if (!type || strcmp(type, name))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "Type %.40s, not %s",
			       type ? type : "(none)", name);
	if (!value)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "no value");
	if (!strcmp(format, "b64"))
		n = ub_unb64(out, max, value);
	else if (!strcmp(format, format_of(t)))
		n = from_text(t, value, out, max);
	else
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "Format %.20s: a %s is %s or b64",
			       format, name, format_of(t));
	if (n < 0 && !strcmp(format, "b64"))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "value is not canonical base64 (padded, no line breaks)");
	if (n < 0)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "value is not a %s as %s writes it",
			       name, format);
	if (!ub_lwm2m_value_ok(t, out, (size_t)n))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "%d bytes are not a valid %s", n, name);
	return n;
}

int ub_lwm2m_value_text(uint16_t obj, uint16_t res, const uint8_t *v, size_t n,
			struct ub_lwm2m_value *out)
{
	const struct ub_lwm2m_rdef *d = ub_lwm2m_rdef(obj, res);
	struct ub_lwm2m_leaf l;
	int err = ub_lwm2m_leaf_make(obj, res, v, n, &l);

	memset(out, 0, sizeof(*out));
	out->name = d ? d->name : NULL;
	out->secret = d && d->secret;
	if (err)
		return err;
	out->type = l.type;
	out->format = l.format;
	out->value = l.value; /* the caller's now */
	return 0;
}

void ub_lwm2m_value_free(struct ub_lwm2m_value *x)
{
	struct ub_lwm2m_leaf l = {x->format, x->type, x->value};

	ub_lwm2m_leaf_wipe(&l);
	memset(x, 0, sizeof(*x));
}
