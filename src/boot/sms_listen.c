/* SMS from a modem (sms.h: ub_sms_listen): 3GPP TS 27.005 in PDU mode.
 *
 * What the modem holds is listed (+CMGL=4) and each TPDU goes through
 * ub_sms_receive, which commits its part to the tree database; only then
 * is the message deleted (+CMGD) or, delivered directly, acknowledged
 * (+CNMA).  A kill at any point therefore loses nothing (the modem still
 * has the message, or the network sends it again) and applies nothing
 * twice (the store knows a part it holds, and a push in force).
 *
 * New messages come directly (+CNMI=2,2: +CMT) only where the message
 * service makes the host acknowledge them (+CSMS=1, 27.005 3.2.1 and
 * 3.4.4); otherwise a message delivered directly and not yet committed
 * would die with the process, so they are stored and indicated
 * (+CNMI=2,1: +CMTI, read with +CMGR). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sms.h"
#include "ub_at.h"

#define QUEUE_MAX 32
#define LIST_MAX 64
#define WAIT_SLICE_MS 500

struct item {
	int index; /* stored: its index; -1: delivered directly (+CMT) */
	uint8_t tpdu[UB_AT_TPDU_MAX];
	size_t len;
	bool bad; /* a PDU that did not parse: refused, deleted */
};

struct listener {
	struct ub_sms_rx *rx;
	const struct ub_sms_listen *o;
	struct ub_at_port port;
	bool ack; /* +CSMS service 1: +CMT acknowledged with +CNMA */
	struct item q[QUEUE_MAX];
	size_t nq;
	bool overflow; /* a URC did not fit: sweep the store again */
	struct item list[LIST_MAX];
	size_t nlist;
	char line[UB_AT_LINE_MAX + 1];
	unsigned taken;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void fill(struct item *it, const char *header, const char *pdu)
{
	int idx, n = ub_at_sms(header, pdu, it->tpdu, &idx);

	it->bad = n < 0;
	it->len = n < 0 ? 0 : (size_t)n;
	it->index = idx;
}

/* URCs, also those that come inside a command's answer */
static void on_urc(void *arg, const char *line, const char *pdu)
{
	struct listener *l = arg;
	struct item *it;
	int idx;

	if (!pdu && strncmp(line, "+CMTI:", 6))
		return; /* RING, +CREG and the like */
	if (pdu && strncmp(line, "+CMT:", 5))
		return; /* a status report or cell broadcast */
	if (l->nq == QUEUE_MAX) {
		/* a +CMT not acknowledged comes again; a +CMTI's message is
		 * found by the next sweep */
		l->overflow = true;
		return;
	}
	it = &l->q[l->nq];
	if (pdu) {
		fill(it, line, pdu);
		it->index = -1;
	} else {
		if ((idx = ub_at_cmti(line)) < 0)
			return;
		it->index = idx;
		it->len = 0;
		it->bad = false;
	}
	l->nq++;
}

static void on_listed(void *arg, const char *line, const char *pdu)
{
	struct listener *l = arg;

	if (l->nlist < LIST_MAX)
		fill(&l->list[l->nlist++], line, pdu);
}

static void on_read(void *arg, const char *line, const char *pdu)
{
	struct item *it = arg;
	int index = it->index;

	fill(it, line, pdu);
	it->index = index;
}

static void keep_line(void *arg, const char *line, const char *pdu)
{
	struct listener *l = arg;

	(void)pdu;
	snprintf(l->line, sizeof(l->line), "%s", line);
}

/* One TPDU into the store.  Returns true when it is done with (committed,
 * or refused for good), so the modem may let it go. */
static bool take(struct listener *l, const struct item *it, const char *label)
{
	struct ub_sms_result r;
	bool done;

	memset(&r, 0, sizeof(r));
	if (it->bad) {
		r.status = UB_SMS_REJECTED;
		ub_fail(&r.why, UB_E_BAD_DATA, 0, l->port.name,
			"%s: %s: a PDU whose length disagrees with its header, or not hex",
			l->port.name, label);
	} else {
		ub_sms_receive(l->rx, it->tpdu, it->len, false, l->o->user_pin, 0, &r);
	}
	done = r.status != UB_SMS_FAILED;
	l->taken++;
	if (l->o->on_result)
		l->o->on_result(l->o->arg, label, &r);
	ub_sms_result_free(&r);
	return done;
}

static int delete_stored(struct listener *l, int index, struct ub_status *st)
{
	char cmd[32];

	snprintf(cmd, sizeof(cmd), "AT+CMGD=%d", index);
	return ub_at_cmd(&l->port, cmd, NULL, false, NULL, NULL, st);
}

/* Everything the modem holds, oldest index first as the modem lists. */
static int sweep(struct listener *l, struct ub_status *st)
{
	char label[48];
	size_t i;
	int err;

	do {
		l->nlist = 0;
		l->overflow = false;
		if ((err = ub_at_cmd(&l->port, "AT+CMGL=4", "+CMGL:", false, on_listed, l, st)))
			return err;
		for (i = 0; i < l->nlist; i++) {
			snprintf(label, sizeof(label), "stored %d", l->list[i].index);
			if (take(l, &l->list[i], label) &&
			    (err = delete_stored(l, l->list[i].index, st)))
				return err;
		}
	} while (l->nlist == LIST_MAX);
	return 0;
}

static int one(struct listener *l, struct item *it, struct ub_status *st)
{
	char cmd[32], label[48];
	int err;

	if (it->index < 0) {
		if (take(l, it, "+CMT") && l->ack)
			/* 27.005 3.4.4: the RP-ACK, now that the part is safe */
			return ub_at_cmd(&l->port, "AT+CNMA", NULL, false, NULL, NULL, st);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "AT+CMGR=%d", it->index);
	it->bad = true; /* until +CMGR gives it */
	err = ub_at_cmd(&l->port, cmd, "+CMGR:", false, on_read, it, st);
	if (err == UB_E_SW)
		return 0; /* gone meanwhile (read by another) */
	if (err)
		return err;
	snprintf(label, sizeof(label), "stored %d", it->index);
	return take(l, it, label) ? delete_stored(l, it->index, st) : 0;
}

/* PDU mode, and how new messages come. */
static int setup(struct listener *l, struct ub_status *st)
{
	int err;

	if ((err = ub_at_cmd(&l->port, "AT+CMGF=0", NULL, false, NULL, NULL, st)))
		return err == UB_E_SW
			       ? ub_fail(st, UB_E_NOT_SUPPORTED, 0, l->port.name,
					 "%s: no SMS PDU mode (AT+CMGF=0 refused)", l->port.name)
			       : err;
	/* +CSMS: <mt>,<mo>,<bm>: mt 1 is phase 2+ routing to the host */
	l->line[0] = 0;
	l->ack = !ub_at_cmd(&l->port, "AT+CSMS=1", "+CSMS:", false, keep_line, l, NULL) &&
		 !strncmp(l->line, "+CSMS: 1", 8);
	if (l->ack && !ub_at_cmd(&l->port, "AT+CNMI=2,2,0,0,0", NULL, false, NULL, NULL, NULL))
		return 0;
	l->ack = false;
	if (ub_at_cmd(&l->port, "AT+CNMI=2,1,0,0,0", NULL, false, NULL, NULL, NULL))
		l->overflow = true; /* no indications: the store is swept instead */
	return 0;
}

int ub_sms_listen(struct ub_sms_rx *rx, const char *modem, const struct ub_sms_listen *o,
		  struct ub_status *st)
{
	static struct listener l; /* large; one listener a process */
	long last, left;
	size_t i;
	int err;

	memset(&l, 0, sizeof(l));
	l.rx = rx;
	l.o = o;
	if (!ub_at_spec(modem))
		return ub_fail(st, UB_E_USAGE, 0, modem ? modem : "",
			       "sms listen needs -r at:DEVICE");
	if ((err = ub_at_open(&l.port, modem, o->lock_wait_ms, NULL, st)))
		return err;
	l.port.on_urc = on_urc;
	l.port.urc_arg = &l;
	/* a NETWORKID push needs the card, behind this same port */
	ub_at_share(&l.port);
	if ((err = setup(&l, st)) || (err = sweep(&l, st)))
		goto end;
	if (o->on_ready)
		o->on_ready(o->arg, l.ack ? "+CMT" : "+CMTI");
	last = now_ms();
	while (!(o->stop && *o->stop)) {
		if (!l.nq) {
			left = WAIT_SLICE_MS;
			if (o->exit_idle_ms > 0) {
				left = last + o->exit_idle_ms - now_ms();
				if (left <= 0)
					break;
				left = left < WAIT_SLICE_MS ? left : WAIT_SLICE_MS;
			}
			if ((err = ub_at_wait(&l.port, left))) {
				ub_fail(st, err, 0, l.port.name, "%s: the port went away",
					l.port.name);
				goto end;
			}
		}
		/* the queue may grow while its items are taken (URCs inside
		 * the answers to +CMGR, +CMGD, +CNMA) */
		for (i = 0; i < l.nq; i++) {
			struct item it = l.q[i];

			if ((err = one(&l, &it, st)))
				goto end;
			last = now_ms();
		}
		l.nq = 0;
		if (l.overflow && (err = sweep(&l, st)))
			goto end;
	}
end:
	ub_at_share(NULL);
	ub_at_close(&l.port);
	explicit_bzero(&l, sizeof(l));
	return err;
}
