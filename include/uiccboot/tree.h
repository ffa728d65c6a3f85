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

#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ub_tree;

struct ub_tree_node {
	char *uri, *format, *type, *value, *acl; /* malloc'd; type/value may be NULL */
	char *server;				 /* ServerID that owns it, or NULL */
	char *source;				 /* "iccid:<ICCID>", "push", or NULL */
};

/* How a tree is opened. */
enum ub_tree_mode {
	UB_TREE_READ,	/* reads only: the tree must exist, and nothing is written
			   (no migration either: a tree of an older schema is
			   refused until a writer has opened it); the calls that
			   write return UB_E_USAGE */
	UB_TREE_WRITE,	/* reads and ACL-checked Replace (a DM client): the tree
			   must exist; an older schema is migrated */
	UB_TREE_CREATE, /* as UB_TREE_WRITE, and the tree is created (mode 0600)
			   when absent: for the programs that write bootstraps */
};

/* Open the tree at path.  It holds the accounts' secrets, so:
 *  - its directory belongs to us or root and nobody else may write into
 *    it (no group or other write permission, sticky or not): anyone who
 *    could would put a file or a link of theirs in the place of the tree,
 *    or of the -wal and -shm SQLite makes beside it, between any check
 *    and the open;
 *  - path, path-wal and path-shm are checked on descriptors opened
 *    relative to the directory without following links: regular files
 *    with one name (no hard link), not symbolic links, the -wal and -shm
 *    owned by the tree's owner; one whose mode gives group or others
 *    access is made 0600 when we own it, else refused;
 *  - SQLite opens them without following a link (SQLITE_OPEN_NOFOLLOW),
 *    by the directory's real name, and the names are checked again after
 *    its open: a file swapped in meanwhile is refused.
 * Returns 0, or an error with st (when not NULL) saying it: where, the
 * file; what, the file and the cause, and for a file of the wrong kind
 * what it is:
 *   UB_E_NO_INPUT     the tree (or its directory) is not there (READ,
 *                     WRITE), or not readable by us (READ), or holds no
 *                     tree yet (READ)
 *   UB_E_CANT_CREATE  it cannot be created or written: its directory is
 *                     missing (CREATE) or not writable, the file is not
 *                     writable (WRITE, CREATE), a read-only file system
 *   UB_E_BAD_DATA     not an SQLite database, or a damaged one
 *   UB_E_NOT_SUPPORTED written by a newer uiccboot; READ: by an older one
 *   UB_E_POLICY       the rules above (a link, a second name, another
 *                     user's file, a shared directory, a file replaced
 *                     while being opened)
 *   UB_E_USAGE        path is not a file's name
 *   UB_E_IO, UB_E_NOMEM
 * Several threads and processes may open one tree at once. */
int ub_tree_open_mode(const char *path, enum ub_tree_mode mode, struct ub_tree **out,
		      struct ub_status *st);
/* ub_tree_open_mode(path, UB_TREE_CREATE, out, NULL): the tree is created
 * when absent.  A program that only reads (or a DM client, which reads and
 * replaces) opens with UB_TREE_READ (UB_TREE_WRITE), so that a mistyped
 * path is an error rather than a new, empty tree. */
int ub_tree_open(const char *path, struct ub_tree **out);
/* Close t (NULL: nothing). */
void ub_tree_close(struct ub_tree *t);

/* The node at uri (no ACL check; for the device itself).  UB_E_NOT_FOUND. */
int ub_tree_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n);
/* Wipe n's value (it may be a secret) and free what n holds; n zeroed. */
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

/* The writers of tree data, each node's provenance (ub_tree_node.source):
 * a card ("iccid:<ICCID>", its other objects "iccid:<ICCID>/<object>"), a
 * push ("push"), the factory image ("factory"), the owner's import
 * ("import"), or the device itself (no source). */
enum ub_source {
	UB_SRC_CARD,
	UB_SRC_PUSH,
	UB_SRC_FACTORY,
	UB_SRC_IMPORT,
	UB_SRC_DEVICE,
	UB_SRC_KINDS
};

/* The name of kind k as stored: a card's is the prefix of its sources
 * ("iccid:"), the device's is NULL (no source).  Static; any thread. */
const char *ub_source_name(enum ub_source k);

/* The kind of source into *kind (NULL, "" or a name of no kind: the
 * device).  Returns true when source names a writer as a user gives it:
 * push, factory, import, or a card as "iccid:" and its ICCID (1 to 20
 * digits and F, as EF_ICCID holds them), which stands for all the card's
 * sources.  Pure; any thread. */
bool ub_source_parse(const char *source, enum ub_source *kind);

/* The longest ACL ub_tree_effective_acl gives (without its NUL). */
#define UB_TREE_ACL_MAX 1024
/* What is shown in a secret's place (ub_tree_is_secret). */
#define UB_TREE_SECRET_MASK "(secret)"

/* Is the leaf at uri a secret (an AAuthSecret, a password, a key), to be
 * masked when shown?  By its name in the MOs uiccboot knows.  Pure;
 * any thread. */
bool ub_tree_is_secret(const char *uri);

/* Import a DM-TNDS 1.2 document (what ub_tree_export_tnds writes, a
 * backup or the factory's accounts) read from in, up to its end, into t
 * in one transaction, its nodes marked source ("import" or "factory":
 * ub_source_name); the device's own data, so no server rule of the
 * policy applies.  The document holds secrets: every copy the call makes
 * is wiped; give an unbuffered stream (setvbuf _IONBF) so that stdio
 * keeps none.  in stays open (the caller's).  res: zeroed; the caller
 * frees it with ub_apply_result_free, whatever the outcome.  On failure
 * st->what says why ("larger than N bytes", the line of the document,
 * the refusal) and nothing is written.  t is used by one thread at a
 * time (tree.h).  Returns 0, UB_E_BAD_DATA, UB_E_POLICY, UB_E_IO,
 * UB_E_NOMEM, UB_E_USAGE (t read-only, a source not one of those). */
int ub_tree_import_tnds(struct ub_tree *t, FILE *in, const char *source,
			struct ub_apply_result *res, struct ub_status *st);

/* Take away everything source wrote (a card: "iccid:<ICCID>", with its
 * LwM2M part; "push", "import", "factory": ub_source_parse) and its
 * digests, in one transaction; res->removed lists the roots (res: zeroed;
 * free it with ub_apply_result_free).  st->what says why it failed.
 * Returns 0, UB_E_NOT_FOUND (the tree holds nothing of it),
 * UB_E_BAD_DATA (removing it would orphan another source's nodes),
 * UB_E_IO, UB_E_NOMEM, UB_E_USAGE (t read-only). */
int ub_tree_forget_source(struct ub_tree *t, const char *source, struct ub_apply_result *res,
			  struct ub_status *st);

/* Number of nodes (for tests and benches). */
int ub_tree_count(struct ub_tree *t);

#ifdef __cplusplus
}
#endif

#endif
