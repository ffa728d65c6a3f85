/* A bounded walk over a WBXML document (WAP-192 WBXML 1.3), and the
 * document tree it builds (ub_wbxml_tree): the one reader of the bootstrap
 * documents' tokens.  The tree is made from the tokens as they are read,
 * each value copied as bytes; no text is generated and parsed again, so a
 * value stays a value whatever it holds (`]]>`, `<`, `&`).
 *
 * The walk follows libwbxml 0.11.8's parser (wbxml_parser.c) token by
 * token: wherever libwbxml reads a byte in another role than WBXML 1.3
 * would, this walk reads it in libwbxml's role, and where the two readings
 * could differ it refuses the document.  It may refuse documents that
 * libwbxml accepts; it never accepts one that libwbxml reads differently
 * (tests/fuzz/fuzz_wbxml_diff.c runs both on the same input), so a
 * document we accept means the same to the tools built on libwbxml (its
 * 0.11.8 release crashes on malformed input; the library no longer hands
 * it any).  The check allocates nothing; every read is checked against the
 * end. */
#include <openssl/crypto.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dm_names.h"
#include "ub_error.h"
#include "ub_wbxml.h"

#define SWITCH_PAGE 0x00
#define END 0x01
#define ENTITY 0x02
#define STR_I 0x03
#define LITERAL 0x04
#define PI 0x43
#define STR_T 0x83
#define OPAQUE 0xC3
#define CHARSET_UTF8 0x6A
#define CHARSET_ASCII 0x03
#define CHARSET_LATIN1 0x04

/* An embedded document may not embed another one (see text()). */
#define NEST_MAX 1
/* The one kind of document that may be embedded: TNDS (OMA DM TNDS 1.2),
 * which libwbxml knows by this public id string only (it has no number for
 * it).  Other kinds would reach parser paths that crash: 0.11.8 follows a
 * NULL current tag for opaque data in DRMREL 1.0 and Wireless Village
 * documents after an END. */
#define TNDS_PUBLIC_ID UB_WBXML_TNDS_ID

/* The tree being built (ub_wbxml_tree). */
struct tree {
	unsigned langs; /* the languages asked for */
	bool known;	/* the document is of one of them: lang */
	enum ub_wbxml_lang lang;
	struct xnode *root, *cur;
	size_t text;	    /* bytes of character data and attribute values */
	struct xnode *attr; /* the attribute being read: its name, its value as text */
	bool in_attr, nomem;
};

struct walk {
	const uint8_t *b;
	size_t n, o;
	const uint8_t *st; /* string table */
	size_t st_len;
	const char *public_id; /* a public id given in the string table */
	uint32_t charset;
	unsigned elements, depth, max_depth, nest;
	unsigned lim_nodes, lim_depth; /* UB_NODES_MAX, UB_DEPTH_MAX or less */
	unsigned tag_page, attr_page;  /* WBXML 1.3 5.8.4.1: one of each */
	bool header_ok;		       /* the header parsed: a document, if maybe a bad one */
	struct tree *x;		       /* building a tree, or NULL: the check only */
	/* libwbxml parses text in <Data> as a WBXML document once a <Type>
	 * named a +wbxml media type (see text()); run[] holds the last bytes
	 * of the current run of character data, to see that name. */
	bool embeds;
	char run[5];
	size_t run_len;
	char *where;
	size_t wlen;
};

static int bad(struct walk *w, const char *what)
{
	if (w->where && !w->where[0])
		snprintf(w->where, w->wlen, "%s at byte %zu", what, w->o);
	return UB_E_BAD_DATA;
}

/* mb_u_int32 (WBXML 1.3 5.1): 7 bits a byte, at most 5 bytes, must fit 32
 * bits (libwbxml takes 5 bytes and drops the bits above 32). */
static int mb(struct walk *w, uint32_t *v)
{
	uint64_t x = 0;
	int i;

	for (i = 0; i < 5; i++) {
		if (w->o >= w->n)
			return bad(w, "multi-byte integer cut");
		x = x << 7 | (w->b[w->o] & 0x7F);
		if (!(w->b[w->o++] & 0x80))
			break;
	}
	if (i == 5 || x > 0xFFFFFFFFu)
		return bad(w, "multi-byte integer too long");
	*v = (uint32_t)x;
	return 0;
}

/* Global tokens (WBXML 1.3 7.1) have the same value in every code space. */
static bool is_global(uint8_t t)
{
	return (t & 0x3F) <= 0x04;
}

/* Extension tokens (WBXML 1.3 5.8.4.2).  libwbxml reads only the token
 * byte of an extension in a SyncML or PROV document (its parse_extension
 * decodes EXT_I and EXT_T for WML and Wireless Village alone), not the
 * string or index that WBXML 1.3 puts after EXT_I and EXT_T, so what
 * follows would be read differently; neither DM nor CP defines any. */
static bool is_ext(uint8_t t)
{
	return (t & 0x3F) <= 0x02 && (t & 0xC0) != 0;
}

/* libwbxml's is_extension(): a SWITCH_PAGE is looked through, to the byte
 * after its page index. */
static bool ext_ahead(const struct walk *w)
{
	if (w->b[w->o] == SWITCH_PAGE)
		return w->o + 2 < w->n && is_ext(w->b[w->o + 2]);
	return is_ext(w->b[w->o]);
}

/* The bytes of character data as libwbxml hands them on.  Strings are
 * converted to UTF-8: unchanged from UTF-8 and US-ASCII (libwbxml does not
 * check either), ISO-8859-1 bytes >= 0x80 become two bytes. */
struct chunk {
	const uint8_t *p;
	size_t len;
	bool converted; /* a string, converted from the document's charset */
};

/* --- the tree --- */

static int nomem(struct walk *w)
{
	w->x->nomem = true;
	return bad(w, "out of memory");
}

/* A name from the string table (a literal tag or attribute): printable
 * ASCII, no space, as every name of the code pages is. */
static bool literal_name_ok(const struct chunk *c)
{
	size_t i;

	for (i = 0; i < c->len; i++)
		if (c->p[i] <= 0x20 || c->p[i] >= 0x7F)
			return false;
	return c->len > 0;
}

/* Character data, or a piece of an attribute value, appended as UTF-8:
 * strings from the document's charset (WBXML 1.3 5.6: US-ASCII must be
 * 7-bit, ISO-8859-1 bytes >= 0x80 become two bytes), entities and opaque
 * data as they are. */
static int tree_chars(struct walk *w, const struct chunk *c, bool content)
{
	struct tree *x = w->x;
	struct xnode *n = content ? x->cur : x->attr;
	uint8_t u[128];
	size_t i, k = 0, grown = c->len;

	if (c->converted && w->charset == CHARSET_ASCII)
		for (i = 0; i < c->len; i++)
			if (c->p[i] >= 0x80)
				return bad(w, "a byte above 127 in a US-ASCII string");
	if (c->converted && w->charset == CHARSET_LATIN1)
		for (i = 0; i < c->len; i++)
			grown += c->p[i] >= 0x80;
	if (grown > UB_TEXT_MAX - x->text)
		return bad(w, "more than 1 MiB of text");
	x->text += grown;
	if (grown == c->len)
		return xdoc_add_text(n, (const char *)c->p, c->len) ? nomem(w) : 0;
	for (i = 0; i < c->len; i++) {
		if (c->p[i] < 0x80) {
			u[k++] = c->p[i];
		} else {
			u[k++] = (uint8_t)(0xC0 | c->p[i] >> 6);
			u[k++] = (uint8_t)(0x80 | (c->p[i] & 0x3F));
		}
		if (k + 2 > sizeof(u) || i + 1 == c->len) {
			if (xdoc_add_text(n, (const char *)u, k)) {
				OPENSSL_cleanse(u, sizeof(u));
				return nomem(w);
			}
			k = 0;
		}
	}
	OPENSSL_cleanse(u, sizeof(u)); /* a value may be a secret */
	return 0;
}

/* A start tag: named by the language's code page, or by the string table
 * (lit). */
static int tree_open(struct walk *w, uint8_t t, const struct chunk *lit)
{
	struct tree *x = w->x;
	const char *name;
	size_t len;
	struct xnode *n;

	if (lit) {
		if (!literal_name_ok(lit))
			return bad(w, "literal tag whose name is not printable ASCII");
		name = (const char *)lit->p;
		len = lit->len;
	} else {
		name = ub_wbxml_tag(x->lang, w->tag_page, t & 0x3F);
		if (!name)
			return bad(w, "tag token its code page does not define");
		len = strlen(name);
	}
	n = xdoc_add(x->cur, name, len);
	if (!n)
		return nomem(w);
	if (!x->root)
		x->root = n;
	x->cur = n;
	return 0;
}

/* Where a bootstrap keeps an embedded WBXML document (OMA-TS-DM_Bootstrap
 * 5.4.4: TNDS as WBXML in a SyncML Item's Data): the one element whose
 * character data may be bytes that are not text. */
static bool may_hold_bytes(const struct tree *x, const struct xnode *n)
{
	return (x->lang == UB_LANG_SYNCML12 || x->lang == UB_LANG_SYNCML11) &&
	       !strcmp(n->name, "Data");
}

/* An END: the element's character data is whole now. */
static int tree_close(struct walk *w)
{
	struct tree *x = w->x;
	struct xnode *n = x->cur;

	if (!ub_dm_textn_ok(n->text, n->tlen)) {
		if (!may_hold_bytes(x, n))
			return bad(w, "character data that is not text (a NUL, a control "
				      "character or invalid UTF-8) before the END");
		n->binary = true;
	}
	x->cur = n->parent;
	return 0;
}

/* The attribute read so far, added to its element. */
static int tree_attr_end(struct walk *w)
{
	struct tree *x = w->x;

	if (!x->in_attr)
		return 0;
	x->in_attr = false;
	if (!ub_dm_textn_ok(x->attr->text, x->attr->tlen))
		return bad(w, "attribute value that is not text (a NUL, a control character "
			      "or invalid UTF-8)");
	if (xdoc_attr(x->cur, x->attr->name))
		return bad(w, "an attribute given twice");
	if (xdoc_add_attr(x->cur, x->attr->name, x->attr->text, x->attr->tlen))
		return nomem(w);
	return 0;
}

/* An attribute start: named by the language's attribute code page (with
 * the start of its value), or by the string table (lit). */
static int tree_attr_start(struct walk *w, uint8_t t, const struct chunk *lit)
{
	struct tree *x = w->x;
	const char *name, *prefix = "";
	size_t len;

	if (tree_attr_end(w))
		return UB_E_BAD_DATA;
	if (lit) {
		if (!literal_name_ok(lit))
			return bad(w, "literal attribute whose name is not printable ASCII");
		name = (const char *)lit->p;
		len = lit->len;
	} else {
		name = ub_wbxml_attr(x->lang, w->attr_page, t, &prefix);
		if (!name)
			return bad(w, "attribute token its code page does not define");
		len = strlen(name);
	}
	free(x->attr->name);
	x->attr->name = strndup(name, len);
	if (!x->attr->name)
		return nomem(w);
	OPENSSL_cleanse(x->attr->text, x->attr->tlen);
	x->attr->tlen = 0;
	x->attr->text[0] = '\0';
	x->in_attr = true;
	if (strlen(prefix) > UB_TEXT_MAX - x->text)
		return bad(w, "more than 1 MiB of text");
	x->text += strlen(prefix);
	return xdoc_add_text(x->attr, prefix, strlen(prefix)) ? nomem(w) : 0;
}

/* An attribute value token (>= 0x80). */
static int tree_attr_value(struct walk *w, uint8_t t)
{
	const char *v = ub_wbxml_attr_value(w->x->lang, w->attr_page, t);
	struct chunk c = {(const uint8_t *)v, 0, false};

	if (!v)
		return bad(w, "attribute value token its code page does not define");
	c.len = strlen(v);
	return c.len ? tree_chars(w, &c, false) : 0;
}

/* mb_u_int32 as libwbxml's parse_mb_uint32 reads it: up to 5 bytes, the
 * bits above 32 dropped. */
static bool lib_mb(const uint8_t *p, size_t len, size_t *o, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 5; i++) {
		if (*o >= len)
			return false;
		*v = *v << 7 | (p[*o] & 0x7Fu);
		if (!(p[(*o)++] & 0x80))
			return true;
	}
	return false;
}

/* The public ids in libwbxml 0.11.8's language table (wbxml_tables.c):
 * WML, WTA, SI, SL, CO, CHANNEL, PROV, EMN, DRMREL, Wireless Village,
 * ConML, SyncML, DevInf and MetInf.  tests/unit/test_wbxml.c checks this
 * list against the library for every id below 2^21; ids from 2^21 on are
 * taken as known. */
static bool lib_knows_public_id(uint32_t id)
{
	static const uint32_t ids[] = {0x02,  0x03,  0x04,  0x05,   0x06,   0x07,  0x08, 0x09,
				       0x0A,  0x0B,  0x0C,  0x0D,   0x0E,   0x10,  0x8F, 0xFD1,
				       0xFD2, 0xFD3, 0xFD4, 0x1201, 0x1202, 0x1203};
	size_t i;

	if (id >= 0x200000)
		return true;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Would libwbxml's header parse (parse_version, parse_publicid,
 * parse_charset, parse_strtbl, check_public_id) get past the string table
 * of these bytes?  Taken generously where it need not be exact: any
 * version byte (0x00, WBXML 1.0, has no charset), every charset, every
 * public id given as a string, and a string table whose end wraps past
 * 2^32 in libwbxml's 32-bit length check as fitting. */
static bool looks_like_document(const uint8_t *p, size_t len)
{
	size_t o = 1;
	uint32_t v;

	if (len < 3)
		return false;
	if (p[1] == 0x00) {
		o = 2; /* publicid = zero index */
		if (!lib_mb(p, len, &o, &v))
			return false;
	} else if (!lib_mb(p, len, &o, &v) || !lib_knows_public_id(v)) {
		return false;
	}
	if (p[0] != 0x00 && !lib_mb(p, len, &o, &v))
		return false;
	if (!lib_mb(p, len, &o, &v))
		return false;
	return v <= len - o || (uint32_t)(o + v) <= len;
}

static int walk_doc(struct walk *w, struct ub_wbxml_info *info);

/* An embedded WBXML document: libwbxml's tree builder
 * (wbxml_tree_clb_wbxml_characters) hands the character data of a <Data>
 * element whose <Meta><Type> (among the siblings of <Data> or of its
 * parent) is application/vnd.syncml.dmtnds+wbxml or
 * application/vnd.syncml-devinf+wbxml to wbxml_tree_from_wbxml, with no
 * bound on the nesting; a document it fails to parse stays text.  Which
 * element is <Data> this walk does not know (token names live in
 * libwbxml's tables), so every piece of character data that follows such a
 * name in the document is taken as a candidate: if libwbxml's header parse
 * would accept it, it must pass this walk, one level deep at most. */
static int embedded(struct walk *w, const struct chunk *c)
{
	struct walk in;
	struct ub_wbxml_info sub;
	char inner[160];
	size_t i, at = w->o;

	/* ISO-8859-1 text reaches libwbxml's tree builder converted to UTF-8
	 * (where libwbxml is built with iconv; Debian's 0.11.8 is not, and
	 * fails on every string of such a document), each byte >= 0x80 made
	 * two: bytes this walk does not have at hand, so it refuses them */
	if (c->converted && w->charset == CHARSET_LATIN1)
		for (i = 0; i < c->len; i++)
			if (c->p[i] >= 0x80)
				return bad(w,
					   "non-ASCII ISO-8859-1 text after a +wbxml media type");
	if (!looks_like_document(c->p, c->len))
		return 0;
	if (w->nest >= NEST_MAX)
		return bad(w, "WBXML document inside an embedded WBXML document");
	memset(&in, 0, sizeof(in));
	in.b = c->p;
	in.n = c->len;
	in.nest = w->nest + 1;
	in.elements = w->elements;
	in.lim_nodes = w->lim_nodes;
	in.lim_depth = w->lim_depth;
	in.where = w->where;
	in.wlen = w->wlen;
	if (walk_doc(&in, &sub)) {
		if (w->where) {
			snprintf(inner, sizeof(inner), "%s", w->where);
			snprintf(w->where, w->wlen, "embedded WBXML document before byte %zu: %s",
				 at, inner);
		}
		return UB_E_BAD_DATA;
	}
	if (!in.public_id || strcasecmp(in.public_id, TNDS_PUBLIC_ID))
		return bad(w, "embedded WBXML document that is not TNDS");
	w->elements = in.elements;
	if (w->depth + sub.max_depth > w->max_depth)
		w->max_depth = w->depth + sub.max_depth;
	if (w->elements > w->lim_nodes)
		return bad(w, "too many elements");
	return 0;
}

/* Character data in element content (WBXML 1.3 5.8.2 content: string,
 * entity, opaque), one callback of libwbxml's parser each. */
static int text(struct walk *w, const struct chunk *c)
{
	size_t i;

	/* A text node joins the data of consecutive pieces; "wbxml" in any
	 * case, anywhere in it, stands for the two media type names. */
	for (i = 0; i < c->len; i++) {
		if (w->run_len == sizeof(w->run)) {
			memmove(w->run, w->run + 1, sizeof(w->run) - 1);
			w->run_len--;
		}
		w->run[w->run_len++] = (char)c->p[i];
		if (w->run_len == sizeof(w->run) && !strncasecmp(w->run, "wbxml", 5))
			w->embeds = true;
	}
	if (w->embeds && embedded(w, c))
		return UB_E_BAD_DATA;
	return w->x ? tree_chars(w, c, true) : 0;
}

/* Character data in content, or a piece of an attribute value. */
static int chars(struct walk *w, const struct chunk *c, bool content)
{
	if (!c->len)
		return 0;
	if (content)
		return text(w, c);
	return w->x ? tree_chars(w, c, false) : 0;
}

static int str_i(struct walk *w, bool content)
{
	const uint8_t *z = memchr(w->b + w->o, 0, w->n - w->o);
	struct chunk c = {w->b + w->o, 0, true};

	if (!z)
		return bad(w, "inline string not terminated");
	c.len = (size_t)(z - c.p);
	w->o = (size_t)(z - w->b) + 1;
	return chars(w, &c, content);
}

/* A string table reference (STR_T, LITERAL): libwbxml appends a NUL to a
 * table that lacks one; here the string must end inside the table. */
static int st_ref(struct walk *w, struct chunk *c)
{
	const uint8_t *z;
	uint32_t i;

	c->converted = true;
	if (mb(w, &i))
		return UB_E_BAD_DATA;
	if (i >= w->st_len || !(z = memchr(w->st + i, 0, w->st_len - i)))
		return bad(w, "string table reference out of range");
	c->p = w->st + i;
	c->len = (size_t)(z - c->p);
	return 0;
}

static int str_t(struct walk *w, bool content)
{
	struct chunk c;

	return st_ref(w, &c) ? UB_E_BAD_DATA : chars(w, &c, content);
}

/* ENTITY (WBXML 1.3 5.8.4.3): a Unicode scalar value.  libwbxml 0.11.8
 * asserts on codes >= 2^31 and encodes the rest as UTF-8 of up to six
 * bytes; 0 would end its string. */
static int entity(struct walk *w, bool content)
{
	uint8_t u[4];
	struct chunk c = {u, 0, false};
	uint32_t v;

	if (mb(w, &v))
		return UB_E_BAD_DATA;
	if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0)
		return bad(w, "entity is not a Unicode character");
	if (v < 0x80) {
		u[c.len++] = (uint8_t)v;
	} else if (v < 0x800) {
		u[c.len++] = (uint8_t)(0xC0 | v >> 6);
		u[c.len++] = (uint8_t)(0x80 | (v & 0x3F));
	} else if (v < 0x10000) {
		u[c.len++] = (uint8_t)(0xE0 | v >> 12);
		u[c.len++] = (uint8_t)(0x80 | (v >> 6 & 0x3F));
		u[c.len++] = (uint8_t)(0x80 | (v & 0x3F));
	} else {
		u[c.len++] = (uint8_t)(0xF0 | v >> 18);
		u[c.len++] = (uint8_t)(0x80 | (v >> 12 & 0x3F));
		u[c.len++] = (uint8_t)(0x80 | (v >> 6 & 0x3F));
		u[c.len++] = (uint8_t)(0x80 | (v & 0x3F));
	}
	return chars(w, &c, content);
}

/* OPAQUE (WBXML 1.3 5.8.4.6).  In content its bytes reach libwbxml's tree
 * builder as they are, except in a SyncML NextNonce, which libwbxml
 * base64-encodes first: base64 text never has a header libwbxml accepts
 * (its bytes are >= 0x2B, above every one-byte public id libwbxml knows). */
static int opaque(struct walk *w, bool content)
{
	struct chunk c = {NULL, 0, false};
	uint32_t len;

	if (mb(w, &len))
		return UB_E_BAD_DATA;
	if (len > w->n - w->o)
		return bad(w, "opaque data longer than the document");
	c.p = w->b + w->o;
	c.len = len;
	w->o += len;
	return chars(w, &c, content);
}

/* switchPage = SWITCH_PAGE pageindex (WBXML 1.3 5.8.4.1).  SyncML DM uses
 * tag pages 0-2 (SyncML, MetInf, DMDDF), PROV 1.0 tag and attribute pages
 * 0-1; libwbxml takes any page and names what it does not know "unknown". */
static int switch_page(struct walk *w, bool attrs)
{
	if (w->o + 1 >= w->n)
		return bad(w, "code page missing");
	if (w->b[w->o + 1] > (attrs ? 1 : 2))
		return bad(w, "switch to a code page these documents do not have");
	if (w->o + 2 < w->n && w->b[w->o + 2] == SWITCH_PAGE)
		return bad(w, "two code page switches in a row");
	if (attrs)
		w->attr_page = w->b[w->o + 1];
	else
		w->tag_page = w->b[w->o + 1];
	w->o += 2;
	return 0;
}

/* attrStart = ([switchPage] ATTRSTART) | (LITERAL index) (WBXML 1.3
 * 5.8.3).  libwbxml's parse_attr_start takes LITERAL (0x04 only), else an
 * optional SWITCH_PAGE and then ANY byte as an attribute start token: END,
 * ENTITY, STR_I, OPAQUE ... included.  So after a SWITCH_PAGE (and at the
 * start of each attribute) the next byte is an ATTRSTART here too, and
 * must be one by WBXML 1.3: below 128 and no global token. */
static int attr_start(struct walk *w)
{
	struct chunk lit;
	uint8_t t;

	if (w->o >= w->n)
		return bad(w, "attribute list not ended");
	if (w->b[w->o] == LITERAL) {
		w->o++;
		if (st_ref(w, &lit))
			return UB_E_BAD_DATA;
		return w->x ? tree_attr_start(w, LITERAL, &lit) : 0;
	}
	if (w->b[w->o] == SWITCH_PAGE && switch_page(w, true))
		return UB_E_BAD_DATA;
	if (w->o >= w->n)
		return bad(w, "attribute list not ended");
	t = w->b[w->o];
	if (t >= 0x80 || is_global(t))
		return bad(w, "no attribute start token where an attribute begins");
	w->o++;
	return w->x ? tree_attr_start(w, t, NULL) : 0;
}

/* libwbxml's is_attr_value(): what follows an attribute start is a value
 * while the next byte is >= 128, a string, an entity, an extension, or a
 * SWITCH_PAGE whose page index is followed by a byte >= 128. */
static bool attr_value_ahead(const struct walk *w)
{
	uint8_t t;

	if (w->o >= w->n)
		return false;
	t = w->b[w->o];
	if (t == SWITCH_PAGE && w->o + 2 < w->n && (w->b[w->o + 2] & 0x80))
		return true;
	return (t & 0x80) || t == STR_I || t == ENTITY || ext_ahead(w);
}

/* attrValue = ([switchPage] ATTRVALUE) | string | extension | entity |
 * opaque (WBXML 1.3 5.8.3), in libwbxml's parse_attr_value order.  After a
 * SWITCH_PAGE libwbxml reads the next byte as an ATTRVALUE token, whatever
 * it is (0x83 or 0xC3 too); it must be one by WBXML 1.3. */
static int attr_value(struct walk *w)
{
	uint8_t t;

	if (ext_ahead(w))
		return bad(w, "extension tokens are not used by DM or CP documents");
	t = w->b[w->o];
	if (t == SWITCH_PAGE) {
		if (switch_page(w, true))
			return UB_E_BAD_DATA;
		t = w->b[w->o];
		if (is_global(t))
			return bad(w, "no attribute value token after a code page switch");
		w->o++;
		return w->x ? tree_attr_value(w, t) : 0;
	}
	w->o++;
	switch (t) {
	case ENTITY:
		return entity(w, false);
	case STR_I:
		return str_i(w, false);
	case STR_T:
		return str_t(w, false);
	case OPAQUE:
		return opaque(w, false);
	default:
		if (is_global(t))
			return bad(w, "global token where an attribute value stands");
		return w->x ? tree_attr_value(w, t) : 0;
	}
}

/* [ 1*attribute END ] (WBXML 1.3 5.8.2) as libwbxml's parse_element and
 * parse_attribute loop it: an attribute start, values while
 * attr_value_ahead(), and END or the next attribute start. */
static int attributes(struct walk *w)
{
	do {
		if (attr_start(w))
			return UB_E_BAD_DATA;
		while (attr_value_ahead(w))
			if (attr_value(w))
				return UB_E_BAD_DATA;
		if (w->o >= w->n)
			return bad(w, "attribute list not ended");
	} while (w->b[w->o] != END);
	w->o++;
	return w->x ? tree_attr_end(w) : 0;
}

/* A token in element content other than END and a tag, as libwbxml's
 * parse_content tries them: extension, entity, string, opaque, PI,
 * SWITCH_PAGE.  Returns 1 for a tag. */
static int content_token(struct walk *w, uint8_t t)
{
	if (ext_ahead(w))
		return bad(w, "extension tokens are not used by DM or CP documents");
	switch (t) {
	case SWITCH_PAGE:
		return switch_page(w, false);
	case ENTITY:
		w->o++;
		return entity(w, true);
	case STR_I:
		w->o++;
		return str_i(w, true);
	case STR_T:
		w->o++;
		return str_t(w, true);
	case OPAQUE:
		w->o++;
		return opaque(w, true);
	case PI:
		return bad(w, "processing instructions are not supported");
	default:
		return 1;
	}
}

/* A start tag: stag = TAG | (literalTag index) (WBXML 1.3 5.8.2).  Every
 * byte that is no other content token starts an element in libwbxml (one it
 * does not know is named "unknown"). */
static int element(struct walk *w, bool *root_done)
{
	uint8_t t = w->b[w->o++];
	struct chunk lit;

	if (*root_done)
		return bad(w, "more than one root element");
	if ((t & 0x3F) == LITERAL && st_ref(w, &lit))
		return UB_E_BAD_DATA;
	if (++w->elements > w->lim_nodes)
		return bad(w, "too many elements");
	w->run_len = 0; /* a new element ends a text node */
	if (w->x && tree_open(w, t, (t & 0x3F) == LITERAL ? &lit : NULL))
		return UB_E_BAD_DATA;
	if ((t & 0x80) && attributes(w))
		return UB_E_BAD_DATA;
	if (t & 0x40) {
		if (++w->depth > w->lim_depth)
			return bad(w, "nested too deeply");
		if (w->depth > w->max_depth)
			w->max_depth = w->depth;
	} else {
		if (w->x && tree_close(w))
			return UB_E_BAD_DATA;
		if (!w->depth)
			*root_done = true; /* an empty root element */
	}
	return 0;
}

/* body = *pi element *pi (WBXML 1.3 5.8.1).  libwbxml stops after the root
 * element and ignores what follows; here only code page switches may. */
static int body(struct walk *w)
{
	bool root_done = false;
	uint8_t t;
	int r;

	while (w->o < w->n) {
		t = w->b[w->o];
		if (t == END) {
			w->o++;
			if (!w->depth)
				return bad(w, "END without an open element");
			w->run_len = 0;
			if (w->x && tree_close(w))
				return UB_E_BAD_DATA;
			if (--w->depth == 0)
				root_done = true;
			continue;
		}
		/* before and after the root element: code page switches only */
		if (!w->depth && t != SWITCH_PAGE && is_global(t) && (t & 0x3F) != LITERAL)
			return bad(w, "content outside the root element");
		r = content_token(w, t);
		if (r < 0)
			return r;
		if (r == 1 && element(w, &root_done))
			return UB_E_BAD_DATA;
	}
	if (w->depth)
		return bad(w, "document ends inside an element");
	if (!root_done)
		return bad(w, "no root element");
	return 0;
}

/* The tree's language, from the public id: one of those asked for? */
static bool language(struct walk *w, uint32_t public_id)
{
	struct tree *x = w->x;

	if (public_id == UB_WBXML_SYNCML12)
		x->lang = UB_LANG_SYNCML12;
	else if (public_id == UB_WBXML_SYNCML11)
		x->lang = UB_LANG_SYNCML11;
	else if (public_id == UB_WBXML_PROV10)
		x->lang = UB_LANG_PROV10;
	else if (!public_id && !strcasecmp(w->public_id, TNDS_PUBLIC_ID))
		x->lang = UB_LANG_TNDS;
	else
		return false;
	x->known = (x->langs & UB_LANG_BIT(x->lang)) != 0;
	return x->known;
}

static int walk_doc(struct walk *w, struct ub_wbxml_info *info)
{
	uint32_t st_len, idx = 0;
	int err;

	memset(info, 0, sizeof(*info));
	if (w->n < 4)
		return bad(w, "too short for a WBXML header");
	/* WBXML 1.0 (version 0x00, no charset field) is refused, and so are
	 * versions above 1.3, which libwbxml parses as 1.3 */
	info->version = w->b[w->o++];
	if (info->version < 0x01 || info->version > 0x03)
		return bad(w, "unknown WBXML version");
	/* publicid = mb_u_int32 | (zero index) (WBXML 1.3 5.5): libwbxml
	 * takes the string table index only after a 0x00 byte, and reads a
	 * longer encoding of zero (0x80 0x00) as the number 0 */
	if (w->b[w->o] == 0x00) {
		w->o++;
		if (mb(w, &idx))
			return UB_E_BAD_DATA;
		info->public_id = 0;
	} else {
		if (mb(w, &info->public_id))
			return UB_E_BAD_DATA;
		if (info->public_id == 0)
			return bad(w, "public id zero without a string table index");
	}
	if (mb(w, &info->charset) || mb(w, &st_len))
		return UB_E_BAD_DATA;
	if (info->charset != CHARSET_UTF8 && info->charset != 0x03 &&
	    info->charset != CHARSET_LATIN1)
		return bad(w, "charset other than UTF-8, US-ASCII or Latin-1");
	w->charset = info->charset;
	if (st_len > w->n - w->o)
		return bad(w, "string table longer than the document");
	w->st = w->b + w->o;
	w->st_len = st_len;
	w->o += st_len;
	if (info->public_id == 0 && (idx >= st_len || !memchr(w->st + idx, 0, st_len - idx)))
		return bad(w, "public id string out of the string table");
	if (info->public_id == 0)
		w->public_id = (const char *)w->st + idx;
	w->header_ok = true;
	if (w->x && !language(w, info->public_id))
		w->x = NULL; /* not ours: checked, not built */
	err = body(w);
	info->elements = w->elements;
	info->max_depth = w->max_depth;
	return err;
}

int ub_wbxml_check(const uint8_t *b, size_t n, struct ub_wbxml_info *info, char *where, size_t wlen)
{
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.b = b;
	w.n = n;
	w.where = where;
	w.wlen = wlen;
	w.lim_nodes = UB_NODES_MAX;
	w.lim_depth = UB_DEPTH_MAX;
	if (where && wlen)
		where[0] = '\0';
	if (n > UB_DOC_MAX)
		return bad(&w, "document larger than 64 KiB");
	if (walk_doc(&w, info))
		return UB_E_BAD_DATA;
	if (w.max_depth > UB_DEPTH_MAX)
		return bad(&w, "nested too deeply");
	return 0;
}

int ub_wbxml_tree(const uint8_t *b, size_t n, unsigned langs, unsigned max_nodes,
		  unsigned max_depth, struct ub_wbxml_info *info, enum ub_wbxml_lang *lang,
		  struct xnode **root, char *where, size_t wlen)
{
	struct walk w;
	struct tree x;
	int err;

	memset(&w, 0, sizeof(w));
	memset(&x, 0, sizeof(x));
	memset(info, 0, sizeof(*info));
	*root = NULL;
	w.b = b;
	w.n = n;
	w.where = where;
	w.wlen = wlen;
	w.lim_nodes = max_nodes < UB_NODES_MAX ? max_nodes : UB_NODES_MAX;
	w.lim_depth = max_depth < UB_DEPTH_MAX ? max_depth : UB_DEPTH_MAX;
	/* a TNDS document is read only where a bootstrap embeds it */
	w.nest = langs == UB_LANG_BIT(UB_LANG_TNDS) ? NEST_MAX : 0;
	w.x = &x;
	x.langs = langs;
	if (where && wlen)
		where[0] = '\0';
	x.attr = xdoc_add(NULL, "", 0);
	if (!x.attr)
		return UB_E_NOMEM;
	if (n > UB_DOC_MAX)
		err = bad(&w, "document larger than 64 KiB");
	else if (walk_doc(&w, info))
		err = x.nomem ? UB_E_NOMEM : UB_E_BAD_DATA;
	else if (w.max_depth > w.lim_depth)
		err = bad(&w, "nested too deeply");
	else if (!x.known)
		err = UB_E_NOT_SUPPORTED;
	else
		err = 0;
	xdoc_free(x.attr);
	if (err) {
		xdoc_free(x.root);
		return err;
	}
	*lang = x.lang;
	*root = x.root;
	return 0;
}
