/* The plan of a card's EF LwM2M_Bootstrap (ub_lwm2m_map.h): every Object
 * Instance as nodes under ./LwM2M, its leaves made by lwm2m_leaf.c. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_build.h"
#include "ub_account.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_status.h"
#include "ub_lwm2m_map.h"

static int join(char *out, size_t max, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int join(char *out, size_t max, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, max, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= max ? UB_E_BAD_DATA : 0;
}

static int add_leaf(struct build *b, const char *uri, uint16_t obj, uint16_t res, const uint8_t *v,
		    size_t n)
{
	struct ub_lwm2m_leaf l;
	int err = ub_lwm2m_leaf_make(obj, res, v, n, &l);

	if (err == UB_E_BAD_DATA)
		return pb_fail(b, "a value that is not of its resource's type", uri);
	if (!err)
		err = pb_add(b, uri, l.format, l.type, l.value, NULL);
	ub_lwm2m_leaf_wipe(&l);
	return err;
}

static int add_instance(struct build *b, const struct ub_lwm2m_obj *o,
			const struct ub_lwm2m_inst *in)
{
	char uri[96], urn[64];
	size_t j, k;
	int err;

	ub_lwm2m_urn(o->id, o->explicit_version, o->major, o->minor, urn, sizeof(urn));
	join(uri, sizeof(uri), "%s/%u/%u", UB_LWM2M_TREE, o->id, in->id);
	if ((err = pb_add(b, uri, "node", urn, NULL, NULL)))
		return err;
	for (j = 0; j < in->nres && !err; j++) {
		const struct ub_lwm2m_res *r = &in->res[j];

		join(uri, sizeof(uri), "%s/%u/%u/%u", UB_LWM2M_TREE, o->id, in->id, r->id);
		if (!r->multiple) {
			err = add_leaf(b, uri, o->id, r->id, r->v, r->len);
			continue;
		}
		err = pb_add(b, uri, "node", NULL, NULL, NULL);
		for (k = 0; k < r->nri && !err; k++) {
			join(uri, sizeof(uri), "%s/%u/%u/%u/%u", UB_LWM2M_TREE, o->id, in->id,
			     r->id, r->ri[k].id);
			err = add_leaf(b, uri, o->id, r->id, r->ri[k].v, r->ri[k].len);
		}
	}
	return err;
}

int ub_plan_from_lwm2m(const struct ub_lwm2m_boot *bt, struct ub_plan *plan, struct ub_status *st)
{
	struct build b = {.plan = plan, .st = st};
	size_t i, j;
	int err = 0;

	memset(plan, 0, sizeof(*plan));
	plan->kind = UB_PLAN_LWM2M;
	for (i = 0; i < bt->nobj && !err; i++)
		for (j = 0; j < bt->obj[i].tlv.ninst && !err; j++)
			err = add_instance(&b, &bt->obj[i], &bt->obj[i].tlv.inst[j]);
	if (!err && plan->nnodes)
		err = ub_plan_model(plan, UB_MODEL_BOOTSTRAP, st);
	if (err) {
		ub_plan_free(plan);
		plan->kind = UB_PLAN_LWM2M;
	}
	return ub_status_err(st, err);
}
