/* The AT answer parser (ub_at.h): lines framed by CR or LF (V.250 5.7.1),
 * a command's echo, information lines and final result, and URCs
 * (TS 27.007 and 27.005) wherever they fall.  Pure: bytes in, callbacks
 * out, fixed buffers. */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ub_at.h"
#include "ub_hex.h"

void ub_at_parser_init(struct ub_at_parser *p, ub_at_line_fn on_urc, void *arg)
{
	memset(p, 0, sizeof(*p));
	p->on_urc = on_urc;
	p->urc_arg = arg;
}

void ub_at_begin(struct ub_at_parser *p, const char *cmd, const char *prefix, bool bare_number,
		 ub_at_line_fn on_info, void *arg)
{
	snprintf(p->cmd, sizeof(p->cmd), "%s", cmd ? cmd : "");
	p->prefix = prefix;
	p->bare_number = bare_number;
	p->on_info = on_info;
	p->info_arg = arg;
	p->pending = true;
	p->result = UB_AT_NONE;
	p->code = 0;
	p->bad = NULL;
	p->infos = 0;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

static bool hex_line(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!isxdigit((unsigned char)s[n]))
			return false;
	return n > 0 && n % 2 == 0;
}

/* Headers whose next line is a PDU: as URCs (27.005 3.4.1), and as the
 * information lines of +CMGL and +CMGR (3.4.2, 3.4.3). */
static bool urc_with_pdu(const char *s)
{
	return starts(s, "+CMT:") || starts(s, "+CDS:") || starts(s, "+CBM:");
}

static bool info_with_pdu(const char *prefix)
{
	return prefix && (!strcasecmp(prefix, "+CMGL:") || !strcasecmp(prefix, "+CMGR:"));
}

/* The shapes a URC takes: +XXX: (27.007, 27.005), vendors' ^XXX and the
 * like, and the V.250 words a modem sends unasked. */
static bool urc_shape(const char *s)
{
	static const char *const words[] = {"RING", "NO CARRIER", "BUSY", "NO ANSWER",
					    "NO DIALTONE"};
	size_t i;

	if (strchr("+^*%$#", s[0]) && s[1])
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return false;
}

static void urc(struct ub_at_parser *p, const char *line, const char *pdu)
{
	p->urcs++;
	if (p->on_urc)
		p->on_urc(p->urc_arg, line, pdu);
}

static void info(struct ub_at_parser *p, const char *line, const char *pdu)
{
	p->infos++;
	if (p->on_info)
		p->on_info(p->info_arg, line, pdu);
}

static void broke(struct ub_at_parser *p, const char *how)
{
	if (p->pending && !p->bad)
		p->bad = how;
}

/* A final result code (V.250 5.7.2, 27.007 9.2, 27.005 3.2.5). */
static bool final(struct ub_at_parser *p, const char *s)
{
	enum ub_at_result r;
	const char *num = NULL;

	if (!strcasecmp(s, "OK")) {
		r = UB_AT_OK;
	} else if (!strcasecmp(s, "ERROR")) {
		r = UB_AT_ERROR;
	} else if (starts(s, "+CME ERROR:")) {
		r = UB_AT_CME_ERROR;
		num = s + 11;
	} else if (starts(s, "+CMS ERROR:")) {
		r = UB_AT_CMS_ERROR;
		num = s + 11;
	} else {
		return false;
	}
	if (!p->pending) {
		p->garbage++; /* a result nobody asked for */
		return true;
	}
	if (p->holding && p->held_info)
		broke(p, "an SMS header without its PDU line");
	p->holding = false;
	p->result = r;
	/* AT+CMEE=1 gives a number; =2 (or a modem that ignores =1) text */
	p->code = num ? ub_at_number(num, NULL) : 0;
	if (p->code < 0)
		p->code = -1;
	p->pending = false;
	return true;
}

/* A header waiting for its PDU meets the next line. */
static bool pdu_line(struct ub_at_parser *p, const char *s, bool whole)
{
	bool is_info = p->held_info;

	p->holding = false;
	if (whole && hex_line(s)) {
		if (is_info)
			info(p, p->held, s);
		else
			urc(p, p->held, s);
		return true;
	}
	if (is_info)
		broke(p, whole ? "an SMS header without its PDU line" : "an overlong PDU line");
	else
		p->urcs_dropped++;
	return !whole; /* a cut line is consumed; another is looked at anew */
}

static void classify(struct ub_at_parser *p, const char *s, bool whole)
{
	if (p->holding && pdu_line(p, s, whole))
		return;
	if (!whole) {
		/* cut: what it was meant to be decides what breaks */
		p->overlong++;
		if (p->pending && p->prefix && starts(s, p->prefix))
			broke(p, "an overlong information line");
		else if (urc_shape(s))
			p->urcs_dropped++;
		return;
	}
	if (p->pending && p->cmd[0] && !strcasecmp(s, p->cmd))
		return; /* the echo (V.250 6.2.4: E1, the default), URCs or not before it */
	if (final(p, s))
		return;
	if (p->pending && p->prefix && starts(s, p->prefix)) {
		if (info_with_pdu(p->prefix)) {
			snprintf(p->held, sizeof(p->held), "%s", s);
			p->held_info = true;
			p->holding = true;
		} else {
			info(p, s, NULL);
		}
		return;
	}
	if (urc_with_pdu(s)) {
		snprintf(p->held, sizeof(p->held), "%s", s);
		p->held_info = false;
		p->holding = true;
		return;
	}
	if (urc_shape(s)) {
		urc(p, s, NULL);
		return;
	}
	if (p->pending && p->bare_number && ub_at_number(s, NULL) >= 0) {
		info(p, s, NULL);
		return;
	}
	p->garbage++;
}

static void end_line(struct ub_at_parser *p)
{
	bool whole = !p->cut && !p->unprintable;

	p->line[p->len] = 0;
	if (p->len || p->cut) {
		if (p->unprintable && !p->cut) {
			p->garbage++;
			if (p->holding)
				pdu_line(p, "", false);
		} else {
			classify(p, p->line, whole);
		}
	}
	p->len = 0;
	p->cut = p->unprintable = false;
}

bool ub_at_feed(struct ub_at_parser *p, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c == '\r' || c == '\n') {
			end_line(p);
			continue;
		}
		if (c < 0x20 || c > 0x7E)
			p->unprintable = true;
		if (p->len < UB_AT_LINE_MAX)
			p->line[p->len++] = (char)c;
		else
			p->cut = true;
	}
	return !p->pending && p->result != UB_AT_NONE;
}

/* --- payloads --- */

int ub_at_number(const char *line, const char *prefix)
{
	const char *s = line;
	long v = 0;

	if (prefix && starts(s, prefix))
		s += strlen(prefix);
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return UB_E_PROTO;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > INT_MAX)
			return UB_E_PROTO;
	}
	while (*s == ' ')
		s++;
	return *s ? UB_E_PROTO : (int)v;
}

/* "<digits>," at s: the number, s moved past the comma. */
static long field_number(const char **s)
{
	long v = 0;
	int n = 0;

	while (**s == ' ')
		(*s)++;
	for (; isdigit((unsigned char)**s) && n < 6; (*s)++, n++)
		v = v * 10 + (**s - '0');
	if (!n || isdigit((unsigned char)**s))
		return UB_E_PROTO;
	return v;
}

int ub_at_apdu_answer(const char *line, const char *prefix, uint8_t *out, size_t max)
{
	const char *s = line, *h, *e;
	char hex[2 * 258 + 1];
	long len;
	size_t n;

	if (!starts(s, prefix))
		return UB_E_PROTO;
	s += strlen(prefix);
	if ((len = field_number(&s)) < 0 || *s++ != ',')
		return UB_E_PROTO;
	while (*s == ' ')
		s++;
	/* the hex is a string ("..."); some modems leave the quotes out */
	h = s;
	if (*h == '"') {
		h++;
		if (!(e = strchr(h, '"')) || e[1])
			return UB_E_PROTO;
	} else {
		e = h + strlen(h);
	}
	n = (size_t)(e - h);
	/* 27.007 8.17: <length> is the count of characters of <response> */
	if ((size_t)len != n || n < 4 || n % 2 || n >= sizeof(hex))
		return UB_E_PROTO;
	memcpy(hex, h, n);
	hex[n] = 0;
	if (!hex_line(hex) || n / 2 > max)
		return UB_E_PROTO;
	return ub_unhex(out, max, hex) == (int)(n / 2) ? (int)(n / 2) : UB_E_PROTO;
}

int ub_at_sms(const char *header, const char *pdu, uint8_t tpdu[UB_AT_TPDU_MAX], int *index)
{
	uint8_t b[12 + UB_AT_TPDU_MAX];
	const char *s = header, *last;
	long len, idx = -1;
	size_t n;
	int got;

	*index = -1;
	if (starts(s, "+CMGL:")) {
		s += 6;
		if ((idx = field_number(&s)) < 0 || *s != ',')
			return UB_E_PROTO;
	} else if (!starts(s, "+CMT:") && !starts(s, "+CMGR:")) {
		return UB_E_PROTO;
	}
	/* <length> is the last field; <alpha> before it may hold commas */
	last = strrchr(s, ',');
	if (!last)
		return UB_E_PROTO;
	last++;
	if ((len = field_number(&last)) < 0 || *last || len > UB_AT_TPDU_MAX)
		return UB_E_PROTO;
	n = strlen(pdu);
	if (!hex_line(pdu) || n / 2 > sizeof(b))
		return UB_E_PROTO;
	got = ub_unhex(b, sizeof(b), pdu);
	/* 27.005 3.4.1: the PDU starts with the SMSC address, its length
	 * octet (TS 24.011 8.2.5.1: at most 11 octets follow) first */
	if (got < 1 || b[0] > 11 || (size_t)got != 1 + b[0] + (size_t)len || len < 1)
		return UB_E_PROTO;
	memcpy(tpdu, b + 1 + b[0], (size_t)len);
	*index = (int)idx;
	return (int)len;
}

int ub_at_cmti(const char *line)
{
	const char *s;

	if (!starts(line, "+CMTI:") || !(s = strrchr(line, ',')))
		return UB_E_PROTO;
	return ub_at_number(s + 1, NULL);
}
