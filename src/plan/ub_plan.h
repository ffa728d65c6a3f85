/* The plan, what a bootstrap message or document becomes before apply:
 * the tree's capacity and merging the plans of one card.  The decoders
 * that make one are src/decode/'s (ub_decoders.h), the account model that
 * sorts one src/account/'s (ub_account.h).  The plan's types are public
 * (plan.h). */
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

/* Move the nodes and MOs of from (a plan of its own, sorted by the account
 * model) into into, as the objects of one card are applied together: each
 * keeps the owners its own model gave it.  They must not disagree: two
 * accounts for one ServerID (whatever their DM versions), or an MO root in
 * both, is UB_E_BAD_DATA with *clash the index of into's MO and st the
 * reason; so is more than UB_NODES_MAX nodes together.  Containers both
 * name are kept once.  On success from is empty; on failure both are as
 * they were.  Returns 0, UB_E_BAD_DATA or UB_E_NOMEM. */
int ub_plan_merge(struct ub_plan *into, struct ub_plan *from, size_t *clash, struct ub_status *st);

#endif
