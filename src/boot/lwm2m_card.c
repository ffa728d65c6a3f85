/* The card's LwM2M bootstrap made a plan (ub_lwm2m_card.h). */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "ub_digest.h"
#include "ub_error.h"
#include "ub_lwm2m.h"
#include "ub_decoders.h"
#include "ub_lwm2m_card.h"
#include "ub_lwm2m_map.h"

static int uri_allowed(const struct ub_policy *pol, uint16_t inst, const char *what,
		       const uint8_t *v, size_t n, struct ub_status *st)
{
	if (ub_policy_lwm2m_server_allowed(pol, v, n))
		return 0;
	return ub_fail(st, UB_E_POLICY, 0, "[lwm2m] servers",
		       "/0/%u: the %s %.*s is not one of [lwm2m] servers", inst, what,
		       (int)(n > 200 ? 200 : n), (const char *)v);
}

/* [lwm2m] servers: every server a Security Instance names.  The
 * Bootstrap-Server's too: it configures the client's servers later, so an
 * unlisted one would get round the list. */
static int servers_allowed(const struct ub_policy *pol, const struct ub_lwm2m_boot *b,
			   struct ub_status *st)
{
	const struct ub_lwm2m_obj *o = ub_lwm2m_obj_find(b, 0);
	const struct ub_lwm2m_res *r;
	size_t i, k;
	int err = 0;

	for (i = 0; o && i < o->tlv.ninst && !err; i++) {
		const struct ub_lwm2m_inst *in = &o->tlv.inst[i];

		if ((r = ub_lwm2m_res_find(in, 0)) && !r->multiple)
			err = uri_allowed(pol, in->id, "LwM2M Server URI", r->v, r->len, st);
		if (!err && (r = ub_lwm2m_res_find(in, 25)) && r->multiple)
			for (k = 0; k < r->nri && !err; k++)
				err = uri_allowed(pol, in->id, "Secondary LwM2M Server URI",
						  r->ri[k].v, r->ri[k].len, st);
	}
	return err;
}

/* The card's file refused: its name in front of where. */
static int refuse(struct ub_status *st, int err)
{
	ub_status_at(st, "EF LwM2M_Bootstrap");
	return err;
}

int ub_lwm2m_card_plan(const struct ub_policy *pol, struct ub_uicc *u, const struct ub_cardboot *d,
		       struct ub_plan *plan, uint8_t digest[32], struct ub_status *st)
{
	struct ub_lwm2m_boot b = {0};
	uint8_t *buf;
	int n, err;

	memset(plan, 0, sizeof(*plan));
	plan->kind = UB_PLAN_LWM2M;
	if (!pol->lwm2m_enabled)
		return ub_fail(st, UB_E_POLICY, 0, "[lwm2m] enabled",
			       "LwM2M bootstrap from the card is disabled by policy");
	if (!ub_cardboot_lwm2m_entry(d))
		return UB_E_NOT_FOUND; /* an answer: st untouched */
	/* on the heap, one per call: readers are bootstrapped in parallel */
	if (!(buf = malloc(UB_LWM2M_FILE_MAX)))
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	n = ub_cardboot_read_lwm2m(u, d, buf, UB_LWM2M_FILE_MAX, st);
	if (n == UB_E_NOT_FOUND)
		err = ub_fail(
			st, UB_E_BAD_DATA, st ? st->sw : 0, st ? st->where : NULL,
			"the EF LwM2M_Bootstrap the card's PKCS#15 directory names is missing");
	else if (n < 0)
		err = n;
	else if (ub_sha256(buf, (size_t)n, digest))
		err = ub_fail(st, UB_E_INTERNAL, 0, "SHA-256", NULL);
	else if ((err = ub_lwm2m_boot_decode(buf, (size_t)n, NULL, &b, st)))
		err = err == UB_E_NOT_FOUND ? UB_E_NOT_FOUND : refuse(st, err);
	else if ((err = ub_lwm2m_check(&b, st)))
		err = refuse(st, err);
	else if (!(err = servers_allowed(pol, &b, st)) && (err = ub_plan_from_lwm2m(&b, plan, st)))
		err = refuse(st, err);
	if (!err && !plan->nnodes)
		err = UB_E_NOT_FOUND; /* Objects without Instances: nothing to write */
	ub_lwm2m_boot_free(&b);
	if (n > 0)
		OPENSSL_cleanse(buf, (size_t)n);
	free(buf);
	if (err)
		ub_plan_free(plan);
	plan->kind = UB_PLAN_LWM2M;
	return err;
}
