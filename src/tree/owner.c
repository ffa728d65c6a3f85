/* The owner's calls of uiccboot/tree.h that the tree layer answers: tree
 * forget, and which leaves are secrets (tree import: src/boot/import.c). */
#include "dm_names.h"
#include "ub_apply.h"

int ub_tree_forget_source(struct ub_tree *t, const char *source, struct ub_apply_result *res,
			  struct ub_status *st)
{
	return ub_tree_forget(t, source, res, st);
}

bool ub_tree_is_secret(const char *uri)
{
	return ub_dm_is_secret(uri);
}
