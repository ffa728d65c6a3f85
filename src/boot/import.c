/* tree import (uiccboot/tree.h): a DM-TNDS document read whole, decoded
 * as a plan (src/decode/tnds_in.c) and applied in one transaction
 * (src/tree/apply.c); here, above both, as the tree reads no document. */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "ub_apply.h"
#include "ub_decoders.h"
#include "ub_plan.h"
#include "ub_source.h"

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
	char *xml = NULL;
	size_t len = 0;
	enum ub_source kind;
	int err;

	ub_source_parse(source, &kind);
	if (kind != UB_SRC_IMPORT && kind != UB_SRC_FACTORY)
		return ub_fail(st, UB_E_USAGE, 0, "tree import", "the source is %s or %s",
			       ub_source_name(UB_SRC_IMPORT), ub_source_name(UB_SRC_FACTORY));
	ub_policy_defaults(&pol); /* the device's own data: no server rules */
	err = read_doc(in, &xml, &len);
	if (!err)
		err = ub_plan_from_tnds(xml, len, &plan, st);
	else if (err == UB_E_BAD_DATA)
		ub_fail(st, err, 0, "tree import",
			"larger than %zu bytes (the export of a full tree)", (size_t)UB_TNDS_MAX);
	else
		ub_fail(st, err, 0, "tree import", "%s", strerror(errno));
	if (xml)
		OPENSSL_cleanse(xml, len); /* a backup holds the accounts' secrets */
	free(xml);
	if (err)
		return err;
	err = ub_tree_apply(t, &plan, &pol, &o, res, st);
	ub_plan_free(&plan);
	return err;
}
