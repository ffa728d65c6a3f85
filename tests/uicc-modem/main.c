/* uicc-modem: a test modem.  AT commands (3GPP TS 27.007, TS 27.005) on a
 * pseudo-terminal; the card behind it is whatever card a PC/SC reader
 * holds (the lab's uicc-sim), reached with SCardTransmit as a modem's SIM
 * interface would; SMS-DELIVER PDUs stored and delivered live; faults on
 * demand.  It shares no code with uiccboot.
 *
 *   uicc-modem --reader NAME [--link PATH] [--log FILE] [--store FILE]
 *              [--live FILE] [--inbox DIR] [--csms 0|1] [--no-direct] [--fault F]...
 *
 * The pty's path is printed on stdout (and PATH made a symlink to it).
 * --store: PDUs (hex, SMSC first) stored at start, one a line.  --inbox:
 * a file appearing in DIR holds one PDU to deliver live (+CMT when the
 * host asked with AT+CNMI=2,2; +CMTI and stored with =2,1; stored when
 * nobody listens); the file is removed when taken.  A +CMT not
 * acknowledged (AT+CNMA, service 1 of AT+CSMS) when the host goes away is
 * stored, as the network would send it again.  --live: PDUs (one a line)
 * delivered as +CMT one after the other, each once the last is
 * acknowledged, from the host's AT+CNMI=2,2 on; the first one's time is
 * logged ("# first +CMT at SECONDS").
 *
 * Faults: echo (ATE0 ignored), urc-between (RING and +CREG before every
 * answer), urc-inside (+CREG between an answer's line and its OK),
 * auto-getresponse (61xx and 6Cxx handled here), no-channel (MANAGE
 * CHANNEL through +CSIM refused: +CME ERROR), no-aid-select (SELECT by AID
 * of the USIM or ISIM on the basic channel through +CSIM refused: the
 * modem owns that channel), ccho-bare (+CCHO answers the
 * number alone), cme:N, silent:N, garbage:N, close:N, badlen:N (from the
 * N-th AT+CSIM/AT+CGLA on: +CME ERROR, no answer, bytes that are no
 * answer, the port closed, a length that disagrees with the hex). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#define MAX_SMS 64
#define LINE_MAX_ 2048

static int pty = -1;
static FILE *log_fp;
static SCARDCONTEXT ctx;
static SCARDHANDLE card;
static DWORD proto;
static const char *reader, *inbox;
static bool f_echo, f_urc_between, f_urc_inside, f_auto_gr, f_no_channel, f_ccho_bare;
static bool f_no_aid_select;
static long f_cme, f_silent, f_garbage, f_close, f_badlen; /* 0: off; N: from the N-th APDU */
static long f_reset;					   /* the N-th APDU only */
static long apdus;
static int csms = 1, cnmi_mt;
static bool echo = true, no_direct, connected;
static volatile sig_atomic_t stop;

struct sms {
	int index;
	int stat; /* 0 unread, 1 read */
	char pdu[400];
};
static struct sms store[MAX_SMS];
static int nstore, next_index = 1;
static char unacked[400];	/* a +CMT not yet acknowledged */
static char live[MAX_SMS][400]; /* --live: PDUs the network sends once the host listens */
static int nlive, next_live;
static long f_hold, commands; /* hold:N: the N-th command done, its answer never sent */

static void log_line(const char *dir, const char *s)
{
	if (log_fp) {
		fprintf(log_fp, "%s %s\n", dir, s);
		fflush(log_fp);
	}
}

static void out(const char *fmt, ...)
{
	char b[LINE_MAX_ + 64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(b) - 1)
		n = sizeof(b) - 1;
	if (pty >= 0 && write(pty, b, (size_t)n) < 0)
		return;
}

static void line(const char *s)
{
	log_line("<", s);
	out("\r\n%s\r\n", s);
}

static int unhex(uint8_t *o, size_t max, const char *h, size_t n)
{
	size_t i;

	if (n % 2 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		unsigned v;

		if (sscanf(h + 2 * i, "%2x", &v) != 1)
			return -1;
		o[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

static void hex(char *o, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(o + 2 * i, "%02X", b[i]);
	o[2 * n] = 0;
}

/* --- the card --- */

/* The card as the modem sees it: lost (removed) until it comes back; a
 * loss or a reset during the host's session is said to the host once
 * (+CME ERROR: 10 while it is out, 14 when it is back or was reset: the
 * modem re-initialised the SIM and the host's selections are gone). */
static bool card_lost, card_changed, lost_in_session;
static long apdus_in_session; /* answered since the host came */
static bool in_tx;	      /* a PC/SC transaction held while a host talks to the card */

/* Is the card out?  A removal shows first as a failed transmit; pcscd may
 * take a poll (400 ms for vpcd) to see the reader empty. */
static bool card_out(void)
{
	SCARD_READERSTATE st;

	memset(&st, 0, sizeof(st));
	st.szReader = reader;
	st.dwCurrentState = SCARD_STATE_PRESENT;
	for (int i = 0; i < 4; i++) {
		if (SCardGetStatusChange(ctx, 1000, &st, 1) != SCARD_S_SUCCESS)
			return false;
		if (st.dwEventState & SCARD_STATE_EMPTY)
			return true;
		st.dwCurrentState = st.dwEventState & ~SCARD_STATE_CHANGED;
	}
	return false;
}

static bool card_connect(void)
{
	if (SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			 &card, &proto) != SCARD_S_SUCCESS)
		return false;
	card_lost = false;
	log_line("#", "card in");
	return true;
}

/* Returns the answer's length; -1: failed (+CME ERROR: 13); -10: no card;
 * -14: the card was reset or changed under the host. */
static long xmit(const uint8_t *c, size_t n, uint8_t *r, size_t max)
{
	SCARD_IO_REQUEST pci = {proto, sizeof(SCARD_IO_REQUEST)};
	DWORD rl = (DWORD)max;
	LONG rv;

	if (card_lost) {
		if (!card_connect())
			return -10;
		card_changed = lost_in_session;
	}
	if (card_changed) {
		card_changed = false;
		log_line("#", "card changed: told the host");
		return -14;
	}
	/* the modem owns its SIM while a host talks to it: an application
	 * reaching the same card through PC/SC (the lab's) waits */
	rv = in_tx ? SCARD_S_SUCCESS : SCardBeginTransaction(card);
	in_tx = rv == SCARD_S_SUCCESS;
	if (in_tx) {
		pci.dwProtocol = proto;
		rv = SCardTransmit(card, &pci, c, (DWORD)n, NULL, r, &rl);
	}
	if (rv == SCARD_W_RESET_CARD || rv == SCARD_W_REMOVED_CARD ||
	    rv == SCARD_E_INVALID_HANDLE) {
		/* the card was reset (by another application) or changed: the
		 * modem takes it up again; the host's selections are gone,
		 * which it is told if it made any */
		SCardDisconnect(card, SCARD_LEAVE_CARD);
		in_tx = false;
		if (!card_connect()) {
			card_lost = true;
			lost_in_session = apdus_in_session > 0;
			log_line("#", "card out");
			return -10;
		}
		log_line("#", "card reset or changed");
		if (apdus_in_session)
			return -14;
		in_tx = SCardBeginTransaction(card) == SCARD_S_SUCCESS;
		pci.dwProtocol = proto;
		rl = (DWORD)max;
		rv = SCardTransmit(card, &pci, c, (DWORD)n, NULL, r, &rl);
	}
	if (rv != SCARD_S_SUCCESS || rl < 2) {
		if (card_out()) {
			SCardDisconnect(card, SCARD_LEAVE_CARD);
			in_tx = false;
			card_lost = true;
			lost_in_session = apdus_in_session > 0;
			log_line("#", "card out");
			return -10;
		}
		return -1;
	}
	apdus_in_session++;
	return (long)rl;
}

/* the +CME ERROR for a failed xmit */
static void card_error(long rl)
{
	line(rl == -10 ? "+CME ERROR: 10" : rl == -14 ? "+CME ERROR: 14" : "+CME ERROR: 13");
}

static uint8_t gr_cla(uint8_t cla)
{
	if (cla == 0xA0)
		return cla;
	return cla & 0x40 ? cla & 0x4F : cla & 0x03;
}

/* A TPDU to the card; with auto-getresponse the modem follows 61xx and
 * 6Cxx itself, as some modems do. */
static long apdu(const uint8_t *c, size_t n, uint8_t *r, size_t max)
{
	uint8_t cmd[300], part[300];
	long rl, pl;
	size_t got = 0;
	int rounds = 0;

	rl = xmit(c, n, r, max);
	if (rl < 0 || !f_auto_gr)
		return rl;
	memcpy(cmd, c, n);
	if (r[rl - 2] == 0x6C && n == 5) {
		cmd[4] = r[rl - 1];
		rl = xmit(cmd, n, r, max);
		if (rl < 0)
			return rl;
	}
	got = (size_t)rl - 2;
	while (r[got] == 0x61 && rounds++ < 64) {
		uint8_t gr[5] = {gr_cla(c[0]), 0xC0, 0x00, 0x00, r[got + 1]};

		pl = xmit(gr, 5, part, sizeof(part));
		if (pl < 0 || got + (size_t)pl > max)
			return -1;
		memcpy(r + got, part, (size_t)pl);
		got += (size_t)pl - 2;
	}
	return (long)got + 2;
}

/* --- AT --- */

static bool apdu_fault(void)
{
	apdus++;
	if (f_close && apdus >= f_close) {
		log_line("#", "closing the port");
		close(pty);
		exit(0);
	}
	if (f_reset && apdus == f_reset) {
		/* the modem resets the SIM (as on a SIM error) and takes it up
		 * again: the host's selections are gone */
		SCardReconnect(card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			       SCARD_RESET_CARD, &proto);
		if (in_tx)
			SCardEndTransaction(card, SCARD_LEAVE_CARD);
		in_tx = false;
		log_line("#", "card reset by the modem");
		line("+CME ERROR: 14");
		return true;
	}
	if (f_silent && apdus >= f_silent) {
		log_line("#", "silent");
		return true;
	}
	if (f_garbage && apdus >= f_garbage) {
		out("\r\n\x01\x02garbage\xff\r\n+CSIM: x\r\n");
		return true;
	}
	if (f_cme && apdus >= f_cme) {
		line("+CME ERROR: 4");
		return true;
	}
	return false;
}

static void ok(void)
{
	line("OK");
}

static void answer_apdu(const char *what, const uint8_t *r, long rl)
{
	char h[600], b[700];

	hex(h, r, (size_t)rl);
	snprintf(b, sizeof(b), "%s: %zu,\"%s\"", what,
		 strlen(h) + (f_badlen && apdus >= f_badlen ? 2 : 0), h);
	line(b);
	if (f_urc_inside)
		line("+CREG: 1,\"00C3\",\"0010\"");
	ok();
}

/* "<len>,"<hex>"" at s into c */
static int apdu_arg(const char *s, uint8_t *c, size_t max)
{
	char *q;
	long len = strtol(s, &q, 10);
	const char *h;

	if (*q != ',' || q[1] != '"')
		return -1;
	h = q + 2;
	q = strchr(h, '"');
	if (!q || q - h != len)
		return -1;
	return unhex(c, max, h, (size_t)len);
}

static void csim(const char *arg)
{
	uint8_t c[300], r[300];
	int n = apdu_arg(arg, c, sizeof(c));
	long rl;

	if (n < 4) {
		line("+CME ERROR: 50");
		return;
	}
	if (apdu_fault())
		return;
	if (f_no_channel && c[1] == 0x70) {
		line("+CME ERROR: 3");
		return;
	}
	/* the USIM's or the ISIM's AID (ETSI TS 101 220 E.1: A0000000871002,
	 * ...1004) selected on the basic channel, which this modem owns */
	if (f_no_aid_select && !(c[0] & 0x43) && c[1] == 0xA4 && c[2] == 0x04 && n >= 12 &&
	    c[4] >= 7 && !memcmp(c + 5, "\xA0\x00\x00\x00\x87\x10", 6) &&
	    (c[11] == 0x02 || c[11] == 0x04)) {
		line("+CME ERROR: 3");
		return;
	}
	rl = apdu(c, (size_t)n, r, sizeof(r));
	if (rl < 0) {
		card_error(rl);
		return;
	}
	answer_apdu("+CSIM", r, rl);
}

/* +CCHO: the modem opens a channel and selects the application on it */
static void ccho(const char *arg)
{
	uint8_t aid[16], mc[5] = {0x00, 0x70, 0x00, 0x00, 0x01}, r[300], sel[5 + 16];
	const char *h = arg + 1;
	const char *e = strchr(h, '"');
	int n = e && arg[0] == '"' ? unhex(aid, sizeof(aid), h, (size_t)(e - h)) : -1;
	long rl;
	uint8_t ch;
	char b[32];

	if (n < 1) {
		line("+CME ERROR: 50");
		return;
	}
	rl = xmit(mc, 5, r, sizeof(r));
	if (rl < 0) {
		card_error(rl);
		return;
	}
	if (rl != 3 || r[1] != 0x90) {
		line("+CME ERROR: 4");
		return;
	}
	ch = r[0];
	sel[0] = ch < 4 ? ch : (uint8_t)(0x40 | (ch - 4));
	sel[1] = 0xA4;
	sel[2] = 0x04;
	sel[3] = 0x0C;
	sel[4] = (uint8_t)n;
	memcpy(sel + 5, aid, (size_t)n);
	rl = xmit(sel, 5 + (size_t)n, r, sizeof(r));
	if (rl < 2 || r[rl - 2] != 0x90) {
		uint8_t close_[5] = {0x00, 0x70, 0x80, ch, 0x00};

		xmit(close_, proto == SCARD_PROTOCOL_T0 ? 5 : 4, r, sizeof(r));
		line("+CME ERROR: 4"); /* the application is not there */
		return;
	}
	snprintf(b, sizeof(b), f_ccho_bare ? "%u" : "+CCHO: %u", 100u + ch);
	line(b);
	ok();
}

static void cgla(const char *arg)
{
	uint8_t c[300], r[300];
	char *q;
	long sid = strtol(arg, &q, 10), rl;
	int n, ch = (int)sid - 100;

	if (*q != ',' || ch < 1 || ch > 3 || (n = apdu_arg(q + 1, c, sizeof(c))) < 4) {
		line("+CME ERROR: 50");
		return;
	}
	if (apdu_fault())
		return;
	/* 27.007 8.43: the modem sets the channel bits of CLA */
	if (c[0] != 0xA0)
		c[0] = (uint8_t)((c[0] & 0xFC) | ch);
	rl = apdu(c, (size_t)n, r, sizeof(r));
	if (rl < 0) {
		card_error(rl);
		return;
	}
	answer_apdu("+CGLA", r, rl);
}

static void cchc(const char *arg)
{
	long ch = atol(arg) - 100;
	uint8_t c[5] = {0x00, 0x70, 0x80, (uint8_t)ch, 0x00}, r[8];

	if (ch < 1 || ch > 3 || xmit(c, proto == SCARD_PROTOCOL_T0 ? 5 : 4, r, sizeof(r)) < 0) {
		line("+CME ERROR: 50");
		return;
	}
	ok();
}

/* --- SMS (27.005, PDU mode) --- */

static int tpdu_len(const char *pdu)
{
	unsigned smsc;

	if (sscanf(pdu, "%2x", &smsc) != 1)
		return 0;
	return (int)(strlen(pdu) / 2) - 1 - (int)smsc;
}

static int store_pdu(const char *pdu)
{
	if (nstore == MAX_SMS)
		return -1;
	store[nstore].index = next_index++;
	store[nstore].stat = 0;
	snprintf(store[nstore].pdu, sizeof(store[nstore].pdu), "%s", pdu);
	log_line("#", "stored");
	return store[nstore++].index;
}

static struct sms *find(int idx)
{
	int i;

	for (i = 0; i < nstore; i++)
		if (store[i].index == idx)
			return &store[i];
	return NULL;
}

static void cmgl(void)
{
	char b[64];
	int i;

	for (i = 0; i < nstore; i++) {
		snprintf(b, sizeof(b), "+CMGL: %d,%d,,%d", store[i].index, store[i].stat,
			 tpdu_len(store[i].pdu));
		log_line("<", b);
		out("\r\n%s\r\n%s", b, store[i].pdu);
		if (f_urc_inside && i == 0)
			out("\r\nRING");
		store[i].stat = 1;
	}
	if (nstore)
		out("\r\n");
	ok();
}

static void cmgr(const char *arg)
{
	struct sms *s = find(atoi(arg));
	char b[64];

	if (!s) {
		line("+CMS ERROR: 321");
		return;
	}
	snprintf(b, sizeof(b), "+CMGR: %d,,%d", s->stat, tpdu_len(s->pdu));
	log_line("<", b);
	out("\r\n%s\r\n%s\r\n", b, s->pdu);
	s->stat = 1;
	ok();
}

static void cmgd(const char *arg)
{
	struct sms *s = find(atoi(arg));
	char b[32];

	if (!s) {
		line("+CMS ERROR: 321");
		return;
	}
	snprintf(b, sizeof(b), "deleted %d", s->index);
	log_line("#", b);
	*s = store[--nstore];
	ok();
}

/* a PDU from the network */
static void deliver(const char *pdu)
{
	char b[64];
	int idx;

	if (connected && cnmi_mt == 2 && !unacked[0]) {
		snprintf(b, sizeof(b), "+CMT: ,%d", tpdu_len(pdu));
		log_line("<", b);
		out("\r\n%s\r\n%s\r\n", b, pdu);
		if (csms == 1)
			snprintf(unacked, sizeof(unacked), "%s", pdu);
		return;
	}
	idx = store_pdu(pdu);
	if (idx > 0 && connected && cnmi_mt == 1) {
		snprintf(b, sizeof(b), "+CMTI: \"SM\",%d", idx);
		line(b);
	}
}

/* --live: the next PDU as soon as the host takes +CMT and the last one
 * was acknowledged; the first one's time logged (for make bench) */
static void poll_live(void)
{
	struct timespec ts;
	char b[64];

	if (next_live == nlive || !connected || cnmi_mt != 2 || unacked[0])
		return;
	if (next_live == 0) {
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(b, sizeof(b), "first +CMT at %lld.%09ld", (long long)ts.tv_sec,
			 ts.tv_nsec);
		log_line("#", b);
	}
	deliver(live[next_live++]);
}

static void poll_inbox(void)
{
	struct dirent *d;
	DIR *dir;
	char path[1024], pdu[400];
	FILE *f;

	if (!inbox || unacked[0] || !(dir = opendir(inbox)))
		return;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", inbox, d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(pdu, sizeof(pdu), f)) {
			pdu[strcspn(pdu, "\r\n \t")] = 0;
			unlink(path);
			deliver(pdu);
		}
		fclose(f);
		if (unacked[0])
			break; /* one +CMT at a time */
	}
	closedir(dir);
}

static void command_do(char *cmd);

static void command(char *cmd)
{
	int saved = pty;

	log_line(">", cmd);
	if (f_hold && ++commands == f_hold) {
		/* carried out, but the answer is lost: the host is killed here */
		log_line("#", "held");
		pty = -1;
		command_do(cmd);
		pty = saved;
		return;
	}
	command_do(cmd);
}

static void command_do(char *cmd)
{
	if (echo)
		out("%s\r", cmd);
	if (f_urc_between && strncasecmp(cmd, "AT", 2) == 0) {
		line("RING");
		line("+CREG: 1,\"00C3\",\"0010\"");
	}
	if (!strcasecmp(cmd, "AT") || !strcasecmp(cmd, "AT+CMEE=1") ||
	    !strcasecmp(cmd, "AT+CSIM=?") || !strcasecmp(cmd, "AT+CMGF=0")) {
		ok();
	} else if (!strcasecmp(cmd, "ATE0")) {
		echo = f_echo;
		ok();
	} else if (!strcasecmp(cmd, "ATE1")) {
		echo = true;
		ok();
	} else if (!strncasecmp(cmd, "AT+CSIM=", 8)) {
		csim(cmd + 8);
	} else if (!strncasecmp(cmd, "AT+CCHO=", 8)) {
		ccho(cmd + 8);
	} else if (!strncasecmp(cmd, "AT+CGLA=", 8)) {
		cgla(cmd + 8);
	} else if (!strncasecmp(cmd, "AT+CCHC=", 8)) {
		cchc(cmd + 8);
	} else if (!strcasecmp(cmd, "AT+CSMS=1") || !strcasecmp(cmd, "AT+CSMS=0")) {
		if (cmd[8] == '1' && !csms) {
			line("+CMS ERROR: 303");
			return;
		}
		line(cmd[8] == '1' ? "+CSMS: 1,1,1" : "+CSMS: 1,1,1");
		ok();
	} else if (!strncasecmp(cmd, "AT+CNMI=", 8)) {
		int mode = 0, mt = 0;

		sscanf(cmd + 8, "%d,%d", &mode, &mt);
		if (mt == 2 && no_direct) {
			line("+CMS ERROR: 303");
			return;
		}
		cnmi_mt = mt;
		ok();
	} else if (!strcasecmp(cmd, "AT+CNMA")) {
		if (!unacked[0]) {
			line("+CMS ERROR: 340");
			return;
		}
		log_line("#", "acknowledged");
		unacked[0] = 0;
		ok();
	} else if (!strcasecmp(cmd, "AT+CMGL=4")) {
		cmgl();
	} else if (!strncasecmp(cmd, "AT+CMGR=", 8)) {
		cmgr(cmd + 8);
	} else if (!strncasecmp(cmd, "AT+CMGD=", 8)) {
		cmgd(cmd + 8);
	} else {
		line("ERROR");
	}
}

/* the host closed the port */
static void hangup(void)
{
	char b[64];

	connected = false;
	lost_in_session = card_changed = false;
	apdus_in_session = 0;
	if (in_tx)
		SCardEndTransaction(card, SCARD_LEAVE_CARD);
	in_tx = false;
	cnmi_mt = 0;
	echo = true;
	if (unacked[0]) {
		store_pdu(unacked); /* the network sends it again */
		unacked[0] = 0;
	}
	snprintf(b, sizeof(b), "host gone: %d stored, %d live to come", nstore, nlive - next_live);
	log_line("#", b);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static long fault_n(const char *v)
{
	long n = atol(v);

	return n > 0 ? n : 1;
}

static void fault(const char *f)
{
	if (!strcmp(f, "echo"))
		f_echo = true;
	else if (!strcmp(f, "urc-between"))
		f_urc_between = true;
	else if (!strcmp(f, "urc-inside"))
		f_urc_inside = true;
	else if (!strcmp(f, "auto-getresponse"))
		f_auto_gr = true;
	else if (!strcmp(f, "no-channel"))
		f_no_channel = true;
	else if (!strcmp(f, "no-aid-select"))
		f_no_aid_select = true;
	else if (!strcmp(f, "ccho-bare"))
		f_ccho_bare = true;
	else if (!strncmp(f, "cme:", 4))
		f_cme = fault_n(f + 4);
	else if (!strncmp(f, "silent:", 7))
		f_silent = fault_n(f + 7);
	else if (!strncmp(f, "garbage:", 8))
		f_garbage = fault_n(f + 8);
	else if (!strncmp(f, "close:", 6))
		f_close = fault_n(f + 6);
	else if (!strncmp(f, "hold:", 5))
		f_hold = fault_n(f + 5);
	else if (!strncmp(f, "reset:", 6))
		f_reset = fault_n(f + 6);
	else if (!strncmp(f, "badlen:", 7))
		f_badlen = fault_n(f + 7);
	else {
		fprintf(stderr, "uicc-modem: unknown fault %s\n", f);
		exit(64);
	}
}

int main(int argc, char **argv)
{
	const char *link_path = NULL;
	char buf[LINE_MAX_ + 1];
	size_t len = 0;
	struct termios t;
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--no-direct")) {
			no_direct = true;
			continue;
		}
		if (!v) {
			fprintf(stderr, "uicc-modem: %s needs a value\n", a);
			return 64;
		}
		i++;
		if (!strcmp(a, "--reader"))
			reader = v;
		else if (!strcmp(a, "--link"))
			link_path = v;
		else if (!strcmp(a, "--log"))
			log_fp = fopen(v, "a");
		else if (!strcmp(a, "--inbox"))
			inbox = v;
		else if (!strcmp(a, "--live")) {
			FILE *f = fopen(v, "r");

			while (f && nlive < MAX_SMS && fgets(live[nlive], sizeof(live[0]), f)) {
				live[nlive][strcspn(live[nlive], "\r\n \t")] = 0;
				nlive += live[nlive][0] != 0;
			}
			if (f)
				fclose(f);
		} else if (!strcmp(a, "--csms"))
			csms = atoi(v);
		else if (!strcmp(a, "--fault"))
			fault(v);
		else if (!strcmp(a, "--store")) {
			FILE *f = fopen(v, "r");
			char l[400];

			while (f && fgets(l, sizeof(l), f)) {
				l[strcspn(l, "\r\n \t")] = 0;
				if (l[0])
					store_pdu(l);
			}
			if (f)
				fclose(f);
		} else {
			fprintf(stderr, "uicc-modem: unknown option %s\n", a);
			return 64;
		}
	}
	if (!reader) {
		fprintf(stderr, "usage: uicc-modem --reader NAME [options] (see the source)\n");
		return 64;
	}
	if (SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx) != SCARD_S_SUCCESS ||
	    SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
			 &card, &proto) != SCARD_S_SUCCESS) {
		fprintf(stderr, "uicc-modem: no card in \"%s\"\n", reader);
		return 69;
	}
	pty = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty < 0 || grantpt(pty) || unlockpt(pty) || tcgetattr(pty, &t)) {
		perror("uicc-modem: pty");
		return 71;
	}
	/* on a master, the slave's settings: raw until the host sets its own */
	cfmakeraw(&t);
	tcsetattr(pty, TCSANOW, &t);
	if (link_path) {
		unlink(link_path);
		if (symlink(ptsname(pty), link_path)) {
			perror("uicc-modem: link");
			return 73;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	printf("%s\n", ptsname(pty));
	fflush(stdout);
	while (!stop) {
		struct pollfd p = {.fd = pty, .events = POLLIN};
		int r;

		poll_live(); /* the next +CMT right after the last one's AT+CNMA */
		r = poll(&p, 1, 100);
		ssize_t n;
		char c[256];

		if (r > 0 && (p.revents & POLLIN)) {
			n = read(pty, c, sizeof(c));
			if (n > 0) {
				if (!connected)
					log_line("#", "host here");
				connected = true;
				for (i = 0; i < n; i++) {
					if (c[i] == '\r' || c[i] == '\n') {
						buf[len] = 0;
						if (len)
							command(buf);
						len = 0;
					} else if (len < LINE_MAX_) {
						buf[len++] = c[i];
					}
				}
				continue;
			}
		}
		if (r > 0 && (p.revents & POLLHUP)) {
			if (connected)
				hangup();
			len = 0;
			usleep(20000);
		}
		poll_inbox(); /* stored while nobody listens */
	}
	if (link_path)
		unlink(link_path);
	SCardDisconnect(card, SCARD_LEAVE_CARD);
	SCardReleaseContext(ctx);
	return 0;
}
