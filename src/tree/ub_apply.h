/* Applying a verified plan to the device tree: one transaction, all or
 * nothing, under the account model of ub_plan.h. */
#ifndef UB_APPLY_H
#define UB_APPLY_H

#include "tree.h"
#include "tree_internal.h"
#include "ub_plan.h"
#include "ub_policy.h"
#include "ub_source.h"

struct ub_apply_opts {
	const char *source;	    /* provenance of what is written (ub_source.h):
				       "iccid:<ICCID>", "push", "factory", "import" */
	const char *digest;	    /* card: hex SHA-256 of its bootstrap object; the
				       same as recorded for source -> unchanged, no write */
	bool supersede;		    /* what source wrote before gives way (the card's
				       data changed or is gone) */
	bool remove_absent_cards;   /* power-on: what cards (iccid:*) other than source
				       and present[] wrote goes */
	const char *const *present; /* sources of the other cards inserted now */
	int npresent;
	const char *naf_host;	    /* a GBA-keyed push: the NAF whose key signed it.
				       An account it replaces must have been that
				       NAF's too (its addresses hosted there) */
	bool dry_run;		    /* decide and write, then roll back: res says what
				       would be done */
	const uint8_t *push_digest; /* a push over an insecure transport: the digest
				       of what its MAC covers (ub_push_digest).
				       One applied before is refused (UB_E_POLICY:
				       a repeat or a rollback); this one is
				       remembered, in the same transaction, for
				       every ServerID of the plan (src/tree/intake.c) */
};

/* Apply plan (NULL: removals only) in one transaction.  Accounts: a new
 * name when the plan's is taken; the same ServerID's account replaced or
 * refused per policy.  ConnMOs: an identical one of the same owner
 * reused, a different one renamed (references in the plan rewritten) or
 * refused per policy.  Nothing owned by another ServerID is written,
 * renamed or deleted.  Returns 0, UB_E_POLICY or UB_E_BAD_DATA (refused;
 * st says why), UB_E_IO, UB_E_NOMEM; on error nothing is written.
 * res: zeroed, or the result of an earlier call (whose lists are freed);
 * ub_apply_result_free() it afterwards, whatever the outcome. */
int ub_tree_apply(struct ub_tree *t, const struct ub_plan *plan, const struct ub_policy *pol,
		  const struct ub_apply_opts *o, struct ub_apply_result *res, struct ub_status *st);
/* ub_tree_forget_source: <uiccboot/tree.h> (apply.c) */
/* May the leaf at uri, owned by owner (NULL: the device), hold value, a
 * reference in canonical form (ub_dm_is_reference, ub_uri_canon)?  The
 * rule of apply, for a server's Replace: its own connectivity MOs or the
 * device's, the device's only the device's, and none of the device's
 * that leads to a server's.  0, or UB_E_POLICY (st says which), UB_E_IO,
 * UB_E_NOMEM. */
int ub_apply_reference_ok(struct ub_tree *t, const char *owner, const char *uri, const char *value,
			  struct ub_status *st);
/* A write transaction could not begin (err): its reason, another
 * writer's lock (ub_store_busy) or err's message, into st; err. */
int ub_apply_begin_failed(struct ub_tree *t, int err, struct ub_status *st);
/* The end of a writer's transaction: committed when err is 0 and keep
 * (something to keep), else rolled back; a failure st does not already
 * describe (the commit's) said as the device tree's.  Returns err, or the
 * commit's. */
int ub_apply_end(struct ub_tree *t, int err, bool keep, struct ub_status *st);
/* Add an account to res->accounts: 0 or UB_E_NOMEM. */
int ub_apply_result_account(struct ub_apply_result *res, const char *uri);

struct ub_factory;
/* ub_factory_apply: <uiccboot/factory.h> (factory_apply.c) */

#endif
