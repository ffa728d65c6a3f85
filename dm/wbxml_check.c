/* A bounded walk over a WBXML document (WAP-192 WBXML 1.3) before it is
 * handed to libwbxml, whose 0.11.8 release crashes on malformed input.
 * Nothing here allocates; every read is checked against the end. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ub_error.h"
#include "ub_plan.h"

struct walk {
	const uint8_t *b;
	size_t n, o;
	const uint8_t *st; /* string table */
	size_t st_len;
	unsigned elements, depth, max_depth, nest;
	bool header_ok; /* the header parsed: a document, if maybe a bad one */
	char *where;
	size_t wlen;
};

static int bad(struct walk *w, const char *what)
{
	if (w->where && !w->where[0])
		snprintf(w->where, w->wlen, "%s at byte %zu", what, w->o);
	return UB_E_BAD_DATA;
}

/* mb_u_int32: 7 bits a byte, at most 5 bytes, must fit 32 bits. */
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

static int str_i(struct walk *w)
{
	const uint8_t *z = memchr(w->b + w->o, 0, w->n - w->o);

	if (!z)
		return bad(w, "inline string not terminated");
	w->o = (size_t)(z - w->b) + 1;
	return 0;
}

static int str_t(struct walk *w)
{
	uint32_t i;

	if (mb(w, &i))
		return UB_E_BAD_DATA;
	if (i >= w->st_len || !memchr(w->st + i, 0, w->st_len - i))
		return bad(w, "string table reference out of range");
	return 0;
}

static int walk_doc(struct walk *w, struct ub_wbxml_info *info);

static int opaque(struct walk *w)
{
	uint32_t len;
	struct walk in;
	struct ub_wbxml_info sub;

	if (mb(w, &len))
		return UB_E_BAD_DATA;
	if (len > w->n - w->o)
		return bad(w, "opaque data longer than the document");
	/* An embedded WBXML document (TNDS in SyncML Data): libwbxml parses
	 * it too (when the Meta Type says WBXML, which this walk does not
	 * see), so it is checked the same way, one level deep at most.  Data
	 * that starts like a WBXML header but is no valid document is
	 * refused: libwbxml would parse it, and 0.11.8 aborts on some (an
	 * entity >= 2^31 inside TNDS, found by fuzz_plan).  WBXML 1.0 (no
	 * charset field) is not accepted inside either.  Opaque data that is
	 * not WBXML (a bin value) passes. */
	if (len >= 4 && w->b[w->o] <= 0x03 && w->nest == 0) {
		memset(&in, 0, sizeof(in));
		in.b = w->b + w->o;
		in.n = len;
		in.nest = 1;
		in.elements = w->elements;
		in.where = w->where;
		in.wlen = w->wlen;
		if (walk_doc(&in, &sub) == 0) {
			w->elements = in.elements;
			if (w->depth + sub.max_depth > w->max_depth)
				w->max_depth = w->depth + sub.max_depth;
		} else if (in.header_ok || w->b[w->o] == 0x00) {
			if (w->where && !w->where[0])
				bad(w, "embedded WBXML 1.0 document");
			if (w->where) {
				char inner[160];

				snprintf(inner, sizeof(inner), "%s", w->where);
				snprintf(w->where, w->wlen,
					 "embedded WBXML document at byte %zu: %s", w->o, inner);
			}
			return UB_E_BAD_DATA;
		} else if (w->where) {
			w->where[0] = '\0'; /* plain opaque data, not a document */
		}
		if (w->elements > UB_NODES_MAX)
			return bad(w, "too many elements");
	}
	w->o += len;
	return 0;
}

/* Tokens that may stand anywhere (WBXML 5.8.4): 0 handled, 1 not global. */
static int global(struct walk *w, uint8_t t, bool in_attrs)
{
	uint32_t v;

	switch (t) {
	case 0x00: /* SWITCH_PAGE */
		if (w->o + 1 >= w->n)
			return bad(w, "code page missing");
		/* SyncML DM uses tag pages 0-2 (SyncML, MetInf, DMDDF), PROV 1.0
		 * tag and attribute pages 0-1; libwbxml 0.11.8 mis-parses what
		 * follows a switch to a page it does not know (found by fuzz_plan) */
		if (w->b[w->o] > (in_attrs ? 1 : 2))
			return bad(w, "switch to a code page these documents do not have");
		if (w->b[w->o + 1] == 0x00)
			return bad(w, "two code page switches in a row");
		w->o++;
		return 0;
	case 0x02: /* ENTITY: a Unicode scalar value (libwbxml 0.11.8 asserts on
		    * codes >= 2^31, found by fuzz_plan) */
		if (mb(w, &v))
			return UB_E_BAD_DATA;
		if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v == 0)
			return bad(w, "entity is not a Unicode character");
		return 0;
	case 0x03: /* STR_I */
		return str_i(w);
	case 0x40:
	case 0x41:
	case 0x42: /* EXT_I */
	case 0x80:
	case 0x81:
	case 0x82: /* EXT_T */
	case 0xC0:
	case 0xC1:
	case 0xC2: /* EXT */
		/* Neither SyncML DM nor PROV defines extension tokens, and
		 * libwbxml 0.11.8 reads some of them (EXT_I in an attribute
		 * list) differently from WBXML 1.3, which let an entity
		 * >= 2^31 that this walk saw as string bytes reach its
		 * assertion (found by fuzz_plan in make stress) */
		return bad(w, "extension tokens are not used by DM or CP documents");
	case 0x43:
		return bad(w, "processing instructions are not supported");
	case 0x83: /* STR_T */
		return str_t(w);
	case 0xC3:
		return opaque(w);
	default:
		return 1;
	}
}

static int attributes(struct walk *w)
{
	uint8_t t;
	int r;

	while (w->o < w->n) {
		t = w->b[w->o++];
		if (t == 0x01) /* END of the attribute list */
			return 0;
		if (t == 0x04) { /* LITERAL attribute name */
			if (str_t(w))
				return UB_E_BAD_DATA;
			continue;
		}
		r = global(w, t, true);
		if (r < 0)
			return r;
		/* r == 1: an attribute start (< 80) or value (>= 80) token */
	}
	return bad(w, "attribute list not ended");
}

static int body(struct walk *w)
{
	bool root_done = false;
	uint8_t t;
	int r;

	while (w->o < w->n) {
		t = w->b[w->o++];
		if (t == 0x01) { /* END */
			if (!w->depth)
				return bad(w, "END without an open element");
			if (--w->depth == 0)
				root_done = true;
			continue;
		}
		r = global(w, t, false);
		if (r < 0)
			return r;
		if (r == 0) {
			if (!w->depth && t != 0x00)
				return bad(w, "content outside the root element");
			continue;
		}
		/* a tag: LITERAL (04/44/84/C4) or a code page token */
		if (root_done)
			return bad(w, "more than one root element");
		if ((t & 0x3F) == 0x04 && str_t(w))
			return UB_E_BAD_DATA;
		if ((t & 0x3F) < 0x05 && (t & 0x3F) != 0x04)
			return bad(w, "reserved token");
		if (++w->elements > UB_NODES_MAX)
			return bad(w, "too many elements");
		if ((t & 0x80) && attributes(w))
			return UB_E_BAD_DATA;
		if (t & 0x40) {
			if (++w->depth > UB_DEPTH_MAX)
				return bad(w, "nested too deeply");
			if (w->depth > w->max_depth)
				w->max_depth = w->depth;
		} else if (!w->depth) {
			root_done = true; /* an empty root element */
		}
	}
	if (w->depth)
		return bad(w, "document ends inside an element");
	if (!root_done)
		return bad(w, "no root element");
	return 0;
}

static int walk_doc(struct walk *w, struct ub_wbxml_info *info)
{
	uint32_t st_len, idx = 0;
	int err;

	memset(info, 0, sizeof(*info));
	if (w->n < 4)
		return bad(w, "too short for a WBXML header");
	info->version = w->b[w->o++];
	if (info->version < 0x01 || info->version > 0x03)
		return bad(w, "unknown WBXML version");
	if (mb(w, &info->public_id))
		return UB_E_BAD_DATA;
	if (info->public_id == 0 && mb(w, &idx))
		return UB_E_BAD_DATA;
	if (mb(w, &info->charset) || mb(w, &st_len))
		return UB_E_BAD_DATA;
	if (info->charset != 0x6A && info->charset != 0x03 && info->charset != 0x04)
		return bad(w, "charset other than UTF-8, US-ASCII or Latin-1");
	if (st_len > w->n - w->o)
		return bad(w, "string table longer than the document");
	w->st = w->b + w->o;
	w->st_len = st_len;
	w->o += st_len;
	if (info->public_id == 0 && (idx >= st_len || !memchr(w->st + idx, 0, st_len - idx)))
		return bad(w, "public id string out of the string table");
	w->header_ok = true;
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
