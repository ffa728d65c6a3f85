/* libuiccboot: a plan, the node operations a verified bootstrap would
 * apply (what `push --dry-run` shows).  Read-only for callers: the
 * library fills and frees it (ub_boot_result_free).
 *
 * The account model sorts every node into one management object and
 * every MO to one owner:
 *   account  ./DMAcc/<x> (DM 1.2, OMA CP) or ./SyncML/DMAcc/<x> (DM 1.1)
 *            with exactly one ServerID leaf as a direct child; owned by
 *            that ServerID
 *   connmo   ./ConnMO/<y> or ./SyncML/Con/<y>; owned by the ServerID of
 *            the accounts that refer to it (or of the only account); in
 *            an import, by the ServerID its root's ACL is the owner's
 *            ACL of (Get=S&Replace=S&Delete=S, S an account's), else by
 *            the device
 *   lwm2m    ./LwM2M/<Object>/<Instance>, an LwM2M Object Instance from
 *            the card's LwM2M bootstrap (docs/lwm2m.md); owned by the
 *            LwM2M server it configures ("lwm2m:<Short Server ID>",
 *            "lwm2m:bootstrap"), else by the LwM2M client ("lwm2m:client")
 *   device   (tree import only) anything else, as ./<a>/<b>; no server
 * Containers (./DMAcc, ./SyncML/DMAcc, ./LwM2M, ./LwM2M/<Object>, ...)
 * belong to the device. */
#ifndef UICCBOOT_PLAN_H
#define UICCBOOT_PLAN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest bootstrap document (a push's body, a card's object) that is
 * decoded into a plan, in bytes. */
#define UB_PLAN_DOC_MAX (64 * 1024)

/* One node operation of a plan. */
struct ub_plan_node {
	char *uri;    /* "./DMAcc/x/AppAddr/1/Addr" */
	char *format; /* "chr", "node", "int", "bool", "b64", "bin", ... */
	char *type;   /* MIME of a leaf, DDF name of an interior node, or NULL */
	char *value;  /* leaf value, NULL for interior nodes */
	char *acl;    /* ACL from TNDS RTProperties, or NULL */
	int mo;	      /* index into ub_plan.mos; -1: a container */
};

enum ub_plan_kind {
	UB_PLAN_DM12,
	UB_PLAN_DM11,
	UB_PLAN_CP,
	UB_PLAN_LWM2M, /* an EF LwM2M_Bootstrap: ./LwM2M only */
};

enum ub_mo_kind { UB_MO_ACCOUNT, UB_MO_CONNMO, UB_MO_DEVICE, UB_MO_LWM2M };

struct ub_dm_layout;

struct ub_mo {
	char *root; /* "./DMAcc/x", as in the plan */
	enum ub_mo_kind kind;
	const struct ub_dm_layout *layout; /* account, connmo: whose containers */
	const char *server_id; /* the owner (the account's ServerID value); NULL: the device */
	int owner_acl;	       /* 1: the root gets the owner's ACL when the plan gives
				  none (an account; a bootstrap's ConnMO); 0: as
				  given (an import's ConnMO) */
	char *owner;	       /* lwm2m, an import's ConnMO: the owner's name, which
				  server_id points at */
};

struct ub_plan {
	enum ub_plan_kind kind;
	char source[1025]; /* SyncHdr Source/LocURI (DM) */
	struct ub_plan_node *nodes;
	size_t nnodes;
	struct ub_mo *mos; /* filled by ub_plan_model() */
	size_t nmos;
};

/* Frees a plan the library filled outside a result (ub_sms_pending_plan),
 * wiping every value first (secrets among them).  NULL is a no-op. */
void ub_plan_free(struct ub_plan *plan);

/* The plan's kind as results say it: "dm1.2", "dm1.1", "cp", "lwm2m" (a
 * static string).  Pure; any thread. */
const char *ub_plan_kind_name(enum ub_plan_kind k);

/* The ServerIDs of the plan's accounts, in plan order: for i in 0.. until
 * NULL.  The string is the plan's (valid until ub_plan_free).  Reads the
 * plan only: threads may share a plan none of them changes. */
const char *ub_plan_server(const struct ub_plan *plan, size_t i);

#ifdef __cplusplus
}
#endif

#endif
