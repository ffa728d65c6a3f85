/* The public calls the command line is a client of (uiccboot/tree.h,
 * factory.h, sms.h, card.h, gba.h), through their public headers only: what the
 * CLI did itself before is the library's now, and an integrator gets the
 * same results and the same reasons. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "card.h"
#include "factory.h"
#include "gba.h"
#include "hex.h"
#include "lwm2m.h"
#include "scard_fake.h"
#include "sms.h"
#include "tmpdb.h"
#include "tree.h"

#define CHR "<RTProperties><Format><chr/></Format></RTProperties>"
static const char account[] =
	"<MgmtTree><VerDTD>1.2</VerDTD><Node><NodeName>im</NodeName><Path>./DMAcc</Path>"
	"<Node><NodeName>ServerID</NodeName>" CHR "<Value>im.example</Value></Node>"
	"<Node><NodeName>AAuthSecret</NodeName>" CHR "<Value>s3cret</Value></Node>"
	"</Node></MgmtTree>";

static FILE *stream(const char *s, size_t n)
{
	FILE *fp = tmpfile();

	assert_non_null(fp);
	assert_int_equal(fwrite(s, 1, n, fp), n);
	rewind(fp);
	return fp;
}

static struct ub_tree *new_tree(char path[128])
{
	struct ub_tree *t;

	tmpdb_name(path, 128, "/tmp", "api");
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_CREATE, &t, NULL), 0);
	return t;
}

/* tree import: a document in, marked import; a bad one refused with its
 * reason and nothing written; forget takes it away again. */
static void tree_import_and_forget(void **state)
{
	struct ub_apply_result res = {0};
	struct ub_status st = {0};
	struct ub_tree_node n;
	struct ub_tree *t;
	char path[128];
	FILE *fp;
	int before;

	(void)state;
	t = new_tree(path);
	fp = stream(account, sizeof(account) - 1);
	assert_int_equal(ub_tree_import_tnds(t, fp, "import", &res, &st), 0);
	fclose(fp);
	assert_int_equal(res.naccounts, 1);
	assert_int_equal(ub_tree_get(t, "./DMAcc/im/AAuthSecret", &n), 0);
	assert_string_equal(n.source, "import");
	assert_true(ub_tree_is_secret(n.uri));
	assert_false(ub_tree_is_secret("./DMAcc/im/ServerID"));
	ub_tree_node_free(&n);
	ub_apply_result_free(&res);

	before = ub_tree_count(t);
	fp = stream("<MgmtTree><VerDTD>1.2</VerDTD></MgmtTree>", 41);
	assert_int_equal(ub_tree_import_tnds(t, fp, "import", &res, &st), UB_E_BAD_DATA);
	fclose(fp);
	assert_int_equal(st.err, UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "without nodes"));
	assert_int_equal(ub_tree_count(t), before);
	ub_apply_result_free(&res);

	fp = stream(account, sizeof(account) - 1);
	assert_int_equal(ub_tree_import_tnds(t, fp, "push", &res, &st), UB_E_USAGE);
	fclose(fp);
	ub_apply_result_free(&res);

	assert_int_equal(ub_tree_forget_source(t, "import", &res, &st), 0);
	assert_int_equal(res.nremoved, 1);
	assert_string_equal(res.removed[0], "./DMAcc/im");
	ub_apply_result_free(&res);
	assert_int_equal(ub_tree_forget_source(t, "import", &res, &st), UB_E_NOT_FOUND);
	assert_true(st.what[0] != '\0');
	ub_apply_result_free(&res);
	ub_tree_close(t);
	tmpdb_remove(path);
}

/* The key of a key file: 16 to 64 bytes of hex, else refused with what a
 * key is; the context derives what ub_factory_new's does. */
static void factory_key_from_hex(void **state)
{
	static const char hex16[] = "000102030405060708090a0b0c0d0e0f";
	uint8_t key[16];
	struct ub_factory *f, *g;
	struct ub_factory_creds a, b;
	struct ub_status st = {0};

	(void)state;
	assert_int_equal(ub_factory_from_hex("000102030405060708090a0b0c0d0e", &f, &st),
			 UB_E_BAD_DATA);
	assert_null(f);
	assert_string_equal(st.what, "wants 16 to 64 bytes as hex on one line");
	assert_int_equal(ub_factory_from_hex("zz0102030405060708090a0b0c0d0e0f", &f, &st),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_factory_from_hex(hex16, &f, &st), 0);
	assert_int_equal(ub_unhex(key, sizeof(key), hex16), 16);
	g = ub_factory_new(key, sizeof(key));
	assert_non_null(g);
	assert_int_equal(ub_factory_derive(f, "IMEI:490154203237518", "srv", &a), 0);
	assert_int_equal(ub_factory_derive(g, "IMEI:490154203237518", "srv", &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_int_equal(ub_factory_check(&a, a.client_name, a.client_secret, NULL), 0);
	assert_int_equal(ub_factory_check(&a, a.client_name, "wrong", NULL), UB_E_MAC);
	ub_factory_free(f);
	ub_factory_free(g);
}

/* factory apply on a tree without factory accounts: not found, said. */
static void factory_apply_nothing(void **state)
{
	struct ub_apply_result res = {0};
	struct ub_status st = {0};
	struct ub_factory *f;
	struct ub_tree *t;
	char path[128];

	(void)state;
	t = new_tree(path);
	assert_int_equal(ub_factory_from_hex("000102030405060708090a0b0c0d0e0f", &f, &st), 0);
	assert_int_equal(ub_factory_apply(t, f, "dev1", &res, &st), UB_E_NOT_FOUND);
	assert_non_null(strstr(st.what, "no factory-provisioned account"));
	ub_apply_result_free(&res);
	ub_factory_free(f);
	ub_tree_close(t);
	tmpdb_remove(path);
}

static const char dm_doc[] =
	"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2"
	"</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>IMEI:1"
	"</LocURI></Target><Source><LocURI>op</LocURI></Source></SyncHdr><SyncBody>"
	"<Add><CmdID>1</CmdID><Item><Target><LocURI>./DMAcc/op/ServerID</LocURI>"
	"</Target><Data>op.example</Data></Item></Add><Final/></SyncBody></SyncML>";

/* sms send's steps: the SEC names, the keys a SEC needs, the push built
 * and split into TPDUs. */
static void sms_push(void **state)
{
	struct ub_sms_send_opts o = {.originator = "+10000000000",
				     .smsc = "",
				     .src_port = 9200,
				     .ref_bits = 16,
				     .ref = 7,
				     .dcs = 0x04,
				     .tid = 1,
				     .time = 1700000000};
	struct ub_sms_push r;
	struct ub_sms_part_out p;
	struct ub_status st = {0};
	int n;

	(void)state;
	assert_string_equal(ub_sms_sec_name("userpin"), "USERPIN");
	assert_null(ub_sms_sec_name("NOSUCH"));
	o.sec = "USERPIN";
	assert_int_equal(ub_sms_send_keys_missing(&o), UB_SMS_KEY_PIN);
	assert_string_equal(ub_sms_send_key_name(UB_SMS_KEY_PIN), "the user PIN");
	assert_int_equal(
		ub_sms_push_build((const uint8_t *)dm_doc, sizeof(dm_doc) - 1, &o, &r, &st),
		UB_E_USAGE);
	ub_sms_push_free(&r);
	o.user_pin = "1234";
	assert_int_equal(ub_sms_send_keys_missing(&o), 0);
	assert_int_equal(
		ub_sms_push_build((const uint8_t *)dm_doc, sizeof(dm_doc) - 1, &o, &r, &st), 0);
	assert_string_equal(r.kind, "dm1.2");
	assert_int_equal(r.nservers, 1);
	assert_string_equal(r.servers[0], "op.example");
	assert_string_equal(r.sec, "USERPIN");
	assert_int_equal(strlen(r.mac), 40);
	assert_true(r.wbxml_len > 0 && r.wsp_len > r.wbxml_len);
	n = ub_sms_push_parts(&r, &o);
	assert_true(n >= 1);
	assert_int_equal(ub_sms_push_part(&r, &o, 0, &p), 0);
	assert_true(p.tpdu_len > 0 && p.udh_len > 0);
	assert_int_equal(p.data, r.wsp);
	assert_int_equal(ub_sms_push_part(&r, &o, (unsigned)n, &p), UB_E_USAGE);
	ub_sms_push_free(&r);
	assert_null(r.wsp);
	o.user_pin = "12";
	assert_int_equal(
		ub_sms_push_build((const uint8_t *)dm_doc, sizeof(dm_doc) - 1, &o, &r, &st),
		UB_E_POLICY);
	ub_sms_push_free(&r);
}

/* lwm2m list's values: a known resource named and typed, a secret one
 * said to be, bytes of the wrong type refused with the name kept. */
static void lwm2m_values(void **state)
{
	static const uint8_t uri[] = "coaps://lwm2m.example:5684";
	static const uint8_t key[] = {1, 2, 3};
	static const uint8_t mode = 3, bad[3] = {1, 2, 3};
	struct ub_lwm2m_value x;

	(void)state;
	assert_string_equal(ub_lwm2m_obj_name(0), "LwM2M Security");
	assert_null(ub_lwm2m_obj_name(4242));
	assert_int_equal(ub_lwm2m_value_text(0, 0, uri, sizeof(uri) - 1, &x), 0);
	assert_string_equal(x.name, "LwM2M Server URI");
	assert_false(x.secret);
	assert_string_equal(x.value, (const char *)uri);
	assert_non_null(x.type);
	assert_non_null(x.format);
	ub_lwm2m_value_free(&x);
	assert_null(x.value);
	assert_int_equal(ub_lwm2m_value_text(0, 5, key, sizeof(key), &x), 0);
	assert_true(x.secret);
	ub_lwm2m_value_free(&x);
	assert_int_equal(ub_lwm2m_value_text(0, 2, &mode, 1, &x), 0);
	assert_string_equal(x.value, "3");
	ub_lwm2m_value_free(&x);
	assert_int_equal(ub_lwm2m_value_text(0, 2, bad, sizeof(bad), &x), UB_E_BAD_DATA);
	assert_string_equal(x.name, "Security Mode");
	assert_null(x.value);
	ub_lwm2m_value_free(&x);
}

/* readers: the PC/SC readers as the fake lists them, with and without a
 * card; none is no failure. */
static void card_readers(void **state)
{
	static const char two[] = "reader A\0reader B\0";
	const struct fake_step none[] = {{NULL, NULL, 0}};
	struct ub_boot_config cfg = {0};
	struct ub_card_reader *list;
	struct ub_status st = {0};
	size_t n;

	(void)state;
	fake_readers(two, sizeof(two), 2, -1, 2);
	fake_script(none, 0, SCARD_PROTOCOL_T1);
	assert_int_equal(ub_card_readers(&cfg, &list, &n, &st), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "reader A");
	assert_false(list[0].card_present);
	assert_null(list[0].protocol);
	assert_string_equal(list[1].name, "reader B");
	assert_true(list[1].card_present);
	assert_false(list[1].modem);
	ub_card_readers_free(list);
}

/* GBA's pure helpers: the lifetime the command line takes (an xs:dateTime
 * as is, or +SECONDS from now), the B-TID and the NAF_Id, each refusing
 * what does not fit. */
static void gba_helpers(void **state)
{
	static const uint8_t ua[UB_GBA_UA_LEN] = {1, 0, 0, 0, 2};
	uint8_t rand[16] = {0}, naf[UB_GBA_NAF_ID_MAX];
	char out[64], small[8];

	(void)state;
	assert_int_equal(ub_gba_lifetime("+60", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "1970-01-01T00:01:00Z");
	assert_int_equal(ub_gba_lifetime(NULL, 0, out, sizeof(out)), 0);
	assert_string_equal(out, "1970-01-02T00:00:00Z");
	assert_int_equal(ub_gba_lifetime("2030-01-31T12:00:00Z", 0, out, sizeof(out)), 0);
	assert_string_equal(out, "2030-01-31T12:00:00Z");
	assert_int_equal(ub_gba_lifetime("+0", 0, out, sizeof(out)), UB_E_USAGE);
	assert_int_equal(ub_gba_lifetime("+", 0, out, sizeof(out)), UB_E_USAGE);
	assert_int_equal(ub_gba_lifetime("+1x", 0, out, sizeof(out)), UB_E_USAGE);
	assert_int_equal(ub_gba_lifetime("+315360001", 0, out, sizeof(out)), UB_E_USAGE);
	assert_int_equal(ub_gba_lifetime("tomorrow", 0, out, sizeof(out)), UB_E_USAGE);
	assert_int_equal(ub_gba_lifetime("2030-01-31T12:00:00Z", 0, small, sizeof(small)),
			 UB_E_USAGE);
	assert_int_equal(ub_gba_lifetime("+60", 0, small, sizeof(small)), UB_E_USAGE);

	assert_int_equal(ub_gba_btid(rand, "bsf.example", out, sizeof(out)), 0);
	assert_string_equal(out, "AAAAAAAAAAAAAAAAAAAAAA==@bsf.example");
	assert_int_equal(ub_gba_btid(rand, NULL, out, sizeof(out)), UB_E_USAGE);
	assert_int_equal(ub_gba_btid(rand, "bsf.example", small, sizeof(small)), UB_E_USAGE);

	assert_int_equal(ub_gba_naf_id("naf.example", ua, naf, sizeof(naf)), 16);
	assert_memory_equal(naf, "naf.example\x01\0\0\0\x02", 16);
	assert_int_equal(ub_gba_naf_id(NULL, ua, naf, sizeof(naf)), UB_E_USAGE);
	assert_int_equal(ub_gba_naf_id("", ua, naf, sizeof(naf)), UB_E_USAGE);
	assert_int_equal(ub_gba_naf_id("naf.example", ua, naf, 15), UB_E_USAGE);
}

/* The GBA card calls refuse an application that is neither USIM nor ISIM
 * before they ask the card; the key struct is wiped whole. */
static void gba_card_refusals(void **state)
{
	struct ub_session *s = ub_card_session_new();
	struct ub_card_gba_status r;
	struct ub_card_gba_key k;
	struct ub_gba_push_info pi;
	struct ub_status st = {0};
	static const uint8_t zero[sizeof(k)];

	(void)state;
	assert_non_null(s);
	assert_int_equal(ub_card_gba_status(s, "sim", 0, &r, &st), UB_E_USAGE);
	assert_null(r.app);
	assert_int_equal(ub_card_gba_naf_key(s, NULL, NULL, 0, 0, &k, &st), UB_E_USAGE);
	assert_int_equal(ub_gba_push_info_decode((const uint8_t *)"x", 1, &pi), UB_E_BAD_DATA);
	assert_int_equal(ub_card_gba_push(s, NULL, &pi, 0, &k, &st), UB_E_USAGE);
	memset(&k, 0x55, sizeof(k));
	ub_card_gba_key_wipe(&k);
	assert_memory_equal(&k, zero, sizeof(k));
	ub_card_gba_key_wipe(NULL);
	ub_card_session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tree_import_and_forget),
		cmocka_unit_test(factory_key_from_hex),
		cmocka_unit_test(factory_apply_nothing),
		cmocka_unit_test(sms_push),
		cmocka_unit_test(lwm2m_values),
		cmocka_unit_test(card_readers),
		cmocka_unit_test(gba_helpers),
		cmocka_unit_test(gba_card_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
