/* Building a plan from a decoded bootstrap document: shared by the
 * decoders of each format (SyncML DM in syncml.c, TNDS in tnds_in.c, OMA
 * CP in cp.c); ub_plan_decode (decode.c) and ub_plan_from_tnds call them. */
#ifndef UB_PLAN_BUILD_H
#define UB_PLAN_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "ub_plan.h"
#include "xdoc.h"

#define INBOX_MAX 16

/* A plan being built, with what the formats need to finish it. */
struct build {
	struct ub_plan *plan;
	size_t cap;
	char *err;
	size_t errlen;
	bool import;	  /* tree import: top-level Paths place nodes */
	size_t max_nodes; /* 0: UB_NODES_MAX (a bootstrap) */
	/* ./Inbox/<name> -> final base URI, for reference values */
	char inbox_from[INBOX_MAX][128], inbox_to[INBOX_MAX][UB_URI_MAX + 1];
	int ninbox;
};

/* Record the first problem (what: arg) in b->err; UB_E_BAD_DATA. */
int pb_fail(struct build *b, const char *what, const char *arg);

/* Add a node (format NULL: chr for a leaf, node for an interior node):
 * refused when the URI is not one the tree can hold or is given twice,
 * UB_E_NOMEM when out of memory. */
int pb_add(struct build *b, const char *uri, const char *format, const char *type,
	   const char *value, const char *acl);

/* out = base/name, at most UB_URI_MAX bytes. */
int pb_join(struct build *b, char *out, const char *base, const char *name);

/* A TNDS Node under parent (top: directly under MgmtTree). */
int pb_tnds_node(struct build *b, struct xnode *node, const char *parent, bool top);

/* "./Inbox/X[/rest]" in a value -> X's final URI (DM-Boot 5.4.5). */
int pb_resolve_inbox(struct build *b);

/* A SyncML DM 1.2 / 1.1 bootstrap package; an OMA CP PROV 1.0 document. */
int pb_syncml_doc(struct build *b, struct xnode *root);
int pb_cp_doc(struct build *b, struct xnode *root);

#endif
