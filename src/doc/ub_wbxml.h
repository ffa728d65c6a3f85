/* WBXML bootstrap documents (WAP-192 WBXML 1.3): our bounded walk over
 * the token stream, and the document tree it builds.  The tree is built
 * from the tokens themselves: no XML text is generated and parsed again,
 * so no value can become structure. */
#ifndef UB_WBXML_H
#define UB_WBXML_H

#include <stddef.h>
#include <stdint.h>

#include "plan.h"
#include "ub_error.h"

#include "xdoc.h"

#define UB_DOC_MAX UB_PLAN_DOC_MAX
#define UB_NODES_MAX 4096
#define UB_DEPTH_MAX 32
/* Character data of a document's tree: string table references may repeat
 * one string, and ISO-8859-1 text doubles in UTF-8 */
#define UB_TEXT_MAX (1024 * 1024)

/* WBXML public ids (WAP-192 7.2.1; the OMNA registry; SyncML DM 1.2 DTD) */
#define UB_WBXML_SYNCML12 0x1201
#define UB_WBXML_SYNCML11 0x0FD3
#define UB_WBXML_PROV10 0x0B
/* TNDS (OMA-TS-DM_TNDS 1.2) has no number: its public id is this string */
#define UB_WBXML_TNDS_ID "-//OMA//DTD-DM-DDF 1.2//EN"

struct ub_wbxml_info {
	uint8_t version;
	uint32_t public_id; /* 0: given as a string in the string table */
	uint32_t charset;
	unsigned elements, max_depth;
};

/* Check the WBXML structure (header, string table references, token
 * stream, one root element, nesting <= UB_DEPTH_MAX, <= UB_NODES_MAX
 * elements, OPAQUE lengths, an embedded WBXML document in OPAQUE).
 * st: the first problem, at which byte.  Returns 0 or UB_E_BAD_DATA. */
int ub_wbxml_check(const uint8_t *b, size_t n, struct ub_wbxml_info *info, struct ub_status *st);

/* The languages whose code pages we know (libwbxml 0.11.8's tables, which
 * tests/unit/test_wbxml.c compares token by token). */
enum ub_wbxml_lang {
	UB_LANG_SYNCML12, /* SyncML 1.2 (page 0) with MetInf 1.2 (page 1) */
	UB_LANG_SYNCML11, /* SyncML 1.1 with MetInf 1.1: the same pages */
	UB_LANG_PROV10,	  /* OMA CP (WAP ProvCont) 1.0: tag and attribute pages 0, 1 */
	UB_LANG_TNDS,	  /* DM DDF 1.2 (page 2), as a document of its own */
	UB_LANG_COUNT
};
#define UB_LANG_BIT(l) (1u << (l))

/* The name of tag token tok (6 bits, without the attribute and content
 * flags) on code page page of language lang, or NULL. */
const char *ub_wbxml_tag(enum ub_wbxml_lang lang, unsigned page, unsigned tok);
/* An attribute start token (< 0x80): its attribute's name and the start of
 * its value (*prefix, maybe ""); NULL when the token has no meaning. */
const char *ub_wbxml_attr(enum ub_wbxml_lang lang, unsigned page, unsigned tok,
			  const char **prefix);
/* An attribute value token (>= 0x80): its text, or NULL. */
const char *ub_wbxml_attr_value(enum ub_wbxml_lang lang, unsigned page, unsigned tok);

/* The tree of a WBXML document, read by the walk of ub_wbxml_check (which
 * it also is: what that refuses, this refuses): each element named by its
 * language's code pages (a literal by its string), its attributes
 * ("name", "value", ...) and its character data, strings converted to
 * UTF-8 from the document's charset, entities as UTF-8, opaque data as its
 * bytes.  The document's language must be one of langs (a mask of
 * UB_LANG_BIT); a tag or attribute token the language does not define is
 * refused, and so is an attribute given twice.  Character data and
 * attribute values must be XML text (valid UTF-8, no C0 control other
 * than TAB, LF, CR, no U+FFFE/U+FFFF); only the character data of a
 * SyncML Data element may be other bytes (an embedded WBXML document):
 * its node is marked binary.  At most max_nodes elements (<=
 * UB_NODES_MAX), max_depth levels (<= UB_DEPTH_MAX) and UB_TEXT_MAX bytes
 * of character data and attribute values.
 * Returns 0 (*root: xdoc_free() it, *lang: the document's language),
 * UB_E_BAD_DATA (st: what, at which byte), UB_E_NOT_SUPPORTED (the
 * walk passed, but the document is of another language: info says its
 * public id), UB_E_NOMEM. */
int ub_wbxml_tree(const uint8_t *b, size_t n, unsigned langs, unsigned max_nodes,
		  unsigned max_depth, struct ub_wbxml_info *info, enum ub_wbxml_lang *lang,
		  struct xnode **root, struct ub_status *st);

#endif
