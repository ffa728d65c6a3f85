/* The card's LwM2M bootstrap for the power-on: EF LwM2M_Bootstrap read
 * (ub_cardboot.h), decoded and checked (src/lwm2m/), held against the policy's
 * [lwm2m] section, and made a plan for ./LwM2M (ub_lwm2m_map.h). */
#ifndef UB_LWM2M_CARD_H
#define UB_LWM2M_CARD_H

#include <stdint.h>

#include "ub_cardboot.h"
#include "ub_plan.h"
#include "ub_policy.h"

/* Provenance of a card's LwM2M data: "iccid:<ICCID>" + this. */
#define UB_LWM2M_SOURCE_SUFFIX "/lwm2m"

/* Read the LwM2M bootstrap the card's DODF (d) lists and make its plan;
 * digest: the SHA-256 of the file as read.  Every Security Instance's
 * server URIs (resource 0, and the Secondary LwM2M Server URIs of
 * resource 25), the Bootstrap-Server's included, must be in [lwm2m]
 * servers when it lists any.  Returns 0 with plan filled (ub_plan_free
 * it), UB_E_NOT_FOUND (no entry, an erased file, or no Object Instance:
 * no data), UB_E_POLICY ([lwm2m] disabled, a server not allowed),
 * UB_E_BAD_DATA, a PIN error or a card error; st says which and where. */
int ub_lwm2m_card_plan(const struct ub_policy *pol, struct ub_uicc *u, const struct ub_cardboot *d,
		       struct ub_plan *plan, uint8_t digest[32], struct ub_status *st);

#endif
