/* libuiccboot: the power-on bootstrap and pushed bootstraps, as library
 * calls for a device's init or its own DM client.
 *
 *   #include <uiccboot/boot.h>     cc ... $(pkg-config --cflags --libs libuiccboot)
 *
 *   struct ub_boot_config cfg = {.tree = "/var/lib/uiccboot/dmtree.db", .wait_ms = 20000};
 *   struct ub_boot_result r = {0};
 *   int err = ub_boot_card(&cfg, &r);      (r.outcome, r.apply.accounts, r.status)
 *   ub_boot_result_free(&r);
 *
 * Every call returns 0 or a negative enum ub_err (ub_error.h) and says in
 * the result's status what failed and where.  A call opens what it needs
 * (PC/SC context, card, tree) and closes it before it returns; several
 * threads may call at once.  See examples/poweron.c. */
#ifndef UICCBOOT_BOOT_H
#define UICCBOOT_BOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "plan.h"
#include "policy.h"
#include "tree.h"
#include "ub_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define UB_TREE_DEFAULT "/var/lib/uiccboot/dmtree.db"

/* How to reach the card and the tree, and what to do. */
struct ub_boot_config {
	const struct ub_policy *policy; /* NULL: the built-in defaults */
	const char *tree;		/* the device tree; NULL: UB_TREE_DEFAULT */
	const char *reader;		/* index, exact name or substring; NULL: the
					   first reader holding a card */
	long wait_ms;			/* wait up to this long for a reader with a card
					   (PC/SC PnP notification, no polling); 0: don't */
	const char *pin;		/* PIN1 for a card that asks; NULL: the policy's
					   pin1.  The last attempt is never spent */
	bool exclusive;			/* connect exclusively */
	bool reset;			/* reset the card first (fewest APDUs) */
	bool channel;			/* work on a logical channel */
	FILE *trace[2];			/* APDU traces in scriptor's format, or NULL */
	bool trace_secrets;		/* do not redact secrets in traces (labs only) */
	bool dry_run;			/* verify, and decide against the tree
					   (where accounts go, what is renamed or
					   refused) in a transaction that is rolled
					   back: nothing is written */
};

enum ub_outcome {
	UB_OUT_APPLIED,	  /* written, in one transaction */
	UB_OUT_UNCHANGED, /* the tree already holds it: nothing written */
	UB_OUT_VERIFIED,  /* dry run: it would be applied (plan) */
	UB_OUT_REJECTED,  /* refused: by policy, a MAC, the account model (status) */
	UB_OUT_FAILED,	  /* could not be done: no card, an I/O error (status) */
};

/* "applied", "unchanged", "verified", "rejected", "failed". */
const char *ub_outcome_name(enum ub_outcome o);

/* The kinds of bootstrap object a card holds side by side. */
enum ub_boot_kind {
	UB_BOOT_DM,    /* OMA DM Bootstrap, CP Bootstrap, Config1, Config2: all of them */
	UB_BOOT_LWM2M, /* OMA LwM2M Bootstrap (EF LwM2M_Bootstrap) */
	UB_BOOT_KINDS
};

/* What the power-on did with one kind of the card's bootstrap objects.
 * Each is applied in a transaction of its own, under a source of its own:
 * a refused LwM2M object leaves the DM one applied, and the other way
 * round. */
struct ub_boot_object {
	enum ub_boot_kind kind;
	const char *name; /* "DM Bootstrap", "CP Bootstrap", ..., "LwM2M Bootstrap";
			     NULL: the card holds no DM or CP object */
	bool present;	  /* the card's PKCS#15 directory lists it */
	char source[48];  /* what it writes is marked "iccid:<ICCID>" (DM, CP) or
			     "iccid:<ICCID>/lwm2m" */
	enum ub_outcome outcome;
	struct ub_status status;      /* rejected, failed: what and where */
	struct ub_apply_result apply; /* accounts (LwM2M: its Object Instances,
					 ./LwM2M/<O>/<I>), renamed, removed */
	struct ub_plan plan;	      /* dry run of the LwM2M object: its nodes
					 (the DM object's is the result's plan) */
};

struct ub_boot_result {
	enum ub_outcome outcome;
	struct ub_status status;      /* rejected, failed: what and where */
	char reader[256];	      /* the reader used, or "" */
	char iccid[21];		      /* the card's ICCID, or "" */
	const char *object;	      /* the card's bootstrap object used ("DM
					 Bootstrap", "CP Bootstrap", ...), or NULL */
	const char *sec;	      /* a push: its SEC type ("USERPIN", ...), or NULL */
	struct ub_plan plan;	      /* verified: the node operations */
	struct ub_apply_result apply; /* applied, unchanged: accounts, renamed, removed;
					 verified with tree_checked: what would be */
	bool tree_checked;	      /* a dry run decided against the tree (in a
					 transaction rolled back) */
	unsigned apdus;		      /* APDUs exchanged with the card */
	/* The power-on: outcome, status, object, plan and apply above are the
	 * DM or CP object's (objects[0] repeats them); objects[] lists every
	 * kind the card was read for, objects[1] the LwM2M one (left out when
	 * [lwm2m] enabled = no and the card lists none). */
	struct ub_boot_object objects[UB_BOOT_KINDS];
	size_t nobjects;
	bool logical_channel; /* the PKCS#15 application was used on a logical
				 channel (LwM2M Core G.2.1) */
	bool channel_refused; /* the card refused one (channel_sw): used on the
				 basic channel */
	uint16_t channel_sw;
};

/* Free what r holds and zero it (r may be reused). */
void ub_boot_result_free(struct ub_boot_result *r);

/* The status of r's first failure: the DM object's, else an object's of
 * objects[] (&r->status, empty, when nothing failed). */
const struct ub_status *ub_boot_failure(const struct ub_boot_result *r);

/* The power-on bootstrap of the card in cfg->reader: its bootstrap objects
 * (OMA DM Bootstrap, CP Bootstrap, Config1, Config2: every one, decoded,
 * checked and applied together, or refused together when they disagree)
 * under its ICCID in one transaction, and its OMA LwM2M bootstrap (LwM2M
 * Core Appendix G, on a logical channel) under "iccid:<ICCID>/lwm2m" in
 * another.  Everything is read from the card before anything is written;
 * a read that fails is an error (nothing applied, nothing removed), never
 * "no object".  The same data as last time: unchanged,
 * nothing written (what its server changed since stays).  With
 * [smartcard] remove_stale (default) what this card wrote and its objects
 * no longer hold, and what other cards wrote (both kinds), is removed
 * (r->apply.removed, objects[1].apply.removed): the card is taken as the
 * device's only one.
 * Returns 0 (applied, unchanged, verified), UB_E_NO_CARD (none: what
 * cards wrote was removed all the same, r->apply says what), or the
 * error of the first rejection or failure: the DM object's (r->status),
 * else the LwM2M object's (r->objects[1].status). */
int ub_boot_card(const struct ub_boot_config *cfg, struct ub_boot_result *r);

struct ub_boot_all {
	struct ub_boot_result *cards; /* one per reader that held a card */
	size_t ncards;
	struct ub_apply_result removal; /* what cards no longer inserted wrote */
	bool removal_done;		/* only when every card answered */
	struct ub_status status;	/* the first failure */
};

/* Every reader's card at once, a thread and a tree transaction each; then,
 * when every card answered, one transaction removing what cards no longer
 * inserted wrote (so a card that failed to answer keeps its data); then
 * each card's LwM2M bootstrap, one transaction each (after the removal:
 * a card that took another's place may reuse its Instance IDs).
 * cfg->reader is ignored; the modem the policy names ([modem] port) is
 * one more reader (then a machine without pcscd is no failure).  Returns
 * 0, the first card's error, or
 * UB_E_NO_CARD (no reader held a card; the removal was done). */
int ub_boot_all_readers(const struct ub_boot_config *cfg, struct ub_boot_all *all);
void ub_boot_all_free(struct ub_boot_all *all);

/* The device tree of cfg->tree (NULL: UB_TREE_DEFAULT, whose directory is
 * created, mode 0700, when mode is UB_TREE_CREATE), as ub_tree_open_mode
 * opens it; st->where begins with "device tree".  The caller closes *t
 * with ub_tree_close.  Several threads may call at once. */
int ub_boot_tree_open(const struct ub_boot_config *cfg, enum ub_tree_mode mode, struct ub_tree **t,
		      struct ub_status *st);

/* A pushed bootstrap: the message and its Content-Type, as text
 * ("application/vnd.syncml.dm+wbxml; SEC=USERPIN; MAC=...") or as the WSP
 * binary header value; or a whole WSP push PDU (WAP-230 8.2.4.1, what
 * oFono's push agent and Android's WAP push dispatcher hand over), whose
 * Content-Type and body are taken instead, over an insecure transport. */
struct ub_push_msg {
	const uint8_t *body;
	size_t len;
	const char *content_type; /* or: */
	const uint8_t *wsp_ctype; /* the WSP Content-Type value */
	size_t wsp_ctype_len;
	bool secure_transport;	/* a transport that protects it (no MAC needed) */
	const char *user_pin;	/* for the USERPIN SEC types, or NULL */
	const uint8_t *wsp_pdu; /* or: the WSP push PDU (body, content types and
				   secure_transport are then ignored) */
	size_t wsp_pdu_len;
};

/* Verify a push (the transport rule, the policy, the MAC with keys from
 * the card and the user, the account model, the allow-list, the NAF
 * binding of the GBA types) and apply it in one transaction.  The card is
 * opened only when the SEC type needs its IMSI or GBA key.  A WSP push
 * PDU that is not a DM or CP bootstrap for the DM client (a DM
 * notification, SI, SL, MMS, a GBA Push Info, a bootstrap for another
 * application) is rejected with UB_E_NOT_SUPPORTED.  Returns 0, or the
 * error of the rejection or failure (r->status). */
int ub_boot_push(const struct ub_boot_config *cfg, const struct ub_push_msg *m,
		 struct ub_boot_result *r);

#ifdef __cplusplus
}
#endif

#endif
