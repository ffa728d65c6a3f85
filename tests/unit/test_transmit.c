/* The APDU engine against scripted exchanges, T=0 and T=1 (no pcscd). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scard_fake.h"
#include "ub_hex.h"
#include "ub_error.h"
#include "ub_pcsc.h"
#include "ub_sw.h"

#define RUN(steps, proto) fake_script(steps, sizeof(steps) / sizeof(steps[0]), proto)

static struct ub_card card;
static uint8_t buf[1024];
static char hex[2100];

static void card_init(DWORD proto)
{
	memset(&card, 0, sizeof(card));
	card.ops = &ub_pcsc_link;
	card.proto = proto;
	card.h = 7;
}

static const char *resp_hex(const struct ub_apdu *a)
{
	return ub_hex(hex, a->resp, a->resp_len);
}

static const uint8_t usim_aid[] = {0xA0, 0x00, 0x00, 0x00, 0x87, 0x10, 0x02};

static void t1_case4_direct(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040407a000000087100200",
		 "621a82027821"
		 "9000",
		 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xA4, 0x04, 0x04, usim_aid, 7, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_string_equal(resp_hex(&a), "621a82027821");
	assert_int_equal(card.apdus, 1);
}

static void t0_case4_drops_le_and_gets_response(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040407a0000000871002", "6106", 0},
		{"00c0000006", "6204820278219000", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0xA4, 0x04, 0x04, usim_aid, 7, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_string_equal(resp_hex(&a), "620482027821");
	assert_int_equal(card.apdus, 2);
}

static void chain_of_61xx(void **state)
{
	static const struct fake_step s[] = {
		{"0088008101aa", "6104", 0},
		{"00c0000004", "010203046103", 0},
		{"00c0000003", "0506076102", 0},
		{"00c0000002", "08099000", 0},
	};
	uint8_t d[17] = {0xaa};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	memset(d, 0xaa, sizeof(d));
	ub_apdu_set(&a, 0x00, 0x88, 0x00, 0x81, d, 1, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_string_equal(resp_hex(&a), "010203040506070809");
	assert_int_equal(fake_pos(), 4);
}

static void wrong_le_6cxx_once(void **state)
{
	static const struct fake_step s[] = {
		{"00b2010400", "6c05", 0},
		{"00b2010405", "01020304059000", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xB2, 0x01, 0x04, NULL, 0, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_string_equal(resp_hex(&a), "0102030405");
}

static void wrong_le_not_retried_twice(void **state)
{
	static const struct fake_step s[] = {
		{"00b2010400", "6c05", 0},
		{"00b2010405", "6c07", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0xB2, 0x01, 0x04, NULL, 0, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x6C07);
	assert_int_equal(a.resp_len, 0);
	assert_int_equal(fake_pos(), 2);
}

static void t0_warning_after_case4(void **state)
{
	/* ISO 7816-3 case 4S with 62xx: GET RESPONSE 00, then 6Cxx, data; the
	 * warning is what the caller sees. */
	static const struct fake_step s[] = {
		{"00a4040407a0000000871002", "6283", 0},
		{"00c0000000", "6c03", 0},
		{"00c0000003", "6201029000", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0xA4, 0x04, 0x04, usim_aid, 7, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x6283);
	assert_string_equal(resp_hex(&a), "620102");
}

static void t0_warning_without_data(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040407a0000000871002", "63c1", 0},
		{"00c0000000", "6f00", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0xA4, 0x04, 0x04, usim_aid, 7, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x63C1);
	assert_int_equal(a.resp_len, 0);
}

static void warning_on_case3_is_final(void **state)
{
	/* VERIFY is case 3: a 63Cx is the answer, no GET RESPONSE. */
	static const struct fake_step s[] = {
		{"0020000108313233340000ffff", "63c2", 0},
	};
	static const uint8_t pin[8] = {'1', '2', '3', '4', 0, 0, 0xff, 0xff};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0x20, 0x00, 0x01, pin, 8, -1, NULL, 0);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x63C2);
}

static void legacy_9fxx(void **state)
{
	static const struct fake_step s[] = {
		{"a0a40000027f20", "9f04", 0},
		{"a0c0000004", "000010009000", 0},
	};
	static const uint8_t fid[] = {0x7F, 0x20};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0xA0, 0xA4, 0x00, 0x00, fid, 2, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.sw, 0x9000);
	assert_string_equal(resp_hex(&a), "00001000");
}

static void le_256_and_case1(void **state)
{
	static const struct fake_step s[] = {
		{"00b0000000", "aabb9000", 0},
		{"0070800100", "9000", 0},
		{"00708001", "9000", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T0);
	RUN(s, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0xB0, 0x00, 0x00, NULL, 0, 256, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_int_equal(a.resp_len, 2);
	ub_apdu_set(&a, 0x00, 0x70, 0x80, 0x01, NULL, 0, -1, NULL, 0);
	assert_int_equal(ub_transmit(&card, &a), 0); /* T=0 case 1: P3 = 00 */
	card.proto = SCARD_PROTOCOL_T1;
	fake_script(s + 2, 1, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0x70, 0x80, 0x01, NULL, 0, -1, NULL, 0);
	assert_int_equal(ub_transmit(&card, &a), 0); /* T=1 case 1: 4 bytes */
}

static void more_than_le_is_cut(void **state)
{
	static const struct fake_step s[] = {
		{"00b0000004", "01020304050607089000", 0},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xB0, 0x00, 0x00, NULL, 0, 4, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_string_equal(resp_hex(&a), "01020304");
}

static void endless_61xx_is_protocol_error(void **state)
{
	static struct fake_step s[80];
	struct ub_apdu a;
	size_t i;

	(void)state;
	s[0] = (struct fake_step){"00b0000010", "6101", 0};
	for (i = 1; i < 80; i++)
		s[i] = (struct fake_step){"00c0000001", "006101", 0};
	card_init(SCARD_PROTOCOL_T0);
	fake_script(s, 80, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0xB0, 0x00, 0x00, NULL, 0, 16, buf, 1024);
	assert_int_equal(ub_transmit(&card, &a), UB_E_PROTO);
	assert_int_equal(a.sw, 0x6101);	  /* what it kept answering, for the message */
	assert_int_equal(fake_pos(), 66); /* the command and 65 GET RESPONSEs, no more */
}

static void reset_mid_sequence(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040c07a0000000871002", "9000", 0},
		{"00b0870009", NULL, SCARD_W_RESET_CARD},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xA4, 0x04, 0x0C, usim_aid, 7, -1, NULL, 0);
	assert_int_equal(ub_transmit(&card, &a), 0);
	ub_apdu_set(&a, 0x00, 0xB0, 0x87, 0x00, NULL, 0, 9, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), UB_E_CARD_RESET);
	assert_int_equal(fake_reconnects(), 1);
	assert_int_equal(card.generation, 1);
	assert_string_equal(ub_errname(UB_E_CARD_RESET), "card-reset");
}

static void removal_and_no_card_are_distinct(void **state)
{
	static const struct fake_step s[] = {
		{"00b0870009", NULL, SCARD_W_REMOVED_CARD},
		{"00b0870009", NULL, SCARD_E_NO_SMARTCARD},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xB0, 0x87, 0x00, NULL, 0, 9, buf, 256);
	assert_int_equal(ub_transmit(&card, &a), UB_E_CARD_REMOVED);
	assert_int_equal(ub_transmit(&card, &a), UB_E_NO_CARD);
	assert_int_equal(fake_reconnects(), 0);
}

/* vpcd reports a card pulled mid-exchange as a communication error or as
 * an empty "successful" answer; the reader state (EMPTY, maybe after an
 * intermediate change) tells a removal from a protocol error. */
static void removal_seen_in_reader_state(void **state)
{
	static const char ms[] = "R\0";
	static const struct fake_step s[] = {
		{"00b0870009", NULL, SCARD_E_NOT_TRANSACTED},
		{"00b0870009", "", 0},
		{"00b0870009", "", 0},
		{"00b0870009", NULL, SCARD_F_COMM_ERROR},
	};
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	card.reader[0] = 'R';
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xB0, 0x87, 0x00, NULL, 0, 9, buf, 256);
	fake_readers(ms, sizeof(ms), 1, 0, 0); /* empty at the first wait */
	assert_int_equal(ub_transmit(&card, &a), UB_E_CARD_REMOVED);
	fake_readers(ms, sizeof(ms), 1, 1, 0); /* a change first, then empty */
	assert_int_equal(ub_transmit(&card, &a), UB_E_CARD_REMOVED);
	fake_readers(ms, sizeof(ms), 1, -1, 0); /* the card stays */
	assert_int_equal(ub_transmit(&card, &a), UB_E_PROTO);
	assert_int_equal(ub_transmit(&card, &a), UB_E_PROTO);
}

static void bad_usage(void **state)
{
	struct ub_apdu a;

	(void)state;
	card_init(SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0xB0, 0, 0, buf, 256, -1, NULL, 0);
	assert_int_equal(ub_transmit(&card, &a), UB_E_USAGE);
	ub_apdu_set(&a, 0x00, 0xB0, 0, 0, NULL, 0, 257, buf, 300);
	assert_int_equal(ub_transmit(&card, &a), UB_E_USAGE);
}

static void trace_redacts_secrets(void **state)
{
	static const struct fake_step s[] = {
		{"0020000108313233340000ffff", "9000", 0},
		{"0088008101aa", "db02cafe9000", 0},
		{"0020000108313233340000ffff", "9000", 0},
	};
	static const uint8_t pin[8] = {'1', '2', '3', '4', 0, 0, 0xff, 0xff};
	struct ub_trace tr = {{NULL, NULL}, false};
	struct ub_apdu a;
	char *out = NULL;
	size_t len = 0;
	uint8_t one = 0xaa;

	(void)state;
	tr.fp[1] = open_memstream(&out, &len);
	card_init(SCARD_PROTOCOL_T1);
	card.trace = &tr;
	RUN(s, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0x20, 0x00, 0x01, pin, 8, -1, NULL, 0);
	a.flags = UB_APDU_SECRET_CMD;
	assert_int_equal(ub_transmit(&card, &a), 0);
	ub_apdu_set(&a, 0x00, 0x88, 0x00, 0x81, &one, 1, -1, buf, 256);
	a.flags = UB_APDU_SECRET_RESP;
	assert_int_equal(ub_transmit(&card, &a), 0);
	tr.secrets = true;
	ub_apdu_set(&a, 0x00, 0x20, 0x00, 0x01, pin, 8, -1, NULL, 0);
	a.flags = UB_APDU_SECRET_CMD;
	assert_int_equal(ub_transmit(&card, &a), 0);
	fclose(tr.fp[1]);
	assert_string_equal(out, "> 00 20 00 01 08 XX XX XX XX XX XX XX XX\n"
				 "< 90 00\n"
				 "> 00 88 00 81 01 AA\n"
				 "< XX XX XX XX 90 00\n"
				 "> 00 20 00 01 08 31 32 33 34 00 00 FF FF\n"
				 "< 90 00\n");
	free(out);
}

/* A secret command re-issued after 6Cxx, and the GET RESPONSE of a
 * secret one on T=0, keep all the caller's secret flags: the re-sent
 * command data is as secret as the first. */
static void trace_redacts_reissued(void **state)
{
	static const struct fake_step s1[] = {
		{"00880081041122334400", "6c04", 0},
		{"00880081041122334404", "cafebabe9000", 0},
	};
	static const struct fake_step s0[] = {
		{"008800810411223344", "6104", 0},
		{"00c0000004", "cafebabe9000", 0},
	};
	static const uint8_t key[4] = {0x11, 0x22, 0x33, 0x44};
	struct ub_trace tr = {{NULL, NULL}, false};
	struct ub_apdu a;
	char *out = NULL;
	size_t len = 0;

	(void)state;
	tr.fp[1] = open_memstream(&out, &len);
	card_init(SCARD_PROTOCOL_T1);
	card.trace = &tr;
	RUN(s1, SCARD_PROTOCOL_T1);
	ub_apdu_set(&a, 0x00, 0x88, 0x00, 0x81, key, 4, 0, buf, 256);
	a.flags = UB_APDU_SECRET_CMD | UB_APDU_SECRET_RESP;
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_string_equal(resp_hex(&a), "cafebabe");
	card_init(SCARD_PROTOCOL_T0);
	card.trace = &tr;
	RUN(s0, SCARD_PROTOCOL_T0);
	ub_apdu_set(&a, 0x00, 0x88, 0x00, 0x81, key, 4, 0, buf, 256);
	a.flags = UB_APDU_SECRET_CMD | UB_APDU_SECRET_RESP;
	assert_int_equal(ub_transmit(&card, &a), 0);
	assert_string_equal(resp_hex(&a), "cafebabe");
	fclose(tr.fp[1]);
	assert_string_equal(out, "> 00 88 00 81 04 XX XX XX XX XX\n"
				 "< 6C 04\n"
				 "> 00 88 00 81 04 XX XX XX XX XX\n"
				 "< XX XX XX XX 90 00\n"
				 "> 00 88 00 81 04 XX XX XX XX\n"
				 "< 61 04\n"
				 "> 00 C0 00 00 04\n"
				 "< XX XX XX XX 90 00\n");
	free(out);
}

static void reader_pick(void **state)
{
	struct ub_reader_info l[3] = {{.name = "Alcor AU9560 00 00"},
				      {.name = "Virtual PCD 00 00", .card_present = true},
				      {.name = "Virtual PCD 00 01"}};

	(void)state;
	assert_int_equal(ub_reader_pick(l, 3, NULL), 1);
	assert_int_equal(ub_reader_pick(l, 3, "2"), 2);
	assert_int_equal(ub_reader_pick(l, 3, "3"), UB_E_NO_READER);
	assert_int_equal(ub_reader_pick(l, 3, "Virtual PCD 00 01"), 2);
	assert_int_equal(ub_reader_pick(l, 3, "Alcor"), 0);
	assert_int_equal(ub_reader_pick(l, 3, "Gemalto"), UB_E_NO_READER);
	l[1].card_present = false;
	assert_int_equal(ub_reader_pick(l, 3, NULL), UB_E_NO_CARD);
	assert_int_equal(ub_reader_pick(l, 0, NULL), UB_E_NO_READER);
}

static void wait_card_uses_status_change(void **state)
{
	static const char ms[] = "Reader A\0Reader B\0";
	char name[UB_READER_NAME_MAX];

	(void)state;
	fake_readers(ms, sizeof(ms), 0, 0, 2); /* card into B at the first wait */
	assert_int_equal(ub_wait_card(1, NULL, 5000, name), 0);
	assert_string_equal(name, "Reader B");
	fake_readers(ms, sizeof(ms), 0, -1, 0); /* nothing ever happens */
	assert_int_equal(ub_wait_card(1, "A", 100, name), UB_E_TIMEOUT);
	assert_int_equal(ub_wait_card(1, "A", 0, name), UB_E_NO_CARD);
	assert_int_equal(ub_wait_card(1, "C", 0, name), UB_E_NO_READER);
}

/* The one table of status words: what each means, and which depend on
 * the command (TS 102 221 10.2.1, TS 31.102 7.3.1). */
static void sw_table(void **state)
{
	(void)state;
	assert_int_equal(ub_sw_err(0xA4, 0x9000), 0);
	assert_int_equal(ub_sw_err(0xA4, 0x6A82), UB_E_NOT_FOUND);
	assert_int_equal(ub_sw_err(0xB2, 0x6A83), UB_E_NOT_FOUND);
	assert_int_equal(ub_sw_err(0xA4, 0x9404), UB_E_NOT_FOUND);
	assert_int_equal(ub_sw_err(0xB0, 0x6982), UB_E_SECURITY);
	assert_int_equal(ub_sw_err(0xB0, 0x9804), UB_E_SECURITY);
	assert_int_equal(ub_sw_err(0x20, 0x6983), UB_E_PIN_BLOCKED);
	assert_int_equal(ub_sw_err(0x20, 0x63C0), UB_E_PIN_BLOCKED);
	assert_int_equal(ub_sw_err(0x20, 0x63C2), UB_E_PIN_WRONG);
	assert_int_equal(ub_sw_err(0x20, 0x63CF), UB_E_PIN_WRONG);
	assert_int_equal(ub_sw_err(0x88, 0x9862), UB_E_AUTH_MAC);
	assert_int_equal(ub_sw_err(0x88, 0x9864), UB_E_AUTH_CONTEXT);
	assert_int_equal(ub_sw_err(0x88, 0x6985), UB_E_KEY_EXPIRED);
	/* only AUTHENTICATE's: elsewhere they are just status words */
	assert_int_equal(ub_sw_err(0xB0, 0x6985), UB_E_SW);
	assert_int_equal(ub_sw_err(0xA4, 0x9862), UB_E_SW);
	/* the rest, warnings and procedure answers included, is UB_E_SW */
	assert_int_equal(ub_sw_err(0xB0, 0x6282), UB_E_SW);
	assert_int_equal(ub_sw_err(0xB0, 0x6100), UB_E_SW);
	assert_int_equal(ub_sw_err(0xB0, 0x0000), UB_E_SW);
	assert_int_equal(ub_sw_err(0xB0, 0x9001), UB_E_SW);
}

static void error_table_complete(void **state)
{
	int e;

	(void)state;
	for (e = 0; e > -UB_E__COUNT; e--) {
		assert_non_null(ub_errname(e));
		assert_true(strlen(ub_strerror(e)) > 5);
		if (e < 0)
			assert_string_not_equal(ub_errname(e), "ok");
	}
	assert_string_equal(ub_errname(-999), "internal");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sw_table),
		cmocka_unit_test(t1_case4_direct),
		cmocka_unit_test(t0_case4_drops_le_and_gets_response),
		cmocka_unit_test(chain_of_61xx),
		cmocka_unit_test(wrong_le_6cxx_once),
		cmocka_unit_test(wrong_le_not_retried_twice),
		cmocka_unit_test(t0_warning_after_case4),
		cmocka_unit_test(t0_warning_without_data),
		cmocka_unit_test(warning_on_case3_is_final),
		cmocka_unit_test(legacy_9fxx),
		cmocka_unit_test(le_256_and_case1),
		cmocka_unit_test(more_than_le_is_cut),
		cmocka_unit_test(endless_61xx_is_protocol_error),
		cmocka_unit_test(reset_mid_sequence),
		cmocka_unit_test(removal_and_no_card_are_distinct),
		cmocka_unit_test(removal_seen_in_reader_state),
		cmocka_unit_test(bad_usage),
		cmocka_unit_test(trace_redacts_secrets),
		cmocka_unit_test(trace_redacts_reissued),
		cmocka_unit_test(reader_pick),
		cmocka_unit_test(wait_card_uses_status_change),
		cmocka_unit_test(error_table_complete),
	};

	return cmocka_run_group_tests_name("pcsc transmit", tests, NULL, NULL);
}
