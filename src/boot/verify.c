/* Verifying a bootstrap before anything is applied: the transport rule,
 * the policy, the MAC with key material from the card and the user, the
 * decoded plan and its accounts (pushed messages); the card's own object
 * (a secure transport: no MAC).  Failures fill a struct ub_status: where
 * ("push", the node, the card's file) and what, in words. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dm_names.h"
#include "ub_account.h"
#include "ub_cardboot.h"
#include "ub_decoders.h"
#include "ub_digest.h"
#include "ub_error.h"
#include "ub_gba.h"
#include "ub_intake.h"
#include "ub_push.h"

#define PUSH "push"

/* [servers] allow: the ServerID of every account of the plan must be
 * listed, and where the entry pins a host (ServerID@host), every server
 * address of the account must be at it.  The accounts are the account
 * model's, as apply will see them. */
static int allowed_servers(const struct ub_policy *pol, struct ub_plan *plan, struct ub_status *st)
{
	const char *s;
	size_t i, k, n;
	long bad;

	for (i = 0; (s = ub_plan_server(plan, i)); i++) {
		if (!ub_policy_server_allowed(pol, s)) {
			/* s is the plan's: said before the plan goes */
			ub_fail(st, UB_E_POLICY, 0, "[servers] allow",
				"ServerID %s may not bootstrap this device", s);
			ub_plan_free(plan);
			return UB_E_POLICY;
		}
	}
	for (k = 0; k < plan->nmos; k++) {
		const struct ub_mo *mo = &plan->mos[k];
		char host[256];

		if (mo->kind != UB_MO_ACCOUNT || !ub_policy_server_pinned(pol, mo->server_id))
			continue;
		/* the first address's host must be pinned, and all at it */
		if (!ub_plan_account_host(plan, k, host, sizeof(host)) ||
		    !ub_policy_host_allowed(pol, mo->server_id, host))
			ub_fail(st, UB_E_POLICY, 0, "[servers] allow",
				"%s: ServerID %s is pinned to a host, and the account's server "
				"address is not there",
				mo->root, mo->server_id);
		else if ((bad = ub_plan_address_not_at(plan, k, host, &n)) >= 0)
			ub_fail(st, UB_E_POLICY, 0, "[servers] allow",
				"%s is %s: ServerID %s is pinned to another host",
				plan->nodes[bad].uri,
				plan->nodes[bad].value ? plan->nodes[bad].value : "empty",
				mo->server_id);
		else
			continue;
		ub_plan_free(plan);
		return UB_E_POLICY;
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

static bool gba_sec(enum ub_sec s)
{
	return s == UB_SEC_NETWORKID_GBA || s == UB_SEC_USERPIN_NETWORKID_GBA;
}

/* The NAF FQDN of a GBA-keyed push: the policy's, else the host of the
 * message's Source LocURI (unauthenticated until the MAC verified: it
 * only says which key to ask for). */
static int naf_fqdn(const struct ub_policy *pol, const struct ub_plan *plan, char *fqdn, size_t max,
		    struct ub_status *st)
{
	if (pol->naf_fqdn[0]) {
		snprintf(fqdn, max, "%s", pol->naf_fqdn);
		return 0;
	}
	if (ub_uri_host(plan->source, fqdn, max))
		return ub_fail(st, UB_E_BAD_DATA, 0, "Source LocURI",
			       "no NAF FQDN: Source LocURI '%s' has no host", plan->source);
	return 0;
}

/* A GBA-keyed MAC proves only that the sender holds the key of one NAF:
 * that NAF must be the server of every account the push bootstraps (the
 * host of each of its addresses, or its ServerID, as the policy says). */
static int naf_bound(const struct ub_policy *pol, const struct ub_plan *plan, const char *fqdn,
		     struct ub_status *st)
{
	size_t k, addrs;
	long bad;

	for (k = 0; k < plan->nmos; k++) {
		const struct ub_mo *mo = &plan->mos[k];

		if (mo->kind != UB_MO_ACCOUNT)
			continue;
		if ((pol->naf_binding & UB_NAF_SERVER_ID) && strcasecmp(mo->server_id, fqdn)) {
			return ub_fail(
				st, UB_E_POLICY, 0, mo->root,
				"the push is signed with the key of NAF %s, which is not the "
				"ServerID %s of %s (naf_binding)",
				fqdn, mo->server_id, mo->root);
		}
		if (!(pol->naf_binding & UB_NAF_HOST))
			continue;
		if ((bad = ub_plan_address_not_at(plan, k, fqdn, &addrs)) >= 0)
			return ub_fail(st, UB_E_POLICY, 0, plan->nodes[bad].uri,
				       "the push is signed with the key of NAF %s, but %s is "
				       "%s (naf_binding = host)",
				       fqdn, plan->nodes[bad].uri,
				       plan->nodes[bad].value ? plan->nodes[bad].value : "empty");
		if (!addrs) {
			return ub_fail(st, UB_E_POLICY, 0, mo->root,
				       "the push is signed with the key of NAF %s, but account %s "
				       "has no server address to bind it to",
				       fqdn, mo->root);
		}
	}
	return 0;
}

/* Ks_ext_NAF for NAF_Id = fqdn || the policy's Ua id (no id is registered
 * for OMA DM, so there is no default). */
static int gba_key(const struct ub_policy *pol, struct ub_uicc *u, struct ub_tree *memory,
		   const char *fqdn, uint8_t ks[32], struct ub_status *st)
{
	uint8_t naf[300];
	struct ub_gba g;
	struct ub_gbabp bp;
	int n, err;

	n = ub_naf_id(fqdn, pol->ua_id, naf, sizeof(naf));
	if (n < 0)
		return ub_fail(st, n, 0, "NAF_Id", "NAF FQDN '%s' does not make a NAF_Id", fqdn);
	if (!u)
		return ub_fail(st, UB_E_NO_CARD, 0, PUSH, "the GBA key needs the card");
	/* each derivation makes the card record the NAF (EF_GBANL): counted
	 * per NAF, whatever the pushes that ask say */
	if (memory && (err = ub_intake_naf_take(memory, fqdn, pol->naf_per_hour,
						(long long)time(NULL), st))) {
		if (err != UB_E_POLICY)
			ub_fail(st, err, 0, NULL, "%s", ub_strerror(err));
		ub_status_at(st, "[gba] push_derivations_per_hour");
		return err;
	}
	err = ub_gba_open(&g, u, pol->prefer_isim, false, st);
	if (!err)
		err = ub_gba_naf_key(&g, naf, (size_t)n, (long long)time(NULL), ks, &bp, st);
	if (err)
		ub_status_at(st, "GBA key for NAF %s", fqdn);
	return err;
}

static int mac_check(const struct ub_mac_keys *k, enum ub_sec sec, const struct ub_push_req *r,
		     struct ub_status *st)
{
	int err = ub_mac_verify(k, sec, r->body, r->len, r->ct.mac);

	if (err)
		return ub_fail(st, err, 0, "MAC",
			       err == UB_E_MAC ? "MAC does not verify with SEC=%s"
					       : "cannot compute the MAC for SEC=%s",
			       ub_sec_name(sec));
	return 0;
}

static int decode(const uint8_t *b, size_t n, bool card, struct ub_plan *plan, struct ub_status *st,
		  const char *where)
{
	int err = ub_plan_decode(b, n, card, plan, st);

	if (err && where)
		ub_status_at(st, "%s", where);
	return err;
}

bool ub_sec_needs_user_pin(enum ub_sec s)
{
	return needs_pin(s);
}

int ub_push_admit(const struct ub_policy *pol, const struct ub_push_req *r, struct ub_status *st)
{
	enum ub_sec sec = r->ct.sec;

	if (!pol->push_enabled)
		return ub_fail(st, UB_E_POLICY, 0, "[push] enabled",
			       "push bootstrap is disabled by policy");
	if (r->ct.kind == UB_MSG_UNKNOWN)
		return ub_fail(st, UB_E_BAD_DATA, 0, "Content-Type",
			       "not a DM or CP bootstrap type: %s", r->ct.type);
	if (sec == UB_SEC_NONE && !r->secure_transport)
		return ub_fail(st, UB_E_POLICY, 0, PUSH,
			       "an insecure push needs SEC and MAC (OMA DM Security 5.7.2)");
	if (sec == UB_SEC_NONE)
		return 0;
	if (!(pol->allowed_sec & (unsigned)sec))
		return ub_fail(st, UB_E_POLICY, 0, "[push] allowed_sec",
			       "SEC=%s is not allowed by policy", ub_sec_name(sec));
	if (sec != UB_SEC_USERPINMAC && !r->ct.has_mac)
		return ub_fail(st, UB_E_BAD_DATA, 0, "Content-Type", "SEC=%s without MAC",
			       ub_sec_name(sec));
	return 0;
}

/* The checks of the plan that need no key: decoded under the account
 * model, the content type, [servers] allow; for the GBA SEC types the NAF
 * (r->naf_fqdn) and its binding.  On an error the plan is freed. */
static int plan_checks(const struct ub_policy *pol, struct ub_push_req *r, struct ub_plan *plan,
		       struct ub_status *st)
{
	int err;

	if ((err = decode(r->body, r->len, false, plan, st, PUSH)))
		return err;
	if ((plan->kind == UB_PLAN_CP) != (r->ct.kind == UB_MSG_CP)) {
		ub_plan_free(plan);
		return ub_fail(st, UB_E_BAD_DATA, 0, "Content-Type",
			       "content type %s does not match the document", r->ct.type);
	}
	if ((err = allowed_servers(pol, plan, st)))
		return err;
	if (!gba_sec(r->ct.sec))
		return 0;
	if (!pol->has_ua_id)
		err = ub_fail(st, UB_E_POLICY, 0, "[gba] ua_id",
			      "the GBA SEC types need [gba] ua_id in the policy");
	if (!err)
		err = naf_fqdn(pol, plan, r->naf_fqdn, sizeof(r->naf_fqdn), st);
	if (!err)
		err = naf_bound(pol, plan, r->naf_fqdn, st);
	if (err)
		ub_plan_free(plan);
	return err;
}

int ub_push_unverified(const struct ub_policy *pol, struct ub_push_req *r, struct ub_plan *plan,
		       struct ub_status *st)
{
	int err;

	memset(plan, 0, sizeof(*plan));
	r->naf_fqdn[0] = '\0';
	if ((err = ub_push_admit(pol, r, st)))
		return err;
	return plan_checks(pol, r, plan, st);
}

int ub_push_precheck(const struct ub_policy *pol, const struct ub_push_req *r, struct ub_status *st)
{
	enum ub_sec sec = r->ct.sec;
	int err = ub_push_admit(pol, r, st);

	if (err || sec == UB_SEC_NONE || !needs_pin(sec))
		return err;
	if (!r->user_pin)
		return ub_fail(st, UB_E_USAGE, 0, PUSH, "SEC=%s needs the user's PIN",
			       ub_sec_name(sec));
	/* a short PIN is guessed offline from one captured message */
	if (strlen(r->user_pin) < pol->user_pin_min)
		return ub_fail(st, UB_E_POLICY, 0, "[push] user_pin_min",
			       "the user PIN is shorter than the policy's minimum of %u digits "
			       "([push] user_pin_min)",
			       pol->user_pin_min);
	return 0;
}

int ub_push_verify(const struct ub_policy *pol, struct ub_uicc *u, struct ub_push_req *r,
		   struct ub_plan *plan, struct ub_status *st)
{
	struct ub_mac_keys k = {NULL, pol->networkid_key, r->user_pin, NULL};
	enum ub_sec sec = r->ct.sec;
	const struct ub_app *usim;
	char imsi[16];
	uint8_t ks[32];
	int err, mnc;

	memset(plan, 0, sizeof(*plan));
	r->naf_fqdn[0] = '\0';
	if ((err = ub_push_precheck(pol, r, st)))
		return err;
	if (sec != UB_SEC_NONE) {
		if (needs_imsi(sec)) {
			if (!u)
				return ub_fail(st, UB_E_NO_CARD, 0, PUSH,
					       "SEC=%s needs the card's IMSI", ub_sec_name(sec));
			err = ub_uicc_find_app(u, UB_APP_USIM, &usim, st);
			if (err == UB_E_NOT_FOUND)
				err = ub_fail(st, err, 0, "USIM",
					      "SEC=%s needs the IMSI: the card has no USIM",
					      ub_sec_name(sec));
			if (!err)
				err = ub_uicc_read_imsi(u, usim, imsi, &mnc, st);
			if (err)
				return err;
			k.imsi = imsi;
		}
		/* the cheap check first: nothing unauthenticated reaches libwbxml */
		if (!gba_sec(sec) && (err = mac_check(&k, sec, r, st)))
			return err;
	}
	if ((err = plan_checks(pol, r, plan, st)))
		return err;
	/* connectivity without a server (OMA CP without w7) is the device's:
	 * only when the policy says so, or any sender could write it */
	if (!ub_plan_server(plan, 0) && plan->kind != UB_PLAN_LWM2M &&
	    !pol->push_connectivity_only) {
		ub_plan_free(plan);
		return ub_fail(st, UB_E_POLICY, 0, "[push] connectivity_only",
			       "the push configures no DM server, only the device's connectivity: "
			       "refused by policy");
	}
	if (!gba_sec(sec))
		return 0;
	/* GBA: the card is asked for a key only for a message that parsed,
	 * whose SEC type the policy allows and whose servers it allows, and
	 * for the NAF that the accounts are bound to */
	if (!(err = gba_key(pol, u, r->memory, r->naf_fqdn, ks, st))) {
		k.ks_ext_naf = ks;
		err = mac_check(&k, sec, r, st);
	}
	OPENSSL_cleanse(ks, sizeof(ks));
	if (err)
		ub_plan_free(plan);
	return err;
}

/* The card's objects applied together: the digest of each, then of them
 * all.  One object's digest is the SHA-256 of its bytes, as it always
 * was, so that a card that holds one is "unchanged" across versions. */
struct card_objects {
	uint8_t digest[UB_CARDBOOT_ENTRIES][32];
	char name[UB_CARDBOOT_ENTRIES][64];
	size_t mo_end[UB_CARDBOOT_ENTRIES]; /* the merged plan's MOs up to here are its */
	unsigned kinds;			    /* bit i: ub_boot_oids[i] */
	int n;
};

static int objects_digest(const struct card_objects *c, uint8_t digest[32])
{
	static const char tag[] = "uiccboot card bootstrap objects";
	struct iovec v[1 + UB_CARDBOOT_ENTRIES] = {{(void *)tag, sizeof(tag)}};
	int i;

	if (c->n == 1) {
		memcpy(digest, c->digest[0], 32);
		return 0;
	}
	for (i = 0; i < c->n; i++)
		v[1 + i] = (struct iovec){(void *)c->digest[i], 32};
	return ub_sha256v(v, 1 + c->n, digest);
}

/* Object o of the card (name, bytes) decoded and added to plan; objects
 * that disagree are refused together, naming both. */
static int add_object(struct card_objects *c, const uint8_t *b, size_t n, struct ub_plan *plan,
		      struct ub_status *st)
{
	struct ub_status why = {0};
	struct ub_plan one;
	size_t clash;
	int err, k;

	if (ub_sha256(b, n, c->digest[c->n]))
		return ub_fail(st, UB_E_INTERNAL, 0, "SHA-256", NULL);
	if ((err = decode(b, n, true, c->n ? &one : plan, st, c->name[c->n])))
		return err;
	if (c->n && (err = ub_plan_merge(plan, &one, &clash, &why))) {
		for (k = 0; k < c->n - 1 && clash >= c->mo_end[k]; k++)
			;
		ub_plan_free(&one);
		return err == UB_E_NOMEM ? ub_fail(st, err, 0, NULL, NULL)
					 : ub_fail(st, err, 0, c->name[c->n],
						   "%s and %s disagree: %s; both refused",
						   c->name[k], c->name[c->n], why.what);
	}
	c->mo_end[c->n++] = plan->nmos;
	return 0;
}

int ub_cardboot_plan(const struct ub_policy *pol, struct ub_uicc *u, const struct ub_cardboot *d,
		     struct ub_plan *plan, const char **which, uint8_t digest[32],
		     struct ub_status *st)
{
	const size_t max = UB_DOC_MAX + 4096; /* the document and its padding */
	struct card_objects c = {0};
	uint8_t *buf;
	int i, j, n = 0, err = 0;

	memset(plan, 0, sizeof(*plan));
	*which = NULL;
	if (!pol->smartcard_enabled)
		return ub_fail(st, UB_E_POLICY, 0, "[smartcard] enabled",
			       "smartcard bootstrap is disabled by policy");
	if (!d->p15)
		return ub_fail(st, UB_E_NOT_FOUND, 0, "PKCS#15",
			       "the card holds no bootstrap object");
	/* on the heap, one per call: readers are bootstrapped in parallel */
	if (!(buf = malloc(max)))
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	/* every DM and CP object, in the order of ub_boot_oids, each read
	 * whole before it is decoded; one that fails fails them all */
	for (i = 0; i < UB_BOOT_OIDS_DM && !err; i++) {
		for (j = 0; j < d->nobjs && !err; j++) {
			if (ub_boot_oid_index(&d->objs[j]) != i)
				continue;
			ub_cardboot_entry_name(&d->objs[j], c.name[c.n], sizeof(c.name[0]));
			n = ub_cardboot_read_entry(u, d, j, buf, max, c.name[c.n], st);
			if (n)
				c.kinds |= 1u << i;
			err = n > 0 ? add_object(&c, buf, (size_t)n, plan, st) : n;
		}
	}
	OPENSSL_cleanse(buf, max);
	free(buf);
	*which = ub_cardboot_set_name(c.kinds);
	if (!err && !c.n)
		err = ub_fail(st, UB_E_NOT_FOUND, 0, "PKCS#15",
			      "the card holds no bootstrap object");
	/* what was applied is remembered by digest, not by content */
	if (!err && (err = objects_digest(&c, digest)))
		ub_fail(st, err, 0, "SHA-256", NULL);
	if (err) {
		ub_plan_free(plan);
		return err;
	}
	return allowed_servers(pol, plan, st);
}
