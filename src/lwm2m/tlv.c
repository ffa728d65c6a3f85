/* LwM2M TLV, OMA LwM2M Core 1.1 7.4.3 (1.0: 6.4.3).  The type byte:
 *   bits 7-6  00 Object Instance, 01 Resource Instance,
 *             10 Multiple Resource, 11 Resource with Value
 *   bit 5     Identifier of 8 (0) or 16 (1) bits
 *   bits 4-3  00: the length is bits 2-0; 01/10/11: an 8/16/24-bit
 *             length field follows the Identifier ("Bits 2-0 MUST be
 *             ignored")
 * Decoding is two passes over the same walk: the first checks everything
 * and counts, the second fills arrays of exactly that size.  The nesting is
 * at most three fixed levels, walked by one function per level. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_error.h"
#include "ub_lwm2m_tlv.h"
#include "ub_status.h"

enum { T_OBJ_INST = 0, T_RES_INST = 1, T_MULTI = 2, T_RES = 3 };

static const char *const kind_name[4] = {"Object Instance", "Resource Instance",
					 "Multiple Resource", "Resource"};

struct rec {
	unsigned type;
	uint16_t id;
	size_t off;  /* of the type byte, in b */
	size_t voff; /* of the value */
	size_t len;
};

struct dec {
	const uint8_t *b;
	size_t base;
	size_t *budget;
	struct ub_status *st;
	bool fill;
	struct ub_lwm2m_tlv *t;
	size_t ninst, nres, nri;
	uint8_t *seen[3]; /* IDs met among the current siblings, one bit per ID */
};

/* Next record in b[*off, end); 1 and advances, 0 at end, <0 bad. */
static int rec_next(struct dec *d, size_t end, size_t *off, struct rec *r)
{
	const uint8_t *b = d->b;
	size_t o = *off, idl, lt, l = 0, i;
	uint8_t t;

	if (o >= end)
		return 0;
	t = b[o];
	r->off = o++;
	r->type = t >> 6;
	idl = (t & 0x20) ? 2 : 1;
	lt = (t >> 3) & 3;
	if (end - o < idl + lt)
		return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r->off,
				   "%s TLV header runs past its parent", kind_name[r->type]);
	r->id = (uint16_t)(idl == 2 ? b[o] << 8 | b[o + 1] : b[o]);
	o += idl;
	if (!lt)
		l = t & 7;
	for (i = 0; i < lt; i++)
		l = l << 8 | b[o++];
	if (l > end - o)
		return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r->off,
				   "%s %u: value of %zu bytes runs past its parent (%zu left)",
				   kind_name[r->type], r->id, l, end - o);
	r->voff = o;
	r->len = l;
	*off = o + l;
	return 1;
}

/* Pass one: budget, duplicate IDs among siblings. */
static int first_sight(struct dec *d, int level, const struct rec *r)
{
	uint8_t *s = d->seen[level];

	if (d->fill)
		return 0;
	if (!*d->budget)
		return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r->off,
				   "more TLV records than the limit allows");
	(*d->budget)--;
	if (s[r->id >> 3] & (1u << (r->id & 7)))
		return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r->off, "%s %u repeated",
				   kind_name[r->type], r->id);
	s[r->id >> 3] |= (uint8_t)(1u << (r->id & 7));
	return 0;
}

/* Forget the sibling IDs of b[from, end) (already checked, cannot fail). */
static void forget(struct dec *d, int level, size_t from, size_t end)
{
	struct rec r;

	while (!d->fill && rec_next(d, end, &from, &r) > 0)
		d->seen[level][r.id >> 3] &= (uint8_t) ~(1u << (r.id & 7));
}

static int walk_multi(struct dec *d, const struct rec *m, struct ub_lwm2m_res *res)
{
	size_t off = m->voff, end = m->voff + m->len;
	struct rec r;
	int k;

	if (!m->len)
		return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + m->off,
				   "Multiple Resource %u holds no Resource Instance", m->id);
	if (res)
		res->ri = d->t->ri_pool + d->nri;
	while ((k = rec_next(d, end, &off, &r)) > 0) {
		if (r.type != T_RES_INST)
			return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r.off,
					   "%s inside Multiple Resource %u", kind_name[r.type],
					   m->id);
		if ((k = first_sight(d, 2, &r)))
			return k;
		if (res) {
			d->t->ri_pool[d->nri] = (struct ub_lwm2m_rinst){r.id, d->b + r.voff, r.len};
			res->nri++;
		}
		d->nri++;
	}
	forget(d, 2, m->voff, end);
	return k;
}

static int walk_inst(struct dec *d, const struct rec *in, struct ub_lwm2m_inst *inst)
{
	size_t off = in->voff, end = in->voff + in->len;
	struct ub_lwm2m_res *res = NULL;
	struct rec r;
	int k;

	if (inst)
		inst->res = d->t->res_pool + d->nres;
	while ((k = rec_next(d, end, &off, &r)) > 0) {
		if (r.type != T_RES && r.type != T_MULTI)
			return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r.off,
					   "%s inside Object Instance %u", kind_name[r.type],
					   in->id);
		if ((k = first_sight(d, 1, &r)))
			return k;
		if (inst) {
			res = &d->t->res_pool[d->nres];
			memset(res, 0, sizeof(*res));
			res->id = r.id;
			res->multiple = r.type == T_MULTI;
			if (!res->multiple) {
				res->v = d->b + r.voff;
				res->len = r.len;
			}
			inst->nres++;
		}
		d->nres++;
		if (r.type == T_MULTI && (k = walk_multi(d, &r, res)))
			return k;
	}
	forget(d, 1, in->voff, end);
	return k;
}

static int walk(struct dec *d, size_t n)
{
	struct ub_lwm2m_inst *inst = NULL;
	size_t off = 0;
	struct rec r;
	int k;

	while ((k = rec_next(d, n, &off, &r)) > 0) {
		if (r.type != T_OBJ_INST)
			return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r.off,
					   "%s %u outside an Object Instance", kind_name[r.type],
					   r.id);
		if (r.id == UB_LWM2M_MAX_ID)
			return ub_fail_off(d->st, UB_E_BAD_DATA, "byte", d->base + r.off,
					   "Object Instance ID 65535 is reserved (MAX-ID)");
		if ((k = first_sight(d, 0, &r)))
			return k;
		if (d->fill) {
			inst = &d->t->inst[d->ninst];
			inst->id = r.id;
			inst->nres = 0;
		}
		d->ninst++;
		if ((k = walk_inst(d, &r, inst)))
			return k;
	}
	return k;
}

void ub_lwm2m_tlv_free(struct ub_lwm2m_tlv *t)
{
	if (!t)
		return;
	free(t->inst);
	free(t->res_pool);
	free(t->ri_pool);
	memset(t, 0, sizeof(*t));
}

static void *alloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

int ub_lwm2m_tlv_decode(const uint8_t *b, size_t n, size_t base, size_t *budget,
			struct ub_lwm2m_tlv *out, struct ub_status *st)
{
	struct dec d = {.b = b, .base = base, .budget = budget, .st = st};
	size_t ninst, nres, nri;
	uint8_t *seen;
	int rc;

	memset(out, 0, sizeof(*out));
	seen = calloc(3, 8192);
	if (!seen)
		return UB_E_NOMEM;
	d.seen[0] = seen;
	d.seen[1] = seen + 8192;
	d.seen[2] = seen + 16384;
	rc = walk(&d, n);
	free(seen);
	if (rc)
		return rc;
	ninst = d.ninst;
	nres = d.nres;
	nri = d.nri;
	out->inst = alloc(ninst, sizeof(*out->inst));
	out->res_pool = alloc(nres, sizeof(*out->res_pool));
	out->ri_pool = alloc(nri, sizeof(*out->ri_pool));
	if (!out->inst || !out->res_pool || !out->ri_pool) {
		ub_lwm2m_tlv_free(out);
		return UB_E_NOMEM;
	}
	d.fill = true;
	d.t = out;
	d.ninst = d.nres = d.nri = 0;
	rc = walk(&d, n); /* the same bytes again: cannot fail */
	if (rc || d.ninst != ninst || d.nres != nres || d.nri != nri) {
		ub_lwm2m_tlv_free(out);
		return UB_E_INTERNAL;
	}
	out->ninst = ninst;
	return 0;
}

/* --- encoding ------------------------------------------------------------ */

static size_t hdr_len(uint16_t id, size_t len)
{
	return 1 + (id > 0xFF ? 2 : 1) + (len <= 7 ? 0 : len <= 0xFF ? 1 : len <= 0xFFFF ? 2 : 3);
}

static size_t put_hdr(uint8_t *o, unsigned type, uint16_t id, size_t len)
{
	size_t n = 1, lt = len <= 7 ? 0 : len <= 0xFF ? 1 : len <= 0xFFFF ? 2 : 3, i;

	o[0] = (uint8_t)(type << 6 | (id > 0xFF ? 0x20 : 0) | lt << 3 | (lt ? 0 : len));
	if (id > 0xFF)
		o[n++] = (uint8_t)(id >> 8);
	o[n++] = (uint8_t)id;
	for (i = lt; i > 0; i--)
		o[n++] = (uint8_t)(len >> (8 * (i - 1)));
	return n;
}

struct enc {
	uint16_t obj;
	ub_lwm2m_keep_fn keep;
	void *arg;
	uint8_t *out;
	size_t max, n;
	bool too_big;
};

static void emit(struct enc *e, unsigned type, uint16_t id, size_t len, const uint8_t *v)
{
	uint8_t h[6];
	size_t hl;

	if (len > UB_LWM2M_TLV_MAX_VALUE) {
		e->too_big = true;
		return;
	}
	hl = put_hdr(h, type, id, len);
	if (e->out && e->n + hl <= e->max)
		memcpy(e->out + e->n, h, hl);
	e->n += hl;
	if (v) {
		if (e->out && len && e->n + len <= e->max)
			memcpy(e->out + e->n, v, len);
		e->n += len;
	}
}

static size_t multi_len(const struct ub_lwm2m_res *r)
{
	size_t n = 0, i;

	for (i = 0; i < r->nri; i++)
		n += hdr_len(r->ri[i].id, r->ri[i].len) + r->ri[i].len;
	return n;
}

static size_t res_len(const struct ub_lwm2m_res *r)
{
	size_t l = r->multiple ? multi_len(r) : r->len;

	return hdr_len(r->id, l) + l;
}

static bool kept(struct enc *e, const struct ub_lwm2m_res *r)
{
	return !e->keep || e->keep(e->obj, r->id, e->arg);
}

static void emit_inst(struct enc *e, const struct ub_lwm2m_inst *in)
{
	size_t len = 0, i, j;

	for (i = 0; i < in->nres; i++)
		if (kept(e, &in->res[i]))
			len += res_len(&in->res[i]);
	emit(e, T_OBJ_INST, in->id, len, NULL);
	for (i = 0; i < in->nres; i++) {
		const struct ub_lwm2m_res *r = &in->res[i];

		if (!kept(e, r))
			continue;
		if (!r->multiple) {
			emit(e, T_RES, r->id, r->len, r->v);
			continue;
		}
		emit(e, T_MULTI, r->id, multi_len(r), NULL);
		for (j = 0; j < r->nri; j++)
			emit(e, T_RES_INST, r->ri[j].id, r->ri[j].len, r->ri[j].v);
	}
}

int ub_lwm2m_tlv_encode(uint16_t obj, const struct ub_lwm2m_inst *inst, size_t ninst,
			ub_lwm2m_keep_fn keep, void *arg, uint8_t *out, size_t max)
{
	struct enc e = {.obj = obj, .keep = keep, .arg = arg, .out = out, .max = max};
	size_t i;

	for (i = 0; i < ninst && e.n <= 0x7FFFFFFF; i++)
		emit_inst(&e, &inst[i]);
	if (e.too_big || e.n > 0x7FFFFFFF || (out && e.n > max))
		return UB_E_USAGE;
	return (int)e.n;
}

/* --- values (Core Appendix C) ------------------------------------------------ */

static bool int_len(size_t n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

int ub_lwm2m_uint(const uint8_t *v, size_t n, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!int_len(n))
		return UB_E_BAD_DATA;
	for (i = 0; i < n; i++)
		x = x << 8 | v[i];
	*out = x;
	return 0;
}

int ub_lwm2m_int(const uint8_t *v, size_t n, int64_t *out)
{
	uint64_t x;

	if (ub_lwm2m_uint(v, n, &x))
		return UB_E_BAD_DATA;
	if (n < 8 && (v[0] & 0x80))
		x |= ~(uint64_t)0 << (8 * n); /* sign extension */
	memcpy(out, &x, sizeof(x));	      /* two's complement, as int64_t is */
	return 0;
}

int ub_lwm2m_float(const uint8_t *v, size_t n, double *out)
{
	uint64_t x;
	uint32_t x32;
	float f;

	if ((n != 4 && n != 8) || ub_lwm2m_uint(v, n, &x))
		return UB_E_BAD_DATA;
	if (n == 8) {
		memcpy(out, &x, sizeof(*out));
	} else {
		x32 = (uint32_t)x;
		memcpy(&f, &x32, sizeof(f));
		*out = f;
	}
	return 0;
}

int ub_lwm2m_bool(const uint8_t *v, size_t n, bool *out)
{
	if (n != 1 || v[0] > 1)
		return UB_E_BAD_DATA;
	*out = v[0] == 1;
	return 0;
}

int ub_lwm2m_objlnk(const uint8_t *v, size_t n, uint16_t *obj, uint16_t *inst)
{
	if (n != 4)
		return UB_E_BAD_DATA;
	*obj = (uint16_t)(v[0] << 8 | v[1]);
	*inst = (uint16_t)(v[2] << 8 | v[3]);
	return 0;
}

int ub_lwm2m_string(const uint8_t *v, size_t n)
{
	size_t i = 0, k, need;
	uint32_t cp, min;

	while (i < n) {
		uint8_t c = v[i];

		if (!c)
			return UB_E_BAD_DATA;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return UB_E_BAD_DATA;
		}
		if (n - i - 1 < need)
			return UB_E_BAD_DATA;
		for (k = 1; k <= need; k++) {
			if ((v[i + k] & 0xC0) != 0x80)
				return UB_E_BAD_DATA;
			cp = cp << 6 | (v[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return UB_E_BAD_DATA;
		i += need + 1;
	}
	return 0;
}

size_t ub_lwm2m_put_uint(uint64_t v, uint8_t out[8])
{
	size_t n = v <= 0xFF ? 1 : v <= 0xFFFF ? 2 : v <= 0xFFFFFFFFu ? 4 : 8, i;

	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return n;
}

size_t ub_lwm2m_put_int(int64_t v, uint8_t out[8])
{
	uint64_t u;
	size_t n = (v >= -128 && v <= 127)		? 1
		   : (v >= -32768 && v <= 32767)	? 2
		   : (v >= INT32_MIN && v <= INT32_MAX) ? 4
							: 8,
	       i;

	memcpy(&u, &v, sizeof(u));
	for (i = 0; i < n; i++)
		out[i] = (uint8_t)(u >> (8 * (n - 1 - i)));
	return n;
}
