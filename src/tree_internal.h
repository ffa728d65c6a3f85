#ifndef UB_TREE_INTERNAL_H
#define UB_TREE_INTERNAL_H
#include <sqlite3.h>

#define UB_TREE_URI_MAX 1024

struct ub_tree {
	sqlite3 *db;
};

/* Run SQL; 0 or UB_E_IO. */
int ub_tree_sql(struct ub_tree *t, const char *sql);
#endif
