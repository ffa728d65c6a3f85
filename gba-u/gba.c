/* GBA_U with the card: AUTHENTICATE P2=84 in Bootstrapping (DD) and NAF
 * Derivation (DE) mode, EF_GBABP/EF_GBANL, and 3G/GSM AUTHENTICATE. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

#include "ub_error.h"
#include "ub_sw.h"
#include "ub_gba.h"

static int bad_answer(struct ub_status *st)
{
	return ub_fail(st, UB_E_PROTO, 0x9000, "AUTHENTICATE",
		       "AUTHENTICATE: an answer that is not in TS 31.102's layout");
}

/* AUTHENTICATE in app (TS 31.102 7.1.2); the response is secret in the
 * trace. */
static int authenticate(struct ub_uicc *u, const struct ub_app *app, uint8_t p2,
			const uint8_t *data, size_t lc, uint8_t *rsp, size_t max, size_t *rlen,
			struct ub_status *st)
{
	struct ub_apdu a;
	int err;

	err = ub_uicc_select(u, app, st);
	if (err)
		return err;
	ub_apdu_set(&a, ub_uicc_cla(u), 0x88, 0x00, p2, data, lc, 256, rsp, max);
	a.flags = UB_APDU_SECRET_RESP;
	err = ub_uicc_transmit(u, &a, st);
	if (err) {
		ub_status_at(st, "AUTHENTICATE");
		return err;
	}
	*rlen = a.resp_len;
	if (!(err = ub_sw_err(0x88, a.sw)))
		return 0;
	return ub_fail(st, err, a.sw, "AUTHENTICATE", "AUTHENTICATE: SW %04X: %s", a.sw,
		       ub_strerror(err));
}

/* "DC 0E AUTS": synchronisation failure (TS 31.102 7.1.2.1). */
static int sync_failure(const uint8_t *r, size_t n, uint8_t auts[14], struct ub_status *st)
{
	if (n != 16 || r[1] != 14)
		return bad_answer(st);
	memcpy(auts, r + 2, 14);
	return ub_fail(st, UB_E_AUTH_SYNC, 0x9000, "AUTHENTICATE", NULL);
}

int ub_auth_3g(struct ub_uicc *u, const struct ub_app *app, const uint8_t rand[16],
	       const uint8_t autn[16], struct ub_auth3g *a, struct ub_status *st)
{
	uint8_t cmd[34], r[64];
	size_t n = 0, o;
	int err;

	memset(a, 0, sizeof(*a));
	cmd[0] = 16;
	memcpy(cmd + 1, rand, 16);
	cmd[17] = 16;
	memcpy(cmd + 18, autn, 16);
	err = authenticate(u, app, 0x81, cmd, sizeof(cmd), r, sizeof(r), &n, st);
	if (!err && n >= 1 && r[0] == 0xDC)
		err = sync_failure(r, n, a->auts, st);
	else if (!err) {
		/* DB L RES 10 CK 10 IK [08 Kc] */
		err = bad_answer(st);
		if (n < 2 || r[0] != 0xDB || r[1] < 4 || r[1] > 16 || n < 2u + r[1] + 34)
			goto end;
		a->res_len = r[1];
		memcpy(a->res, r + 2, a->res_len);
		o = 2 + a->res_len;
		if (r[o] != 16 || r[o + 17] != 16)
			goto end;
		memcpy(a->ck, r + o + 1, 16);
		memcpy(a->ik, r + o + 18, 16);
		o += 34;
		if (n == o + 9 && r[o] == 8) {
			memcpy(a->kc, r + o + 1, 8);
			a->has_kc = true;
		} else if (n != o) {
			goto end;
		}
		err = 0;
	}
end:
	OPENSSL_cleanse(r, sizeof(r));
	return err;
}

int ub_auth_gsm(struct ub_uicc *u, const struct ub_app *app, const uint8_t rand[16],
		uint8_t sres[4], uint8_t kc[8], struct ub_status *st)
{
	uint8_t cmd[17], r[32];
	size_t n = 0;
	int err;

	cmd[0] = 16;
	memcpy(cmd + 1, rand, 16);
	err = authenticate(u, app, 0x80, cmd, sizeof(cmd), r, sizeof(r), &n, st);
	if (!err && (n != 14 || r[0] != 4 || r[5] != 8))
		err = bad_answer(st);
	if (!err) {
		memcpy(sres, r + 1, 4);
		memcpy(kc, r + 6, 8);
	}
	OPENSSL_cleanse(r, sizeof(r));
	return err;
}

static int read_service(struct ub_uicc *u, const struct ub_app *app, const struct ub_ef *ef,
			unsigned num, bool *on, struct ub_status *st)
{
	uint8_t t[256];
	int n, err;

	err = ub_uicc_select(u, app, st);
	if (err)
		return err;
	n = ub_uicc_read(u, ef, 0, t, sizeof(t), st);
	if (n < 0)
		return n;
	*on = ub_service(t, (size_t)n, num);
	return 0;
}

int ub_gba_open(struct ub_gba *g, struct ub_uicc *u, bool prefer_isim, bool allow_me,
		struct ub_status *st)
{
	const struct ub_app *usim = NULL, *isim = NULL;
	bool usim_gba = false, isim_gba = false;
	int err;

	memset(g, 0, sizeof(*g));
	g->u = u;
	err = ub_uicc_find_app(u, UB_APP_USIM, &usim, st);
	if (err && err != UB_E_NOT_FOUND)
		return err;
	if (prefer_isim || !usim) {
		err = ub_uicc_find_app(u, UB_APP_ISIM, &isim, st);
		if (err && err != UB_E_NOT_FOUND)
			return err;
	}
	if (isim && (err = read_service(u, isim, &UB_EF_IST, 2, &isim_gba, st)))
		return err;
	if (usim && (!isim_gba || !prefer_isim) &&
	    (err = read_service(u, usim, &UB_EF_UST, 68, &usim_gba, st)))
		return err;
	if (isim && isim_gba && (prefer_isim || !usim_gba)) {
		g->app = isim;
		g->isim = true;
		g->gbabp = &UB_EF_ISIM_GBABP;
		g->gbanl = &UB_EF_ISIM_GBANL;
	} else if (usim && (usim_gba || allow_me)) {
		g->app = usim;
		g->gbabp = &UB_EF_USIM_GBABP;
		g->gbanl = &UB_EF_USIM_GBANL;
	} else {
		return ub_fail(st, UB_E_NO_GBA, 0, "GBA", NULL);
	}
	g->service = g->isim ? isim_gba : usim_gba;
	return 0;
}

int ub_gba_impi(struct ub_gba *g, struct ub_status *st)
{
	return g->impi[0] ? 0 : ub_uicc_impi(g->u, g->app, g->impi, sizeof(g->impi), st);
}

int ub_gba_bootstrap(struct ub_gba *g, const uint8_t rand[16], const uint8_t autn[16],
		     const char *btid, const char *lifetime, uint8_t res[16], size_t *res_len,
		     uint8_t auts[14], struct ub_status *st)
{
	struct ub_gbabp bp;
	uint8_t cmd[35], r[64], file[600];
	size_t n = 0;
	int err, len;

	if (!g->service)
		return ub_fail(st, UB_E_NO_GBA, 0, "GBA", NULL);
	cmd[0] = 0xDD;
	cmd[1] = 16;
	memcpy(cmd + 2, rand, 16);
	cmd[18] = 16;
	memcpy(cmd + 19, autn, 16);
	err = authenticate(g->u, g->app, 0x84, cmd, sizeof(cmd), r, sizeof(r), &n, st);
	if (!err && n >= 1 && r[0] == 0xDC)
		err = sync_failure(r, n, auts, st);
	else if (!err && (n < 2 || r[0] != 0xDB || r[1] < 4 || r[1] > 16 || n != 2u + r[1]))
		err = bad_answer(st);
	if (err)
		goto end;
	*res_len = r[1];
	memcpy(res, r + 2, *res_len);

	/* EF_GBABP: the card wrote this RAND (G.1); the ME adds B-TID and
	 * lifetime behind it.  Writing the RAND back unchanged saves reading
	 * the file first. */
	memset(&bp, 0, sizeof(bp));
	memcpy(bp.rand, rand, 16);
	bp.rand_len = 16;
	snprintf(bp.btid, sizeof(bp.btid), "%s", btid);
	snprintf(bp.lifetime, sizeof(bp.lifetime), "%s", lifetime);
	len = ub_gbabp_encode(&bp, file, sizeof(file));
	if (len < 0 || len > 255) {
		err = ub_fail(st, UB_E_USAGE, 0, g->gbabp->name,
			      "B-TID and lifetime do not fit in EF_GBABP");
		goto end;
	}
	err = ub_uicc_update(g->u, g->gbabp, file, (size_t)len, true, st);
end:
	OPENSSL_cleanse(r, sizeof(r));
	return err;
}

int ub_gba_status(struct ub_gba *g, struct ub_gbabp *bp, struct ub_gbanl *nl, size_t max,
		  struct ub_status *st)
{
	uint8_t b[256];
	int n, err;
	size_t k = 0;
	unsigned rec;

	err = ub_uicc_select(g->u, g->app, st);
	if (err)
		return err;
	n = ub_uicc_read(g->u, g->gbabp, 0, b, sizeof(b), st);
	if (n < 0)
		return n;
	if (ub_gbabp_decode(b, (size_t)n, bp))
		return ub_fail(st, UB_E_BAD_DATA, 0, g->gbabp->name, "%s is malformed",
			       g->gbabp->name);
	for (rec = 1; k < max && rec < 255; rec++) {
		n = ub_uicc_read_record(g->u, g->gbanl, rec, b, sizeof(b), st);
		if (n == UB_E_NOT_FOUND)
			break;
		if (n < 0)
			return n;
		if (ub_gbanl_decode(b, (size_t)n, &nl[k]))
			return ub_fail(st, UB_E_BAD_DATA, 0, g->gbanl->name,
				       "%s record %u is malformed", g->gbanl->name, rec);
		if (nl[k].naf_id_len)
			k++;
	}
	return (int)k;
}

int ub_gba_naf_key(struct ub_gba *g, const uint8_t *naf_id, size_t naf_len, long long now,
		   uint8_t ks_ext_naf[32], struct ub_gbabp *bp, struct ub_status *st)
{
	uint8_t cmd[255], r[64], b[256];
	size_t n = 0, lc = 0, il;
	long long until;
	int err, len;

	if (!g->service)
		return ub_fail(st, UB_E_NO_GBA, 0, "GBA", NULL);
	if (!g->isim && (err = ub_gba_impi(g, st)))
		return err; /* the USIM form of DE carries the IMPI */
	il = strlen(g->impi);
	if (naf_len < 6 || naf_len > 200 || il > 255)
		return ub_fail(st, UB_E_USAGE, 0, "NAF_Id", "a NAF_Id of %zu bytes", naf_len);
	err = ub_uicc_select(g->u, g->app, st);
	if (err)
		return err;
	len = ub_uicc_read(g->u, g->gbabp, 0, b, sizeof(b), st);
	if (len < 0)
		return len;
	if (ub_gbabp_decode(b, (size_t)len, bp))
		return ub_fail(st, UB_E_BAD_DATA, 0, g->gbabp->name, "%s is malformed",
			       g->gbabp->name);
	/* no B-TID, or a lifetime in the past, means no usable Ks */
	if (!bp->btid[0] || !bp->lifetime[0])
		return ub_fail(st, UB_E_KEY_EXPIRED, 0, g->gbabp->name,
			       "no GBA bootstrap on the card (%s holds no B-TID or lifetime)",
			       g->gbabp->name);
	if (ub_lifetime_parse(bp->lifetime, &until))
		return ub_fail(st, UB_E_BAD_DATA, 0, g->gbabp->name,
			       "%s: a key lifetime that is not an xs:dateTime", g->gbabp->name);
	if (until <= now)
		return ub_fail(st, UB_E_KEY_EXPIRED, 0, g->gbabp->name,
			       "the GBA key lifetime (%s) is over", bp->lifetime);

	cmd[lc++] = 0xDE;
	cmd[lc++] = (uint8_t)naf_len;
	memcpy(cmd + lc, naf_id, naf_len);
	lc += naf_len;
	if (!g->isim) {
		/* USIM form carries the IMPI; the ISIM uses its own (31.103) */
		if (lc + 1 + il > sizeof(cmd))
			return ub_fail(st, UB_E_USAGE, 0, "AUTHENTICATE",
				       "NAF_Id and IMPI do not fit in one command");
		cmd[lc++] = (uint8_t)il;
		memcpy(cmd + lc, g->impi, il);
		lc += il;
	}
	err = authenticate(g->u, g->app, 0x84, cmd, lc, r, sizeof(r), &n, st);
	if (!err && (n != 34 || r[0] != 0xDB || r[1] != 32))
		err = bad_answer(st);
	if (!err)
		memcpy(ks_ext_naf, r + 2, 32);
	OPENSSL_cleanse(r, sizeof(r));
	return err;
}

int ub_gba_me_bootstrap(struct ub_gba *g, const uint8_t rand[16], const uint8_t autn[16],
			uint8_t ks[32], struct ub_auth3g *a, struct ub_status *st)
{
	int err = ub_auth_3g(g->u, g->app, rand, autn, a, st);

	if (err)
		return err;
	memcpy(ks, a->ck, 16);
	memcpy(ks + 16, a->ik, 16);
	OPENSSL_cleanse(a->ck, sizeof(a->ck));
	OPENSSL_cleanse(a->ik, sizeof(a->ik));
	return 0;
}

int ub_gba_push(struct ub_gba *g, const struct ub_gpi *gpi, long long now, uint8_t ks_ext_naf[32],
		uint8_t auts[14], struct ub_status *st)
{
	struct ub_gbabp bp;
	uint8_t res[16];
	size_t res_len;
	int err;

	/* RES is not sent anywhere in push: there is no Ub round trip. */
	err = ub_gba_bootstrap(g, gpi->rand, gpi->autn, gpi->ptid, gpi->lifetime, res, &res_len,
			       auts, st);
	OPENSSL_cleanse(res, sizeof(res));
	if (err)
		return err;
	return ub_gba_naf_key(g, gpi->naf_id, gpi->naf_id_len, now, ks_ext_naf, &bp, st);
}
