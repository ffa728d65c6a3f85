#ifndef UB_TREE_INTERNAL_H
#define UB_TREE_INTERNAL_H
#include <sqlite3.h>

#include "dm_names.h"

#define UB_TREE_URI_MAX UB_URI_MAX

struct ub_tree {
	sqlite3 *db;
	sqlite3_stmt **st; /* store.c's prepared statements, made on first use */
};

/* Run SQL; 0 or UB_E_IO. */
int ub_tree_sql(struct ub_tree *t, const char *sql);

/* Run one statement with n text parameters (a NULL one binds NULL);
 * 0 or UB_E_IO.  *changes (if not NULL): the rows it changed. */
int ub_tree_run(struct ub_tree *t, int *changes, const char *sql, int n, ...);

/* The first column of the first row of a query with n text parameters,
 * into out.  1: a row, 0: none, or UB_E_IO. */
int ub_tree_value(struct ub_tree *t, char *out, size_t max, const char *sql, int n, ...);
#endif
