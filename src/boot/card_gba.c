/* GBA with the card, the public calls of uiccboot/gba.h: the application
 * chosen as the command line chose it, then gba-u/'s GBA_U calls. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "card.h"
#include "gba.h"
#include "ub_gba.h"
#include "ub_session.h"

/* Compiled-in agreement of the public sizes with gba-u/'s. */
_Static_assert(UB_GBA_UA_LEN == UB_UA_LEN, "Ua id length");
_Static_assert(sizeof(((struct ub_gba_push_info *)0)->naf_id) ==
		       sizeof(((struct ub_gpi *)0)->naf_id),
	       "NAF_Id size");
_Static_assert(sizeof(((struct ub_gba_push_info *)0)->ptid) == sizeof(((struct ub_gpi *)0)->ptid) &&
		       sizeof(((struct ub_gba_push_info *)0)->lifetime) ==
			       sizeof(((struct ub_gpi *)0)->lifetime),
	       "P-TID and lifetime sizes");

int ub_gba_naf_id(const char *fqdn, const uint8_t ua[UB_GBA_UA_LEN], uint8_t *out, size_t max)
{
	return fqdn ? ub_naf_id(fqdn, ua, out, max) : UB_E_USAGE;
}

int ub_gba_btid(const uint8_t rand[16], const char *bsf, char *out, size_t max)
{
	return bsf ? ub_btid(rand, bsf, out, max) : UB_E_USAGE;
}

int ub_gba_lifetime(const char *arg, long long now, char *out, size_t max)
{
	long long t;
	time_t when;
	struct tm tm;
	char *end;

	if (!arg)
		arg = "+86400"; /* a BSF always sends one; one day for lab use */
	if (arg[0] == '+') {
		t = strtoll(arg + 1, &end, 10);
		if (end == arg + 1 || *end || t <= 0 || t > 10LL * 365 * 86400)
			return UB_E_USAGE;
		when = (time_t)(now + t);
		if (!gmtime_r(&when, &tm) || !strftime(out, max, "%Y-%m-%dT%H:%M:%SZ", &tm))
			return UB_E_USAGE;
		return 0;
	}
	if (ub_lifetime_parse(arg, &t) || strlen(arg) >= max)
		return UB_E_USAGE;
	snprintf(out, max, "%s", arg);
	return 0;
}

int ub_gba_gpi_decode(const char *layout, const uint8_t *b, size_t n, struct ub_gba_push_info *pi,
		      struct ub_status *st)
{
	struct ub_gpi_layout l;
	struct ub_gpi gpi;
	int err;

	memset(pi, 0, sizeof(*pi));
	if ((err = ub_gpi_layout_parse(layout, &l, st)))
		return err;
	if (!b && n)
		return ub_fail(st, UB_E_USAGE, 0, "GPI", "no bytes");
	if ((err = ub_gpi_decode(&l, b ? b : (const uint8_t *)"", n, &gpi, st)))
		return err;
	memcpy(pi->rand, gpi.rand, 16);
	memcpy(pi->autn, gpi.autn, 16);
	memcpy(pi->naf_id, gpi.naf_id, gpi.naf_id_len);
	pi->naf_id_len = gpi.naf_id_len;
	memcpy(pi->ptid, gpi.ptid, sizeof(pi->ptid));
	memcpy(pi->lifetime, gpi.lifetime, sizeof(pi->lifetime));
	memset(&gpi, 0, sizeof(gpi));
	return 0;
}

int ub_gba_push_info_decode(const uint8_t *b, size_t n, struct ub_gba_push_info *pi)
{
	return ub_gba_gpi_decode(NULL, b, n, pi, NULL);
}

/* A failure on s, said with the reader in front. */
static int gba_failed(const struct ub_session *s, int err, struct ub_status *st)
{
	ub_status_at(st, "reader \"%s\"", s->card.reader);
	return err;
}

/* The application GBA runs in: the ISIM when app asks for it or leaves it
 * open, else the USIM; *name and *service say which and whether it has
 * GBA_U. */
static int gba_choose(struct ub_session *s, const char *app, bool allow_me, struct ub_gba *g,
		      const char **name, bool *service, struct ub_status *st)
{
	bool prefer_isim = !app || !strcmp(app, "isim");
	int err;

	if (app && strcmp(app, "usim") && strcmp(app, "isim"))
		return ub_fail(st, UB_E_USAGE, 0, "GBA", "the application is usim or isim");
	err = ub_gba_open(g, &s->uicc, prefer_isim, allow_me, st);
	if (!err && app && strcmp(app, g->isim ? "isim" : "usim"))
		err = ub_fail(st, UB_E_NO_GBA, 0, app, "the %s has no GBA service",
			      app); /* the asked-for application */
	if (err)
		return gba_failed(s, err, st);
	*name = g->isim ? "isim" : "usim";
	*service = g->service;
	return 0;
}

int ub_card_gba_bootstrap(struct ub_session *s, const char *app, bool allow_me,
			  const uint8_t rand[16], const uint8_t autn[16], const char *bsf,
			  const char *lifetime, struct ub_card_gba_boot *r, struct ub_status *st)
{
	struct ub_gba g;
	struct ub_auth3g a;
	uint8_t ks[UB_KS_LEN];
	int err;

	memset(r, 0, sizeof(*r));
	if (ub_gba_btid(rand, bsf, r->btid, sizeof(r->btid)))
		return ub_fail(st, UB_E_USAGE, 0, "GBA bootstrap", "no usable BSF FQDN");
	if (!lifetime || strlen(lifetime) >= sizeof(r->lifetime))
		return ub_fail(st, UB_E_USAGE, 0, "GBA bootstrap", "no usable key lifetime");
	snprintf(r->lifetime, sizeof(r->lifetime), "%s", lifetime);
	if ((err = gba_choose(s, app, allow_me, &g, &r->app, &r->service, st)))
		return err;
	if (!g.service) {
		/* GBA_ME (TS 33.220 5.3): the host keeps Ks = CK||IK; only when
		 * allowed, and only for this call: nothing is stored. */
		memset(&a, 0, sizeof(a));
		err = ub_gba_me_bootstrap(&g, rand, autn, ks, &a, st);
		OPENSSL_cleanse(ks, sizeof(ks));
		memcpy(r->res, a.res, sizeof(r->res));
		r->res_len = a.res_len;
		memcpy(r->auts, a.auts, sizeof(r->auts));
		OPENSSL_cleanse(&a, sizeof(a)); /* CK, IK: Ks */
	} else {
		err = ub_gba_bootstrap(&g, rand, autn, r->btid, r->lifetime, r->res, &r->res_len,
				       r->auts, st);
	}
	return err ? gba_failed(s, err, st) : 0;
}

void ub_card_gba_key_wipe(struct ub_card_gba_key *k)
{
	if (k)
		OPENSSL_cleanse(k, sizeof(*k));
}

/* GBA_ME keeps no key between calls: the NAF key calls need GBA_U. */
static int need_gba_u(const struct ub_session *s, const char *what, struct ub_status *st)
{
	ub_fail(st, UB_E_NO_GBA, 0, what, "needs GBA_U (GBA_ME keeps no key between calls)");
	return gba_failed(s, UB_E_NO_GBA, st);
}

int ub_card_gba_naf_key(struct ub_session *s, const char *app, const uint8_t *naf_id,
			size_t naf_len, long long now, struct ub_card_gba_key *k,
			struct ub_status *st)
{
	struct ub_gba g;
	struct ub_gbabp bp;
	int err;

	memset(k, 0, sizeof(*k));
	if (!naf_id || !naf_len || naf_len > UB_GBA_NAF_ID_MAX)
		return ub_fail(st, UB_E_USAGE, 0, "GBA NAF key", "no usable NAF_Id");
	if ((err = gba_choose(s, app, false, &g, &k->app, &k->service, st)))
		return err;
	if (!g.service)
		return need_gba_u(s, "GBA NAF key", st);
	err = ub_gba_naf_key(&g, naf_id, naf_len, now, k->ks_ext_naf, &bp, st);
	if (!err)
		err = ub_gba_impi(&g, st);
	if (err) {
		OPENSSL_cleanse(k->ks_ext_naf, sizeof(k->ks_ext_naf));
		return gba_failed(s, err, st);
	}
	snprintf(k->btid, sizeof(k->btid), "%s", bp.btid);
	snprintf(k->lifetime, sizeof(k->lifetime), "%s", bp.lifetime);
	snprintf(k->impi, sizeof(k->impi), "%s", g.impi);
	return 0;
}

int ub_card_gba_push(struct ub_session *s, const char *app, const struct ub_gba_push_info *pi,
		     long long now, struct ub_card_gba_key *k, struct ub_status *st)
{
	struct ub_gba g;
	struct ub_gpi gpi;
	int err;

	memset(k, 0, sizeof(*k));
	if (!pi->naf_id_len || pi->naf_id_len > sizeof(gpi.naf_id) || !pi->ptid[0] ||
	    !memchr(pi->ptid, 0, sizeof(pi->ptid)) ||
	    !memchr(pi->lifetime, 0, sizeof(pi->lifetime)))
		return ub_fail(st, UB_E_USAGE, 0, "GBA push", "no usable push info");
	if ((err = gba_choose(s, app, false, &g, &k->app, &k->service, st)))
		return err;
	if (!g.service)
		return need_gba_u(s, "GBA push", st);
	memset(&gpi, 0, sizeof(gpi));
	memcpy(gpi.rand, pi->rand, 16);
	memcpy(gpi.autn, pi->autn, 16);
	memcpy(gpi.naf_id, pi->naf_id, pi->naf_id_len);
	gpi.naf_id_len = pi->naf_id_len;
	snprintf(gpi.ptid, sizeof(gpi.ptid), "%s", pi->ptid);
	snprintf(gpi.lifetime, sizeof(gpi.lifetime), "%s", pi->lifetime);
	snprintf(k->lifetime, sizeof(k->lifetime), "%s", pi->lifetime);
	err = ub_gba_push(&g, &gpi, now, k->ks_ext_naf, k->auts, st);
	OPENSSL_cleanse(&gpi, sizeof(gpi));
	if (err) {
		OPENSSL_cleanse(k->ks_ext_naf, sizeof(k->ks_ext_naf));
		return gba_failed(s, err, st);
	}
	return 0;
}

int ub_card_gba_status(struct ub_session *s, const char *app, long long now,
		       struct ub_card_gba_status *r, struct ub_status *st)
{
	struct ub_gba g;
	struct ub_gbabp bp;
	struct ub_gbanl nl[UB_GBA_NAFS_MAX];
	long long until = 0;
	int n, i, err;

	memset(r, 0, sizeof(*r));
	if ((err = gba_choose(s, app, false, &g, &r->app, &r->service, st)))
		return err;
	n = ub_gba_status(&g, &bp, nl, UB_GBA_NAFS_MAX, st);
	if (n < 0)
		return gba_failed(s, n, st);
	snprintf(r->btid, sizeof(r->btid), "%s", bp.btid);
	snprintf(r->lifetime, sizeof(r->lifetime), "%s", bp.lifetime);
	r->expired = !bp.lifetime[0] || ub_lifetime_parse(bp.lifetime, &until) || until <= now;
	for (i = 0; i < n && i < UB_GBA_NAFS_MAX; i++) {
		memcpy(r->nafs[i].naf_id, nl[i].naf_id, sizeof(r->nafs[i].naf_id));
		r->nafs[i].naf_id_len = nl[i].naf_id_len;
		snprintf(r->nafs[i].btid, sizeof(r->nafs[i].btid), "%s", nl[i].btid);
	}
	r->nnafs = i;
	return 0;
}
