/* Applying a verified plan to the device tree: one transaction, all or
 * nothing (R-BOOT 6-8). */
#ifndef UB_APPLY_H
#define UB_APPLY_H

#include "tree.h"
#include "tree_internal.h"
#include "ub_plan.h"
#include "ub_policy.h"

#define UB_APPLY_MAX_ROOTS 32 /* management objects in one bootstrap */
#define UB_APPLY_MAX_LIST 16  /* accounts or removals reported */

struct ub_apply_opts {
	const char *source;	    /* provenance of what is written: "iccid:<ICCID>",
				       "push", "factory", "import" */
	const char *digest;	    /* card: hex SHA-256 of its bootstrap object; the
				       same as recorded for source -> unchanged, no write */
	bool supersede;		    /* what source wrote before gives way (the card's
				       data changed or is gone) */
	bool remove_absent_cards;   /* power-on: what cards (iccid:*) other than source
				       and present[] wrote goes */
	const char *const *present; /* sources of the other cards inserted now */
	int npresent;
};

struct ub_apply_result {
	bool unchanged; /* nothing written */
	char accounts[UB_APPLY_MAX_LIST][UB_TREE_URI_MAX + 1];
	int naccounts;
	struct {
		char from[UB_TREE_URI_MAX + 1], to[UB_TREE_URI_MAX + 1];
	} renamed[UB_APPLY_MAX_ROOTS];
	int nrenamed;
	char removed[UB_APPLY_MAX_LIST][UB_TREE_URI_MAX + 1]; /* MO roots removed */
	int nremoved;
};

/* Apply plan (NULL: removals only) in one transaction.  Accounts: a new
 * name when the plan's is taken by another ServerID; the same ServerID's
 * account replaced or refused per policy.  ConnMOs: an identical one
 * reused, a different one renamed (references in the plan rewritten) or
 * refused per policy.  Nodes of another ServerID are never changed
 * (R-BOOT 8).  Returns 0, UB_E_POLICY or UB_E_BAD_DATA (refused; reason
 * says why), UB_E_IO; on error nothing is written. */
int ub_tree_apply(struct ub_tree *t, const struct ub_plan *plan, const struct ub_policy *pol,
		  const struct ub_apply_opts *o, struct ub_apply_result *res, char *reason,
		  size_t rlen);

struct ub_factory;
/* factory apply (R-FACTORY 2): fill the credentials of every account that
 * `tree import --source factory` marked, derived for device_id and the
 * account's ServerID, in one transaction; the same again writes nothing
 * (res->unchanged).  UB_E_NOT_FOUND: no such account. */
int ub_tree_factory_apply(struct ub_tree *t, struct ub_factory *f, const char *device_id,
			  struct ub_apply_result *res, char *reason, size_t rlen);

#endif
