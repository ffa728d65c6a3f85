/* The tree's SQL, behind one set of functions: apply and factory apply
 * decide, these read and write.  Every function returns 0 (or a count, or
 * 1 for "found") or UB_E_IO; an I/O error is never taken for "absent". */
#ifndef UB_STORE_H
#define UB_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm_names.h"
#include "tree.h"
#include "tree_internal.h"

/* One row of the node table, as ub_store_insert writes it. */
struct ub_store_row {
	const char *uri, *parent, *format, *type, *value, *acl;
	const char *server; /* the owner; NULL: the device */
	const char *source; /* provenance; NULL for containers */
};

/* How long an open or a write transaction waits for another writer's
 * lock, at most, before it fails (ub_store_busy). */
#define UB_STORE_BUSY_MS 5000

/* Open the database at path, a file tree.c has checked, named without a
 * symbolic link (SQLITE_OPEN_NOFOLLOW): WAL, synchronous FULL,
 * secure_delete, one deadline of UB_STORE_BUSY_MS for waits on another
 * writer, the schema created or migrated.
 * verify(arg) is called once SQLite has opened the file, before it reads
 * it, and again after the first read (the -wal and -shm opened), before
 * anything is written: its error ends the open.
 * read_only: opened for reading, nothing written (no migration: an older
 * schema is refused), and ub_store_begin refuses.  Returns 0, or with st
 * saying why: UB_E_NOT_SUPPORTED (a newer schema; read_only, an older one),
 * UB_E_NO_INPUT (read_only: no tree in it yet), UB_E_BAD_DATA (not a
 * database, damaged), UB_E_CANT_CREATE (cannot be written), UB_E_POLICY
 * (a symbolic link met), UB_E_IO. */
int ub_store_open(struct ub_tree *t, const char *path, bool read_only,
		  int (*verify)(void *arg, struct ub_status *st), void *arg, struct ub_status *st);

/* The node at uri (malloc'd fields; ub_tree_node_free); UB_E_NOT_FOUND. */
int ub_store_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n);

/* Number of nodes. */
int ub_store_count(struct ub_tree *t);

int ub_store_begin(struct ub_tree *t); /* BEGIN IMMEDIATE; UB_E_USAGE when read_only */
/* After a failed open or begin: the milliseconds it waited for another
 * writer that held the lock all that time, or 0 when that was not why. */
long long ub_store_busy(struct ub_tree *t);
int ub_store_commit(struct ub_tree *t);
void ub_store_rollback(struct ub_tree *t);

/* 1 when a node is at uri, 0 when not. */
int ub_store_exists(struct ub_tree *t, const char *uri);

/* The owner (ServerID) of the node at uri into out ("" for the device).
 * 1 found, 0 no such node. */
int ub_store_owner(struct ub_tree *t, const char *uri, char *out, size_t max);
/* The connectivity MOs (children of container) that server (NULL: the
 * device) owns and source wrote, through cb. */
int ub_store_connmos_of(struct ub_tree *t, const char *container, const char *server,
			const char *source, int (*cb)(const char *uri, void *arg), void *arg);
/* Nodes and bytes of text the tree holds (in this transaction). */
int ub_store_size(struct ub_tree *t, long long *nodes, long long *text);
/* 0, or UB_E_POLICY with st saying why when the tree holds more than its capacity
 * (then the transaction must be rolled back). */
int ub_store_check_capacity(struct ub_tree *t, struct ub_status *st);
/* The leaves that may name uri or a node below it (the reference index:
 * a superset of ub_dm_is_reference, which the caller applies), in URI
 * order, through cb. */
int ub_store_referrers(struct ub_tree *t, const char *uri,
		       int (*cb)(const char *uri, const char *value, void *arg), void *arg);
/* Does a leaf of another party name uri or a node below it: of a server
 * other than server, or of the device; of any server when server is NULL
 * (the device)?  By the reference index.  1, 0. */
int ub_store_referenced_by_other(struct ub_tree *t, const char *uri, const char *server);
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
/* The digests of the sources (but except) that wrote a node at or below
 * root are forgotten: what they wrote is being replaced, so their next
 * bootstrap is no longer "unchanged". */
int ub_store_forget_digests(struct ub_tree *t, const char *root, const char *except);

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
/* --- SMS fragments of `sms receive` (schema 5): messages by the key that
 * groups their parts, parts by (message, seq); every lookup by an index.
 * The caller brackets what must be one transaction with ub_store_begin
 * and ub_store_commit. --- */

/* A message's state: parts coming in (or complete, not done with yet);
 * complete and waiting for the user's PIN; complete and refused with the
 * parts held, kept until expiry for a part that may come to a place held
 * with other data (src/boot/sms.c tries the message again with it). */
enum { UB_STORE_SMS_OPEN = 0, UB_STORE_SMS_PENDING = 1, UB_STORE_SMS_REFUSED = 2 };

struct ub_store_sms_msg {
	long long id;
	int state; /* UB_STORE_SMS_* */
	unsigned held, total, attempts;
	unsigned long bytes; /* of its TPDUs */
	long long since;     /* first part (open), completion (pending); seconds */
	char originator[24];
	char kind[32], sec[32]; /* pending: the push's kind and SEC */
};

/* The message of key: 1 and m filled, or 0. */
int ub_store_sms_find(struct ub_tree *t, const void *key, size_t klen, struct ub_store_sms_msg *m);
/* The message id: 1 and m filled, or 0. */
int ub_store_sms_get(struct ub_tree *t, long long id, struct ub_store_sms_msg *m);
/* A new open message with no parts: 0 and *id. */
int ub_store_sms_new(struct ub_tree *t, const void *key, size_t klen, const char *originator,
		     unsigned total, long long since, long long *id);
/* Part seq of message id into out (at most max octets): 1 and *len, or 0. */
int ub_store_sms_part(struct ub_tree *t, long long id, unsigned seq, uint8_t *out, size_t max,
		      size_t *len);
/* Store part seq (its message's held and bytes, and the totals, follow). */
int ub_store_sms_add_part(struct ub_tree *t, long long id, unsigned seq, const uint8_t *tpdu,
			  size_t n);
/* The parts of message id in seq order through cb. */
int ub_store_sms_parts(struct ub_tree *t, long long id,
		       int (*cb)(unsigned seq, const uint8_t *tpdu, size_t n, void *arg),
		       void *arg);
/* Messages and TPDU octets held, from the one row the triggers keep. */
int ub_store_sms_totals(struct ub_tree *t, unsigned long *messages, unsigned long *bytes);
/* The oldest message in state other than except: 1 and m, or 0. */
int ub_store_sms_oldest(struct ub_tree *t, int state, long long except, struct ub_store_sms_msg *m);
/* Messages whose since is before `before`, oldest first, through cb. */
int ub_store_sms_older(struct ub_tree *t, long long before,
		       int (*cb)(const struct ub_store_sms_msg *m, void *arg), void *arg);
/* Remove message id and its parts. */
int ub_store_sms_delete(struct ub_tree *t, long long id);
/* Open messages that hold all their parts, through cb. */
int ub_store_sms_complete(struct ub_tree *t, int (*cb)(const struct ub_store_sms_msg *m, void *arg),
			  void *arg);
/* Message id waits for the user's PIN from since on; digest, kind, sec. */
int ub_store_sms_set_pending(struct ub_tree *t, long long id, long long since,
			     const uint8_t digest[32], const char *kind, const char *sec);
/* Every message, by id, through cb. */
int ub_store_sms_list(struct ub_tree *t, int (*cb)(const struct ub_store_sms_msg *m, void *arg),
		      void *arg);
/* The pending message of this push digest: 1 and m, or 0. */
int ub_store_sms_by_digest(struct ub_tree *t, const uint8_t digest[32], struct ub_store_sms_msg *m);
/* One more wrong PIN for message id. */
int ub_store_sms_attempt(struct ub_tree *t, long long id);
/* Message id in state (UB_STORE_SMS_*). */
int ub_store_sms_set_state(struct ub_tree *t, long long id, int state);
/* The parts of message id kept beside the one held at their place, by
 * seq and then in the order they came (alt 1, 2, ...), through cb. */
int ub_store_sms_alts(struct ub_tree *t, long long id,
		      int (*cb)(unsigned seq, unsigned alt, const uint8_t *tpdu, size_t n,
				void *arg),
		      void *arg);
/* Keep tpdu beside the part held at (id, seq) (its bytes counted). */
int ub_store_sms_add_alt(struct ub_tree *t, long long id, unsigned seq, const uint8_t *tpdu,
			 size_t n);
/* The pending messages whose key starts with sender[n] (one sender),
 * oldest first, through cb. */
int ub_store_sms_pending_of(struct ub_tree *t, const void *sender, size_t n,
			    int (*cb)(const struct ub_store_sms_msg *m, void *arg), void *arg);

/* --- what the device remembers of pushes (schema 6; src/tree/intake.c
 * decides): pushes applied, by digest and ServerID, in order; the wrong
 * user PINs met with a stored PIN; GBA key derivations per NAF. --- */

struct ub_store_seen {
	char server[256]; /* a ServerID the push configured, "" for none */
	long long seq;	  /* its order among the pushes applied */
	long long at;	  /* when (seconds) */
	bool in_force;	  /* the newest push of that ServerID */
};
/* The rows of a push digest, in order, through cb. */
int ub_store_push_seen(struct ub_tree *t, const uint8_t digest[32],
		       int (*cb)(const struct ub_store_seen *s, void *arg), void *arg);
/* The newest push of server: 1 and *seq, *at, or 0. */
int ub_store_push_newest(struct ub_tree *t, const char *server, long long *seq, long long *at);
/* The order of the next push applied (counted in the tree). */
int ub_store_push_next(struct ub_tree *t, long long *seq);
/* Remember digest for server (once: again moves it to seq, at). */
int ub_store_push_add(struct ub_tree *t, const uint8_t digest[32], const char *server,
		      long long seq, long long at);
/* Rows remembered (kept by triggers). */
int ub_store_push_rows(struct ub_tree *t, long long *rows);
/* Forget one row: the oldest of the ServerID that holds the most, never
 * the one in force for it unless every ServerID holds only that (then the
 * oldest of all).  1 when a row went, 0 when there was none. */
int ub_store_push_forget_one(struct ub_tree *t);
/* The device-wide count of wrong user PINs, and when the last came. */
int ub_store_pin_failures(struct ub_tree *t, unsigned *failures, long long *last);
/* Add delta (negative: give back; never below 0) at time at. */
int ub_store_pin_add(struct ub_tree *t, int delta, long long at);
int ub_store_pin_reset(struct ub_tree *t);
/* GBA key derivations for pushes: the windows that began before `before`
 * go; naf's count in its window and when the window began (1, or 0 when
 * naf has none); the NAFs held; one more for naf (its window begins at
 * now when it has none). */
int ub_store_naf_prune(struct ub_tree *t, long long before);
int ub_store_naf_count(struct ub_tree *t, const char *naf, unsigned *count, long long *since);
int ub_store_naf_rows(struct ub_tree *t, long long *rows);
int ub_store_naf_add(struct ub_tree *t, const char *naf, long long now);

/* Finalise the prepared statements of t and close its database. */
void ub_store_close(struct ub_tree *t);

#endif
