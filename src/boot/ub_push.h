/* Verifying a bootstrap message before anything is applied: the transport
 * rule, the policy, the MAC with key material from the card and the user,
 * then the decoded plan and its ServerIDs. */
#ifndef UB_PUSH_H
#define UB_PUSH_H

#include "ub_bootsec.h"
#include "ub_cardboot.h"
#include "ub_plan.h"
#include "ub_policy.h"
#include "ub_uicc.h"

struct ub_push_req {
	const uint8_t *body;
	size_t len;
	struct ub_ctype ct;
	bool secure_transport;	/* the card, or a transport that protects */
	const char *user_pin;	/* the user's PIN, for the USERPIN forms */
	char naf_fqdn[256];	/* out, GBA SEC types: the NAF whose key verified the
				   MAC (for ub_apply_opts.naf_host) */
	bool pin_budget;	/* user_pin is kept for pushes as they arrive (a push
				   agent's PDU): it meets at most [sms]
				   user_pin_failures wrong MACs, device-wide */
	struct ub_tree *memory; /* the tree that remembers pushes (replays, GBA key
				   derivations per NAF): the caller's open handle,
				   or NULL and ub_push_run opens cfg's (none on a
				   dry run without a tree) */
};

/* The order of the checks: the policy (push enabled, transport rule, SEC
 * allowed, MAC present, the user PIN long enough), then for the SEC types
 * not keyed by GBA the MAC before the document is decoded; then the
 * decoded plan and its accounts (content type, ServerID allow-list); for
 * the GBA types only then the NAF: bound to every account's address host
 * or ServerID (policy naf_binding), and only then is the card asked for
 * its key and the MAC checked.
 * Returns 0 with plan filled (ub_plan_free it), or: UB_E_POLICY (push
 * disabled, SEC not allowed, insecure without MAC, PIN too short, ServerID
 * not allowed, NAF not bound), UB_E_MAC, UB_E_BAD_DATA, UB_E_USAGE (key
 * material missing), or a card error; st says which, and where. */
int ub_push_verify(const struct ub_policy *pol, struct ub_uicc *u, struct ub_push_req *r,
		   struct ub_plan *plan, struct ub_status *st);

/* The checks of ub_push_verify that need no key: push enabled, a
 * bootstrap media type, the transport rule, SEC allowed, a MAC present.
 * Returns 0, UB_E_POLICY or UB_E_BAD_DATA (st says which). */
int ub_push_admit(const struct ub_policy *pol, const struct ub_push_req *r, struct ub_status *st);

/* ub_push_admit, and the user PIN of a SEC type that takes one: given
 * (UB_E_USAGE) and at least [push] user_pin_min long (UB_E_POLICY).  What
 * ub_push_run checks before a card is touched or a key asked for.
 * Returns 0, UB_E_POLICY, UB_E_BAD_DATA, UB_E_USAGE. */
int ub_push_precheck(const struct ub_policy *pol, const struct ub_push_req *r,
		     struct ub_status *st);

/* What a message that waits for the user's PIN must pass before it is
 * kept, and what it would configure, unverified: ub_push_admit, then the
 * checks of the plan that need no key (decoded under the account model,
 * the content type, [servers] allow; for the GBA SEC types the NAF and its
 * binding).  The document is decoded before its MAC is known: what is
 * shown must be marked unverified.  Returns 0 with plan filled
 * (ub_plan_free), or UB_E_POLICY, UB_E_BAD_DATA (st says which). */
int ub_push_unverified(const struct ub_policy *pol, struct ub_push_req *r, struct ub_plan *plan,
		       struct ub_status *st);

/* Does the MAC of this SEC type take the user's PIN? */
bool ub_sec_needs_user_pin(enum ub_sec s);

struct ub_wsp_push;
/* A decoded WSP push as a request: refused unless it is a DM or CP
 * bootstrap for the DM client (ub_wsp_classify); its Content-Type, body
 * (pointing into p's buffer) and an insecure transport.  Returns 0,
 * UB_E_NOT_SUPPORTED (not a bootstrap: st names its kind), UB_E_BAD_DATA. */
int ub_push_req_from_wsp(const struct ub_wsp_push *p, struct ub_push_req *req,
			 struct ub_status *st);

struct ub_boot_config;
struct ub_boot_result;
/* The one path of push, push --wsp and sms receive: ub_push_precheck (no
 * card is touched for a push the policy refuses); a push over an insecure
 * transport refused when the replay memory holds it (UB_E_POLICY: a
 * repeat or a rollback); the card opened when req's SEC type needs its
 * IMSI or a GBA key; ub_push_verify; then (not with cfg->dry_run) the
 * apply as source "push", which remembers the push in its transaction;
 * all in r.  Returns 0 or the error of the rejection or failure
 * (r->status, r->outcome). */
int ub_push_run(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		struct ub_push_req *req, struct ub_boot_result *r);

/* The card's own DM and CP bootstrap objects (a secure transport: no
 * MAC), from the PKCS#15 directory d: every one the DODF lists is read
 * whole (a file of FF holds none) and decoded, and they become one plan,
 * applied together.  Objects that disagree (two accounts for one
 * ServerID, one MO in two of them) are refused together, naming both
 * files; any one that cannot be read or decoded refuses them all.
 * *which: the kinds read ("DM Bootstrap + CP Bootstrap"); digest: the
 * SHA-256 of the object's bytes when there is one, else of the objects'
 * digests in order, so that every object counts in "unchanged".
 * Returns 0, UB_E_NOT_FOUND (the card holds none: no PKCS#15
 * application, no entry, or only erased files), or the error of the
 * failure or refusal (st says which file and what). */
int ub_cardboot_plan(const struct ub_policy *pol, struct ub_uicc *u, const struct ub_cardboot *d,
		     struct ub_plan *plan, const char **which, uint8_t digest[32],
		     struct ub_status *st);

#endif
