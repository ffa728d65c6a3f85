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
};

#endif
