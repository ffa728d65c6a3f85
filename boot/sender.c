/* A pushed bootstrap built the way the device checks it. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_sender.h"

#define MEDIA_DM "application/vnd.syncml.dm+wbxml"
#define MEDIA_CP "application/vnd.wap.connectivity-wbxml"

int ub_send_xml2wbxml(const char *xml, size_t n, int version, uint8_t **out, size_t *len, char *err,
		      size_t errlen)
{
	WBXMLConvXML2WBXML *conv = NULL;
	WB_UTINY *w = NULL;
	WB_ULONG wlen = 0;
	WBXMLError rc;
	char *copy;

	*out = NULL;
	if (n > UB_DOC_MAX) {
		snprintf(err, errlen, "XML document larger than %d bytes", UB_DOC_MAX);
		return UB_E_BAD_DATA;
	}
	copy = malloc(n + 1); /* libwbxml wants its own NUL-terminated copy */
	if (!copy || wbxml_conv_xml2wbxml_create(&conv) != WBXML_OK) {
		free(copy);
		return UB_E_NOMEM;
	}
	memcpy(copy, xml, n);
	copy[n] = '\0';
	wbxml_conv_xml2wbxml_set_version(conv, (WBXMLVersion)version);
	wbxml_conv_xml2wbxml_disable_string_table(conv);
	rc = wbxml_conv_xml2wbxml_run(conv, (WB_UTINY *)copy, (WB_ULONG)n, &w, &wlen);
	wbxml_conv_xml2wbxml_destroy(conv);
	free(copy);
	if (rc != WBXML_OK || !w) {
		snprintf(err, errlen, "libwbxml: %s", wbxml_errors_string(rc));
		free(w);
		return UB_E_BAD_DATA;
	}
	*out = w;
	*len = wlen;
	return 0;
}

static bool is_xml(const uint8_t *b, size_t n)
{
	size_t i = 0;

	if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
		i = 3; /* UTF-8 byte order mark */
	while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	return i < n && b[i] == '<';
}

static bool needs(enum ub_sec sec, bool imsi)
{
	if (imsi)
		return sec == UB_SEC_NETWORKID || sec == UB_SEC_USERPIN_NETWORKID ||
		       sec == UB_SEC_USERNETWPIN;
	return sec == UB_SEC_USERPIN || sec == UB_SEC_USERPIN_NETWORKID ||
	       sec == UB_SEC_USERNETWPIN || sec == UB_SEC_USERPIN_NETWORKID_GBA;
}

/* SEC as text for the WSP layer: the names of DM Security 5.7.2 for a DM
 * document; for CP the names of the WSP table, which the WSP layer sends
 * as short integers (NETWORKID is CP's NETWPIN). */
static const char *sec_text(enum ub_plan_kind kind, enum ub_sec sec)
{
	if (kind == UB_PLAN_CP && sec == UB_SEC_NETWORKID)
		return "NETWPIN";
	return ub_sec_name(sec);
}

static int get_document(const uint8_t *doc, size_t n, struct ub_send_result *r, char *err,
			size_t errlen)
{
	int version = WBXML_VERSION_12, rc;

	if (!is_xml(doc, n)) {
		if (n > UB_DOC_MAX) {
			snprintf(err, errlen, "WBXML document larger than %d bytes", UB_DOC_MAX);
			return UB_E_BAD_DATA;
		}
		r->wbxml = malloc(n ? n : 1);
		if (!r->wbxml)
			return UB_E_NOMEM;
		memcpy(r->wbxml, doc, n);
		r->wbxml_len = n;
		return 0;
	}
	/* OMA CP documents are WBXML 1.3 (ProvCont); SyncML DM uses 1.2 */
	if (memmem(doc, n, "wap-provisioningdoc", 19))
		version = WBXML_VERSION_13;
	rc = ub_send_xml2wbxml((const char *)doc, n, version, &r->wbxml, &r->wbxml_len, err,
			       errlen);
	return rc;
}

int ub_send_build(const uint8_t *doc, size_t n, const struct ub_send_opts *o,
		  struct ub_send_result *r, char *err, size_t errlen)
{
	struct ub_wsp_encode_opts w = {0};
	uint8_t mac[UB_MAC_LEN];
	struct ub_plan plan;
	char perr[300];
	size_t max;
	int rc, i;

	memset(r, 0, sizeof(*r));
	err[0] = '\0';
	if ((rc = get_document(doc, n, r, err, errlen)))
		goto end;
	/* the device's own decoder must take what we send */
	rc = ub_plan_decode(r->wbxml, r->wbxml_len, false, &plan, perr, sizeof(perr));
	if (rc) {
		snprintf(err, errlen, "the WBXML does not decode as a bootstrap: %s", perr);
		rc = rc == UB_E_NOMEM ? rc : UB_E_BAD_DATA;
		goto end;
	}
	r->kind = plan.kind;
	r->nservers = 0;
	for (i = 0; ub_plan_server(&plan, i); i++) {
		if (i == sizeof(r->servers) / sizeof(r->servers[0]) ||
		    strlen(ub_plan_server(&plan, i)) >= sizeof(r->servers[0])) {
			snprintf(err, errlen, "more than %zu accounts: split the bootstrap",
				 sizeof(r->servers) / sizeof(r->servers[0]));
			ub_plan_free(&plan);
			rc = UB_E_BAD_DATA;
			goto end;
		}
		snprintf(r->servers[i], sizeof(r->servers[i]), "%s", ub_plan_server(&plan, i));
		r->nservers++;
	}
	ub_plan_free(&plan);
	if (o->sec != UB_SEC_NONE) {
		if ((needs(o->sec, true) && !o->keys.imsi) ||
		    (needs(o->sec, false) && !o->keys.pin) ||
		    ((o->sec == UB_SEC_NETWORKID_GBA || o->sec == UB_SEC_USERPIN_NETWORKID_GBA) &&
		     !o->keys.ks_ext_naf) ||
		    (o->sec == UB_SEC_USERPINMAC && !o->userpinmac_key)) {
			snprintf(err, errlen, "SEC=%s: key material missing", ub_sec_name(o->sec));
			rc = UB_E_USAGE;
			goto end;
		}
		snprintf(r->sec, sizeof(r->sec), "%s", sec_text(r->kind, o->sec));
		if (o->sec == UB_SEC_USERPINMAC) {
			rc = ub_userpinmac_pin(o->userpinmac_key, r->wbxml, r->wbxml_len,
					       r->userpin, sizeof(r->userpin));
			if (rc)
				snprintf(err, errlen, "USERPINMAC wants a key of 5 to 20 digits");
		} else {
			rc = ub_mac_compute(&o->keys, o->sec, r->wbxml, r->wbxml_len, mac);
			if (rc)
				snprintf(err, errlen, "SEC=%s: bad key material",
					 ub_sec_name(o->sec));
			else
				for (i = 0; i < UB_MAC_LEN; i++) /* producers send upper case */
					snprintf(r->mac + 2 * i, 3, "%02X", mac[i]);
			OPENSSL_cleanse(mac, sizeof(mac));
		}
		if (rc)
			goto end;
	}
	w.tid = o->tid;
	w.media = r->kind == UB_PLAN_CP ? MEDIA_CP : MEDIA_DM;
	w.sec = r->sec[0] ? r->sec : NULL;
	w.mac = r->mac[0] ? r->mac : NULL;
	w.app_code = r->kind != UB_PLAN_CP && !o->no_app_id ? UB_WSP_APP_SYNCML_DM : -1;
	max = r->wbxml_len + 512;
	r->wsp = malloc(max);
	if (!r->wsp) {
		rc = UB_E_NOMEM;
		goto end;
	}
	rc = ub_wsp_push_encode(&w, r->wbxml, r->wbxml_len, r->wsp, max);
	if (rc < 0) {
		snprintf(err, errlen, "WSP Push PDU: cannot encode");
		rc = UB_E_INTERNAL;
		goto end;
	}
	r->wsp_len = (size_t)rc;
	rc = 0;
end:
	if (rc)
		ub_send_result_free(r);
	return rc;
}

void ub_send_result_free(struct ub_send_result *r)
{
	free(r->wbxml);
	free(r->wsp);
	OPENSSL_cleanse(r->userpin, sizeof(r->userpin));
	memset(r, 0, sizeof(*r));
}
