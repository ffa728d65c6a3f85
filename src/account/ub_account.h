/* The account model: a plan's nodes sorted into MOs and owners, and the
 * server addresses of its accounts.  The plan's types are public
 * (plan.h). */
#ifndef UB_ACCOUNT_H
#define UB_ACCOUNT_H

#include <stddef.h>

#include "plan.h"
#include "ub_error.h"

enum ub_model_mode {
	UB_MODEL_BOOTSTRAP, /* from a server: accounts and connectivity MOs only */
	UB_MODEL_IMPORT,    /* the device's own backup or factory image */
};

/* Sort the plan's nodes into MOs and owners under the account model.  A
 * plan that does not fit is refused whole: st names the node.  Returns 0,
 * UB_E_BAD_DATA or UB_E_NOMEM. */
int ub_plan_model(struct ub_plan *plan, enum ub_model_mode mode, struct ub_status *st);

/* ub_plan_server: <uiccboot/plan.h> */

/* The server addresses of account MO k (the leaves ub_dm_is_address
 * names): the index of the first node whose value is not at host
 * (case-insensitive; a value without a host is at none), or -1 when every
 * one is; *n: how many addresses it has.  A GBA push's NAF binding, the
 * allow-list's host pins and apply's "the same server" all read an
 * account's server here. */
long ub_plan_address_not_at(const struct ub_plan *plan, size_t k, const char *host, size_t *n);
/* The host of account MO k's first server address into host: 1, or 0
 * when it has none (or that one has no host). */
int ub_plan_account_host(const struct ub_plan *plan, size_t k, char *host, size_t max);

#endif
