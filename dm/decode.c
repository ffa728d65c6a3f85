/* Bytes of a bootstrap message to a plan: our bounded WBXML walk first
 * (libwbxml 0.11.8 crashes on malformed input), libwbxml's conversion to
 * XML, expat with the same limits and no entities, then the format's
 * decoder and the account model. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>

#include "plan_build.h"
#include "ub_error.h"

int ub_plan_decode(const uint8_t *in, size_t n, bool card_padding, struct ub_plan *plan, char *err,
		   size_t errlen)
{
	struct build b = {.plan = plan, .err = err, .errlen = errlen};
	struct ub_wbxml_info info;
	WBXMLConvWBXML2XML *conv = NULL;
	WB_UTINY *xml = NULL;
	WB_ULONG xml_len = 0;
	struct xnode *root;
	char where[160];
	int rc;

	memset(plan, 0, sizeof(*plan));
	err[0] = '\0';
	if (card_padding)
		while (n && in[n - 1] == 0xFF)
			n--; /* card files: FF padding after the document */
	if (ub_wbxml_check(in, n, &info, where, sizeof(where))) {
		snprintf(err, errlen, "WBXML: %s", where);
		return UB_E_BAD_DATA;
	}
	if (info.public_id != UB_WBXML_SYNCML12 && info.public_id != UB_WBXML_SYNCML11 &&
	    info.public_id != UB_WBXML_PROV10) {
		snprintf(err, errlen, "WBXML public id 0x%X is neither SyncML 1.1/1.2 nor PROV 1.0",
			 (unsigned)info.public_id);
		return UB_E_NOT_SUPPORTED;
	}
	if (wbxml_conv_wbxml2xml_create(&conv) != WBXML_OK)
		return UB_E_NOMEM;
	wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
	wbxml_conv_wbxml2xml_enable_preserve_whitespaces(conv);
	rc = wbxml_conv_wbxml2xml_run(conv, (WB_UTINY *)in, (WB_ULONG)n, &xml, &xml_len);
	wbxml_conv_wbxml2xml_destroy(conv);
	if (rc != WBXML_OK || !xml) {
		snprintf(err, errlen, "libwbxml: %s", wbxml_errors_string((WBXMLError)rc));
		free(xml);
		return UB_E_BAD_DATA;
	}
	/* libwbxml's output is checked again: limits, well-formedness */
	root = xdoc_parse((const char *)xml, xml_len, UB_XML_MAX, 2 * UB_NODES_MAX,
			  2 * UB_DEPTH_MAX, where, sizeof(where));
	OPENSSL_cleanse(xml, xml_len); /* it holds the document's secrets */
	free(xml);
	if (!root) {
		snprintf(err, errlen, "decoded document: %s", where);
		return UB_E_BAD_DATA;
	}
	if (info.public_id == UB_WBXML_PROV10 && !strcmp(root->name, "wap-provisioningdoc"))
		rc = pb_cp_doc(&b, root);
	else if (info.public_id != UB_WBXML_PROV10 && !strcmp(root->name, "SyncML"))
		rc = pb_syncml_doc(&b, root);
	else
		rc = pb_fail(&b, "root element does not match the public id", root->name);
	xdoc_free(root);
	if (!rc)
		rc = ub_plan_model(plan, UB_MODEL_BOOTSTRAP, err, errlen);
	if (rc)
		ub_plan_free(plan);
	return rc;
}
