/* src/lwm2m/: EF LwM2M_Bootstrap (Core Appendix G), TLV (Core 7.4.3), the
 * meaning of /0 and /1, SenML JSON and TLV output.  Known vectors (the TLV
 * examples of Core 7.4.3, AVSystem's published EF example, a Nordic test
 * card's EF), torture tables of what must be refused, and the secrets rule.
 *
 * Also a dump mode for tests/integration/t_lwm2m_ref.sh, which compares the
 * C decoder with the independent Python one:
 *   test_lwm2m --dump [--padding none] FILE...   one canonical JSON line each */
// LIBS: -Wl,--wrap=free -lm
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_lwm2m.h"

static uint8_t buf[40000];
static struct ub_status st;

static size_t H(const char *hex)
{
	char clean[8192];
	size_t i, j = 0;
	int n;

	for (i = 0; hex[i] && j + 1 < sizeof(clean); i++)
		if (hex[i] != ' ')
			clean[j++] = hex[i];
	clean[j] = 0;
	n = ub_unhex(buf, sizeof(buf), clean);
	assert_true(n >= 0);
	return (size_t)n;
}

static int decode(const char *hex, struct ub_lwm2m_boot *b)
{
	return ub_lwm2m_boot_decode(buf, H(hex), NULL, b, &st);
}

static const char *senml_text(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* AVSystem's EF LwM2M_Bootstrap example (Anjay documentation, smart card
 * bootstrap): /0/1 PSK to coaps://eu.iot.avsystem.cloud:5684, /1/1. */
static const char anjay[] = "0002007a 000000 005e 08015b c80022"
			    "636f6170733a2f2f65752e696f742e617673797374656d2e636c6f75643a35363834"
			    "c10100 c10200 c80314 6578616d706c652d70736b2d6964656e74697479"
			    "c80513 337840 6d706c3350354b353363723374 4b3379 c10a01"
			    "000100 0012 08010f c10001 c401 00015180 c10600 c10755";

/* EF content in Nordic's uicc_lwm2m unit test: one NoSec bootstrap server,
 * followed by FF padding, as a card returns it. */
static const char nordic[] =
	"00010036 000000 0031 08002e c80025"
	"636f61703a2f2f6c657368616e2e65636c6970736570726f6a656374732e696f3a35373833"
	"c10101 c10203 ffff";

/* Core 7.4.3 "Single Object Instance Request Example": GET /3/0, 121 bytes. */
static const char device_tlv[] = "c800144f70656e204d6f62696c6520416c6c69616e6365"
				 "c801164c69676874776569676874204d324d20436c69656e74"
				 "c80209333435303030313233"
				 "c303312e30"
				 "8606 410001 410105"
				 "880708 42000ed8 42011388"
				 "8708 41007d 42010384"
				 "c10964"
				 "c10a0f"
				 "830b 410000"
				 "c40d5182428f"
				 "c60e2b30323a3030"
				 "c10f55";

static void known_vectors(void **state)
{
	struct ub_lwm2m_boot b;
	const struct ub_lwm2m_obj *o;
	const struct ub_lwm2m_res *r;
	struct ub_lwm2m_security s;
	struct ub_lwm2m_server sv;
	char file[600];

	(void)state;
	assert_int_equal(decode(anjay, &b), 0);
	assert_int_equal(b.nobj, 2);
	assert_int_equal(b.len, 126);
	o = ub_lwm2m_obj_find(&b, 0);
	assert_non_null(o);
	assert_false(o->explicit_version);
	assert_int_equal(o->tlv.ninst, 1);
	assert_int_equal(o->tlv.inst[0].id, 1);
	assert_int_equal(ub_lwm2m_security_get(&o->tlv.inst[0], &s, &st), 0);
	assert_int_equal(s.uri_len, 34);
	assert_memory_equal(s.uri, "coaps://eu.iot.avsystem.cloud:5684", 34);
	assert_false(s.bootstrap);
	assert_int_equal(s.mode, 0);
	assert_int_equal(s.ssid, 1);
	r = ub_lwm2m_res_find(&o->tlv.inst[0], 5);
	assert_non_null(r);
	assert_memory_equal(r->v, "3x@mpl3P5K53cr3tK3y", 19);
	o = ub_lwm2m_obj_find(&b, 1);
	assert_int_equal(ub_lwm2m_server_get(&o->tlv.inst[0], &sv, &st), 0);
	assert_int_equal(sv.ssid, 1);
	assert_true(sv.has_lifetime);
	assert_int_equal(sv.lifetime, 86400);
	assert_int_equal(sv.binding_len, 1);
	assert_int_equal(ub_lwm2m_check(&b, &st), 0);
	/* re-encoded: the same bytes (the example uses the shortest forms) */
	assert_int_equal(ub_lwm2m_boot_encode(&b, (uint8_t *)file, sizeof(file)), 126);
	assert_memory_equal(file, b.data, 126);
	ub_lwm2m_boot_free(&b);

	assert_int_equal(decode(nordic, &b), 0);
	assert_int_equal(ub_lwm2m_security_get(&b.obj[0].tlv.inst[0], &s, &st), 0);
	assert_true(s.bootstrap);
	assert_int_equal(s.mode, 3);
	assert_int_equal(s.ssid, 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), 0);
	ub_lwm2m_boot_free(&b);

	/* Core 7.4.3's Device Object Instance, as Object 3 Instance 0 of a file */
	snprintf(file, sizeof(file), "0001 0081 0003 00 007c 080079 %s", device_tlv);
	assert_int_equal(decode(file, &b), 0);
	assert_int_equal(b.obj[0].tlv.inst[0].nres, 13);
	r = ub_lwm2m_res_find(&b.obj[0].tlv.inst[0], 7); /* Power Source Voltage */
	assert_true(r->multiple);
	assert_int_equal(r->nri, 2);
	assert_int_equal(r->ri[1].id, 1);
	assert_int_equal(r->ri[1].len, 2);
	assert_int_equal(r->ri[1].v[0] << 8 | r->ri[1].v[1], 5000);
	r = ub_lwm2m_res_find(&b.obj[0].tlv.inst[0], 13);
	assert_int_equal(r->len, 4);
	assert_int_equal(ub_lwm2m_tlv_encode(3, b.obj[0].tlv.inst, 1, NULL, NULL, (uint8_t *)file,
					     sizeof(file)),
			 124);
	assert_memory_equal(file + 3, b.data + 12, 121);
	ub_lwm2m_boot_free(&b);

	/* Core 7.4.3 "Multiple Object Instance Request Example" (GET /2), with
	 * the table's arithmetic slips put right: 8-bit lengths of 14, ACL 6. */
	assert_int_equal(decode("0001 0027 0002 00 0022"
				"08000e c10003 8602 4101e0 410280 c10301"
				"08010e c10004 8602 410180 410280 c10301",
				&b),
			 0);
	assert_int_equal(b.obj[0].tlv.ninst, 2);
	assert_int_equal(b.obj[0].tlv.inst[1].res[1].nri, 2);
	ub_lwm2m_boot_free(&b);

	/* an explicit version (%x0205 is 2.5), 16-bit IDs and length fields
	 * longer than needed, bits 2-0 set beside a length field (ignored) */
	assert_int_equal(decode("0001 0012 1a0a 0205 000c 3f1234000006 e3ffff616263", &b), 0);
	assert_true(b.obj[0].explicit_version);
	assert_int_equal(b.obj[0].major, 2);
	assert_int_equal(b.obj[0].minor, 5);
	assert_int_equal(b.obj[0].tlv.inst[0].id, 0x1234);
	assert_int_equal(b.obj[0].tlv.inst[0].res[0].id, 0xffff);
	assert_int_equal(b.obj[0].tlv.inst[0].res[0].len, 3);
	ub_lwm2m_boot_free(&b);
}

/* Inputs the file decoder must refuse (UB_E_BAD_DATA). */
static void file_torture(void **state)
{
	static const struct {
		const char *hex, *what;
	} bad[] = {
		{"00", "shorter than the header"},
		{"000100", "shorter than the header"},
		{"0001 0006 0000000000", "size past the end of the file"},
		{"0002 0005 0000000000", "count 2, one Object"},
		{"0000 0005 0000000000", "count 0, one Object"},
		{"0001 0000 0000000000", "size 0 with an Object after it"},
		{"0001 0004 0000000000", "Object header past the size"},
		{"0001 0003 0000 01", "version past the payload"},
		{"0001 0005 0000000001", "Object length past the payload"},
		{"0001 0005 0000000000 00", "a trailing 00"},
		{"0001 0005 0000000000 ff41ff", "trailing bytes among the padding"},
		{"0002 000a 0000000000 0000000000", "Object 0 repeated"},
		{"0001 000b 0000 00 0006 080005 c10001", "TLV length past its parent"},
		{"0001 0009 0000 00 0004 080001 c1", "TLV header past its parent"},
		{"0001 000a 0000 00 0005 18 00 ffffff", "24-bit length past the end"},
		{"0001 0009 0000 00 0004 10 00 0100", "16-bit length past the end"},
		{"0001 0008 0000 00 0003 410001", "Resource Instance at the top"},
		{"0001 0008 0000 00 0003 c10001", "Resource at the top"},
		{"0001 0007 0000 00 0002 8000", "Multiple Resource at the top"},
		{"0001 000d 0000 00 0008 080005 8306 c10001",
		 "Resource inside a Multiple Resource"},
		{"0001 000d 0000 00 0008 080005 8306 080000",
		 "Instance inside a Multiple Resource"},
		{"0001 000a 0000 00 0005 080002 0001", "Object Instance inside an Instance"},
		{"0001 000a 0000 00 0005 080002 4100", "Resource Instance inside an Instance"},
		{"0001 0009 0000 00 0004 0000 0000", "Object Instance 0 repeated"},
		{"0001 000e 0000 00 0009 080006 c10001 c10002", "Resource 0 repeated"},
		{"0001 0010 0000 00 000b 080008 8606 410001 410002", "Resource Instance repeated"},
		{"0001 000a 0000 00 0005 080002 8007", "empty Multiple Resource"},
		{"0001 0009 0000 00 0004 28ffff00", "Object Instance 65535"},
	};
	struct ub_lwm2m_boot b;
	struct ub_lwm2m_opts op;
	size_t i, n;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = decode(bad[i].hex, &b);
		if (rc != UB_E_BAD_DATA)
			fail_msg("%s (%s): %d, expected refusal", bad[i].what, bad[i].hex, rc);
		assert_non_null(strstr(st.what, "byte "));
		/* the offset is where, and said in what too */
		assert_int_equal(st.err, UB_E_BAD_DATA);
		assert_int_equal(strncmp(st.where, "byte ", 5), 0);
		assert_int_equal(strncmp(st.what, st.where, strlen(st.where)), 0);
		assert_null(b.obj);
		assert_null(b.data);
	}
	/* the good forms next to them */
	assert_int_equal(decode("0001 0005 0000000000", &b), 0);
	ub_lwm2m_boot_free(&b);
	assert_int_equal(decode("0001 0005 0000000000 ffff", &b), 0);
	ub_lwm2m_boot_free(&b);
	assert_int_equal(decode("00000000", &b), 0);
	assert_int_equal(b.nobj, 0);
	ub_lwm2m_boot_free(&b);
	/* no padding allowed */
	ub_lwm2m_opts_default(&op);
	op.padding = UB_LWM2M_PAD_NONE;
	n = H("0001 0005 0000000000 ff");
	assert_int_equal(ub_lwm2m_boot_decode(buf, n, &op, &b, &st), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_boot_decode(buf, n - 1, &op, &b, &st), 0);
	ub_lwm2m_boot_free(&b);
	/* empty and erased files: no data, not an error of form */
	assert_int_equal(ub_lwm2m_boot_decode(buf, 0, NULL, &b, &st), UB_E_NOT_FOUND);
	memset(buf, 0xFF, 512);
	assert_int_equal(ub_lwm2m_boot_decode(buf, 512, NULL, &b, &st), UB_E_NOT_FOUND);
	/* more than 32 KB */
	memset(buf, 0xFF, 32769);
	memset(buf, 0, 4);
	assert_int_equal(ub_lwm2m_boot_decode(buf, 32769, NULL, &b, &st), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_boot_decode(buf, 32768, NULL, &b, &st), 0);
	ub_lwm2m_boot_free(&b);
}

/* n empty Objects 0..n-1 */
static size_t objects_file(size_t n)
{
	size_t i, o = 4;

	for (i = 0; i < n; i++, o += 5) {
		buf[o] = (uint8_t)(i >> 8);
		buf[o + 1] = (uint8_t)i;
		buf[o + 2] = buf[o + 3] = buf[o + 4] = 0;
	}
	buf[0] = (uint8_t)(n >> 8);
	buf[1] = (uint8_t)n;
	buf[2] = (uint8_t)((o - 4) >> 8);
	buf[3] = (uint8_t)(o - 4);
	return o;
}

/* One Instance holding n empty Resources with 16-bit IDs: n + 1 records. */
static size_t records_file(size_t n)
{
	size_t i, o = 4 + 5 + 4, body = 3 * n;

	for (i = 0; i < n; i++, o += 3) {
		buf[o] = 0xE0;
		buf[o + 1] = (uint8_t)(i >> 8);
		buf[o + 2] = (uint8_t)i;
	}
	memcpy(buf,
	       (uint8_t[]){0, 1, (uint8_t)((body + 9) >> 8), (uint8_t)(body + 9), 0, 0, 0,
			   (uint8_t)((body + 4) >> 8), (uint8_t)(body + 4), 0x10, 0,
			   (uint8_t)(body >> 8), (uint8_t)body},
	       13);
	return o;
}

static void bounds(void **state)
{
	struct ub_lwm2m_boot b;

	(void)state;
	assert_int_equal(ub_lwm2m_boot_decode(buf, objects_file(64), NULL, &b, &st), 0);
	assert_int_equal(b.nobj, 64);
	ub_lwm2m_boot_free(&b);
	assert_int_equal(ub_lwm2m_boot_decode(buf, objects_file(65), NULL, &b, &st), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_boot_decode(buf, records_file(4095), NULL, &b, &st), 0);
	assert_int_equal(b.obj[0].tlv.inst[0].nres, 4095);
	ub_lwm2m_boot_free(&b);
	assert_int_equal(ub_lwm2m_boot_decode(buf, records_file(4096), NULL, &b, &st),
			 UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "limit"));
}

static void values(void **state)
{
	static const char *bad_utf8[] = {"c080", "e080af", "eda080", "f4908080", "c3",
					 "e282", "ff",	   "80",     "610062"};
	int64_t i;
	uint64_t u;
	double f;
	bool b;
	uint16_t o, oi;
	uint8_t out[8];
	size_t k, n;

	(void)state;
	assert_int_equal(ub_lwm2m_int(buf, H("ff"), &i), 0);
	assert_int_equal(i, -1);
	assert_int_equal(ub_lwm2m_int(buf, H("8000"), &i), 0);
	assert_int_equal(i, -32768);
	assert_int_equal(ub_lwm2m_int(buf, H("fffffffe"), &i), 0);
	assert_int_equal(i, -2);
	assert_int_equal(ub_lwm2m_int(buf, H("8000000000000000"), &i), 0);
	assert_true(i == INT64_MIN);
	assert_int_equal(ub_lwm2m_int(buf, H("000065"), &i), UB_E_BAD_DATA); /* 3 bytes */
	assert_int_equal(ub_lwm2m_int(buf, 0, &i), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_uint(buf, H("ffffffffffffffff"), &u), 0);
	assert_true(u == UINT64_MAX);
	assert_int_equal(ub_lwm2m_uint(buf, H("0000000000"), &u), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_float(buf, H("3fc00000"), &f), 0);
	assert_true(f == 1.5);
	assert_int_equal(ub_lwm2m_float(buf, H("c004000000000000"), &f), 0);
	assert_true(f == -2.5);
	assert_int_equal(ub_lwm2m_float(buf, H("3fc000"), &f), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_bool(buf, H("01"), &b), 0);
	assert_true(b);
	assert_int_equal(ub_lwm2m_bool(buf, H("02"), &b), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_bool(buf, H("0000"), &b), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_objlnk(buf, H("000b0002"), &o, &oi), 0);
	assert_int_equal(o, 11);
	assert_int_equal(oi, 2);
	assert_int_equal(ub_lwm2m_objlnk(buf, H("000b00"), &o, &oi), UB_E_BAD_DATA);
	assert_int_equal(ub_lwm2m_string(buf, H("636f6170c3a9e282acf09f9880")), 0);
	for (k = 0; k < sizeof(bad_utf8) / sizeof(bad_utf8[0]); k++)
		if (!ub_lwm2m_string(buf, H(bad_utf8[k])))
			fail_msg("string %s accepted", bad_utf8[k]);
	n = ub_lwm2m_put_int(-129, out);
	assert_int_equal(n, 2);
	assert_int_equal(ub_lwm2m_int(out, n, &i), 0);
	assert_int_equal(i, -129);
	assert_int_equal(ub_lwm2m_put_int(127, out), 1);
	assert_int_equal(ub_lwm2m_put_int(INT64_MIN, out), 8);
	assert_int_equal(ub_lwm2m_put_uint(86400, out), 4);
	assert_int_equal(ub_lwm2m_put_uint(255, out), 1);
}

/* Files whose form is right and whose meaning ub_lwm2m_check refuses.
 * Each is /0/0 or /1/0 built from TLV resources (lengths filled in). */
static void meaning_torture(void **state)
{
	static const struct {
		unsigned obj;
		const char *res, *what;
	} bad[] = {
		{0, "c10100 c10200 c10a01", "Security without Server URI"},
		{0, "c000 c10100 c10200 c10a01", "Security with an empty Server URI"},
		{0, "c300610062 c10100 c10200 c10a01", "a NUL in the Server URI"},
		{0, "c200c328 c10100 c10200 c10a01", "a Server URI that is not UTF-8"},
		{0, "c1007a c10102 c10200 c10a01", "Bootstrap-Server flag 2"},
		{0, "c1007a c2010000 c10200 c10a01", "Bootstrap-Server flag of 2 bytes"},
		{0, "c1007a c10200 c10a01", "no Bootstrap-Server flag"},
		{0, "c1007a c10100 c10205 c10a01", "Security Mode 5"},
		{0, "c1007a c10100 c102ff c10a01", "Security Mode -1"},
		{0, "c1007a c10100 c10a01", "no Security Mode"},
		{0, "c1007a c10100 c10200", "a Server account without Short Server ID"},
		{0, "c1007a c10100 c10200 c10a00", "Short Server ID 0"},
		{0, "c1007a c10100 c10200 c40a0000ffff", "Short Server ID 65535"},
		{0, "c1007a c10100 c10200 c30a000065", "Short Server ID of 3 bytes"},
		{0, "c1007a c10100 c10200 830a410001", "Short Server ID as a Multiple Resource"},
		{0, "c1007a c10100 c10200 c10a01 c11031", "Ciphersuite (multiple) as a single"},
		{0, "c1007a c10100 c10200 c10a01 c311000000", "OSCORE Objlnk of 3 bytes"},
		{1, "", "Server without Short Server ID"},
		{1, "c10000", "Server Short Server ID 0"},
		{1, "c10001 c1017f c1060a", "Notification Storing 10"},
		{1, "c10001 c3010000ff", "Lifetime of 3 bytes"},
		{1, "c10001 c10801", "Registration Update Trigger with a value"},
		{1, "c10001 c004", "Disable with an empty value"},
		{1, "c10001 c107ff", "Binding that is not UTF-8"},
	};
	struct ub_lwm2m_boot b;
	char file[400], res[200];
	size_t i, n;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = H(bad[i].res);
		if (n > 7)
			snprintf(res, sizeof(res), "0800%02zx%s", n, bad[i].res);
		else
			snprintf(res, sizeof(res), "%02zx00%s", n, bad[i].res);
		n = H(res);
		snprintf(file, sizeof(file), "0001%04zx %04x00%04zx %s", n + 5, bad[i].obj, n, res);
		rc = decode(file, &b);
		if (rc)
			fail_msg("%s: the form is refused (%s): %s", bad[i].what, file, st.what);
		rc = ub_lwm2m_check(&b, &st);
		ub_lwm2m_boot_free(&b);
		if (rc != UB_E_BAD_DATA)
			fail_msg("%s (%s): accepted", bad[i].what, file);
		assert_true(st.what[0] == '/');
	}
	/* two Servers for one Short Server ID, two Bootstrap-Servers */
	assert_int_equal(decode("0001 0023 0000 00 001e"
				"08000c c1007a c10100 c10200 c10a05"
				"08010c c1007b c10100 c10201 c10a05",
				&b),
			 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "Short Server ID 5"));
	ub_lwm2m_boot_free(&b);
	assert_int_equal(decode("0001 001d 0000 00 0018"
				"080009 c1007a c10101 c10203"
				"080109 c1007b c10101 c10203",
				&b),
			 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "second Bootstrap-Server"));
	ub_lwm2m_boot_free(&b);
	assert_int_equal(decode("0001 000f 0001 00 000a 0300c10007 0301c10007", &b), 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), UB_E_BAD_DATA);
	ub_lwm2m_boot_free(&b);
	/* unknown Objects and resources are not judged */
	assert_int_equal(decode("0001 000c 0003 00 0007 0500 c1ff02 c0fe", &b), 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), 0);
	ub_lwm2m_boot_free(&b);
}

static const char demo_senml[] =
	"[{\"bn\":\"/0/0/\",\"n\":\"0\",\"vs\":\"coaps://lwm2m.operator.example:5684\"},"
	"{\"n\":\"1\",\"vb\":false},{\"n\":\"2\",\"v\":0},%s{\"n\":\"10\",\"v\":101},"
	"{\"bn\":\"/0/1/\",\"n\":\"0\",\"vs\":\"coaps://bootstrap.operator.example:5684\"},"
	"{\"n\":\"1\",\"vb\":true},{\"n\":\"2\",\"v\":0},%s{\"n\":\"11\",\"v\":10},"
	"{\"bn\":\"/1/0/\",\"n\":\"0\",\"v\":101},{\"n\":\"1\",\"v\":86400},"
	"{\"n\":\"6\",\"vb\":false},{\"n\":\"7\",\"vs\":\"U\"}]";

static size_t read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	return n;
}

/* The demo profile's file; SenML JSON and TLV with and without secrets. */
static void output_and_secrets(void **state)
{
	struct ub_lwm2m_boot b, again;
	json_object *j;
	char want[2048];
	uint8_t tlv[512];
	size_t n;
	int len;

	(void)state;
	n = read_file("tests/profiles/boot/lwm2m-bootstrap.bin");
	assert_int_equal(ub_lwm2m_boot_decode(buf, n, NULL, &b, &st), 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), 0);
	assert_int_equal(ub_lwm2m_senml(&b, 0, &j), 0);
	snprintf(want, sizeof(want), demo_senml, "", "");
	assert_string_equal(senml_text(j), want);
	json_object_put(j);
	assert_int_equal(ub_lwm2m_senml(&b, UB_LWM2M_SECRETS, &j), 0);
	snprintf(want, sizeof(want), demo_senml,
		 "{\"n\":\"3\",\"vd\":\"dXJuOmltZWk6NDkwMTU0MjAzMjM3NTE4\"},"
		 "{\"n\":\"5\",\"vd\":\"AAECAwQFBgcICQoLDA0ODw\"},",
		 "{\"n\":\"3\",\"vd\":\"dXJuOmltZWk6NDkwMTU0MjAzMjM3NTE4\"},"
		 "{\"n\":\"5\",\"vd\":\"8OHSw7Sllod4aVpLPC0eDw\"},");
	assert_string_equal(senml_text(j), want);
	json_object_put(j);

	/* TLV with secrets: the file's own payload of /0; without: 3 and 5 gone */
	len = ub_lwm2m_tlv_obj(&b.obj[0], UB_LWM2M_SECRETS, tlv, sizeof(tlv));
	assert_int_equal(len, b.data[7] << 8 | b.data[8]);
	assert_memory_equal(tlv, b.data + 9, (size_t)len);
	len = ub_lwm2m_tlv_obj(&b.obj[0], 0, tlv, sizeof(tlv));
	assert_true(len > 0);
	assert_null(memmem(tlv, (size_t)len, "\x00\x01\x02\x03\x04\x05", 6));
	assert_null(memmem(tlv, (size_t)len, "urn:imei", 8));
	n = (size_t)len;
	memmove(buf + 9, tlv, n);
	memcpy(buf,
	       (uint8_t[]){0, 1, (uint8_t)((n + 5) >> 8), (uint8_t)(n + 5), 0, 0, 0,
			   (uint8_t)(n >> 8), (uint8_t)n},
	       9);
	assert_int_equal(ub_lwm2m_boot_decode(buf, n + 9, NULL, &again, &st), 0);
	assert_int_equal(again.obj[0].tlv.ninst, 2);
	assert_null(ub_lwm2m_res_find(&again.obj[0].tlv.inst[0], 5));
	assert_null(ub_lwm2m_res_find(&again.obj[0].tlv.inst[0], 3));
	assert_non_null(ub_lwm2m_res_find(&again.obj[0].tlv.inst[0], 10));
	ub_lwm2m_boot_free(&again);
	assert_int_equal(ub_lwm2m_tlv_obj(&b.obj[0], 0, tlv, 10), UB_E_USAGE);
	assert_int_equal(ub_lwm2m_tlv_obj(&b.obj[0], 0, NULL, 0), len);

	assert_true(ub_lwm2m_is_secret(0, 5));
	assert_true(ub_lwm2m_is_secret(0, 8));
	assert_true(ub_lwm2m_is_secret(0, 3));
	assert_true(ub_lwm2m_is_secret(0, 4));
	assert_true(ub_lwm2m_is_secret(21, 0));
	assert_false(ub_lwm2m_is_secret(0, 0));
	assert_false(ub_lwm2m_is_secret(3, 5));
	ub_lwm2m_boot_free(&b);
}

/* Types in SenML: unknown resources as base64url (the URL-safe alphabet),
 * multiple resources as "R/RI", Objlnk as "vlo", a large Unsigned. */
static void senml_types(void **state)
{
	struct ub_lwm2m_boot b;
	json_object *j;

	(void)state;
	assert_int_equal(decode("0002 0032"
				"0003 00 0008 0600 c202fbff c000"
				"0000 00 0020 08021d c10061 c10101 c10203"
				"c41100020001 88100b 480008ffffffffffffffff",
				&b),
			 0);
	assert_int_equal(ub_lwm2m_check(&b, &st), 0);
	assert_int_equal(ub_lwm2m_senml(&b, 0, &j), 0);
	assert_string_equal(
		senml_text(j),
		"[{\"bn\":\"/3/0/\",\"n\":\"2\",\"vd\":\"-_8\"},{\"n\":\"0\",\"vd\":\"\"},"
		"{\"bn\":\"/0/2/\",\"n\":\"0\",\"vs\":\"a\"},{\"n\":\"1\",\"vb\":true},"
		"{\"n\":\"2\",\"v\":3},{\"n\":\"17\",\"vlo\":\"2:1\"},"
		"{\"n\":\"16/0\",\"v\":18446744073709551615}]");
	json_object_put(j);
	ub_lwm2m_boot_free(&b);
}

/* The copy of the file, where the keys are, is wiped before it is freed:
 * free() is wrapped (-Wl,--wrap=free) to look at the block on its way out. */
void __real_free(void *p);
void __wrap_free(void *p);
static const void *watched;
static size_t watched_len;
static bool key_left;

void __wrap_free(void *p)
{
	if (p && p == watched) {
		key_left = memmem(p, watched_len, "3x@mpl3P5K53cr3tK3y", 19) != NULL;
		watched = NULL;
	}
	__real_free(p);
}

static void wiped(void **state)
{
	struct ub_lwm2m_boot b;

	(void)state;
	assert_int_equal(decode(anjay, &b), 0);
	assert_non_null(memmem(b.data, b.len, "3x@mpl3P5K53cr3tK3y", 19));
	watched = b.data;
	watched_len = b.len;
	key_left = true;
	ub_lwm2m_boot_free(&b);
	assert_null(watched); /* the block went through free() */
	assert_false(key_left);
	assert_null(b.data);
}

/* --- dump mode: canonical JSON, as tests/integration/lwm2m_ref.py prints it --- */

static json_object *hexval(const uint8_t *v, size_t n)
{
	char *h = malloc(2 * n + 1);
	json_object *s;

	if (!h)
		return NULL;
	ub_hex(h, v, n);
	s = json_object_new_string(h);
	free(h);
	return s;
}

static json_object *canonical(const struct ub_lwm2m_boot *b)
{
	json_object *root = json_object_new_object(), *objs = json_object_new_array();
	char ver[16];
	size_t i, j, k, l;

	json_object_object_add(root, "objects", objs);
	for (i = 0; i < b->nobj; i++) {
		const struct ub_lwm2m_obj *o = &b->obj[i];
		json_object *jo = json_object_new_object(), *insts = json_object_new_array();

		json_object_object_add(jo, "id", json_object_new_int(o->id));
		json_object_object_add(jo, "instances", insts);
		snprintf(ver, sizeof(ver), "%u.%u", o->major, o->minor);
		json_object_object_add(jo, "version",
				       o->explicit_version ? json_object_new_string(ver) : NULL);
		json_object_array_add(objs, jo);
		for (j = 0; j < o->tlv.ninst; j++) {
			const struct ub_lwm2m_inst *in = &o->tlv.inst[j];
			json_object *ji = json_object_new_object(), *res = json_object_new_array();

			json_object_object_add(ji, "id", json_object_new_int(in->id));
			json_object_object_add(ji, "resources", res);
			json_object_array_add(insts, ji);
			for (k = 0; k < in->nres; k++) {
				const struct ub_lwm2m_res *r = &in->res[k];
				json_object *jr = json_object_new_object(), *ris;

				json_object_object_add(jr, "id", json_object_new_int(r->id));
				json_object_array_add(res, jr);
				if (!r->multiple) {
					json_object_object_add(jr, "value", hexval(r->v, r->len));
					continue;
				}
				ris = json_object_new_array();
				json_object_object_add(jr, "instances", ris);
				for (l = 0; l < r->nri; l++) {
					json_object *x = json_object_new_object();

					json_object_object_add(x, "id",
							       json_object_new_int(r->ri[l].id));
					json_object_object_add(x, "value",
							       hexval(r->ri[l].v, r->ri[l].len));
					json_object_array_add(ris, x);
				}
			}
		}
	}
	return root;
}

static int dump(int argc, char **argv)
{
	struct ub_lwm2m_opts op;
	struct ub_lwm2m_boot b;
	json_object *o;
	size_t n;
	FILE *fp;
	int i = 2, rc;

	ub_lwm2m_opts_default(&op);
	if (argc > 3 && !strcmp(argv[2], "--padding")) {
		op.padding = strcmp(argv[3], "none") ? UB_LWM2M_PAD_FF : UB_LWM2M_PAD_NONE;
		i = 4;
	}
	for (; i < argc; i++) {
		fp = fopen(argv[i], "rb");
		if (!fp)
			return 2;
		n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		rc = ub_lwm2m_boot_decode(buf, n, &op, &b, &st);
		if (rc) {
			o = json_object_new_object();
			json_object_object_add(o, "error", json_object_new_string(st.what));
		} else {
			o = canonical(&b);
			ub_lwm2m_boot_free(&b);
		}
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),   cmocka_unit_test(file_torture),
		cmocka_unit_test(bounds),	   cmocka_unit_test(values),
		cmocka_unit_test(meaning_torture), cmocka_unit_test(output_and_secrets),
		cmocka_unit_test(senml_types),	   cmocka_unit_test(wiped),
	};

	if (argc > 1 && !strcmp(argv[1], "--dump"))
		return dump(argc, argv);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
