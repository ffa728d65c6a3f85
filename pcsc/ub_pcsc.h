/* PC/SC transport: readers, card sessions and the one APDU transmit path.
 *
 * This layer knows APDUs and status words, nothing of files or keys.
 * Every function returns 0 (or a count) on success, a negative enum ub_err
 * on failure.
 */
#ifndef UB_PCSC_H
#define UB_PCSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>

#include "ub_error.h"

#define UB_ATR_MAX 33
#define UB_READER_NAME_MAX 256

/* Flags marking what of an APDU is secret, for the trace. */
enum ub_apdu_flags {
	UB_APDU_SECRET_CMD = 1 << 0,  /* command data (PIN, key material) */
	UB_APDU_SECRET_RESP = 1 << 1, /* response data (RES, CK, IK, Ks_ext_NAF) */
};

/* One command/response pair.  ub_transmit() fills resp, resp_len and sw,
 * whatever the protocol; GET RESPONSE and wrong-Le retries happen inside. */
struct ub_apdu {
	uint8_t cla, ins, p1, p2;
	const uint8_t *data; /* command data, lc bytes (case 3/4) */
	size_t lc;	     /* 0..255 */
	int le;		     /* -1: no response data expected (case 1/3);
				1..256: expected length, 256 is coded 00 */
	unsigned flags;	     /* enum ub_apdu_flags */
	uint8_t *resp;	     /* caller's buffer for response data */
	size_t resp_max;
	size_t resp_len; /* out: data bytes */
	uint16_t sw;	 /* out: final status word */
};

/* Trace sinks: scriptor format ("> 00 A4 ..." / "< ... 90 00"). */
struct ub_trace {
	FILE *fp[2];  /* e.g. stderr for -v, and the --trace file */
	bool secrets; /* --trace-secrets: do not redact */
};

struct ub_card;

/* The transport contract: what a link (PC/SC, a modem's AT port) does
 * under the one APDU path of transmit.c, which keeps the APDU semantics
 * (61xx/6Cxx/GET RESPONSE, T=0 case 4, the trace and its redaction) for
 * every link.  Each returns 0 or a negative enum ub_err; a link that
 * fails may say more in c->link_st (its where names the port or reader). */
struct ub_link_ops {
	const char *kind; /* "pcsc", "at" */
	/* one TPDU out, its answer (data and SW1 SW2, 2..258 bytes) into rsp */
	int (*transmit)(struct ub_card *c, const uint8_t *cmd, size_t len, uint8_t *rsp,
			size_t *rsp_len);
	/* a known state: PC/SC resets the card; a modem, which cannot,
	 * closes the logical channels it opened and selects the MF */
	int (*reset)(struct ub_card *c);
	/* the card kept ours for a sequence of APDUs (PC/SC transactions; a
	 * modem's port is locked for the whole session) */
	int (*begin)(struct ub_card *c);
	void (*end)(struct ub_card *c);
	void (*close)(struct ub_card *c);
	/* what reset does, in words, for messages */
	const char *reset_says;
};

extern const struct ub_link_ops ub_pcsc_link;

struct ub_card {
	const struct ub_link_ops *ops;
	void *link;		  /* the link's own state (a modem's) */
	struct ub_status link_st; /* the link's last failure, in words */
	SCARDCONTEXT ctx;
	SCARDHANDLE h;
	DWORD proto; /* SCARD_PROTOCOL_T0 or _T1 */
	DWORD share;
	char reader[UB_READER_NAME_MAX];
	uint8_t atr[UB_ATR_MAX];
	size_t atr_len;
	struct ub_trace *trace;
	unsigned apdus;	     /* TPDUs exchanged in this session */
	unsigned generation; /* bumped on every reset/reconnect: drop caches */
	LONG last_rv;	     /* last PC/SC return value, for messages */
	bool fresh;	     /* reset by us and no APDU since: the MF is current */
};

/* Fill an apdu; data may be NULL when lc is 0. */
void ub_apdu_set(struct ub_apdu *a, uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
		 const uint8_t *data, size_t lc, int le, uint8_t *resp, size_t resp_max);

/* Send an APDU and collect the whole answer.
 * Handles 61xx (GET RESPONSE loop), 9Fxx (2G SIM), 6Cxx (one re-issue with
 * that Le), 62xx/63xx after a T=0 case-4 command (GET RESPONSE, warning SW
 * kept), and data beyond Le (cut to Le).
 * Returns 0 with a->sw set (any SW: the caller interprets it),
 * UB_E_CARD_RESET (reconnected; re-select and retry once),
 * UB_E_CARD_REMOVED, UB_E_NO_CARD, UB_E_PROTO (a->sw 61xx/9Fxx/6Cxx: the
 * card still asked for another round after 64 of them), UB_E_USAGE,
 * UB_E_PCSC. */
int ub_transmit(struct ub_card *c, struct ub_apdu *a);

/* Map a PC/SC return value to an ub_err; remembers it in c (may be NULL). */
int ub_pcsc_err(struct ub_card *c, LONG rv);

/* Human name of the active protocol: "T=0", "T=1" or "?". */
const char *ub_proto_name(DWORD proto);

/* --- readers --- */
struct ub_reader_info {
	char name[UB_READER_NAME_MAX];
	bool card_present;
	uint8_t atr[UB_ATR_MAX];
	size_t atr_len;
};

int ub_ctx_open(SCARDCONTEXT *ctx);
void ub_ctx_close(SCARDCONTEXT ctx);

/* List readers with their state into out[max].  Returns the count. */
int ub_readers_list(SCARDCONTEXT ctx, struct ub_reader_info *out, size_t max);

/* Pick a reader: spec is an index ("0"), an exact name, or a substring;
 * NULL means the first reader holding a card.  Returns the index in list
 * or UB_E_NO_READER / UB_E_NO_CARD. */
int ub_reader_pick(const struct ub_reader_info *list, size_t n, const char *spec);

/* Wait up to timeout_ms for a reader matching spec to hold a card, with
 * SCardGetStatusChange on the readers and the PnP pseudo-reader (no
 * polling).  On success copies the reader's name into name.  Returns 0,
 * UB_E_TIMEOUT, UB_E_NO_READER (spec matches nothing and timeout 0). */
int ub_wait_card(SCARDCONTEXT ctx, const char *spec, long timeout_ms,
		 char name[UB_READER_NAME_MAX]);

/* Connect to reader (shared unless exclusive), T=0 or T=1: a card on
 * the PC/SC link. */
int ub_card_connect(struct ub_card *c, SCARDCONTEXT ctx, const char *reader, bool exclusive,
		    struct ub_trace *trace);
void ub_card_disconnect(struct ub_card *c);

/* SCardReconnect with init (SCARD_LEAVE_CARD or SCARD_RESET_CARD): the
 * new protocol is taken, the generation bumped (selection state is gone).
 * Returns 0 or the mapped PC/SC error. */
int ub_card_reconnect(struct ub_card *c, DWORD init);

/* A known state through the link (c->ops->reset): on PC/SC a reset
 * (SCardReconnect with SCARD_RESET_CARD), at the price of disturbing other
 * applications that share the card; on a modem the channels closed and
 * the MF selected. */
int ub_card_reset(struct ub_card *c);

/* The card ours around multi-APDU sequences (PC/SC transactions). */
int ub_card_begin(struct ub_card *c);
void ub_card_end(struct ub_card *c);

/* --- the modem link (modem.c): a UICC behind a modem's AT port --- */

/* Open the card behind the modem of spec ("at:DEVICE[@BAUD]", ub_at.h):
 * the port locked (waiting up to wait_ms for another holder), generic SIM
 * access (AT+CSIM, 3GPP TS 27.007 8.17) checked.  The card is T=0 to the
 * layer above (the modem may pass 61xx through or fetch it itself);
 * logical channels go through +CCHO/+CGLA/+CCHC where the modem refuses
 * MANAGE CHANNEL through +CSIM.  Returns 0 or the port's error (ub_at.h);
 * st names the port. */
int ub_modem_open(struct ub_card *c, const char *spec, long wait_ms, struct ub_trace *trace,
		  struct ub_status *st);

/* May the modem link open a logical channel (AT+CCHO) to stand in for the
 * basic channel where the modem refuses SELECT by AID there?  (Default
 * yes; the policy's [smartcard] logical_channel.)  No-op on other links. */
void ub_modem_channels(struct ub_card *c, bool allowed);

/* Trace helpers, also used for comments ("# ...") by upper layers. */
void ub_trace_note(struct ub_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
