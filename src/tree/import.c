/* The owner's calls of uiccboot/tree.h: tree import (a DM-TNDS document
 * read whole, as a plan (src/dm/tnds_in.c), applied in one transaction),
 * tree forget, and which leaves are secrets. */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "dm_names.h"
#include "ub_apply.h"
#include "ub_status.h"

/* The whole stream, up to what an import reads (one byte more says it is
 * too long); the buffer grows by doubling, each old one wiped. */
static int read_doc(FILE *fp, char **out, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *b = malloc(cap), *nb;

	*out = NULL;
	*len = 0;
	while (b) {
		got = fread(b + n, 1, cap - n, fp);
		n += got;
		if (n > UB_TNDS_MAX)
			break;
		if (n < cap) {
			if (ferror(fp))
				break;
			*out = b;
			*len = n;
			return 0;
		}
		nb = malloc(cap * 2);
		if (nb)
			memcpy(nb, b, n);
		OPENSSL_cleanse(b, n);
		free(b);
		b = nb;
		cap *= 2;
	}
	if (!b)
		return UB_E_NOMEM;
	OPENSSL_cleanse(b, n);
	free(b);
	return n > UB_TNDS_MAX ? UB_E_BAD_DATA : UB_E_IO;
}

int ub_tree_import_tnds(struct ub_tree *t, FILE *in, const char *source,
			struct ub_apply_result *res, struct ub_status *st)
{
	struct ub_apply_opts o = {.source = source};
	struct ub_policy pol;
	struct ub_plan plan;
	char reason[400], *xml = NULL;
	size_t len = 0;
	int err;

	if (!source || (strcmp(source, UB_SOURCE_IMPORT) && strcmp(source, UB_SOURCE_FACTORY)))
		return ub_fail(st, UB_E_USAGE, 0, "tree import", "the source is %s or %s",
			       UB_SOURCE_IMPORT, UB_SOURCE_FACTORY);
	ub_policy_defaults(&pol); /* the device's own data: no server rules */
	err = read_doc(in, &xml, &len);
	if (!err)
		err = ub_plan_from_tnds(xml, len, &plan, reason, sizeof(reason));
	else if (err == UB_E_BAD_DATA)
		snprintf(reason, sizeof(reason),
			 "larger than %zu bytes (the export of a full tree)", (size_t)UB_TNDS_MAX);
	else
		snprintf(reason, sizeof(reason), "%s", strerror(errno));
	if (xml)
		OPENSSL_cleanse(xml, len); /* a backup holds the accounts' secrets */
	free(xml);
	if (err)
		return ub_fail(st, err, 0, "tree import", "%s", reason);
	err = ub_tree_apply(t, &plan, &pol, &o, res, reason, sizeof(reason));
	ub_plan_free(&plan);
	return err ? ub_fail(st, err, 0, "tree import", "%s", reason) : 0;
}

int ub_tree_forget_source(struct ub_tree *t, const char *source, struct ub_apply_result *res,
			  struct ub_status *st)
{
	char reason[400];
	int err = ub_tree_forget(t, source, res, reason, sizeof(reason));

	return err ? ub_fail(st, err, 0, "tree forget", "%s", reason) : 0;
}

bool ub_tree_is_secret(const char *uri)
{
	return ub_dm_is_secret(uri);
}
