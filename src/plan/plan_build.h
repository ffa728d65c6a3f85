/* Building a plan from a bootstrap document's tree (xdoc.h): shared by the
 * decoders of each format (SyncML DM in syncml.c, TNDS in tnds_in.c, OMA
 * CP in cp.c); ub_plan_decode (decode.c) and ub_plan_from_tnds call them.
 * An element a decoder reads occurs once, and one whose text it reads
 * holds no element: the plan holds all of what it read, or nothing. */
#ifndef UB_PLAN_BUILD_H
#define UB_PLAN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_plan.h"
#include "xdoc.h"

#define INBOX_MAX 16

/* A plan being built, with what the formats need to finish it. */
struct build {
	struct ub_plan *plan;
	size_t cap;
	char *err;
	size_t errlen;
	bool import;	    /* tree import: top-level Paths place nodes */
	size_t max_nodes;   /* 0: UB_NODES_MAX (a bootstrap) */
	unsigned doc_nodes; /* a bootstrap: its tree's elements, embedded TNDS included */
	/* ./Inbox/<name> -> final base URI, for reference values */
	char inbox_from[INBOX_MAX][128], inbox_to[INBOX_MAX][UB_URI_MAX + 1];
	int ninbox;
};

/* Record the first problem (what: arg) in b->err; UB_E_BAD_DATA. */
int pb_fail(struct build *b, const char *what, const char *arg);

/* The child of n called name, in *out (NULL: none): refused when n has
 * two, since the plan would hold one and the document both. */
int pb_one(struct build *b, const struct xnode *n, const char *name, struct xnode **out);
/* The text of that child, trimmed of surrounding white space (NULL: no
 * such child): refused when it holds an element as well. */
int pb_text(struct build *b, const struct xnode *n, const char *name, const char **out);

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

/* The nodes of a bootstrap document (WBXML: SyncML DM 1.2 or 1.1, OMA CP
 * PROV 1.0), before the account model: what ub_plan_decode sorts.  The
 * same returns as ub_plan_decode. */
int ub_plan_parse(const uint8_t *in, size_t n, bool card_padding, struct ub_plan *plan, char *err,
		  size_t errlen);

/* A SyncML DM 1.2 / 1.1 bootstrap package; an OMA CP PROV 1.0 document. */
int pb_syncml_doc(struct build *b, struct xnode *root);
int pb_cp_doc(struct build *b, struct xnode *root);

#endif
