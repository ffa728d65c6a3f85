/* The transport rule and MAC check of pushed bootstrap messages. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub_cardboot.h"
#include "ub_error.h"
#include "ub_gba.h"
#include "ub_push.h"

static int why(char *reason, size_t rlen, int err, const char *fmt, const char *arg)
{
	snprintf(reason, rlen, fmt, arg ? arg : "");
	return err;
}

/* [servers] allow (R-BOOT 5): every ServerID of the plan must be listed. */
static int allowed_servers(const struct ub_policy *pol, struct ub_plan *plan, char *reason,
			   size_t rlen)
{
	int i;

	for (i = 0; i < plan->nservers; i++) {
		if (!ub_policy_server_allowed(pol, plan->servers[i])) {
			why(reason, rlen, UB_E_POLICY, "ServerID %s may not bootstrap this device",
			    plan->servers[i]);
			ub_plan_free(plan);
			return UB_E_POLICY;
		}
	}
	return 0;
}

static bool needs_imsi(enum ub_sec s)
{
	return s == UB_SEC_NETWORKID || s == UB_SEC_USERPIN_NETWORKID || s == UB_SEC_USERNETWPIN;
}

static bool needs_pin(enum ub_sec s)
{
	return s == UB_SEC_USERPIN || s == UB_SEC_USERPIN_NETWORKID || s == UB_SEC_USERNETWPIN ||
	       s == UB_SEC_USERPINMAC || s == UB_SEC_USERPIN_NETWORKID_GBA;
}

/* Ks_ext_NAF for the DM server's NAF_Id: FQDN from the policy, else the
 * host of the message's Source LocURI; Ua id from the policy (no id is
 * registered for OMA DM, so there is no default). */
static int gba_key(const struct ub_policy *pol, struct ub_uicc *u, const char *source,
		   uint8_t ks[32], char *reason, size_t rlen)
{
	char fqdn[256];
	uint8_t naf[300];
	struct ub_gba g;
	struct ub_gbabp bp;
	int n, err;

	if (!pol->has_ua_id)
		return why(reason, rlen, UB_E_POLICY,
			   "the GBA SEC types need [gba] ua_id in the policy%s", NULL);
	if (pol->naf_fqdn[0])
		snprintf(fqdn, sizeof(fqdn), "%s", pol->naf_fqdn);
	else if (ub_uri_host(source, fqdn, sizeof(fqdn)))
		return why(reason, rlen, UB_E_BAD_DATA,
			   "no NAF FQDN: Source LocURI '%s' has no host", source);
	n = ub_naf_id(fqdn, pol->ua_id, naf, sizeof(naf));
	if (n < 0)
		return n;
	if (!u)
		return why(reason, rlen, UB_E_NO_CARD, "the GBA key needs the card%s", NULL);
	err = ub_gba_open(&g, u, pol->prefer_isim, false);
	if (!err)
		err = ub_gba_naf_key(&g, naf, (size_t)n, (long long)time(NULL), ks, &bp);
	if (err)
		return why(reason, rlen, err, "no GBA key for NAF %s from the card", fqdn);
	return 0;
}

int ub_push_verify(const struct ub_policy *pol, struct ub_uicc *u, const struct ub_push_req *r,
		   struct ub_plan *plan, char *reason, size_t rlen)
{
	struct ub_mac_keys k = {NULL, pol->networkid_key, r->user_pin, NULL};
	enum ub_sec sec = r->ct.sec;
	const struct ub_app *usim;
	char imsi[16], err_text[300];
	uint8_t ks[32];
	bool decoded = false;
	int err, mnc;

	memset(plan, 0, sizeof(*plan));
	reason[0] = '\0';
	if (!pol->push_enabled)
		return why(reason, rlen, UB_E_POLICY, "push bootstrap is disabled by policy%s",
			   NULL);
	if (r->ct.kind == UB_MSG_UNKNOWN)
		return why(reason, rlen, UB_E_BAD_DATA, "not a DM or CP bootstrap type: %s",
			   r->ct.type);
	if (sec == UB_SEC_NONE && !r->secure_transport)
		return why(reason, rlen, UB_E_POLICY,
			   "an insecure push needs SEC and MAC (R-BOOT 4)%s", NULL);
	if (sec != UB_SEC_NONE) {
		if (!(pol->allowed_sec & (unsigned)sec))
			return why(reason, rlen, UB_E_POLICY, "SEC=%s is not allowed by policy",
				   ub_sec_name(sec));
		if (sec != UB_SEC_USERPINMAC && !r->ct.has_mac)
			return why(reason, rlen, UB_E_BAD_DATA, "SEC=%s without MAC",
				   ub_sec_name(sec));
		if (needs_pin(sec) && !r->user_pin)
			return why(reason, rlen, UB_E_USAGE, "SEC=%s needs --user-pin",
				   ub_sec_name(sec));
		if (needs_imsi(sec)) {
			if (!u)
				return why(reason, rlen, UB_E_NO_CARD,
					   "SEC=%s needs the card's IMSI", ub_sec_name(sec));
			err = ub_uicc_find_app(u, UB_APP_USIM, &usim);
			if (!err)
				err = ub_uicc_read_imsi(u, usim, imsi, &mnc);
			if (err)
				return why(reason, rlen, err, "reading the IMSI for SEC=%s",
					   ub_sec_name(sec));
			k.imsi = imsi;
		}
		if (sec == UB_SEC_NETWORKID_GBA || sec == UB_SEC_USERPIN_NETWORKID_GBA) {
			if (!pol->naf_fqdn[0]) { /* the FQDN comes from the message */
				err = ub_plan_decode(r->body, r->len, false, plan, err_text,
						     sizeof(err_text));
				if (err)
					return why(reason, rlen, err, "%s", err_text);
				decoded = true;
			}
			err = gba_key(pol, u, plan->source, ks, reason, rlen);
			if (err) {
				ub_plan_free(plan);
				return err;
			}
			k.ks_ext_naf = ks;
		}
		err = ub_mac_verify(&k, sec, r->body, r->len, r->ct.mac);
		OPENSSL_cleanse(ks, sizeof(ks));
		if (err) {
			ub_plan_free(plan);
			return why(reason, rlen, err,
				   err == UB_E_MAC ? "MAC does not verify with SEC=%s"
						   : "cannot compute the MAC for SEC=%s",
				   ub_sec_name(sec));
		}
	}
	if (!decoded) {
		err = ub_plan_decode(r->body, r->len, false, plan, err_text, sizeof(err_text));
		if (err)
			return why(reason, rlen, err, "%s", err_text);
	}
	if ((plan->kind == UB_PLAN_CP) != (r->ct.kind == UB_MSG_CP)) {
		ub_plan_free(plan);
		return why(reason, rlen, UB_E_BAD_DATA,
			   "content type %s does not match the document", r->ct.type);
	}
	return allowed_servers(pol, plan, reason, rlen);
}

int ub_cardboot_plan(const struct ub_policy *pol, struct ub_uicc *u, struct ub_plan *plan,
		     const char **which, uint8_t digest[32], char *reason, size_t rlen)
{
	const size_t max = UB_DOC_MAX + 4096; /* the document and its padding */
	const struct ub_boot_oid *obj;
	char err_text[300];
	uint8_t *buf;
	int n, err;

	memset(plan, 0, sizeof(*plan));
	*which = NULL;
	if (!pol->smartcard_enabled)
		return why(reason, rlen, UB_E_POLICY, "smartcard bootstrap is disabled by policy%s",
			   NULL);
	/* on the heap, one per call: readers are bootstrapped in parallel */
	if (!(buf = malloc(max)))
		return why(reason, rlen, UB_E_NOMEM, "out of memory%s", NULL);
	n = ub_cardboot_read(u, buf, max, &obj);
	if (n < 0) /* a file the card's own directory names is missing: broken, not gone */
		err = why(reason, rlen, n == UB_E_NOT_FOUND ? UB_E_BAD_DATA : n,
			  "reading the card's bootstrap object%s", NULL);
	else if (!obj)
		err = why(reason, rlen, UB_E_NOT_FOUND, "the card holds no bootstrap object%s",
			  NULL);
	/* what was applied is remembered by digest, not by content */
	else if (!EVP_Digest(buf, (size_t)n, digest, NULL, EVP_sha256(), NULL))
		err = why(reason, rlen, UB_E_INTERNAL, "SHA-256%s", NULL);
	else if ((err = ub_plan_decode(buf, (size_t)n, true, plan, err_text, sizeof(err_text))))
		why(reason, rlen, err, "%s", err_text);
	if (n > 0)
		OPENSSL_cleanse(buf, (size_t)n);
	free(buf);
	if (obj)
		*which = obj->name;
	return err ? err : allowed_servers(pol, plan, reason, rlen);
}

bool ub_plan_node_secret(const struct ub_plan_node *n)
{
	return ub_uri_is_secret(n->uri);
}

bool ub_uri_is_secret(const char *uri)
{
	static const char *names[] = {"/AAuthSecret", "/AAuthData",   "/ClientPW", "/ServerPW",
				      "/ClientNonce", "/ServerNonce", "/Secret"};
	size_t i, ul = strlen(uri), nl;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		nl = strlen(names[i]);
		if (ul >= nl && !strcmp(uri + ul - nl, names[i]))
			return true;
	}
	return false;
}
