/* A card session over the PC/SC layer: applications from EF_DIR, cached
 * selection, reads by SFI, the PIN rule, reset recovery.  Knows files and
 * status words; nothing of GBA keys or OMA DM. */
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
};

/* Well-known files (TS 102 221, 31.102, 31.103); SFIs where the specs give one. */
extern const struct ub_ef UB_EF_DIR, UB_EF_ICCID, UB_EF_IMSI, UB_EF_AD, UB_EF_UST, UB_EF_USIM_GBABP,
	UB_EF_USIM_GBANL, UB_EF_IMPI, UB_EF_DOMAIN, UB_EF_IMPU, UB_EF_IST, UB_EF_ISIM_AD,
	UB_EF_ISIM_GBABP, UB_EF_ISIM_GBANL;

struct ub_uicc {
	struct ub_card *card;
	bool legacy;	 /* 2G SIM, CLA A0 */
	const char *pin; /* PIN1 to verify on 6982, may be NULL */
	struct ub_app apps[UB_MAX_APPS];
	int napps;
	int dir_next; /* next EF_DIR record to read; 0 when EF_DIR is done */
	/* selection on the basic channel, as the card has it */
	const struct ub_app *cur_app;	/* NULL: MF */
	uint16_t cur_ef;		/* 0: none selected by FID */
	bool in_mf;			/* current DF is the MF */
	unsigned generation;		/* card->generation this state is for */
	uint8_t chan;			/* logical channel in use, 0 = basic */
	const struct ub_app *saved_app; /* the basic channel's state meanwhile */
	uint16_t saved_ef;
	bool saved_in_mf;
	const char *where; /* file of the last error, for messages */
	uint16_t last_sw;
	bool redact_reads; /* READ BINARY answers are secret (bootstrap EFs) */
	/* the record length of the last linear fixed EF read: on T=0 the next
	 * READ RECORD asks for it exactly instead of paying a 6Cxx round */
	uint16_t rec_fid;
	const struct ub_app *rec_app;
	size_t rec_len;
};

/* Start a session on a connected card (no APDU is sent yet). */
void ub_uicc_init(struct ub_uicc *u, struct ub_card *c, const char *pin);

/* The application of that kind, reading EF_DIR only as far as needed.
 * Returns 0, UB_E_NOT_FOUND, or a transport error. */
int ub_uicc_find_app(struct ub_uicc *u, enum ub_app_kind kind, const struct ub_app **app);
/* Read EF_DIR to the end; returns the number of applications. */
int ub_uicc_all_apps(struct ub_uicc *u);

/* SELECT the application by its full AID (P2=0C), or the MF (app NULL).
 * Nothing is sent when it is already selected. */
int ub_uicc_select(struct ub_uicc *u, const struct ub_app *app);

/* Read a transparent EF of the current application: by SFI when it has
 * one, else SELECT (P2=0C) + READ BINARY.  hint: the expected size (0:
 * unknown, read in 256-byte steps to the end).  Returns the length. */
int ub_uicc_read(struct ub_uicc *u, const struct ub_ef *ef, size_t hint, uint8_t *buf, size_t max);
/* Read record rec (1-based) of a linear EF; UB_E_NOT_FOUND past the end. */
int ub_uicc_read_record(struct ub_uicc *u, const struct ub_ef *ef, unsigned rec, uint8_t *buf,
			size_t max);
/* UPDATE BINARY at offset 0; secret marks the data for trace redaction. */
int ub_uicc_update(struct ub_uicc *u, const struct ub_ef *ef, const uint8_t *data, size_t len,
		   bool secret);
/* SELECT a file or DF by FID (P2=0C; 2G SIM: P2=00 and GET RESPONSE). */
int ub_uicc_select_fid(struct ub_uicc *u, uint16_t fid);
/* oidDO entries of every DODF the PKCS#15 application's ODF lists.
 * Returns the count. */
int ub_uicc_p15_objects(struct ub_uicc *u, const struct ub_app *p15, struct ub_p15_oid_do *objs,
			size_t max);
/* Read the EF a PKCS#15 Path names (relative to the PKCS#15 DF, or from
 * the MF when it starts with 3F00), honouring index and length. */
int ub_uicc_p15_read(struct ub_uicc *u, const struct ub_app *p15, const struct ub_p15_path *path,
		     uint8_t *buf, size_t max);

/* IMSI (EF_IMSI) and MNC length (EF_AD; 0 when the card does not say)
 * of the USIM app. */
int ub_uicc_read_imsi(struct ub_uicc *u, const struct ub_app *usim, char imsi[16], int *mnc_len);
/* SELECT by path from the MF (P1=08) or from the current DF (P1=09). */
int ub_uicc_select_path(struct ub_uicc *u, const uint8_t *path, size_t len, bool from_mf);
/* Read the EF selected by the last select_path (length unknown: in steps). */
int ub_uicc_read_current(struct ub_uicc *u, size_t off, size_t len, uint8_t *buf, size_t max);

/* Send an APDU in the current application with PIN handling and one
 * re-select + retry after a card reset.  For upper layers (AUTHENTICATE). */
int ub_uicc_transmit(struct ub_uicc *u, struct ub_apdu *a);

/* Work on a logical channel from now on (MANAGE CHANNEL), leaving the
 * basic channel to whoever else uses the card.  A card that refuses
 * (6881, 6A81, 6D00) is used on the basic channel: returns 0 then too. */
int ub_uicc_open_channel(struct ub_uicc *u);
/* Close it and go back to the basic channel. */
int ub_uicc_close_channel(struct ub_uicc *u);
/* CLA for the current channel (A0 on a 2G SIM). */
uint8_t ub_uicc_cla(const struct ub_uicc *u);

/* PIN rule (R-FILES 6): read the retry counter, never spend the last try. */
int ub_uicc_verify_pin(struct ub_uicc *u);

#endif
