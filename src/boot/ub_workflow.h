/* What the workflows of src/boot/ share: the policy in force, the tree, one
 * apply with its outcome. */
#ifndef UB_WORKFLOW_H
#define UB_WORKFLOW_H

#include "boot.h"
#include "ub_apply.h"
#include "ub_policy.h"

/* cfg's policy, or the built-in defaults (filled into *defaults). */
const struct ub_policy *ub_wf_policy(const struct ub_boot_config *cfg, struct ub_policy *defaults);

/* Open cfg's tree in mode (UB_TREE_CREATE: the default one's directory
 * created 0700); st says which file and why. */
int ub_wf_tree_open(const struct ub_boot_config *cfg, enum ub_tree_mode mode, struct ub_tree **t,
		    struct ub_status *st);

/* Apply plan (NULL: removals only) under o in one transaction: r->apply,
 * r->outcome and, on refusal or failure, r->status. */
int ub_wf_apply(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		const struct ub_plan *plan, const struct ub_apply_opts *o,
		struct ub_boot_result *r);

#endif
