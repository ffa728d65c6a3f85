/* The single APDU transmit path (ISO/IEC 7816-3 clause 12, TS 102 221 7.3).
 *
 * Callers describe an APDU by its case (Lc, Le); this file turns it into
 * the TPDU the negotiated protocol wants and follows the procedure bytes
 * until the card gives a final status word. */
#include <string.h>
#include <time.h>

#include "trace.h"
#include "ub_pcsc.h"

#define TPDU_MAX (5 + 255 + 1)
#define RAPDU_MAX (256 + 2)
#define MAX_CHAINED 64 /* GET RESPONSE rounds before we call it a loop */

void ub_apdu_set(struct ub_apdu *a, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
		 const uint8_t *data, size_t lc, int le, uint8_t *resp, size_t resp_max)
{
	memset(a, 0, sizeof(*a));
	a->cla = cla;
	a->ins = ins;
	a->p1 = p1;
	a->p2 = p2;
	a->data = data;
	a->lc = lc;
	a->le = le;
	a->resp = resp;
	a->resp_max = resp_max;
}

/* One TPDU through the card's link, traced (secrets redacted) whatever
 * the link. */
static int xfer(struct ub_card *c, const uint8_t *cmd, size_t len, unsigned flags, uint8_t *rsp,
		size_t *rsp_len)
{
	int err;

	ub_status_clear(&c->link_st);
	ub_trace_cmd(c->trace, cmd, len, 5, flags & UB_APDU_SECRET_CMD);
	err = c->ops->transmit(c, cmd, len, rsp, rsp_len);
	c->apdus++;
	c->fresh = false;
	if (err)
		return err;
	if (*rsp_len < 2 || *rsp_len > RAPDU_MAX)
		return UB_E_INTERNAL;
	ub_trace_rsp(c->trace, rsp, *rsp_len, flags & UB_APDU_SECRET_RESP);
	return 0;
}

/* CLA of a GET RESPONSE that follows a command sent with cla: the same
 * logical channel, interindustry class (TS 102 221 10.1.1), or A0 for a
 * 2G SIM (TS 51.011 9.2). */
static uint8_t getresp_cla(uint8_t cla)
{
	if (cla == 0xA0)
		return 0xA0;
	if (cla & 0x40)
		return cla & 0x4F;
	return cla & 0x03;
}

/* Keep what fits in the caller's buffer; count the rest so it is reported. */
static void append(struct ub_apdu *a, const uint8_t *d, size_t n, size_t *dropped)
{
	size_t room = a->resp_max - a->resp_len;

	if (n > room) {
		*dropped += n - room;
		n = room;
	}
	if (n)
		memcpy(a->resp + a->resp_len, d, n);
	a->resp_len += n;
}

int ub_transmit(struct ub_card *c, struct ub_apdu *a)
{
	uint8_t cmd[TPDU_MAX], rsp[RAPDU_MAX];
	size_t len = 0, rl = 0, dropped = 0;
	bool t0 = c->proto == SCARD_PROTOCOL_T0;
	bool case4 = a->lc > 0 && a->le >= 0;
	bool le_last; /* does the last TPDU byte carry Le (so 6Cxx can fix it)? */
	bool retried_6c = false, warned = false;
	uint16_t warn_sw = 0;
	uint8_t sw1, sw2;
	int rounds, err;

	a->resp_len = 0;
	a->sw = 0;
	if (a->lc > 255 || a->le < -1 || a->le > 256 || (a->lc && !a->data) ||
	    (a->resp_max && !a->resp))
		return UB_E_USAGE;

	cmd[len++] = a->cla;
	cmd[len++] = a->ins;
	cmd[len++] = a->p1;
	cmd[len++] = a->p2;
	if (a->lc) {
		cmd[len++] = (uint8_t)a->lc;
		memcpy(cmd + len, a->data, a->lc);
		len += a->lc;
	}
	if (a->le >= 0 && !(t0 && case4)) {
		/* T=0 case 4: Le is not sent; the card answers 61xx (ISO 7816-3 12.2.4). */
		cmd[len++] = (uint8_t)(a->le & 0xFF);
	} else if (t0 && !a->lc && a->le < 0) {
		cmd[len++] = 0x00; /* T=0 case 1: P3 = 00 */
	}
	le_last = !a->lc || (!t0 && case4);

	err = xfer(c, cmd, len, a->flags, rsp, &rl);
	for (rounds = 0; !err; rounds++) {
		sw1 = rsp[rl - 2];
		sw2 = rsp[rl - 1];
		if (rounds > MAX_CHAINED) {
			/* a card that answers 61xx to every GET RESPONSE: the
			 * caller sees the SW it gave up on */
			a->sw = (uint16_t)(sw1 << 8 | sw2);
			ub_trace_note(c->trace, "SW %04X after %d GET RESPONSEs: given up", a->sw,
				      rounds);
			return UB_E_PROTO;
		}
		append(a, rsp, rl - 2, &dropped);

		if (sw1 == 0x61 || sw1 == 0x9F) {
			/* 61xx: xx more bytes (TS 102 221 7.3.1.1.4); 9Fxx: 2G SIM. */
			len = 0;
			cmd[len++] = getresp_cla(a->cla);
			cmd[len++] = 0xC0;
			cmd[len++] = 0x00;
			cmd[len++] = 0x00;
			cmd[len++] = sw2;
			le_last = true;
		} else if (sw1 == 0x6C && le_last && !retried_6c) {
			/* 6Cxx: wrong Le; re-issue the same command once with Le = xx. */
			cmd[len - 1] = sw2;
			retried_6c = true;
		} else if ((sw1 == 0x62 || sw1 == 0x63) && t0 && case4 && !warned &&
			   a->resp_len == 0) {
			/* Case 4S with a warning on T=0: the data is fetched with
			 * GET RESPONSE, the warning is what the caller sees. */
			warn_sw = (uint16_t)(sw1 << 8 | sw2);
			warned = true;
			len = 0;
			cmd[len++] = getresp_cla(a->cla);
			cmd[len++] = 0xC0;
			cmd[len++] = 0x00;
			cmd[len++] = 0x00;
			cmd[len++] = 0x00;
			le_last = true;
		} else {
			a->sw = (uint16_t)(sw1 << 8 | sw2);
			break;
		}
		/* every TPDU of the exchange is as secret as the caller said:
		 * a command re-sent after 6Cxx carries the same data, and the
		 * data of a GET RESPONSE is the command's answer */
		err = xfer(c, cmd, len, a->flags, rsp, &rl);
	}
	if (err)
		return err;
	if (warned) {
		if (a->sw != 0x9000)
			a->resp_len = 0; /* no data behind the warning */
		a->sw = warn_sw;
	}
	if (a->le > 0 && a->resp_len > (size_t)a->le) {
		dropped += a->resp_len - (size_t)a->le;
		a->resp_len = (size_t)a->le;
	}
	if (dropped)
		ub_trace_note(c->trace, "card returned %zu bytes more than Le/buffer; cut",
			      dropped);
	return 0;
}

/* The link's own calls, for every link (ub_link_ops). */
void ub_card_disconnect(struct ub_card *c)
{
	if (c->ops)
		c->ops->close(c);
}

int ub_card_reset(struct ub_card *c)
{
	return c->ops->reset(c);
}

int ub_card_begin(struct ub_card *c)
{
	return c->ops->begin(c);
}

void ub_card_end(struct ub_card *c)
{
	c->ops->end(c);
}
