/* A pushed bootstrap (boot.h): the Content-Type parsed (text, the WSP
 * header value, or a whole WSP push PDU), the message verified
 * (verify.c), then applied in one transaction as source "push".  One path
 * for push, push --wsp and sms receive (sms.c): ub_push_run. */
#include <errno.h>
#include <openssl/crypto.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ub_intake.h"
#include "ub_push.h"
#include "ub_session.h"
#include "ub_workflow.h"
#include "ub_wsp.h"

/* The SEC types whose key needs the card: the IMSI or a GBA key. */
static bool needs_card(enum ub_sec sec)
{
	return sec & (UB_SEC_NETWORKID | UB_SEC_USERPIN_NETWORKID | UB_SEC_USERNETWPIN |
		      UB_SEC_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID_GBA);
}

static enum ub_outcome refusal(int err)
{
	return err == UB_E_POLICY || err == UB_E_MAC || err == UB_E_BAD_DATA ||
			       err == UB_E_NOT_SUPPORTED
		       ? UB_OUT_REJECTED
		       : UB_OUT_FAILED;
}

/* The tree of cfg for the push's memory (replays, the NAF rate): opened,
 * or NULL on a dry run when there is none (nothing was applied yet, and a
 * dry run creates no tree). */
static int memory_open(const struct ub_boot_config *cfg, struct ub_tree **t, struct ub_status *st)
{
	int err;

	*t = NULL;
	err = ub_wf_tree_open(cfg, cfg->dry_run ? UB_TREE_WRITE : UB_TREE_CREATE, t, st);
	if (err == UB_E_NO_INPUT && cfg->dry_run) {
		*st = (struct ub_status){0};
		return 0;
	}
	return err;
}

int ub_push_run(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		struct ub_push_req *req, struct ub_boot_result *r)
{
	struct ub_session s;
	struct ub_tree *t = NULL, *lent = req->memory;
	uint8_t digest[32];
	bool card = false, remember = !req->secure_transport, repeat, counted = false;
	char why[sizeof(r->status.what)];
	int err;

	memset(&s, 0, sizeof(s));
	r->sec = req->ct.sec ? ub_sec_name_for(req->ct.sec, req->ct.kind) : NULL;
	/* the policy before anything else: a push it refuses touches no card */
	if ((err = ub_push_precheck(pol, req, &r->status))) {
		r->outcome = refusal(err);
		return err;
	}
	/* the tree remembers pushes: a push over the air by what its MAC
	 * covers (one applied before is refused before any card or key is
	 * asked), and the GBA keys that pushes made the card derive */
	if ((err = ub_push_digest(&req->ct, req->body, req->len, digest)) ||
	    (!lent && (err = memory_open(cfg, &t, &r->status)))) {
		r->outcome = UB_OUT_FAILED;
		return err;
	}
	if (lent)
		t = lent;
	if (remember && t && (err = ub_intake_fresh(t, digest, &repeat, why, sizeof(why)))) {
		if (err == UB_E_POLICY)
			ub_fail(&r->status, err, 0, "replay memory", "%s", why);
		else
			ub_fail(&r->status, err, 0, "replay memory", "device tree: %s",
				ub_strerror(err));
		r->outcome = refusal(err);
		goto end;
	}
	/* a PIN kept for pushes that arrive meets at most so many wrong MACs */
	if (req->pin_budget && t && req->user_pin && ub_sec_needs_user_pin(req->ct.sec)) {
		unsigned failures;

		err = ub_intake_pin_spent(t, pol->sms.user_pin_failures, &failures);
		if (err == UB_E_POLICY)
			ub_fail(&r->status, err, 0, "[sms] user_pin_failures",
				"the stored user PIN is not used: %u wrong PINs met with it; the "
				"user "
				"resets the count (uiccboot sms pending --reset-pin-budget)",
				failures);
		else if (err)
			ub_fail(&r->status, err, 0, "[sms] user_pin_failures", "device tree: %s",
				ub_strerror(err));
		if (err) {
			r->outcome = refusal(err);
			goto end;
		}
		counted = true;
	}
	req->memory = t;
	if (needs_card(req->ct.sec)) {
		err = ub_session_open(&s, cfg,
				      cfg->pin	     ? cfg->pin
				      : pol->pin1[0] ? pol->pin1
						     : NULL,
				      &r->status);
		if (err) {
			r->outcome = UB_OUT_FAILED;
			goto end;
		}
		card = true;
		snprintf(r->reader, sizeof(r->reader), "%s", s.card.reader);
	}
	err = ub_push_verify(pol, card ? &s.uicc : NULL, req, &r->plan, &r->status);
	if (err) {
		r->outcome = refusal(err);
		goto end;
	}
	{
		struct ub_apply_opts o = {.source = ub_source_name(UB_SRC_PUSH)};

		if (req->naf_fqdn[0])
			o.naf_host = req->naf_fqdn; /* a GBA-keyed push replaces only its NAF's */
		o.push_digest = remember ? digest : NULL;
		err = ub_wf_apply(cfg, pol, &r->plan, &o, r);
		if (!cfg->dry_run)
			ub_plan_free(&r->plan);
	}
end:
	/* a MAC that does not verify with the kept PIN is a wrong PIN */
	if (counted && err == UB_E_MAC && ub_intake_pin_count(t, 1, (long long)time(NULL))) {
		err = ub_fail(&r->status, UB_E_IO, 0, "[sms] user_pin_failures",
			      "device tree: the wrong PIN could not be counted");
		r->outcome = UB_OUT_FAILED;
	}
	req->memory = lent;
	if (t != lent)
		ub_tree_close(t);
	if (card) {
		r->apdus = ub_session_apdus(&s);
		ub_session_close(&s);
	}
	return err;
}

int ub_push_req_from_wsp(const struct ub_wsp_push *p, struct ub_push_req *req, struct ub_status *st)
{
	enum ub_wsp_kind k = ub_wsp_classify(p);

	memset(req, 0, sizeof(*req));
	/* a bootstrap media type for another application, or no bootstrap
	 * at all (a DM notification, SI, SL, MMS, GBA Push Info, ...) */
	if (k != UB_WSP_DM_BOOTSTRAP && k != UB_WSP_CP_BOOTSTRAP)
		return ub_fail(st, UB_E_NOT_SUPPORTED, 0, "WSP push",
			       "not a bootstrap: %s (%s%s%s)", ub_wsp_kind_name(k), p->ct.media,
			       p->has_app_id ? " for " : "", p->has_app_id ? p->app_uri : "");
	if (ub_ctype_from_wsp(&p->ct, &req->ct))
		return ub_fail(st, UB_E_BAD_DATA, 0, "Content-Type",
			       "SEC '%s' is no SEC type we know", p->ct.sec);
	req->body = p->body;
	req->len = p->body_len;
	return 0;
}

/* msg's Content-Type and body into req. */
static int push_req(const struct ub_push_msg *m, struct ub_push_req *req, struct ub_status *st)
{
	struct ub_wsp_push p;
	char why[300];
	int err;

	memset(req, 0, sizeof(*req));
	if (m->wsp_pdu) {
		err = ub_wsp_push_decode(m->wsp_pdu, m->wsp_pdu_len, &p, why, sizeof(why));
		if (err)
			return ub_fail(st, err, 0, "WSP push", "%s", why);
		if ((err = ub_push_req_from_wsp(&p, req, st)))
			return err;
		/* what a push agent hands over came over the air: insecure, and
		 * a PIN given with it is one kept for what arrives */
		req->user_pin = m->user_pin;
		req->pin_budget = true;
		return 0;
	}
	req->body = m->body;
	req->len = m->len;
	req->secure_transport = m->secure_transport;
	req->user_pin = m->user_pin;
	if (m->content_type)
		err = ub_ctype_parse(m->content_type, &req->ct);
	else
		err = ub_ctype_parse_wsp(m->wsp_ctype, m->wsp_ctype_len, &req->ct);
	if (err)
		return ub_fail(st, UB_E_BAD_DATA, 0, "Content-Type", "malformed Content-Type");
	return 0;
}

int ub_boot_push(const struct ub_boot_config *cfg, const struct ub_push_msg *m,
		 struct ub_boot_result *r)
{
	struct ub_policy defaults;
	const struct ub_policy *pol = ub_wf_policy(cfg, &defaults);
	struct ub_push_req req;
	int err;

	ub_boot_result_free(r);
	if (!pol->push_enabled) { /* whatever the message is */
		err = ub_fail(&r->status, UB_E_POLICY, 0, "[push] enabled",
			      "push bootstrap is disabled by policy");
		r->outcome = UB_OUT_REJECTED;
		OPENSSL_cleanse(&defaults, sizeof(defaults));
		return err;
	}
	err = push_req(m, &req, &r->status);
	if (err)
		r->outcome = refusal(err);
	else
		err = ub_push_run(cfg, pol, &req, r);
	OPENSSL_cleanse(&req, sizeof(req));
	OPENSSL_cleanse(&defaults, sizeof(defaults));
	return err;
}
