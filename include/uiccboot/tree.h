/* libuiccboot: the OMA DM device tree that uiccboot fills.
 *
 * The tree is an SQLite database (WAL, synchronous FULL, created 0600).
 * uiccboot writes it, one transaction per bootstrap; DM clients read it,
 * and change values as a ServerID, with these calls.  The ACL of DM-TND
 * 8.3.7.1.5 is checked here, once, before the store is touched.  Every
 * function returns 0 (or a count) or a negative ub_err from
 * <uiccboot/ub_error.h>; ub_strerror() and ub_errname() describe it.
 *
 *   #include <uiccboot/tree.h>       cc … $(pkg-config --cflags --libs libuiccboot)
 *
 * A handle is used by one thread at a time; open one per thread.  Several
 * processes may open the same tree: readers never block, writers take
 * turns (busy timeout 5 s).  See examples/dmclient.c. */
#ifndef UICCBOOT_TREE_H
#define UICCBOOT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct ub_tree;

struct ub_tree_node {
	char *uri, *format, *type, *value, *acl; /* malloc'd; type/value may be NULL */
	char *server;				 /* ServerID that owns it, or NULL */
	char *source;				 /* "iccid:<ICCID>", "push", or NULL */
};

/* Open (creating with mode 0600) the tree at path; migrates older schemas.
 * The tree holds secrets: path, path-wal and path-shm must not be symbolic
 * links or have a second name (hard link), and one whose mode gives group
 * or others access is made 0600 when we own it, else refused.  Returns 0,
 * UB_E_POLICY (those rules), UB_E_NOT_SUPPORTED (a newer schema),
 * UB_E_NOMEM, UB_E_IO (errno may tell). */
int ub_tree_open(const char *path, struct ub_tree **out);
/* The same, with what failed in why (file, mode, owner) for UB_E_POLICY
 * and for a check that failed with UB_E_IO; why is "" otherwise. */
int ub_tree_open_why(const char *path, struct ub_tree **out, char *why, size_t whylen);
void ub_tree_close(struct ub_tree *t);

/* The node at uri (no ACL check; for the device itself).  UB_E_NOT_FOUND. */
int ub_tree_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n);
void ub_tree_node_free(struct ub_tree_node *n);

/* Child names of uri, in name order, through cb.  Returns the count. */
int ub_tree_list(struct ub_tree *t, const char *uri, void (*cb)(const char *name, void *arg),
		 void *arg);

/* The ACL in force at uri: its own, else the nearest ancestor's (DM-TND:
 * an empty ACL inherits the whole ACL of the parent). */
int ub_tree_effective_acl(struct ub_tree *t, const char *uri, char *out, size_t max);

/* Does acl give cmd ("Get", "Replace", ...) to server_id ("*" matches all)?
 * A malformed ACL gives nothing. */
bool ub_acl_allows(const char *acl, const char *cmd, const char *server_id);

/* Get or Replace a leaf as server_id, under the ACL in force at it.
 * UB_E_POLICY when the ACL says no, and for Replace of an account's
 * ServerID leaf (Get only: the tree's ownership hangs on it).  A
 * reference (PrefConRef, ConRef, ToConRef, a value that names a node) is
 * stored in its one spelling ("ConnMO/x" as "./ConnMO/x"; another form,
 * UB_E_BAD_DATA) and, as in a bootstrap, names only the leaf's owner's
 * connectivity MOs or the device's (else UB_E_POLICY). */
int ub_tree_get_as(struct ub_tree *t, const char *server_id, const char *uri,
		   struct ub_tree_node *n);
int ub_tree_replace_as(struct ub_tree *t, const char *server_id, const char *uri,
		       const char *value);

/* The subtree at uri ("." for all) as TNDS XML (DM-TNDS 1.2) on out:
 * ACL, Format, Type and values; provenance is not part of TNDS.  Secret
 * values (AAuthSecret, ClientPW, ...) are written only with secrets, else
 * as "(secret)": only an export with secrets is a backup that `uiccboot
 * tree import` restores (it refuses a secret leaf holding "(secret)").
 * CR is written as &#13;, so that a value reads back byte for byte. */
int ub_tree_export_tnds(struct ub_tree *t, const char *uri, bool secrets, FILE *out);

/* What one transaction did to the tree (a bootstrap applied, a card's
 * data removed, factory credentials filled). */
struct ub_rename {
	char *from, *to;
};

struct ub_apply_result {
	bool unchanged;	 /* nothing written */
	char **accounts; /* accounts applied (or kept, when unchanged) */
	size_t naccounts;
	struct ub_rename *renamed; /* MOs stored under another name */
	size_t nrenamed;
	char **removed; /* MO roots removed */
	size_t nremoved;
	size_t cap[3];
};

/* Free the lists of r (and zero it). */
void ub_apply_result_free(struct ub_apply_result *r);

/* Number of nodes (for tests and benches). */
int ub_tree_count(struct ub_tree *t);

#endif
