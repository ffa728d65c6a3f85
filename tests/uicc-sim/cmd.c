/* Command processing: TS 102 221 clause 10/11, TS 31.102/31.103 clause 7,
 * TS 51.011 for legacy = yes.  One function per command. */
#include <openssl/sha.h>
#include <string.h>

#include "sim.h"

struct req {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data;
	size_t lc;
	int le; /* 1..256 when has_le */
	bool has_le;
	struct sim_chan *ch;
};

struct rsp {
	uint8_t d[SIM_GR_MAX];
	size_t len;
	uint16_t sw;
	bool exact; /* length is the object's own: a different Le gets 6Cxx */
};

#define SW(r, v) ((r)->sw = (v))

void sim_reset(struct sim_card *c)
{
	int i;

	memset(c->ch, 0, sizeof(c->ch));
	for (i = 0; i < SIM_MAX_CHAN; i++)
		c->ch[i].df = c->mf;
	c->ch[0].open = true;
	c->pin_verified = false;
}

const struct sim_file_fault *sim_file_fault(const struct sim_card *c, enum sim_file_fault_kind k,
					    uint16_t fid)
{
	int i;

	for (i = 0; i < c->nfile_faults; i++)
		if (c->file_faults[i].kind == k && c->file_faults[i].fid == fid)
			return &c->file_faults[i];
	return NULL;
}

static bool pin_ok(const struct sim_card *c, bool needs_pin)
{
	return !needs_pin || !c->p->pin1_enabled || c->pin_verified;
}

/* --- SELECT ------------------------------------------------------------ */

static struct sim_file *by_fid(struct sim_card *c, struct sim_chan *ch, struct sim_file *df,
			       uint16_t fid)
{
	struct sim_file *f;

	if (fid == 0x3F00)
		return c->mf;
	if (fid == 0x7FFF)
		return ch->adf;
	if (df->fid == fid && df->type != SIM_ADF)
		return df;
	f = sim_child(df, fid);
	if (f && f->type != SIM_ADF)
		return f;
	if (df->parent && df->parent->fid == fid)
		return df->parent;
	f = df->parent ? sim_child(df->parent, fid) : NULL;
	if (f && f->type == SIM_DF)
		return f;
	return NULL;
}

static struct sim_file *by_aid(struct sim_card *c, const uint8_t *aid, size_t n)
{
	struct sim_file *adfs[] = {c->adf_usim, c->adf_isim, c->adf_p15};
	size_t i;

	for (i = 0; i < 3; i++)
		if (adfs[i] && n >= 5 && n <= adfs[i]->aid_len && !memcmp(adfs[i]->aid, aid, n) &&
		    (!c->p->whole_aid || n == adfs[i]->aid_len))
			return adfs[i];
	return NULL;
}

static struct sim_file *by_path(struct sim_card *c, struct sim_chan *ch, struct sim_file *df,
				const uint8_t *p, size_t n)
{
	size_t i;

	if (n < 2 || n % 2)
		return NULL;
	for (i = 0; i < n && df; i += 2) {
		uint16_t fid = (uint16_t)(p[i] << 8 | p[i + 1]);

		if (fid == 0x7FFF && i == 0)
			df = ch->adf;
		else if (fid == 0x3F00 && i == 0)
			df = c->mf;
		else {
			df = sim_child(df, fid);
			if (df && df->type == SIM_ADF)
				df = NULL;
		}
	}
	return df;
}

static void select_file(struct sim_chan *ch, struct sim_file *f)
{
	if (f->type == SIM_EF_TRANSPARENT || f->type == SIM_EF_LINEAR) {
		ch->ef = f;
		ch->df = f->parent;
	} else {
		ch->df = f;
		ch->ef = NULL;
		if (f->type == SIM_ADF)
			ch->adf = f;
	}
	ch->cur_rec = 0;
}

static void cmd_select(struct sim_card *c, struct req *q, struct rsp *r)
{
	struct sim_chan *ch = q->ch;
	struct sim_file *f = NULL;
	uint8_t resp = q->p2 & 0x0C;

	if ((resp != 0x04 && resp != 0x0C && resp != 0x00) || (q->p2 & 0x03 && q->p1 != 0x04))
		return (void)SW(r, 0x6A86);
	switch (q->p1) {
	case 0x00:
		if (q->lc != 2)
			return (void)SW(r, 0x6700);
		f = by_fid(c, ch, ch->df, (uint16_t)(q->data[0] << 8 | q->data[1]));
		break;
	case 0x04:
		if (q->lc < 1 || q->lc > 16)
			return (void)SW(r, 0x6700);
		/* only the first occurrence exists on this card */
		f = (q->p2 & 0x03) ? NULL : by_aid(c, q->data, q->lc);
		break;
	case 0x08:
		f = by_path(c, ch, c->mf, q->data, q->lc);
		break;
	case 0x09:
		f = by_path(c, ch, ch->df, q->data, q->lc);
		break;
	default:
		return (void)SW(r, 0x6A86);
	}
	if (!f)
		return (void)SW(r, 0x6A82);
	select_file(ch, f);
	if (resp != 0x0C) {
		r->len = sim_fcp(c, f, r->d);
		r->exact = true;
	}
	SW(r, 0x9000);
}

/* --- READ / UPDATE ------------------------------------------------------ */

/* The EF a READ/UPDATE works on: by SFI, or the current one. */
static struct sim_file *target_ef(struct req *q, bool sfi_in_p1, uint16_t *sw)
{
	struct sim_chan *ch = q->ch;
	struct sim_file *f;
	uint8_t sfi = sfi_in_p1 ? (q->p1 & 0x80 ? q->p1 & 0x1F : 0) : (uint8_t)(q->p2 >> 3);

	if (sfi) {
		f = sim_child_sfi(ch->df, sfi);
		if (!f) {
			*sw = 0x6A82;
			return NULL;
		}
		ch->ef = f;
		ch->cur_rec = 0;
	}
	if (!ch->ef)
		*sw = 0x6986;
	return ch->ef;
}

static void cmd_read_binary(struct sim_card *c, struct req *q, struct rsp *r)
{
	struct sim_file *f = target_ef(q, true, &r->sw);
	size_t off, want, avail;

	if (!f)
		return;
	if (f->type != SIM_EF_TRANSPARENT)
		return (void)SW(r, 0x6981);
	if (!pin_ok(c, f->pin_read))
		return (void)SW(r, 0x6982);
	if (sim_file_fault(c, SIM_FF_NODATA, f->fid)) {
		sim_log("# fault: READ BINARY of %04X answered 9000 without data\n", f->fid);
		return (void)SW(r, 0x9000);
	}
	off = q->p1 & 0x80 ? q->p2 : (size_t)((q->p1 & 0x7F) << 8 | q->p2);
	if (off >= f->size)
		return (void)SW(r, 0x6B00);
	avail = f->size - off;
	want = q->has_le ? (size_t)q->le : 256;
	if (want > avail) {
		/* Le = 00 on T=1 means "all there is, up to 256" */
		if (!(q->has_le && q->le == 256 && !c->p->t0))
			return (void)SW(r, (uint16_t)(0x6C00 | (avail & 0xFF)));
		want = avail;
	}
	memcpy(r->d, f->data + off, want);
	r->len = want;
	SW(r, 0x9000);
}

static void cmd_update_binary(struct sim_card *c, struct req *q, struct rsp *r)
{
	struct sim_file *f = target_ef(q, true, &r->sw);
	size_t off;

	if (!f)
		return;
	if (f->type != SIM_EF_TRANSPARENT)
		return (void)SW(r, 0x6981);
	if (!pin_ok(c, f->pin_update))
		return (void)SW(r, 0x6982);
	off = q->p1 & 0x80 ? q->p2 : (size_t)((q->p1 & 0x7F) << 8 | q->p2);
	if (!q->lc)
		return (void)SW(r, 0x6700);
	if (off + q->lc > f->size)
		return (void)SW(r, 0x6B00);
	memcpy(f->data + off, q->data, q->lc);
	SW(r, 0x9000);
}

/* Record number for READ/UPDATE RECORD; mode 04 absolute, 02 next, 03 previous. */
static int record_no(struct req *q, struct sim_file *f)
{
	int mode = q->p2 & 0x07, rec;

	if (mode == 0x04)
		rec = q->p1 ? q->p1 : q->ch->cur_rec;
	else if (mode == 0x02)
		rec = q->ch->cur_rec + 1;
	else if (mode == 0x03)
		rec = q->ch->cur_rec ? q->ch->cur_rec - 1 : f->nrec;
	else
		return -1;
	return rec;
}

static void cmd_record(struct sim_card *c, struct req *q, struct rsp *r, bool update)
{
	struct sim_file *f = target_ef(q, false, &r->sw);
	int rec;

	if (!f)
		return;
	if (f->type != SIM_EF_LINEAR)
		return (void)SW(r, 0x6981);
	if (!pin_ok(c, update ? f->pin_update : f->pin_read))
		return (void)SW(r, 0x6982);
	rec = record_no(q, f);
	if (rec < 0)
		return (void)SW(r, 0x6A86);
	if (!update && sim_file_fault(c, SIM_FF_NODATA, f->fid)) {
		sim_log("# fault: READ RECORD %d of %04X answered 9000 without data\n", rec,
			f->fid);
		return (void)SW(r, 0x9000);
	}
	if (!update && rec >= 1 && rec <= 254 && sim_file_fault(c, SIM_FF_EMPTY, f->fid)) {
		/* a card that holds every record number, all of them empty */
		q->ch->cur_rec = (uint8_t)rec;
		memset(r->d, 0xFF, f->rec_len);
		r->len = f->rec_len;
		r->exact = true;
		return (void)SW(r, 0x9000);
	}
	if (rec < 1 || rec > f->nrec)
		return (void)SW(r, 0x6A83);
	q->ch->cur_rec = (uint8_t)rec;
	if (update) {
		if (q->lc != f->rec_len)
			return (void)SW(r, 0x6700);
		memcpy(f->data + (size_t)(rec - 1) * f->rec_len, q->data, q->lc);
	} else {
		memcpy(r->d, f->data + (size_t)(rec - 1) * f->rec_len, f->rec_len);
		r->len = f->rec_len;
		r->exact = true;
	}
	SW(r, 0x9000);
}

/* --- STATUS, MANAGE CHANNEL, VERIFY ---------------------------------------- */

static void cmd_status(struct sim_card *c, struct req *q, struct rsp *r)
{
	struct sim_file *app = q->ch->adf ? q->ch->adf : c->mf;

	switch (q->p2) {
	case 0x00:
		r->len = sim_fcp(c, app, r->d);
		break;
	case 0x01:
		if (!q->ch->adf)
			return (void)SW(r, 0x6A86);
		r->d[0] = 0x84;
		r->d[1] = (uint8_t)app->aid_len;
		memcpy(r->d + 2, app->aid, app->aid_len);
		r->len = 2 + app->aid_len;
		break;
	case 0x0C:
		break;
	default:
		return (void)SW(r, 0x6A86);
	}
	r->exact = true;
	SW(r, 0x9000);
}

static void cmd_manage_channel(struct sim_card *c, struct req *q, struct rsp *r)
{
	int n;

	if (q->p1 == 0x00) {
		n = q->p2;
		if (!n)
			for (n = 1; n < SIM_MAX_CHAN && c->ch[n].open; n++)
				;
		if (n >= SIM_MAX_CHAN || c->ch[n].open)
			return (void)SW(r, 0x6A81);
		memset(&c->ch[n], 0, sizeof(c->ch[n]));
		c->ch[n].open = true;
		c->ch[n].df = c->mf;
		if (!q->p2) {
			r->d[0] = (uint8_t)n;
			r->len = 1;
			r->exact = true;
		}
	} else if (q->p1 == 0x80) {
		if (q->p2 < 1 || q->p2 >= SIM_MAX_CHAN || !c->ch[q->p2].open)
			return (void)SW(r, 0x6881);
		c->ch[q->p2].open = false;
	} else {
		return (void)SW(r, 0x6A86);
	}
	SW(r, 0x9000);
}

static void cmd_verify(struct sim_card *c, struct req *q, struct rsp *r)
{
	uint8_t pin[8];
	size_t n = strlen(c->p->pin1);

	if (q->p1 != 0x00 || q->p2 != 0x01)
		return (void)SW(r, 0x6A88);
	if (c->pin_attempts == 0)
		return (void)SW(r, 0x6983);
	if (q->lc == 0) {
		SW(r, c->pin_verified ? 0x9000 : (uint16_t)(0x63C0 | c->pin_attempts));
		return;
	}
	if (q->lc != 8)
		return (void)SW(r, 0x6700);
	memset(pin, 0xFF, sizeof(pin));
	memcpy(pin, c->p->pin1, n);
	if (memcmp(pin, q->data, 8)) {
		c->pin_attempts--;
		c->pin_verified = false;
		return (void)SW(r, (uint16_t)(0x63C0 | c->pin_attempts));
	}
	c->pin_attempts = c->p->pin1_attempts;
	c->pin_verified = true;
	SW(r, 0x9000);
}

/* --- AUTHENTICATE --------------------------------------------------------- */

enum aka_result { AKA_OK, AKA_MAC, AKA_SYNC };

/* TS 33.102 6.3.3: recover SQN, check MAC, check freshness.  With GBA_U
 * and gba_autn_star the MAC field is MAC* = MAC xor Trunc(SHA-1(IK));
 * Trunc is taken as the first 64 bits (which 64 bits is UNCERTAIN, hence
 * the gba_autn_star switch; GBA_U, TS 33.220 Annex C). */
static enum aka_result aka(struct sim_card *c, const uint8_t rand[16], const uint8_t autn[16],
			   bool star, uint8_t res[8], uint8_t ck[16], uint8_t ik[16],
			   uint8_t auts[14])
{
	const struct sim_profile *p = c->p;
	uint8_t ak[6], ak_s[6], sqn[6], mac[8], xmac[8], h[20];
	static const uint8_t amf_star[2] = {0, 0};
	int i;

	milenage_f2345(p->ki, p->opc, rand, res, ck, ik, ak, ak_s);
	for (i = 0; i < 6; i++)
		sqn[i] = autn[i] ^ ak[i];
	memcpy(mac, autn + 8, 8);
	if (star) {
		SHA1(ik, 16, h);
		for (i = 0; i < 8; i++)
			mac[i] ^= h[i];
	}
	milenage_f1(p->ki, p->opc, rand, sqn, autn + 6, xmac, NULL);
	if (memcmp(mac, xmac, 8))
		return AKA_MAC;
	if (memcmp(sqn, c->sqn_ms, 6) <= 0) {
		/* AUTS = SQN_MS xor AK* || MAC-S, MAC-S over SQN_MS || RAND || AMF* */
		for (i = 0; i < 6; i++)
			auts[i] = c->sqn_ms[i] ^ ak_s[i];
		milenage_f1(p->ki, p->opc, rand, c->sqn_ms, amf_star, NULL, auts + 6);
		return AKA_SYNC;
	}
	memcpy(c->sqn_ms, sqn, 6);
	return AKA_OK;
}

static bool service(const uint8_t *tab, size_t len, int n)
{
	return (size_t)(n - 1) / 8 < len && (tab[(n - 1) / 8] >> ((n - 1) % 8) & 1);
}

static void put_auts(struct rsp *r, const uint8_t auts[14])
{
	r->d[0] = 0xDC;
	r->d[1] = 14;
	memcpy(r->d + 2, auts, 14);
	r->len = 16;
	r->exact = true;
	SW(r, 0x9000);
}

static void auth_gsm(struct sim_card *c, struct req *q, struct rsp *r)
{
	uint8_t res[8], ck[16], ik[16];
	int i;

	if (q->lc != 17 || q->data[0] != 16)
		return (void)SW(r, 0x6A80);
	milenage_f2345(c->p->ki, c->p->opc, q->data + 1, res, ck, ik, NULL, NULL);
	/* c2 and c3 (TS 33.102 6.8.1.2) */
	r->d[0] = 4;
	for (i = 0; i < 4; i++)
		r->d[1 + i] = res[i] ^ res[i + 4];
	r->d[5] = 8;
	for (i = 0; i < 8; i++)
		r->d[6 + i] = ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8];
	r->len = 14;
	r->exact = true;
	SW(r, 0x9000);
}

static void auth_3g(struct sim_card *c, struct req *q, struct rsp *r, bool usim)
{
	uint8_t res[8], ck[16], ik[16], auts[14];
	size_t n = 0;
	int i;

	if (q->lc != 34 || q->data[0] != 16 || q->data[17] != 16)
		return (void)SW(r, 0x6A80);
	switch (aka(c, q->data + 1, q->data + 18, false, res, ck, ik, auts)) {
	case AKA_MAC:
		return (void)SW(r, 0x9862);
	case AKA_SYNC:
		return put_auts(r, auts);
	case AKA_OK:
		break;
	}
	r->d[n++] = 0xDB;
	r->d[n++] = 8;
	memcpy(r->d + n, res, 8);
	n += 8;
	r->d[n++] = 16;
	memcpy(r->d + n, ck, 16);
	n += 16;
	r->d[n++] = 16;
	memcpy(r->d + n, ik, 16);
	n += 16;
	if (usim && service(c->p->ust, sizeof(c->p->ust), 27)) {
		r->d[n++] = 8;
		for (i = 0; i < 8; i++)
			r->d[n++] = ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8];
	}
	r->len = n;
	r->exact = true;
	SW(r, 0x9000);
}

/* EF_GBABP after a bootstrap: RAND written by the card, B-TID and lifetime
 * left empty for the ME to fill (TS 31.102 4.2.79). */
static void gbabp_write_rand(struct sim_file *adf, uint16_t fid, const uint8_t rand[16])
{
	struct sim_file *f = sim_child(adf, fid);

	if (!f)
		return;
	memset(f->data, 0xFF, f->size);
	f->data[0] = 16;
	memcpy(f->data + 1, rand, 16);
	f->data[17] = 0;
	f->data[18] = 0;
}

/* The B-TID the ME wrote into EF_GBABP, for the EF_GBANL record. */
static size_t gbabp_btid(struct sim_file *adf, uint16_t fid, const uint8_t **btid)
{
	struct sim_file *f = sim_child(adf, fid);
	size_t x;

	if (!f || f->size < 2)
		return 0;
	x = f->data[0];
	if (x + 2 > f->size || f->data[x + 1] == 0xFF || x + 2 + f->data[x + 1] > f->size)
		return 0;
	*btid = f->data + x + 2;
	return f->data[x + 1];
}

/* EF_GBANL: a record per NAF_ID, "80 L NAF_ID 81 L B-TID", FF padded; a
 * full file overwrites round robin (TS 33.220 G.2: least recently used). */
static void gbanl_update(struct sim_card *c, struct sim_file *adf, bool usim, const uint8_t *naf,
			 size_t naf_len)
{
	static unsigned victim;
	struct sim_file *f = sim_child(adf, usim ? 0x6FDA : 0x6FD7);
	const uint8_t *btid = NULL;
	size_t blen = gbabp_btid(adf, usim ? 0x6FD6 : 0x6FD5, &btid), n;
	uint8_t *rec = NULL;
	int i;

	if (!f || naf_len + blen + 4 > f->rec_len)
		return;
	for (i = 0; i < f->nrec && !rec; i++) {
		uint8_t *x = f->data + (size_t)i * f->rec_len;

		if (x[0] == 0xFF || (x[1] == naf_len && !memcmp(x + 2, naf, naf_len)))
			rec = x;
	}
	if (!rec)
		rec = f->data + (size_t)(victim++ % f->nrec) * f->rec_len;
	memset(rec, 0xFF, f->rec_len);
	rec[0] = 0x80;
	rec[1] = (uint8_t)naf_len;
	memcpy(rec + 2, naf, naf_len);
	n = 2 + naf_len;
	rec[n++] = 0x81;
	rec[n++] = (uint8_t)blen;
	if (blen)
		memcpy(rec + n, btid, blen);
	(void)c;
}

static void auth_gba(struct sim_card *c, struct req *q, struct rsp *r, bool usim)
{
	struct sim_gba *g = usim ? &c->gba_usim : &c->gba_isim;
	struct sim_file *adf = q->ch->adf;
	const uint8_t *d = q->data, *impi;
	uint8_t res[8], ck[16], ik[16], auts[14];
	size_t l1, l2 = 0, impi_len;

	if (usim ? !service(c->p->ust, sizeof(c->p->ust), 68)
		 : !service(c->p->ist, sizeof(c->p->ist), 2))
		return (void)SW(r, 0x9864);
	if (q->lc < 2)
		return (void)SW(r, 0x6A80);
	if (d[0] == 0xDD) {
		if (q->lc != 35 || d[1] != 16 || d[18] != 16)
			return (void)SW(r, 0x6A80);
		switch (aka(c, d + 2, d + 19, c->p->gba_autn_star, res, ck, ik, auts)) {
		case AKA_MAC:
			return (void)SW(r, 0x9862);
		case AKA_SYNC:
			return put_auts(r, auts);
		case AKA_OK:
			break;
		}
		memcpy(g->ks, ck, 16);
		memcpy(g->ks + 16, ik, 16);
		memcpy(g->rand, d + 2, 16);
		g->has_ks = true;
		gbabp_write_rand(adf, usim ? 0x6FD6 : 0x6FD5, g->rand);
		r->d[0] = 0xDB;
		r->d[1] = 8;
		memcpy(r->d + 2, res, 8);
		r->len = 10;
		r->exact = true;
		return (void)SW(r, 0x9000);
	}
	if (d[0] != 0xDE)
		return (void)SW(r, 0x6A80);
	l1 = d[1];
	if (l1 == 0 || 2 + l1 > q->lc)
		return (void)SW(r, 0x6A80);
	if (usim) {
		/* USIM form: NAF_ID and IMPI (TS 31.102 7.1.2.4) */
		if (3 + l1 > q->lc)
			return (void)SW(r, 0x6A80);
		l2 = d[2 + l1];
		if (!l2 || 3 + l1 + l2 != q->lc)
			return (void)SW(r, 0x6A80);
		impi = d + 3 + l1;
		impi_len = l2;
	} else {
		/* ISIM form: NAF_ID only; the IMPI is the card's own */
		if (2 + l1 != q->lc)
			return (void)SW(r, 0x6A80);
		impi = (const uint8_t *)c->p->impi;
		impi_len = strlen(c->p->impi);
	}
	if (!g->has_ks)
		return (void)SW(r, c->p->gba_no_ks_sw);
	sim_gba_ks_ext_naf(g->ks, g->rand, impi, impi_len, d + 2, l1, r->d + 2);
	gbanl_update(c, adf, usim, d + 2, l1);
	r->d[0] = 0xDB;
	r->d[1] = 32;
	r->len = 34;
	r->exact = true;
	SW(r, 0x9000);
}

static void cmd_authenticate(struct sim_card *c, struct req *q, struct rsp *r)
{
	struct sim_file *adf = q->ch->adf;
	bool usim = adf && adf == c->adf_usim;

	if (!adf || (adf != c->adf_usim && adf != c->adf_isim))
		return (void)SW(r, 0x6985);
	if (!pin_ok(c, true))
		return (void)SW(r, 0x6982);
	if (q->p1 != 0x00)
		return (void)SW(r, 0x6A86);
	switch (q->p2) {
	case 0x80:
		return usim ? auth_gsm(c, q, r) : (void)SW(r, 0x9864);
	case 0x81:
		return auth_3g(c, q, r, usim);
	case 0x84:
		return auth_gba(c, q, r, usim);
	default:
		return (void)SW(r, 0x9864);
	}
}

/* --- GET RESPONSE and dispatch --------------------------------------------- */

static void cmd_get_response(struct req *q, struct rsp *r)
{
	struct sim_chan *ch = q->ch;
	size_t rem = ch->gr_len - ch->gr_off, want = q->has_le ? (size_t)q->le : 256;

	if (!rem)
		return (void)SW(r, 0x6985);
	if (want > rem)
		return (void)SW(r, (uint16_t)(0x6C00 | (rem & 0xFF)));
	memcpy(r->d, ch->gr + ch->gr_off, want);
	r->len = want;
	ch->gr_off += want;
	rem -= want;
	SW(r, rem ? (uint16_t)(0x6100 | (rem > 255 ? 0 : rem)) : ch->gr_sw);
	if (!rem)
		ch->gr_len = ch->gr_off = 0;
}

/* Legacy 2G SIM (TS 51.011): CLA A0, GSM select response behind 9Fxx. */
static void legacy(struct sim_card *c, struct req *q, struct rsp *r)
{
	struct sim_chan *ch = &c->ch[0];
	struct sim_file *f;
	uint8_t res[8], ck[16], ik[16];
	int i;

	q->ch = ch;
	switch (q->ins) {
	case 0xA4:
		if (q->lc != 2)
			return (void)SW(r, 0x6700);
		f = by_fid(c, ch, ch->df, (uint16_t)(q->data[0] << 8 | q->data[1]));
		if (!f && ch->ef) /* EFs beside the current EF */
			f = sim_child(ch->df, (uint16_t)(q->data[0] << 8 | q->data[1]));
		if (!f)
			return (void)SW(r, 0x9404);
		select_file(ch, f);
		r->len = sim_gsm_select_rsp(c, f, r->d);
		return (void)SW(r, 0x9000);
	case 0xB0:
		if (ch->ef && !pin_ok(c, ch->ef->pin_read))
			return (void)SW(r, 0x9804);
		return cmd_read_binary(c, q, r);
	case 0xB2:
		return cmd_record(c, q, r, false);
	case 0x20:
		if (q->lc != 8)
			return (void)SW(r, 0x6700);
		cmd_verify(c, q, r);
		if (r->sw == 0x6983)
			SW(r, 0x9840);
		else if ((r->sw & 0xFFF0) == 0x63C0)
			SW(r, c->pin_attempts ? 0x9804 : 0x9840);
		return;
	case 0x88:
		if (q->lc != 16)
			return (void)SW(r, 0x6700);
		if (!pin_ok(c, true))
			return (void)SW(r, 0x9804);
		milenage_f2345(c->p->ki, c->p->opc, q->data, res, ck, ik, NULL, NULL);
		for (i = 0; i < 4; i++)
			r->d[i] = res[i] ^ res[i + 4];
		for (i = 0; i < 8; i++)
			r->d[4 + i] = ck[i] ^ ck[i + 8] ^ ik[i] ^ ik[i + 8];
		r->len = 12;
		return (void)SW(r, 0x9000);
	case 0xF2:
		r->len = sim_gsm_select_rsp(c, ch->df, r->d);
		r->exact = true;
		return (void)SW(r, 0x9000);
	default:
		return (void)SW(r, 0x6D00);
	}
}

static void dispatch(struct sim_card *c, struct req *q, struct rsp *r)
{
	bool iso = (q->cla & 0xF0) == 0x00, prop = (q->cla & 0xF0) == 0x80;

	if (!iso && !prop)
		return (void)SW(r, 0x6E00);
	switch (q->ins) {
	case 0xA4:
		return iso ? cmd_select(c, q, r) : (void)SW(r, 0x6E00);
	case 0xB0:
		return iso ? cmd_read_binary(c, q, r) : (void)SW(r, 0x6E00);
	case 0xD6:
		return iso ? cmd_update_binary(c, q, r) : (void)SW(r, 0x6E00);
	case 0xB2:
		return iso ? cmd_record(c, q, r, false) : (void)SW(r, 0x6E00);
	case 0xDC:
		return iso ? cmd_record(c, q, r, true) : (void)SW(r, 0x6E00);
	case 0xF2:
		return prop ? cmd_status(c, q, r) : (void)SW(r, 0x6E00);
	case 0x70:
		return iso ? cmd_manage_channel(c, q, r) : (void)SW(r, 0x6E00);
	case 0x20:
		return iso ? cmd_verify(c, q, r) : (void)SW(r, 0x6E00);
	case 0x88:
		return iso ? cmd_authenticate(c, q, r) : (void)SW(r, 0x6E00);
	default:
		return (void)SW(r, 0x6D00);
	}
}

static size_t put_sw(uint8_t *o, size_t n, uint16_t sw)
{
	o[n] = (uint8_t)(sw >> 8);
	o[n + 1] = (uint8_t)sw;
	return n + 2;
}

/* One APDU in, one response out (data + SW).  rsp has room for 258 bytes. */
size_t sim_apdu(struct sim_card *c, const uint8_t *cmd, size_t len, uint8_t *out)
{
	struct req q = {0};
	struct rsp r = {0};
	bool case3form, t0 = c->p->t0;
	int chan;

	if (len < 4)
		return put_sw(out, 0, 0x6700);
	q.cla = cmd[0];
	q.ins = cmd[1];
	q.p1 = cmd[2];
	q.p2 = cmd[3];
	if (len == 5) {
		q.has_le = true;
		q.le = cmd[4] ? cmd[4] : 256;
	} else if (len > 5) {
		q.lc = cmd[4];
		q.data = cmd + 5;
		if (len == 6 + q.lc && !t0) {
			q.has_le = true;
			q.le = cmd[5 + q.lc] ? cmd[5 + q.lc] : 256;
		} else if (len != 5 + q.lc || !q.lc) {
			return put_sw(out, 0, 0x6700);
		}
	}
	case3form = q.lc && !q.has_le;

	if (c->p->legacy) {
		if (q.cla != 0xA0)
			return put_sw(out, 0, 0x6E00);
	} else if (q.cla == 0xA0 || (q.cla & 0x40)) {
		return put_sw(out, 0, q.cla == 0xA0 ? 0x6E00 : 0x6881);
	}
	chan = c->p->legacy ? 0 : q.cla & 0x03;
	q.ch = &c->ch[chan];
	if (!q.ch->open)
		return put_sw(out, 0, 0x6881);

	if (q.ins == 0xC0) {
		cmd_get_response(&q, &r);
		memcpy(out, r.d, r.len);
		return put_sw(out, r.len, r.sw);
	}
	q.ch->gr_len = q.ch->gr_off = 0; /* any other command drops pending data */
	if (c->p->legacy)
		legacy(c, &q, &r);
	else
		dispatch(c, &q, &r);

	if (!r.len || (r.sw >> 8 != 0x90 && r.sw >> 8 != 0x62 && r.sw >> 8 != 0x63))
		return put_sw(out, 0, r.sw);
	if (case3form && (t0 || c->p->legacy)) {
		/* data waits for GET RESPONSE: 61xx (TS 102 221 7.3.1.1.4), 9Fxx (2G) */
		memcpy(q.ch->gr, r.d, r.len);
		q.ch->gr_len = r.len;
		q.ch->gr_off = 0;
		q.ch->gr_sw = r.sw;
		return put_sw(out, 0,
			      (uint16_t)((c->p->legacy ? 0x9F00 : 0x6100) | (r.len & 0xFF)));
	}
	if (case3form)
		return put_sw(out, 0, r.sw); /* T=1 without Le: no data */
	if (r.exact && q.le != (int)r.len && !(q.le == 256 && !t0))
		return put_sw(out, 0, (uint16_t)(0x6C00 | (r.len & 0xFF)));
	if (r.len > (size_t)q.le)
		r.len = (size_t)q.le;
	memcpy(out, r.d, r.len);
	return put_sw(out, r.len, r.sw);
}
