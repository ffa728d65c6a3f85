/* The AT answer parser (pcsc/at.c) against what modems send, hostile
 * modems included; and the port (pcsc/at_port.c) against a scripted modem
 * on a pseudo-terminal: echo, silence, a port that goes away, the lock. */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmocka.h>

#include "ub_at.h"
#include "ub_hex.h"
#include "ub_pcsc.h"

/* what the callbacks saw, one "line|pdu" a row */
static char seen_info[8][UB_AT_LINE_MAX * 2 + 2], seen_urc[8][UB_AT_LINE_MAX * 2 + 2];
static int n_info, n_urc;

static void keep(char rows[8][UB_AT_LINE_MAX * 2 + 2], int *n, const char *line, const char *pdu)
{
	if (*n < 8)
		snprintf(rows[(*n)++], sizeof(rows[0]), "%s|%s", line, pdu ? pdu : "");
}

static void on_info(void *arg, const char *line, const char *pdu)
{
	(void)arg;
	keep(seen_info, &n_info, line, pdu);
}

static void on_urc(void *arg, const char *line, const char *pdu)
{
	(void)arg;
	keep(seen_urc, &n_urc, line, pdu);
}

static struct ub_at_parser P;

/* SMS-DELIVER of 23 octets behind an SMSC address of 7 octets */
#define PDU23 "0791947106004034040B919471060040F400000230119050004004D4F29C0E"

/* a command and the modem's whole answer, fed in one piece and then byte
 * by byte: the two must agree */
static bool answer(const char *cmd, const char *prefix, const char *bytes)
{
	bool done1, done2 = false;
	size_t i;

	n_info = n_urc = 0;
	ub_at_parser_init(&P, on_urc, NULL);
	ub_at_begin(&P, cmd, prefix, false, on_info, NULL);
	done1 = ub_at_feed(&P, bytes, strlen(bytes));
	{
		struct ub_at_parser q;
		int ni = n_info, nu = n_urc;

		q = P;
		n_info = n_urc = 0;
		ub_at_parser_init(&P, on_urc, NULL);
		ub_at_begin(&P, cmd, prefix, false, on_info, NULL);
		for (i = 0; bytes[i]; i++)
			done2 = ub_at_feed(&P, bytes + i, 1) || done2;
		assert_int_equal(ni, n_info);
		assert_int_equal(nu, n_urc);
		assert_int_equal(q.result, P.result);
		assert_true((q.bad == NULL) == (P.bad == NULL));
	}
	assert_int_equal(done1, done2);
	return done1;
}

static void csim_echo_off(void **state)
{
	uint8_t r[300];

	(void)state;
	assert_true(answer("AT+CSIM=10,\"00B0000009\"",
			   "+CSIM:", "\r\n+CSIM: 8,\"12349000\"\r\n\r\nOK\r\n"));
	assert_int_equal(P.result, UB_AT_OK);
	assert_null(P.bad);
	assert_int_equal(n_info, 1);
	assert_string_equal(seen_info[0], "+CSIM: 8,\"12349000\"|");
	assert_int_equal(ub_at_apdu_answer("+CSIM: 8,\"12349000\"", "+CSIM:", r, sizeof(r)), 4);
	assert_int_equal(r[3], 0x00);
	assert_int_equal(r[2], 0x90);
}

static void csim_echo_on(void **state)
{
	(void)state;
	/* the echo ends with CR alone (V.250 6.2.4) */
	assert_true(answer("AT+CSIM=10,\"00B0000009\"", "+CSIM:",
			   "AT+CSIM=10,\"00B0000009\"\r\r\n+CSIM: 4,\"9000\"\r\n\r\nOK\r\n"));
	assert_int_equal(n_info, 1);
	assert_int_equal(P.garbage, 0);
}

static void urcs_between_and_inside(void **state)
{
	(void)state;
	assert_true(answer("AT+CSIM=4,\"0070\"", "+CSIM:",
			   "\r\nRING\r\n\r\n+CREG: 1,\"00C3\",\"0010\"\r\n"
			   "\r\n+CSIM: 6,\"019000\"\r\n"
			   "\r\n+CMT: ,23\r\n" PDU23 "\r\n+CMTI: \"SM\",3\r\n\r\nOK\r\n"));
	assert_int_equal(P.result, UB_AT_OK);
	assert_int_equal(n_info, 1);
	assert_int_equal(n_urc, 4);
	assert_string_equal(seen_urc[0], "RING|");
	assert_string_equal(seen_urc[2], "+CMT: ,23|" PDU23);
	assert_string_equal(seen_urc[3], "+CMTI: \"SM\",3|");
}

static void errors(void **state)
{
	(void)state;
	assert_true(answer("AT+CSIM=4,\"0070\"", "+CSIM:", "\r\n+CME ERROR: 4\r\n"));
	assert_int_equal(P.result, UB_AT_CME_ERROR);
	assert_int_equal(P.code, 4);
	assert_true(answer("AT+CMGD=3", NULL, "\r\n+CMS ERROR: 321\r\n"));
	assert_int_equal(P.result, UB_AT_CMS_ERROR);
	assert_int_equal(P.code, 321);
	assert_true(answer("AT+CSIM=4,\"0070\"",
			   "+CSIM:", "\r\n+CME ERROR: operation not supported\r\n"));
	assert_int_equal(P.code, -1);
	assert_true(answer("AT+X", NULL, "\r\nERROR\r\n"));
	assert_int_equal(P.result, UB_AT_ERROR);
}

static void garbage_and_silence(void **state)
{
	static const char bin[] = "\r\nab\x01\x02\xff\r\nOK";

	(void)state;
	/* no final result: not done */
	assert_false(answer("AT", NULL, "\r\nhello\r\n+CSIM: 4,\"9000\"\r\n"));
	assert_int_equal(P.garbage, 1);
	assert_int_equal(P.result, UB_AT_NONE);
	/* unprintable bytes: the line is garbage, the OK not yet framed */
	assert_false(answer("AT", NULL, bin));
	assert_int_equal(P.garbage, 1);
	assert_true(ub_at_feed(&P, "\r\n", 2));
	/* an OK nobody asked for is stray, not the next command's */
	ub_at_parser_init(&P, NULL, NULL);
	assert_false(ub_at_feed(&P, "\r\nOK\r\n", 6));
	assert_int_equal(P.garbage, 1);
}

static void overlong(void **state)
{
	char big[UB_AT_LINE_MAX + 200];

	(void)state;
	memset(big, 0, sizeof(big));
	strcpy(big, "\r\n+CSIM: 1200,\"");
	memset(big + strlen(big), 'A', UB_AT_LINE_MAX);
	strcat(big, "\"\r\nOK\r\n");
	assert_true(answer("AT+CSIM=4,\"00B0\"", "+CSIM:", big));
	assert_non_null(P.bad);
	assert_int_equal(n_info, 0);
	assert_int_equal(P.overlong, 1);
	/* an overlong URC is dropped, the answer stands */
	memset(big, 0, sizeof(big));
	strcpy(big, "\r\n+CREG: ");
	memset(big + strlen(big), '1', UB_AT_LINE_MAX);
	strcat(big, "\r\n+CSIM: 4,\"9000\"\r\nOK\r\n");
	assert_true(answer("AT+CSIM=4,\"00B0\"", "+CSIM:", big));
	assert_null(P.bad);
	assert_int_equal(n_info, 1);
}

static void apdu_answer_torture(void **state)
{
	static const char *const bad[] = {
		"+CSIM: 6,\"9000\"",	    /* length disagrees with the hex */
		"+CSIM: 4,\"90000\"",	    /* odd */
		"+CSIM: 2,\"90\"",	    /* no SW */
		"+CSIM: 4,\"90G0\"",	    /* not hex */
		"+CSIM: 4,\"9000",	    /* unterminated */
		"+CSIM: 4,\"9000\"x",	    /* trailing */
		"+CSIM: ,\"9000\"",	    /* no length */
		"+CSIM: 99999999,\"9000\"", /* huge */
		"+CGLA: 4,\"9000\"",	    /* other command */
		"+CSIM: -4,\"9000\"",	    "+CSIM: 4 \"9000\"", "+CSIM: 0,\"\"",
	};
	uint8_t r[4];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ub_at_apdu_answer(bad[i], "+CSIM:", r, sizeof(r)), UB_E_PROTO);
	assert_int_equal(ub_at_apdu_answer("+CSIM: 4,9000", "+CSIM:", r, sizeof(r)), 2);
	assert_int_equal(ub_at_apdu_answer("+CGLA: 6,\"aa6100\"", "+CGLA:", r, sizeof(r)), 3);
	/* more than the buffer */
	assert_int_equal(ub_at_apdu_answer("+CSIM: 10,\"0102039000\"", "+CSIM:", r, sizeof(r)),
			 UB_E_PROTO);
}

static void numbers(void **state)
{
	(void)state;
	assert_int_equal(ub_at_number("+CCHO: 3", "+CCHO:"), 3);
	assert_int_equal(ub_at_number("17", "+CCHO:"), 17);
	assert_int_equal(ub_at_number("+CCHO: x", "+CCHO:"), UB_E_PROTO);
	assert_int_equal(ub_at_number("99999999999", NULL), UB_E_PROTO);
	assert_int_equal(ub_at_number("", NULL), UB_E_PROTO);
	assert_int_equal(ub_at_cmti("+CMTI: \"SM\",12"), 12);
	assert_int_equal(ub_at_cmti("+CMTI: \"SM\""), UB_E_PROTO);
	assert_int_equal(ub_at_cmti("+CMT: \"SM\",1"), UB_E_PROTO);
}

static void sms_pdus(void **state)
{
	uint8_t t[UB_AT_TPDU_MAX];
	int idx;

	(void)state;
	assert_int_equal(ub_at_sms("+CMT: ,23", PDU23, t, &idx), 23);
	assert_int_equal(idx, -1);
	assert_int_equal(t[0], 0x04);
	assert_int_equal(ub_at_sms("+CMGL: 7,0,,23", PDU23, t, &idx), 23);
	assert_int_equal(idx, 7);
	assert_int_equal(ub_at_sms("+CMGR: 0,\"a,b\",23", PDU23, t, &idx), 23);
	/* length disagrees, SMSC length past the end, not hex, odd, empty */
	assert_int_equal(ub_at_sms("+CMT: ,22", PDU23, t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMT: ,1", "0f00", t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMT: ,1", "00zz", t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMT: ,1", "000", t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMT: ,0", "00", t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMT: 23", PDU23, t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMGL: x,0,,23", PDU23, t, &idx), UB_E_PROTO);
	assert_int_equal(ub_at_sms("+CMT: ,999", PDU23, t, &idx), UB_E_PROTO);
}

static void cmgl_pdus_and_a_missing_one(void **state)
{
	(void)state;
	assert_true(answer("AT+CMGL=4", "+CMGL:",
			   "\r\n+CMGL: 1,0,,23\r\n" PDU23 "\r\n+CMGL: 2,0,,23\r\n" PDU23
			   "\r\n\r\nOK\r\n"));
	assert_int_equal(n_info, 2);
	assert_null(P.bad);
	assert_true(answer("AT+CMGL=4", "+CMGL:", "\r\n+CMGL: 1,0,,23\r\n\r\nOK\r\n"));
	assert_non_null(P.bad);
	/* a URC between a +CMT header and its PDU: the header is dropped,
	 * the URC kept */
	assert_true(answer("AT", NULL, "\r\n+CMT: ,23\r\nRING\r\nOK\r\n"));
	assert_int_equal(n_urc, 1);
	assert_int_equal(P.urcs_dropped, 1);
}

/* --- the port, against a scripted modem on a pseudo-terminal --- */

struct step {
	const char *expect; /* the command's start */
	const char *reply;  /* NULL: silence; "CLOSE": the port goes away */
};

static int master = -1;
static char slave[64];
static const struct step *script;
static size_t nscript;
static int script_bad; /* commands that were not what the script expected */

static void *modem(void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < nscript; i++) {
		char cmd[700];
		size_t n = 0;

		while (n < sizeof(cmd) - 1) {
			char c;
			ssize_t r = read(master, &c, 1);

			if (r <= 0)
				return NULL;
			if (c == '\r')
				break;
			cmd[n++] = c;
		}
		cmd[n] = 0;
		if (strncasecmp(cmd, script[i].expect, strlen(script[i].expect))) {
			fprintf(stderr, "modem: expected %s, got %s\n", script[i].expect, cmd);
			script_bad++;
		}
		if (!script[i].reply)
			continue;
		if (!strcmp(script[i].reply, "CLOSE")) {
			close(master);
			master = -1;
			return NULL;
		}
		if (write(master, script[i].reply, strlen(script[i].reply)) < 0)
			return NULL;
	}
	return NULL;
}

static pthread_t thr;

static void pty_up(const struct step *s, size_t n)
{
	master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	snprintf(slave, sizeof(slave), "at:%s", ptsname(master));
	script = s;
	nscript = n;
	assert_int_equal(pthread_create(&thr, NULL, modem, NULL), 0);
}

static void pty_down(void)
{
	pthread_join(thr, NULL);
	if (master >= 0)
		close(master);
	master = -1;
}

#define OPEN_STEPS                                              \
	{"AT", "AT\r\r\nOK\r\n"}, {"ATE0", "ATE0\r\r\nOK\r\n"}, \
	{                                                       \
		"AT+CMEE=1", "\r\nOK\r\n"                       \
	}

static void csim_info_keep(void *arg, const char *line, const char *pdu)
{
	(void)pdu;
	snprintf(arg, UB_AT_LINE_MAX, "%s", line);
}

static void port_commands(void **state)
{
	static const struct step s[] = {
		OPEN_STEPS,
		{"AT+CSIM=10,", "\r\n+CREG: 1\r\n+CSIM: 4,\"9000\"\r\n\r\nOK\r\n"},
		{"AT+CSIM=10,", "\r\n+CME ERROR: 3\r\n"},
	};
	struct ub_at_port port;
	struct ub_status st;
	char got[UB_AT_LINE_MAX];

	(void)state;
	setenv("UICCBOOT_AT_TIMEOUT_MS", "2000", 1);
	pty_up(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(ub_at_open(&port, slave, 0, NULL, &st), 0);
	assert_int_equal(ub_at_cmd(&port, "AT+CSIM=10,\"00B0000009\"", "+CSIM:", false,
				   csim_info_keep, got, &st),
			 0);
	assert_string_equal(got, "+CSIM: 4,\"9000\"");
	assert_int_equal(
		ub_at_cmd(&port, "AT+CSIM=10,\"0020000108\"", "+CSIM:", false, NULL, NULL, &st),
		UB_E_SW);
	assert_int_equal(port.p.result, UB_AT_CME_ERROR);
	assert_non_null(strstr(st.what, "+CME ERROR: 3"));
	/* the message names the command, never its APDU */
	assert_null(strstr(st.what, "0020000108"));
	assert_non_null(strstr(st.what, ptsname(master)));
	ub_at_close(&port);
	pty_down();
}

static void port_silence_then_gone(void **state)
{
	static const struct step s[] = {
		OPEN_STEPS,
		{"AT+CSIM", NULL},
		{"AT+CSIM", "CLOSE"},
	};
	struct ub_at_port port;
	struct ub_status st;

	(void)state;
	setenv("UICCBOOT_AT_TIMEOUT_MS", "300", 1);
	pty_up(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(ub_at_open(&port, slave, 0, NULL, &st), 0);
	assert_int_equal(ub_at_cmd(&port, "AT+CSIM=4,\"0070\"", "+CSIM:", false, NULL, NULL, &st),
			 UB_E_TIMEOUT);
	assert_non_null(strstr(st.what, "no answer"));
	assert_non_null(strstr(st.where, "modem /dev/pts/"));
	assert_int_equal(ub_at_cmd(&port, "AT+CSIM=4,\"0070\"", "+CSIM:", false, NULL, NULL, &st),
			 UB_E_NO_READER);
	assert_non_null(strstr(st.what, "went away"));
	ub_at_close(&port);
	pty_down();
}

static void port_locked_and_specs(void **state)
{
	static const struct step s[] = {OPEN_STEPS};
	struct ub_at_port port, other;
	struct ub_status st;

	(void)state;
	setenv("UICCBOOT_AT_TIMEOUT_MS", "2000", 1);
	pty_up(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(ub_at_open(&port, slave, 0, NULL, &st), 0);
	/* a second opener: refused (TIOCEXCL binds all but root; the lock
	 * binds root too) */
	assert_int_equal(ub_at_open(&other, slave, 0, NULL, &st), UB_E_TIMEOUT);
	assert_non_null(strstr(st.what, "in use"));
	ub_at_close(&port);
	pty_down();
	assert_int_equal(ub_at_open(&other, "at:", 0, NULL, &st), UB_E_USAGE);
	assert_int_equal(ub_at_open(&other, "at:/dev/null@12345", 0, NULL, &st), UB_E_USAGE);
	assert_int_equal(ub_at_open(&other, "at:/nonexistent/tty", 0, NULL, &st), UB_E_NO_READER);
	assert_int_equal(ub_at_open(&other, "at:/dev/null", 0, NULL, &st), UB_E_NO_READER);
	assert_non_null(strstr(st.what, "not a serial port"));
	assert_true(ub_at_spec("at:/dev/ttyUSB2@115200"));
	assert_false(ub_at_spec("Virtual PCD 00 00"));
}

/* The modem link: MANAGE CHANNEL refused through +CSIM, so the channel
 * goes through +CCHO/+CGLA/+CCHC; 61xx on the channel fetched with a
 * GET RESPONSE that goes the same way (transmit.c, T=0). */
static void link_channels_through_ccho(void **state)
{
	static const struct step s[] = {
		OPEN_STEPS,
		{"AT+CSIM=?", "\r\nOK\r\n"},
		{"AT+CSIM=10,\"0070000001\"", "\r\n+CME ERROR: 3\r\n"},
		{"AT+CCHO=\"A0000000871002\"", "\r\n+CCHO: 7\r\n\r\nOK\r\n"},
		{"AT+CGLA=7,24,\"01A4040407A0000000871002\"", "\r\n+CGLA: 4,\"6103\"\r\nOK\r\n"},
		{"AT+CGLA=7,10,\"01C0000003\"", "\r\n+CGLA: 10,\"6201829000\"\r\nOK\r\n"},
		{"AT+CGLA=7,10,\"01B0000002\"", "\r\n+CGLA: 12,\"4142900\"\r\nOK\r\n"},
		{"AT+CCHC=7", "\r\nOK\r\n"},
	};
	static const uint8_t aid[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};
	struct ub_trace tr = {{NULL, NULL}, false};
	struct ub_status st;
	struct ub_card c;
	struct ub_apdu a;
	uint8_t b[64], n = 0;

	(void)state;
	setenv("UICCBOOT_AT_TIMEOUT_MS", "2000", 1);
	script_bad = 0;
	pty_up(s, sizeof(s) / sizeof(s[0]));
	assert_int_equal(ub_modem_open(&c, slave, 0, &tr, &st), 0);
	assert_string_equal(c.ops->kind, "at");
	ub_apdu_set(&a, 0x00, 0x70, 0x00, 0x00, NULL, 0, 1, &n, 1);
	assert_int_equal(ub_transmit(&c, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_int_equal(n, 1); /* the channel kept by the link */
	ub_apdu_set(&a, 0x01, 0xA4, 0x04, 0x04, aid, sizeof(aid), 256, b, sizeof(b));
	assert_int_equal(ub_transmit(&c, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_int_equal(a.resp_len, 3);
	/* a length that disagrees with the hex: a protocol error naming the port */
	ub_apdu_set(&a, 0x01, 0xB0, 0x00, 0x00, NULL, 0, 2, b, sizeof(b));
	assert_int_equal(ub_transmit(&c, &a), UB_E_PROTO);
	assert_int_equal(c.link_st.err, UB_E_PROTO);
	assert_non_null(strstr(c.link_st.where, "modem /dev/pts/"));
	ub_apdu_set(&a, 0x00, 0x70, 0x80, 0x01, NULL, 0, -1, NULL, 0);
	assert_int_equal(ub_transmit(&c, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	ub_card_disconnect(&c);
	pty_down();
	assert_int_equal(script_bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(csim_echo_off),
		cmocka_unit_test(csim_echo_on),
		cmocka_unit_test(urcs_between_and_inside),
		cmocka_unit_test(errors),
		cmocka_unit_test(garbage_and_silence),
		cmocka_unit_test(overlong),
		cmocka_unit_test(apdu_answer_torture),
		cmocka_unit_test(numbers),
		cmocka_unit_test(sms_pdus),
		cmocka_unit_test(cmgl_pdus_and_a_missing_one),
		cmocka_unit_test(port_commands),
		cmocka_unit_test(port_silence_then_gone),
		cmocka_unit_test(port_locked_and_specs),
		cmocka_unit_test(link_channels_through_ccho),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
