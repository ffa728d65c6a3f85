/* libuiccboot: a card session for the calls that ask the card itself
 * (what it is and holds), as uiccboot info does.
 *
 *   #include <uiccboot/card.h>     cc ... $(pkg-config --cflags --libs libuiccboot)
 *
 *   struct ub_session *s = ub_card_session_new();
 *   struct ub_card_info *ci = malloc(sizeof(*ci));
 *   struct ub_status st = {0};
 *   int err = ub_card_session_open(s, &cfg, &st);      (cfg: boot.h)
 *   if (!err)
 *           err = ub_card_info(s, ci, &st);
 *   ub_card_session_free(s);
 *
 * A session is the PC/SC context, the chosen reader's card inside one PC/SC
 * transaction (no other process talks to the card meanwhile) and the UICC
 * session on it.  It is used by one thread at a time; sessions of
 * different threads on different readers may run at once.  Every call
 * returns 0 or a negative enum ub_err (ub_error.h) and says in st what
 * failed and where. */
#ifndef UICCBOOT_CARD_H
#define UICCBOOT_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boot.h"
#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ub_session;

/* A new session, not open yet; NULL when out of memory.  The caller frees
 * it with ub_card_session_free. */
struct ub_session *ub_card_session_new(void);

/* Open s on the card of cfg->reader (cfg->wait_ms, exclusive, reset,
 * channel and trace as ub_boot_card takes them), with PIN1 cfg->pin, else
 * the policy's pin1 (cfg->policy; the last attempt is never spent).
 * cfg and what it points to are read during the call only, except the
 * trace files, which must stay open while s is.  On failure st says where
 * ("reader \"X\": connect") and nothing is left open; s may be opened again
 * or freed.  Returns 0, UB_E_NO_SERVICE, UB_E_NO_READER, UB_E_NO_CARD,
 * UB_E_TIMEOUT, UB_E_USAGE (s is open already) or a card error (PIN). */
int ub_card_session_open(struct ub_session *s, const struct ub_boot_config *cfg,
			 struct ub_status *st);

/* Close what s holds open (the channel, the transaction, the card, the
 * context) and free s (NULL: nothing). */
void ub_card_session_free(struct ub_session *s);

/* The APDUs exchanged on s so far, the failed opening's too. */
unsigned ub_card_session_apdus(const struct ub_session *s);

/* The name of s's reader ("" before it is open); a string of s, valid
 * until s is freed. */
const char *ub_card_session_reader(const struct ub_session *s);

/* What cfg->reset did, in words, when the reader cannot reset the card
 * itself (a network reader that only reconnects), else NULL; a static
 * string. */
const char *ub_card_session_reset_note(const struct ub_session *s);

/* One reader, as ub_card_readers lists it. */
struct ub_card_reader {
	char name[300];	      /* the PC/SC reader's name, or the modem's "at:DEVICE" */
	bool card_present;    /* a card is in (a modem: it offers AT+CSIM) */
	char atr[67];	      /* the card's ATR, lowercase hex, or "" */
	const char *protocol; /* "T=0", "T=1", "AT+CSIM" or NULL (static) */
	bool modem;	      /* the modem of cfg->reader or of the policy's [modem] port */
	char error[400];      /* a modem without a card: why */
};

/* The PC/SC readers (whether a card is in, its ATR, the protocol a shared
 * connect that leaves the card alone finds), then the modem that
 * cfg->reader ("at:DEVICE") or the policy's [modem] port names, if any.
 * *list is malloc'd (free it with ub_card_readers_free), *n its length: 0
 * readers is no failure.  PC/SC missing is one only without a modem.
 * st->where says what failed ("PC/SC", "listing readers").  Several
 * threads may call at once.  Returns 0, UB_E_NO_SERVICE, UB_E_PCSC,
 * UB_E_NOMEM. */
int ub_card_readers(const struct ub_boot_config *cfg, struct ub_card_reader **list, size_t *n,
		    struct ub_status *st);
void ub_card_readers_free(struct ub_card_reader *list);

#define UB_CARD_APPS_MAX 8  /* applications of EF_DIR */
#define UB_CARD_IMPU_MAX 16 /* IMPUs of the ISIM */
#define UB_CARD_BOOT_MAX 16 /* entries of the PKCS#15 DODF */

/* One application that EF_DIR lists. */
struct ub_card_app {
	char aid[33];	  /* lowercase hex */
	char label[33];	  /* its label, or "" */
	const char *kind; /* "usim", "isim", "pkcs15", ..., "other" (static) */
};

/* One object of the PKCS#15 application's DODF. */
struct ub_card_object {
	char oid[40];	  /* dotted, for a bootstrap object; else its hex */
	const char *name; /* "DM Bootstrap", ..., "LwM2M Bootstrap", "other" (static) */
	char path[40];	  /* its file's path, lowercase hex */
};

/* What the card is and holds (uiccboot info). */
struct ub_card_info {
	char reader[256];
	char iccid[21];
	char imsi[16];		 /* "" on a card without USIM */
	int mnc_len;		 /* 2 or 3; 0 when EF_AD does not say */
	char impi[256];		 /* the ISIM's, else derived from the IMSI; or "" */
	const char *impi_source; /* "isim", "derived", or NULL (static) */
	char impu[UB_CARD_IMPU_MAX][256];
	int nimpu;
	bool legacy; /* a 2G SIM (no applications, no objects) */
	struct ub_card_app apps[UB_CARD_APPS_MAX];
	int napps;
	struct {
		bool service;	   /* the USIM's or the ISIM's GBA service */
		bool usim_service; /* USIM service 68 */
		bool isim_service; /* ISIM service 2 */
		const char *app;   /* "isim", "usim" or NULL: the one GBA uses */
		char btid[256];	   /* EF_GBABP of that application: "" when none */
		char lifetime[64]; /* "" when none */
		uint8_t rand[16];
		size_t rand_len; /* 0: never bootstrapped */
	} gba;
	struct ub_card_object objects[UB_CARD_BOOT_MAX];
	int nobjects;
};

/* What the card of s is and holds: its identity (ICCID, IMSI, IMPI,
 * IMPUs), its applications, the GBA state it records (3GPP TS 31.102
 * 4.2.79, TS 31.103 4.2.16) and the bootstrap objects its PKCS#15
 * application lists.  Fills *ci (the caller's; nothing to free).  On
 * failure st says where (the reader first).  Returns 0 or a card error. */
int ub_card_info(struct ub_session *s, struct ub_card_info *ci, struct ub_status *st);

/* --- AUTHENTICATE (uiccboot auth), on the USIM, or the ISIM with isim --- */

/* Does the card of s hold the application?  Returns 0 or UB_E_NOT_FOUND
 * (st: "USIM" or "ISIM", "the card has no such application"), or a card
 * error.  The calls below fail the same way without it. */
int ub_card_has_app(struct ub_session *s, bool isim, struct ub_status *st);

/* The IMSI (EF_IMSI) and the MNC length (EF_AD; 0 when it does not say)
 * of the application, into the caller's buffers.  Returns 0 or a card
 * error. */
int ub_card_imsi(struct ub_session *s, bool isim, char imsi[16], int *mnc_len,
		 struct ub_status *st);

/* What a 3G AUTHENTICATE gave (3GPP TS 31.102 7.1.2.1). */
struct ub_card_auth3g {
	uint8_t res[16];
	size_t res_len;
	uint8_t ck[16], ik[16]; /* secrets: wipe them after use */
	uint8_t kc[8];		/* with has_kc: the GSM key the card derived */
	bool has_kc;
	uint8_t auts[14]; /* UB_E_AUTH_SYNC: the card's AUTS */
};

/* AUTHENTICATE in the 3G security context with rand and autn (16 bytes
 * each) into *r (the caller's).  Returns 0, UB_E_AUTH_SYNC (r->auts),
 * UB_E_AUTH_MAC, UB_E_AUTH_CONTEXT or a card error; st says where (the
 * reader first). */
int ub_card_auth_3g(struct ub_session *s, bool isim, const uint8_t rand[16], const uint8_t autn[16],
		    struct ub_card_auth3g *r, struct ub_status *st);

/* AUTHENTICATE in the GSM context: SRES and Kc (a secret) for rand into
 * the caller's buffers.  Returns 0 or a card error. */
int ub_card_auth_gsm(struct ub_session *s, bool isim, const uint8_t rand[16], uint8_t sres[4],
		     uint8_t kc[8], struct ub_status *st);

#ifdef __cplusplus
}
#endif

#endif
