/* gba-u pure functions: the KDF against docs/test-vectors.md 4, NAF_Id,
 * B-TID, lifetime parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ub_error.h"
#include "ub_gba.h"
#include "ub_hex.h"

static void kdf_vector(void **state)
{
	uint8_t ks[32], rand[16], naf[64], out[32];
	static const uint8_t ua[5] = {1, 0, 0, 0, 2};
	char hex[65];
	int n;

	(void)state;
	ub_unhex(ks, 32, "b40ba9a3c58b2a05bbf0d987b21bf8cbf769bcd751044604127672711c6d3441");
	ub_unhex(rand, 16, "23553cbe9637a89d218ae64dae47bf35");
	n = ub_naf_id("naf.example.org", ua, naf, sizeof(naf));
	assert_int_equal(n, 20);
	assert_int_equal(ub_gba_me_ks_naf(ks, rand,
					  "001010123456789@ims.mnc001.mcc001.3gppnetwork.org", naf,
					  (size_t)n, out),
			 0);
	assert_string_equal(ub_hex(hex, out, 32),
			    "7a205ce786b14dad6f28d1f8b39d74aba2a172a3c134043bb036912e2036b610");
	/* Ks_int_NAF uses "gba-u" through the same generic KDF */
	{
		const char *impi = "001010123456789@ims.mnc001.mcc001.3gppnetwork.org";
		struct ub_kdf_param p[] = {{(const uint8_t *)"gba-u", 5},
					   {rand, 16},
					   {(const uint8_t *)impi, strlen(impi)},
					   {naf, (size_t)n}};

		assert_int_equal(ub_kdf(ks, 32, 0x01, p, 4, out), 0);
		assert_string_equal(ub_hex(hex, out, 32), "3e9f04a7de64efd1db6843a0a5f1c567"
							  "7b7f7cc3fb7a37b7c53dcb4b2806b19c");
	}
	assert_int_equal(ub_naf_id("", ua, naf, sizeof(naf)), UB_E_USAGE);
	assert_int_equal(ub_naf_id("naf.example.org", ua, naf, 19), UB_E_USAGE);
}

static void btid_and_lifetime(void **state)
{
	uint8_t rand[16];
	char b[100];
	long long t;

	(void)state;
	ub_unhex(rand, 16, "23553cbe9637a89d218ae64dae47bf35");
	assert_int_equal(ub_btid(rand, "bsf.example.org", b, sizeof(b)), 0);
	assert_string_equal(b, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org");
	assert_int_equal(ub_btid(rand, "bsf.example.org", b, 30), UB_E_USAGE);
	assert_int_equal(ub_btid(rand, "", b, sizeof(b)), UB_E_USAGE);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00Z", &t), 0);
	assert_int_equal(t, 86400);
	assert_int_equal(ub_lifetime_parse("1970-01-02T01:00:00+01:00", &t), 0);
	assert_int_equal(t, 86400);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00.250Z", &t), 0);
	assert_int_equal(t, 86400);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("tomorrow", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00+1", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00+-1:-1", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00-14:01", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("1970-1-2T0:0:0Z", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse(" 1970-01-02T00:00:00Z", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("1970-01-02T00:00:00.Z", &t), UB_E_BAD_DATA);
	assert_int_equal(ub_lifetime_parse("1970-01-02T14:00:00+14:00", &t), 0);
	assert_int_equal(t, 86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kdf_vector),
		cmocka_unit_test(btid_and_lifetime),
	};

	return cmocka_run_group_tests_name("gba-u kdf", tests, NULL, NULL);
}
