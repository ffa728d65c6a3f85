/* The owner's call of uiccboot/tree.h that the tree layer answers: which
 * leaves are secrets (tree forget: apply.c; tree import: src/boot/import.c). */
#include "dm_names.h"
#include "ub_apply.h"

bool ub_tree_is_secret(const char *uri)
{
	return ub_dm_is_secret(uri);
}
