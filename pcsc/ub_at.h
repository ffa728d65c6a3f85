/* AT command answers from a cellular modem (ITU-T V.250, 3GPP TS 27.007,
 * TS 27.005), parsed without trusting the modem.
 *
 * The parser (struct ub_at_parser) is pure: it takes bytes as they come
 * and sorts the lines into the answer of the command in progress (its
 * echo, its information lines, its final result code) and unsolicited
 * result codes (URCs) that may arrive at any time, also between a
 * command's information lines and its final result.  Lines are bounded
 * (UB_AT_LINE_MAX); a longer one is cut and marked.  Nothing is allocated.
 *
 * The port (struct ub_at_port, at_port.c) does the I/O on a serial port:
 * opening and locking it, one command at a time with a timeout.
 *
 * Every function returns 0 (or a count) on success, a negative enum ub_err
 * on failure. */
#ifndef UB_AT_H
#define UB_AT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"

/* The longest line kept: a +CSIM answer of 256 data bytes and SW is
 * 2 * 258 hex digits plus its prefix; a PDU line is at most 2 * (12 + 176). */
#define UB_AT_LINE_MAX 600
#define UB_AT_CMD_MAX 560 /* AT+CGLA=nnn,nnn,"<2*(5+255+1)>" */
#define UB_AT_TPDU_MAX 176

enum ub_at_result {
	UB_AT_NONE = 0, /* no final result yet */
	UB_AT_OK,
	UB_AT_ERROR,	 /* V.250 ERROR */
	UB_AT_CME_ERROR, /* +CME ERROR: <err> (TS 27.007 9.2) */
	UB_AT_CMS_ERROR, /* +CMS ERROR: <err> (TS 27.005 3.2.5) */
};

/* A line handed to a callback: line is NUL-terminated and printable;
 * pdu is the hex line that follows a header such as +CMT: or +CMGL:
 * (NULL for a line without one). */
typedef void (*ub_at_line_fn)(void *arg, const char *line, const char *pdu);

struct ub_at_parser {
	/* the line being assembled */
	char line[UB_AT_LINE_MAX + 1];
	size_t len;
	bool cut;	  /* longer than UB_AT_LINE_MAX: the rest is dropped */
	bool unprintable; /* a byte that no AT answer holds (NUL, 8-bit, control) */
	/* a header line waiting for its PDU line */
	char held[UB_AT_LINE_MAX + 1];
	bool held_info; /* an information line of the command, not a URC */
	bool holding;
	/* the command in progress (ub_at_begin) */
	char cmd[UB_AT_CMD_MAX + 1]; /* its echo, if echo is on */
	const char *prefix;	     /* its information lines, e.g. "+CSIM:" */
	bool bare_number;	     /* a line of digits alone is information too */
	bool pending;
	enum ub_at_result result;
	int code;	 /* <err> of +CME/+CMS ERROR; -1 when not a number */
	const char *bad; /* the first way the answer broke the rules, or NULL */
	unsigned infos;	 /* information lines handed on */
	ub_at_line_fn on_info, on_urc;
	void *info_arg, *urc_arg;
	/* counters, for messages */
	unsigned garbage, overlong, urcs, urcs_dropped;
};

/* A parser with no command in progress; on_urc (may be NULL) gets every
 * URC with its PDU line for +CMT:. */
void ub_at_parser_init(struct ub_at_parser *p, ub_at_line_fn on_urc, void *arg);

/* A command was sent: lines from now on are its answer.  cmd is the
 * command line as sent (for its echo), prefix the start of its
 * information lines (NULL: none), handed to on_info(arg, ...) (may be NULL). */
void ub_at_begin(struct ub_at_parser *p, const char *cmd, const char *prefix, bool bare_number,
		 ub_at_line_fn on_info, void *arg);

/* Take n bytes from the modem.  Returns true once the command in progress
 * has its final result (p->result); bytes after it are still parsed (as
 * URCs, or stray lines counted in p->garbage). */
bool ub_at_feed(struct ub_at_parser *p, const char *b, size_t n);

/* --- the answers' payloads, each checked against its own length --- */

/* "+CSIM: <length>,"<hex>"" or "+CGLA: ..." (prefix names which): the
 * response APDU (data and SW, at least 2 bytes) into out.  <length> counts
 * hex digits and must match them.  Returns the byte count, UB_E_PROTO. */
int ub_at_apdu_answer(const char *line, const char *prefix, uint8_t *out, size_t max);

/* A number after prefix ("+CCHO: 3"), or alone ("3") when prefix is NULL
 * or absent from the line.  Returns the number (0..INT_MAX) or UB_E_PROTO. */
int ub_at_number(const char *line, const char *prefix);

/* An SMS header and its PDU line: "+CMT: [<alpha>],<length>",
 * "+CMGR: <stat>,[<alpha>],<length>" or "+CMGL: <index>,<stat>,[<alpha>],<length>".
 * The PDU is the SMSC address (its length octet first) and the TPDU;
 * <length> counts the TPDU's octets and must match.  The TPDU goes to
 * tpdu; index gets <index> of +CMGL (else -1).  Returns the TPDU's length,
 * UB_E_PROTO. */
int ub_at_sms(const char *header, const char *pdu, uint8_t tpdu[UB_AT_TPDU_MAX], int *index);

/* "+CMTI: <mem>,<index>": the index.  Returns it or UB_E_PROTO. */
int ub_at_cmti(const char *line);

/* --- the port: a modem's serial port, one command at a time --- */

struct ub_trace;

#define UB_AT_PATH_MAX 256
#define UB_AT_TIMEOUT_MS 5000

struct ub_at_port {
	int fd;
	char path[UB_AT_PATH_MAX];
	char name[UB_AT_PATH_MAX + 8]; /* "modem /dev/ttyUSB2", for messages */
	unsigned baud;
	int timeout_ms; /* per command */
	struct ub_trace *trace;
	struct ub_at_parser p;
	ub_at_line_fn on_urc; /* the SMS path's, when it listens */
	void *urc_arg;
};

/* Open "at:DEVICE[@BAUD]" (the spec with its at: prefix): the device in
 * raw mode, locked against every other process (flock and TIOCEXCL),
 * waiting up to lock_wait_ms for another holder; then AT, echo off
 * (ATE0) and numeric errors (AT+CMEE=1).  The timeout per command is
 * UB_AT_TIMEOUT_MS or UICCBOOT_AT_TIMEOUT_MS from the environment.
 * Returns 0, UB_E_USAGE (not an at: spec), UB_E_NO_READER (no such
 * device, or it is not a modem), UB_E_TIMEOUT (busy, or silent),
 * UB_E_PROTO; st names the port. */
int ub_at_open(struct ub_at_port *port, const char *spec, long lock_wait_ms, struct ub_trace *trace,
	       struct ub_status *st);

/* Send one command line (without CR) and read its answer up to its final
 * result; information lines starting with prefix go to on_info(arg, ...).
 * Returns 0 on OK; UB_E_SW on ERROR, +CME ERROR or +CMS ERROR (p.result
 * and p.code say which); UB_E_TIMEOUT (no final result in time),
 * UB_E_NO_READER (the port went away), UB_E_PROTO (the answer broke the
 * rules: p.bad says how).  st says which command on which port. */
int ub_at_cmd(struct ub_at_port *port, const char *cmd, const char *prefix, bool bare_number,
	      ub_at_line_fn on_info, void *arg, struct ub_status *st);

/* Wait up to ms for bytes outside a command (URCs), handing them to the
 * parser.  Returns 0 (bytes came, or the time passed), UB_E_NO_READER. */
int ub_at_wait(struct ub_at_port *port, long ms);

/* Unlock and close. */
void ub_at_close(struct ub_at_port *port);

/* Lend port to the rest of this process (NULL: no more): a card session
 * opened meanwhile on the same device (ub_modem_open) uses it instead of
 * waiting for the lock this process holds.  One port at a time. */
void ub_at_share(struct ub_at_port *port);
/* The port lent for spec's device, or NULL. */
struct ub_at_port *ub_at_borrow(const char *spec);

/* Is spec an at: reader? */
bool ub_at_spec(const char *spec);

#endif
