/* libFuzzer target for src/lwm2m/: EF LwM2M_Bootstrap and its TLV.  Oracles:
 * a file that decodes encodes again and decodes to the same Objects; each
 * Object's TLV does the same through ub_lwm2m_tlv_decode; the SenML JSON
 * of a file is strict JSON in valid UTF-8 (and exists when the meaning
 * check passed); without secrets it holds no more records than with.  A
 * file that passes the check becomes a plan for the tree (refused only
 * for an OSCORE Instance that several servers use), and every leaf of it
 * gives back the bytes of its resource (ub_lwm2m_map.h). */
#include <stdlib.h>
#include <string.h>

#include "dm_names.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_lwm2m.h"
#include "ub_lwm2m_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_insts(const struct ub_lwm2m_inst *a, const struct ub_lwm2m_inst *b, size_t n)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (a[i].id != b[i].id || a[i].nres != b[i].nres)
			return false;
		for (j = 0; j < a[i].nres; j++) {
			const struct ub_lwm2m_res *x = &a[i].res[j], *y = &b[i].res[j];

			if (x->id != y->id || x->multiple != y->multiple || x->nri != y->nri ||
			    x->len != y->len || (x->len && memcmp(x->v, y->v, x->len)))
				return false;
			for (k = 0; k < x->nri; k++)
				if (x->ri[k].id != y->ri[k].id || x->ri[k].len != y->ri[k].len ||
				    (x->ri[k].len && memcmp(x->ri[k].v, y->ri[k].v, x->ri[k].len)))
					return false;
		}
	}
	return true;
}

static bool same(const struct ub_lwm2m_boot *a, const struct ub_lwm2m_boot *b)
{
	size_t i;

	if (a->nobj != b->nobj)
		return false;
	for (i = 0; i < a->nobj; i++) {
		const struct ub_lwm2m_obj *x = &a->obj[i], *y = &b->obj[i];

		if (x->id != y->id || x->explicit_version != y->explicit_version ||
		    x->major != y->major || x->minor != y->minor || x->tlv.ninst != y->tlv.ninst ||
		    !same_insts(x->tlv.inst, y->tlv.inst, x->tlv.ninst))
			return false;
	}
	return true;
}

static void tlv_round_trip(const struct ub_lwm2m_obj *o)
{
	struct ub_lwm2m_tlv t;
	size_t budget = UB_LWM2M_RECORDS_MAX;
	int n = ub_lwm2m_tlv_obj(o, UB_LWM2M_SECRETS, NULL, 0);
	uint8_t *out;

	if (n < 0 || !(out = malloc((size_t)n + 1)))
		__builtin_trap();
	if (ub_lwm2m_tlv_obj(o, UB_LWM2M_SECRETS, out, (size_t)n) != n ||
	    ub_lwm2m_tlv_decode(out, (size_t)n, 0, &budget, &t, NULL) || t.ninst != o->tlv.ninst ||
	    !same_insts(t.inst, o->tlv.inst, t.ninst))
		__builtin_trap();
	ub_lwm2m_tlv_free(&t);
	free(out);
}

/* Records of the SenML array; <0 when none could be made. */
static int senml_records(const struct ub_lwm2m_boot *b, unsigned flags, bool must)
{
	json_tokener *tok;
	json_object *arr, *back;
	const char *s;
	int n;

	if (ub_lwm2m_senml(b, flags, &arr)) {
		if (must)
			__builtin_trap();
		return -1;
	}
	s = json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN);
	tok = json_tokener_new();
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	back = json_tokener_parse_ex(tok, s, (int)strlen(s));
	if (!back || json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(back, json_type_array))
		__builtin_trap();
	n = (int)json_object_array_length(back);
	json_object_put(back);
	json_tokener_free(tok);
	json_object_put(arr);
	return n;
}

/* The bytes of the resource a plan leaf stands for. */
static const uint8_t *res_bytes(const struct ub_lwm2m_boot *b, const struct ub_lwm2m_path *p,
				size_t *len)
{
	const struct ub_lwm2m_obj *o = ub_lwm2m_obj_find(b, p->obj);
	const struct ub_lwm2m_res *r = NULL;
	size_t i, k;

	for (i = 0; o && i < o->tlv.ninst && !r; i++)
		if (o->tlv.inst[i].id == p->inst)
			r = ub_lwm2m_res_find(&o->tlv.inst[i], p->res);
	if (!r || r->multiple != (p->depth == 4))
		__builtin_trap();
	if (!r->multiple) {
		*len = r->len;
		return r->v;
	}
	for (k = 0; k < r->nri; k++)
		if (r->ri[k].id == p->ri) {
			*len = r->ri[k].len;
			return r->ri[k].v;
		}
	__builtin_trap();
}

static void tree_round_trip(const struct ub_lwm2m_boot *b)
{
	struct ub_lwm2m_path p;
	struct ub_plan plan;
	struct ub_status why = {0};
	const uint8_t *v;
	uint8_t *out;
	size_t i, len, max;
	int n;

	if (ub_plan_from_lwm2m(b, &plan, &why)) {
		if (!strstr(why.what, "several servers"))
			__builtin_trap();
		return;
	}
	for (i = 0; i < plan.nnodes; i++) {
		const struct ub_plan_node *nd = &plan.nodes[i];

		if (ub_lwm2m_uri_parse(nd->uri, &p) || p.depth < 2 || nd->mo < 0)
			__builtin_trap();
		if (!strcmp(nd->format, "node"))
			continue;
		v = res_bytes(b, &p, &len);
		max = strlen(nd->value) + 8;
		if (!(out = malloc(max)))
			__builtin_trap();
		n = ub_lwm2m_leaf_bytes(p.obj, p.res, nd->format, nd->type, nd->value, out, max,
					NULL);
		if (n < 0 || (size_t)n != len || (len && memcmp(out, v, len)))
			__builtin_trap();
		free(out);
	}
	ub_plan_free(&plan);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_lwm2m_opts op;
	struct ub_lwm2m_boot b, b2;
	uint8_t *out;
	size_t i;
	int n, all, pub;
	bool ok;

	if (ub_lwm2m_boot_decode(data, size, NULL, &b, NULL))
		return 0;
	n = ub_lwm2m_boot_encode(&b, NULL, 0);
	if (n < 4 || (size_t)n > size || !(out = malloc((size_t)n)))
		__builtin_trap(); /* the shortest forms never need more room */
	ub_lwm2m_opts_default(&op);
	op.padding = UB_LWM2M_PAD_NONE;
	if (ub_lwm2m_boot_encode(&b, out, (size_t)n) != n ||
	    ub_lwm2m_boot_decode(out, (size_t)n, &op, &b2, NULL) || !same(&b, &b2))
		__builtin_trap();
	ub_lwm2m_boot_free(&b2);
	free(out);
	for (i = 0; i < b.nobj; i++)
		tlv_round_trip(&b.obj[i]);
	ok = !ub_lwm2m_check(&b, NULL);
	if (ok)
		tree_round_trip(&b);
	all = senml_records(&b, UB_LWM2M_SECRETS, ok);
	pub = senml_records(&b, 0, ok);
	if (ok && pub > all)
		__builtin_trap();
	ub_lwm2m_boot_free(&b);
	return 0;
}
