/* The decoders of each format, on a plan being built (plan_build.h):
 * SyncML DM in syncml.c, TNDS in tnds_in.c, OMA CP in cp.c. */
#ifndef UB_DECODE_BUILD_H
#define UB_DECODE_BUILD_H

#include <stdbool.h>

#include "plan_build.h"
#include "xdoc.h"

/* A TNDS Node under parent (top: directly under MgmtTree). */
int pb_tnds_node(struct build *b, struct xnode *node, const char *parent, bool top);

/* "./Inbox/X[/rest]" in a value -> X's final URI (DM-Boot 5.4.5). */
int pb_resolve_inbox(struct build *b);

/* A SyncML DM 1.2 / 1.1 bootstrap package; an OMA CP PROV 1.0 document. */
int pb_syncml_doc(struct build *b, struct xnode *root);
int pb_cp_doc(struct build *b, struct xnode *root);

#endif
