/* The PC/SC link (ub_link_ops, ub_pcsc.h): a card in a PC/SC reader.
 * SCardTransmit carries each TPDU; a reset or a removal that PC/SC reports
 * is told apart here, once. */
#include <string.h>
#include <time.h>

#include "ub_pcsc.h"

#define RAPDU_MAX (256 + 2)

int ub_card_reconnect(struct ub_card *c, DWORD init)
{
	DWORD proto = 0;
	LONG rv;

	rv = SCardReconnect(c->h, c->share, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, init, &proto);
	c->generation++;
	if (rv != SCARD_S_SUCCESS)
		return ub_pcsc_err(c, rv);
	c->proto = proto;
	c->fresh = init == SCARD_RESET_CARD;
	return 0;
}

int ub_card_connect(struct ub_card *c, SCARDCONTEXT ctx, const char *reader, bool exclusive,
		    struct ub_trace *trace)
{
	DWORD atr_len = UB_ATR_MAX, state, proto, rlen = 0;
	LONG rv;

	memset(c, 0, sizeof(*c));
	c->ops = &ub_pcsc_link;
	c->ctx = ctx;
	c->trace = trace;
	c->share = exclusive ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED;
	snprintf(c->reader, sizeof(c->reader), "%s", reader);
	rv = SCardConnect(ctx, reader, c->share, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &c->h,
			  &c->proto);
	if (rv != SCARD_S_SUCCESS)
		return ub_pcsc_err(c, rv);
	rv = SCardStatus(c->h, NULL, &rlen, &state, &proto, c->atr, &atr_len);
	if (rv == SCARD_S_SUCCESS)
		c->atr_len = atr_len;
	ub_trace_note(trace, "reader \"%s\", %s", reader, ub_proto_name(c->proto));
	return 0;
}

/* A reset seen by SCardTransmit: reconnect so the handle is usable again,
 * and tell the caller, whose selection state is gone. */
static int card_reset(struct ub_card *c)
{
	int err = ub_card_reconnect(c, SCARD_LEAVE_CARD);

	if (err)
		return err;
	ub_trace_note(c->trace, "card was reset; reconnected with %s", ub_proto_name(c->proto));
	return UB_E_CARD_RESET;
}

/* A card pulled out mid-APDU shows as a communication error from some
 * drivers (vpcd among them); the reader state tells what happened. */
static bool card_gone(struct ub_card *c)
{
	DWORD state = 0, proto = 0, alen = UB_ATR_MAX, rlen = 0;
	uint8_t atr[UB_ATR_MAX];
	SCARD_READERSTATE st;
	struct timespec t0, t1;
	long left = 3000;
	LONG rv = SCardStatus(c->h, NULL, &rlen, &state, &proto, atr, &alen);

	if (rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD ||
	    (rv == SCARD_S_SUCCESS && !(state & SCARD_PRESENT)))
		return true;
	/* pcscd may not have noticed yet: it polls the reader (every 400 ms
	 * for vpcd), and a slow machine (valgrind) takes longer.  Wait,
	 * without polling, up to 3 s, through intermediate changes (the
	 * card turning mute first, say): a removal returns as soon as pcscd
	 * sees it; only a real protocol error pays the whole wait. */
	memset(&st, 0, sizeof(st));
	st.szReader = c->reader;
	st.dwCurrentState = SCARD_STATE_PRESENT;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (left > 0) {
		rv = SCardGetStatusChange(c->ctx, (DWORD)left, &st, 1);
		if (rv != SCARD_S_SUCCESS)
			return false;
		if (st.dwEventState & SCARD_STATE_EMPTY)
			return true;
		st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = 3000 -
		       ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	}
	return false;
}

static int pcsc_transmit(struct ub_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp,
			 size_t *rsp_len)
{
	SCARD_IO_REQUEST pci = {c->proto, sizeof(SCARD_IO_REQUEST)};
	DWORD rl = RAPDU_MAX;
	LONG rv;
	int err;

	rv = SCardTransmit(c->h, &pci, cmd, (DWORD)len, NULL, rsp, &rl);
	if (rv != SCARD_S_SUCCESS) {
		err = ub_pcsc_err(c, rv);
		if (err == UB_E_PROTO && card_gone(c))
			err = UB_E_CARD_REMOVED;
		ub_trace_note(c->trace, "transmit failed: %s (PC/SC 0x%08lX)", ub_errname(err),
			      (unsigned long)rv);
		c->last_rv = rv;
		return err == UB_E_CARD_RESET ? card_reset(c) : err;
	}
	if (rl < 2 || rl > RAPDU_MAX) {
		/* vpcd answers "success" with no bytes when the card went away
		 * in the middle of the exchange */
		err = card_gone(c) ? UB_E_CARD_REMOVED : UB_E_PROTO;
		ub_trace_note(c->trace, "answer of %lu bytes: %s", (unsigned long)rl,
			      ub_errname(err));
		return err;
	}
	*rsp_len = rl;
	return 0;
}

static int pcsc_reset(struct ub_card *c)
{
	int err = ub_card_reconnect(c, SCARD_RESET_CARD);

	if (!err)
		ub_trace_note(c->trace, "card reset by us; %s", ub_proto_name(c->proto));
	return err;
}

static int pcsc_begin(struct ub_card *c)
{
	LONG rv = SCardBeginTransaction(c->h);
	int err;

	if (rv == SCARD_W_RESET_CARD) {
		/* Reset between commands: reconnect, then the transaction works. */
		err = ub_card_reconnect(c, SCARD_LEAVE_CARD);
		if (err)
			return err;
		rv = SCardBeginTransaction(c->h);
	}
	return ub_pcsc_err(c, rv);
}

static void pcsc_end(struct ub_card *c)
{
	SCardEndTransaction(c->h, SCARD_LEAVE_CARD);
}

static void pcsc_close(struct ub_card *c)
{
	if (c->h)
		SCardDisconnect(c->h, SCARD_LEAVE_CARD);
	c->h = 0;
}

const struct ub_link_ops ub_pcsc_link = {
	.kind = "pcsc",
	.transmit = pcsc_transmit,
	.reset = pcsc_reset,
	.begin = pcsc_begin,
	.end = pcsc_end,
	.close = pcsc_close,
	.reset_says = "the card was reset",
};
