/* The terminal escaper: what an attacker's card, message or tree would
 * send to the operator's terminal, and what must come out instead. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub_digest.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_text.h"

/* ub_text_putn of n bytes at in, as a malloc'd string */
static char *escaped(const char *in, size_t n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	assert_non_null(fp);
	assert_int_equal(ub_text_putn(fp, in, n), 0);
	assert_int_equal(fclose(fp), 0);
	return out;
}

struct row {
	const char *in;
	size_t n; /* 0: strlen(in) */
	const char *out;
	const char *what;
};

static void run(const struct row *rows, size_t count)
{
	size_t i, k;

	for (i = 0; i < count; i++) {
		char *got = escaped(rows[i].in, rows[i].n ? rows[i].n : strlen(rows[i].in));

		if (strcmp(got, rows[i].out))
			fail_msg("%s: got \"%s\", want \"%s\"", rows[i].what, got, rows[i].out);
		/* whatever came in: no control byte goes out */
		for (k = 0; got[k]; k++)
			if ((unsigned char)got[k] < 0x20 || got[k] == 0x7F)
				fail_msg("%s: control byte 0x%02x in the output", rows[i].what,
					 (unsigned char)got[k]);
		free(got);
	}
}

/* Inputs that reach a terminal as escapes, never raw. */
static void controls_torture(void **state)
{
	static const struct row rows[] = {
		{"x\x1b[2Jy", 0, "x\\x1b[2Jy", "ESC [ 2 J (clear screen)"},
		{"\a", 0, "\\x07", "BEL"},
		{"\x1b]0;owned\a", 0, "\\x1b]0;owned\\x07", "OSC window title"},
		{"\x1bP+q544e\x1b\\", 0, "\\x1bP+q544e\\x1b\\\\", "DCS query (answer injection)"},
		{"a\nb\rc\td", 0, "a\\x0ab\\x0dc\\x09d", "newline, CR, tab"},
		{"\b\b\bok", 0, "\\x08\\x08\\x08ok", "backspaces over the text"},
		{"\x7f", 0, "\\x7f", "DEL"},
		{"a\0b", 3, "a\\x00b", "NUL inside counted bytes"},
		{"\x01\x1f", 0, "\\x01\\x1f", "C0 edges"},
		{"\x9b"
		 "2J",
		 0, "\\x9b2J", "raw 8-bit CSI"},
		{"\xc2\x9b"
		 "2J",
		 0, "\\xc2\\x9b2J", "CSI as UTF-8 (U+009B)"},
		{"\xc2\x80\xc2\x9f", 0, "\\xc2\\x80\\xc2\\x9f", "C1 edges in UTF-8"},
		{"\xc0\x9b", 0, "\\xc0\\x9b", "overlong 2-byte CSI"},
		{"\xc1\xbf", 0, "\\xc1\\xbf", "overlong 2-byte DEL"},
		{"\xe0\x80\x9b", 0, "\\xe0\\x80\\x9b", "overlong 3-byte"},
		{"\xf0\x80\x80\x9b", 0, "\\xf0\\x80\\x80\\x9b", "overlong 4-byte"},
		{"\xed\xa0\x80", 0, "\\xed\\xa0\\x80", "a UTF-16 surrogate"},
		{"\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80", "above U+10FFFF"},
		{"\xf5\x80\x80\x80", 0, "\\xf5\\x80\\x80\\x80", "F5 lead byte"},
		{"\xff\xfe", 0, "\\xff\\xfe", "FF FE"},
		{"\xe2\x82", 0, "\\xe2\\x82", "sequence cut by the end"},
		{"\xe2\x82"
		 "A",
		 0, "\\xe2\\x82A", "sequence cut by ASCII"},
		{"\xe2\x1b[2J", 0, "\\xe2\\x1b[2J", "a lead byte swallowing ESC"},
		{"\x80", 0, "\\x80", "lone continuation byte"},
		{"\xe2\x80\xae"
		 "moc.evil",
		 0, "\\xe2\\x80\\xaemoc.evil", "RIGHT-TO-LEFT OVERRIDE"},
		{"\xe2\x81\xa6x\xe2\x81\xa9", 0, "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9",
		 "bidi isolates"},
		{"\xe2\x80\x8f", 0, "\\xe2\\x80\\x8f", "RIGHT-TO-LEFT MARK"},
		{"\xd8\x9c", 0, "\\xd8\\x9c", "ARABIC LETTER MARK"},
		{"a\xe2\x80\xa8"
		 "b",
		 0, "a\\xe2\\x80\\xa8b", "LINE SEPARATOR"},
		{"\\x1b", 0, "\\\\x1b", "a backslash cannot fake an escape"},
		{"\\", 0, "\\\\", "lone backslash"},
	};

	run(rows, sizeof(rows) / sizeof(rows[0]));
}

/* What must pass unchanged. */
static void shown(void **state)
{
	static const struct row rows[] = {
		{"", 0, "", "empty"},
		{"dm.example.com", 0, "dm.example.com", "ASCII"},
		{" !~", 0, " !~", "printable edges"},
		{"caf\xc3\xa9", 0, "caf\xc3\xa9", "e acute"},
		{"\xc2\xa0", 0, "\xc2\xa0", "U+00A0, the first after C1"},
		{"\xe2\x82\xac", 0, "\xe2\x82\xac", "euro sign"},
		{"\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80", "4-byte emoji"},
		{"\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf", "U+10FFFF"},
		{"\xe2\x80\xa7\xe2\x80\xaf", 0, "\xe2\x80\xa7\xe2\x80\xaf",
		 "U+2027/202F around the controls"},
	};

	run(rows, sizeof(rows) / sizeof(rows[0]));
}

static void put_is_putn(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	assert_int_equal(ub_text_put(fp, "B-TID \x1b[2J@bsf"), 0);
	fclose(fp);
	assert_string_equal(out, "B-TID \\x1b[2J@bsf");
	free(out);
}

/* The codecs of base/: RFC 4648's vectors, both alphabets, and the one
 * canonical spelling that decoding accepts. */
static void base64_codec(void **state)
{
	static const char *const vec[][2] = {
		{"", ""},
		{"f", "Zg=="},
		{"fo", "Zm8="},
		{"foo", "Zm9v"},
		{"foob", "Zm9vYg=="},
		{"fooba", "Zm9vYmE="},
		{"foobar", "Zm9vYmFy"},
	};
	static const uint8_t hi[] = {0xFB, 0xFF, 0xBF};
	static const char *const bad[] = {
		"Zg",	  /* unpadded */
		"Zh==",	  /* bits after the last character */
		"Zm9v\n", /* a line break */
		"Zm 9v",  /* a space */
		"Zg=a",	  /* padding inside */
		"-_-_",	  /* base64url's alphabet */
		"Z===",	  /* three '=' */
	};
	uint8_t b[16];
	char t[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		size_t n = strlen(vec[i][0]);

		assert_int_equal(ub_b64(t, (const uint8_t *)vec[i][0], n, 0), strlen(vec[i][1]));
		assert_string_equal(t, vec[i][1]);
		assert_int_equal(ub_unb64(b, sizeof(b), vec[i][1]), (int)n);
		assert_memory_equal(b, vec[i][0], n);
	}
	assert_int_equal(ub_b64(t, hi, 3, 0), 4);
	assert_string_equal(t, "+/+/");
	assert_int_equal(ub_b64(t, hi, 3, 1), 4);
	assert_string_equal(t, "-_-_");
	assert_int_equal(ub_b64(t, (const uint8_t *)"f", 1, 1), 2);
	assert_string_equal(t, "Zg");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ub_unb64(b, sizeof(b), bad[i]), UB_E_BAD_DATA);
	assert_int_equal(ub_unb64(b, 5, "Zm9vYmFy"), UB_E_USAGE);
	assert_int_equal(ub_unb64(b, 6, "Zm9vYmFy"), 6);
	assert_int_equal(ub_unb64(b, 2, "Zm8="), 2);
}

/* SHA-256 (FIPS 180-2 Appendix B.1 and B.2), whole and in pieces */
static void sha256_vectors(void **state)
{
	static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct iovec v[3] = {{(void *)"a", 1}, {(void *)"", 0}, {(void *)"bc", 2}};
	uint8_t d[32];
	char h[65];

	(void)state;

	assert_int_equal(ub_sha256("abc", 3, d), 0);
	assert_string_equal(ub_hex(h, d, 32),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(ub_sha256v(v, 3, d), 0);
	assert_string_equal(ub_hex(h, d, 32),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(ub_sha256(two, strlen(two), d), 0);
	assert_string_equal(ub_hex(h, d, 32),
			    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base64_codec),	  cmocka_unit_test(controls_torture),
		cmocka_unit_test(shown),	  cmocka_unit_test(put_is_putn),
		cmocka_unit_test(sha256_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
