/* The tree's SQL, behind one set of functions: apply and factory apply
 * decide, these read and write.  Every function returns 0 (or a count, or
 * 1 for "found") or UB_E_IO; an I/O error is never taken for "absent". */
#ifndef UB_STORE_H
#define UB_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "dm_names.h"
#include "tree.h"
#include "tree_internal.h"

/* One row of the node table, as ub_store_insert writes it. */
struct ub_store_row {
	const char *uri, *parent, *format, *type, *value, *acl;
	const char *server; /* the owner; NULL: the device */
	const char *source; /* provenance; NULL for containers */
};

/* Open the database at path (a checked file): WAL, synchronous FULL,
 * secure_delete, busy timeout 5 s, the schema created or migrated.
 * Returns 0, UB_E_NOT_SUPPORTED (a newer schema), UB_E_IO. */
int ub_store_open(struct ub_tree *t, const char *path);

/* The node at uri (malloc'd fields; ub_tree_node_free); UB_E_NOT_FOUND. */
int ub_store_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n);

/* Number of nodes. */
int ub_store_count(struct ub_tree *t);

int ub_store_begin(struct ub_tree *t); /* BEGIN IMMEDIATE */
int ub_store_commit(struct ub_tree *t);
void ub_store_rollback(struct ub_tree *t);

/* 1 when a node is at uri, 0 when not. */
int ub_store_exists(struct ub_tree *t, const char *uri);

/* The owner (ServerID) of the node at uri into out ("" for the device).
 * 1 found, 0 no such node. */
int ub_store_owner(struct ub_tree *t, const char *uri, char *out, size_t max);
/* The connectivity MOs (children of container) that server owns and
 * source wrote, through cb. */
int ub_store_connmos_of(struct ub_tree *t, const char *container, const char *server,
			const char *source, int (*cb)(const char *uri, void *arg), void *arg);
/* Nodes and bytes of text the tree holds (in this transaction). */
int ub_store_size(struct ub_tree *t, long long *nodes, long long *text);
/* 0, or UB_E_POLICY with why when the tree holds more than its capacity
 * (then the transaction must be rolled back). */
int ub_store_check_capacity(struct ub_tree *t, char *why, size_t whylen);
/* Does a leaf's value name uri or a node below it?  1, 0. */
int ub_store_referenced(struct ub_tree *t, const char *uri);
/* Does the subtree at root hold a node of another owner or source?  1, 0. */
int ub_store_mixed(struct ub_tree *t, const char *root, const char *server, const char *source);
/* The node's Format ("node" for an interior node): 1, or 0 (no node). */
int ub_store_format(struct ub_tree *t, const char *uri, char *out, size_t max);
/* The source that wrote the node at uri ("" for none): 1, or 0. */
int ub_store_source(struct ub_tree *t, const char *uri, char *out, size_t max);

/* Insert one node; UB_E_IO also when a node is there already. */
int ub_store_insert(struct ub_tree *t, const struct ub_store_row *r);

/* Remove the node at root and everything below it. */
int ub_store_delete_subtree(struct ub_tree *t, const char *root);

/* Nodes at or below root whose owner is not server (NULL: the device). */
int ub_store_count_foreign(struct ub_tree *t, const char *root, const char *server);

/* Leaves strictly below root. */
int ub_store_count_leaves(struct ub_tree *t, const char *root);

/* Every node at or below root, in URI order, through cb (a non-zero return
 * stops the walk and is returned). */
int ub_store_each(struct ub_tree *t, const char *root,
		  int (*cb)(const struct ub_tree_node *n, void *arg), void *arg);

/* The accounts of server_id in layout's container (./DMAcc/<x> whose
 * direct child <server leaf> holds server_id): the count, and the first's
 * URI into out. */
int ub_store_accounts_of(struct ub_tree *t, const struct ub_dm_layout *l, const char *server_id,
			 char *out, size_t max);

/* The roots of what source wrote (its nodes whose parent is not its own),
 * in URI order, through cb. */
int ub_store_source_roots(struct ub_tree *t, const char *source,
			  int (*cb)(const char *uri, void *arg), void *arg);

/* A node of another source directly below one of source's nodes (which
 * removing source would orphan) into out: 1, or 0 when there is none. */
int ub_store_source_orphan(struct ub_tree *t, const char *source, char *out, size_t max);

/* Remove every node of source and its provenance record. */
int ub_store_delete_source(struct ub_tree *t, const char *source);

/* Every source starting with prefix that has nodes or a provenance
 * record, through cb. */
int ub_store_sources(struct ub_tree *t, const char *prefix,
		     int (*cb)(const char *source, void *arg), void *arg);

/* The digest last applied for source: 1 and out filled, or 0. */
int ub_store_digest(struct ub_tree *t, const char *source, char *out, size_t max);
int ub_store_set_digest(struct ub_tree *t, const char *source, const char *digest);

/* The value of the leaf at uri: 1 and out filled, or 0. */
int ub_store_value(struct ub_tree *t, const char *uri, char *out, size_t max);

/* Set the value of the node at uri; *changed: whether it differed. */
int ub_store_set_value(struct ub_tree *t, const char *uri, const char *value, bool *changed);

/* The URIs of uri's children in order through cb; the count. */
int ub_store_children(struct ub_tree *t, const char *uri, int (*cb)(const char *name, void *arg),
		      void *arg);

/* The first child of parent that server owns, into out: 1, or 0 when it
 * owns none. */
int ub_store_owned_child(struct ub_tree *t, const char *parent, const char *server, char *out,
			 size_t max);

/* Finalise the prepared statements of t and close its database. */
void ub_store_close(struct ub_tree *t);

#endif
