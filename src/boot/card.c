/* The card sessions and card info of the public API (uiccboot/card.h). */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "ub_at.h"
#include "ub_cardboot.h"
#include "ub_gba.h"
#include "ub_hex.h"
#include "ub_policy.h"
#include "ub_session.h"

struct ub_session *ub_card_session_new(void)
{
	return calloc(1, sizeof(struct ub_session));
}

int ub_card_session_open(struct ub_session *s, const struct ub_boot_config *cfg,
			 struct ub_status *st)
{
	if (s->have_ctx || s->have_card)
		return ub_fail(st, UB_E_USAGE, 0, "card session", "open already");
	return ub_session_open(s, cfg, cfg->pin ? cfg->pin : ub_policy_pin1(cfg->policy), st);
}

void ub_card_session_free(struct ub_session *s)
{
	if (!s)
		return;
	ub_session_close(s);
	free(s);
}

unsigned ub_card_session_apdus(const struct ub_session *s)
{
	return ub_session_apdus(s);
}

const char *ub_card_session_reader(const struct ub_session *s)
{
	return s->card.reader;
}

const char *ub_card_session_reset_note(const struct ub_session *s)
{
	return s->reset && s->card.ops != &ub_pcsc_link ? s->card.ops->reset_says : NULL;
}

/* A card call of s failed: st says so with the reader in front. */
static int card_failed(const struct ub_session *s, int err, struct ub_status *st)
{
	ub_status_at(st, "reader \"%s\"", s->card.reader);
	return err;
}

/* The active protocol is only known once connected; a shared connect that
 * leaves the card alone is enough to learn it. */
static const char *probe_protocol(SCARDCONTEXT ctx, const char *reader)
{
	SCARDHANDLE h;
	DWORD proto;
	const char *name = NULL;

	if (SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h,
			 &proto) != SCARD_S_SUCCESS)
		return NULL;
	name = ub_proto_name(proto);
	SCardDisconnect(h, SCARD_LEAVE_CARD);
	return name;
}

/* The modem: with a card when it offers generic SIM access (it has no ATR
 * to show). */
static void modem_entry(const char *spec, struct ub_card_reader *r)
{
	struct ub_status st = {0};
	struct ub_card c;
	int err = ub_modem_open(&c, spec, 0, NULL, &st);

	if (!err)
		ub_card_disconnect(&c);
	snprintf(r->name, sizeof(r->name), "%s", spec);
	r->modem = true;
	r->card_present = !err;
	r->protocol = err ? NULL : "AT+CSIM";
	if (err)
		snprintf(r->error, sizeof(r->error), "%s", st.what);
}

int ub_card_readers(const struct ub_boot_config *cfg, struct ub_card_reader **list, size_t *n,
		    struct ub_status *st)
{
	struct ub_reader_info *rs = calloc(64, sizeof(*rs));
	const char *modem = ub_at_spec(cfg->reader) ? cfg->reader : NULL;
	char port[UB_POLICY_MODEM_SPEC_MAX];
	SCARDCONTEXT ctx = 0;
	int k = 0, i, err;

	*list = NULL;
	*n = 0;
	if (!modem)
		modem = ub_policy_modem(cfg->policy, port, sizeof(port));
	if (!rs)
		return ub_fail(st, UB_E_NOMEM, 0, "PC/SC", NULL);
	err = ub_ctx_open(&ctx);
	if (err && !modem) {
		free(rs);
		return ub_fail(st, err, 0, "PC/SC", NULL);
	}
	if (!err && (k = ub_readers_list(ctx, rs, 64)) < 0) {
		ub_ctx_close(ctx);
		free(rs);
		return ub_fail(st, k, 0, "listing readers", NULL);
	}
	*list = calloc((size_t)k + 1, sizeof(**list));
	for (i = 0; *list && i < k; i++) {
		struct ub_card_reader *r = &(*list)[i];

		snprintf(r->name, sizeof(r->name), "%s", rs[i].name);
		r->card_present = rs[i].card_present;
		if (r->card_present) {
			r->protocol = probe_protocol(ctx, rs[i].name);
			ub_hex(r->atr, rs[i].atr, rs[i].atr_len);
		}
	}
	if (!err)
		ub_ctx_close(ctx);
	free(rs);
	if (!*list)
		return ub_fail(st, UB_E_NOMEM, 0, "PC/SC", NULL);
	if (modem)
		modem_entry(modem, &(*list)[k++]);
	*n = (size_t)k;
	return 0;
}

void ub_card_readers_free(struct ub_card_reader *list)
{
	free(list);
}

/* The objects of the PKCS#15 application's DODF; none without one. */
static int card_objects(struct ub_uicc *u, struct ub_card_info *ci, struct ub_status *st)
{
	const struct ub_app *p15;
	struct ub_p15_oid_do objs[UB_CARD_BOOT_MAX];
	int n, j, x;

	if (ub_uicc_find_app(u, UB_APP_PKCS15, &p15, st))
		return 0; /* no PKCS#15 application: no objects */
	n = ub_uicc_p15_objects(u, p15, objs, UB_CARD_BOOT_MAX, st);
	if (n < 0)
		return n;
	for (j = 0; j < n; j++) {
		struct ub_card_object *o = &ci->objects[j];

		x = ub_boot_oid_index(&objs[j]);
		if (x >= 0)
			snprintf(o->oid, sizeof(o->oid), "%s", ub_boot_oids[x].dotted);
		else
			ub_hex(o->oid, objs[j].oid, objs[j].oid_len);
		o->name = x >= 0 ? ub_boot_oids[x].name : "other";
		ub_hex(o->path, objs[j].path.path, objs[j].path.len);
	}
	ci->nobjects = n;
	return 0;
}

/* The GBA state: the ISIM's when it has the service, else the USIM's. */
static void card_gba(const struct ub_identity *id, struct ub_card_info *ci)
{
	bool usim_svc = ub_service(id->ust, id->ust_len, 68);
	bool isim_svc = id->has_isim && ub_service(id->ist, id->ist_len, 2);
	const struct ub_gbabp *bp = isim_svc ? &id->gba_isim : &id->gba_usim;

	ci->gba.service = usim_svc || isim_svc;
	ci->gba.usim_service = usim_svc;
	ci->gba.isim_service = isim_svc;
	ci->gba.app = ci->gba.service ? (isim_svc ? "isim" : "usim") : NULL;
	snprintf(ci->gba.btid, sizeof(ci->gba.btid), "%s", bp->btid);
	snprintf(ci->gba.lifetime, sizeof(ci->gba.lifetime), "%s", bp->lifetime);
	memcpy(ci->gba.rand, bp->rand, sizeof(ci->gba.rand));
	ci->gba.rand_len = bp->rand_len;
}

int ub_card_info(struct ub_session *s, struct ub_card_info *ci, struct ub_status *st)
{
	struct ub_uicc *u = &s->uicc;
	struct ub_identity *id = malloc(sizeof(*id));
	int err, i;

	memset(ci, 0, sizeof(*ci));
	snprintf(ci->reader, sizeof(ci->reader), "%s", s->card.reader);
	if (!id)
		return ub_fail(st, UB_E_NOMEM, 0, "card info", NULL);
	err = ub_uicc_identity(u, id, st);
	if (!err && !id->legacy)
		err = card_objects(u, ci, st);
	if (err) {
		free(id);
		ub_status_at(st, "reader \"%s\"", s->card.reader);
		return err;
	}
	memcpy(ci->iccid, id->iccid, sizeof(ci->iccid));
	memcpy(ci->imsi, id->imsi, sizeof(ci->imsi));
	ci->mnc_len = id->mnc_len;
	memcpy(ci->impi, id->impi, sizeof(ci->impi));
	ci->impi_source = id->impi_source;
	for (i = 0; i < id->nimpu && i < UB_CARD_IMPU_MAX; i++)
		memcpy(ci->impu[i], id->impu[i], sizeof(ci->impu[i]));
	ci->nimpu = i;
	ci->legacy = id->legacy;
	for (i = 0; i < u->napps && i < UB_CARD_APPS_MAX; i++) {
		ub_hex(ci->apps[i].aid, u->apps[i].aid, u->apps[i].aid_len);
		memcpy(ci->apps[i].label, u->apps[i].label, sizeof(ci->apps[i].label));
		ci->apps[i].kind = ub_app_kind_name(u->apps[i].kind);
	}
	ci->napps = i;
	card_gba(id, ci);
	free(id);
	return 0;
}

/* The USIM or the ISIM of s; a failure said with the reader. */
static int card_app(struct ub_session *s, bool isim, const struct ub_app **app,
		    struct ub_status *st)
{
	int err = ub_uicc_find_app(&s->uicc, isim ? UB_APP_ISIM : UB_APP_USIM, app, st);

	if (err == UB_E_NOT_FOUND)
		ub_fail(st, err, 0, isim ? "ISIM" : "USIM", "the card has no such application");
	return err ? card_failed(s, err, st) : 0;
}

int ub_card_has_app(struct ub_session *s, bool isim, struct ub_status *st)
{
	const struct ub_app *app;

	return card_app(s, isim, &app, st);
}

int ub_card_imsi(struct ub_session *s, bool isim, char imsi[16], int *mnc_len, struct ub_status *st)
{
	const struct ub_app *app;
	int err = card_app(s, isim, &app, st);

	if (!err && (err = ub_uicc_read_imsi(&s->uicc, app, imsi, mnc_len, st)))
		return card_failed(s, err, st);
	return err;
}

int ub_card_auth_3g(struct ub_session *s, bool isim, const uint8_t rand[16], const uint8_t autn[16],
		    struct ub_card_auth3g *r, struct ub_status *st)
{
	const struct ub_app *app;
	struct ub_auth3g a;
	int err = card_app(s, isim, &app, st);

	memset(r, 0, sizeof(*r));
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	err = ub_auth_3g(&s->uicc, app, rand, autn, &a, st);
	memcpy(r->res, a.res, sizeof(r->res));
	r->res_len = a.res_len;
	memcpy(r->ck, a.ck, sizeof(r->ck));
	memcpy(r->ik, a.ik, sizeof(r->ik));
	memcpy(r->kc, a.kc, sizeof(r->kc));
	r->has_kc = a.has_kc;
	memcpy(r->auts, a.auts, sizeof(r->auts));
	OPENSSL_cleanse(&a, sizeof(a));
	return err ? card_failed(s, err, st) : 0;
}

int ub_card_auth_gsm(struct ub_session *s, bool isim, const uint8_t rand[16], uint8_t sres[4],
		     uint8_t kc[8], struct ub_status *st)
{
	const struct ub_app *app;
	int err = card_app(s, isim, &app, st);

	if (!err && (err = ub_auth_gsm(&s->uicc, app, rand, sres, kc, st)))
		return card_failed(s, err, st);
	return err;
}
