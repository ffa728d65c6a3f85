/* EF LwM2M_Bootstrap, OMA LwM2M Core Appendix G (G.3.3 in 1.0, G.3.4 in
 * 1.1.1/1.2).  Its BNF, network byte order throughout:
 *   <bootstrap_data>     ::= <number of objects> <size> <collection>
 *   <number of objects>  ::= HWORD         <size> ::= HWORD (bytes of <collection>)
 *   <single_lwm2m_object>::= <object ID: HWORD> <object_version> <length: HWORD>
 *                            <object instances: TLV, Core 7.4.3>
 *   <object_version>     ::= %x00 (IMPLICIT_VERSION: 1.0 or the enabler's)
 *                          | MAJOR (%x01-FF) MINOR (%x00-FF)  e.g. %x0205 = 2.5
 * The file is at most 32 KB; its effective size comes from the FCP.  What
 * follows <collection> is not described: cards pad with FF. */
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_error.h"
#include "ub_lwm2m.h"
#include "ub_status.h"

void ub_lwm2m_opts_default(struct ub_lwm2m_opts *o)
{
	o->padding = UB_LWM2M_PAD_FF;
	o->max_file = UB_LWM2M_FILE_MAX;
	o->max_objects = UB_LWM2M_OBJECTS_MAX;
	o->max_records = UB_LWM2M_RECORDS_MAX;
}

void ub_lwm2m_boot_free(struct ub_lwm2m_boot *b)
{
	size_t i;

	if (!b)
		return;
	for (i = 0; i < b->nobj; i++)
		ub_lwm2m_tlv_free(&b->obj[i].tlv);
	free(b->obj);
	if (b->data) {
		OPENSSL_cleanse(b->data, b->len); /* keys and PSKs live in here */
		free(b->data);
	}
	memset(b, 0, sizeof(*b));
}

static uint16_t hword(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static bool all_ff(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0xFF)
			return false;
	return true;
}

/* One <single_lwm2m_object> at *off in data[0, end). */
static int object(struct ub_lwm2m_boot *bt, size_t end, size_t *off, size_t *budget, uint8_t *seen,
		  struct ub_lwm2m_obj *o, struct ub_status *st)
{
	const uint8_t *d = bt->data;
	size_t p = *off, len;

	memset(o, 0, sizeof(*o));
	o->offset = p;
	if (end - p < 3)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", p,
				   "Object header runs past the payload");
	o->id = hword(d + p);
	if (seen[o->id >> 3] & (1u << (o->id & 7)))
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", p, "Object %u repeated", o->id);
	seen[o->id >> 3] |= (uint8_t)(1u << (o->id & 7));
	p += 2;
	if (d[p]) { /* MAJOR_VERSION MINOR_VERSION */
		if (end - p < 2)
			return ub_fail_off(st, UB_E_BAD_DATA, "byte", p,
					   "Object %u: version runs past the payload", o->id);
		o->explicit_version = true;
		o->major = d[p];
		o->minor = d[p + 1];
		p += 2;
	} else {
		p++;
	}
	if (end - p < 2)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", p,
				   "Object %u: length runs past the payload", o->id);
	len = hword(d + p);
	p += 2;
	if (len > end - p)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", p - 2,
				   "Object %u: length %zu runs past the payload (%zu bytes left)",
				   o->id, len, end - p);
	*off = p + len;
	return ub_lwm2m_tlv_decode(d + p, len, p, budget, &o->tlv, st);
}

static int decode(struct ub_lwm2m_boot *bt, const struct ub_lwm2m_opts *op, uint8_t *seen,
		  struct ub_status *st)
{
	const uint8_t *d = bt->data;
	size_t n = bt->len, count, size, end, off = 4, budget = op->max_records;
	int rc;

	if (n < 4)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", 0,
				   "%zu bytes: shorter than the 4-byte header", n);
	count = hword(d);
	size = hword(d + 2);
	if (size > n - 4)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", 2,
				   "size %zu runs past the file (%zu bytes after the header)", size,
				   n - 4);
	end = 4 + size;
	if (count > op->max_objects)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", 0,
				   "%zu Objects: more than the limit of %zu", count,
				   op->max_objects);
	bt->obj = calloc(count ? count : 1, sizeof(*bt->obj));
	if (!bt->obj)
		return UB_E_NOMEM;
	while (off < end) {
		if (bt->nobj == count)
			return ub_fail_off(st, UB_E_BAD_DATA, "byte", off,
					   "more Objects in the payload than its count of %zu",
					   count);
		rc = object(bt, end, &off, &budget, seen, &bt->obj[bt->nobj], st);
		if (rc)
			return rc;
		bt->nobj++;
	}
	if (bt->nobj != count)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", 0,
				   "count says %zu Objects, the payload holds %zu", count,
				   bt->nobj);
	if (end < n && (op->padding == UB_LWM2M_PAD_NONE || !all_ff(d + end, n - end)))
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", end,
				   "%zu bytes after the payload that are not %s", n - end,
				   op->padding == UB_LWM2M_PAD_NONE ? "allowed" : "FF padding");
	return 0;
}

int ub_lwm2m_boot_decode(const uint8_t *b, size_t n, const struct ub_lwm2m_opts *opts,
			 struct ub_lwm2m_boot *out, struct ub_status *st)
{
	struct ub_lwm2m_opts def;
	uint8_t *seen;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!opts) {
		ub_lwm2m_opts_default(&def);
		opts = &def;
	}
	if (!n || all_ff(b, n)) {
		return ub_fail(st, UB_E_NOT_FOUND, 0, NULL, "the file holds no bootstrap data (%s)",
			       n ? "all FF: erased" : "empty");
	}
	if (n > opts->max_file)
		return ub_fail_off(st, UB_E_BAD_DATA, "byte", opts->max_file,
				   "file of %zu bytes: more than %zu", n, opts->max_file);
	out->data = malloc(n);
	seen = calloc(1, 8192); /* Object IDs met */
	if (!out->data || !seen) {
		free(seen);
		ub_lwm2m_boot_free(out);
		return UB_E_NOMEM;
	}
	memcpy(out->data, b, n);
	out->len = n;
	rc = decode(out, opts, seen, st);
	free(seen);
	if (rc)
		ub_lwm2m_boot_free(out);
	return rc;
}

static void put16(uint8_t *o, size_t v)
{
	o[0] = (uint8_t)(v >> 8);
	o[1] = (uint8_t)v;
}

int ub_lwm2m_boot_encode(const struct ub_lwm2m_boot *b, uint8_t *out, size_t max)
{
	size_t n = 4, i, h;
	int l;

	if (b->nobj > 0xFFFF)
		return UB_E_USAGE;
	for (i = 0; i < b->nobj; i++) {
		const struct ub_lwm2m_obj *o = &b->obj[i];

		h = o->explicit_version ? 6 : 5;
		l = ub_lwm2m_tlv_encode(o->id, o->tlv.inst, o->tlv.ninst, NULL, NULL, NULL, 0);
		if (l < 0 || l > 0xFFFF || (o->explicit_version && !o->major))
			return UB_E_USAGE;
		if (out) {
			if (n + h + (size_t)l > max)
				return UB_E_USAGE;
			put16(out + n, o->id);
			if (o->explicit_version) {
				out[n + 2] = o->major;
				out[n + 3] = o->minor;
			} else {
				out[n + 2] = 0;
			}
			put16(out + n + h - 2, (size_t)l);
			ub_lwm2m_tlv_encode(o->id, o->tlv.inst, o->tlv.ninst, NULL, NULL,
					    out + n + h, (size_t)l);
		}
		n += h + (size_t)l;
	}
	if (n - 4 > 0xFFFF)
		return UB_E_USAGE;
	if (out) {
		if (max < 4)
			return UB_E_USAGE;
		put16(out, b->nobj);
		put16(out + 2, n - 4);
	}
	return (int)n;
}

const struct ub_lwm2m_obj *ub_lwm2m_obj_find(const struct ub_lwm2m_boot *b, uint16_t id)
{
	size_t i;

	for (i = 0; i < b->nobj; i++)
		if (b->obj[i].id == id)
			return &b->obj[i];
	return NULL;
}

const struct ub_lwm2m_res *ub_lwm2m_res_find(const struct ub_lwm2m_inst *in, uint16_t id)
{
	size_t i;

	for (i = 0; i < in->nres; i++)
		if (in->res[i].id == id)
			return &in->res[i];
	return NULL;
}
