/* Building a plan from a bootstrap document's tree (xdoc.h): shared by the
 * decoders of each format (SyncML DM in syncml.c, TNDS in tnds_in.c, OMA
 * CP in cp.c, src/decode/decode_build.h); ub_plan_decode (decode.c) and
 * ub_plan_from_tnds call them.
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
	struct ub_status *st; /* the first problem (pb_fail), or NULL */
	bool failed;
	bool import;	    /* tree import: top-level Paths place nodes */
	size_t max_nodes;   /* 0: UB_NODES_MAX (a bootstrap) */
	unsigned doc_nodes; /* a bootstrap: its tree's elements, embedded TNDS included */
	/* ./Inbox/<name> -> final base URI, for reference values */
	char inbox_from[INBOX_MAX][128], inbox_to[INBOX_MAX][UB_URI_MAX + 1];
	int ninbox;
};

/* Record the first problem (what: arg) in b->st; UB_E_BAD_DATA. */
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

#endif
