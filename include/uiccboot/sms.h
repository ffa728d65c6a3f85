/* libuiccboot: bootstraps that arrive as WAP Push over SMS, as a modem
 * hands them over: SMS-DELIVER TPDUs (3GPP TS 23.040), one at a time.
 *
 *   struct ub_sms_rx *rx;
 *   ub_sms_open(&cfg, &rx, &st);
 *   for each TPDU:  ub_sms_receive(rx, tpdu, n, true, NULL, 0, &r);  (r.status ...)
 *                   ub_sms_result_free(&r);
 *   ub_sms_close(rx);
 *
 * Parts are kept in the device tree's database, one transaction each, so
 * a power loss loses none and the next call goes on where the last one
 * stopped; a repeated part is ignored, parts may come in any order, and a
 * message that does not complete within the policy's [sms] expiry is
 * removed.  A complete message to the WAP Push port (2948, WAP-259) is a
 * WSP push; a DM or CP bootstrap among them is verified and applied as
 * ub_boot_push does (source "push"; SMS is an insecure transport, so only
 * a valid MAC of a SEC type the policy allows gets in).  One whose MAC
 * takes the user's PIN, completing while no PIN is given (or while the
 * budget of wrong PINs is spent), waits as pending until
 * ub_sms_pending_apply gives it (or it expires).  A push applied before,
 * in any spelling, is never applied again (docs/trust-model.md).
 *
 * Every call returns 0 or a negative enum ub_err (ub_error.h).  A handle
 * is used by one thread at a time; several processes may receive into one
 * tree at once.  cfg must outlive the handle. */
#ifndef UICCBOOT_SMS_H
#define UICCBOOT_SMS_H

#include "boot.h"

#ifdef __cplusplus
extern "C" {
#endif

enum ub_sms_status {
	UB_SMS_STORED,	  /* a part kept; its message is not complete yet */
	UB_SMS_APPLIED,	  /* it completed a bootstrap, now applied */
	UB_SMS_UNCHANGED, /* it completed a bootstrap the tree already holds */
	UB_SMS_PENDING,	  /* it completed a bootstrap that waits for the user's PIN */
	UB_SMS_IGNORED,	  /* not for us (a text, not a WAP push, not a bootstrap), or a
			     repeat (a part held already, the push in force) */
	UB_SMS_REJECTED,  /* refused: malformed, a bound of [sms], WTLS, the verification */
	UB_SMS_FAILED,	  /* not done: the tree, the card; a complete message is kept
			     and tried again by ub_sms_resume */
};

/* "stored", "applied", "unchanged", "pending", "ignored", "rejected",
 * "failed". */
const char *ub_sms_status_name(enum ub_sms_status s);

/* A message the store let go of. */
struct ub_sms_dropped {
	long long message;
	char originator[24];
	unsigned held, total;
	bool pending;
	const char *why; /* "expired", "[sms] max_messages", "[sms] max_bytes",
			    "[sms] max_pending_per_sender", "wrong PIN" */
};

struct ub_sms_result {
	enum ub_sms_status status;
	/* rejected, failed: the error, where and what; ignored: what it is
	 * (why.what), why.err 0 */
	struct ub_status why;
	char originator[24];		/* "" when the TPDU did not decode */
	unsigned part, total;		/* its part of its message (1 of 1 when not
					   concatenated); 0 of 0 when not decoded */
	unsigned held;			/* parts of the message held with it */
	long long message;		/* the store's number of the message, or 0 */
	const char *kind;		/* a complete message: the push's kind ("DM
					   bootstrap", "DM notification", ...), or NULL */
	const char *sec;		/* and its SEC type, or NULL */
	unsigned attempts_left;		/* pending: wrong PINs it may still take */
	bool kept;			/* rejected: the message stays, refused, until
					   [sms] expiry, for a part that may come with
					   other data (tried in its place) */
	struct ub_boot_result boot;	/* applied, unchanged, and a verification
					   or apply that refused or failed */
	struct ub_sms_dropped *dropped; /* what the store let go of meanwhile:
					   expired, or to keep a bound */
	size_t ndropped;
};

/* Free what r holds and zero it. */
void ub_sms_result_free(struct ub_sms_result *r);
/* Free n results and the array. */
void ub_sms_results_free(struct ub_sms_result *r, size_t n);

struct ub_sms_rx;

/* Open the receiver on cfg's tree (created when absent, schema migrated)
 * under cfg's policy.  Returns 0 or the tree's error (st says why). */
int ub_sms_open(const struct ub_boot_config *cfg, struct ub_sms_rx **rx, struct ub_status *st);
/* The same to read the store only (ub_sms_list): the tree must exist
 * (UB_E_NO_INPUT) and nothing is written, expired messages are not
 * removed (ub_sms_list leaves them out); the calls that write refuse
 * (UB_E_USAGE).  Returns 0 or the tree's error (st says why). */
int ub_sms_open_ro(const struct ub_boot_config *cfg, struct ub_sms_rx **rx, struct ub_status *st);
void ub_sms_close(struct ub_sms_rx *rx);

/* One SMS-DELIVER TPDU, with the SMSC address in front when has_smsc (as
 * +CMT and +CMGL print it in PDU mode).  user_pin: the user's PIN for a
 * message it completes, or NULL (such a message then waits as pending).
 * now: seconds since the epoch, 0 for the clock.  Returns 0 (stored,
 * applied, unchanged, pending, ignored) or the error of r->why (rejected,
 * failed). */
int ub_sms_receive(struct ub_sms_rx *rx, const uint8_t *tpdu, size_t n, bool has_smsc,
		   const char *user_pin, long long now, struct ub_sms_result *r);

/* The same for a TPDU in hex (either case; spaces allowed between octets),
 * as a modem prints it.  A line that is not hex is rejected (bad-data). */
int ub_sms_receive_hex(struct ub_sms_rx *rx, const char *hex, bool has_smsc, const char *user_pin,
		       long long now, struct ub_sms_result *r);

/* Remove the messages older than [sms] expiry (since their first part;
 * a pending one since it completed), in one transaction, and list them in
 * *dropped (free()).  ub_sms_receive does it too, reporting in its result.
 * Returns 0 or UB_E_IO, UB_E_NOMEM. */
int ub_sms_expire(struct ub_sms_rx *rx, long long now, struct ub_sms_dropped **dropped, size_t *n);

/* The messages that are complete in the store but were not done with (a
 * power loss after their last part was stored, or a failure to retry),
 * done now, one result each in *res (ub_sms_results_free).  Returns 0 or
 * the first error; *n results either way. */
int ub_sms_resume(struct ub_sms_rx *rx, const char *user_pin, long long now,
		  struct ub_sms_result **res, size_t *n);

/* A message held in the store. */
struct ub_sms_message {
	long long id;
	bool pending; /* complete, waiting for the user's PIN */
	char originator[24];
	unsigned held, total;
	long long since;	/* first part, or (pending) completion */
	long long expires;	/* since + [sms] expiry */
	char kind[32], sec[32]; /* pending: the push's kind and SEC type */
	unsigned attempts_left; /* pending: wrong PINs it may still take */
	bool refused;		/* complete and refused: kept until it expires, in
				   case a part of it comes with other data */
};

/* The messages held and not expired at now (0: the clock; pending_only:
 * those waiting for a PIN), by number, into *list (free()).  Returns 0 or
 * UB_E_IO, UB_E_NOMEM. */
int ub_sms_list(struct ub_sms_rx *rx, bool pending_only, long long now,
		struct ub_sms_message **list, size_t *n);

/* Give the user's PIN to the pending message id (0: the only one): it is
 * verified and applied as it would have been with the PIN at hand, one
 * result in *res.  This is the user's act for one message: it does not
 * depend on the budget of wrong PINs below.  A MAC that does not verify
 * counts a wrong PIN for the message; it is dropped after [sms]
 * pin_attempts of them.  A PIN shorter than [push] user_pin_min touches
 * no message.  Returns 0, UB_E_NOT_FOUND (no such pending message),
 * UB_E_USAGE (id 0 and several wait: the user must choose), UB_E_POLICY
 * (the PIN too short), or the result's error; *n results (0 or 1). */
int ub_sms_pending_apply(struct ub_sms_rx *rx, long long id, const char *user_pin, long long now,
			 struct ub_sms_result **res, size_t *n);

struct ub_plan;
/* What the pending message id (0: the only one) would configure, for the
 * user to see before giving the PIN: its plan, decoded and checked against
 * the policy but UNVERIFIED (its MAC needs the PIN; anyone may have sent
 * it).  *which: the message.  Returns 0 (ub_plan_free the plan),
 * UB_E_NOT_FOUND, UB_E_USAGE (several wait), UB_E_BAD_DATA, UB_E_POLICY
 * (st says why). */
int ub_sms_pending_plan(struct ub_sms_rx *rx, long long id, long long now, struct ub_plan *plan,
			long long *which, struct ub_status *st);

/* The device-wide budget of wrong user PINs met with a PIN given for
 * incoming messages (ub_sms_receive, ub_sms_resume), kept in the tree:
 * after [sms] user_pin_failures of them such a PIN is not used any more,
 * and messages that need it wait as pending, until the user resets the
 * count.  *failures so far, *max, when the last came (0: never).
 * Returns 0 or UB_E_IO. */
int ub_sms_pin_budget(struct ub_sms_rx *rx, unsigned *failures, unsigned *max, long long *last);
/* The user's act: the count back to 0.  Returns 0 or UB_E_IO. */
int ub_sms_pin_budget_reset(struct ub_sms_rx *rx);

/* Listening to a modem (ub_sms_listen). */
struct ub_sms_listen {
	long exit_idle_ms;    /* > 0: return after this long without a message;
				 0: until *stop */
	long lock_wait_ms;    /* wait this long for the port another process holds */
	const char *user_pin; /* as ub_sms_receive takes it, or NULL */
	volatile int *stop;   /* set (by a signal handler) to return soon, or NULL */
	/* each TPDU's result, label saying where it came from ("stored 3",
	   "+CMT"); r is freed after the call */
	void (*on_result)(void *arg, const char *label, const struct ub_sms_result *r);
	/* the stored messages are done and new ones come as how ("+CMT",
	   "+CMTI"), or NULL */
	void (*on_ready)(void *arg, const char *how);
	void *arg;
};

/* The SMS of the modem at modem ("at:DEVICE[@BAUD]"), its port locked
 * for the time (3GPP TS 27.005, PDU mode): the messages it holds
 * (AT+CMGL=4), then new ones as they come (+CMT delivered directly where
 * the modem makes the host acknowledge them, AT+CSMS=1; else +CMTI and
 * AT+CMGR), each through ub_sms_receive.  A stored message is deleted
 * (AT+CMGD), a direct one acknowledged (AT+CNMA), only once its part is
 * committed to the tree database: a kill at any point loses no part and
 * applies no message twice.  A card session this process opens on the
 * same modem meanwhile (a NETWORKID key) shares the port.  Returns 0
 * (idle for exit_idle_ms, or *stop), UB_E_USAGE (not an at: reader), or
 * the port's error (UB_E_NO_READER when it went away, UB_E_TIMEOUT,
 * UB_E_PROTO, UB_E_NOT_SUPPORTED: no PDU mode); st names the port. */
int ub_sms_listen(struct ub_sms_rx *rx, const char *modem, const struct ub_sms_listen *o,
		  struct ub_status *st);

/* Sending: a pushed bootstrap built as the operator's side sends it (a DM
 * or CP document, its SEC and MAC, the WSP push, the SMS parts), what
 * uiccboot sms send does. */

/* The keys a SEC type needs (ub_sms_send_keys_missing). */
#define UB_SMS_KEY_IMSI 0x1	  /* imsi */
#define UB_SMS_KEY_PIN 0x2	  /* user_pin */
#define UB_SMS_KEY_KS_EXT_NAF 0x4 /* ks_ext_naf */
#define UB_SMS_KEY_USERPINMAC 0x8 /* userpinmac_key */

/* How to build the push and its SMS.  The pointers are the caller's and
 * read during each call only. */
struct ub_sms_send_opts {
	/* the push: its SEC type (OMA DM Security 5.7, OMA ProvBoot 5.3) and
	 * the keys of its MAC */
	const char *sec;	    /* "USERPIN", "NETWPIN", ... (ub_sms_sec_name); NULL: none,
				       for a secure transport only */
	const char *imsi;	    /* NETWORKID forms */
	bool netid_ascii;	    /* the IMSI keys NETWORKID as ASCII, not semi-octets */
	const char *user_pin;	    /* USERPIN forms */
	const uint8_t *ks_ext_naf;  /* the GBA forms: 32 bytes */
	const char *userpinmac_key; /* USERPINMAC: the key digits K */
	unsigned user_pin_min;	    /* the device's [push] user_pin_min; 0: its default */
	uint8_t tid;		    /* the WSP transaction id */
	bool no_app_id;		    /* no X-Wap-Application-Id */
	/* the SMS (3GPP TS 23.040) */
	const char *smsc;	/* in front of each TPDU; "": the empty one; NULL: none */
	const char *originator; /* digits, "+" digits, or up to 11 letters */
	const char *submit_to;	/* non-NULL: SMS-SUBMIT TPDUs to this number */
	uint16_t src_port;	/* the WDP source port (the destination: WAP push, 2948) */
	unsigned ref_bits;	/* 8 or 16 (0: 16): the concatenation reference */
	uint16_t ref;
	uint8_t dcs;	/* TP-DCS, 8-bit data (0x04, 0xF5, ...) */
	long long time; /* TP-SCTS, seconds since the epoch (UTC) */
};

/* The canonical name of the SEC type name (either case), or NULL when
 * there is none of that name.  A static string; any thread. */
const char *ub_sms_sec_name(const char *name);

/* The keys o->sec needs that o leaves out, UB_SMS_KEY_* bits (0: none).
 * Pure; any thread. */
unsigned ub_sms_send_keys_missing(const struct ub_sms_send_opts *o);
/* "the IMSI", "the user PIN", ... for one UB_SMS_KEY_* bit (static). */
const char *ub_sms_send_key_name(unsigned key);

/* A push built (ub_sms_push_build): free it with ub_sms_push_free. */
struct ub_sms_push {
	const char *kind;     /* "dm1.2", "dm1.1", "cp" (ub_plan_kind_name) */
	char servers[8][128]; /* the ServerIDs it configures, for the operator */
	int nservers;
	char sec[64];	  /* SEC as in the Content-Type, "" for none */
	char mac[41];	  /* its MAC in hex, "" for none */
	char userpin[41]; /* USERPINMAC: the PIN the user types; else "" */
	uint8_t *wbxml;	  /* the document as sent */
	size_t wbxml_len;
	uint8_t *wsp; /* the WSP push PDU (WAP-230 8.2.4.1) */
	size_t wsp_len;
};

/* Build the push of the document doc (n bytes, at most UB_PLAN_DOC_MAX:
 * DM or CP, XML or WBXML), checked as a device would decode it, with its
 * SEC and MAC.  *r: the caller's, filled (free it with ub_sms_push_free
 * whatever the outcome; it holds the document's secrets and is wiped).
 * Pure computation; any thread.  Returns 0, UB_E_USAGE (keys missing, bad
 * options), UB_E_POLICY (a user PIN shorter than user_pin_min),
 * UB_E_BAD_DATA (the document), UB_E_NOMEM; st->what says why. */
int ub_sms_push_build(const uint8_t *doc, size_t n, const struct ub_sms_send_opts *o,
		      struct ub_sms_push *r, struct ub_status *st);
void ub_sms_push_free(struct ub_sms_push *r);

/* One SMS of a push: the TPDU (with the SMSC address in front when
 * o->smsc), and for an SMS gateway the UDH (with its UDHL octet) and the
 * user data after it. */
struct ub_sms_part_out {
	uint8_t tpdu[176];
	size_t tpdu_len;
	uint8_t udh[140];
	size_t udh_len;
	const uint8_t *data; /* into the push's wsp */
	size_t data_len;
};

/* How many SMS the push r takes with o (1..255), or UB_E_USAGE (bad
 * options, more than 255). */
int ub_sms_push_parts(const struct ub_sms_push *r, const struct ub_sms_send_opts *o);
/* Part i (0-based) of r into *p (the caller's).  Returns 0 or UB_E_USAGE
 * (the originator, destination, SMSC or DCS not encodable; i out of
 * range).  Pure; any thread. */
int ub_sms_push_part(const struct ub_sms_push *r, const struct ub_sms_send_opts *o, unsigned i,
		     struct ub_sms_part_out *p);

/* A Kannel gateway's sendsms interface. */
struct ub_sms_kannel {
	const char *url;		 /* http://HOST:13013/cgi-bin/sendsms */
	const char *username, *password; /* a sendsms-user of the gateway */
	const char *to, *from;		 /* the device's MSISDN; the sender shown */
	long timeout_s;			 /* 0: 30 s */
};

/* Hand part p (TP-DCS dcs) to the gateway.  On success st->what holds the
 * gateway's answer and st->err is 0; on failure st says why (the status
 * and the answer).  Blocks up to timeout_s; any thread.  Returns 0,
 * UB_E_IO, UB_E_USAGE (a DCS Kannel cannot be told, missing fields),
 * UB_E_NOMEM. */
int ub_sms_kannel_send(const struct ub_sms_kannel *k, const struct ub_sms_part_out *p, uint8_t dcs,
		       struct ub_status *st);

/* Decoding offline: what uiccboot sms decode is made of.  TPDUs as they
 * were captured (a modem's PDU lines, a gateway's log) are decoded with
 * the device's own decoders, without a tree, a card or a policy: each
 * SMS-DELIVER (3GPP TS 23.040 9.2.2.1) and its UDH, the concatenated
 * parts joined into messages (9.2.3.24.1), each message read as a WAP
 * push (WAP-259 6.5, WAP-230 8.2.4.1) and, with the sender's keys (those
 * of ub_sms_send_opts), its MAC checked as a device checks it (OMA DM
 * Security 5.7, OMA ProvBoot 5.3).  Nothing is verified against a policy
 * and nothing is applied. */

#define UB_SMS_DECODE_MAX 4096	   /* TPDUs one call takes */
#define UB_SMS_DECODE_TPDU_MAX 176 /* octets of a TPDU, the SMSC address included */
#define UB_SMS_DECODE_PARTS_MAX                               \
	255 /* TPDUs of one message (TP-UDH counts them in an \
	       octet) */

/* One TPDU to decode: the caller's octets, read during the call only. */
struct ub_sms_tpdu_in {
	const uint8_t *b;
	size_t n;
};

/* The sender's keys for the MAC check: what ub_sms_send_opts takes, read
 * during the call only.  Which of them a push needs is said by its SEC. */
struct ub_sms_decode_keys {
	const char *imsi;	    /* NETWORKID forms */
	bool netid_ascii;	    /* the IMSI keys NETWORKID as ASCII, not semi-octets */
	const char *user_pin;	    /* USERPIN forms (USERPINMAC: the PIN the user types) */
	const uint8_t *ks_ext_naf;  /* the GBA forms: 32 bytes */
	const char *userpinmac_key; /* not used: K || digits(K, body) matches any body,
				       so USERPINMAC needs user_pin (mac_err
				       UB_E_USAGE without it) */
};

struct ub_sms_decode_opts {
	bool has_smsc; /* each TPDU starts with the SMSC address (as +CMGL and +CMT
			  print it in PDU mode) */
	/* non-NULL: each message that decodes as a push has its MAC checked
	   with these keys (mac_checked); NULL: no MAC is checked */
	const struct ub_sms_decode_keys *keys;
};

/* One TPDU decoded, or refused. */
struct ub_sms_decoded_tpdu {
	int err;	      /* 0, or why it was refused (UB_E_BAD_DATA: malformed or
				 longer than UB_SMS_DECODE_TPDU_MAX; UB_E_NOT_SUPPORTED:
				 not an SMS-DELIVER) */
	struct ub_status why; /* err: what, at which octet */
	char smsc[24];	      /* "" without one */
	char originator[24];  /* "+4912345678", "12345", or alphanumeric text */
	char scts[26];	      /* TP-SCTS in ISO 8601, "" when not valid semi-octets */
	uint8_t pid, dcs;     /* TP-PID, TP-DCS */
	const char *alphabet; /* "GSM 7-bit", "8-bit", "UCS2", "compressed" (static) */
	bool data_8bit;	      /* TP-DCS codes 8-bit data, what a WAP push comes in; a
				 TPDU in another alphabet starts no message */
	bool has_ports;	      /* the UDH's application ports */
	uint16_t dst_port, src_port;
	bool concat;	   /* the UDH's concatenation */
	unsigned ref_bits; /* 8 or 16 */
	uint16_t ref;
	unsigned seq, total;  /* 1 <= seq <= total */
	size_t user_data_len; /* octets of user data after the UDH (0 when not 8-bit
				 octets: GSM 7-bit) */
	long message;	      /* the index in messages of the message it is a part of, or
				 -1 (refused; in another alphabet and taken by no
				 message) */
};

/* One message: the TPDUs it was joined from, the WAP push they carry (or
 * why there is none), and its MAC check. */
struct ub_sms_decoded_message {
	const size_t *tpdus; /* the indexes of its TPDUs, in the order given */
	size_t ntpdus;
	bool parts_limit;     /* more TPDUs of this message than UB_SMS_DECODE_PARTS_MAX:
				 those after the limit start another message */
	int err;	      /* 0, or why it is no push: UB_E_NOT_FOUND with incomplete
				 (parts missing), else refused (reassembly: a conflicting
				 repeated part, mixed alphabets; the WSP push:
				 UB_E_BAD_DATA, UB_E_NOT_SUPPORTED for another port,
				 WTLS, no ports) */
	bool incomplete;      /* err: parts are missing */
	struct ub_status why; /* err: what */
	/* the user data joined (the WDP datagram), when the parts joined */
	const uint8_t *wdp;
	size_t wdp_len;
	/* the WSP push, when err is 0 */
	const char *kind; /* "DM bootstrap", "CP bootstrap", "DM notification", "SI",
			     ... (static), or NULL */
	uint8_t tid;	  /* the WSP transaction id */
	char media[128];  /* the Content-Type's media ("wsp:0x4e": a code unknown) */
	bool has_sec;
	char sec[64]; /* SEC as sent: "0".."3" for the short integers, else the text */
	bool has_mac;
	char mac[41];		     /* 40 hex digits as sent */
	bool has_app_id;	     /* X-Wap-Application-Id */
	long app_code;		     /* its code, -1 when sent as a URI */
	char app_uri[512];	     /* the URI sent, the registry's name of the code, or "" */
	const uint8_t *content_type; /* the Content-Type value as sent, into wdp */
	size_t content_type_len;
	const uint8_t *body; /* the body, into wdp */
	size_t body_len;
	/* the MAC, checked with opts->keys */
	bool mac_checked;	  /* opts->keys given and the message a push */
	bool mac_verified;	  /* the MAC verifies with the keys */
	const char *mac_sec;	  /* the SEC type checked, canonical ("USERPIN",
				     ...; static), or NULL when there was none */
	int mac_err;		  /* 0; UB_E_MAC (it does not verify), UB_E_USAGE (key
				     material missing), UB_E_BAD_DATA (not a bootstrap,
				     no SEC, an unknown SEC, no MAC) */
	struct ub_status mac_why; /* mac_err: what */
};

struct ub_sms_decoded {
	struct ub_sms_decoded_tpdu *tpdus; /* one a TPDU given, in order */
	size_t ntpdus;
	/* the messages, in the order of their first TPDU: each 8-bit TPDU
	   that decodes is a part of exactly one */
	struct ub_sms_decoded_message *messages;
	size_t nmessages;
	void *priv_; /* the library's */
};

/* Decode the n TPDUs of in (at most UB_SMS_DECODE_MAX) into *r, the
 * caller's, filled: free it with ub_sms_decoded_free whatever the outcome
 * (it holds the bodies, which may hold a bootstrap's secrets, and is wiped);
 * o NULL: no SMSC field, no keys.  Each TPDU is decoded on its own; the 8-bit
 * ones are grouped into messages (TS 23.040 9.2.3.24.1: the same originator,
 * reference, total and ports), a message taking the TPDUs of it that follow
 * its first, up to UB_SMS_DECODE_PARTS_MAX (parts_limit says when there were
 * more), a repeated part with the same data skipped.  A refused TPDU or
 * message is said in its result, not in the return.  Pure computation, no
 * global state: any thread, one r a call.  Returns 0, UB_E_USAGE (n over
 * UB_SMS_DECODE_MAX, or in or r NULL: st says which; nothing decoded),
 * UB_E_NOMEM. */
int ub_sms_decode(const struct ub_sms_tpdu_in *in, size_t n, const struct ub_sms_decode_opts *o,
		  struct ub_sms_decoded *r, struct ub_status *st);
/* Free what r holds, wiped, and zero it (NULL is fine). */
void ub_sms_decoded_free(struct ub_sms_decoded *r);

#ifdef __cplusplus
}
#endif

#endif
