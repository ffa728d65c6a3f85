/* Bootstrap messages to a validated plan (R-BOOT 1-2): WBXML checked by
 * our own bounded walk before libwbxml sees it, converted by libwbxml,
 * parsed by expat into a bounded document, and mapped to node operations. */
#ifndef UB_PLAN_H
#define UB_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UB_DOC_MAX (64 * 1024)
#define UB_NODES_MAX 4096
#define UB_DEPTH_MAX 32
#define UB_URI_MAX 1024

/* Public ids (spec/oma-dm.md 2.3) */
#define UB_WBXML_SYNCML12 0x1201
#define UB_WBXML_SYNCML11 0x0FD3
#define UB_WBXML_PROV10 0x0B

struct ub_wbxml_info {
	uint8_t version;
	uint32_t public_id; /* 0: given as a string in the string table */
	uint32_t charset;
	unsigned elements, max_depth;
};

/* Check the WBXML structure (header, string table references, token
 * stream, one root element, nesting <= UB_DEPTH_MAX, <= UB_NODES_MAX
 * elements, OPAQUE lengths, an embedded WBXML document in OPAQUE).
 * where: a description of the first problem.  Returns 0 or UB_E_BAD_DATA. */
int ub_wbxml_check(const uint8_t *b, size_t n, struct ub_wbxml_info *info, char *where,
		   size_t wlen);

/* One node operation of a plan. */
struct ub_plan_node {
	char *uri;    /* "./DMAcc/x/AppAddr/1/Addr" */
	char *format; /* "chr", "node", "int", "bool", "b64", "bin", ... */
	char *type;   /* MIME of a leaf, DDF name of an interior node, or NULL */
	char *value;  /* leaf value, NULL for interior nodes */
	char *acl;    /* ACL from TNDS RTProperties, or NULL */
};

enum ub_plan_kind { UB_PLAN_DM12, UB_PLAN_DM11, UB_PLAN_CP };

struct ub_plan {
	enum ub_plan_kind kind;
	char source[UB_URI_MAX]; /* SyncHdr Source/LocURI (DM) */
	struct ub_plan_node *nodes;
	size_t nnodes;
	char servers[8][128]; /* ServerIDs configured */
	int nservers;
};

/* Bytes of a bootstrap document (WBXML) to a plan.  Trailing FF padding
 * is accepted only with card_padding.  err says what and where.
 * Returns 0, UB_E_BAD_DATA, UB_E_NOT_SUPPORTED (unknown public id), or
 * UB_E_NOMEM.  ub_plan_free() after success. */
int ub_plan_decode(const uint8_t *b, size_t n, bool card_padding, struct ub_plan *plan, char *err,
		   size_t errlen);
void ub_plan_free(struct ub_plan *plan);

/* A TNDS XML document (MgmtTree; a top node's Path names its parent, "."
 * when absent) to a plan: for `tree import` and factory images.  The
 * document may be 16 times as large as a bootstrap message (1 MiB), with
 * 12 XML elements per node; the node and depth limits are the same.  Returns 0,
 * UB_E_BAD_DATA or UB_E_NOMEM. */
int ub_plan_from_tnds(const char *xml, size_t len, struct ub_plan *plan, char *err, size_t errlen);

#endif
