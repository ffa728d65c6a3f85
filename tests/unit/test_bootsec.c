/* Policy, Content-Type and bootstrap MACs: the vectors of docs/test-vectors.md
 * 2.4 and 4.2, and inputs that must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "dm_names.h"
#include "ub_bootsec.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_policy.h"
#include "ub_push.h"
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* docs/test-vectors.md 1: a DM 1.2 bootstrap, WBXML, 469 bytes */
static const char fixture_hex[] =
	"02a4016a006d6c7103312e3200017203444d2f312e32000165033000015b033000016e5703494d45493a343933"
	"303035"
	"31303035393238303000010167570368747470733a2f2f646d2e6578616d706c652e636f6d000101016b454b03"
	"310001"
	"546e57032e2f444d4163632f65782f41707049440001014fc30277370101546e57032e2f444d4163632f65782f"
	"536572"
	"76657249440001014fc30e646d2e6578616d706c652e636f6d0101546e57032e2f444d4163632f65782f417070"
	"416464"
	"722f312f416464720001014fc31668747470733a2f2f646d2e6578616d706c652e636f6d0101546e57032e2f44"
	"4d4163"
	"632f65782f417070416464722f312f41646472547970650001014fc3035552490101546e57032e2f444d416363"
	"2f6578"
	"2f417070417574682f312f41417574684c6576656c0001014fc306434c435245440101546e57032e2f444d4163"
	"632f65"
	"782f417070417574682f312f4141757468547970650001014fc3064449474553540101546e57032e2f444d4163"
	"632f65"
	"782f417070417574682f312f41417574684e616d650001014fc303636c690101546e57032e2f444d4163632f65"
	"782f41"
	"7070417574682f312f41417574685365637265740001014fc305636c697077010101120101";

static uint8_t body[600];
static size_t body_len;

static int setup(void **state)
{
	(void)state;
	body_len = (size_t)ub_unhex(body, sizeof(body), fixture_hex);
	return body_len == 469 ? 0 : -1;
}

static void mac_of(const char *hex, uint8_t mac[UB_MAC_LEN])
{
	assert_int_equal(ub_unhex(mac, UB_MAC_LEN, hex), UB_MAC_LEN);
}

static void dm_vectors(void **state)
{
	static const uint8_t ks[32] = {0x7a, 0x20, 0x5c, 0xe7, 0x86, 0xb1, 0x4d, 0xad,
				       0x6f, 0x28, 0xd1, 0xf8, 0xb3, 0x9d, 0x74, 0xab,
				       0xa2, 0xa1, 0x72, 0xa3, 0xc1, 0x34, 0x04, 0x3b,
				       0xb0, 0x36, 0x91, 0x2e, 0x20, 0x36, 0xb6, 0x10};
	struct ub_mac_keys k = {"001010123456789", UB_NETID_SEMI_OCTET, "1234", ks};
	uint8_t mac[UB_MAC_LEN];

	(void)state;
	mac_of("80D3D4C9D735DC5D63B4A24E79F01BF113C0D682", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID, body, body_len, mac), 0);
	mac_of("1E693C3D758941815B50BD6EC0F053D47A29628C", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN, body, body_len, mac), 0);
	mac_of("280C36388BCADF295A7E6838B2C9E36DCBC3A494", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN_NETWORKID, body, body_len, mac), 0);
	mac_of("DDB42787A8E4CAF6CF80D49AD14CACCC523C1E60", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERNETWPIN, body, body_len, mac), 0);
	/* GBA forms (self-computed with Python hmac; key = Ks_ext_NAF of
	 * docs/test-vectors.md 4, or "1234:" || it) */
	mac_of("E984C821B69115AD648546DA0219F442B8080E77", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID_GBA, body, body_len, mac), 0);
	mac_of("482CED5176307FD59335F281ACE4B5B4DCF3CB66", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN_NETWORKID_GBA, body, body_len, mac), 0);
	/* ASCII NETWORKID, when the policy says so */
	k.netid = UB_NETID_ASCII;
	mac_of("28EA566DCCFB3AA3829F5CCB76CD92A4FC8F6BBE", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID, body, body_len, mac), 0);
	mac_of("824E3EE523E8F6F18FF3B0AE2531503DAECD5D4A", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN_NETWORKID, body, body_len, mac), 0);
	mac_of("80D3D4C9D735DC5D63B4A24E79F01BF113C0D682", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID, body, body_len, mac), UB_E_MAC);
}

static void dm_refusals(void **state)
{
	struct ub_mac_keys k = {"001010123456789", UB_NETID_SEMI_OCTET, "1234", NULL};
	uint8_t mac[UB_MAC_LEN];
	size_t i;

	(void)state;
	mac_of("1E693C3D758941815B50BD6EC0F053D47A29628C", mac);
	k.pin = "1235"; /* wrong key */
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN, body, body_len, mac), UB_E_MAC);
	k.pin = "1234";
	for (i = 0; i < body_len; i += 97) { /* one changed byte anywhere */
		body[i] ^= 0x01;
		assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN, body, body_len, mac), UB_E_MAC);
		body[i] ^= 0x01;
	}
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN, body, body_len - 1, mac), UB_E_MAC);
	k.pin = NULL;
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPIN, body, body_len, mac), UB_E_USAGE);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID_GBA, body, body_len, mac), UB_E_USAGE);
	k.imsi = "12345";
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID, body, body_len, mac), UB_E_BAD_DATA);
}

static void cp_vectors(void **state)
{
	/* docs/test-vectors.md 2 (NowSMS-confirmed) */
	static const char cp_hex[] =
		"030B6A0674657374310045C6560187070683000101C655018707068300018711060374657374"
		"315F4E415049440001871006AB0187080603746573743200018709068901871401C65A01870C"
		"069A01870D060367707273757365726E616D650001870E06036770727370617373776F7264"
		"0001010101";
	uint8_t cp[200], mac[UB_MAC_LEN], key[8];
	struct ub_mac_keys k = {"123456789012345", UB_NETID_SEMI_OCTET, NULL, NULL};
	int n = ub_unhex(cp, sizeof(cp), cp_hex);
	char hex[20];

	(void)state;
	assert_int_equal(n, 118);
	assert_int_equal(ub_imsi_semi_octets("123456789012345", key), 8);
	assert_string_equal(ub_hex(hex, key, 8), "1932547698103254");
	assert_int_equal(ub_imsi_semi_octets("00101012345678", key), 8);
	assert_string_equal(ub_hex(hex, key, 8), "01101010325476f8");
	assert_int_equal(ub_imsi_semi_octets("1234a6789", key), UB_E_BAD_DATA);
	mac_of("C483EC25F7E3E0CF100380DA5F6714CF204A5EC5", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID, cp, (size_t)n, mac), 0);
	mac_of("BC1D9A92B169C9A4A066190D507F0D2E31CDDFAF", mac);
	assert_int_equal(ub_mac_verify(&k, UB_SEC_NETWORKID, cp, (size_t)n, mac), UB_E_MAC);
	/* USERPINMAC: 5 key digits + 5 check digits, over the DM fixture */
	k.pin = "1357904832";
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPINMAC, body, body_len, NULL), 0);
	k.pin = "1357904833";
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPINMAC, body, body_len, NULL), UB_E_MAC);
	k.pin = "13579048"; /* shorter than 10 */
	assert_int_equal(ub_mac_verify(&k, UB_SEC_USERPINMAC, body, body_len, NULL), UB_E_MAC);
}

#define MAC_HEX "1E693C3D758941815B50BD6EC0F053D47A29628C"
#define MAC_LOWER "1e693c3d758941815b50bd6ec0f053d47a29628c"
/* MAC_HEX as the hex of its ASCII digits, for the WSP forms */
#define MAC_HEX_WSP \
	"31453639334333443735383934313831354235304244364543304630353344343741323936323843"

static void content_type(void **state)
{
	static const char *bad[] = {
		"",
		"; SEC=USERPIN",
		"application/vnd.syncml.dm+wbxml; SEC=BOGUS",
		"application/vnd.syncml.dm+wbxml; SEC=USERPIN; SEC=NETWORKID",
		"application/vnd.syncml.dm+wbxml; MAC=1234",
		"application/vnd.syncml.dm+wbxml; MAC=zz3C3D758941815B50BD6EC0F053D47A29628C",
		"application/vnd.syncml.dm+wbxml; SEC",
		/* RFC 2045 syntax: malformed is refused, never guessed at */
		"application/vnd.syncml.dm+wbxml; SEC=USERPIN; x=\"foo;MAC=" MAC_HEX,
		"application/vnd.syncml.dm+wbxml; x=\"foo\\\"; MAC=" MAC_HEX,
		"application/vnd.syncml.dm+wbxml; SEC=\"USERPIN",
		"application/vnd.syncml.dm+wbxml; MAC",
		"application/vnd.syncml.dm+wbxml; MAC " MAC_HEX,
		"application/vnd.syncml.dm+wbxml;; SEC=USERPIN",
		"application/vnd.syncml.dm+wbxml; SEC=USERPIN;",
		"application/vnd.syncml.dm+wbxml; SEC=USERPIN MAC=" MAC_HEX,
		"application/vnd.syncml.dm+wbxml; SEC=USERPIN,MAC=" MAC_HEX,
		"application/vnd.syncml.dm+wbxml; SEC=USER\"PIN\"",
		"application/vnd.syncml.dm+wbxml; =USERPIN",
		"application/vnd.syncml.dm+wbxml; x=",
		"application/vnd.syncml.dm+wbxml; x=\"a\x01b\"",
		"application/vnd.syncml.dm+wbxml; x=\"a\xc3\xa9\"",
		"application/vnd.syncml.dm+wbxml (comment); SEC=USERPIN",
		"application/vnd.syncml.dm+wbxml SEC=USERPIN",
		"application/vnd.syncml.dm+wbxml=x",
		"application",
		"application/",
		"/vnd.syncml.dm+wbxml",
		"application / vnd.syncml.dm+wbxml",
		"application/vnd.syncml.dm+wbxml/x",
		/* SEC or MAC twice, quoted or not */
		"application/vnd.syncml.dm+wbxml; SEC=\"USERPIN\"; SEC=USERPIN",
		"application/vnd.syncml.dm+wbxml; MAC=\"" MAC_HEX "\"; mac=" MAC_HEX,
	};
	struct ub_ctype ct;
	size_t i;

	(void)state;
	/* the attack: a MAC inside a quoted string is no parameter (RFC 2045:
	 * x is the quoted string foo;MAC=...;y=bar) */
	assert_int_equal(ub_ctype_parse("application/vnd.syncml.dm+wbxml; SEC=USERPIN; "
					"x=\"foo;MAC=" MAC_HEX ";y=bar\"",
					&ct),
			 0);
	assert_int_equal(ct.sec, UB_SEC_USERPIN);
	assert_false(ct.has_mac);
	assert_int_equal(ub_ctype_parse("application/vnd.syncml.dm+wbxml;x=\"a\\\";MAC=" MAC_HEX
					";\\\\\";SEC=USERPIN",
					&ct),
			 0);
	assert_false(ct.has_mac);
	assert_int_equal(ct.sec, UB_SEC_USERPIN);
	/* a quoted SEC or MAC means what the token does; a quoted-pair
	 * stands for its character; white space around ';' and '=' */
	assert_int_equal(ub_ctype_parse("application/vnd.syncml.dm+wbxml ; x=\"a;b=c\" ;"
					"SEC = \"USERPIN\";\tMAC=\"\\1E693C3D758941815B50BD6EC0F053"
					"D47A29628C\" ",
					&ct),
			 0);
	assert_int_equal(ct.kind, UB_MSG_DM);
	assert_int_equal(ct.sec, UB_SEC_USERPIN);
	assert_true(ct.has_mac);
	assert_int_equal(ct.mac[0], 0x1e);
	assert_int_equal(ct.mac[19], 0x8c);
	assert_int_equal(ub_ctype_parse("application/vnd.syncml.dm+wbxml; SEC=USERPIN_NETWORKID; "
					"MAC=1e693c3d758941815b50bd6ec0f053d47a29628c",
					&ct),
			 0);
	assert_int_equal(ct.kind, UB_MSG_DM);
	assert_int_equal(ct.sec, UB_SEC_USERPIN_NETWORKID);
	assert_true(ct.has_mac);
	assert_int_equal(ct.mac[0], 0x1e);
	assert_int_equal(ub_ctype_parse("application/vnd.wap.connectivity-wbxml;sec=0;"
					"mac=\"C483EC25F7E3E0CF100380DA5F6714CF204A5EC5\"",
					&ct),
			 0);
	assert_int_equal(ct.kind, UB_MSG_CP);
	assert_int_equal(ct.sec, UB_SEC_NETWORKID);
	assert_int_equal(
		ub_ctype_parse("application/vnd.wap.connectivity-wbxml; SEC=USERPINMAC", &ct), 0);
	assert_int_equal(ct.sec, UB_SEC_USERPINMAC);
	assert_false(ct.has_mac);
	assert_int_equal(ub_ctype_parse("text/plain", &ct), 0);
	assert_int_equal(ct.kind, UB_MSG_UNKNOWN);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ub_ctype_parse(bad[i], &ct) != UB_E_BAD_DATA)
			fail_msg("Content-Type '%s' accepted", bad[i]);
}

static void content_type_wsp(void **state)
{
	static const char *bad[] = {
		"",
		"1f",		/* uintvar length missing */
		"1f8080808080", /* uintvar longer than 5 bytes */
		"1f05c2",	/* uintvar length past the end */
		"05b6",		/* length past the end */
		"03b69187",	/* SEC outside 0..3 */
		"2bb6924330",	/* MAC of the wrong length */
		"04b69280",	/* MAC without NUL */
		"03b64142",	/* untyped parameter */
		/* a media type as text is type/subtype, as in the text form:
		 * no parameters inside it */
		"6170706c69636174696f6e2f766e642e73796e636d6c2e646d2b7762786d6c3b4d41433"
		"d" MAC_HEX_WSP "00",
		"746578742f00",
		"7465787400",
	};
	struct ub_ctype ct;
	uint8_t b[128];
	int n;
	size_t i;

	(void)state;
	/* CP: 1F + uintvar length 45, media 0x36, SEC=NETWPIN (91 80), MAC + NUL */
	n = ub_unhex(b, sizeof(b),
		     "1f2db69180"
		     "92"
		     "4334383345433235463745334530434631303033"
		     "3830444135463637313443463230344135454335"
		     "00");
	assert_int_equal(ub_ctype_parse_wsp(b, (size_t)n, &ct), 0);
	assert_int_equal(ct.kind, UB_MSG_CP);
	assert_int_equal(ct.sec, UB_SEC_NETWORKID);
	assert_true(ct.has_mac);
	assert_int_equal(ct.mac[19], 0xC5);
	n = ub_unhex(b, sizeof(b), "c2");
	assert_int_equal(ub_ctype_parse_wsp(b, (size_t)n, &ct), 0);
	assert_int_equal(ct.kind, UB_MSG_DM);
	n = ub_unhex(b, sizeof(b),
		     "0581"
		     "9182"
		     "81ea"); /* + charset utf-8 */
	assert_int_equal(ub_ctype_parse_wsp(b, (size_t)n, &ct), 0);
	assert_int_equal(ct.sec, UB_SEC_USERNETWPIN);
	/* an untyped parameter x whose value is the quoted string
	 * "foo;MAC=<40 hex>" is no MAC, as in the text form */
	n = ub_unhex(b, sizeof(b),
		     "1f35c2"
		     "7800"
		     "22666f6f3b4d41433d" MAC_HEX_WSP "00");
	assert_int_equal(ub_ctype_parse_wsp(b, (size_t)n, &ct), 0);
	assert_false(ct.has_mac);
	n = ub_unhex(b, sizeof(b), "746578742f706c61696e00"); /* text/plain */
	assert_int_equal(ub_ctype_parse_wsp(b, (size_t)n, &ct), 0);
	assert_string_equal(ct.type, "text/plain");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = ub_unhex(b, sizeof(b), bad[i]);
		if (ub_ctype_parse_wsp(b, (size_t)n, &ct) != UB_E_BAD_DATA)
			fail_msg("WSP Content-Type %s accepted", bad[i]);
	}
}

/* The replay memory's key: one push, one digest, however its
 * Content-Type spells SEC and MAC; another body, SEC or MAC, another
 * digest.  (On 2e3cd81 the memory hashed the Content-Type as sent.) */
static void push_digest(void **state)
{
	static const char *const same[] = {
		"application/vnd.syncml.dm+wbxml; SEC=USERPIN; MAC=" MAC_HEX,
		"application/vnd.syncml.dm+wbxml;sec=userpin;mac=" MAC_LOWER,
		"application/vnd.syncml.dm+wbxml; SEC=\"USERPIN\"; MAC=\"" MAC_LOWER "\"",
		"Application/Vnd.SyncML.DM+WBXML ; charset=utf-8 ; MAC = " MAC_HEX " ; SEC = 1",
	};
	static const uint8_t b5[] = {0x02, 0xA4, 0x01, 0x6A, 0x00};
	struct ub_ctype ct;
	uint8_t d0[32], d[32], b[128];
	size_t i;
	int n;

	(void)state;
	assert_int_equal(ub_ctype_parse(same[0], &ct), 0);
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d0), 0);
	for (i = 1; i < sizeof(same) / sizeof(same[0]); i++) {
		assert_int_equal(ub_ctype_parse(same[i], &ct), 0);
		assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d), 0);
		if (memcmp(d, d0, sizeof(d)))
			fail_msg("%s: another digest", same[i]);
	}
	/* the WSP binary form: DM media, typed SEC 1 (USERPIN), MAC as text */
	n = ub_unhex(b, sizeof(b),
		     "1f2dc29181"
		     "92" MAC_HEX_WSP "00");
	assert_int_equal(ub_ctype_parse_wsp(b, (size_t)n, &ct), 0);
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d), 0);
	assert_memory_equal(d, d0, sizeof(d));
	/* and what differs: the b5, the SEC, the MAC */
	assert_int_equal(ub_ctype_parse(same[0], &ct), 0);
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5) - 1, d), 0);
	assert_memory_not_equal(d, d0, sizeof(d));
	ct.sec = UB_SEC_USERPIN_NETWORKID;
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d), 0);
	assert_memory_not_equal(d, d0, sizeof(d));
	ct.sec = UB_SEC_USERPIN;
	ct.mac[0] ^= 1;
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d), 0);
	assert_memory_not_equal(d, d0, sizeof(d));
	/* USERPINMAC: the MAC parameter is not what is verified, not counted */
	ct.sec = UB_SEC_USERPINMAC;
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d0), 0);
	ct.mac[5] ^= 1;
	ct.has_mac = !ct.has_mac;
	assert_int_equal(ub_push_digest(&ct, b5, sizeof(b5), d), 0);
	assert_memory_equal(d, d0, sizeof(d));
}

static const char *write_conf(const char *text)
{
	static char path[] = "/tmp/ub-policy-XXXXXX";
	int fd;

	strcpy(path, "/tmp/ub-policy-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void policy(void **state)
{
	struct ub_policy p;
	struct ub_status err = {0};
	const char *f;

	(void)state;
	assert_int_equal(ub_policy_load(&p, "/nonexistent/policy.conf", false, &err), 0);
	assert_true(p.smartcard_enabled && p.push_enabled && p.remove_stale && p.prefer_isim);
	/* a card change takes nothing away; a card replaces only cards' */
	assert_false(p.remove_absent);
	assert_int_equal(p.card_replace, UB_CARD_REPLACE_CARDS);
	assert_false(p.allowed_sec & UB_SEC_NETWORKID); /* refused by default */
	assert_true(p.allowed_sec & UB_SEC_USERPIN_NETWORKID_GBA);
	assert_true(ub_policy_server_allowed(&p, "anyone"));
	assert_int_equal(ub_policy_load(&p, "/nonexistent/policy.conf", true, &err), UB_E_CONFIG);

	f = write_conf("[smartcard]\nenabled = no\n[push]\nallowed_sec = NETWORKID, USERPIN\n"
		       "networkid_key = ascii\n[servers]\nallow = a.example, b.example\n"
		       "[conflicts]\naccount = reject\nconnmo = reject\n[gba]\nprefer = usim\n"
		       "allow_gba_me = yes\nnaf_fqdn = dm.example\nua_id = 03000000ff\n"
		       "[pin]\npin1 = 4321\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), 0);
	unlink(f);
	assert_false(p.smartcard_enabled);
	assert_int_equal(p.allowed_sec, UB_SEC_NETWORKID | UB_SEC_USERPIN);
	assert_int_equal(p.networkid_key, UB_NETID_ASCII);
	assert_true(ub_policy_server_allowed(&p, "b.example"));
	assert_false(ub_policy_server_allowed(&p, "c.example"));
	assert_false(ub_policy_server_pinned(&p, "b.example"));
	assert_true(ub_policy_host_allowed(&p, "b.example", "anywhere.example"));
	assert_int_equal(p.account, UB_CONFLICT_REJECT);
	assert_int_equal(p.connmo, UB_CONFLICT_REJECT);
	assert_false(p.prefer_isim);
	assert_true(p.allow_gba_me && p.has_ua_id);
	assert_int_equal(p.ua_id[4], 0xFF);
	assert_string_equal(p.naf_fqdn, "dm.example");
	assert_string_equal(p.pin1, "4321");

	f = write_conf("[push]\nenabled = yes\nallowd_sec = USERPIN\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	assert_non_null(strstr(err.what, ":3: [push] allowd_sec: unknown key"));
	unlink(f);
	f = write_conf("[gba]\nua_id = 0100\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	assert_non_null(strstr(err.what, ":2: [gba] ua_id: bad value"));
	assert_false(p.has_ua_id); /* nothing half-loaded */
	unlink(f);
	f = write_conf("[push]\nallowed_sec = USERPIN, MD5\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	unlink(f);
	f = write_conf("[pin]\npin1 = 12\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	unlink(f);
	/* a bad PIN1 is a secret all the same: the error says what is wrong
	 * with it and never quotes it */
	f = write_conf("[pin]\npin1 = 123456789\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	assert_null(strstr(err.what, "12345678"));
	assert_non_null(strstr(err.what, ":2: [pin] pin1: bad value (must be 4 to 8 digits"));
	assert_string_equal(p.pin1, "");
	unlink(f);
	f = write_conf("[pin]\npin1 = 98x1\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	assert_null(strstr(err.what, "98x1"));
	unlink(f);
	f = write_conf("[other]\nx = 1\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
	assert_non_null(strstr(err.what, "[other] x: unknown key"));
	unlink(f);
}

/* [servers] allow pins a ServerID to hosts (ServerID@host, repeated for
 * several); [smartcard] remove_absent and replace_accounts. */
static void policy_pins(void **state)
{
	struct ub_policy p;
	struct ub_status err = {0};
	const char *f;

	(void)state;
	f = write_conf("[smartcard]\nremove_absent = yes\nreplace_accounts = same_server\n"
		       "[servers]\nallow = operator-dm@dm.operator.example, other\n"
		       "allow = operator-dm@DM2.operator.example, a@b@c.example\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), 0);
	unlink(f);
	assert_true(p.remove_absent);
	assert_int_equal(p.card_replace, UB_CARD_REPLACE_SAME_SERVER);
	assert_true(ub_policy_server_allowed(&p, "operator-dm"));
	assert_true(ub_policy_server_pinned(&p, "operator-dm"));
	assert_true(ub_policy_host_allowed(&p, "operator-dm", "DM.operator.example"));
	assert_true(ub_policy_host_allowed(&p, "operator-dm", "dm2.operator.example"));
	assert_false(ub_policy_host_allowed(&p, "operator-dm", "dm.thief.example"));
	assert_false(ub_policy_server_pinned(&p, "other"));
	assert_true(ub_policy_host_allowed(&p, "other", "dm.thief.example"));
	/* the last '@' ends the ServerID */
	assert_true(ub_policy_server_allowed(&p, "a@b"));
	assert_true(ub_policy_host_allowed(&p, "a@b", "c.example"));
	assert_false(ub_policy_server_allowed(&p, "a@b@c.example"));
}

/* [sms]: the defaults, every key, and values it must refuse. */
static void policy_sms(void **state)
{
	static const char *const bad[] = {
		"expiry = 0",
		"expiry = 2592001",
		"expiry = -1",
		"expiry = 1h",
		"expiry =",
		"max_parts = 0",
		"max_parts = 256",
		"max_messages = 0",
		"max_messages = 1000001",
		"max_bytes = 175",
		"max_bytes = 1073741825",
		"max_bytes = 99999999999",
		"pin_attempts = 0",
		"pin_attempts = 11",
		"max_parts = 1 2",
		"max_part = 3",
		"user_pin_failures = 0",
		"user_pin_failures = 101",
		"max_pending_per_sender = 0",
		"max_pending_per_sender = x",
	};
	struct ub_policy p;
	struct ub_status err = {0};
	char text[100];
	const char *f;
	size_t i;

	(void)state;
	ub_policy_defaults(&p);
	assert_int_equal(p.sms.expiry, 86400);
	assert_int_equal(p.sms.max_parts, 32);
	assert_int_equal(p.sms.max_messages, 64);
	assert_int_equal(p.sms.max_bytes, 262144);
	assert_int_equal(p.sms.pin_attempts, 3);
	assert_int_equal(p.sms.user_pin_failures, 3);
	assert_int_equal(p.sms.max_pending_per_sender, 4);
	assert_int_equal(p.push_memory, 4096);
	assert_int_equal(p.naf_per_hour, 10);
	f = write_conf("[sms]\nexpiry = 60\nmax_parts = 255\nmax_messages = 1000000\n"
		       "max_bytes = 176\npin_attempts = 10\nuser_pin_failures = 100\n"
		       "max_pending_per_sender = 1\n[push]\nreplay_memory = 64\n"
		       "[gba]\npush_derivations_per_hour = 3600\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), 0);
	unlink(f);
	assert_int_equal(p.sms.user_pin_failures, 100);
	assert_int_equal(p.sms.max_pending_per_sender, 1);
	assert_int_equal(p.push_memory, 64);
	assert_int_equal(p.naf_per_hour, 3600);
	for (i = 0; i < 4; i++) {
		static const char *const other[] = {"[push]\nreplay_memory = 63\n",
						    "[push]\nreplay_memory = 1000001\n",
						    "[gba]\npush_derivations_per_hour = 0\n",
						    "[gba]\npush_derivations_per_hour = 3601\n"};

		struct ub_policy q;

		f = write_conf(other[i]);
		assert_int_equal(ub_policy_load(&q, f, true, &err), UB_E_CONFIG);
		unlink(f);
	}
	assert_int_equal(p.sms.expiry, 60);
	assert_int_equal(p.sms.max_parts, 255);
	assert_int_equal(p.sms.max_messages, 1000000);
	assert_int_equal(p.sms.max_bytes, 176);
	assert_int_equal(p.sms.pin_attempts, 10);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[sms]\n%s\n", bad[i]);
		f = write_conf(text);
		assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_CONFIG);
		assert_non_null(strstr(err.what, ":2: [sms] "));
		assert_int_equal(p.sms.max_parts, 32); /* nothing half-loaded */
		unlink(f);
	}
}

/* The file and the keys a policy must not get through with: a key given
 * twice (the last one would win silently), a directory, a file others
 * may change; and what the refusal names (file:line, key, the bad token,
 * the valid values). */
static void policy_refused(void **state)
{
	static const struct {
		const char *text, *says;
	} bad[] = {
		{"[push]\nallowed_sec = USERPIN\nallowed_sec = NETWORKID\n",
		 ":3: [push] allowed_sec: given twice (first on line 2)"},
		{"[push]\nenabled = no\n[smartcard]\n[push]\nenabled = yes\n",
		 ":5: [push] enabled: given twice (first on line 2)"},
		{"[pin]\npin1 = 1234\npin1 = 5678\n", ":3: [pin] pin1: given twice"},
		{"[push]\nenabled = yes\n  no\n", ":3: [push] enabled: an indented line"},
		{"[push]\nallowed_sec = USERPIN, MD5, NETWORKID\n",
		 ":2: [push] allowed_sec: bad value: 'MD5' is not a SEC type (one of: NETWORKID, "
		 "USERPIN, USERPIN_NETWORKID, NETWORKID_GBA, USERPIN_NETWORKID_GBA, USERNETWPIN, "
		 "USERPINMAC)"},
		{"[push]\nallowed_sec = USERPIN,,NETWORKID\n", "an empty item"},
		{"[push]\nreplace_card_accounts = maybe\n",
		 ":2: [push] replace_card_accounts: bad value: 'maybe' is not one of: gba, no, "
		 "yes"},
		{"[smartcard]\nenabled = 1\n", "'1' is not one of: yes, no, true, false"},
		{"[smartcard]\nreplace_accounts = push\n",
		 "'push' is not one of: cards, same_server, yes"},
		{"[servers]\nallow = operator-dm@\n", "'operator-dm@' is not ServerID@host"},
		{"[servers]\nallow = @dm.example\n", "'@dm.example' is not ServerID@host"},
		{"[servers]\nallow = a@dm.example/x\n", "'a@dm.example/x' is not ServerID@host"},
		{"[sms]\nmax_parts = 256\n", "'256' is not a number from 1 to 255"},
		{"[lwm2m]\nservers = coaps://a.example, b.example\n",
		 "'b.example' is not a server URI"},
		{"[push]\nallowed = USERPIN\n",
		 "[push] allowed: unknown key (those of [push]: enabled, allowed_sec,"},
		{"[nosuch]\nx = 1\n", "[nosuch] x: unknown key (no section [nosuch])"},
	};
	struct ub_policy p;
	struct ub_status err = {0};
	char dir[] = "/tmp/ub-policy-dir-XXXXXX";
	const char *f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		f = write_conf(bad[i].text);
		if (ub_policy_load(&p, f, true, &err) != UB_E_CONFIG ||
		    !strstr(err.what, bad[i].says))
			fail_msg("policy %s: '%s', not '%s'", bad[i].text, err.what, bad[i].says);
		assert_int_equal(p.allowed_sec, UB_SEC_NETWORKID_GBA |
							UB_SEC_USERPIN_NETWORKID_GBA |
							UB_SEC_USERPIN_NETWORKID); /* defaults */
		unlink(f);
	}
	/* a list goes on over indented lines; [servers] allow may also be
	 * given again, and adds up */
	f = write_conf("[push]\nallowed_sec = USERPIN,\n  NETWORKID\n[servers]\nallow = a\n"
		       "allow = b,\n  c\n");
	assert_int_equal(ub_policy_load(&p, f, true, &err), 0);
	assert_int_equal(p.allowed_sec, UB_SEC_USERPIN | UB_SEC_NETWORKID);
	assert_int_equal(p.nservers, 3);
	/* a file others may change decides nothing: refused as a secret file
	 * is (UB_E_POLICY); one only others may read is fine */
	assert_int_equal(chmod(f, 0644), 0);
	assert_int_equal(ub_policy_load(&p, f, true, &err), 0);
	assert_int_equal(chmod(f, 0666), 0);
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_POLICY);
	assert_non_null(strstr(err.what, "group or others may write it (mode 0666)"));
	assert_int_equal(p.allowed_sec, UB_SEC_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID_GBA |
						UB_SEC_USERPIN_NETWORKID);
	assert_int_equal(chmod(f, 0620), 0);
	assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_POLICY);
	assert_int_equal(chmod(f, 0644), 0);
	if (geteuid() == 0) { /* another user's file: only root can make one */
		assert_int_equal(chown(f, 65534, 65534), 0);
		assert_int_equal(ub_policy_load(&p, f, true, &err), UB_E_POLICY);
		assert_non_null(strstr(err.what, "owned by uid 65534, neither root nor us"));
	}
	unlink(f);
	/* a directory is no policy (it read as the defaults) */
	assert_non_null(mkdtemp(dir));
	assert_int_equal(ub_policy_load(&p, dir, true, &err), UB_E_CONFIG);
	assert_non_null(strstr(err.what, "not a regular file (a directory)"));
	assert_int_equal(ub_policy_load(&p, dir, false, &err), UB_E_CONFIG);
	rmdir(dir);
	/* /dev/null, mode 0666 and all, is the empty policy: the defaults */
	assert_int_equal(ub_policy_load(&p, "/dev/null", true, &err), 0);
	assert_int_equal(p.allowed_sec, UB_SEC_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID_GBA |
						UB_SEC_USERPIN_NETWORKID);
}

/* The user PIN's minimum holds in the library too: an empty or short PIN
 * with a MAC that is right for it is refused by policy, before the MAC. */
static void user_pin_minimum(void **state)
{
	static const char *const pins[] = {"", "123"};
	struct ub_policy pol;
	struct ub_push_req r;
	struct ub_plan plan;
	struct ub_status st = {0};
	unsigned int len;
	size_t i;

	(void)state;
	ub_policy_defaults(&pol);
	pol.allowed_sec = UB_SEC_USERPIN;
	for (i = 0; i < 2; i++) {
		memset(&r, 0, sizeof(r));
		r.body = body;
		r.len = body_len;
		assert_int_equal(ub_ctype_parse("application/vnd.syncml.dm+wbxml; SEC=USERPIN; "
						"MAC=0000000000000000000000000000000000000000",
						&r.ct),
				 0);
		HMAC(EVP_sha1(), pins[i], (int)strlen(pins[i]), body, body_len, r.ct.mac, &len);
		r.user_pin = pins[i];
		assert_int_equal(ub_push_verify(&pol, NULL, &r, &plan, &st), UB_E_POLICY);
		assert_non_null(strstr(st.what, "user_pin_min"));
	}
	pol.user_pin_min = 3;
	assert_int_equal(ub_push_verify(&pol, NULL, &r, &plan, &st), 0);
	ub_plan_free(&plan);
}

static void uri_host(void **state)
{
	char h[64];

	(void)state;
	assert_int_equal(ub_uri_host("https://dm.operator.example:443/dm", h, sizeof(h)), 0);
	assert_string_equal(h, "dm.operator.example");
	assert_int_equal(ub_uri_host("dm.example", h, sizeof(h)), 0);
	assert_int_equal(ub_uri_host("HTTPS://DM.example:8443?x", h, sizeof(h)), 0);
	assert_string_equal(h, "DM.example");
	/* read otherwise by other URL parsers: refused, never interpreted */
	assert_int_equal(ub_uri_host("http://user@dm.example/x", h, sizeof(h)), UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https://evil.example:x@victim.example/dm", h, sizeof(h)),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https://victim.example\\@evil.example/", h, sizeof(h)),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https://victim.example\\evil/", h, sizeof(h)), UB_E_BAD_DATA);
	/* "://" counts only right after a scheme */
	assert_int_equal(ub_uri_host("x?https://evil.example/", h, sizeof(h)), 0);
	assert_string_equal(h, "x");
	assert_int_equal(ub_uri_host("https://dm.example:44x3/", h, sizeof(h)), UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https://dm%2eexample/", h, sizeof(h)), UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https://dm.example /", h, sizeof(h)), UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https:///dm", h, sizeof(h)), UB_E_BAD_DATA);
	assert_int_equal(ub_uri_host("https://[::1]/dm", h, sizeof(h)), UB_E_BAD_DATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dm_vectors),	    cmocka_unit_test(dm_refusals),
		cmocka_unit_test(cp_vectors),	    cmocka_unit_test(content_type),
		cmocka_unit_test(content_type_wsp), cmocka_unit_test(policy),
		cmocka_unit_test(policy_sms),	    cmocka_unit_test(policy_pins),
		cmocka_unit_test(policy_refused),   cmocka_unit_test(uri_host),
		cmocka_unit_test(user_pin_minimum), cmocka_unit_test(push_digest),
	};

	return cmocka_run_group_tests_name("bootstrap security and policy", tests, setup, NULL);
}
