/* A pushed bootstrap built the way the device checks it. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>

#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_sender.h"
#include "ub_status.h"

#define MEDIA_DM "application/vnd.syncml.dm+wbxml"
#define MEDIA_CP "application/vnd.wap.connectivity-wbxml"

int ub_send_xml2wbxml(const char *xml, size_t n, int version, uint8_t **out, size_t *len,
		      struct ub_status *st)
{
	WBXMLConvXML2WBXML *conv = NULL;
	WB_UTINY *w = NULL;
	WB_ULONG wlen = 0;
	WBXMLError rc;
	char *copy;

	*out = NULL;
	if (n > UB_DOC_MAX)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "XML document larger than %d bytes",
			       UB_DOC_MAX);
	copy = malloc(n + 1); /* libwbxml wants its own NUL-terminated copy */
	if (!copy || wbxml_conv_xml2wbxml_create(&conv) != WBXML_OK) {
		free(copy);
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	}
	memcpy(copy, xml, n);
	copy[n] = '\0';
	wbxml_conv_xml2wbxml_set_version(conv, (WBXMLVersion)version);
	wbxml_conv_xml2wbxml_disable_string_table(conv);
	rc = wbxml_conv_xml2wbxml_run(conv, (WB_UTINY *)copy, (WB_ULONG)n, &w, &wlen);
	wbxml_conv_xml2wbxml_destroy(conv);
	free(copy);
	if (rc != WBXML_OK || !w) {
		free(w);
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "libwbxml: %s", wbxml_errors_string(rc));
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

unsigned ub_send_keys_needed(enum ub_sec sec)
{
	switch (sec) {
	case UB_SEC_NETWORKID:
		return UB_SEND_KEY_IMSI;
	case UB_SEC_USERPIN:
		return UB_SEND_KEY_PIN;
	case UB_SEC_USERPIN_NETWORKID:
	case UB_SEC_USERNETWPIN:
		return UB_SEND_KEY_IMSI | UB_SEND_KEY_PIN;
	case UB_SEC_NETWORKID_GBA:
		return UB_SEND_KEY_KS_EXT_NAF;
	case UB_SEC_USERPIN_NETWORKID_GBA:
		return UB_SEND_KEY_PIN | UB_SEND_KEY_KS_EXT_NAF;
	case UB_SEC_USERPINMAC:
		return UB_SEND_KEY_USERPINMAC;
	default:
		return 0;
	}
}

unsigned ub_send_keys_missing(const struct ub_send_opts *o)
{
	unsigned have = (o->keys.imsi ? UB_SEND_KEY_IMSI : 0) |
			(o->keys.pin ? UB_SEND_KEY_PIN : 0) |
			(o->keys.ks_ext_naf ? UB_SEND_KEY_KS_EXT_NAF : 0) |
			(o->userpinmac_key ? UB_SEND_KEY_USERPINMAC : 0);

	return ub_send_keys_needed(o->sec) & ~have;
}

const char *ub_send_key_name(unsigned key)
{
	return key & UB_SEND_KEY_IMSI	      ? "the IMSI"
	       : key & UB_SEND_KEY_PIN	      ? "the user PIN"
	       : key & UB_SEND_KEY_KS_EXT_NAF ? "Ks_ext_NAF"
	       : key & UB_SEND_KEY_USERPINMAC ? "the USERPINMAC key"
					      : "nothing";
}

/* The user PIN a device would refuse as too short ([push] user_pin_min):
 * a short PIN is found by trying them all against one captured push. */
static int pin_length(const struct ub_send_opts *o, struct ub_status *st)
{
	unsigned min = o->user_pin_min ? o->user_pin_min : UB_USER_PIN_MIN_DEFAULT;

	if (!(ub_send_keys_needed(o->sec) & UB_SEND_KEY_PIN) || strlen(o->keys.pin) >= min)
		return 0;
	return ub_fail(st, UB_E_POLICY, 0, NULL,
		       "SEC=%s: the user PIN has %zu characters; a device refuses one shorter "
		       "than its [push] user_pin_min (%u)",
		       ub_sec_name(o->sec), strlen(o->keys.pin), min);
}

static int get_document(const uint8_t *doc, size_t n, struct ub_send_result *r,
			struct ub_status *st)
{
	int version = WBXML_VERSION_12;

	if (!is_xml(doc, n)) {
		if (n > UB_DOC_MAX)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "WBXML document larger than %d bytes", UB_DOC_MAX);
		r->wbxml = malloc(n ? n : 1);
		if (!r->wbxml)
			return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
		memcpy(r->wbxml, doc, n);
		r->wbxml_len = n;
		return 0;
	}
	/* OMA CP documents are WBXML 1.3 (ProvCont); SyncML DM uses 1.2 */
	if (memmem(doc, n, "wap-provisioningdoc", 19))
		version = WBXML_VERSION_13;
	return ub_send_xml2wbxml((const char *)doc, n, version, &r->wbxml, &r->wbxml_len, st);
}

int ub_send_build(const uint8_t *doc, size_t n, const struct ub_send_opts *o,
		  struct ub_send_result *r, struct ub_status *st)
{
	struct ub_wsp_encode_opts w = {0};
	uint8_t mac[UB_MAC_LEN];
	struct ub_plan plan;
	size_t max;
	int rc, i;

	memset(r, 0, sizeof(*r));
	if ((rc = get_document(doc, n, r, st)))
		goto end;
	/* the device's own decoder must take what we send */
	rc = ub_plan_decode(r->wbxml, r->wbxml_len, false, &plan, st);
	if (rc) {
		ub_status_pre(st, "the WBXML does not decode as a bootstrap: ");
		rc = rc == UB_E_NOMEM ? rc : UB_E_BAD_DATA;
		if (st)
			st->err = rc; /* an unknown public id too: the document is wrong */
		goto end;
	}
	r->kind = plan.kind;
	r->nservers = 0;
	for (i = 0; ub_plan_server(&plan, i); i++) {
		if (i == sizeof(r->servers) / sizeof(r->servers[0]) ||
		    strlen(ub_plan_server(&plan, i)) >= sizeof(r->servers[0])) {
			rc = ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				     "more than %zu accounts: split the bootstrap",
				     sizeof(r->servers) / sizeof(r->servers[0]));
			ub_plan_free(&plan);
			goto end;
		}
		snprintf(r->servers[i], sizeof(r->servers[i]), "%s", ub_plan_server(&plan, i));
		r->nservers++;
	}
	ub_plan_free(&plan);
	if (o->sec != UB_SEC_NONE) {
		if (ub_send_keys_missing(o)) {
			rc = ub_fail(st, UB_E_USAGE, 0, NULL, "SEC=%s: key material missing: %s",
				     ub_sec_name(o->sec),
				     ub_send_key_name(ub_send_keys_missing(o)));
			goto end;
		}
		if ((rc = pin_length(o, st)))
			goto end;
		snprintf(r->sec, sizeof(r->sec), "%s",
			 ub_sec_name_for(o->sec, r->kind == UB_PLAN_CP ? UB_MSG_CP : UB_MSG_DM));
		if (o->sec == UB_SEC_USERPINMAC) {
			rc = ub_userpinmac_pin(o->userpinmac_key, r->wbxml, r->wbxml_len,
					       r->userpin, sizeof(r->userpin));
			if (rc)
				ub_fail(st, rc, 0, NULL,
					"USERPINMAC wants a key of 5 to 20 digits");
		} else {
			rc = ub_mac_compute(&o->keys, o->sec, r->wbxml, r->wbxml_len, mac);
			if (rc)
				ub_fail(st, rc, 0, NULL, "SEC=%s: bad key material",
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
		rc = ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
		goto end;
	}
	rc = ub_wsp_push_encode(&w, r->wbxml, r->wbxml_len, r->wsp, max);
	if (rc < 0) {
		rc = ub_fail(st, UB_E_INTERNAL, 0, NULL, "WSP Push PDU: cannot encode");
		goto end;
	}
	r->wsp_len = (size_t)rc;
	rc = 0;
end:
	if (rc)
		ub_send_result_free(r);
	return rc;
}

int ub_send_check(const struct ub_send_opts *o, const struct ub_wsp_push *p, enum ub_sec *sec,
		  struct ub_status *st)
{
	enum ub_wsp_kind kind = ub_wsp_classify(p);
	struct ub_send_opts k = *o;
	struct ub_ctype ct;
	unsigned missing;
	int rc;

	if (sec)
		*sec = UB_SEC_NONE;
	if (kind != UB_WSP_DM_BOOTSTRAP && kind != UB_WSP_CP_BOOTSTRAP)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "not a bootstrap (%s)",
			       ub_wsp_kind_name(kind));
	if (ub_ctype_from_wsp(&p->ct, &ct) || ct.sec == UB_SEC_NONE)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "%s",
			       ct.sec == UB_SEC_NONE ? "no SEC: nothing to verify"
						     : "a SEC or MAC we do not know");
	k.sec = ct.sec;
	if (sec)
		*sec = ct.sec;
	/* USERPINMAC: the PIN the user was told.  Not the key digits K: the
	 * PIN K || digits(K, body) made from the body at hand matches any
	 * body, an attacker's too, so K alone verifies nothing. */
	if (ct.sec == UB_SEC_USERPINMAC && !k.keys.pin)
		return ub_fail(st, UB_E_USAGE, 0, NULL,
			       "SEC=USERPINMAC: key material missing: the PIN the user was told "
			       "(the key digits alone verify nothing)");
	missing = ct.sec == UB_SEC_USERPINMAC ? 0 : ub_send_keys_missing(&k);
	if (missing)
		return ub_fail(st, UB_E_USAGE, 0, NULL, "SEC=%s: key material missing: %s",
			       ub_sec_name(ct.sec), ub_send_key_name(missing));
	if (ct.sec != UB_SEC_USERPINMAC && !ct.has_mac)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "SEC=%s without MAC",
			       ub_sec_name(ct.sec));
	rc = ub_mac_verify(&k.keys, ct.sec, p->body, p->body_len, ct.mac);
	if (rc == UB_E_MAC)
		return ub_fail(st, rc, 0, NULL, "SEC=%s: the MAC does not verify with these keys",
			       ub_sec_name(ct.sec));
	if (rc)
		return ub_fail(st, rc, 0, NULL, "SEC=%s: bad key material", ub_sec_name(ct.sec));
	return 0;
}

void ub_send_result_free(struct ub_send_result *r)
{
	free(r->wbxml);
	free(r->wsp);
	OPENSSL_cleanse(r->userpin, sizeof(r->userpin));
	memset(r, 0, sizeof(*r));
}
