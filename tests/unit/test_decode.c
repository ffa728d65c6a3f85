/* Decoders of uicc-files: known byte strings, and tables of inputs that
 * must be refused (torture tables, OpenSC style). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ub_decode.h"
#include "ub_error.h"
#include "ub_hex.h"

static uint8_t buf[1024];

static size_t H(const char *hex)
{
	int n = ub_unhex(buf, sizeof(buf), hex);

	assert_true(n >= 0);
	return (size_t)n;
}

static void tlv_torture(void **state)
{
	static const char *bad[] = {
		"82",	    /* no length */
		"8203aabb", /* value runs past the end */
		"1f",	    /* two-byte tag cut */
		"1f81",	    /* three-byte tag */
		"8181",	    /* 81 without its byte */
		"81817f"
		"00",	      /* 81 for a length < 128 (not DER) */
		"82820001",   /* 82 for a length < 256 */
		"8283000001", /* 3-byte length form */
		"8285",	      /* indefinite/long forms */
	};
	struct ub_tlv t;
	size_t i, off, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = H(bad[i]);
		off = 0;
		assert_int_equal(ub_tlv_next(buf, n, &off, &t), UB_E_BAD_DATA);
	}
	n = H("5f2d02656e"
	      "ffff");
	off = 0;
	assert_int_equal(ub_tlv_next(buf, n, &off, &t), 1);
	assert_int_equal(t.tag, 0x5F2D);
	assert_int_equal(t.len, 2);
	assert_int_equal(ub_tlv_next(buf, n, &off, &t), 0); /* FF padding ends it */
	n = H("8081c8");
	assert_int_equal(ub_tlv_find(buf, n, 0x80, &t), UB_E_BAD_DATA);
}

static void fcp_known(void **state)
{
	struct ub_fcp f;

	(void)state;
	/* transparent EF 6F07, 9 bytes, SFI 07 */
	assert_int_equal(ub_fcp_parse(buf,
				      H("622082024121"
					"83026f07"
					"a503c00100"
					"8a0105"
					"8b036f0602"
					"80020009"
					"81020029"
					"880138"),
				      &f),
			 0);
	assert_int_equal(f.type, UB_FT_TRANSPARENT);
	assert_int_equal(f.fid, 0x6F07);
	assert_int_equal(f.size, 9);
	assert_int_equal(f.sfi, 7);
	/* linear EF 2F00, 5 records of 0x26, no 88: SFI = 5 LSBs of FID */
	assert_int_equal(ub_fcp_parse(buf,
				      H("620f82054221002605"
					"83022f00"
					"8002"
					"00be"),
				      &f),
			 0);
	assert_int_equal(f.type, UB_FT_LINEAR);
	assert_int_equal(f.rec_len, 0x26);
	assert_int_equal(f.nrec, 5);
	assert_int_equal(f.sfi, 0);
	/* ADF with AID and C6: PIN1 enabled */
	assert_int_equal(ub_fcp_parse(buf,
				      H("621c82027821"
					"83027ff0"
					"8407a0000000871002"
					"c60990018083010183018a"),
				      &f),
			 0);
	assert_int_equal(f.type, UB_FT_DF);
	assert_int_equal(f.aid_len, 7);
	assert_true(f.pin1_on);
	/* empty 88: no SFI */
	assert_int_equal(ub_fcp_parse(buf,
				      H("620a82024121"
					"83026fd6"
					"8800"),
				      &f),
			 0);
	assert_int_equal(f.sfi, 0);
}

static void fcp_torture(void **state)
{
	static const char *bad[] = {
		"",
		"6f00",		/* not an FCP template */
		"6205",		/* template longer than the data */
		"620483026f07", /* no file descriptor */
		"62048201"
		"41",		      /* descriptor too short */
		"620582034221002605", /* linear descriptor without records */
		"6209820442210000"
		"83026f", /* inner TLV overruns */
		"620982054221000005"
		"", /* record length 0 */
		"620882024121"
		"8301"
		"6f", /* FID of one byte */
		"620c82024121"
		"8403"
		"a00000"
		"88020800", /* 88 of two bytes */
		"621682024121"
		"8411a0000000871002ffffffff8907090000", /* AID > 16 */
		"620882024121"
		"800500", /* size of 5 bytes, cut */
	};
	struct ub_fcp f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t n = H(bad[i]);

		if (ub_fcp_parse(buf, n, &f) != UB_E_BAD_DATA)
			fail_msg("FCP %s accepted", bad[i]);
	}
}

static void efdir_known_and_torture(void **state)
{
	static const char *bad[] = {
		"62034f0100",					  /* not an application template */
		"61034f02a0",					  /* AID cut */
		"6105500355534d",				  /* no AID */
		"61064f04a0000000",				  /* AID shorter than a RID */
		"61 13 4f 11 a0000000871002ffffffff890709000000", /* AID of 17 */
		/* padding is the end only at the end: a template hidden behind it */
		"ff 61094f07a0000000871002",
		"00 61094f07a0000000871002",
		"61094f07a0000000871002 00 61094f07a0000000871004",
		"61094f07a0000000871002 ffff 61094f07a0000000871004 ff",
	};
	struct ub_app a[4];
	size_t i;

	(void)state;
	/* pySim's example record (docs/test-vectors.md 5) with FF padding */
	assert_int_equal(ub_efdir_decode(buf,
					 H("61294f10a0000000871002ffffffff8907090000"
					   "50055553696d31730ea00c80011781025f608203454150ffff"),
					 a, 4),
			 1);
	assert_int_equal(a[0].kind, UB_APP_USIM);
	assert_string_equal(a[0].label, "USim1");
	assert_int_equal(ub_efdir_decode(buf,
					 H("61194f10a0000000871004ffffffff8907090000"
					   "50054953696d31"),
					 a, 4),
			 1);
	assert_int_equal(a[0].kind, UB_APP_ISIM);
	assert_int_equal(ub_efdir_decode(buf,
					 H("61104f0ca000000063504b43532d3135"
					   "5000"),
					 a, 4),
			 1);
	assert_int_equal(a[0].kind, UB_APP_PKCS15);
	assert_int_equal(ub_efdir_decode(buf, H("ffffffff"), a, 4), 0);
	assert_int_equal(ub_efdir_decode(buf, H("61094f07a0000000871003"), a, 4), 1);
	assert_int_equal(a[0].kind, UB_APP_OTHER);
	/* trailing padding of 00 and FF, mixed, is the end */
	assert_int_equal(ub_efdir_decode(buf, H("61094f07a0000000871003 00ffff00"), a, 4), 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ub_efdir_decode(buf, H(bad[i]), a, 4) != UB_E_BAD_DATA)
			fail_msg("EF_DIR %s accepted", bad[i]);
	/* more templates than room */
	assert_int_equal(ub_efdir_decode(buf,
					 H("61094f07a0000000871002"
					   "61094f07a0000000871004"),
					 a, 1),
			 UB_E_BAD_DATA);
}

static void identities(void **state)
{
	char s[300];
	int mnc;

	(void)state;
	assert_int_equal(ub_iccid_decode(buf, H("989444000000214365f7"), s), 0);
	assert_string_equal(s, "8949440000001234567");
	assert_int_equal(ub_iccid_decode(buf, H("98944400000021436587"), s), 0);
	assert_string_equal(s, "89494400000012345678");
	assert_int_equal(ub_iccid_decode(buf, H("989444000000214365a7"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_iccid_decode(buf, H("9894440000002143f5ff"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_iccid_decode(buf, H("9894440000002143"), s), UB_E_BAD_DATA);
	/* pySim's vector (docs/test-vectors.md 5) and ours */
	assert_int_equal(ub_imsi_decode(buf, H("082982608200002080"), s), 0);
	assert_string_equal(s, "228062800000208");
	assert_int_equal(ub_imsi_decode(buf, H("080910101032547698"), s), 0);
	assert_string_equal(s, "001010123456789");
	assert_int_equal(ub_imsi_decode(buf, H("0801101010325476f8"), s), 0); /* 14 digits */
	assert_string_equal(s, "00101012345678");
	assert_int_equal(ub_imsi_decode(buf, H("0801101010325476a8"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_imsi_decode(buf, H("09091010103254769800"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_imsi_decode(buf, H("0809101010"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_imsi_decode(buf, H("080a10101032547698"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_imsi_decode(buf, H("0209f1"), s), UB_E_BAD_DATA); /* 3 digits */
	assert_int_equal(ub_imsi_decode(buf, H("ffffffffffffffffff"), s), UB_E_BAD_DATA);
	assert_int_equal(ub_ad_mnc_len(buf, H("00000003"), &mnc), 0);
	assert_int_equal(mnc, 3);
	assert_int_equal(ub_ad_mnc_len(buf, H("000000"), &mnc), 0);
	assert_int_equal(mnc, 0);
	assert_int_equal(ub_ad_mnc_len(buf, H("0000"), &mnc), UB_E_BAD_DATA);
	/* service 68 -> byte 9 mask 08; IST 2 -> byte 1 mask 02 */
	H("0000000000000000080000");
	assert_true(ub_service(buf, 11, 68));
	assert_false(ub_service(buf, 11, 67));
	assert_false(ub_service(buf, 8, 68));
	assert_false(ub_service(buf, 11, 0));
	assert_int_equal(ub_tlv80_text(buf, H("8005616263646580ffff"), s, sizeof(s)), 0);
	assert_string_equal(s, "abcde");
	assert_int_equal(ub_tlv80_text(buf, H("800361006263"), s, sizeof(s)), UB_E_BAD_DATA);
	assert_int_equal(ub_tlv80_text(buf, H("8100"), s, sizeof(s)), UB_E_BAD_DATA);
	assert_int_equal(ub_tlv80_text(buf, H("8000"), s, sizeof(s)), UB_E_BAD_DATA);
	assert_int_equal(ub_tlv80_text(buf, H("8005616263"), s, sizeof(s)), UB_E_BAD_DATA);
	assert_int_equal(ub_tlv80_text(buf, H("8003616263"), s, 3), UB_E_BAD_DATA);
	/* TS 23.003 13.3: 2-digit MNC gets a leading 0 */
	assert_int_equal(ub_impi_from_imsi("234150999999999", 2, s, sizeof(s)), 0);
	assert_string_equal(s, "234150999999999@ims.mnc015.mcc234.3gppnetwork.org");
	assert_int_equal(ub_impi_from_imsi("310150123456789", 3, s, sizeof(s)), 0);
	assert_string_equal(s, "310150123456789@ims.mnc150.mcc310.3gppnetwork.org");
	assert_int_equal(ub_impi_from_imsi("31015", 3, s, sizeof(s)), UB_E_BAD_DATA);
	assert_int_equal(ub_impi_from_imsi("310150123456789", 0, s, sizeof(s)), UB_E_BAD_DATA);
	assert_int_equal(ub_impi_from_imsi("310150123456789", 3, s, 20), UB_E_BAD_DATA);
}

static void gba_files(void **state)
{
	struct ub_gbabp g, g2;
	struct ub_gbanl e;
	uint8_t out[300];
	int n;

	(void)state;
	assert_int_equal(ub_gbabp_decode(buf, H("ffffffff"), &g), 0);
	assert_int_equal(g.rand_len, 0);
	/* just after DD: RAND, empty B-TID and lifetime (uicc-sim's layout) */
	assert_int_equal(ub_gbabp_decode(buf, H("1023553cbe9637a89d218ae64dae47bf350000ffff"), &g),
			 0);
	assert_int_equal(g.rand_len, 16);
	assert_string_equal(g.btid, "");
	memset(&g, 0, sizeof(g));
	memcpy(g.rand, "\x23\x55\x3c\xbe\x96\x37\xa8\x9d\x21\x8a\xe6\x4d\xae\x47\xbf\x35", 16);
	g.rand_len = 16;
	strcpy(g.btid, "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org");
	strcpy(g.lifetime, "2030-01-31T12:00:00Z");
	n = ub_gbabp_encode(&g, out, sizeof(out));
	assert_int_equal(n, 3 + 16 + 40 + 20);
	assert_int_equal(ub_gbabp_decode(out, (size_t)n, &g2), 0);
	assert_string_equal(g2.btid, g.btid);
	assert_string_equal(g2.lifetime, g.lifetime);
	assert_int_equal(ub_gbabp_encode(&g, out, 50), UB_E_USAGE);
	assert_int_equal(ub_gbabp_decode(buf, H("11"), &g), UB_E_BAD_DATA);   /* RAND > 16 */
	assert_int_equal(ub_gbabp_decode(buf, H("1023"), &g), UB_E_BAD_DATA); /* RAND cut */
	assert_int_equal(ub_gbabp_decode(buf,
					 H("0105"
					   "05414243"),
					 &g),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_gbabp_decode(buf,
					 H("0105"
					   "03410043"),
					 &g),
			 UB_E_BAD_DATA); /* NUL */
	assert_int_equal(ub_gbabp_decode(buf,
					 H("0105"
					   "0141"
					   "0a31"),
					 &g),
			 UB_E_BAD_DATA);

	assert_int_equal(ub_gbanl_decode(buf,
					 H("8014"
					   "6e61662e6578616d706c652e6f72670100000002"
					   "8103414243"
					   "ffff"),
					 &e),
			 0);
	assert_int_equal(e.naf_id_len, 20);
	assert_string_equal(e.btid, "ABC");
	assert_int_equal(ub_gbanl_decode(buf, H("ffffffff"), &e), 0);
	assert_int_equal(e.naf_id_len, 0);
	assert_int_equal(ub_gbanl_decode(buf, H("80036e6166"), &e), UB_E_BAD_DATA); /* no Ua id */
	assert_int_equal(ub_gbanl_decode(buf, H("8103414243"), &e),
			 UB_E_BAD_DATA); /* B-TID alone */
	assert_int_equal(ub_gbanl_decode(buf,
					 H("8014"
					   "6e61"),
					 &e),
			 UB_E_BAD_DATA);
}

static void pkcs15(void **state)
{
	static const uint8_t dm[] = {0x67, 0x2B, 0x07, 0x01}, lw[] = {0x67, 0x2B, 0x09, 0x01};
	static const char *bad_dodf[] = {
		"a1053003060167",			/* typeAttributes missing */
		"a10aa1083006060167300104",		/* path of 1 byte */
		"a108a106300406022b06",			/* no Path */
		"a10ea10c300a0604672b0701300204",	/* Path without content */
		"a10aa108300606040000",			/* OID runs past */
		"a112a110300e0604672b0701300604036432", /* odd path length */
		/* CommonObjectAttributes: flags with an unused-bits count of 8 */
		"a12b30040302088030110c0f4c774d324d20426f6f747374726170"
		"a110300e06060604672b0901300404026434",
		/* flags: no bits but 7 unused */
		"a12a300303010730110c0f4c774d324d20426f6f747374726170"
		"a110300e06060604672b0901300404026434",
		/* flags of no content at all */
		"a1293002030030110c0f4c774d324d20426f6f747374726170"
		"a110300e06060604672b0901300404026434",
		/* authId of 5 bytes with 3 left in the SEQUENCE */
		"a12c3005040501020330110c0f4c774d324d20426f6f747374726170"
		"a110300e06060604672b0901300404026434",
		/* flags twice */
		"a12f3008030207800302078030110c0f4c774d324d20426f6f747374726170"
		"a110300e06060604672b0901300404026434",
		/* FF inside the SEQUENCE */
		"a12c300503020780ff30110c0f4c774d324d20426f6f747374726170"
		"a110300e06060604672b0901300404026434",
		/* a 00 before the DM entry: the entry hidden behind "padding" */
		"00 a1223000300e0c0c444d20426f6f747374726170a10e300c0604672b0701300404026432",
		"ff a1223000300e0c0c444d20426f6f747374726170a10e300c0604672b0701300404026432",
		/* an entry after the padding that follows the first */
		"a119a1173015 0606 0604672b0901 300b 04023f00 020100 80020080"
		"00 a1223000300e0c0c444d20426f6f747374726170a10e300c0604672b0701300404026432",
		/* a Path that ends in padding, its index behind it */
		"a116 a114 3012 0606 0604672b0901 3008 04026434 00 020101",
	};
	struct ub_p15_path p[2];
	struct ub_p15_oid_do o[4];
	size_t i;

	(void)state;
	assert_int_equal(ub_p15_odf_dodfs(buf,
					  H("a8063004040252"
					    "08"
					    "a706300404025207ffff"),
					  p, 2),
			 1);
	assert_int_equal(p[0].len, 2);
	assert_int_equal(p[0].path[0], 0x52);
	assert_int_equal(p[0].index, -1);
	/* a constructed DM Bootstrap entry: label "DM Bootstrap", file 6432 */
	assert_int_equal(ub_p15_dodf_oids(buf,
					  H("a1223000300e0c0c444d20426f6f747374726170"
					    "a10e300c0604672b0701300404026432ffffff"),
					  o, 4),
			 1);
	assert_true(ub_p15_oid_is(&o[0], dm, 4));
	assert_int_equal(o[0].path.path[1], 0x32);
	/* LwM2M style: OID double-encoded, no CommonObjectAttributes, index/length */
	assert_int_equal(ub_p15_dodf_oids(buf,
					  H("a119a1173015"
					    "0606"
					    "0604672b0901"
					    "300b"
					    "04023f00"
					    "020100"
					    "80020080"),
					  o, 4),
			 1);
	assert_true(ub_p15_oid_is(&o[0], lw, 4));
	assert_false(ub_p15_oid_is(&o[0], dm, 4));
	assert_int_equal(o[0].path.index, 0);
	assert_int_equal(o[0].path.length, 128);
	assert_false(o[0].has_flags);
	assert_false(o[0].is_private);
	assert_int_equal(o[0].auth_id_len, 0);
	/* LwM2M Core G.3.2's example with private (bit 0) and authId 01 */
	assert_int_equal(ub_p15_dodf_oids(buf,
					  H("a12e300703020780040101"
					    "30110c0f4c774d324d20426f6f747374726170"
					    "a110300e06060604672b0901300404026434"),
					  o, 4),
			 1);
	assert_true(ub_p15_oid_is(&o[0], lw, 4));
	assert_true(o[0].has_flags);
	assert_true(o[0].is_private);
	assert_false(o[0].is_modifiable);
	assert_int_equal(o[0].auth_id_len, 1);
	assert_int_equal(o[0].auth_id[0], 1);
	assert_int_equal(o[0].path.path[1], 0x34);
	/* modifiable only (bit 1; 6 unused bits), a label, a 2-byte authId */
	assert_int_equal(ub_p15_dodf_oids(buf,
					  H("a132300b0c0141030206400402abcd"
					    "30110c0f4c774d324d20426f6f747374726170"
					    "a110300e06060604672b0901300404026434"),
					  o, 4),
			 1);
	assert_false(o[0].is_private);
	assert_true(o[0].is_modifiable);
	assert_int_equal(o[0].auth_id_len, 2);
	/* opaqueDO entries are skipped */
	assert_int_equal(ub_p15_dodf_oids(buf,
					  H("30020500"
					    "a1223000300e0c0c444d20426f6f747374726170"
					    "a10e300c0604672b0701300404026432"),
					  o, 4),
			 1);
	for (i = 0; i < sizeof(bad_dodf) / sizeof(bad_dodf[0]); i++)
		if (ub_p15_dodf_oids(buf, H(bad_dodf[i]), o, 4) != UB_E_BAD_DATA)
			fail_msg("DODF %s accepted", bad_dodf[i]);
	assert_int_equal(ub_p15_odf_dodfs(buf, H("a7023000"), p, 2), UB_E_BAD_DATA);
	assert_int_equal(ub_p15_odf_dodfs(buf, H("a7063004040152"), p, 2), UB_E_BAD_DATA);
	assert_int_equal(ub_p15_odf_dodfs(buf,
					  H("a706300404025207"
					    "a706300404025208"),
					  p, 1),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_p15_odf_dodfs(buf,
					  H("a7063004040252"
					    "07"
					    "a706300404"),
					  p, 2),
			 UB_E_BAD_DATA);
	/* a DODF listed behind a padding byte, and the padding at the end */
	assert_int_equal(ub_p15_odf_dodfs(buf, H("00 a706300404025207"), p, 2), UB_E_BAD_DATA);
	assert_int_equal(ub_p15_odf_dodfs(buf, H("a8063004040252 08 ff a706300404025207"), p, 2),
			 UB_E_BAD_DATA);
	assert_int_equal(ub_p15_odf_dodfs(buf, H("a706300404025207 0000ffff00"), p, 2), 1);
	/* the Path above without its padding byte is one (index 1) */
	assert_int_equal(
		ub_p15_dodf_oids(buf, H("a115 a113 3011 0606 0604672b0901 3007 04026434 020101"), o,
				 4),
		1);
	assert_int_equal(o[0].path.index, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tlv_torture), cmocka_unit_test(fcp_known),
		cmocka_unit_test(fcp_torture), cmocka_unit_test(efdir_known_and_torture),
		cmocka_unit_test(identities),  cmocka_unit_test(gba_files),
		cmocka_unit_test(pkcs15),
	};

	return cmocka_run_group_tests_name("uicc-files decoders", tests, NULL, NULL);
}
