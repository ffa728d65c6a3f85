/* Applying a verified plan to the device tree: one transaction, all or
 * nothing (R-BOOT 6-8). */
#ifndef UB_APPLY_H
#define UB_APPLY_H

#include "tree.h"
#include "tree_internal.h"
#include "ub_plan.h"
#include "ub_policy.h"

#define UB_APPLY_MAX_ROOTS 32

struct ub_apply_result {
	bool unchanged; /* the tree already held exactly this: nothing written */
	char accounts[8][UB_TREE_URI_MAX + 1];
	int naccounts;
	struct {
		char from[UB_TREE_URI_MAX + 1], to[UB_TREE_URI_MAX + 1];
	} renamed[UB_APPLY_MAX_ROOTS];
	int nrenamed;
};

/* Apply plan as the bootstrap from source ("iccid:<ICCID>" or "push").
 * Accounts: a new name when the plan's is taken by another ServerID; the
 * same ServerID's account replaced or refused per policy.  ConnMOs: an
 * identical one reused, a different one renamed (references in the plan
 * rewritten) or refused per policy.  Nodes of another ServerID are never
 * changed.  Returns 0, UB_E_POLICY (refused, reason says why), UB_E_IO. */
int ub_tree_apply(struct ub_tree *t, const struct ub_plan *plan, const struct ub_policy *pol,
		  const char *source, struct ub_apply_result *res, char *reason, size_t rlen);

#endif
