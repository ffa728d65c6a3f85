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
 * reason says why), UB_E_IO, UB_E_NOMEM; on error nothing is written.
 * res: zeroed, or the result of an earlier call (whose lists are freed);
 * ub_apply_result_free() it afterwards, whatever the outcome. */
int ub_tree_apply(struct ub_tree *t, const struct ub_plan *plan, const struct ub_policy *pol,
		  const struct ub_apply_opts *o, struct ub_apply_result *res, char *reason,
		  size_t rlen);
/* The owner's way to take away what a source wrote (`tree forget`): every
 * node of source, and for a card (iccid:<ICCID>) of all its sources, and
 * their digests, in one transaction; res->removed lists the roots.
 * UB_E_NOT_FOUND: the tree holds nothing of it; UB_E_BAD_DATA: removing
 * it would orphan another source's nodes (reason names one). */
int ub_tree_forget(struct ub_tree *t, const char *source, struct ub_apply_result *res, char *reason,
		   size_t rlen);
/* May the leaf at uri, owned by owner (NULL: the device), hold value, a
 * reference in canonical form (ub_dm_is_reference, ub_uri_canon)?  The
 * rule of apply, for a server's Replace: its own connectivity MOs or the
 * device's, the device's only the device's, and none of the device's
 * that leads to a server's.  0, or UB_E_POLICY (why says which), UB_E_IO,
 * UB_E_NOMEM. */
int ub_apply_reference_ok(struct ub_tree *t, const char *owner, const char *uri, const char *value,
			  char *why, size_t wlen);
/* A write transaction could not begin (err): its reason, another
 * writer's lock (ub_store_busy) or err's message, into reason; err. */
int ub_apply_begin_failed(struct ub_tree *t, int err, char *reason, size_t rlen);
/* Add an account to res->accounts: 0 or UB_E_NOMEM. */
int ub_apply_result_account(struct ub_apply_result *res, const char *uri);

struct ub_factory;
/* factory apply: fill the credentials of every account that `tree import
 * --source factory` marked, derived for device_id and the account's
 * ServerID, in one transaction; the same again writes nothing
 * (res->unchanged).  UB_E_NOT_FOUND: no such account. */
int ub_tree_factory_apply(struct ub_tree *t, struct ub_factory *f, const char *device_id,
			  struct ub_apply_result *res, char *reason, size_t rlen);

#endif
