/* The GBA Push Info codec (gba-u/gpi.c) and its public face
 * (ub_gba_gpi_decode, [gba] gpi_layout): the default layout, a custom
 * one, and a torture table of layouts and of GPIs that must be refused.
 * The GPIs are written out byte by byte here, not by an encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gba.h"
#include "policy.h"
#include "ub_error.h"
#include "ub_gpi.h"

/* The default layout: version 1, P-TID "pt-1@naf", RAND 00..0f, AUTN
 * 10..1f, NAF_Id "naf.example" || 01 00 00 00 02, lifetime. */
static const uint8_t gpi_default[] = {
	0x01,								  /* version */
	8,    'p',  't',  '-',	'1',  '@',  'n',  'a',	'f',		  /* ptid */
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, /* rand */
	0x0b, 0x0c, 0x0d, 0x0e, 0x0f,					  /* */
	0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, /* autn */
	0x1b, 0x1c, 0x1d, 0x1e, 0x1f,					  /* */
	16,   'n',  'a',  'f',	'.',  'e',  'x',  'a',	'm',  'p',  'l',  /* naf_id */
	'e',  0x01, 0x00, 0x00, 0x00, 0x02,				  /* */
	20,   '2',  '0',  '3',	'0',  '-',  '0',  '1',	'-',  '3',  '1',  /* lifetime */
	'T',  '1',  '2',  ':',	'0',  '0',  ':',  '0',	'0',  'Z',	  /* */
};
/* offsets of its fields' length octets */
#define OFF_PTID 1
#define OFF_NAF 42
#define OFF_LIFE 59

static void default_layout(void **state)
{
	struct ub_gba_push_info pi;
	struct ub_status st = {0};
	uint8_t want[16];
	int i;

	(void)state;
	assert_string_equal(UB_GBA_GPI_LAYOUT_DEFAULT, UB_GPI_LAYOUT_DEFAULT);
	assert_string_equal(ub_policy_gpi_layout(NULL), UB_GBA_GPI_LAYOUT_DEFAULT);
	assert_int_equal(sizeof(gpi_default), OFF_LIFE + 21);
	assert_int_equal(ub_gba_push_info_decode(gpi_default, sizeof(gpi_default), &pi), 0);
	assert_string_equal(pi.ptid, "pt-1@naf");
	for (i = 0; i < 16; i++)
		want[i] = (uint8_t)i;
	assert_memory_equal(pi.rand, want, 16);
	for (i = 0; i < 16; i++)
		want[i] = (uint8_t)(0x10 + i);
	assert_memory_equal(pi.autn, want, 16);
	assert_int_equal(pi.naf_id_len, 16);
	assert_memory_equal(pi.naf_id, "naf.example\x01\0\0\0\x02", 16);
	assert_string_equal(pi.lifetime, "2030-01-31T12:00:00Z");
	/* the same with the layout spelt out, blanks and all */
	memset(&pi, 0x55, sizeof(pi));
	assert_int_equal(ub_gba_gpi_decode(" version:1=1 , ptid:lv1,rand:16,\tautn:16,naf_id:lv1,"
					   "lifetime:lv1 ",
					   gpi_default, sizeof(gpi_default), &pi, &st),
			 0);
	assert_string_equal(pi.ptid, "pt-1@naf");
	assert_int_equal(pi.naf_id[16], 0); /* zeroed first: nothing of 0x55 left */
	assert_int_equal(ub_gba_gpi_decode(NULL, gpi_default, sizeof(gpi_default), &pi, NULL), 0);
}

/* Another order, lv2 and fixed codings, naf_fqdn + ua, a two-octet
 * version, skip and app_lbl. */
static void custom_layout(void **state)
{
	static const char layout[] = "skip:2,version:2=258,autn:16,rand:lv1,naf_fqdn:lv2,ua:5,"
				     "app_lbl:lv1,ptid:lv2,skip:lv1,lifetime:20";
	uint8_t b[200];
	size_t n = 0;
	struct ub_gba_push_info pi;
	struct ub_gpi_layout l;
	struct ub_gpi gpi;
	struct ub_status st = {0};

	(void)state;
	b[n++] = 0xAA, b[n++] = 0xBB;		       /* skip:2 */
	b[n++] = 0x01, b[n++] = 0x02;		       /* version 258 */
	memset(b + n, 0xA5, 16), n += 16;	       /* autn */
	b[n++] = 16, memset(b + n, 0x5A, 16), n += 16; /* rand */
	b[n++] = 0, b[n++] = 5, memcpy(b + n, "n.org", 5), n += 5;
	memcpy(b + n, "\x01\x00\x00\x00\x01", 5), n += 5; /* ua */
	b[n++] = 3, memcpy(b + n, "\xE2\x82\xAC", 3), n += 3;
	b[n++] = 0, b[n++] = 2, memcpy(b + n, "P1", 2), n += 2;
	b[n++] = 0; /* skip:lv1, empty */
	memcpy(b + n, "2031-02-03T04:05:06Z", 20), n += 20;

	assert_int_equal(ub_gba_gpi_decode(layout, b, n, &pi, &st), 0);
	assert_string_equal(pi.ptid, "P1");
	assert_int_equal(pi.rand[15], 0x5A);
	assert_int_equal(pi.autn[0], 0xA5);
	assert_int_equal(pi.naf_id_len, 10);
	assert_memory_equal(pi.naf_id, "n.org\x01\0\0\0\x01", 10);
	assert_string_equal(pi.lifetime, "2031-02-03T04:05:06Z");
	/* app_lbl is kept by the codec (any octets), not by the public struct */
	assert_int_equal(ub_gpi_layout_parse(layout, &l, &st), 0);
	assert_int_equal(l.n, 10);
	assert_int_equal(ub_gpi_decode(&l, b, n, &gpi, &st), 0);
	assert_int_equal(gpi.app_lbl_len, 3);
	assert_memory_equal(gpi.app_lbl, "\xE2\x82\xAC", 3);
	/* the version must be the layout's */
	b[3] = 0x03;
	assert_int_equal(ub_gba_gpi_decode(layout, b, n, &pi, &st), UB_E_BAD_DATA);
	assert_string_equal(st.where, "GPI octet 2");
	assert_non_null(strstr(st.what, "version 259, not 258"));
	assert_int_equal(pi.naf_id_len, 0); /* zeroed on failure */
}

/* Layouts refused, and what the refusal names. */
static void layout_refusals(void **state)
{
	static const struct {
		const char *layout, *says;
	} bad[] = {
		{"", "'' is not a field"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1,mac:8", "'mac' is not a field"},
		{"PTID:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "is not a field"},
		{"ptid:lv1,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "ptid given twice"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1,rand:16", "rand given twice"},
		{"ptid:lv1,autn:16,naf_id:lv1,lifetime:lv1", "are needed"},
		{"ptid:lv1,rand:16,naf_id:lv1,lifetime:lv1", "are needed"},
		{"rand:16,autn:16,naf_id:lv1,lifetime:lv1", "are needed"},
		{"ptid:lv1,rand:16,autn:16,lifetime:lv1", "are needed"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1", "are needed"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1,ua:5,lifetime:lv1",
		 "not with naf_fqdn or ua"},
		{"ptid:lv1,rand:16,autn:16,naf_fqdn:lv1,lifetime:lv1", "go together"},
		{"ptid:lv1,rand:16,autn:16,ua:5,lifetime:lv1", "go together"},
		{"ptid:lv3,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "the coding is"},
		{"ptid:0,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "the coding is"},
		{"ptid:,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "the coding is"},
		{"ptid,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "':' and a coding"},
		{"ptid:99999999999,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "the coding is"},
		{"ptid:lv1,rand:15,autn:16,naf_id:lv1,lifetime:lv1", "rand: 15 octets"},
		{"ptid:lv1,rand:16,autn:17,naf_id:lv1,lifetime:lv1", "autn: 17 octets"},
		{"ptid:256,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "ptid: 256 octets"},
		{"ptid:lv1,rand:16,autn:16,naf_id:5,lifetime:lv1", "naf_id: 5 octets"},
		{"ptid:lv1,rand:16,autn:16,naf_fqdn:lv1,ua:4,lifetime:lv1", "ua: 4 octets"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:64", "lifetime: 64 octets"},
		{"version:1,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "'=V'"},
		{"version:1=256,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "does not fit"},
		{"version:lv1=1,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "fixed number"},
		{"version:5=1,ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1",
		 "version: 5 octets"},
		{"ptid:lv1=3,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "only version takes"},
		{"ptid:lv1;rand:16,autn:16,naf_id:lv1,lifetime:lv1", "',' or the end"},
		{"ptid:lv1,,rand:16,autn:16,naf_id:lv1,lifetime:lv1", "is not a field"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1,", "is not a field"},
		{"ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1,skip:1,skip:1,skip:1,skip:1,"
		 "skip:1,skip:1,skip:1,skip:1,skip:1,skip:1,skip:1,skip:1",
		 "more than 16 fields"},
	};
	char long_layout[UB_GPI_LAYOUT_MAX + 100];
	struct ub_gba_push_info pi;
	struct ub_gpi_layout l;
	struct ub_status st;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&st, 0, sizeof(st));
		if (ub_gpi_layout_parse(bad[i].layout, &l, &st) != UB_E_USAGE ||
		    !strstr(st.what, bad[i].says))
			fail_msg("layout \"%s\": got \"%s\", wanted \"%s\"", bad[i].layout, st.what,
				 bad[i].says);
		assert_int_equal(l.n, 0);
		assert_int_equal(ub_gba_gpi_decode(bad[i].layout, gpi_default, sizeof(gpi_default),
						   &pi, &st),
				 UB_E_USAGE);
	}
	/* the offset of the field that is wrong */
	assert_int_equal(ub_gpi_layout_parse("ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1,"
					     "mac:8",
					     &l, &st),
			 UB_E_USAGE);
	assert_string_equal(st.where, "GPI layout character 49");
	memset(long_layout, 0, sizeof(long_layout));
	strcpy(long_layout, "ptid:lv1,rand:16,autn:16,naf_id:lv1,lifetime:lv1");
	memset(long_layout + strlen(long_layout), ' ', UB_GPI_LAYOUT_MAX);
	assert_int_equal(ub_gpi_layout_parse(long_layout, &l, &st), UB_E_USAGE);
	assert_non_null(strstr(st.what, "longer than"));
}

/* A copy of the default GPI with b[at] = v, decoded: the error, the
 * where, and a word of the what. */
static void refused(const uint8_t *b, size_t n, int err, const char *where, const char *says)
{
	struct ub_gba_push_info pi;
	struct ub_status st = {0};
	static const uint8_t zero[sizeof(pi)];

	memset(&pi, 0x55, sizeof(pi));
	assert_int_equal(ub_gba_gpi_decode(NULL, b, n, &pi, &st), err);
	if (where && strcmp(st.where, where))
		fail_msg("where \"%s\", wanted \"%s\" (%s)", st.where, where, st.what);
	if (!strstr(st.what, says))
		fail_msg("\"%s\" does not say \"%s\"", st.what, says);
	assert_memory_equal(&pi, zero, sizeof(pi));
}

static void decode_refusals(void **state)
{
	uint8_t b[sizeof(gpi_default) + 300];
	char where[40];
	size_t n;

	(void)state;
	/* cut short anywhere */
	for (n = 0; n < sizeof(gpi_default); n++)
		refused(gpi_default, n, UB_E_BAD_DATA, NULL, "cut short");
	refused(NULL, 0, UB_E_BAD_DATA, "GPI octet 0", "version: cut short");
	/* an octet after the last field */
	memcpy(b, gpi_default, sizeof(gpi_default));
	b[sizeof(gpi_default)] = 0;
	snprintf(where, sizeof(where), "GPI octet %zu", sizeof(gpi_default));
	refused(b, sizeof(gpi_default) + 1, UB_E_BAD_DATA, where, "1 octets after the last field");
	/* another version */
	b[0] = 2;
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 0", "version 2, not 1");
	b[0] = 1;
	/* P-TID: NUL, DEL, a blank, an 8-bit byte, empty */
	b[OFF_PTID + 3] = 0;
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 4", "ptid: byte 0x00");
	b[OFF_PTID + 3] = 0x7F;
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 4", "ptid: byte 0x7F");
	b[OFF_PTID + 3] = ' ';
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 4", "ptid: byte 0x20");
	b[OFF_PTID + 8] = 0xC3;
	b[OFF_PTID + 3] = '-';
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 9", "ptid: byte 0xC3");
	b[OFF_PTID + 8] = 'f';
	n = 0;
	b[n++] = 1, b[n++] = 0; /* an empty P-TID */
	memcpy(b + n, gpi_default + OFF_PTID + 9, sizeof(gpi_default) - OFF_PTID - 9);
	refused(b, n + sizeof(gpi_default) - OFF_PTID - 9, UB_E_BAD_DATA, "GPI octet 1",
		"ptid: 0 octets");
	/* the FQDN of the NAF_Id: NUL, a blank; the Ua id may hold anything */
	memcpy(b, gpi_default, sizeof(gpi_default));
	b[OFF_NAF + 4] = 0;
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 46", "naf_id: byte 0x00");
	b[OFF_NAF + 4] = ' ';
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 46", "naf_id: byte 0x20");
	b[OFF_NAF + 4] = '.';
	/* a NAF_Id of 5 octets: no FQDN */
	n = OFF_NAF;
	memcpy(b, gpi_default, n);
	b[n++] = 5, memcpy(b + n, "\x01\0\0\0\x02", 5), n += 5;
	memcpy(b + n, gpi_default + OFF_LIFE, 21), n += 21;
	refused(b, n, UB_E_BAD_DATA, "GPI octet 42", "naf_id: 5 octets");
	/* a lifetime that is not an xs:dateTime, or holds 0x80, or is empty */
	memcpy(b, gpi_default, sizeof(gpi_default));
	b[OFF_LIFE + 20] = 'X';
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 60", "not an xs:dateTime");
	b[OFF_LIFE + 20] = 0x80;
	refused(b, sizeof(gpi_default), UB_E_BAD_DATA, "GPI octet 79", "lifetime: byte 0x80");
	b[OFF_LIFE] = 0;
	refused(b, OFF_LIFE + 1, UB_E_BAD_DATA, "GPI octet 59", "lifetime: 0 octets");
	/* lifetimes that are not xs:dateTime though strptime and %2d take them:
	 * refused, not written to EF_GBABP */
	{
		static const char *const bad[] = {
			"2030-01-01T00:00:00+-1:-1", "2030-01-01T00:00:00+99:99",
			"2030-1-1T0:0:0Z",	     "2030-01-01T00:00:00.Z",
			"2030-01-01T00:00:00+14:30", "+030-01-01T00:00:00Z",
		};
		size_t i, k;

		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			k = strlen(bad[i]);
			memcpy(b, gpi_default, OFF_LIFE);
			b[OFF_LIFE] = (uint8_t)k;
			memcpy(b + OFF_LIFE + 1, bad[i], k);
			refused(b, OFF_LIFE + 1 + k, UB_E_BAD_DATA, "GPI octet 60",
				"not an xs:dateTime");
		}
		memcpy(b, gpi_default, sizeof(gpi_default));
	}
	/* a lifetime longer than its field (63) though all there */
	b[OFF_LIFE] = 64;
	memset(b + OFF_LIFE + 1, '1', 64);
	refused(b, OFF_LIFE + 65, UB_E_BAD_DATA, "GPI octet 59", "lifetime: 64 octets");
}

/* lv2 lengths past what the struct holds are refused before any copy;
 * a P-TID of exactly 255 octets (fixed) fits with its NUL. */
static void lengths_and_bounds(void **state)
{
	static const char layout[] = "ptid:lv2,rand:16,autn:16,naf_id:lv2,lifetime:lv1";
	uint8_t b[700];
	struct ub_gba_push_info pi;
	struct ub_status st = {0};
	size_t n = 0;

	(void)state;
	b[n++] = 0x01, b[n++] = 0x00; /* 256 */
	memset(b + n, 'p', 256), n += 256;
	assert_int_equal(ub_gba_gpi_decode(layout, b, n, &pi, &st), UB_E_BAD_DATA);
	assert_string_equal(st.where, "GPI octet 0");
	assert_non_null(strstr(st.what, "ptid: 256 octets; it holds 1 to 255"));
	b[0] = 0xFF, b[1] = 0xFF; /* 65535, far past the end */
	assert_int_equal(ub_gba_gpi_decode(layout, b, 2, &pi, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "65535 octets"));
	b[0] = 0x00, b[1] = 0xFF; /* 255 and only 3 there */
	assert_int_equal(ub_gba_gpi_decode(layout, b, 5, &pi, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "ptid: cut short (255 octets, 3 left)"));
	/* ptid:255, naf_id of 255 */
	n = 0;
	memset(b + n, 'q', 255), n += 255;
	memset(b + n, 7, 32), n += 32;
	b[n++] = 0, b[n++] = 255;
	memset(b + n, 'n', 250), n += 250;
	memcpy(b + n, "\x01\0\0\0\x02", 5), n += 5;
	b[n++] = 20, memcpy(b + n, "2030-01-31T12:00:00Z", 20), n += 20;
	assert_int_equal(ub_gba_gpi_decode("ptid:255,rand:16,autn:16,naf_id:lv2,lifetime:lv1", b, n,
					   &pi, &st),
			 0);
	assert_int_equal(strlen(pi.ptid), 255);
	assert_int_equal(pi.naf_id_len, 255);
	/* naf_id:lv2 of 256 */
	b[287] = 0x01, b[288] = 0x00;
	assert_int_equal(ub_gba_gpi_decode("ptid:255,rand:16,autn:16,naf_id:lv2,lifetime:lv1", b,
					   n + 1, &pi, &st),
			 UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "naf_id: 256 octets"));
}

/* [gba] gpi_layout: taken when good, a bad one is the policy's error with
 * file:line. */
static void policy_key(void **state)
{
	char dir[] = "/tmp/ub-gpi-XXXXXX", path[64];
	struct ub_policy *p = NULL;
	struct ub_status st = {0};
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/policy.conf", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[gba]\nprefer = usim\ngpi_layout = ptid:lv1, rand:16, autn:16, naf_fqdn:lv1, "
	      "ua:5, lifetime:lv1\n",
	      fp);
	fclose(fp);
	assert_int_equal(ub_policy_open(path, &p, &st), 0);
	assert_string_equal(ub_policy_gpi_layout(p),
			    "ptid:lv1, rand:16, autn:16, naf_fqdn:lv1, ua:5, lifetime:lv1");
	ub_policy_close(p);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[gba]\n\ngpi_layout = ptid:lv1,rand:16,autn:16,naf_id:lv1\n", fp);
	fclose(fp);
	assert_int_equal(ub_policy_open(path, &p, &st), UB_E_CONFIG);
	assert_null(p);
	assert_non_null(strstr(st.where, "policy.conf:3"));
	assert_non_null(strstr(st.what, "[gba] gpi_layout"));
	assert_non_null(strstr(st.what, "are needed"));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("[gba]\ngpi_layout =\n", fp);
	fclose(fp);
	assert_int_equal(ub_policy_open(path, &p, &st), 0);
	assert_string_equal(ub_policy_gpi_layout(p), UB_GBA_GPI_LAYOUT_DEFAULT);
	ub_policy_close(p);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_layout),     cmocka_unit_test(custom_layout),
		cmocka_unit_test(layout_refusals),    cmocka_unit_test(decode_refusals),
		cmocka_unit_test(lengths_and_bounds), cmocka_unit_test(policy_key),
	};

	return cmocka_run_group_tests_name("gba-u GPI", tests, NULL, NULL);
}
