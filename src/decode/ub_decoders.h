/* Bootstrap messages and documents to a validated plan: the WBXML read by
 * our own bounded walk into a document tree (ub_wbxml.h), a TNDS document
 * or a card's LwM2M bootstrap, mapped by the format's decoder to node
 * operations and sorted by the account model (ub_account.h).  The plan's
 * types are public (plan.h). */
#ifndef UB_DECODERS_H
#define UB_DECODERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "ub_error.h"
#include "ub_lwm2m.h"

/* Bytes of a bootstrap document (WBXML) to a plan, sorted by the account
 * model.  Trailing FF padding is accepted only with card_padding.  st
 * says what and where.
 * Returns 0, UB_E_BAD_DATA, UB_E_NOT_SUPPORTED (unknown public id), or
 * UB_E_NOMEM.  ub_plan_free() after success. */
int ub_plan_decode(const uint8_t *b, size_t n, bool card_padding, struct ub_plan *plan,
		   struct ub_status *st);
/* ub_plan_free, ub_plan_kind_name: <uiccboot/plan.h> */

/* A TNDS XML document (MgmtTree; a top node's Path names its parent, "."
 * when absent) to a plan: for `tree import` and factory images.  The
 * document may be 16 times as large as a bootstrap message (1 MiB), with
 * 12 XML elements per node; the node and depth limits are the same.  A secret
 * leaf (ub_dm_is_secret) whose value is UB_SECRET_MASK, what an export
 * without secrets writes, is refused: restoring it would replace the
 * credential with the placeholder.  Returns 0, UB_E_BAD_DATA or
 * UB_E_NOMEM. */
int ub_plan_from_tnds(const char *xml, size_t len, struct ub_plan *plan, struct ub_status *st);

/* A decoded and checked LwM2M bootstrap file as a plan (UB_PLAN_LWM2M),
 * its leaves as ub_lwm2m_map.h places them, sorted by the account model.
 * An Object without Instances writes nothing.  Returns 0, UB_E_BAD_DATA
 * or UB_E_NOMEM, st saying why; ub_plan_free() after. */
int ub_plan_from_lwm2m(const struct ub_lwm2m_boot *b, struct ub_plan *plan, struct ub_status *st);

/* The nodes of a bootstrap document (WBXML: SyncML DM 1.2 or 1.1, OMA CP
 * PROV 1.0), before the account model: what ub_plan_decode sorts.  The
 * same returns as ub_plan_decode. */
int ub_plan_parse(const uint8_t *in, size_t n, bool card_padding, struct ub_plan *plan,
		  struct ub_status *st);

#endif
