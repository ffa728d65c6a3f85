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

#define UB_SMS_PARTS_MAX_TEST 16

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

/* sms decode's call: TPDUs captured, decoded offline. */
#define ADD(n, v)                                                                             \
	"<Add><CmdID>" #n "</CmdID><Item><Target><LocURI>./DMAcc/op/" #v "</LocURI></Target>" \
	"<Data>" #v ".value.that.takes.some.room.in.the.push.example</Data></Item></Add>"
static const char long_doc[] =
	"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2"
	"</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>IMEI:1"
	"</LocURI></Target><Source><LocURI>op</LocURI></Source></SyncHdr><SyncBody>"
	"<Add><CmdID>1</CmdID><Item><Target><LocURI>./DMAcc/op/ServerID</LocURI>"
	"</Target><Data>op.example</Data></Item></Add>" ADD(2, Name) ADD(3, AddrA) ADD(4, AddrB)
		ADD(5, AddrC) "<Final/></SyncBody></SyncML>";

struct captured {
	uint8_t b[UB_SMS_PARTS_MAX_TEST][UB_SMS_DECODE_TPDU_MAX];
	struct ub_sms_tpdu_in in[UB_SMS_PARTS_MAX_TEST];
	size_t n;
	struct ub_sms_push r;
};

/* The long document as sms send makes it (USERPIN, PIN 1234, the empty
 * SMSC in front): its TPDUs in c. */
static void capture(struct captured *c, uint16_t ref)
{
	struct ub_sms_send_opts o = {.sec = "USERPIN",
				     .user_pin = "1234",
				     .originator = "+10000000000",
				     .smsc = "",
				     .src_port = 9200,
				     .ref_bits = 16,
				     .ref = ref,
				     .dcs = 0x04,
				     .tid = 1,
				     .time = 1700000000};
	struct ub_sms_part_out p;
	struct ub_status st = {0};
	int n, i;

	memset(c, 0, sizeof(*c));
	assert_int_equal(
		ub_sms_push_build((const uint8_t *)long_doc, sizeof(long_doc) - 1, &o, &c->r, &st),
		0);
	n = ub_sms_push_parts(&c->r, &o);
	assert_true(n >= 3 && n <= UB_SMS_PARTS_MAX_TEST);
	for (i = 0; i < n; i++) {
		assert_int_equal(ub_sms_push_part(&c->r, &o, (unsigned)i, &p), 0);
		memcpy(c->b[i], p.tpdu, p.tpdu_len);
		c->in[i].b = c->b[i];
		c->in[i].n = p.tpdu_len;
	}
	c->n = (size_t)n;
}

/* A push of several parts, given in reverse order, with a TPDU of
 * another message between them: one message, the push's fields as sent. */
static void sms_decode_reassembled(void **state)
{
	static struct captured c;
	struct ub_sms_tpdu_in in[UB_SMS_PARTS_MAX_TEST + 1];
	struct ub_sms_decode_opts o = {.has_smsc = true};
	struct ub_sms_decoded r;
	const struct ub_sms_decoded_message *m;
	struct ub_status st = {0};
	size_t i, k = 0;

	(void)state;
	capture(&c, 7);
	for (i = c.n; i-- > 0;) {
		in[k++] = c.in[i];
		if (i == 1) /* a text from someone else: GSM 7-bit "hello" */
			in[k++] = (struct ub_sms_tpdu_in){
				(const uint8_t
					 *)"\x00\x04\x0b\x91\x10\x32\x54\x76\x98\xf0\x00\x00"
					   "\x32\x11\x70\x13\x00\x00\x00\x05\xe8\x32\x9b\xfd\x06",
				25};
	}
	assert_int_equal(ub_sms_decode(in, k, &o, &r, &st), 0);
	assert_int_equal(r.ntpdus, k);
	assert_int_equal(r.nmessages, 1);
	m = &r.messages[0];
	assert_int_equal(m->err, 0);
	assert_int_equal(m->ntpdus, c.n);
	for (i = 0; i < c.n; i++) /* in the order given */
		assert_int_equal(m->tpdus[i], i < c.n - 1 ? i : i + 1);
	assert_string_equal(r.tpdus[c.n - 1].alphabet, "GSM 7-bit");
	assert_false(r.tpdus[c.n - 1].data_8bit);
	assert_int_equal(r.tpdus[c.n - 1].message, -1);
	assert_string_equal(r.tpdus[0].alphabet, "8-bit");
	assert_true(r.tpdus[0].concat && r.tpdus[0].has_ports);
	assert_int_equal(r.tpdus[0].seq, c.n);
	assert_int_equal(r.tpdus[0].total, c.n);
	assert_int_equal(r.tpdus[0].ref, 7);
	assert_int_equal(r.tpdus[0].dst_port, 2948);
	assert_string_equal(r.tpdus[0].originator, "+10000000000");
	assert_string_equal(r.tpdus[0].scts, "2023-11-14T22:13:20+00:00");
	assert_int_equal(r.tpdus[0].message, 0);
	assert_string_equal(m->kind, "DM bootstrap");
	assert_int_equal(m->tid, 1);
	assert_string_equal(m->media, "application/vnd.syncml.dm+wbxml");
	assert_true(m->has_sec && m->has_mac && m->has_app_id);
	assert_int_equal(m->app_code, 7);
	assert_int_equal(strcasecmp(m->mac, c.r.mac), 0);
	assert_int_equal(m->wdp_len, c.r.wsp_len);
	assert_memory_equal(m->wdp, c.r.wsp, c.r.wsp_len);
	assert_int_equal(m->body_len, c.r.wbxml_len);
	assert_memory_equal(m->body, c.r.wbxml, c.r.wbxml_len);
	assert_true(m->content_type_len > 0 && m->content_type > m->wdp);
	assert_false(m->mac_checked); /* no keys */
	ub_sms_decoded_free(&r);
	assert_null(r.tpdus);
	ub_sms_decoded_free(&r); /* twice is fine */
	ub_sms_decoded_free(NULL);
	ub_sms_push_free(&c.r);
}

/* A part missing: the message is incomplete, and says which part. */
static void sms_decode_part_missing(void **state)
{
	static struct captured c;
	struct ub_sms_decode_opts o = {.has_smsc = true};
	struct ub_sms_decoded r;
	struct ub_status st = {0};

	(void)state;
	capture(&c, 8);
	c.in[1] = c.in[c.n - 1];
	assert_int_equal(ub_sms_decode(c.in, c.n - 1, &o, &r, &st), 0);
	assert_int_equal(r.nmessages, 1);
	assert_int_equal(r.messages[0].err, UB_E_NOT_FOUND);
	assert_true(r.messages[0].incomplete);
	assert_non_null(strstr(r.messages[0].why.what, "part 2 of"));
	assert_null(r.messages[0].wdp);
	assert_null(r.messages[0].kind);
	ub_sms_decoded_free(&r);
	ub_sms_push_free(&c.r);
}

/* The MAC with the sender's keys: verifies with the PIN it was made with,
 * not with another, and a key missing is said. */
static void sms_decode_mac(void **state)
{
	static struct captured c;
	struct ub_sms_decode_keys k = {.user_pin = "1234"};
	struct ub_sms_decode_opts o = {.has_smsc = true, .keys = &k};
	struct ub_sms_decoded r;
	struct ub_status st = {0};

	(void)state;
	capture(&c, 9);
	assert_int_equal(ub_sms_decode(c.in, c.n, &o, &r, &st), 0);
	assert_true(r.messages[0].mac_checked);
	assert_true(r.messages[0].mac_verified);
	assert_int_equal(r.messages[0].mac_err, 0);
	assert_string_equal(r.messages[0].mac_sec, "USERPIN");
	ub_sms_decoded_free(&r);
	k.user_pin = "4321";
	assert_int_equal(ub_sms_decode(c.in, c.n, &o, &r, &st), 0);
	assert_true(r.messages[0].mac_checked);
	assert_false(r.messages[0].mac_verified);
	assert_int_equal(r.messages[0].mac_err, UB_E_MAC);
	assert_string_equal(r.messages[0].mac_sec, "USERPIN");
	assert_non_null(strstr(r.messages[0].mac_why.what, "does not verify"));
	ub_sms_decoded_free(&r);
	k.user_pin = NULL;
	assert_int_equal(ub_sms_decode(c.in, c.n, &o, &r, &st), 0);
	assert_int_equal(r.messages[0].mac_err, UB_E_USAGE);
	assert_non_null(strstr(r.messages[0].mac_why.what, "the user PIN"));
	ub_sms_decoded_free(&r);
	ub_sms_push_free(&c.r);
}

/* USERPINMAC, attacked: a push whose check digits were made with another
 * key (the attacker's), read with the operator's key digits K alone.  The
 * PIN K || digits(K, body) matches any body, so K verifies nothing: the
 * MAC is not said to verify; with the PIN the user was told it does not
 * verify, and the operator's own push does with that PIN. */
static const char evil_doc[] =
	"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2"
	"</VerProto><SessionID>1</SessionID><MsgID>1</MsgID><Target><LocURI>IMEI:1"
	"</LocURI></Target><Source><LocURI>evil</LocURI></Source></SyncHdr><SyncBody>"
	"<Add><CmdID>1</CmdID><Item><Target><LocURI>./DMAcc/evil/ServerID</LocURI>"
	"</Target><Data>evil.example</Data></Item></Add><Final/></SyncBody></SyncML>";

static void sms_decode_userpinmac_key(void **state)
{
	struct ub_sms_send_opts so = {.sec = "USERPINMAC",
				      .userpinmac_key = "66666",
				      .originator = "+10000000000",
				      .smsc = "",
				      .src_port = 9200,
				      .dcs = 0x04,
				      .tid = 1,
				      .time = 1700000000};
	struct ub_sms_decode_keys k = {.userpinmac_key = "13579"};
	struct ub_sms_decode_opts o = {.has_smsc = true, .keys = &k};
	struct ub_sms_push ours, theirs;
	struct ub_sms_part_out p;
	struct ub_sms_tpdu_in in;
	struct ub_sms_decoded r;
	struct ub_status st = {0};
	uint8_t b[UB_SMS_DECODE_TPDU_MAX];
	char pin[41];

	(void)state;
	so.userpinmac_key = "13579"; /* the operator's */
	assert_int_equal(
		ub_sms_push_build((const uint8_t *)dm_doc, sizeof(dm_doc) - 1, &so, &ours, &st), 0);
	snprintf(pin, sizeof(pin), "%s", ours.userpin);
	so.userpinmac_key = "66666"; /* the attacker's */
	assert_int_equal(ub_sms_push_build((const uint8_t *)evil_doc, sizeof(evil_doc) - 1, &so,
					   &theirs, &st),
			 0);
	assert_int_equal(ub_sms_push_parts(&theirs, &so), 1);
	assert_int_equal(ub_sms_push_part(&theirs, &so, 0, &p), 0);
	memcpy(b, p.tpdu, p.tpdu_len);
	in = (struct ub_sms_tpdu_in){b, p.tpdu_len};
	assert_int_equal(ub_sms_decode(&in, 1, &o, &r, &st), 0);
	assert_int_equal(r.messages[0].err, 0);
	assert_true(r.messages[0].mac_checked);
	assert_false(r.messages[0].mac_verified);
	assert_int_equal(r.messages[0].mac_err, UB_E_USAGE);
	assert_non_null(strstr(r.messages[0].mac_why.what, "PIN"));
	ub_sms_decoded_free(&r);
	k.user_pin = pin; /* the PIN the user was told */
	assert_int_equal(ub_sms_decode(&in, 1, &o, &r, &st), 0);
	assert_false(r.messages[0].mac_verified);
	assert_int_equal(r.messages[0].mac_err, UB_E_MAC);
	ub_sms_decoded_free(&r);
	assert_int_equal(ub_sms_push_part(&ours, &so, 0, &p), 0);
	memcpy(b, p.tpdu, p.tpdu_len);
	in = (struct ub_sms_tpdu_in){b, p.tpdu_len};
	assert_int_equal(ub_sms_decode(&in, 1, &o, &r, &st), 0);
	assert_true(r.messages[0].mac_verified);
	assert_string_equal(r.messages[0].mac_sec, "USERPINMAC");
	ub_sms_decoded_free(&r);
	memset(pin, 0, sizeof(pin));
	ub_sms_push_free(&ours);
	ub_sms_push_free(&theirs);
}

/* Hostile TPDUs are refused one by one, with the reason; the others
 * decode. */
static void sms_decode_refused(void **state)
{
	static struct captured c;
	static uint8_t big[UB_SMS_DECODE_TPDU_MAX + 1];
	struct ub_sms_tpdu_in in[4];
	struct ub_sms_decode_opts o = {.has_smsc = true};
	struct ub_sms_decoded r;
	struct ub_status st = {0};

	(void)state;
	capture(&c, 10);
	in[0] = (struct ub_sms_tpdu_in){(const uint8_t *)"\x00\x04\x0b\x91", 4}; /* cut short */
	in[1] = (struct ub_sms_tpdu_in){big, sizeof(big)};
	in[2] = (struct ub_sms_tpdu_in){c.in[0].b + 1, c.in[0].n - 1}; /* no SMSC, said to have */
	in[3] = c.in[0];
	assert_int_equal(ub_sms_decode(in, 4, &o, &r, &st), 0);
	assert_int_equal(r.ntpdus, 4);
	assert_int_equal(r.tpdus[0].err, UB_E_BAD_DATA);
	assert_int_equal(r.tpdus[1].err, UB_E_BAD_DATA);
	assert_non_null(strstr(r.tpdus[1].why.what, "longer than 176"));
	assert_true(r.tpdus[2].err < 0);
	assert_true(r.tpdus[0].why.what[0] && r.tpdus[2].why.what[0]);
	assert_int_equal(r.tpdus[0].message, -1);
	assert_int_equal(r.tpdus[3].err, 0);
	assert_int_equal(r.nmessages, 1); /* part 1 alone: incomplete */
	assert_int_equal(r.messages[0].ntpdus, 1);
	assert_int_equal(r.messages[0].tpdus[0], 3);
	assert_true(r.messages[0].incomplete);
	ub_sms_decoded_free(&r);
	/* the same octets without the SMSC: refused the other way round */
	o.has_smsc = false;
	assert_int_equal(ub_sms_decode(&in[2], 2, &o, &r, &st), 0);
	assert_int_equal(r.tpdus[0].err, 0);
	assert_true(r.tpdus[1].err < 0);
	ub_sms_decoded_free(&r);
	ub_sms_push_free(&c.r);
}

/* The bounds, said: more than UB_SMS_DECODE_MAX TPDUs refused whole; more
 * than UB_SMS_DECODE_PARTS_MAX of one message flagged. */
static void sms_decode_limits(void **state)
{
	static struct captured c;
	static struct ub_sms_tpdu_in in[UB_SMS_DECODE_MAX + 1];
	struct ub_sms_decode_opts o = {.has_smsc = true};
	struct ub_sms_decoded r;
	struct ub_status st = {0};
	size_t i;

	(void)state;
	capture(&c, 11);
	for (i = 0; i <= UB_SMS_DECODE_MAX; i++)
		in[i] = c.in[0];
	assert_int_equal(ub_sms_decode(in, UB_SMS_DECODE_MAX + 1, &o, &r, &st), UB_E_USAGE);
	assert_non_null(strstr(st.what, "more than 4096 TPDUs"));
	assert_int_equal(r.ntpdus, 0);
	assert_null(r.messages);
	ub_sms_decoded_free(&r);
	assert_int_equal(ub_sms_decode(in, UB_SMS_DECODE_MAX, &o, &r, &st), 0);
	assert_int_equal(r.ntpdus, UB_SMS_DECODE_MAX);
	/* 4096 copies of part 1: 255 a message, the last of 16 */
	assert_int_equal(r.nmessages, 17);
	for (i = 0; i < 16; i++) {
		assert_int_equal(r.messages[i].ntpdus, UB_SMS_DECODE_PARTS_MAX);
		assert_true(r.messages[i].parts_limit);
		assert_true(r.messages[i].incomplete);
	}
	assert_int_equal(r.messages[16].ntpdus, UB_SMS_DECODE_MAX - 16 * UB_SMS_DECODE_PARTS_MAX);
	assert_false(r.messages[16].parts_limit);
	ub_sms_decoded_free(&r);
	assert_int_equal(ub_sms_decode(NULL, 1, &o, &r, &st), UB_E_USAGE);
	assert_int_equal(ub_sms_decode(in, 0, &o, &r, &st), 0);
	assert_int_equal(r.ntpdus + r.nmessages, 0);
	ub_sms_decoded_free(&r);
	ub_sms_push_free(&c.r);
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
		cmocka_unit_test(sms_decode_reassembled),
		cmocka_unit_test(sms_decode_part_missing),
		cmocka_unit_test(sms_decode_mac),
		cmocka_unit_test(sms_decode_userpinmac_key),
		cmocka_unit_test(sms_decode_refused),
		cmocka_unit_test(sms_decode_limits),
		cmocka_unit_test(lwm2m_values),
		cmocka_unit_test(card_readers),
		cmocka_unit_test(gba_helpers),
		cmocka_unit_test(gba_card_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
