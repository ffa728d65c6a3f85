/* The modem link (ub_link_ops, ub_pcsc.h): the UICC behind a cellular
 * modem, reached with AT commands on its serial port (ub_at.h).
 *
 * Generic SIM access, AT+CSIM (3GPP TS 27.007 8.17), carries each TPDU as
 * transmit.c built it: the card is T=0 to the layer above, so a modem that
 * passes 61xx/6Cxx through and one that fetches the answer itself both
 * come out right.  Where the modem refuses MANAGE CHANNEL through +CSIM,
 * the channel is kept here: the layer above gets a channel number, the
 * SELECT by AID on it opens a session with AT+CCHO (8.45), the commands on
 * it go through AT+CGLA (8.43), which sets the channel bits of CLA itself,
 * and closing it is AT+CCHC (8.46). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_at.h"
#include "ub_hex.h"
#include "ub_pcsc.h"

#define RAPDU_MAX (256 + 2)
#define MAX_CHANNELS 20

struct modem {
	struct ub_at_port own, *port; /* port: own, or one this process lends */
	bool cgla;		      /* MANAGE CHANNEL refused through +CSIM: channels are ours */
	uint8_t vchan;		      /* the channel given to the layer above; 0: none */
	int session;		      /* its +CCHO session; -1: no application selected yet */
	bool basic_refused;	      /* SELECT by AID on the basic channel refused via +CSIM */
	int basic;		      /* then the +CCHO session serving the basic channel; -1 */
	bool no_channels;	      /* the policy forbids logical channels */
	bool native[MAX_CHANNELS];    /* channels opened through +CSIM */
	char line[UB_AT_LINE_MAX + 1];
	bool got;
};

static struct modem *M(struct ub_card *c)
{
	return c->link;
}

static void keep_line(void *arg, const char *line, const char *pdu)
{
	struct modem *m = arg;

	(void)pdu;
	if (m->got)
		return; /* one answer line; a second one is not looked at */
	snprintf(m->line, sizeof(m->line), "%s", line);
	m->got = true;
}

/* The logical channel a CLA addresses (TS 102 221 10.1.1). */
static unsigned cla_channel(uint8_t cla)
{
	if (cla == 0xA0)
		return 0;
	return cla & 0x40 ? 4 + (cla & 0x0F) : cla & 0x03;
}

static uint8_t basic_cla(uint8_t cla)
{
	if (cla == 0xA0)
		return cla;
	return cla & 0x40 ? (uint8_t)(cla & 0xB0) : (uint8_t)(cla & 0xFC);
}

static void sw(uint8_t *rsp, size_t *rsp_len, uint16_t w)
{
	rsp[0] = (uint8_t)(w >> 8);
	rsp[1] = (uint8_t)w;
	*rsp_len = 2;
}

/* +CME ERROR: 10 (SIM not inserted) or 14 (SIM busy: the modem is taking
 * up a card that was reset or put back, TS 27.007 9.2.1) to a card
 * command: the card's state is gone, as a removal or a reset through
 * PC/SC.  The channels of the session went with it.  Returns err
 * otherwise. */
static int card_state(struct ub_card *c, int err)
{
	struct modem *m = M(c);
	const struct ub_at_parser *p = &m->port->p;

	if (err != UB_E_SW || p->result != UB_AT_CME_ERROR || (p->code != 10 && p->code != 14))
		return err;
	memset(m->native, 0, sizeof(m->native));
	m->session = m->basic = -1;
	c->generation++;
	c->fresh = false;
	if (p->code == 10)
		return ub_fail(&c->link_st, UB_E_CARD_REMOVED, 0, m->port->name,
			       "%s: the card is out (+CME ERROR: 10, SIM not inserted)",
			       m->port->name);
	ub_trace_note(c->trace, "%s: +CME ERROR: 14: the modem took up the card anew",
		      m->port->name);
	return ub_fail(&c->link_st, UB_E_CARD_RESET, 0, m->port->name,
		       "%s: the card was reset or changed behind the modem (+CME ERROR: 14, "
		       "SIM busy)",
		       m->port->name);
}

/* One APDU through AT+CSIM, or AT+CGLA on session (>= 0). */
static int at_apdu(struct ub_card *c, int session, const uint8_t *cmd, size_t len, uint8_t *rsp,
		   size_t *rsp_len)
{
	struct modem *m = M(c);
	char hex[2 * (5 + 255 + 1) + 1], line[UB_AT_CMD_MAX + 1];
	const char *prefix = session >= 0 ? "+CGLA:" : "+CSIM:";
	int err, n;

	ub_hex(hex, cmd, len);
	if (session >= 0)
		snprintf(line, sizeof(line), "AT+CGLA=%d,%zu,\"%s\"", session, 2 * len, hex);
	else
		snprintf(line, sizeof(line), "AT+CSIM=%zu,\"%s\"", 2 * len, hex);
	m->got = false;
	err = ub_at_cmd(m->port, line, prefix, false, keep_line, m, &c->link_st);
	/* the APDU may carry a PIN or a key */
	explicit_bzero(hex, sizeof(hex));
	explicit_bzero(line, sizeof(line));
	if (err)
		return card_state(c, err);
	if (!m->got)
		return ub_fail(&c->link_st, UB_E_PROTO, 0, m->port->name, "%s: AT%s: OK without %s",
			       m->port->name, prefix, prefix);
	n = ub_at_apdu_answer(m->line, prefix, rsp, RAPDU_MAX);
	explicit_bzero(m->line, sizeof(m->line));
	if (n < 0)
		return ub_fail(
			&c->link_st, UB_E_PROTO, 0, m->port->name,
			"%s: AT%s: an answer whose length disagrees with its hex, or not hex",
			m->port->name, prefix);
	*rsp_len = (size_t)n;
	return 0;
}

static int close_session(struct ub_card *c, int *session)
{
	struct modem *m = M(c);
	char line[32];
	int err;

	if (*session < 0)
		return 0;
	snprintf(line, sizeof(line), "AT+CCHC=%d", *session);
	*session = -1;
	err = ub_at_cmd(m->port, line, NULL, false, NULL, NULL, &c->link_st);
	/* a modem that says ERROR has closed it, or never had it */
	return err == UB_E_SW ? 0 : err;
}

/* SELECT by AID on a channel kept here (*session: the logical channel's,
 * or the basic channel's where the modem refuses that SELECT): the session
 * opened with AT+CCHO, then the SELECT itself on it for the FCP the caller
 * asked for. */
static int select_on_session(struct ub_card *c, int *session, const uint8_t *cmd, size_t len,
			     uint8_t *rsp, size_t *rsp_len)
{
	struct modem *m = M(c);
	char line[48 + 2 * 16];
	int err, id;

	if (len < 5 || cmd[4] < 1 || cmd[4] > 16 || len < 5u + cmd[4])
		return ub_fail(&c->link_st, UB_E_PROTO, 0, m->port->name,
			       "%s: SELECT by AID without an AID", m->port->name);
	if ((err = close_session(c, session)))
		return err;
	strcpy(line, "AT+CCHO=\"");
	ub_hex(line + strlen(line), cmd + 5, cmd[4]);
	strcat(line, "\"");
	m->got = false;
	err = card_state(c, ub_at_cmd(m->port, line, "+CCHO:", true, keep_line, m, &c->link_st));
	if (err == UB_E_SW) {
		/* +CME ERROR: no such application, or none free */
		ub_trace_note(c->trace, "%s: AT+CCHO refused: the application is not found",
			      m->port->name);
		sw(rsp, rsp_len, 0x6A82);
		return 0;
	}
	if (err)
		return err;
	id = m->got ? ub_at_number(m->line, "+CCHO:") : UB_E_PROTO;
	if (id < 0)
		return ub_fail(&c->link_st, UB_E_PROTO, 0, m->port->name,
			       "%s: AT+CCHO: no session number in the answer", m->port->name);
	*session = id;
	ub_trace_note(c->trace, "%s: %s channel %u is +CCHO session %d", m->port->name,
		      session == &m->basic ? "the basic" : "logical",
		      session == &m->basic ? 0 : m->vchan, id);
	if ((cmd[3] & 0x0C) == 0x0C) {
		sw(rsp, rsp_len, 0x9000); /* no FCP asked */
		return 0;
	}
	return at_apdu(c, *session, cmd, len, rsp, rsp_len);
}

/* MANAGE CHANNEL open (TS 102 221 11.1.17) through +CSIM; refused, the
 * channel is kept here. */
static int open_channel(struct ub_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp,
			size_t *rsp_len)
{
	struct modem *m = M(c);
	uint16_t w;
	int err;

	if (!m->cgla) {
		err = at_apdu(c, -1, cmd, len, rsp, rsp_len);
		if (err && err != UB_E_SW)
			return err;
		w = err ? 0 : (uint16_t)(rsp[*rsp_len - 2] << 8 | rsp[*rsp_len - 1]);
		if (!err && w == 0x9000 && *rsp_len == 3 && rsp[0] < MAX_CHANNELS) {
			m->native[rsp[0]] = true;
			return 0;
		}
		if (!err && w != 0x6A81 && w != 0x6881 && w != 0x6D00 && w != 0x6E00)
			return 0; /* the card's own answer */
		ub_trace_note(c->trace,
			      "%s: MANAGE CHANNEL refused through AT+CSIM (%s); channels through "
			      "AT+CCHO/AT+CGLA",
			      m->port->name, err ? "+CME ERROR" : "SW 6x81");
		ub_status_clear(&c->link_st);
		m->cgla = true;
	}
	if (m->vchan) {
		sw(rsp, rsp_len, 0x6A81); /* one channel kept here at a time */
		return 0;
	}
	m->vchan = 1;
	m->session = -1;
	rsp[0] = m->vchan;
	rsp[1] = 0x90;
	rsp[2] = 0x00;
	*rsp_len = 3;
	return 0;
}

/* The basic channel: AT+CSIM, except where the modem owns it and refuses
 * SELECT by AID there (it selects the USIM for itself): then a logical
 * channel opened with AT+CCHO, which selects by AID itself, serves as the
 * basic channel, each command on it through AT+CGLA (the MF and its files
 * are reachable on any channel, TS 102 221 8.4) -- unless the policy
 * forbids logical channels. */
static int basic_channel(struct ub_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp,
			 size_t *rsp_len)
{
	struct modem *m = M(c);
	int err;

	if (cmd[1] == 0xA4 && cmd[2] == 0x04 && !m->basic_refused) {
		err = at_apdu(c, -1, cmd, len, rsp, rsp_len);
		if (err != UB_E_SW)
			return err;
		ub_trace_note(c->trace, "%s: SELECT by AID refused on the basic channel (%s)",
			      m->port->name, c->link_st.what);
		if (m->no_channels)
			return ub_fail(
				&c->link_st, UB_E_NOT_SUPPORTED, 0, m->port->name,
				"%s: the modem refuses SELECT by AID on the basic channel "
				"(+CME ERROR: %d), and [smartcard] logical_channel = no "
				"forbids the logical channel (AT+CCHO) that would serve instead",
				m->port->name, m->port->p.code);
		ub_status_clear(&c->link_st);
		m->basic_refused = true;
	}
	if (!m->basic_refused)
		return at_apdu(c, -1, cmd, len, rsp, rsp_len);
	if (cmd[1] == 0xA4 && cmd[2] == 0x04)
		return select_on_session(c, &m->basic, cmd, len, rsp, rsp_len);
	/* before an application is selected: the basic channel's own */
	return at_apdu(c, m->basic, cmd, len, rsp, rsp_len);
}

static int route(struct ub_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp, size_t *rsp_len)
{
	struct modem *m = M(c);
	unsigned ch = cla_channel(cmd[0]);
	uint8_t basic[5 + 255 + 1];
	int err;

	if (len < 4)
		return UB_E_USAGE;
	if (cmd[1] == 0x70 && cmd[2] == 0x00)
		return open_channel(c, cmd, len, rsp, rsp_len);
	if (cmd[1] == 0x70 && cmd[2] == 0x80) {
		if (m->cgla && m->vchan && cmd[3] == m->vchan) {
			m->vchan = 0;
			if ((err = close_session(c, &m->session)))
				return err;
			sw(rsp, rsp_len, 0x9000);
			return 0;
		}
		if (cmd[3] < MAX_CHANNELS)
			m->native[cmd[3]] = false;
	}
	if (ch == 0)
		return basic_channel(c, cmd, len, rsp, rsp_len);
	if (!m->cgla || !m->vchan || ch != m->vchan)
		return at_apdu(c, -1, cmd, len, rsp, rsp_len);
	if (cmd[1] == 0xA4 && cmd[2] == 0x04)
		return select_on_session(c, &m->session, cmd, len, rsp, rsp_len);
	if (m->session >= 0)
		return at_apdu(c, m->session, cmd, len, rsp, rsp_len);
	/* no application on the channel yet (the MF's files): the basic
	 * channel serves, as +CCHO has no MF to open */
	memcpy(basic, cmd, len);
	basic[0] = basic_cla(cmd[0]);
	return at_apdu(c, -1, basic, len, rsp, rsp_len);
}

static int modem_transmit(struct ub_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp,
			  size_t *rsp_len)
{
	int err = route(c, cmd, len, rsp, rsp_len);

	/* ERROR or +CME ERROR to an APDU: the transport failed, the card
	 * gave no status word */
	if (err == UB_E_SW)
		err = c->link_st.err = UB_E_PROTO;
	return err;
}

/* No cold reset through AT (AT+CFUN would take the modem off the
 * network): the channels we opened are closed and the MF selected, which
 * is the state a reset leaves on the basic channel (TS 102 221 11.1.1). */
static int close_channels_select_mf(struct ub_card *c);

static int modem_reset(struct ub_card *c)
{
	int err = close_channels_select_mf(c);

	/* ERROR or +CME ERROR: no status word, the transport failed */
	if (err == UB_E_SW)
		err = c->link_st.err = UB_E_PROTO;
	return err;
}

static int close_channels_select_mf(struct ub_card *c)
{
	static const uint8_t select_mf[] = {0x00, 0xA4, 0x00, 0x0C, 0x02, 0x3F, 0x00};
	struct modem *m = M(c);
	uint8_t cmd[5], rsp[RAPDU_MAX];
	size_t rl;
	unsigned i;
	int err;

	if ((err = close_session(c, &m->session)) || (err = close_session(c, &m->basic)))
		return err;
	m->vchan = 0;
	for (i = 1; i < MAX_CHANNELS; i++) {
		if (!m->native[i])
			continue;
		memcpy(cmd, (const uint8_t[]){0x00, 0x70, 0x80, (uint8_t)i, 0x00}, 5);
		if ((err = at_apdu(c, -1, cmd, 5, rsp, &rl)))
			return err;
		m->native[i] = false;
	}
	if ((err = at_apdu(c, -1, select_mf, sizeof(select_mf), rsp, &rl)))
		return err;
	c->generation++;
	c->fresh = true;
	ub_trace_note(c->trace, "%s: no cold reset through AT: channels closed, the MF selected",
		      m->port->name);
	return 0;
}

static int modem_begin(struct ub_card *c)
{
	(void)c; /* the port is locked for the whole session */
	return 0;
}

static void modem_end(struct ub_card *c)
{
	(void)c;
}

static void modem_close(struct ub_card *c)
{
	struct modem *m = M(c);

	if (!m)
		return;
	close_session(c, &m->session);
	close_session(c, &m->basic);
	if (m->port == &m->own)
		ub_at_close(&m->own);
	free(m);
	c->link = NULL;
}

void ub_modem_channels(struct ub_card *c, bool allowed)
{
	if (c->ops && !strcmp(c->ops->kind, "at"))
		M(c)->no_channels = !allowed;
}

static const struct ub_link_ops modem_link = {
	.kind = "at",
	.transmit = modem_transmit,
	.reset = modem_reset,
	.begin = modem_begin,
	.end = modem_end,
	.close = modem_close,
	.reset_says = "no cold reset through a modem: the logical channels are closed and the MF "
		      "selected",
};

int ub_modem_open(struct ub_card *c, const char *spec, long wait_ms, struct ub_trace *trace,
		  struct ub_status *st)
{
	struct modem *m = calloc(1, sizeof(*m));
	int err;

	memset(c, 0, sizeof(*c));
	if (!m)
		return ub_fail(st, UB_E_NOMEM, 0, spec, NULL);
	m->session = m->basic = -1;
	/* the SMS listener of this process holds the port: share it */
	m->port = ub_at_borrow(spec);
	if (!m->port) {
		m->port = &m->own;
		if ((err = ub_at_open(&m->own, spec, wait_ms, trace, st))) {
			free(m);
			return err;
		}
	}
	c->ops = &modem_link;
	c->link = m;
	c->trace = trace;
	c->proto = SCARD_PROTOCOL_T0;
	snprintf(c->reader, sizeof(c->reader), "%s", spec);
	/* 27.007 8.17: the test command answers OK where generic SIM access
	 * is there */
	if ((err = ub_at_cmd(m->port, "AT+CSIM=?", NULL, false, NULL, NULL, st))) {
		if (err == UB_E_SW)
			err = ub_fail(st, UB_E_NO_CARD, 0, m->port->name,
				      "%s: no generic SIM access (AT+CSIM=? refused)",
				      m->port->name);
		modem_close(c);
		c->ops = NULL;
		return err;
	}
	return 0;
}
