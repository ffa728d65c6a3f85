/* Bytes of a bootstrap message to a plan: our own bounded walk over the
 * WBXML tokens builds the document tree (wbxml_check.c), the format's
 * decoder maps it to node operations, the account model sorts them.  No
 * XML is generated and parsed again on the way: a value cannot become
 * structure (libwbxml's XML put an opaque value into a CDATA section that
 * `]]>` ended). */
#include <stdio.h>
#include <string.h>

#include "decode_build.h"
#include "ub_account.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_status.h"

int ub_plan_parse(const uint8_t *in, size_t n, bool card_padding, struct ub_plan *plan,
		  struct ub_status *st)
{
	struct build b = {.plan = plan, .st = st};
	struct ub_wbxml_info info;
	enum ub_wbxml_lang lang;
	struct xnode *root;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (card_padding)
		while (n && in[n - 1] == 0xFF)
			n--; /* card files: FF padding after the document */
	rc = ub_wbxml_tree(in, n,
			   UB_LANG_BIT(UB_LANG_SYNCML12) | UB_LANG_BIT(UB_LANG_SYNCML11) |
				   UB_LANG_BIT(UB_LANG_PROV10),
			   UB_NODES_MAX, UB_DEPTH_MAX, &info, &lang, &root, st);
	if (rc == UB_E_NOT_SUPPORTED)
		return ub_fail(st, rc, 0, NULL,
			       "WBXML public id 0x%X is neither SyncML 1.1/1.2 nor PROV 1.0",
			       (unsigned)info.public_id);
	if (rc == UB_E_NOMEM)
		return ub_status_err(st, rc);
	if (rc) {
		ub_status_pre(st, "WBXML: ");
		return UB_E_BAD_DATA;
	}
	b.doc_nodes = xdoc_count(root);
	if (lang == UB_LANG_PROV10 && !strcmp(root->name, "wap-provisioningdoc"))
		rc = pb_cp_doc(&b, root);
	else if (lang != UB_LANG_PROV10 && !strcmp(root->name, "SyncML"))
		rc = pb_syncml_doc(&b, root);
	else
		rc = pb_fail(&b, "root element does not match the public id", root->name);
	xdoc_free(root);
	if (rc)
		ub_plan_free(plan);
	return ub_status_err(st, rc);
}

int ub_plan_decode(const uint8_t *in, size_t n, bool card_padding, struct ub_plan *plan,
		   struct ub_status *st)
{
	int rc = ub_plan_parse(in, n, card_padding, plan, st);

	if (!rc && (rc = ub_plan_model(plan, UB_MODEL_BOOTSTRAP, st)))
		ub_plan_free(plan);
	return rc;
}
