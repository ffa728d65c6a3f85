/* Bootstrap messages to a validated plan: the WBXML read by our own
 * bounded walk into a document tree (ub_wbxml.h), mapped by the format's
 * decoder to node operations, sorted by the account model.  The plan's
 * types are public (plan.h). */
#ifndef UB_PLAN_H
#define UB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm_names.h"
#include "plan.h"
#include "ub_wbxml.h"

/* The device tree's capacity: nodes, and bytes of text (URIs, values,
 * ACLs, Types).  Apply refuses what would go past it, so that a tree
 * import reads back every export: every text byte escaped (at most 6
 * bytes, "&quot;"), and each node's markup and indentation (at most 512). */
#define UB_TREE_NODES_MAX 131072
#define UB_TREE_TEXT_MAX (16 * 1024 * 1024)
#define UB_TNDS_MAX (6 * (size_t)UB_TREE_TEXT_MAX + 512 * (size_t)UB_TREE_NODES_MAX + 4096)
/* a TNDS node is at most this many XML elements (Node, NodeName, Path,
 * RTProperties, ACL, Format, its value, Type, MIME/DDFName, Value) */
#define UB_TNDS_ELEMENTS_PER_NODE 10

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

/* Bytes of a bootstrap document (WBXML) to a plan, sorted by the account
 * model.  Trailing FF padding is accepted only with card_padding.  st
 * says what and where.
 * Returns 0, UB_E_BAD_DATA, UB_E_NOT_SUPPORTED (unknown public id), or
 * UB_E_NOMEM.  ub_plan_free() after success. */
int ub_plan_decode(const uint8_t *b, size_t n, bool card_padding, struct ub_plan *plan,
		   struct ub_status *st);
/* ub_plan_free, ub_plan_kind_name: <uiccboot/plan.h> */

/* Move the nodes and MOs of from (a plan of its own, sorted by the account
 * model) into into, as the objects of one card are applied together: each
 * keeps the owners its own model gave it.  They must not disagree: two
 * accounts for one ServerID (whatever their DM versions), or an MO root in
 * both, is UB_E_BAD_DATA with *clash the index of into's MO and st the
 * reason; so is more than UB_NODES_MAX nodes together.  Containers both
 * name are kept once.  On success from is empty; on failure both are as
 * they were.  Returns 0, UB_E_BAD_DATA or UB_E_NOMEM. */
int ub_plan_merge(struct ub_plan *into, struct ub_plan *from, size_t *clash, struct ub_status *st);

/* A TNDS XML document (MgmtTree; a top node's Path names its parent, "."
 * when absent) to a plan: for `tree import` and factory images.  The
 * document may be 16 times as large as a bootstrap message (1 MiB), with
 * 12 XML elements per node; the node and depth limits are the same.  A secret
 * leaf (ub_dm_is_secret) whose value is UB_SECRET_MASK, what an export
 * without secrets writes, is refused: restoring it would replace the
 * credential with the placeholder.  Returns 0, UB_E_BAD_DATA or
 * UB_E_NOMEM. */
int ub_plan_from_tnds(const char *xml, size_t len, struct ub_plan *plan, struct ub_status *st);

#endif
