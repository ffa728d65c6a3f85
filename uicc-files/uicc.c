/* Card session: selection state, reads, PIN and reset handling.
 * Fewest APDUs: SELECT with P2=0C, reads by SFI, the current
 * selection remembered so that nothing is selected twice. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_sw.h"
#include "ub_uicc.h"

const struct ub_ef UB_EF_DIR = {0x2F00, 0x1E, "EF_DIR", false};
const struct ub_ef UB_EF_ICCID = {0x2FE2, 0x02, "EF_ICCID", false};
const struct ub_ef UB_EF_IMSI = {0x6F07, 0x07, "EF_IMSI", false};
const struct ub_ef UB_EF_AD = {0x6FAD, 0x03, "EF_AD", false};
const struct ub_ef UB_EF_UST = {0x6F38, 0x04, "EF_UST", false};
const struct ub_ef UB_EF_USIM_GBABP = {0x6FD6, 0, "EF_GBABP", false};
const struct ub_ef UB_EF_USIM_GBANL = {0x6FDA, 0, "EF_GBANL", false};
const struct ub_ef UB_EF_IMPI = {0x6F02, 0x02, "EF_IMPI", false};
const struct ub_ef UB_EF_DOMAIN = {0x6F03, 0x05, "EF_DOMAIN", false};
const struct ub_ef UB_EF_IMPU = {0x6F04, 0x04, "EF_IMPU", false};
const struct ub_ef UB_EF_IST = {0x6F07, 0x07, "EF_IST", false};
const struct ub_ef UB_EF_ISIM_AD = {0x6FAD, 0x03, "EF_AD", false};
const struct ub_ef UB_EF_ISIM_GBABP = {0x6FD5, 0, "EF_GBABP", false};
const struct ub_ef UB_EF_ISIM_GBANL = {0x6FD7, 0, "EF_GBANL", false};

#define CLA(u) ub_uicc_cla(u)

uint8_t ub_uicc_cla(const struct ub_uicc *u)
{
	if (u->legacy)
		return 0xA0;
	/* TS 102 221 10.1.1: channels 0-3 in b2b1, 4-19 as 01xx xxxx */
	return u->chan < 4 ? u->chan : (uint8_t)(0x40 | (u->chan - 4));
}

void ub_uicc_init(struct ub_uicc *u, struct ub_card *c, const char *pin)
{
	memset(u, 0, sizeof(*u));
	u->card = c;
	u->pin = pin;
	u->dir_next = 1;
	/* Only right after a reset is the MF known to be current (TS 102 221
	 * 8.6); a card left by another application can be anywhere. */
	u->in_mf = c->fresh;
	u->generation = c->generation;
}

/* The status word as an error; when it is one, st says where and which. */
static int sw_fail(struct ub_status *st, uint16_t sw, const char *where)
{
	int err = ub_sw_err(0, sw);

	return err ? ub_fail(st, err, sw, where, "%s: SW %04X: %s", where, sw, ub_strerror(err))
		   : 0;
}

/* A transport failure, saying where it happened; a card that never ends
 * its GET RESPONSE rounds (61xx forever) says so with the SW. */
static int xmit_fail(struct ub_uicc *u, struct ub_status *st, int err, const struct ub_apdu *a,
		     const char *where)
{
	const struct ub_status *l = &u->card->link_st;

	/* the link said more (a modem: which port, which AT command, what
	 * it answered) */
	if (l->err == err)
		return ub_fail(st, err, a->sw, l->where, "%s: %s", where, l->what);
	if (err == UB_E_PROTO && a->sw)
		return ub_fail(st, err, a->sw, where,
			       "%s: the card keeps answering %04X to GET RESPONSE: given up", where,
			       a->sw);
	return ub_fail(st, err, 0, where, "%s: %s", where, ub_strerror(err));
}

/* One exchange; a transport failure says where it happened. */
static int xmit(struct ub_uicc *u, struct ub_apdu *a, struct ub_status *st, const char *where)
{
	int err = ub_transmit(u->card, a);

	return err ? xmit_fail(u, st, err, a, where) : 0;
}

int ub_uicc_verify_pin(struct ub_uicc *u, struct ub_status *st)
{
	uint8_t pin[8];
	struct ub_apdu a;
	size_t n;
	int err, left;

	/* VERIFY without data: 9000 verified / disabled, 63Cx x tries left */
	ub_apdu_set(&a, CLA(u), 0x20, 0x00, 0x01, NULL, 0, -1, NULL, 0);
	if ((err = xmit(u, &a, st, "VERIFY PIN1")))
		return err;
	if (!(err = ub_sw_err(0x20, a.sw)))
		return 0;
	if (err == UB_E_PIN_BLOCKED)
		return ub_fail(st, UB_E_PIN_BLOCKED, a.sw, "PIN1", NULL);
	if (err != UB_E_PIN_WRONG)
		return sw_fail(st, a.sw, "VERIFY PIN1");
	left = a.sw & 0x0F;
	if (!u->pin || !*u->pin)
		return ub_fail(st, UB_E_PIN_REQUIRED, a.sw, "PIN1",
			       "the card needs PIN1 (%d tries left)", left);
	if (left < 2)
		return ub_fail(st, UB_E_PIN_LAST, a.sw, "PIN1", NULL);
	/* one wrong PIN per session: a second file that asks for it must
	 * not spend another attempt with the same PIN */
	if (u->pin_wrong)
		return ub_fail(st, UB_E_PIN_WRONG, a.sw, "PIN1",
			       "PIN1 was refused once in this session: not tried again");
	n = strlen(u->pin);
	if (n < 4 || n > 8 || strspn(u->pin, "0123456789") != n)
		return ub_fail(st, UB_E_USAGE, 0, "PIN1", "PIN1 is 4 to 8 digits");
	memset(pin, 0xFF, sizeof(pin));
	memcpy(pin, u->pin, n);
	ub_apdu_set(&a, CLA(u), 0x20, 0x00, 0x01, pin, 8, -1, NULL, 0);
	a.flags = UB_APDU_SECRET_CMD;
	err = xmit(u, &a, st, "VERIFY PIN1");
	OPENSSL_cleanse(pin, sizeof(pin));
	if (err || !(err = ub_sw_err(0x20, a.sw)))
		return err;
	u->pin_wrong = err == UB_E_PIN_WRONG || err == UB_E_PIN_BLOCKED;
	return u->pin_wrong ? ub_fail(st, err, a.sw, "PIN1", NULL)
			    : sw_fail(st, a.sw, "VERIFY PIN1");
}

static int select_aid(struct ub_uicc *u, const struct ub_app *app, struct ub_status *st)
{
	const char *where = app->label[0] ? app->label : ub_app_kind_name(app->kind);
	struct ub_apdu a;
	int err;

	ub_apdu_set(&a, CLA(u), 0xA4, 0x04, 0x0C, app->aid, app->aid_len, -1, NULL, 0);
	if ((err = xmit(u, &a, st, where)) || (err = sw_fail(st, a.sw, where)))
		return err;
	u->cur_app = app;
	u->cur_ef = 0;
	u->in_mf = false;
	return 0;
}

int ub_uicc_select_fid(struct ub_uicc *u, uint16_t fid, struct ub_status *st)
{
	uint8_t f[2] = {(uint8_t)(fid >> 8), (uint8_t)fid};
	uint8_t rsp[64];
	char where[24];
	struct ub_apdu a;
	int err;

	snprintf(where, sizeof(where), "SELECT %04X", fid);
	/* A 2G SIM has no P2=0C: it answers 9Fxx and the GET RESPONSE follows. */
	ub_apdu_set(&a, CLA(u), 0xA4, 0x00, u->legacy ? 0x00 : 0x0C, f, 2, u->legacy ? 256 : -1,
		    rsp, sizeof(rsp));
	if ((err = xmit(u, &a, st, where)))
		return err;
	/* 6E00 to CLA 00 on the basic channel: a 2G SIM (the EF_DIR test of
	 * read_dir_record, met first here when no reset put the MF first) */
	if (a.sw == 0x6E00 && !u->legacy && !u->chan) {
		u->legacy = true;
		u->dir_next = 0;
		return ub_uicc_select_fid(u, fid, st); /* once: now legacy */
	}
	if ((err = sw_fail(st, a.sw, where)))
		return err;
	if (fid == 0x3F00) {
		u->cur_app = NULL;
		u->in_mf = true;
		u->cur_ef = 0;
	} else if ((fid >> 8) == 0x7F || (fid >> 8) == 0x5F) {
		u->in_mf = false; /* a DF (TS 102 221 8.2): no EF current */
		u->cur_ef = 0;
	} else {
		u->cur_ef = fid;
	}
	return 0;
}

/* SELECT an EF of the current DF by FID with its FCP (P2=04). */
static int select_fid_fcp(struct ub_uicc *u, uint16_t fid, struct ub_fcp *fcp, struct ub_status *st,
			  const char *where)
{
	uint8_t f[2] = {(uint8_t)(fid >> 8), (uint8_t)fid}, r[256];
	struct ub_apdu a;
	int err;

	ub_apdu_set(&a, CLA(u), 0xA4, 0x00, 0x04, f, 2, 256, r, sizeof(r));
	if ((err = xmit(u, &a, st, where)) || (err = sw_fail(st, a.sw, where)))
		return err;
	u->cur_ef = fid;
	if (ub_fcp_parse(r, a.resp_len, fcp))
		return ub_fail(st, UB_E_BAD_DATA, 0, where, "%s: malformed FCP", where);
	return 0;
}

/* After a reset the card is back in the MF: forget what we had selected,
 * put the application and EF back, then the caller retries once. */
static int reselect(struct ub_uicc *u, struct ub_status *st)
{
	const struct ub_app *app = u->cur_app;
	uint16_t ef = u->cur_ef;
	int err = 0;

	u->cur_app = NULL;
	u->cur_ef = 0;
	u->in_mf = true;
	u->generation = u->card->generation;
	if (u->chan) {
		/* a reset closes every logical channel: go on on the basic one */
		ub_trace_note(u->card->trace, "reset closed logical channel %u", u->chan);
		u->chan = 0;
		u->saved_app = NULL;
	}
	if (app)
		err = select_aid(u, app, st);
	if (!err && ef)
		err = ub_uicc_select_fid(u, ef, st);
	return err;
}

/* The exchange with the PIN rule and one re-select after a reset; where
 * names the operation for a failure. */
static int transmit(struct ub_uicc *u, struct ub_apdu *a, struct ub_status *st, const char *where)
{
	bool pin_tried = false, reset_tried = false;
	int err;

	for (;;) {
		err = ub_transmit(u->card, a);
		if (err == UB_E_CARD_RESET && !reset_tried) {
			reset_tried = true;
			if ((err = reselect(u, st)))
				return err;
			/* the reset closed the command's logical channel: it goes
			 * again on the channel reselect() went on with */
			if (a->cla != 0xA0)
				a->cla = (uint8_t)((a->cla & 0x40 ? a->cla & 0xB0 : a->cla & 0xFC) |
						   CLA(u));
			continue;
		}
		if (err)
			return xmit_fail(u, st, err, a, where);
		if ((a->sw == 0x6982 || (u->legacy && a->sw == 0x9804)) && !pin_tried) {
			pin_tried = true;
			if ((err = ub_uicc_verify_pin(u, st)))
				return err;
			continue;
		}
		return 0;
	}
}

int ub_uicc_transmit(struct ub_uicc *u, struct ub_apdu *a, struct ub_status *st)
{
	char where[16];

	snprintf(where, sizeof(where), "INS %02X", a->ins);
	return transmit(u, a, st, where);
}

int ub_uicc_select(struct ub_uicc *u, const struct ub_app *app, struct ub_status *st)
{
	if (u->generation != u->card->generation) {
		u->cur_app = NULL;
		u->cur_ef = 0;
		u->in_mf = true;
		u->generation = u->card->generation;
	}
	if (!app)
		return u->in_mf ? 0 : ub_uicc_select_fid(u, 0x3F00, st);
	if (u->cur_app == app)
		return 0;
	return select_aid(u, app, st);
}

/* Le for READ RECORD of fid: all records of a linear fixed EF have one
 * length (TS 102 221 8.2.2), so on T=0 the length learnt from the first
 * record saves the 6Cxx round of the others.  On T=1 Le=00 costs nothing. */
static int record_le(struct ub_uicc *u, uint16_t fid, size_t max)
{
	if (u->card->proto == SCARD_PROTOCOL_T0 && u->rec_len && u->rec_fid == fid &&
	    u->rec_app == u->cur_app && u->rec_len <= max)
		return (int)u->rec_len;
	return 256;
}

/* A record has at least one byte (TS 102 221 8.2.2): a READ RECORD that
 * succeeds without data is a failed read, never an empty record. */
static int no_record_data(struct ub_status *st, const char *where, unsigned rec, uint16_t sw)
{
	return ub_fail(st, UB_E_PROTO, sw, where,
		       "%s: READ RECORD %u answered %04X without data: a failed read, not an "
		       "empty record",
		       where, rec, sw);
}

static void record_learnt(struct ub_uicc *u, uint16_t fid, size_t len)
{
	if (!len)
		return;
	u->rec_fid = fid;
	u->rec_app = u->cur_app;
	u->rec_len = len;
}

/* Legacy SIM: the only way to know is to ask; 6E00 to CLA 00 means a 2G SIM
 * (hostap's and TS 102 221 Annex's test). */
static int read_dir_record(struct ub_uicc *u, int rec, uint8_t *buf, size_t max,
			   struct ub_status *st)
{
	struct ub_apdu a;
	int err;

	ub_apdu_set(&a, CLA(u), 0xB2, (uint8_t)rec, (uint8_t)(UB_EF_DIR.sfi << 3 | 0x04), NULL, 0,
		    record_le(u, UB_EF_DIR.fid, max), buf, max);
	if ((err = xmit(u, &a, st, "EF_DIR")))
		return err;
	if (a.sw == 0x6E00 && rec == 1) {
		u->legacy = true;
		u->dir_next = 0;
		return UB_E_NOT_FOUND;
	}
	if (ub_sw_err(0xB2, a.sw) == UB_E_NOT_FOUND)
		return UB_E_NOT_FOUND;
	if ((err = sw_fail(st, a.sw, "EF_DIR")))
		return err;
	u->cur_ef = 0; /* read by SFI: the card's current EF is EF_DIR */
	if (!a.resp_len)
		return no_record_data(st, "EF_DIR", (unsigned)rec, a.sw);
	record_learnt(u, UB_EF_DIR.fid, a.resp_len);
	return (int)a.resp_len;
}

/* EF_DIR's record count from its FCP (SELECT P2=04), asked once, at the
 * first empty record: a card that answers every record number with an
 * empty record (never 6A83) costs as many READ RECORDs as its FCP says,
 * not 254, and a card whose records are all empty is told from one whose
 * EF_DIR ends. */
static int dir_count(struct ub_uicc *u, struct ub_status *st)
{
	struct ub_fcp fcp;
	int err = select_fid_fcp(u, UB_EF_DIR.fid, &fcp, st, "EF_DIR");

	if (err)
		return err;
	if (fcp.type != UB_FT_LINEAR || !fcp.nrec)
		return ub_fail(st, UB_E_PROTO, 0, "EF_DIR",
			       "EF_DIR: records read, but its FCP gives no record count");
	if (u->dir_next > fcp.nrec)
		return ub_fail(st, UB_E_PROTO, 0, "EF_DIR",
			       "EF_DIR: record %d read, but its FCP says %u records", u->dir_next,
			       fcp.nrec);
	u->dir_nrec = fcp.nrec;
	return 0;
}

static int dir_step(struct ub_uicc *u, struct ub_status *st)
{
	uint8_t rec[256];
	struct ub_app tmp[UB_MAX_APPS], *p;
	int n, k, i;

	if (!u->in_mf) {
		n = ub_uicc_select_fid(u, 0x3F00, st); /* SFI 1E lives in the MF */
		if (n)
			return n;
		if (u->legacy)
			return 0; /* that SELECT found a 2G SIM: no EF_DIR */
	}
	n = read_dir_record(u, u->dir_next, rec, sizeof(rec), st);
	if (n == UB_E_NOT_FOUND && u->dir_nrec && u->dir_next <= u->dir_nrec)
		return ub_fail(st, UB_E_PROTO, 0x6A83, "EF_DIR",
			       "EF_DIR: record %d is not there (6A83), but its FCP says %d records",
			       u->dir_next, u->dir_nrec);
	if (n == UB_E_NOT_FOUND) {
		u->dir_next = 0;
		return 0;
	}
	if (n < 0)
		return n;
	k = ub_efdir_decode(rec, (size_t)n, tmp, UB_MAX_APPS);
	if (k < 0)
		return ub_fail(st, k, 0, "EF_DIR", "EF_DIR record %d is malformed", u->dir_next);
	u->dir_read++;
	u->dir_filled += k > 0;
	if (!k && !u->dir_nrec && (n = dir_count(u, st)))
		return n;
	for (i = 0; i < k; i++) {
		p = u->partial[tmp[i].kind];
		if (p && tmp[i].aid_len >= p->aid_len && !memcmp(tmp[i].aid, p->aid, p->aid_len)) {
			/* the one selected by a partial AID: EF_DIR gives its
			 * whole AID and label; the entry stays where it is (it
			 * may be the current application) */
			*p = tmp[i];
			u->partial[tmp[i].kind] = NULL;
			continue;
		}
		if (u->napps == UB_MAX_APPS)
			return ub_fail(st, UB_E_NOT_SUPPORTED, 0, "EF_DIR",
				       "EF_DIR lists more than %d applications", UB_MAX_APPS);
		u->apps[u->napps++] = tmp[i];
	}
	u->dir_next = u->dir_next >= 254 || (u->dir_nrec && u->dir_next >= u->dir_nrec)
			      ? 0
			      : u->dir_next + 1;
	return 1;
}

bool ub_uicc_dir_empty(const struct ub_uicc *u)
{
	return !u->dir_next && u->dir_read && !u->dir_filled;
}

/* The registered part of an application's AID: RID and application code.
 * PKCS#15 has one AID on every card (ISO/IEC 7816-15 5.3: RID A000000063,
 * PIX "PKCS-15"); the USIM and the ISIM are RID A000000087 with the 3GPP
 * application codes 1002 and 1004 (TS 101 220 Annex E), the rest of the PIX
 * the card's own. */
static const struct {
	const char *name;
	uint8_t aid[12];
	uint8_t len;
} registered[] = {
	[UB_APP_USIM] = {"USIM", {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02}, 7},
	[UB_APP_ISIM] = {"ISIM", {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x04}, 7},
	[UB_APP_PKCS15] = {"PKCS15",
			   {0xA0, 0x00, 0x00, 0x00, 0x63, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35},
			   12},
};

/* The application of that kind selected by the registered part of its AID
 * (TS 102 221 11.1.1: a partial DF name, P2=0C: first or only occurrence,
 * no data), EF_DIR read only when the card refuses it: a card that cannot
 * select by a partial AID, or holds no such application.  Returns 1 when
 * selected, 0 when EF_DIR must answer, or a transport error. */
static int probe(struct ub_uicc *u, enum ub_app_kind kind, const struct ub_app **app,
		 struct ub_status *st)
{
	struct ub_app *p;
	struct ub_apdu a;
	int err;

	u->probed |= 1u << kind;
	if (u->legacy || u->napps == UB_MAX_APPS)
		return 0;
	ub_apdu_set(&a, CLA(u), 0xA4, 0x04, 0x0C, registered[kind].aid, registered[kind].len, -1,
		    NULL, 0);
	if ((err = xmit(u, &a, st, registered[kind].name)))
		return err;
	if (a.sw == 0x6E00 && !u->chan) {
		/* CLA 00 refused on the basic channel: a 2G SIM, no EF_DIR
		 * (as ub_uicc_select_fid and read_dir_record tell it) */
		u->legacy = true;
		u->dir_next = 0;
		return 0;
	}
	if (a.sw != 0x9000)
		return 0; /* 6A82, 6A81 ...: EF_DIR says what there is */
	p = &u->apps[u->napps++];
	memset(p, 0, sizeof(*p));
	memcpy(p->aid, registered[kind].aid, registered[kind].len);
	p->aid_len = registered[kind].len;
	p->kind = kind;
	u->partial[kind] = p;
	u->cur_app = p;
	u->cur_ef = 0;
	u->in_mf = false;
	*app = p;
	return 1;
}

int ub_uicc_find_app(struct ub_uicc *u, enum ub_app_kind kind, const struct ub_app **app,
		     struct ub_status *st)
{
	int i, err;

	for (;;) {
		for (i = 0; i < u->napps; i++) {
			if (u->apps[i].kind == kind) {
				*app = &u->apps[i];
				return 0;
			}
		}
		if (!u->dir_next)
			return UB_E_NOT_FOUND; /* an answer, not a failure: st untouched */
		if (kind != UB_APP_OTHER && !(u->probed & 1u << kind)) {
			if ((err = probe(u, kind, app, st)))
				return err < 0 ? err : 0;
			continue; /* refused: EF_DIR, unless that found a 2G SIM */
		}
		err = dir_step(u, st);
		if (err < 0)
			return err;
	}
}

int ub_uicc_all_apps(struct ub_uicc *u, struct ub_status *st)
{
	int err;

	while (u->dir_next) {
		err = dir_step(u, st);
		if (err < 0)
			return err;
	}
	return u->napps;
}

/* READ BINARY in steps of at most 256 bytes until len (or the end when
 * len is 0: a short read or 6B00/6282 past it).  sized: len is what the
 * file holds (its FCP, a PKCS#15 Path), so that fewer bytes are a failed
 * read, never the file's end; else len is a hint.  An answer without data
 * is never an empty file: ISO/IEC 7816-4 answers an offset past the end
 * with 6B00 and fewer bytes than asked with 6282, each with what there
 * is.  secret: the answers are redacted in the trace. */
static int read_binary(struct ub_uicc *u, uint8_t p1_sfi, size_t off, size_t len, bool sized,
		       uint8_t *buf, size_t max, bool secret, struct ub_status *st,
		       const char *where)
{
	struct ub_apdu a;
	size_t got = 0, want;
	int err;

	if (sized && len > max)
		return ub_fail(st, UB_E_BAD_DATA, 0, where, "%s: %zu bytes, more than %zu", where,
			       len, max);
	for (;;) {
		want = len ? len - got : 256;
		if (want > 256)
			want = 256;
		if (want > max - got)
			want = max - got;
		if (!want)
			break;
		if (p1_sfi && got == 0 && off == 0)
			ub_apdu_set(&a, CLA(u), 0xB0, p1_sfi, 0x00, NULL, 0, (int)want, buf, want);
		else if (off + got > 0x7FFF)
			return ub_fail(st, UB_E_BAD_DATA, 0, where, "%s: offset past 32767", where);
		else
			ub_apdu_set(&a, CLA(u), 0xB0, (uint8_t)((off + got) >> 8),
				    (uint8_t)(off + got), NULL, 0, (int)want, buf + got, want);
		if (secret)
			a.flags = UB_APDU_SECRET_RESP;
		if ((err = transmit(u, &a, st, where)))
			return err;
		if (p1_sfi && got == 0 && off == 0 && a.sw == 0x9000)
			u->cur_ef = 0; /* an SFI read selects the EF, but by SFI */
		if ((a.sw == 0x6B00 || a.sw == 0x6282) && got && !len)
			break; /* past the end */
		if (sized && (a.sw == 0x6B00 || (a.sw == 0x6282 && !a.resp_len)))
			break; /* the end, before the size: said below */
		if (a.sw != 0x6282 && (err = sw_fail(st, a.sw, where)))
			return err;
		if (!a.resp_len)
			return ub_fail(st, UB_E_PROTO, a.sw, where,
				       "%s: READ BINARY at offset %zu answered %04X without data: "
				       "a failed read, not an empty file",
				       where, off + got, a.sw);
		got += a.resp_len;
		if (a.resp_len < want || (len && got >= len))
			break;
	}
	if (sized && got < len)
		return ub_fail(
			st, UB_E_PROTO, a.sw, where,
			"%s: the card gave %zu of the %zu bytes it holds (SW %04X): a failed "
			"read",
			where, got, len, a.sw);
	return (int)got;
}

int ub_uicc_read(struct ub_uicc *u, const struct ub_ef *ef, size_t hint, uint8_t *buf, size_t max,
		 struct ub_status *st)
{
	int err;

	if (ef->sfi && !u->legacy)
		return read_binary(u, (uint8_t)(0x80 | ef->sfi), 0, hint, false, buf, max,
				   ef->secret, st, ef->name);
	if (u->cur_ef != ef->fid && (err = ub_uicc_select_fid(u, ef->fid, st))) {
		ub_status_at(st, "%s", ef->name);
		return err;
	}
	return read_binary(u, 0, 0, hint, false, buf, max, ef->secret, st, ef->name);
}

int ub_uicc_read_record(struct ub_uicc *u, const struct ub_ef *ef, unsigned rec, uint8_t *buf,
			size_t max, struct ub_status *st)
{
	struct ub_apdu a;
	uint8_t p2 = 0x04;
	int err;

	if (rec < 1 || rec > 254)
		return ub_fail(st, UB_E_USAGE, 0, ef->name, "%s: no record %u", ef->name, rec);
	if (ef->sfi && !u->legacy) {
		p2 |= (uint8_t)(ef->sfi << 3);
	} else if (u->cur_ef != ef->fid && (err = ub_uicc_select_fid(u, ef->fid, st))) {
		ub_status_at(st, "%s", ef->name);
		return err;
	}
	ub_apdu_set(&a, CLA(u), 0xB2, (uint8_t)rec, p2, NULL, 0, record_le(u, ef->fid, max), buf,
		    max);
	if ((err = transmit(u, &a, st, ef->name)))
		return err;
	if (ef->sfi && !u->legacy)
		u->cur_ef = 0;
	if (ub_sw_err(0xB2, a.sw) == UB_E_NOT_FOUND)
		return UB_E_NOT_FOUND; /* past the last record: an answer */
	if ((err = sw_fail(st, a.sw, ef->name)))
		return err;
	if (!a.resp_len)
		return no_record_data(st, ef->name, rec, a.sw);
	record_learnt(u, ef->fid, a.resp_len);
	return (int)a.resp_len;
}

int ub_uicc_update(struct ub_uicc *u, const struct ub_ef *ef, const uint8_t *data, size_t len,
		   bool secret, struct ub_status *st)
{
	struct ub_apdu a;
	int err;

	if (len > 255)
		return ub_fail(st, UB_E_USAGE, 0, ef->name, "%s: more than 255 bytes", ef->name);
	if (u->cur_ef != ef->fid && (err = ub_uicc_select_fid(u, ef->fid, st))) {
		ub_status_at(st, "%s", ef->name);
		return err;
	}
	ub_apdu_set(&a, CLA(u), 0xD6, 0x00, 0x00, data, len, -1, NULL, 0);
	a.flags = secret ? UB_APDU_SECRET_CMD : 0;
	if ((err = transmit(u, &a, st, ef->name)))
		return err;
	return sw_fail(st, a.sw, ef->name);
}

/* SELECT by path; with fcp (P2=04) the FCP comes back too. */
static int select_path(struct ub_uicc *u, const uint8_t *path, size_t len, bool from_mf,
		       struct ub_fcp *fcp, struct ub_status *st, const char *where)
{
	uint8_t r[256];
	struct ub_apdu a;
	int err;

	if (len < 2 || len > 16 || len % 2)
		return ub_fail(st, UB_E_BAD_DATA, 0, where, "%s: a path of %zu bytes", where, len);
	ub_apdu_set(&a, CLA(u), 0xA4, from_mf ? 0x08 : 0x09, fcp ? 0x04 : 0x0C, path, len,
		    fcp ? 256 : -1, fcp ? r : NULL, fcp ? sizeof(r) : 0);
	if ((err = transmit(u, &a, st, where)) || (err = sw_fail(st, a.sw, where)))
		return err;
	/* a path ends in an EF; the DF is the one before it */
	u->cur_ef = (uint16_t)(path[len - 2] << 8 | path[len - 1]);
	if (from_mf) {
		u->cur_app = NULL;
		u->in_mf = len == 2;
	}
	if (fcp && ub_fcp_parse(r, a.resp_len, fcp))
		return ub_fail(st, UB_E_BAD_DATA, 0, where, "%s: malformed FCP", where);
	return 0;
}

int ub_uicc_select_path(struct ub_uicc *u, const uint8_t *path, size_t len, bool from_mf,
			struct ub_status *st)
{
	return select_path(u, path, len, from_mf, NULL, st, "SELECT by path");
}

int ub_uicc_read_current(struct ub_uicc *u, size_t off, size_t len, uint8_t *buf, size_t max,
			 bool secret, struct ub_status *st)
{
	return read_binary(u, 0, off, len, false, buf, max, secret, st, "READ BINARY");
}

int ub_uicc_open_channel(struct ub_uicc *u, struct ub_status *st)
{
	uint8_t n = 0;
	struct ub_apdu a;
	int err;

	if (u->legacy || u->chan || u->channel_refused)
		return 0; /* asked once per session */
	ub_apdu_set(&a, 0x00, 0x70, 0x00, 0x00, NULL, 0, 1, &n, 1);
	if ((err = xmit(u, &a, st, "MANAGE CHANNEL")))
		return err;
	if (a.sw != 0x9000 || a.resp_len != 1 || n < 1 || n > 19) {
		/* 6881 / 6A81 / 6D00: no logical channels; the basic one will do */
		ub_trace_note(u->card->trace,
			      "no logical channel (SW %04X); using the basic channel", a.sw);
		u->channel_refused = true;
		u->channel_sw = a.sw;
		return 0;
	}
	u->saved_app = u->cur_app;
	u->saved_ef = u->cur_ef;
	u->saved_in_mf = u->in_mf;
	u->chan = n;
	/* opened from the basic channel: the MF is current on it (102 221 11.1.17) */
	u->cur_app = NULL;
	u->cur_ef = 0;
	u->in_mf = true;
	return 0;
}

int ub_uicc_close_channel(struct ub_uicc *u, struct ub_status *st)
{
	struct ub_apdu a;
	int err;

	if (!u->chan)
		return 0;
	ub_apdu_set(&a, 0x00, 0x70, 0x80, u->chan, NULL, 0, -1, NULL, 0);
	err = xmit(u, &a, st, "MANAGE CHANNEL");
	u->chan = 0;
	u->cur_app = u->saved_app;
	u->cur_ef = u->saved_ef;
	u->in_mf = u->saved_in_mf;
	return err ? err : sw_fail(st, a.sw, "MANAGE CHANNEL");
}

int ub_uicc_read_imsi(struct ub_uicc *u, const struct ub_app *usim, char imsi[16], int *mnc_len,
		      struct ub_status *st)
{
	uint8_t b[64];
	int n, err;

	if ((err = ub_uicc_select(u, usim, st)))
		return err;
	if ((n = ub_uicc_read(u, &UB_EF_IMSI, 9, b, sizeof(b), st)) < 0)
		return n;
	if (ub_imsi_decode(b, (size_t)n, imsi))
		return ub_fail(st, UB_E_BAD_DATA, 0, "EF_IMSI", "EF_IMSI is malformed");
	if ((n = ub_uicc_read(u, &UB_EF_AD, 4, b, sizeof(b), st)) < 0)
		return n;
	if (ub_ad_mnc_len(b, (size_t)n, mnc_len))
		return ub_fail(st, UB_E_BAD_DATA, 0, "EF_AD", "EF_AD is malformed");
	return 0;
}

/* The part of a transparent EF that its FCP and a PKCS#15 Path give
 * (path NULL: all of it), read whole: from the Path's index for its
 * length, else to the end.  A Path that reaches past the file, and fewer
 * bytes than the FCP says, are failures. */
static int read_fcp_sized(struct ub_uicc *u, const struct ub_fcp *fcp,
			  const struct ub_p15_path *path, uint8_t *buf, size_t max, bool secret,
			  const char *name, struct ub_status *st)
{
	size_t off = path && path->index > 0 ? (size_t)path->index : 0, len;

	/* TS 102 221 11.1.1.4.1: the file size (80) is there for every EF */
	if (fcp->type != UB_FT_TRANSPARENT || !fcp->size)
		return ub_fail(st, UB_E_BAD_DATA, 0, name, "%s: %s", name,
			       fcp->type != UB_FT_TRANSPARENT ? "not a transparent EF"
							      : "its FCP gives no file size");
	if (off >= fcp->size)
		return ub_fail(st, UB_E_BAD_DATA, 0, name, "%s: index %zu past its %zu bytes", name,
			       off, fcp->size);
	len = fcp->size - off;
	if (path && path->length > 0) {
		if ((size_t)path->length > len)
			return ub_fail(st, UB_E_BAD_DATA, 0, name,
				       "%s: its Path gives %d bytes from %zu, the file holds %zu",
				       name, path->length, off, fcp->size);
		len = (size_t)path->length;
	}
	return read_binary(u, 0, off, len, true, buf, max, secret, st, name);
}

static bool from_mf(const struct ub_p15_path *p)
{
	return p->len > 2 && p->path[0] == 0x3F && p->path[1] == 0x00;
}

/* PKCS#15 directory files are read whole, so that what follows their
 * data is seen to be padding: at most this many bytes. */
#define P15_DIR_MAX 8192
#define P15_ODF_FID 0x5031 /* PKCS #15 v1.1: EF(ODF)'s file identifier */

static uint16_t last_fid(const struct ub_p15_path *p)
{
	return (uint16_t)(p->path[p->len - 2] << 8 | p->path[p->len - 1]);
}

/* ODF -> DODF is one step: a DODF that is the ODF, a DODF listed twice,
 * or an object whose file is one of these directory files would make the
 * directory read itself (and find nothing, or itself, in it). */
static int p15_dir_loops(const struct ub_p15_path *dodf, int k, const struct ub_p15_oid_do *objs,
			 int n, struct ub_status *st)
{
	char a[48];
	int i, j;

	for (i = 0; i < k; i++) {
		ub_p15_path_text(&dodf[i], a, sizeof(a));
		if (last_fid(&dodf[i]) == P15_ODF_FID)
			return ub_fail(st, UB_E_BAD_DATA, 0, "EF_ODF",
				       "EF_ODF: its DODF %s is the ODF itself", a);
		for (j = 0; j < i; j++)
			if (dodf[j].len == dodf[i].len &&
			    !memcmp(dodf[j].path, dodf[i].path, dodf[i].len))
				return ub_fail(st, UB_E_BAD_DATA, 0, "EF_ODF",
					       "EF_ODF lists DODF %s twice", a);
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < k && (dodf[j].len != objs[i].path.len ||
				      memcmp(dodf[j].path, objs[i].path.path, dodf[j].len));
		     j++)
			;
		if (j < k || last_fid(&objs[i].path) == P15_ODF_FID) {
			ub_p15_path_text(&objs[i].path, a, sizeof(a));
			return ub_fail(st, UB_E_BAD_DATA, 0, "EF_DODF",
				       "EF_DODF: entry %d names %s, a directory file, as its "
				       "object",
				       i + 1, a);
		}
	}
	return 0;
}

int ub_uicc_p15_objects(struct ub_uicc *u, const struct ub_app *p15, struct ub_p15_oid_do *objs,
			size_t max, struct ub_status *st)
{
	struct ub_p15_path dodf[4];
	struct ub_fcp fcp;
	char path[48], name[64];
	uint8_t *b = NULL;
	int n, k = 0, i, got, total = 0, err;

	if ((err = ub_uicc_select(u, p15, st)))
		return err;
	if (!(b = malloc(P15_DIR_MAX)))
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	/* each directory file with its FCP: its size says where it ends (on
	 * T=1 in the SELECT's own exchange; on T=0 its GET RESPONSE costs
	 * what the 6Cxx round of a read to the end would) */
	if ((err = select_fid_fcp(u, P15_ODF_FID, &fcp, st, "EF_ODF")))
		goto end;
	if ((n = read_fcp_sized(u, &fcp, NULL, b, P15_DIR_MAX, false, "EF_ODF", st)) < 0) {
		err = n;
		goto end;
	}
	if ((k = ub_p15_odf_dodfs(b, (size_t)n, dodf, 4)) < 0) {
		err = ub_fail(st, k, 0, "EF_ODF",
			      "EF_ODF is malformed (a TLV that does not parse, more than 4 DODFs, "
			      "or data after its padding)");
		goto end;
	}
	if ((err = p15_dir_loops(dodf, k, objs, 0, st)))
		goto end;
	for (i = 0; i < k; i++) {
		ub_p15_path_text(&dodf[i], path, sizeof(path));
		snprintf(name, sizeof(name), "EF_DODF %s", path);
		if ((err = select_path(u, dodf[i].path, dodf[i].len, from_mf(&dodf[i]), &fcp, st,
				       name)))
			goto end;
		if ((n = read_fcp_sized(u, &fcp, &dodf[i], b, P15_DIR_MAX, false, name, st)) < 0) {
			err = n;
			goto end;
		}
		if ((got = ub_p15_dodf_oids(b, (size_t)n, objs + total, max - (size_t)total)) < 0) {
			err = ub_fail(st, got, 0, name,
				      "%s is malformed (a TLV that does not parse, more than %zu "
				      "entries, or data after its padding)",
				      name, max);
			goto end;
		}
		total += got;
	}
	err = p15_dir_loops(dodf, k, objs, total, st);
end:
	free(b);
	return err ? err : total;
}

int ub_uicc_p15_read(struct ub_uicc *u, const struct ub_app *p15, const struct ub_p15_path *path,
		     uint8_t *buf, size_t max, bool secret, const char *name, struct ub_status *st)
{
	int err;

	if (path->length <= 0)
		return ub_uicc_p15_read_sized(u, p15, path, buf, max, secret, name, st);
	/* the Path says how much there is: no FCP needed */
	if ((err = ub_uicc_select(u, p15, st)) ||
	    (err = select_path(u, path->path, path->len, from_mf(path), NULL, st, name)))
		return err;
	return read_binary(u, 0, path->index > 0 ? (size_t)path->index : 0, (size_t)path->length,
			   true, buf, max, secret, st, name);
}

int ub_uicc_p15_read_sized(struct ub_uicc *u, const struct ub_app *p15,
			   const struct ub_p15_path *path, uint8_t *buf, size_t max, bool secret,
			   const char *name, struct ub_status *st)
{
	struct ub_fcp fcp;
	int err;

	if ((err = ub_uicc_select(u, p15, st)) ||
	    (err = select_path(u, path->path, path->len, from_mf(path), &fcp, st, name)))
		return err;
	return read_fcp_sized(u, &fcp, path, buf, max, secret, name, st);
}
