/* SMS-DELIVER TPDUs (3GPP TS 23.040 9.2.2.1) as a modem prints them in PDU
 * mode, their User Data Header (9.2.3.24: concatenation and application
 * ports), and the reverse: a payload split into SMS-DELIVER TPDUs.
 *
 * A transport layer: it knows SMS, nothing of WSP or OMA DM.  Pure
 * functions over caller buffers: no allocation, no globals. */
#ifndef UB_SMS_H
#define UB_SMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"

#define UB_SMS_UD_MAX 140     /* TP-UD octets, UDH included (TS 23.040 9.2.3.24) */
#define UB_SMS_ADDR_DIGITS 20 /* TP-OA: at most 10 octets of semi-octets (9.1.2.5) */
#define UB_SMS_ADDR_TEXT 24   /* "+" 20 digits, or 11 alphanumeric characters, + NUL */
#define UB_SMS_TPDU_MAX 176   /* SMSC address (12) + SMS-DELIVER (164) */
#define UB_SMS_PARTS_MAX 255  /* a concatenation counts parts in one octet */
#define UB_SMS_SCTS_TEXT 26   /* "2025-01-31T12:00:00+01:00" + NUL */

/* TP-DCS alphabet (TS 23.038 clause 4). */
enum ub_sms_alphabet {
	UB_SMS_GSM7,	   /* default alphabet (also every reserved coding) */
	UB_SMS_8BIT,	   /* 8-bit data: what WAP Push uses */
	UB_SMS_UCS2,	   /* UCS2 text */
	UB_SMS_COMPRESSED, /* TS 23.042 compression: not handled */
};

/* The alphabet's name, as results and messages say it ("GSM 7-bit",
 * "8-bit", "UCS2", "compressed"). */
const char *ub_sms_alphabet_name(enum ub_sms_alphabet a);

/* One decoded SMS-DELIVER.  payload and udh point into the caller's TPDU
 * buffer, which must outlive this struct. */
struct ub_sms_deliver {
	char smsc[UB_SMS_ADDR_TEXT];	   /* "" when the caller said there is none, or length 0 */
	char originator[UB_SMS_ADDR_TEXT]; /* "+4912345678", "12345", or alphanumeric text */
	uint8_t oa_toa;			   /* type of address octet of TP-OA */
	uint8_t oa_raw[12];		   /* TP-OA as sent: length, TOA, value octets */
	uint8_t oa_raw_len;
	bool mms, sri, udhi, rp; /* TP-MMS (more messages to send), TP-SRI, TP-UDHI, TP-RP */
	uint8_t pid, dcs;
	enum ub_sms_alphabet alphabet;
	int msg_class;			  /* 0..3, -1 when TP-DCS gives none */
	uint8_t scts[7];		  /* TP-SCTS as sent */
	char scts_text[UB_SMS_SCTS_TEXT]; /* ISO 8601, "" when not valid semi-octets */
	uint8_t udl;			  /* TP-UDL: septets (GSM7) or octets */

	bool has_ports;
	uint8_t port_bits; /* 8 or 16 */
	uint16_t dst_port, src_port;

	bool concat;
	uint8_t ref_bits; /* 8 or 16 */
	uint16_t ref;
	uint8_t total, seq; /* 1 <= seq <= total */

	const uint8_t *udh; /* UDHL and the IEs; NULL without TP-UDHI */
	size_t udh_len;
	const uint8_t *payload; /* user data after the UDH; NULL for GSM7 (not octet aligned) */
	size_t payload_len;
};

/* Decode one SMS-DELIVER TPDU.  With has_smsc the bytes start with the
 * SMSC address (TS 24.011 8.2.5.1: length octet, TOA, BCD), as +CMGL/+CMT
 * print it in PDU mode.  Every length is checked against the buffer;
 * trailing octets after TP-UD are refused.  A GSM7, UCS2 or compressed
 * message decodes (alphabet says which) with its UDH; only 8-bit data has
 * a payload worth using.  st: what failed, at which octet offset.
 * Returns 0, UB_E_BAD_DATA, or UB_E_NOT_SUPPORTED (not an SMS-DELIVER:
 * TP-MTI says STATUS-REPORT or SUBMIT-REPORT). */
int ub_sms_deliver_decode(const uint8_t *b, size_t n, bool has_smsc, struct ub_sms_deliver *d,
			  struct ub_status *st);

/* The same message (originator, reference, reference width, total, ports),
 * for grouping concatenated parts (TS 23.040 9.2.3.24.1).  The originator
 * is compared as sent (oa_raw): two alphanumeric senders that print alike
 * (characters outside ASCII shown as '?') are different senders. */
bool ub_sms_same_message(const struct ub_sms_deliver *a, const struct ub_sms_deliver *b);

/* Join the parts of one concatenated message (all ub_sms_same_message, in
 * any order) into out: every seq 1..total exactly once; a repeated seq
 * with the same user data is skipped, with other data refused.  A single
 * unconcatenated 8-bit part is its own message.  Returns the length,
 * UB_E_NOT_FOUND (parts missing: the message is not complete yet),
 * UB_E_BAD_DATA (not 8-bit, mixed messages, conflicting duplicates), or
 * UB_E_USAGE (out too small); st says which part or why. */
int ub_sms_reassemble(const struct ub_sms_deliver *parts, size_t n, uint8_t *out, size_t max,
		      struct ub_status *st);

/* How to build SMS-DELIVER TPDUs (or SMS-SUBMIT ones, for a modem's
 * AT+CMGS or a gateway that takes PDUs). */
struct ub_sms_encode_opts {
	const char *smsc;	/* "+4917...": an SMSC address in front; "": the empty one (00);
				 * NULL: none (a bare TPDU) */
	const char *originator; /* digits, "+" digits, or up to 11 letters/digits (alphanumeric) */
	bool ports;		/* 16-bit application ports (IE 05) */
	uint16_t dst_port, src_port;
	uint8_t ref_bits; /* 8 or 16 (0: 16): the concatenation reference when there are
			     several parts; 16 makes a guessed reference rarer */
	uint16_t ref;
	uint8_t dcs;	 /* must code 8-bit data: 0x04, 0xF4, 0xF5 ... */
	uint8_t scts[7]; /* TP-SCTS; ub_sms_scts() makes one from a time */
	/* non-NULL: SMS-SUBMIT TPDUs (TS 23.040 9.2.2.2) to this address
	 * (digits, "+" digits), no validity period, TP-MR 0; originator and
	 * scts are not used then */
	const char *submit_to;
};

/* One part: the TPDU and, for an SMS gateway (Kannel's sendsms), the UDH
 * (with its UDHL octet) and the user data that follows it. */
struct ub_sms_part {
	uint8_t tpdu[UB_SMS_TPDU_MAX];
	size_t tpdu_len;
	uint8_t udh[UB_SMS_UD_MAX];
	size_t udh_len;
	const uint8_t *data; /* into the payload given to ub_sms_encode() */
	size_t data_len;
};

/* The number of TPDUs a payload of n octets needs (1..255): 140 octets of
 * UD each, less the UDH.  Returns it, or UB_E_USAGE (bad options, or more
 * than 255 parts). */
int ub_sms_part_count(size_t n, const struct ub_sms_encode_opts *o);

/* Part i (0-based) of payload.  Returns 0 or UB_E_USAGE (bad options,
 * originator or SMSC not encodable, i out of range). */
int ub_sms_encode(const uint8_t *payload, size_t n, const struct ub_sms_encode_opts *o, unsigned i,
		  struct ub_sms_part *out);

/* TP-SCTS for a UTC time (seconds since the epoch), time zone +00. */
void ub_sms_scts(long long t, uint8_t scts[7]);

#endif
