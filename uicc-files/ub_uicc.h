/* A card session over the PC/SC layer: applications from EF_DIR, cached
 * selection, reads by SFI, the PIN rule, reset recovery.  Knows files and
 * status words; nothing of GBA keys or OMA DM.
 *
 * Every call that talks to the card returns 0 (or a length, a count) or a
 * negative enum ub_err, and on failure fills st (may be NULL): which file
 * or command ("EF_ODF", "SELECT 7F20", "VERIFY PIN1"), the status word,
 * what failed in words.  UB_E_NOT_FOUND for a file or record that is not
 * there is an answer: st may say so, and the caller decides. */
#ifndef UB_UICC_H
#define UB_UICC_H

#include "ub_decode.h"
#include "ub_pcsc.h"

#define UB_MAX_APPS 8

/* An elementary file of the current application (or the MF). */
struct ub_ef {
	uint16_t fid;
	uint8_t sfi; /* 0: none, select by FID */
	const char *name;
	bool secret; /* its contents are redacted in the APDU trace */
};

/* Well-known files (TS 102 221, 31.102, 31.103); SFIs where the specs give one. */
extern const struct ub_ef UB_EF_DIR, UB_EF_ICCID, UB_EF_IMSI, UB_EF_AD, UB_EF_UST, UB_EF_USIM_GBABP,
	UB_EF_USIM_GBANL, UB_EF_IMPI, UB_EF_DOMAIN, UB_EF_IMPU, UB_EF_IST, UB_EF_ISIM_AD,
	UB_EF_ISIM_GBABP, UB_EF_ISIM_GBANL;

struct ub_uicc {
	struct ub_card *card;
	bool legacy;	 /* 2G SIM, CLA A0 */
	const char *pin; /* PIN1 to verify on 6982, may be NULL */
	bool pin_wrong;	 /* the card refused it: not tried again */
	struct ub_app apps[UB_MAX_APPS];
	int napps;
	int dir_next;		   /* next EF_DIR record to read; 0 when EF_DIR is done */
	int dir_nrec;		   /* EF_DIR's record count (its FCP); 0: not asked */
	int dir_read, dir_filled;  /* EF_DIR records read, and those naming an application */
	unsigned probed;	   /* kinds tried by their registered AID (1 << kind) */
	struct ub_app *partial[4]; /* by kind: the entry a partial AID made, until
				      EF_DIR names its whole AID */
	/* selection on the basic channel, as the card has it */
	const struct ub_app *cur_app;	/* NULL: MF */
	uint16_t cur_ef;		/* 0: none selected by FID */
	bool in_mf;			/* current DF is the MF */
	unsigned generation;		/* card->generation this state is for */
	uint8_t chan;			/* logical channel in use, 0 = basic */
	const struct ub_app *saved_app; /* the basic channel's state meanwhile */
	uint16_t saved_ef;
	bool saved_in_mf;
	bool channel_refused; /* MANAGE CHANNEL was refused: on the basic channel */
	uint16_t channel_sw;  /* the status word of that refusal */
	/* the record length of the last linear fixed EF read: on T=0 the next
	 * READ RECORD asks for it exactly instead of paying a 6Cxx round */
	uint16_t rec_fid;
	const struct ub_app *rec_app;
	size_t rec_len;
};

/* Start a session on a connected card (no APDU is sent yet). */
void ub_uicc_init(struct ub_uicc *u, struct ub_card *c, const char *pin);

/* The application of that kind, reading EF_DIR only as far as needed;
 * PKCS#15, the USIM and the ISIM are selected first by the registered
 * part of their AID (TS 102 221 11.1.1: a partial DF name, P2 first or only
 * occurrence; then the application is current), EF_DIR read when the card
 * refuses that.  Returns 0, UB_E_NOT_FOUND, or a transport error. */
int ub_uicc_find_app(struct ub_uicc *u, enum ub_app_kind kind, const struct ub_app **app,
		     struct ub_status *st);
/* Read EF_DIR to the end; returns the number of applications.  EF_DIR is
 * read up to the first 6A83, or, once a record was empty, as far as its
 * FCP's record count; a record missing before that count, or one that
 * answers without data, is a failed read (UB_E_PROTO). */
int ub_uicc_all_apps(struct ub_uicc *u, struct ub_status *st);
/* EF_DIR was read to its end and none of its records names an application
 * (they are all empty): the card lists nothing, which is not the same as
 * a list without the application asked for. */
bool ub_uicc_dir_empty(const struct ub_uicc *u);

/* SELECT the application by its full AID (P2=0C), or the MF (app NULL).
 * Nothing is sent when it is already selected. */
int ub_uicc_select(struct ub_uicc *u, const struct ub_app *app, struct ub_status *st);

/* Read a transparent EF of the current application: by SFI when it has
 * one, else SELECT (P2=0C) + READ BINARY.  hint: the expected size (0:
 * unknown, read in 256-byte steps to the end).  Returns the length. */
int ub_uicc_read(struct ub_uicc *u, const struct ub_ef *ef, size_t hint, uint8_t *buf, size_t max,
		 struct ub_status *st);
/* Read record rec (1-based) of a linear EF; UB_E_NOT_FOUND past the end. */
int ub_uicc_read_record(struct ub_uicc *u, const struct ub_ef *ef, unsigned rec, uint8_t *buf,
			size_t max, struct ub_status *st);
/* UPDATE BINARY at offset 0; secret marks the data for trace redaction. */
int ub_uicc_update(struct ub_uicc *u, const struct ub_ef *ef, const uint8_t *data, size_t len,
		   bool secret, struct ub_status *st);
/* SELECT a file or DF by FID (P2=0C; 2G SIM: P2=00 and GET RESPONSE). */
int ub_uicc_select_fid(struct ub_uicc *u, uint16_t fid, struct ub_status *st);
/* oidDO entries of every DODF the PKCS#15 application's ODF lists.  ODF
 * and DODFs are selected with their FCP and read whole (at most 8 KiB
 * each).  Returns the count, or an error: UB_E_PROTO (a failed read: fewer
 * bytes than the FCP says, an answer without data), UB_E_BAD_DATA (a
 * malformed file, data after its 00/FF padding, a DODF that is the ODF or
 * listed twice, an entry naming a directory file). */
int ub_uicc_p15_objects(struct ub_uicc *u, const struct ub_app *p15, struct ub_p15_oid_do *objs,
			size_t max, struct ub_status *st);
/* Read the EF a PKCS#15 Path names (relative to the PKCS#15 DF, or from
 * the MF when it starts with 3F00), honouring index and length: the
 * Path's length when it gives one, else what the FCP says (as
 * ub_uicc_p15_read_sized); fewer bytes are a failed read (UB_E_PROTO).
 * secret: redacted in the trace; name: the file's name for a failure. */
int ub_uicc_p15_read(struct ub_uicc *u, const struct ub_app *p15, const struct ub_p15_path *path,
		     uint8_t *buf, size_t max, bool secret, const char *name, struct ub_status *st);

/* The same, with the file's size from its FCP (SELECT P2=04, whatever
 * the protocol): a transparent EF of at most max bytes, read from the
 * path's index for its length (or to the end).  UB_E_BAD_DATA: not
 * transparent, no size, larger than max, a Path reaching past the file;
 * UB_E_PROTO: fewer bytes than the FCP says. */
int ub_uicc_p15_read_sized(struct ub_uicc *u, const struct ub_app *p15,
			   const struct ub_p15_path *path, uint8_t *buf, size_t max, bool secret,
			   const char *name, struct ub_status *st);

/* IMSI (EF_IMSI) and MNC length (EF_AD; 0 when the card does not say)
 * of the USIM app. */
int ub_uicc_read_imsi(struct ub_uicc *u, const struct ub_app *usim, char imsi[16], int *mnc_len,
		      struct ub_status *st);
/* SELECT by path from the MF (P1=08) or from the current DF (P1=09). */
int ub_uicc_select_path(struct ub_uicc *u, const uint8_t *path, size_t len, bool from_mf,
			struct ub_status *st);
/* Read the EF selected by the last select_path (length unknown: in steps);
 * secret: redacted in the trace. */
int ub_uicc_read_current(struct ub_uicc *u, size_t off, size_t len, uint8_t *buf, size_t max,
			 bool secret, struct ub_status *st);

/* Send an APDU in the current application with PIN handling and one
 * re-select + retry after a card reset.  For upper layers (AUTHENTICATE). */
int ub_uicc_transmit(struct ub_uicc *u, struct ub_apdu *a, struct ub_status *st);

/* Work on a logical channel from now on (MANAGE CHANNEL), leaving the
 * basic channel to whoever else uses the card.  A card that refuses
 * (6881, 6A81, 6D00) is used on the basic channel: returns 0 then too,
 * with channel_refused set (and not asked again in this session). */
int ub_uicc_open_channel(struct ub_uicc *u, struct ub_status *st);
/* Close it and go back to the basic channel. */
int ub_uicc_close_channel(struct ub_uicc *u, struct ub_status *st);
/* CLA for the current channel (A0 on a 2G SIM). */
uint8_t ub_uicc_cla(const struct ub_uicc *u);

/* --- the card's identity (identity.c): one inventory for every command --- */

#define UB_IDENTITY_IMPU_MAX 16

struct ub_identity {
	char iccid[21];
	char imsi[16]; /* "" on a card without USIM */
	int mnc_len;   /* 2 or 3; 0 when EF_AD does not say */
	bool legacy;   /* a 2G SIM */
	bool has_isim;
	char impi[256];		 /* EF_IMPI of the ISIM, else derived (TS 23.003 13.3) */
	const char *impi_source; /* "isim", "derived", or NULL */
	char impu[UB_IDENTITY_IMPU_MAX][256];
	int nimpu;
	uint8_t ust[256], ist[256]; /* the service tables */
	size_t ust_len, ist_len;
	struct ub_gbabp gba_usim, gba_isim; /* EF_GBABP as the card holds it */
};

/* Everything above, read with the fewest APDUs (the IMSI within 4 of
 * power-on on T=1 after a reset).  Returns 0 or an error (st says where). */
int ub_uicc_identity(struct ub_uicc *u, struct ub_identity *id, struct ub_status *st);

/* The ICCID (EF_ICCID in the MF), which names the card in the tree. */
int ub_uicc_iccid(struct ub_uicc *u, char iccid[21], struct ub_status *st);

/* The IMPI GBA uses with app: EF_IMPI of an ISIM; for a USIM the one TS
 * 23.003 13.3 derives from the IMSI and the MNC length. */
int ub_uicc_impi(struct ub_uicc *u, const struct ub_app *app, char *out, size_t max,
		 struct ub_status *st);

/* PIN rule: read the retry counter, never spend the last try, and never
 * try a PIN the card refused once in this session again. */
int ub_uicc_verify_pin(struct ub_uicc *u, struct ub_status *st);

#endif
