/* src/wire/: SMS-DELIVER TPDUs and WSP Push PDUs.  Known vectors, torture
 * tables of inputs that must be refused, and the sender against the MAC
 * vectors computed with Python's hmac (independent of our code). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ub_bootsec.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_sender.h"
#include "ub_sms.h"
#include "ub_wsp.h"

static uint8_t buf[2048];
static struct ub_status why;

static size_t H(const char *hex)
{
	int n = ub_unhex(buf, sizeof(buf), hex);

	assert_true(n >= 0);
	return (size_t)n;
}

/* An SMS-DELIVER with an empty SMSC field, from +15125551234, DCS 04,
 * SCTS 2023-11-14 22:13:20, carrying udh (with its UDHL) and data. */
static const char *deliver(const char *udh, const char *data, int udl_delta)
{
	static char s[1200];
	size_t ud = (strlen(udh) + strlen(data)) / 2;

	snprintf(s, sizeof(s), "00%s0B915121551532F4000432114122310200%02X%s%s",
		 udh[0] ? "44" : "04", (unsigned)((int)ud + udl_delta), udh, data);
	return s;
}

static int dec(const char *hex, struct ub_sms_deliver *d)
{
	size_t n = H(hex);

	return ub_sms_deliver_decode(buf, n, true, d, &why);
}

/* The SMS-DELIVER example that SMS PDU tutorials use (GSM 03.40 layout):
 * SMSC +31624000000, from +31641600986, "How are you?" in GSM 7-bit. */
static void sms_known(void **state)
{
	struct ub_sms_deliver d;

	(void)state;
	assert_int_equal(dec("07911326040000F0040B911346610089F60000208062917314080CC8F71D1496"
			     "9741F977FD07",
			     &d),
			 0);
	assert_string_equal(d.smsc, "+31624000000");
	assert_string_equal(d.originator, "+31641600986");
	/* TZ octet 08: the first semi-octet (the low nibble) carries the sign
	 * in bit 3 (TS 23.040 9.2.3.11), so this is minus 0 quarters; the
	 * tutorials read +2 hours, without swapping the semi-octets */
	assert_string_equal(d.scts_text, "2002-08-26T19:37:41-00:00");
	assert_int_equal(d.alphabet, UB_SMS_GSM7);
	assert_int_equal(d.udl, 12);
	assert_null(d.payload); /* not 8-bit: nothing to use */
	/* WAP push, 16-bit ports, 8-bit concatenation */
	assert_int_equal(dec(deliver("0B05040B8423F00003A70301", "01060401AE", 0), &d), 0);
	assert_true(d.has_ports && d.concat);
	assert_int_equal(d.dst_port, 2948);
	assert_int_equal(d.src_port, 9200);
	assert_int_equal(d.ref, 0xA7);
	assert_int_equal(d.ref_bits, 8);
	assert_int_equal(d.total, 3);
	assert_int_equal(d.seq, 1);
	assert_int_equal(d.payload_len, 5);
	assert_int_equal(d.payload[4], 0xAE);
	assert_int_equal(d.alphabet, UB_SMS_8BIT);
	/* 8-bit ports (IE 04), 16-bit reference (IE 08), an unknown IE skipped */
	assert_int_equal(dec(deliver("0D04020B840804BEEF0202"
				     "2401AA",
				     "CAFE", 0),
			     &d),
			 0);
	assert_int_equal(d.port_bits, 8);
	assert_int_equal(d.dst_port, 0x0B);
	assert_int_equal(d.ref, 0xBEEF);
	assert_int_equal(d.ref_bits, 16);
	assert_int_equal(d.seq, 2);
	assert_int_equal(d.payload_len, 2);
	/* an alphanumeric originator (TON 5): "Operator" */
	assert_int_equal(dec("00040ED04F78591EA6BFE5000432114122310200020102", &d), 0);
	assert_string_equal(d.originator, "Operator");
	/* DCS F5 (8-bit, class 1) and 15 (general group, 8-bit, class 1) */
	assert_int_equal(dec("00040B915121551532F400F53211412231020001AA", &d), 0);
	assert_true(d.alphabet == UB_SMS_8BIT && d.msg_class == 1);
	assert_int_equal(dec("00040B915121551532F400153211412231020001AA", &d), 0);
	assert_true(d.alphabet == UB_SMS_8BIT && d.msg_class == 1);
	assert_int_equal(dec("00040B915121551532F400083211412231020002004F", &d), 0);
	assert_int_equal(d.alphabet, UB_SMS_UCS2);
	assert_int_equal(dec("00040B915121551532F400243211412231020001AA", &d), 0);
	assert_int_equal(d.alphabet, UB_SMS_COMPRESSED);
	/* no SMSC field at all when the caller says so */
	H("040B915121551532F400043211412231020001AA");
	assert_int_equal(ub_sms_deliver_decode(buf, 20, false, &d, &why), 0);
}

static void sms_torture(void **state)
{
	static const struct {
		const char *hex, *what;
	} bad[] = {
		{"", "empty"},
		{"0C91", "SMSC length 12"},
		{"0791447758100650", "SMSC address past the end"},
		{"00", "no first octet"},
		{"0004", "TP-OA missing"},
		{"00041591", "TP-OA length 21 semi-octets"},
		{"00040B915121551532", "TP-OA past the end"},
		{"00040B015121551532F4000432114122310200", "TOA without bit 8"},
		{"00040B9151F1551532F4000432114122310200", "filler inside the number"},
		{"00040B915121551532F400043211412231", "TP-SCTS truncated"},
		{"00040B915121551532F40004321141223102008D", "TP-UDL 141 octets (8-bit)"},
		{"00040B915121551532F4000032114122310200A1", "TP-UDL 161 septets"},
		{"00040B915121551532F40004321141223102000301", "TP-UDL past the end"},
		{"00040B915121551532F4000432114122310200010102", "an octet after TP-UD"},
		{"00440B915121551532F400043211412231020000", "UDHI with an empty TP-UD"},
		{"00440B915121551532F40004321141223102000206AA", "UDHL past TP-UD"},
		{"00440B915121551532F400043211412231020003020003", "IE length past the UDH"},
		{"00440B915121551532F4000432114122310200020100", "IE header cut"},
	};
	static const struct {
		const char *udh, *what;
	} bad_udh[] = {
		{"050003A70300", "concatenation seq 0"},
		{"050003A70304", "seq > total"},
		{"050003A70001", "total 0"},
		{"0A0003A703010003A70302", "concatenation repeated"},
		{"0B0003A70301080400A70301", "8- and 16-bit references both"},
		{"040002A703", "concatenation IE of length 2"},
		{"0C05040B8423F005040B8423F0", "16-bit ports repeated"},
		{"0A04020B0B05040B8423F0", "8- and 16-bit ports both"},
		{"0405020B84", "16-bit port IE of length 2"},
		{"080806A7030001AA", "16-bit reference IE of length 6"},
	};
	struct ub_sms_deliver d;
	char good[200];
	size_t i, n;

	(void)state;
	snprintf(good, sizeof(good), "%s", deliver("0B05040B8423F00003A70301", "01060401AE", 0));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dec(bad[i].hex, &d) != UB_E_BAD_DATA)
			fail_msg("accepted: %s (%s)", bad[i].what, bad[i].hex);
	for (i = 0; i < sizeof(bad_udh) / sizeof(bad_udh[0]); i++)
		if (dec(deliver(bad_udh[i].udh, "AA", 0), &d) != UB_E_BAD_DATA)
			fail_msg("accepted: %s", bad_udh[i].what);
	/* UDL one more or one less than the user data present */
	assert_int_equal(dec(deliver("0B05040B8423F00003A70301", "01060401AE", 1), &d),
			 UB_E_BAD_DATA);
	assert_int_equal(dec(deliver("0B05040B8423F00003A70301", "01060401AE", -1), &d),
			 UB_E_BAD_DATA);
	/* truncated at every octet */
	n = H(good);
	for (i = 0; i < n; i++)
		if (ub_sms_deliver_decode(buf, i, true, &d, &why) != UB_E_BAD_DATA)
			fail_msg("accepted when cut to %zu octets", i);
	assert_int_equal(ub_sms_deliver_decode(buf, n, true, &d, &why), 0);
	/* SMS-SUBMIT-REPORT / STATUS-REPORT are not ours to decode */
	assert_int_equal(dec("0001", &d), UB_E_NOT_SUPPORTED);
	assert_int_equal(dec("0002", &d), UB_E_NOT_SUPPORTED);
	/* the reason names the field and the octet */
	assert_int_equal(dec(deliver("050003A70304", "AA", 0), &d), UB_E_BAD_DATA);
	assert_non_null(strstr(why.what, "part 4 of 3"));
	assert_non_null(strstr(why.what, "octet 21"));
}

static void sms_reassembly(void **state)
{
	struct ub_sms_deliver p[4];
	uint8_t out[600];
	char a[200], b[200], c[200];

	(void)state;
	snprintf(a, sizeof(a), "%s", deliver("0B05040B8423F000035A0301", "0102", 0));
	snprintf(b, sizeof(b), "%s", deliver("0B05040B8423F000035A0302", "0304", 0));
	snprintf(c, sizeof(c), "%s", deliver("0B05040B8423F000035A0303", "05", 0));
	/* the parts point into buf: decode each into its own buffer */
	{
		static uint8_t bb[3][200];
		const char *hx[3] = {c, a, b};
		int i, n;

		for (i = 0; i < 3; i++) {
			n = ub_unhex(bb[i], sizeof(bb[i]), hx[i]);
			assert_int_equal(ub_sms_deliver_decode(bb[i], (size_t)n, true, &p[i], &why),
					 0);
		}
	}
	assert_true(ub_sms_same_message(&p[0], &p[1]));
	assert_int_equal(ub_sms_reassemble(p, 2, out, sizeof(out), &why), UB_E_NOT_FOUND);
	assert_int_equal(ub_sms_reassemble(p, 3, out, sizeof(out), &why), 5);
	assert_memory_equal(out, "\x01\x02\x03\x04\x05", 5);
	p[3] = p[1]; /* the same part again: skipped */
	assert_int_equal(ub_sms_reassemble(p, 4, out, sizeof(out), &why), 5);
	assert_int_equal(ub_sms_reassemble(p, 3, out, 4, &why), UB_E_USAGE);
	{
		static uint8_t other[200];
		int n = ub_unhex(other, sizeof(other),
				 deliver("0B05040B8423F000035A0301", "FF02", 0));

		/* part 1 again with other data: which is right? refused */
		assert_int_equal(ub_sms_deliver_decode(other, (size_t)n, true, &p[3], &why), 0);
		assert_int_equal(ub_sms_reassemble(p, 4, out, sizeof(out), &why), UB_E_BAD_DATA);
		/* another reference: another message */
		n = ub_unhex(other, sizeof(other), deliver("0B05040B8423F000035B0301", "0102", 0));
		assert_int_equal(ub_sms_deliver_decode(other, (size_t)n, true, &p[3], &why), 0);
		assert_false(ub_sms_same_message(&p[0], &p[3]));
		assert_int_equal(ub_sms_reassemble(p, 4, out, sizeof(out), &why), UB_E_BAD_DATA);
	}
	{
		/* alphanumeric senders "A£" and "A¥" (GSM 7-bit 01, 03) both
		 * print "A?": compared as sent, they are two senders */
		static uint8_t x[200], y[200];
		const char *fmt = "004404D0%s0004321141223102000E0B05040B8423F000035A03010102";
		char hx[200];
		int n;

		snprintf(hx, sizeof(hx), fmt, "C100");
		n = ub_unhex(x, sizeof(x), hx);
		assert_int_equal(ub_sms_deliver_decode(x, (size_t)n, true, &p[0], &why), 0);
		snprintf(hx, sizeof(hx), fmt, "C101");
		n = ub_unhex(y, sizeof(y), hx);
		assert_int_equal(ub_sms_deliver_decode(y, (size_t)n, true, &p[1], &why), 0);
		assert_string_equal(p[0].originator, "A?");
		assert_string_equal(p[1].originator, "A?");
		assert_false(ub_sms_same_message(&p[0], &p[1]));
	}
}

static void sms_encode(void **state)
{
	static uint8_t payload[1000], out[1000];
	struct ub_sms_encode_opts o = {NULL, "+4915112345678", true, 2948, 9200, 8, 0x42, 0x04, {0},
				       NULL};
	struct ub_sms_deliver d[8];
	struct ub_sms_part part[8];
	/* one part holds 133 octets (UDH: ports); then 128 a part with an
	 * 8-bit reference, 127 with a 16-bit one */
	size_t sizes[] = {0, 1, 133, 134, 256, 383, 384, 385, 640}, i;
	int parts8[] = {1, 1, 1, 2, 2, 3, 3, 4, 5}, parts16[] = {1, 1, 1, 2, 3, 4, 4, 4, 6};
	int n, k, bits;

	(void)state;
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 1);
	ub_sms_scts(1700000000, o.scts);
	for (bits = 8; bits <= 16; bits += 8) {
		o.ref_bits = (uint8_t)bits;
		o.ref = bits == 16 ? 0xBEEF : 0x42;
		o.smsc = bits == 16 ? "+491710760000" : NULL;
		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			n = ub_sms_part_count(sizes[i], &o);
			assert_int_equal(n, bits == 16 ? parts16[i] : parts8[i]);
			for (k = 0; k < n; k++) {
				assert_int_equal(
					ub_sms_encode(payload, sizes[i], &o, (unsigned)k, &part[k]),
					0);
				assert_true(part[k].udh_len + part[k].data_len <= UB_SMS_UD_MAX);
				assert_int_equal(ub_sms_deliver_decode(part[k].tpdu,
								       part[k].tpdu_len,
								       o.smsc != NULL, &d[k], &why),
						 0);
				assert_int_equal(d[k].ref_bits, n > 1 ? bits : 0);
				assert_string_equal(d[k].originator, "+4915112345678");
				assert_string_equal(d[k].scts_text, "2023-11-14T22:13:20+00:00");
			}
			assert_int_equal(ub_sms_reassemble(d, (size_t)n, out, sizeof(out), &why),
					 (int)sizes[i]);
			assert_memory_equal(out, payload, sizes[i]);
		}
	}
	o.originator = "Operator"; /* alphanumeric */
	assert_int_equal(ub_sms_encode(payload, 10, &o, 0, &part[0]), 0);
	assert_int_equal(ub_sms_deliver_decode(part[0].tpdu, part[0].tpdu_len, true, &d[0], &why),
			 0);
	assert_string_equal(d[0].originator, "Operator");
	o.originator = "Ope|rator";
	assert_int_equal(ub_sms_encode(payload, 10, &o, 0, &part[0]), UB_E_USAGE);
	o.originator = "+4915112345678";
	o.dcs = 0x00; /* GSM 7-bit: not for binary data */
	assert_int_equal(ub_sms_part_count(10, &o), UB_E_USAGE);
	o.dcs = 0x04;
	o.ref_bits = 8;
	o.ref = 0x100;
	assert_int_equal(ub_sms_part_count(10, &o), UB_E_USAGE);
	o.ref = 1;
	assert_int_equal(ub_sms_part_count(255 * 128, &o), 255);
	assert_int_equal(ub_sms_part_count(255 * 128 + 1, &o), UB_E_USAGE);
	assert_int_equal(ub_sms_encode(payload, 10, &o, 1, &part[0]), UB_E_USAGE);
}

/* SMS-SUBMIT for a modem's AT+CMGS: TS 23.040 9.2.2.2, by hand */
static void sms_encode_submit(void **state)
{
	static const uint8_t payload[3] = {1, 2, 3};
	struct ub_sms_encode_opts o = {"",  "+10000000000",  true, 2948, 9200, 8, 0, 0x04,
				       {0}, "+4915112345678"};
	struct ub_sms_part part;
	char hx[2 * UB_SMS_TPDU_MAX + 1];

	(void)state;
	assert_int_equal(ub_sms_encode(payload, 3, &o, 0, &part), 0);
	/* 00: no SMSC address (the modem's); 41: SMS-SUBMIT, TP-UDHI, no
	 * validity period; 00: TP-MR; 0D 91 ...: TP-DA, 13 digits,
	 * international; 00 TP-PID; 04 TP-DCS; 0A TP-UDL; UDH ports 2948/9200 */
	assert_string_equal(ub_hex(hx, part.tpdu, part.tpdu_len),
			    "0041000d91945111325476f800040a0605040b8423f0010203");
	assert_int_equal(part.udh_len, 7);
	assert_int_equal(part.data_len, 3);
	o.submit_to = "Operator"; /* a destination is digits */
	assert_int_equal(ub_sms_encode(payload, 3, &o, 0, &part), UB_E_USAGE);
	o.submit_to = "";
	assert_int_equal(ub_sms_part_count(3, &o), UB_E_USAGE);
}

/* --- WSP --- */

#define MAC_CP "C483EC25F7E3E0CF100380DA5F6714CF204A5EC5"
#define MAC_CP_HEX \
	"43343833454332354637453345304346313030333830444135463637313443463230344135454335"

static int push(const char *hex, struct ub_wsp_push *p)
{
	size_t n = H(hex);

	return ub_wsp_push_decode(buf, n, p, &why);
}

/* TID 01, Push, HeadersLen computed, headers, body */
static int pushh(const char *headers, const char *body, struct ub_wsp_push *p)
{
	char hex[1200];

	snprintf(hex, sizeof(hex), "0106%02X%s%s", (unsigned)(strlen(headers) / 2), headers, body);
	return push(hex, p);
}

static void wsp_known(void **state)
{
	struct ub_wsp_push p;
	struct ub_wsp_ctype ct;
	size_t used;

	(void)state;
	/* Kannel's sendota oma-settings header (gw/ota_prov.c): 1F 2D B6,
	 * SEC 91 80, MAC 92 + 40 hex + 00 */
	assert_int_equal(push("01062F1F2DB6918092" MAC_CP_HEX "00030B6A00", &p), 0);
	assert_int_equal(p.tid, 1);
	assert_string_equal(p.ct.media, "application/vnd.wap.connectivity-wbxml");
	assert_int_equal(p.ct.media_code, 0x36);
	assert_string_equal(p.ct.sec, "0");
	assert_true(p.ct.sec_typed);
	assert_string_equal(p.ct.mac, MAC_CP);
	assert_int_equal(p.body_len, 4);
	assert_int_equal(p.ct_len, 47);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_CP_BOOTSTRAP);
	/* a Service Indication: Constrained-media AE, no other header */
	assert_int_equal(push("DC0601AE02056A0045C60C03", &p), 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_SI);
	assert_int_equal(p.body_len, 8);
	/* SI with charset, X-Wap-Application-Id 1 (push.sia), Content-Length,
	 * an application header, X-Wap-Content-URI */
	assert_int_equal(pushh("03AE81EA"
			       "AF81"
			       "8D83"
			       "582D466F6F00"
			       "62617200"
			       "B0"
			       "687474703A2F2F782F00",
			       "AA", &p),
			 0);
	assert_int_equal(p.app_code, 1);
	assert_string_equal(p.app_uri, "x-wap-application:push.sia");
	assert_int_equal(p.content_length, 3);
	assert_string_equal(p.content_uri, "http://x/");
	assert_int_equal(p.headers_skipped, 1);
	assert_int_equal(p.body_len, 1);
	/* after a shift to code page 2, AF is not X-Wap-Application-Id: it is
	 * skipped, and so not "twice"; the short-cut shift 01 returns */
	assert_int_equal(pushh("AE"
			       "AF81"
			       "7F02"
			       "AF87"
			       "B181"
			       "01"
			       "8D83",
			       "", &p),
			 0);
	assert_int_equal(p.app_code, 1);
	assert_int_equal(p.headers_skipped, 2);
	assert_true(p.has_content_length);
	assert_int_equal(pushh("AE"
			       "AF81"
			       "01"
			       "AF87",
			       "", &p),
			 UB_E_BAD_DATA);
	/* application id as a URI; as a text header name */
	assert_int_equal(pushh("C2"
			       "AF"
			       "782D7761702D6170706C69636174696F6E3A73796E636D6C2E646D00",
			       "", &p),
			 0);
	assert_string_equal(p.app_uri, "x-wap-application:syncml.dm");
	assert_int_equal(p.app_code, -1);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_DM_BOOTSTRAP);
	assert_int_equal(pushh("C2"
			       "582D5741502D4170706C69636174696F6E2D494400"
			       "87",
			       "", &p),
			 UB_E_BAD_DATA); /* an application header's value is text */
	assert_int_equal(pushh("C2"
			       "582D5741502D4170706C69636174696F6E2D494400"
			       "782D3A6D6D7300",
			       "", &p),
			 0);
	assert_string_equal(p.app_uri, "x-:mms");
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_OTHER); /* dm+wbxml for another app */
	assert_int_equal(pushh("C2"
			       "AF84",
			       "", &p),
			 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_OTHER); /* dm+wbxml for mms.ua */
	assert_int_equal(pushh("C4"
			       "AF87",
			       "", &p),
			 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_DM_NOTIFICATION);
	assert_int_equal(pushh("BE", "", &p), 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_MMS);
	assert_int_equal(pushh("B0", "", &p), 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_SL);
	assert_int_equal(pushh("C3", "", &p), 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_DM_XML);
	/* untyped SEC (no short integer exists for it), quoted MAC */
	assert_int_equal(ub_wsp_ctype_decode(buf,
					     H("1F49C2"
					       "53454300"
					       "5553455250494E5F4E4554574F524B49445F47424100"
					       "4D414300"
					       "22" MAC_CP_HEX "00"),
					     &used, &ct, &why),
			 0);
	assert_string_equal(ct.sec, "USERPIN_NETWORKID_GBA");
	assert_false(ct.sec_typed);
	assert_string_equal(ct.mac, MAC_CP);
	/* media as text, a Q parameter of 2 octets, charset */
	assert_int_equal(ub_wsp_ctype_decode(buf,
					     H("10"
					       "746578742F706C61696E00"
					       "808164"
					       "81EA"),
					     &used, &ct, &why),
			 0);
	assert_string_equal(ct.media, "text/plain");
	assert_int_equal(ct.media_code, -1);
	/* media as a Long-integer well-known code; an unknown code */
	assert_int_equal(ub_wsp_ctype_decode(buf,
					     H("0201"
					       "44"),
					     &used, &ct, &why),
			 0);
	assert_int_equal(ct.media_code, 0x44);
	assert_int_equal(ub_wsp_ctype_decode(buf, H("FF"), &used, &ct, &why), 0);
	assert_string_equal(ct.media, "wsp:0x7f");
	assert_int_equal(ub_wsp_ctype_decode(buf,
					     H("0302"
					       "0201"),
					     &used, &ct, &why),
			 0);
	assert_string_equal(ct.media, "wsp:0x201");
	/* ports */
	assert_int_equal(ub_wsp_push_from_wdp(true, 2949, buf, 0, &p, &why), UB_E_NOT_SUPPORTED);
	assert_non_null(strstr(why.what, "WTLS"));
	assert_int_equal(ub_wsp_push_from_wdp(false, 0, buf, 0, &p, &why), UB_E_NOT_SUPPORTED);
	assert_int_equal(ub_wsp_push_from_wdp(true, 9200, buf, 0, &p, &why), UB_E_NOT_SUPPORTED);
}

static void wsp_torture(void **state)
{
	static const struct {
		const char *hex, *what;
	} bad[] = {
		{"", "empty"},
		{"01", "no PDU type"},
		{"0104"
		 "01"
		 "AE",
		 "Reply, not Push"},
		{"0140"
		 "01"
		 "AE",
		 "Get, not Push"},
		{"0106", "no HeadersLen"},
		{"0106"
		 "808080808001"
		 "AE",
		 "uintvar of 6 octets"},
		{"0106"
		 "9FFFFFFF7F"
		 "AE",
		 "uintvar over 32 bits"},
		{"0106"
		 "05"
		 "AE",
		 "HeadersLen past the end"},
		{"0106"
		 "00",
		 "HeadersLen 0"},
		{"0106"
		 "02"
		 "05B6"
		 "000000",
		 "Content-Type value length past HeadersLen"},
		{"0106"
		 "04"
		 "1F05B6"
		 "00"
		 "00000000",
		 "uintvar length past HeadersLen"},
		{"0106"
		 "01"
		 "00",
		 "Content-Type 00"},
		{"0106"
		 "01"
		 "7F",
		 "Content-Type 7F"},
		{"0106"
		 "03"
		 "02"
		 "1F"
		 "80",
		 "media type 1F"},
		{"0106"
		 "04"
		 "746578",
		 "media text without end"},
		{"0106"
		 "02"
		 "AE"
		 "91",
		 "a second Content-Type (well-known)"},
		{"0106"
		 "0F"
		 "AE"
		 "436F6E74656E742D5479706500"
		 "B600",
		 "a second Content-Type (text)"},
		{"0106"
		 "05"
		 "AE"
		 "AF87"
		 "AF87",
		 "X-Wap-Application-Id twice"},
		{"0106"
		 "03"
		 "AE"
		 "AF"
		 "1F",
		 "header value: uintvar missing"},
		{"0106"
		 "03"
		 "AE"
		 "AF"
		 "05",
		 "header value length past the headers"},
		{"0106"
		 "03"
		 "AE"
		 "B0"
		 "41",
		 "X-Wap-Content-URI without end"},
		{"0106"
		 "05"
		 "AE"
		 "8D83"
		 "8D84",
		 "Content-Length twice"},
		{"0106"
		 "02"
		 "AE"
		 "00",
		 "header octet 00"},
		{"0106"
		 "02"
		 "AE"
		 "7F",
		 "page shift without a page"},
		{"0106"
		 "03"
		 "AE"
		 "AF"
		 "0A",
		 "application id Long-integer of 10 octets"},
	};
	static const char *bad_text[] = {
		"0106"
		"06"
		"AE"
		"AF7F1F2D00", /* a control octet in the application id */
		"0106"
		"05"
		"41420A4300", /* ... in the media type */
	};
	static const char *bad_ctype[] = {
		"03B6"
		"91", /* SEC without value */
		"04B6"
		"9100", /* SEC No-value */
		"05B6"
		"92"
		"414200", /* MAC of 2 characters */
		"1F2CB6"
		"92"
		"43343833454332354637453345304346313030333830444135463637313443463230344135454335"
		"4300", /* MAC of 41 */
		"1F2BB6"
		"92"
		"43343833454332354637453345304346313030333830444135463637313443463230344135454300"
		"00", /* MAC of 39 + NUL + junk */
		"1F2BB6"
		"92"
		"47343833454332354637453345304346313030333830444135463637313443463230344135454335"
		"00", /* MAC with a G */
		"03B6"
		"9281", /* MAC as an integer */
		"04B6"
		"9200", /* MAC No-value */
		"05B6"
		"80FFFF01", /* Q-value of 3 octets */
		"03B6"
		"1F", /* parameter 1F */
		"03B6"
		"00", /* parameter 00 */
		"08B6"
		"0501020304058"
		"0", /* parameter token Long-integer of 5 octets */
		"05B6"
		"534543", /* untyped name without end */
		"06B6"
		"5345430041", /* untyped value without end */
		"05B6"
		"8A"
		"4142", /* typed text value without end */
	};
	struct ub_wsp_push p;
	struct ub_wsp_ctype ct;
	const char *good = "01062F1F2DB6918092" MAC_CP_HEX "00030B6A00";
	size_t i, n, used;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (push(bad[i].hex, &p) != UB_E_BAD_DATA)
			fail_msg("accepted: %s (%s)", bad[i].what, bad[i].hex);
	for (i = 0; i < sizeof(bad_text) / sizeof(bad_text[0]); i++) {
		assert_int_equal(push(bad_text[i], &p), UB_E_BAD_DATA);
		assert_non_null(strstr(why.what, "control octet"));
	}
	for (i = 0; i < sizeof(bad_ctype) / sizeof(bad_ctype[0]); i++) {
		n = H(bad_ctype[i]);
		if (ub_wsp_ctype_decode(buf, n, &used, &ct, &why) != UB_E_BAD_DATA)
			fail_msg("Content-Type accepted: %s", bad_ctype[i]);
	}
	assert_int_equal(push("0107"
			      "01"
			      "AE",
			      &p),
			 UB_E_NOT_SUPPORTED); /* ConfirmedPush */
	/* truncated at every octet: the headers no longer fit */
	n = H(good);
	for (i = 0; i < 49; i++)
		if (ub_wsp_push_decode(buf, i, &p, &why) == 0)
			fail_msg("accepted when cut to %zu octets", i);
	assert_int_equal(ub_wsp_push_decode(buf, n, &p, &why), 0);
	/* the reason says where */
	assert_int_equal(push("0106"
			      "05"
			      "AE",
			      &p),
			 UB_E_BAD_DATA);
	assert_non_null(strstr(why.what, "octet 2: HeadersLen 5"));
}

/* SEC and MAC twice, in every combination of their encodings: typed as a
 * short-integer token (91/92), typed as a Long-integer token (01 11 /
 * 01 12), untyped in three spellings.  A receiver that takes the first and
 * a middlebox that takes the last would disagree. */
static void wsp_repeated_sec_mac(void **state)
{
	static const char *secs[] = {
		"9180",	  /* SEC = 0 (NETWPIN) */
		"011183", /* token as Long-integer, USERPINMAC */
		"53454300"
		"81", /* SEC, Integer-value */
		"73656300"
		"555345525049"
		"4E00", /* sec = USERPIN */
		"53654300"
		"22"
		"555345525049"
		"4E00", /* Sec = "USERPIN" */
		"91"
		"7F"
		"555345525049"
		"4E00", /* SEC as a quoted Text-string */
	};
	static const char *macs[] = {
		"92" MAC_CP_HEX "00",
		"0112" MAC_CP_HEX "00",
		"4D414300" MAC_CP_HEX "00",
		"6D616300"
		"22" MAC_CP_HEX "00",
		"92"
		"22" MAC_CP_HEX "2200",
	};
	char hex[800];
	struct ub_wsp_ctype ct;
	struct ub_ctype dm;
	size_t i, j, n, used;

	(void)state;
	for (i = 0; i < 6; i++) {
		for (j = 0; j < 6; j++) { /* SEC twice */
			n = (strlen(secs[i]) + strlen(secs[j])) / 2 + 1;
			snprintf(hex, sizeof(hex), "1F%02XB6%s%s", (unsigned)n, secs[i], secs[j]);
			n = H(hex);
			assert_int_equal(ub_wsp_ctype_decode(buf, n, &used, &ct, &why),
					 UB_E_BAD_DATA);
			assert_non_null(strstr(why.what, "SEC twice"));
			assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), UB_E_BAD_DATA);
		}
		snprintf(hex, sizeof(hex), "1F%02XB6%s", (unsigned)(strlen(secs[i]) / 2 + 1),
			 secs[i]);
		n = H(hex);
		if (ub_wsp_ctype_decode(buf, n, &used, &ct, &why))
			fail_msg("SEC form %zu refused: %s", i, why.what);
	}
	for (i = 0; i < 5; i++) {
		for (j = 0; j < 5; j++) { /* MAC twice, even the same MAC */
			n = (strlen(macs[i]) + strlen(macs[j])) / 2 + 1;
			snprintf(hex, sizeof(hex), "1F%02XB6%s%s", (unsigned)n, macs[i], macs[j]);
			n = H(hex);
			assert_int_equal(ub_wsp_ctype_decode(buf, n, &used, &ct, &why),
					 UB_E_BAD_DATA);
			assert_non_null(strstr(why.what, "MAC twice"));
			assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), UB_E_BAD_DATA);
		}
		snprintf(hex, sizeof(hex), "1F%02XB6%s", (unsigned)(strlen(macs[i]) / 2 + 1),
			 macs[i]);
		n = H(hex);
		if (ub_wsp_ctype_decode(buf, n, &used, &ct, &why))
			fail_msg("MAC form %zu refused: %s", i, why.what);
		assert_string_equal(ct.mac, MAC_CP);
	}
	/* the attack the old decoder let through: typed NETWPIN, then an
	 * untyped SEC the device's old code took as the last word */
	n = H("1F"
	      "2C"
	      "C2"
	      "9180"
	      "53454300"
	      "555345525049"
	      "4E5F4E4554574F524B494400"
	      "92");
	assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), UB_E_BAD_DATA);
	/* one of each is fine, and maps to the DM layer's types */
	n = H("1F"
	      "2D"
	      "B6"
	      "9182"
	      "92" MAC_CP_HEX "00");
	assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), 0);
	assert_int_equal(dm.sec, UB_SEC_USERNETWPIN);
	assert_int_equal(dm.kind, UB_MSG_CP);
	n = H("1F"
	      "17"
	      "C2"
	      "53454300"
	      "555345525049"
	      "4E5F4E4554574F524B494400");
	assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), 0);
	assert_int_equal(dm.sec, UB_SEC_USERPIN_NETWORKID);
	assert_int_equal(dm.kind, UB_MSG_DM);
	n = H("05"
	      "C2"
	      "53454300"
	      "89"); /* SEC 9: not a type we know */
	assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), UB_E_BAD_DATA);
	n = H("C2"
	      "00"); /* trailing octets after the value */
	assert_int_equal(ub_ctype_parse_wsp(buf, n, &dm), UB_E_BAD_DATA);
}

static void wsp_encode(void **state)
{
	static uint8_t out[1200], body[600];
	struct ub_wsp_encode_opts o = {0x2A,	  "application/vnd.syncml.dm+wbxml",
				       "USERPIN", "1E693C3D758941815B50BD6EC0F053D47A29628C",
				       7,	  NULL};
	struct ub_wsp_push p;
	char hex[200];
	int n;

	(void)state;
	memset(body, 0xB5, sizeof(body));
	n = ub_wsp_push_encode(&o, body, 469, out, sizeof(out));
	assert_true(n > 469);
	/* TID, Push, HeadersLen, 1F 2D C2 91 81 92 <40> 00, AF 87 */
	ub_hex(hex, out, 9);
	assert_string_equal(hex, "2a06311f2dc2918192");
	assert_int_equal(ub_wsp_push_decode(out, (size_t)n, &p, &why), 0);
	assert_string_equal(p.ct.sec, "1");
	assert_int_equal(p.app_code, 7);
	assert_int_equal(p.body_len, 469);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_DM_BOOTSTRAP);
	o.sec = "USERPIN_NETWORKID_GBA"; /* no short integer: untyped */
	o.app_code = -1;
	o.app_uri = "x-wap-application:syncml.dm";
	n = ub_wsp_push_encode(&o, body, 10, out, sizeof(out));
	assert_int_equal(ub_wsp_push_decode(out, (size_t)n, &p, &why), 0);
	assert_string_equal(p.ct.sec, "USERPIN_NETWORKID_GBA");
	assert_false(p.ct.sec_typed);
	assert_string_equal(p.app_uri, "x-wap-application:syncml.dm");
	o.sec = NULL;
	o.mac = NULL;
	o.app_uri = NULL;
	n = ub_wsp_push_encode(&o, body, 1, out, sizeof(out));
	ub_hex(hex, out, (size_t)n);
	assert_string_equal(hex, "2a0601c2b5");	  /* Constrained-media */
	o.media = "application/vnd.3gpp.gba.gpi"; /* text media */
	n = ub_wsp_push_encode(&o, body, 1, out, sizeof(out));
	assert_int_equal(ub_wsp_push_decode(out, (size_t)n, &p, &why), 0);
	assert_int_equal(ub_wsp_classify(&p), UB_WSP_GBA_PUSH);
	o.sec = "USER PIN";
	assert_int_equal(ub_wsp_push_encode(&o, body, 1, out, sizeof(out)), UB_E_USAGE);
	o.sec = NULL;
	o.mac = "1E69";
	assert_int_equal(ub_wsp_push_encode(&o, body, 1, out, sizeof(out)), UB_E_USAGE);
	o.mac = NULL;
	assert_int_equal(ub_wsp_push_encode(&o, body, 600, out, 100), UB_E_USAGE);
	assert_int_equal(ub_wsp_ctype_encode("text/\x01", NULL, NULL, out, sizeof(out)),
			 UB_E_USAGE);
}

/* --- the sender against independent vectors --- */

static const char dm12_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE SyncML PUBLIC \"-//SYNCML//DTD SyncML 1.2//EN\" "
	"\"http://www.openmobilealliance.org/tech/DTD/OMA-TS-SyncML_RepPro_DTD-V1_2.dtd\">\n"
	"<SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2"
	"</VerProto><SessionID>0</SessionID><MsgID>0</MsgID><Target><LocURI>IMEI:"
	"493005100592800</LocURI></Target><Source><LocURI>https://dm.example.com</LocURI>"
	"</Source></SyncHdr><SyncBody><Add><CmdID>1</CmdID>"
	"<Item><Target><LocURI>./DMAcc/ex/AppID</LocURI></Target><Data>w7</Data></Item>"
	"<Item><Target><LocURI>./DMAcc/ex/ServerID</LocURI></Target><Data>dm.example.com</Data>"
	"</Item><Item><Target><LocURI>./DMAcc/ex/AppAddr/1/Addr</LocURI></Target><Data>"
	"https://dm.example.com</Data></Item><Item><Target><LocURI>./DMAcc/ex/AppAddr/1/AddrType"
	"</LocURI></Target><Data>URI</Data></Item><Item><Target><LocURI>./DMAcc/ex/AppAuth/1/"
	"AAuthLevel</LocURI></Target><Data>CLCRED</Data></Item><Item><Target><LocURI>./DMAcc/"
	"ex/AppAuth/1/AAuthType</LocURI></Target><Data>DIGEST</Data></Item><Item><Target>"
	"<LocURI>./DMAcc/ex/AppAuth/1/AAuthName</LocURI></Target><Data>cli</Data></Item><Item>"
	"<Target><LocURI>./DMAcc/ex/AppAuth/1/AAuthSecret</LocURI></Target><Data>clipw</Data>"
	"</Item></Add><Final/></SyncBody></SyncML>\n";

static void sender_vectors(void **state)
{
	static const struct {
		enum ub_sec sec;
		enum ub_netid_key netid;
		const char *mac, *sec_text;
	} v[] = {
		{UB_SEC_NETWORKID, UB_NETID_SEMI_OCTET, "80D3D4C9D735DC5D63B4A24E79F01BF113C0D682",
		 "NETWORKID"},
		{UB_SEC_NETWORKID, UB_NETID_ASCII, "28EA566DCCFB3AA3829F5CCB76CD92A4FC8F6BBE",
		 "NETWORKID"},
		{UB_SEC_USERPIN, UB_NETID_SEMI_OCTET, "1E693C3D758941815B50BD6EC0F053D47A29628C",
		 "USERPIN"},
		{UB_SEC_USERPIN_NETWORKID, UB_NETID_SEMI_OCTET,
		 "280C36388BCADF295A7E6838B2C9E36DCBC3A494", "USERPIN_NETWORKID"},
		{UB_SEC_USERNETWPIN, UB_NETID_SEMI_OCTET,
		 "DDB42787A8E4CAF6CF80D49AD14CACCC523C1E60", "USERNETWPIN"},
	};
	struct ub_send_opts o;
	struct ub_send_result r;
	struct ub_wsp_push p;
	struct ub_status err = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		memset(&o, 0, sizeof(o));
		o.sec = v[i].sec;
		o.keys.imsi = "001010123456789";
		o.keys.pin = "1234";
		o.keys.netid = v[i].netid;
		o.tid = 1;
		assert_int_equal(
			ub_send_build((const uint8_t *)dm12_xml, strlen(dm12_xml), &o, &r, &err),
			0);
		assert_int_equal(r.wbxml_len, 469);
		assert_int_equal(r.kind, UB_PLAN_DM12);
		assert_string_equal(r.mac, v[i].mac);
		assert_string_equal(r.sec, v[i].sec_text);
		assert_int_equal(ub_wsp_push_decode(r.wsp, r.wsp_len, &p, &why), 0);
		assert_string_equal(p.ct.mac, v[i].mac);
		assert_int_equal(p.body_len, 469);
		ub_send_result_free(&r);
	}
	/* key material missing */
	memset(&o, 0, sizeof(o));
	o.sec = UB_SEC_USERPIN;
	assert_int_equal(ub_send_build((const uint8_t *)dm12_xml, strlen(dm12_xml), &o, &r, &err),
			 UB_E_USAGE);
	/* not a bootstrap our device decoder takes */
	o.keys.pin = "1234";
	assert_int_equal(ub_send_build((const uint8_t *)"<a/>", 4, &o, &r, &err), UB_E_BAD_DATA);
}

static void sender_cp_vector(void **state)
{
	static const char cp_hex[] =
		"030B6A0674657374310045C6560187070683000101C655018707068300018711060374657374"
		"315F4E415049440001871006AB0187080603746573743200018709068901871401C65A01870C"
		"069A01870D060367707273757365726E616D650001870E06036770727370617373776F7264"
		"0001010101";
	struct ub_send_opts o;
	struct ub_send_result r;
	struct ub_status err = {0};
	uint8_t doc[200];
	int n = ub_unhex(doc, sizeof(doc), cp_hex);

	(void)state;
	assert_int_equal(n, 118);
	memset(&o, 0, sizeof(o));
	o.sec = UB_SEC_NETWORKID;
	o.keys.imsi = "123456789012345";
	assert_int_equal(ub_send_build(doc, (size_t)n, &o, &r, &err), 0);
	assert_int_equal(r.kind, UB_PLAN_CP);
	assert_string_equal(r.mac, MAC_CP);
	assert_string_equal(r.sec, "NETWPIN"); /* CP: the WSP table's name (short integer 0) */
	assert_int_equal(r.wsp[3], 0x1F);
	assert_int_equal(r.wsp[5], 0xB6);
	assert_int_equal(r.wsp[6], 0x91);
	assert_int_equal(r.wsp[7], 0x80);
	ub_send_result_free(&r);
	o.keys.netid = UB_NETID_ASCII;
	assert_int_equal(ub_send_build(doc, (size_t)n, &o, &r, &err), 0);
	assert_string_equal(r.mac, "BC1D9A92B169C9A4A066190D507F0D2E31CDDFAF");
	ub_send_result_free(&r);
	/* USERPINMAC: the PIN the user types carries the check digits, and the
	 * device's verify accepts it */
	o.sec = UB_SEC_USERPINMAC;
	o.userpinmac_key = "13579";
	assert_int_equal(ub_send_build(doc, (size_t)n, &o, &r, &err), 0);
	assert_int_equal(strlen(r.userpin), 10);
	assert_string_equal(r.mac, "");
	{
		struct ub_mac_keys k = {NULL, UB_NETID_SEMI_OCTET, r.userpin, NULL};

		assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPINMAC, r.wbxml, r.wbxml_len, NULL),
				 0);
	}
	ub_send_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sms_known),	     cmocka_unit_test(sms_torture),
		cmocka_unit_test(sms_reassembly),    cmocka_unit_test(sms_encode),
		cmocka_unit_test(sms_encode_submit), cmocka_unit_test(wsp_known),
		cmocka_unit_test(wsp_torture),	     cmocka_unit_test(wsp_repeated_sec_mac),
		cmocka_unit_test(wsp_encode),	     cmocka_unit_test(sender_vectors),
		cmocka_unit_test(sender_cp_vector),
	};

	return cmocka_run_group_tests_name("wire: SMS and WSP", tests, NULL, NULL);
}
