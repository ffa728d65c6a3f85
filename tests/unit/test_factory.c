/* Factory credentials: the vectors of docs/usage.md, the one-block expand against OpenSSL's
 * EVP_KDF HKDF, uniqueness, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "ub_error.h"
#include "ub_factory.h"
#include "ub_hex.h"

static uint8_t master[32];
static struct ub_factory *f;

static int setup(void **state)
{
	(void)state;
	ub_unhex(master, 32, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
	f = ub_factory_new(master, 32);
	return f ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ub_factory_free(f);
	return 0;
}

static void readme_vectors(void **state)
{
	struct ub_factory_creds c;

	(void)state;
	assert_int_equal(ub_factory_derive(f, "IMEI:490154203237518", "dm.operator.example", &c),
			 0);
	assert_string_equal(c.client_name, "u1-c3a899d905c4383e49b5");
	assert_string_equal(c.client_secret, "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ");
	assert_string_equal(c.server_secret, "QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw");
	assert_int_equal(ub_factory_derive(f, "MEID:A0000000002329", "dm.operator.example", &c), 0);
	assert_string_equal(c.client_name, "u1-21dad70f1002c7700959");
}

/* Full HKDF (extract + expand) by OpenSSL's EVP_KDF, for comparison. */
static void evp_hkdf(const char *info_label, const char *dev, const char *srv, uint8_t *out,
		     size_t olen)
{
	uint8_t info[400];
	size_t n = 0;
	const char *parts[3] = {info_label, dev, srv};
	int i, mode = EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND;
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
	OSSL_PARAM p[6];

	for (i = 0; i < 3; i++) {
		size_t l = strlen(parts[i]);

		info[n++] = (uint8_t)(l >> 8);
		info[n++] = (uint8_t)l;
		memcpy(info + n, parts[i], l);
		n += l;
	}
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
	p[1] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, master, 32);
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (char *)UB_FACTORY_SALT,
						 strlen(UB_FACTORY_SALT));
	p[4] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n);
	p[5] = OSSL_PARAM_construct_end();
	assert_true(EVP_KDF_derive(ctx, out, olen, p) > 0);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
}

static void expand_equals_evp_kdf(void **state)
{
	struct ub_factory_creds c;
	uint8_t name[10];
	char hex[21];

	(void)state;
	assert_int_equal(ub_factory_derive(f, "IMEI:356938035643809", "srv", &c), 0);
	evp_hkdf("client-name", "IMEI:356938035643809", "srv", name, sizeof(name));
	assert_string_equal(c.client_name + 3, ub_hex(hex, name, sizeof(name)));
}

static void unique_and_refusals(void **state)
{
	struct ub_factory_creds a, b;

	(void)state;
	assert_int_equal(ub_factory_derive(f, "IMEI:1", "s1", &a), 0);
	assert_int_equal(ub_factory_derive(f, "IMEI:1", "s2", &b), 0);
	assert_string_not_equal(a.client_secret, b.client_secret);
	assert_int_equal(ub_factory_derive(f, "IMEI:2", "s1", &b), 0);
	assert_string_not_equal(a.client_name, b.client_name);
	/* length prefixes: moving a character across the boundary changes everything */
	assert_int_equal(ub_factory_derive(f, "ab", "c", &a), 0);
	assert_int_equal(ub_factory_derive(f, "a", "bc", &b), 0);
	assert_string_not_equal(a.client_name, b.client_name);
	assert_int_equal(ub_factory_derive(f, "", "s1", &a), UB_E_BAD_DATA);
	assert_int_equal(ub_factory_derive(f, "IMEI 1", "s1", &a), UB_E_BAD_DATA);
	assert_int_equal(ub_factory_derive(f, "IMEI:1", "s\n1", &a), UB_E_BAD_DATA);
	assert_null(ub_factory_new(master, 15));
	assert_null(ub_factory_new(master, 65));
}

static void check(void **state)
{
	struct ub_factory_creds c;

	(void)state;
	assert_int_equal(ub_factory_derive(f, "IMEI:490154203237518", "dm.operator.example", &c),
			 0);
	assert_int_equal(ub_factory_check(&c, "u1-c3a899d905c4383e49b5",
					  "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ", NULL),
			 0);
	assert_int_equal(ub_factory_check(&c, "u1-c3a899d905c4383e49b5",
					  "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ",
					  "QfqGTUNJ9xi9Zt8A8jQYOjjycwt0CDFw"),
			 0);
	assert_int_equal(ub_factory_check(&c, "u1-c3a899d905c4383e49b5",
					  "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTR", NULL),
			 UB_E_MAC);
	assert_int_equal(ub_factory_check(&c, "u1-c3a899d905c4383e49b5",
					  "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXT", NULL),
			 UB_E_MAC);
	assert_int_equal(ub_factory_check(&c, "u1-c3a899d905c4383e49b4",
					  "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ", NULL),
			 UB_E_MAC);
	assert_int_equal(ub_factory_check(&c, "u1-c3a899d905c4383e49b5",
					  "aKku0Flsk13s5SR4XJ8uNxKDuUz5CXTQ", "wrong"),
			 UB_E_MAC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(readme_vectors),
		cmocka_unit_test(expand_equals_evp_kdf),
		cmocka_unit_test(unique_and_refusals),
		cmocka_unit_test(check),
	};

	return cmocka_run_group_tests_name("factory credentials", tests, setup, teardown);
}
