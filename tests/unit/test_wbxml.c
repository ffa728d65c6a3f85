/* The WBXML walker that guards libwbxml: documents it must refuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_plan.h"

static uint8_t buf[70000];

static int check(const char *hex, char *where, size_t wlen)
{
	struct ub_wbxml_info info;
	int n = ub_unhex(buf, sizeof(buf), hex);

	assert_true(n >= 0);
	return ub_wbxml_check(buf, (size_t)n, &info, where, wlen);
}

static void accepts(void **state)
{
	struct ub_wbxml_info info;
	char w[100];
	int n;

	(void)state;
	/* SyncML root with a STR_I child and an empty element */
	assert_int_equal(check("03a4016a00"
			       "6d"
			       "0378797a00"
			       "12"
			       "01",
			       w, sizeof(w)),
			 0);
	/* public id as a string: 0, index 0 in a 4-byte string table */
	n = ub_unhex(buf, sizeof(buf),
		     "0300006a04"
		     "61626300"
		     "45"
		     "8300"
		     "01");
	assert_int_equal(ub_wbxml_check(buf, (size_t)n, &info, w, sizeof(w)), 0);
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
			       w, sizeof(w)),
			 0);
}

static void refuses(void **state)
{
	static const struct {
		const char *hex, *why;
	} bad[] = {
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
		/* an opaque that starts like a WBXML document must be one: here an
		 * entity beyond 32 bits inside it (libwbxml aborts on >= 2^31) */
		{"03a4016a00"
		 "6d"
		 "c30c"
		 "03016a00"
		 "6d02ffffffff0f01"
		 "01",
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
	char w[100];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (check(bad[i].hex, w, sizeof(w)) != UB_E_BAD_DATA)
			fail_msg("accepted: %s", bad[i].hex);
		if (!strstr(w, bad[i].why))
			fail_msg("%s: says '%s', not '%s'", bad[i].hex, w, bad[i].why);
	}
}

static void limits(void **state)
{
	char w[100];
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

		assert_int_equal(ub_wbxml_check(buf, n, &info, w, sizeof(w)), UB_E_BAD_DATA);
		assert_non_null(strstr(w, "deeply"));
		/* 32 is fine */
		memmove(buf + 6, buf + 7, n - 7);
		assert_int_equal(ub_wbxml_check(buf, n - 2, &info, w, sizeof(w)), 0);
	}
	/* 4097 empty elements under a root */
	n = 5;
	buf[n++] = 0x6d;
	for (i = 0; i < 4097; i++)
		buf[n++] = 0x12;
	buf[n++] = 0x01;
	{
		struct ub_wbxml_info info;

		assert_int_equal(ub_wbxml_check(buf, n, &info, w, sizeof(w)), UB_E_BAD_DATA);
		assert_non_null(strstr(w, "too many elements"));
		assert_int_equal(ub_wbxml_check(buf, UB_DOC_MAX + 1, &info, w, sizeof(w)),
				 UB_E_BAD_DATA);
		assert_non_null(strstr(w, "64 KiB"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts),
		cmocka_unit_test(refuses),
		cmocka_unit_test(limits),
	};

	return cmocka_run_group_tests_name("wbxml walker", tests, NULL, NULL);
}
