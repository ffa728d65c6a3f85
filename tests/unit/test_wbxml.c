/* The WBXML walker that guards libwbxml: documents it must refuse.  The
 * walker's .c is included to reach its table of libwbxml's public ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_plan.h"

#include "../../src/doc/wbxml_check.c"

static uint8_t buf[70000];

static int check(const char *hex, struct ub_status *where)
{
	struct ub_wbxml_info info;
	int n = ub_unhex(buf, sizeof(buf), hex);

	assert_true(n >= 0);
	return ub_wbxml_check(buf, (size_t)n, &info, where);
}

/* SyncML 1.2: SyncML, Meta, (page 1) Type "application/vnd.syncml.dmtnds+wbxml",
 * END, END, (page 0): a Data element that follows is parsed by libwbxml. */
#define SYNCML_WBXML_TYPE                                                          \
	"03a4016a00"                                                               \
	"6d"                                                                       \
	"5a0001"                                                                   \
	"5303"                                                                     \
	"6170706c69636174696f6e2f766e642e73796e636d6c2e646d746e64732b7762786d6c00" \
	"01"                                                                       \
	"0000"                                                                     \
	"01"

static void accepts(void **state)
{
	struct ub_wbxml_info info;
	struct ub_status w = {0};
	int n;

	(void)state;
	/* SyncML root with a STR_I child and an empty element */
	assert_int_equal(check("03a4016a00"
			       "6d"
			       "0378797a00"
			       "12"
			       "01",
			       &w),
			 0);
	/* public id as a string: 0, index 0 in a 4-byte string table */
	n = ub_unhex(buf, sizeof(buf),
		     "0300006a04"
		     "61626300"
		     "45"
		     "8300"
		     "01");
	assert_int_equal(ub_wbxml_check(buf, (size_t)n, &info, &w), 0);
	assert_int_equal(info.public_id, 0);
	/* PROV with attributes: characteristic type=... parm name=... */
	assert_int_equal(check("030b6a00"
			       "c6"
			       "50"
			       "01"
			       "87"
			       "15"
			       "06"
			       "0361626300"
			       "01"
			       "01",
			       &w),
			 0);
}

/* Each document is refused, and the reason names what is wrong. */
struct refusal {
	const char *hex, *why;
};

static void expect_refusals(const struct refusal *bad, size_t n)
{
	struct ub_status w = {0};
	size_t i;

	for (i = 0; i < n; i++) {
		if (check(bad[i].hex, &w) != UB_E_BAD_DATA)
			fail_msg("accepted: %s", bad[i].hex);
		if (!strstr(w.what, bad[i].why))
			fail_msg("%s: says '%s', not '%s'", bad[i].hex, w.what, bad[i].why);
	}
}

static void refuses(void **state)
{
	static const struct refusal bad[] = {
		{"03a401", "too short"},
		{"07a4016a006d01", "unknown WBXML version"},
		{"03ffffffff7f6a006d01", "multi-byte integer too long"},
		{"03a4016a09616200"
		 "6d01",
		 "string table longer"},
		{"03a4016a00"
		 "01",
		 "END without"},
		{"03a4016a00"
		 "6d",
		 "ends inside"},
		{"03a4016a00"
		 "6d01"
		 "6d01",
		 "more than one root"},
		/* extension tokens: libwbxml reads EXT_I in an attribute list
		 * otherwise than WBXML 1.3 (found by fuzz_plan) */
		{"03a4016a00"
		 "6d"
		 "406100"
		 "01",
		 "extension tokens"},
		/* after a Type naming a +wbxml media type, libwbxml parses the
		 * Data as a document: here an entity beyond 32 bits inside it
		 * (libwbxml aborts on >= 2^31) */
		{SYNCML_WBXML_TYPE "4f"
				   "c30c"
				   "030b6a00"
				   "45028fffffff7f01"
				   "0101",
		 "embedded WBXML document"},
		{"03a4016a00"
		 "6d"
		 "0378797a",
		 "not terminated"},
		{"03a4016a00"
		 "6d"
		 "8305"
		 "01",
		 "string table reference"},
		{"03a4016a00"
		 "6d"
		 "c30a0102"
		 "01",
		 "opaque data longer"},
		{"03a4016a00"
		 "6d"
		 "43"
		 "01",
		 "processing instructions"},
		{"03a4016a00"
		 "6d"
		 "0288808080"
		 "00"
		 "01",
		 "not a Unicode"},
		{"03a4016a00"
		 "6d"
		 "0212"
		 "01"
		 "01",
		 ""},
		{"03a4016a00"
		 "0012"
		 "6d01",
		 "code page"},
		{"03a4016a00"
		 "00010002"
		 "6d01",
		 "two code page switches"},
		{"030b6a00"
		 "c6"
		 "0005"
		 "50"
		 "01"
		 "01",
		 "code page"},
		{"030b6a00"
		 "c6"
		 "50",
		 "attribute list not ended"},
		{"03a4016a00"
		 "0378"
		 "00"
		 "6d01",
		 "outside the root"},
		{"03a4016a03"
		 "616200",
		 "no root"},
	};
	(void)state;
	expect_refusals(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Places where the walker read a document otherwise than libwbxml 0.11.8
 * (found reading wbxml_parser.c and by fuzz_wbxml_diff).  Each of these
 * was accepted by the walker before; libwbxml aborts or segfaults on those
 * marked so, and reads the others differently. */
static void diverges(void **state)
{
	static const struct refusal bad[] = {
		/* after SWITCH_PAGE in an attribute list libwbxml reads an
		 * attribute start token (here 0x02), then an entity >= 2^31:
		 * abort in parse_entity */
		{"030b6a00"
		 "c5"
		 "05"
		 "0000"
		 "02"
		 "028fffffff7f"
		 "01"
		 "01",
		 "no attribute start token"},
		/* the first byte of an attribute list is an attribute start for
		 * libwbxml, whatever it is: 0x02 here, then the entity (abort) */
		{"030b6a00"
		 "c5"
		 "02"
		 "028fffffff7f"
		 "01"
		 "01",
		 "no attribute start token"},
		/* ... and END too: no empty attribute list */
		{"030b6a00"
		 "c5"
		 "01"
		 "01",
		 "no attribute start token"},
		/* after SWITCH_PAGE among attribute values libwbxml reads an
		 * attribute value token, OPAQUE (0xC3) too */
		{"030b6a00"
		 "c5"
		 "05"
		 "0001"
		 "c303414243"
		 "01"
		 "01",
		 "no attribute value token after a code page switch"},
		/* an embedded document in an inline string (no NUL in it):
		 * abort */
		{SYNCML_WBXML_TYPE "4f"
				   "03030b6a014145028fffffff7f0100"
				   "0101",
		 "embedded WBXML document"},
		/* libwbxml takes any version byte: version 4 inside (abort) */
		{SYNCML_WBXML_TYPE "4f"
				   "c30c040b6a0045028fffffff7f01"
				   "0101",
		 "embedded WBXML document"},
		/* an embedded DRMREL 1.0 document with opaque data after an END:
		 * segfault on libwbxml's NULL current tag */
		{SYNCML_WBXML_TYPE "4f"
				   "c30c030e6a006d2cc30341424301"
				   "0101",
		 "embedded WBXML document that is not TNDS"},
		/* TNDS with literal Meta, Type, Data that embeds a third document
		 * (libwbxml nests without bound): abort in the innermost */
		{SYNCML_WBXML_TYPE
		 "4f"
		 "c36e"
		 "0300006a2a"
		 "2d2f2f4f4d412f2f4454442d444d2d44444620312e322f2f454e00"
		 "4d65746100"
		 "5479706500"
		 "4461746100"
		 "441b"
		 "441b"
		 "4420"
		 "036170706c69636174696f6e2f766e642e73796e636d6c2e646d746e64732b7762786d6c00"
		 "01"
		 "01"
		 "4425"
		 "c30c030b6a0045028fffffff7f01"
		 "01"
		 "01"
		 "0101",
		 "inside an embedded WBXML document"},
		/* ISO-8859-1 text 9F 53 6A ... is C2 9F 53 6A ... in UTF-8: a
		 * SyncML 1.1 header to libwbxml (where it has iconv), none as
		 * the bytes stand */
		{"03a4010400"
		 "6d"
		 "5a0001"
		 "5303"
		 "6170706c69636174696f6e2f766e642e73796e636d6c2e646d746e64732b7762786d6c00"
		 "01"
		 "0000"
		 "01"
		 "4f"
		 "039f536a0141450100"
		 "0101",
		 "non-ASCII ISO-8859-1 text"},
		/* 0x80 0x00 is the number 0 to libwbxml, no string table index */
		{"03800000"
		 "6a04"
		 "61626300"
		 "458300"
		 "01",
		 "public id zero"},
	};
	(void)state;
	expect_refusals(bad, sizeof(bad) / sizeof(bad[0]));
}

/* An embedded document is only recognised by its header if libwbxml knows
 * its public id: the walker's list must hold every id libwbxml knows (a
 * header with an id libwbxml refuses is text to it).  All ids below 2^21
 * are tried on the library itself. */
static void public_ids(void **state)
{
	WBXMLConvWBXML2XML *conv = NULL;
	WB_UTINY *xml = NULL;
	WB_ULONG xml_len;
	uint8_t doc[16];
	uint32_t id;
	size_t n;
	int rc;
	bool lib;

	(void)state;
	assert_int_equal(wbxml_conv_wbxml2xml_create(&conv), WBXML_OK);
	for (id = 1; id < 0x200000; id++) {
		/* under valgrind (the same paths, 30 times slower: 23 s) every
		 * id of one and two octets, those around 0x4000 and 0x200000,
		 * and every 1021st of the rest */
		if (RUNNING_ON_VALGRIND && id > 0x3FFF && id % 1021 &&
		    (id < 0x3FFE || id > 0x4002) && id < 0x1FFFFE)
			continue;
		n = 0;
		doc[n++] = 0x03;
		if (id >= 0x4000)
			doc[n++] = (uint8_t)(0x80 | id >> 14);
		if (id >= 0x80)
			doc[n++] = (uint8_t)(0x80 | (id >> 7 & 0x7F));
		doc[n++] = (uint8_t)(id & 0x7F);
		doc[n++] = 0x6A;
		doc[n++] = 0x00;
		doc[n++] = 0x05; /* an empty root element */
		xml = NULL;
		rc = wbxml_conv_wbxml2xml_run(conv, doc, (WB_ULONG)n, &xml, &xml_len);
		free(xml);
		lib = rc != WBXML_ERROR_UNKNOWN_PUBLIC_ID;
		if (lib != lib_knows_public_id(id))
			fail_msg("public id 0x%X: libwbxml %s it, the walker %s", (unsigned)id,
				 lib ? "knows" : "does not know", lib ? "does not" : "does");
		if (lib != looks_like_document(doc, n))
			fail_msg("public id 0x%X: a document header to libwbxml: %d", (unsigned)id,
				 lib);
	}
	wbxml_conv_wbxml2xml_destroy(conv);
	/* from 2^21 on every id counts as known */
	assert_true(lib_knows_public_id(0x200000));
	assert_true(lib_knows_public_id(0xFFFFFFFFu));
}

/* libwbxml's name for the first element or attribute of doc[n], or NULL
 * when it has none (an error, or "unknown"). */
static const char *lib_name(const uint8_t *doc, size_t n, bool attr, char *out, size_t max)
{
	WBXMLConvWBXML2XML *conv = NULL;
	WB_UTINY *xml = NULL;
	WB_ULONG xml_len;
	const char *s, *e;
	int rc;

	assert_int_equal(wbxml_conv_wbxml2xml_create(&conv), WBXML_OK);
	wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
	rc = wbxml_conv_wbxml2xml_run(conv, (WB_UTINY *)doc, (WB_ULONG)n, &xml, &xml_len);
	wbxml_conv_wbxml2xml_destroy(conv);
	out[0] = '\0';
	if (rc == WBXML_OK && xml) {
		/* after the DOCTYPE: <name .../> or <root name="value"/> */
		s = strstr((char *)xml, "?>");
		s = s ? strchr(s + 2, '<') : NULL;
		while (s && s[1] == '!')
			s = strchr(s + 1, '<');
		if (s && attr)
			s = strchr(s, ' ');
		e = s ? s + 1 + strcspn(s + 1, attr ? "\"" : " />") : NULL;
		if (s && attr && *e == '"')
			e = strchr(e + 1, '"') ? strchr(e + 1, '"') + 1 : NULL;
		if (s && e)
			snprintf(out, max, "%.*s", (int)(e - s - 1), s + 1);
	}
	free(xml);
	return out[0] && strncmp(out, "unknown", 7) && !strstr(out, "Reserved") ? out : NULL;
}

/* Our code pages (src/doc/wbxml_tokens.c) against libwbxml's: every tag,
 * attribute start and attribute value token of every page, named the
 * same or by neither. */
static void code_pages(void **state)
{
	static const struct {
		enum ub_wbxml_lang lang;
		const char *header; /* hex, the string table included */
		unsigned pages;
	} langs[] = {
		{UB_LANG_SYNCML12, "03a4016a00", 2},
		{UB_LANG_PROV10, "030b6a00", 2},
		{UB_LANG_TNDS, "0300006a1b2d2f2f4f4d412f2f4454442d444d2d44444620312e322f2f454e00",
		 3},
	};
	char lib[200], ours[200];
	const char *name, *prefix;
	unsigned l, page, tok;
	size_t h, n;

	(void)state;
	for (l = 0; l < sizeof(langs) / sizeof(langs[0]); l++) {
		h = (size_t)ub_unhex(buf, sizeof(buf), langs[l].header);
		for (page = 0; page < langs[l].pages; page++) {
			for (tok = 0x05; tok < 0x40; tok++) {
				n = h;
				buf[n++] = 0x00;
				buf[n++] = (uint8_t)page;
				buf[n++] = (uint8_t)tok; /* an empty root element */
				name = ub_wbxml_tag(langs[l].lang, page, tok);
				if (!name != !lib_name(buf, n, false, lib, sizeof(lib)) ||
				    (name && strcmp(name, lib)))
					fail_msg("language %u page %u tag 0x%02X: ours %s, "
						 "libwbxml %s",
						 l, page, tok, name ? name : "none", lib);
			}
			if (langs[l].lang != UB_LANG_PROV10)
				continue;
			for (tok = 0x05; tok < 0x100; tok++) {
				if (tok >= 0x80 && (tok & 0x3F) <= 0x04)
					continue; /* global tokens */
				n = h;
				buf[n++] = 0x85; /* wap-provisioningdoc with attributes */
				buf[n++] = 0x00;
				buf[n++] = (uint8_t)page;
				if (tok >= 0x80)
					buf[n++] = 0x05; /* name=, then the value token */
				buf[n++] = (uint8_t)tok;
				buf[n++] = 0x01;
				if (tok < 0x80) {
					name = ub_wbxml_attr(langs[l].lang, page, tok, &prefix);
					if (name)
						snprintf(ours, sizeof(ours), "%s=\"%s\"", name,
							 prefix);
				} else {
					name = ub_wbxml_attr_value(langs[l].lang, page, tok);
					if (name)
						snprintf(ours, sizeof(ours), "name=\"%s\"", name);
				}
				if (!lib_name(buf, n, true, lib, sizeof(lib)) ||
				    (!strcmp(lib, "name=\"\"") && tok >= 0x80))
					lib[0] = '\0'; /* libwbxml: no such value */
				if (!name != !lib[0] || (name && strcmp(ours, lib)))
					fail_msg("PROV attribute page %u token 0x%02X: ours %s, "
						 "libwbxml %s",
						 page, tok, name ? ours : "none", lib);
			}
		}
	}
}

static void limits(void **state)
{
	struct ub_status w = {0};
	size_t i, n = 0;

	(void)state;
	/* 33 nested elements: one too deep */
	memcpy(buf, "\x03\xa4\x01\x6a\x00", 5);
	n = 5;
	for (i = 0; i < 33; i++)
		buf[n++] = 0x6d;
	for (i = 0; i < 33; i++)
		buf[n++] = 0x01;
	{
		struct ub_wbxml_info info;

		assert_int_equal(ub_wbxml_check(buf, n, &info, &w), UB_E_BAD_DATA);
		assert_non_null(strstr(w.what, "deeply"));
		/* 32 is fine */
		memmove(buf + 6, buf + 7, n - 7);
		assert_int_equal(ub_wbxml_check(buf, n - 2, &info, &w), 0);
	}
	/* 4097 empty elements under a root */
	n = 5;
	buf[n++] = 0x6d;
	for (i = 0; i < 4097; i++)
		buf[n++] = 0x12;
	buf[n++] = 0x01;
	{
		struct ub_wbxml_info info;

		assert_int_equal(ub_wbxml_check(buf, n, &info, &w), UB_E_BAD_DATA);
		assert_non_null(strstr(w.what, "too many elements"));
		assert_int_equal(ub_wbxml_check(buf, UB_DOC_MAX + 1, &info, &w), UB_E_BAD_DATA);
		assert_non_null(strstr(w.what, "64 KiB"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts),    cmocka_unit_test(refuses),
		cmocka_unit_test(diverges),   cmocka_unit_test(public_ids),
		cmocka_unit_test(code_pages), cmocka_unit_test(limits),
	};

	return cmocka_run_group_tests_name("wbxml walker", tests, NULL, NULL);
}
