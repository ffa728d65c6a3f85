/* libFuzzer target: AT answers from a hostile modem (pcsc/at.c).
 * The first octet picks the command in progress (its echo and its
 * information lines' prefix) and the size of the pieces the bytes arrive
 * in; the rest is what the modem sends.  Oracles: the same bytes fed whole
 * and in pieces give the same answer; every line handed on is bounded and
 * printable, and every payload decoder stays inside its buffers. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ub_at.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	const char *cmd, *prefix;
	bool bare;
} cmds[] = {
	{"AT+CSIM=10,\"00B0000009\"", "+CSIM:", false},
	{"AT+CGLA=1,10,\"00B0000009\"", "+CGLA:", false},
	{"AT+CCHO=\"A0000000871002\"", "+CCHO:", true},
	{"AT+CMGL=4", "+CMGL:", false},
	{"AT+CMGR=1", "+CMGR:", false},
	{"AT+CSMS=1", "+CSMS:", false},
	{"AT", NULL, false},
	{"ATE0", NULL, false},
};

static unsigned lines;

static void check_line(const char *line, const char *pdu)
{
	size_t i, n = strlen(line);

	if (n > UB_AT_LINE_MAX || (pdu && strlen(pdu) > UB_AT_LINE_MAX))
		__builtin_trap();
	for (i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] > 0x7E)
			__builtin_trap();
}

static void on_line(void *arg, const char *line, const char *pdu)
{
	uint8_t apdu[258], tpdu[UB_AT_TPDU_MAX];
	int n, idx;

	(void)arg;
	lines++;
	check_line(line, pdu);
	n = ub_at_apdu_answer(line, "+CSIM:", apdu, sizeof(apdu));
	if (n > (int)sizeof(apdu) || (n >= 0 && n < 2))
		__builtin_trap();
	n = ub_at_apdu_answer(line, "+CGLA:", apdu, 8);
	if (n > 8)
		__builtin_trap();
	ub_at_number(line, "+CCHO:");
	ub_at_cmti(line);
	if (pdu) {
		n = ub_at_sms(line, pdu, tpdu, &idx);
		if (n > UB_AT_TPDU_MAX || (n >= 0 && (size_t)n * 2 > strlen(pdu)))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ub_at_parser a, b;
	size_t piece, i;
	unsigned la, lb;
	bool da, db = false;
	int c;

	if (size < 1)
		return 0;
	c = data[0] % (sizeof(cmds) / sizeof(cmds[0]));
	piece = 1 + (data[0] >> 4);
	data++;
	size--;
	lines = 0;
	ub_at_parser_init(&a, on_line, NULL);
	ub_at_begin(&a, cmds[c].cmd, cmds[c].prefix, cmds[c].bare, on_line, NULL);
	da = ub_at_feed(&a, (const char *)data, size);
	la = lines;
	lines = 0;
	ub_at_parser_init(&b, on_line, NULL);
	ub_at_begin(&b, cmds[c].cmd, cmds[c].prefix, cmds[c].bare, on_line, NULL);
	for (i = 0; i < size; i += piece)
		db = ub_at_feed(&b, (const char *)data + i, size - i < piece ? size - i : piece) ||
		     db;
	lb = lines;
	if (da != db || la != lb || a.result != b.result || a.code != b.code ||
	    (a.bad == NULL) != (b.bad == NULL) || a.garbage != b.garbage || a.infos != b.infos ||
	    a.urcs != b.urcs)
		__builtin_trap();
	if (a.len > UB_AT_LINE_MAX)
		__builtin_trap();
	return 0;
}
