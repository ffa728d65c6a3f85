/* What a tree handle is: the SQLite connection and the store's prepared
 * statements.  Only store.c (and tests that reach into the database)
 * touch them. */
#ifndef UB_TREE_INTERNAL_H
#define UB_TREE_INTERNAL_H
#include <sqlite3.h>
#include <stdbool.h>

#include "dm_names.h"

struct ub_tree {
	sqlite3 *db;
	sqlite3_stmt **st;	       /* store.c's prepared statements, made on first use */
	long long max_nodes, max_text; /* capacity (UB_TREE_*_MAX; tests make it small) */
	bool read_only;		       /* opened with UB_TREE_READ */
	long long busy_ms;	       /* the longest wait for another writer's lock
					  (UB_STORE_BUSY_MS; tests make it small) */
	long long deadline, episode;   /* store.c's: when the waits end */
	bool busy;		       /* the last begin or open failed on the lock */
};

#endif
