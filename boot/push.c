/* A pushed bootstrap (boot.h): the Content-Type parsed, the message
 * verified (verify.c), then applied in one transaction as source "push". */
#include <openssl/crypto.h>
#include <string.h>

#include "ub_push.h"
#include "ub_session.h"
#include "ub_workflow.h"

/* The SEC types whose key needs the card: the IMSI or a GBA key. */
static bool needs_card(enum ub_sec sec)
{
	return sec & (UB_SEC_NETWORKID | UB_SEC_USERPIN_NETWORKID | UB_SEC_USERNETWPIN |
		      UB_SEC_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID_GBA);
}

int ub_boot_push(const struct ub_boot_config *cfg, const struct ub_push_msg *m,
		 struct ub_boot_result *r)
{
	struct ub_policy defaults;
	const struct ub_policy *pol = ub_wf_policy(cfg, &defaults);
	struct ub_push_req req;
	struct ub_session s;
	bool card = false;
	int err;

	ub_boot_result_free(r);
	memset(&req, 0, sizeof(req));
	memset(&s, 0, sizeof(s));
	req.body = m->body;
	req.len = m->len;
	req.secure_transport = m->secure_transport;
	req.user_pin = m->user_pin;
	if (m->content_type)
		err = ub_ctype_parse(m->content_type, &req.ct);
	else
		err = ub_ctype_parse_wsp(m->wsp_ctype, m->wsp_ctype_len, &req.ct);
	if (err) {
		r->outcome = UB_OUT_REJECTED;
		err = ub_fail(&r->status, UB_E_BAD_DATA, 0, "Content-Type",
			      "malformed Content-Type");
		goto end;
	}
	r->sec = req.ct.sec ? ub_sec_name_for(req.ct.sec, req.ct.kind) : NULL;
	if (needs_card(req.ct.sec)) {
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
	err = ub_push_verify(pol, card ? &s.uicc : NULL, &req, &r->plan, &r->status);
	if (err) {
		r->outcome = err == UB_E_POLICY || err == UB_E_MAC || err == UB_E_BAD_DATA ||
					     err == UB_E_NOT_SUPPORTED
				     ? UB_OUT_REJECTED
				     : UB_OUT_FAILED;
		goto end;
	}
	{
		struct ub_apply_opts o = {.source = UB_SOURCE_PUSH};

		if (req.naf_fqdn[0])
			o.naf_host = req.naf_fqdn; /* a GBA-keyed push replaces only its NAF's */
		o.pushed_only = pol->replace_card_accounts == UB_REPLACE_NO ||
				(pol->replace_card_accounts == UB_REPLACE_GBA && !o.naf_host);
		err = ub_wf_apply(cfg, pol, &r->plan, &o, r);
		if (!cfg->dry_run)
			ub_plan_free(&r->plan);
	}
end:
	if (card) {
		r->apdus = ub_session_apdus(&s);
		ub_session_close(&s);
	}
	OPENSSL_cleanse(&req, sizeof(req));
	OPENSSL_cleanse(&defaults, sizeof(defaults));
	return err;
}
