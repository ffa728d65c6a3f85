/* The card session (uicc-files), GBA_U (gba-u) and push verification (boot)
 * against scripted exchanges through the PC/SC seam: which APDUs are sent,
 * in which order, and which are not sent at all.  The card's answers were
 * recorded from uicc-sim (whose code shares nothing with ours) and are
 * laid out as TS 102 221 / TS 31.102 give them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "scard_fake.h"
#include "ub_bootsec.h"
#include "ub_cardboot.h"
#include "ub_error.h"
#include "ub_gba.h"
#include "ub_hex.h"
#include "ub_policy.h"
#include "ub_push.h"
#include "ub_uicc.h"

#define RUN(steps) fake_script(steps, sizeof(steps) / sizeof(steps[0]), SCARD_PROTOCOL_T1)
#define NSTEPS(steps) (sizeof(steps) / sizeof(steps[0]))

static struct ub_card card;
static struct ub_uicc u;

/* A card we have just reset: the MF is current. */
static void session(void)
{
	memset(&card, 0, sizeof(card));
	card.ops = &ub_pcsc_link;
	card.proto = SCARD_PROTOCOL_T1;
	card.h = 7;
	card.fresh = true;
	ub_uicc_init(&u, &card, NULL);
}

#define P15_AID "a000000063504b43532d3135"
#define USIM_AID "a0000000871002ffffffff8907090000"
#define USIM_PART "a0000000871002" /* RID + 3GPP USIM application code */
/* EF_DIR records (TS 102 221 13.1): 61 { 4F AID, 50 label }, FF padding */
#define DIR_USIM                            \
	"61184f10" USIM_AID "5004 5553494d" \
	"ffffffffffffffffffffffff9000"
#define DIR_P15_LONG              \
	"61184f0e" P15_AID "ff01" \
	"5006 504b43533135"       \
	"ffffffffffffffffffffffffffff9000"

/* The FCP of a transparent EF (TS 102 221 11.1.1.3): descriptor, FID
 * and size, as the tests need them (4 hex digits each). */
#define FCP_EF(fid, size) \
	"620c82024121"    \
	"8302" fid "8002" size
/* A DODF entry for the DM Bootstrap in EF 6432 (36 bytes) */
#define DODF_DM "a1223000300e0c0c444d20426f6f747374726170a10e300c0604672b0701300404026432"

/* Hex with spaces between fields, for the reader; unspace() joins them
 * into one of a few slots. */
static char joined[8][700];
static const char *unspace(int slot, const char *s)
{
	char *o = joined[slot];

	for (; *s; s++)
		if (*s != ' ')
			*o++ = *s;
	*o = '\0';
	return joined[slot];
}

/* --- the PKCS#15 application by its AID, EF_DIR only when refused --- */

static void pkcs15_by_aid(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040c0c" P15_AID, "9000", 0},
		/* ODF and DODF with their FCP: the size says where they end */
		{"00a4000402503100", FCP_EF("5031", "0008") "9000", 0},
		{"00b0000008", "a7063004040252079000", 0},
		{"00a4090402520700", FCP_EF("5207", "0024") "9000", 0}, /* by path */
		{"00b0000024", DODF_DM "9000", 0},
	};
	const struct ub_app *p15, *again;
	struct ub_p15_oid_do objs[4];
	struct ub_status st = {0};

	(void)state;
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), 0);
	assert_int_equal(fake_pos(), 1); /* one SELECT, no EF_DIR record */
	assert_int_equal(p15->kind, UB_APP_PKCS15);
	assert_ptr_equal(u.cur_app, p15); /* current: no second SELECT */
	assert_int_equal(ub_uicc_select(&u, p15, &st), 0);
	assert_int_equal(fake_pos(), 1);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &again, &st), 0);
	assert_ptr_equal(again, p15);
	assert_int_equal(ub_uicc_p15_objects(&u, p15, objs, 4, &st), 1);
	assert_int_equal(fake_pos(), NSTEPS(s));
	assert_int_equal(objs[0].path.len, 2);
	assert_int_equal(card.apdus, 5);
}

/* A card without partial AID selection (6A82): EF_DIR names the whole
 * AID, which is selected; the application is listed once. */
static void pkcs15_from_ef_dir(void **state)
{
	struct fake_step s[] = {
		{"00a4040c0c" P15_AID, "6a82", 0}, {"00b201f400", NULL, 0},
		{"00b202f400", NULL, 0},	   {"00a4040c0e" P15_AID "ff01", "9000", 0},
		{"00a4000c023f00", "9000", 0},	   {"00b203f400", "6a83", 0},
	};
	const struct ub_app *p15;
	struct ub_status st = {0};

	(void)state;
	s[1].rsp = unspace(0, DIR_USIM);
	s[2].rsp = unspace(1, DIR_P15_LONG);
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), 0);
	assert_int_equal(fake_pos(), 3);
	assert_int_equal(p15->aid_len, 14);
	assert_string_equal(p15->label, "PKCS15");
	assert_int_equal(ub_uicc_select(&u, p15, &st), 0);
	assert_int_equal(fake_pos(), 4);
	assert_int_equal(ub_uicc_all_apps(&u, &st), 2);
	assert_int_equal(fake_pos(), NSTEPS(s));
}

/* Selected by its AID, then EF_DIR read to the end (info): the entry made
 * by the SELECT takes the whole AID and label EF_DIR gives, and stays one. */
static void pkcs15_listed_once(void **state)
{
	struct fake_step s[] = {
		{"00a4040c0c" P15_AID, "9000", 0},
		{"00a4000c023f00", "9000", 0}, /* EF_DIR's SFI lives in the MF */
		{"00b201f400", NULL, 0},
		{"00b202f400", NULL, 0},
		{"00b203f400", "6a83", 0},
	};
	const struct ub_app *p15;
	struct ub_status st = {0};

	(void)state;
	s[2].rsp = unspace(0, DIR_P15_LONG);
	s[3].rsp = unspace(1, DIR_USIM);
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), 0);
	assert_int_equal(ub_uicc_all_apps(&u, &st), 2);
	assert_int_equal(fake_pos(), NSTEPS(s));
	assert_int_equal(u.apps[0].kind, UB_APP_PKCS15);
	assert_int_equal(u.apps[0].aid_len, 14);
	assert_string_equal(u.apps[0].label, "PKCS15");
	assert_int_equal(u.apps[1].kind, UB_APP_USIM);
}

/* A card pulled out during the probe is a removal, not "no PKCS#15". */
static void pkcs15_probe_removed(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040c0c" P15_AID, NULL, SCARD_W_REMOVED_CARD},
	};
	const struct ub_app *p15;
	struct ub_status st = {0};

	(void)state;
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), UB_E_CARD_REMOVED);
	assert_int_equal(st.err, UB_E_CARD_REMOVED);
	assert_string_equal(st.where, "PKCS15");
}

/* The USIM by the registered part of its AID (RID + application code
 * 1002): one SELECT, no EF_DIR; EF_DIR read later (info) gives the entry
 * its whole AID and label, in place: the current application stays it. */
static void usim_by_partial_aid(void **state)
{
	struct fake_step s[] = {
		{"00a4040c07" USIM_PART, "9000", 0},
		{"00a4000c023f00", "9000", 0},
		{"00b201f400", NULL, 0},
		{"00b202f400", "6a83", 0},
	};
	const struct ub_app *usim, *again;
	struct ub_status st = {0};

	(void)state;
	s[2].rsp = unspace(0, DIR_USIM);
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &usim, &st), 0);
	assert_int_equal(fake_pos(), 1);
	assert_ptr_equal(u.cur_app, usim);
	assert_int_equal(usim->aid_len, 7);
	assert_int_equal(ub_uicc_all_apps(&u, &st), 1);
	assert_int_equal(fake_pos(), NSTEPS(s));
	assert_int_equal(usim->aid_len, 16);
	assert_string_equal(usim->label, "USIM");
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &again, &st), 0);
	assert_ptr_equal(again, usim);
}

/* A card that refuses the partial AID (6A82): EF_DIR names the USIM, which
 * is selected by its whole AID when first used. */
static void usim_from_ef_dir(void **state)
{
	struct fake_step s[] = {
		{"00a4040c07" USIM_PART, "6a82", 0},
		{"00b201f400", NULL, 0},
		{"00a4040c10" USIM_AID, "9000", 0},
	};
	const struct ub_app *usim;
	struct ub_status st = {0};

	(void)state;
	s[1].rsp = unspace(0, DIR_USIM);
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &usim, &st), 0);
	assert_int_equal(fake_pos(), 2);
	assert_int_equal(usim->aid_len, 16);
	assert_int_equal(ub_uicc_select(&u, usim, &st), 0);
	assert_int_equal(fake_pos(), NSTEPS(s));
}

/* --- a failed read is an error, never "absent" --- */

#define EMPTY_REC "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff9000"
/* The FCP of a linear fixed EF_DIR of n records of 38 bytes (2 hex digits). */
#define FCP_DIR(n) "620f8205422100260" n "83022f008002004c"

static struct ub_app p15_app = {.aid_len = 12, .kind = UB_APP_PKCS15};

/* The PKCS#15 application is current (selected by its AID before). */
static void p15_session(void)
{
	session();
	u.cur_app = &p15_app;
	u.in_mf = false;
}

/* The FCP gives 16 bytes: an answer without data, or with 8, is a failed
 * read (UB_E_PROTO), never an empty or a short file. */
static void read_without_data_fails(void **state)
{
	static const struct fake_step s[] = {
		{"00a4090402643200", FCP_EF("6432", "0010") "9000", 0},
		{"00b0000010", "9000", 0},
		{"00a4090402643200", FCP_EF("6432", "0010") "9000", 0},
		{"00b0000010",
		 "0102030405060708"
		 "9000",
		 0},
		{"00a4090402643200", FCP_EF("6432", "0010") "9000", 0},
		{"00b0000010", "6b00", 0},
		{"00b2012400", "9000", 0}, /* EF_IMPU record 1 by SFI */
	};
	struct ub_p15_path path = {.path = {0x64, 0x32}, .len = 2, .index = -1, .length = -1};
	struct ub_status st = {0};
	uint8_t b[64];

	(void)state;
	p15_session();
	RUN(s);
	assert_int_equal(ub_uicc_p15_read_sized(&u, &p15_app, &path, b, sizeof(b), true,
						"DM Bootstrap (EF 6432)", &st),
			 UB_E_PROTO);
	assert_string_equal(st.where, "DM Bootstrap (EF 6432)");
	assert_non_null(strstr(st.what, "answered 9000 without data"));
	assert_int_equal(ub_uicc_p15_read_sized(&u, &p15_app, &path, b, sizeof(b), true, "EF", &st),
			 UB_E_PROTO);
	assert_non_null(strstr(st.what, "the card gave 8 of the 16 bytes"));
	assert_int_equal(ub_uicc_p15_read_sized(&u, &p15_app, &path, b, sizeof(b), true, "EF", &st),
			 UB_E_PROTO);
	assert_non_null(strstr(st.what, "the card gave 0 of the 16 bytes"));
	assert_int_equal(ub_uicc_read_record(&u, &UB_EF_IMPU, 1, b, sizeof(b), &st), UB_E_PROTO);
	assert_non_null(strstr(st.what, "READ RECORD 1 answered 9000 without data"));
	assert_int_equal(fake_pos(), NSTEPS(s));
}

/* ODF -> DODF is one step: a DODF that is the ODF, one listed twice, an
 * entry naming a directory file, and an entry behind a 00 byte are
 * refused (UB_E_BAD_DATA), never "no object". */
static void p15_directory_refusals(void **state)
{
	static const struct {
		const char *odf, *dodf, *why;
	} bad[] = {
		{"a706300404025031", NULL, "its DODF 5031 is the ODF itself"},
		{"a70a3008040609993f005031", NULL, "its DODF 0999/3F00/5031 is the ODF itself"},
		{"a706300404025207a706300404025207", NULL, "lists DODF 5207 twice"},
		{"a706300404025207",
		 "a1223000300e0c0c444d20426f6f747374726170a10e300c0604672b0701300404025207",
		 "entry 1 names 5207, a directory file"},
		{"a706300404025207", "00" DODF_DM, "EF_DODF 5207 is malformed"},
	};
	struct fake_step s[4];
	struct ub_p15_oid_do objs[4];
	struct ub_status st;
	char size[20];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(size, sizeof(size), "%04zx", strlen(bad[i].odf) / 2);
		snprintf(joined[0], sizeof(joined[0]), FCP_EF("5031", "%s") "9000", size);
		snprintf(joined[1], sizeof(joined[1]), "00b00000%s", size + 2);
		snprintf(joined[2], sizeof(joined[2]), "%s9000", bad[i].odf);
		s[0] = (struct fake_step){"00a4000402503100", joined[0], 0};
		s[1] = (struct fake_step){joined[1], joined[2], 0};
		n = 2;
		if (bad[i].dodf) {
			snprintf(size, sizeof(size), "%04zx", strlen(bad[i].dodf) / 2);
			snprintf(joined[3], sizeof(joined[3]), FCP_EF("5207", "%s") "9000", size);
			snprintf(joined[4], sizeof(joined[4]), "00b00000%s", size + 2);
			snprintf(joined[5], sizeof(joined[5]), "%s9000", bad[i].dodf);
			s[2] = (struct fake_step){"00a4090402520700", joined[3], 0};
			s[3] = (struct fake_step){joined[4], joined[5], 0};
			n = 4;
		}
		p15_session();
		fake_script(s, n, SCARD_PROTOCOL_T1);
		memset(&st, 0, sizeof(st));
		if (ub_uicc_p15_objects(&u, &p15_app, objs, 4, &st) != UB_E_BAD_DATA ||
		    !strstr(st.what, bad[i].why) || fake_pos() != n)
			fail_msg("directory %zu not refused as '%s': '%s'", i, bad[i].why, st.what);
	}
}

/* EF_DIR (a card that refuses the PKCS#15 AID) with every record empty
 * and none missing: read as far as its FCP counts (not to record 254),
 * and "lists nothing" is a failure of the bootstrap, not "no PKCS#15". */
static void ef_dir_all_empty(void **state)
{
	static const struct fake_step s[] = {
		{"00a4040c0c" P15_AID, "6a82", 0},
		{"00b201f400", EMPTY_REC, 0},
		{"00a40004022f0000", FCP_DIR("2") "9000", 0},
		{"00b202f400", EMPTY_REC, 0},
	};
	const struct ub_app *p15;
	struct ub_cardboot d;
	struct ub_status st = {0};

	(void)state;
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), UB_E_NOT_FOUND);
	assert_int_equal(fake_pos(), NSTEPS(s));
	assert_true(ub_uicc_dir_empty(&u));
	session();
	RUN(s);
	assert_int_equal(ub_cardboot_open(&u, &d, false, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "every one of its 2 records is empty"));
	assert_int_equal(card.apdus, 4);
}

/* EF_DIR that ends before its FCP's count, or goes past it. */
static void ef_dir_count_lies(void **state)
{
	struct fake_step before[] = {
		{"00a4040c0c" P15_AID, "6a82", 0},
		{"00b201f400", EMPTY_REC, 0},
		{"00a40004022f0000", FCP_DIR("3") "9000", 0},
		{"00b202f400", NULL, 0},
		{"00b203f400", "6a83", 0},
	};
	struct fake_step past[] = {
		{"00a4040c0c" P15_AID, "6a82", 0},
		{"00b201f400", NULL, 0},
		{"00b202f400", EMPTY_REC, 0},
		{"00a40004022f0000", FCP_DIR("1") "9000", 0},
	};
	const struct ub_app *p15;
	struct ub_status st = {0};

	(void)state;
	before[3].rsp = unspace(0, DIR_USIM);
	session();
	RUN(before);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), UB_E_PROTO);
	assert_non_null(strstr(st.what, "record 3 is not there (6A83), but its FCP says 3"));
	past[1].rsp = unspace(0, DIR_USIM);
	session();
	RUN(past);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_PKCS15, &p15, &st), UB_E_PROTO);
	assert_non_null(strstr(st.what, "record 2 read, but its FCP says 1 records"));
	assert_int_equal(fake_pos(), NSTEPS(past));
}

/* --- the PIN rule and reset recovery --- */

/* the USIM by the registered part of its AID: first or only occurrence */
static const struct fake_step usim_select[] = {
	{"00a4040c07" USIM_PART, "9000", 0},
};

static void pin_verified_once(void **state)
{
	struct fake_step s[] = {
		usim_select[0],
		{"00b0870009", "6982", 0},
		{"00200001", "63c3", 0},
		{"002000010831323334ffffffff", "9000", 0},
		{"00b0870009",
		 "080910101032547698"
		 "9000",
		 0},
		{"00b0830004", "000000029000", 0},
	};
	const struct ub_app *usim;
	struct ub_status st = {0};
	char imsi[16];
	int mnc;

	(void)state;
	session();
	u.pin = "1234";
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &usim, &st), 0);
	assert_int_equal(ub_uicc_read_imsi(&u, usim, imsi, &mnc, &st), 0);
	assert_string_equal(imsi, "001010123456789");
	assert_int_equal(mnc, 2);
	assert_int_equal(fake_pos(), NSTEPS(s));
}

/* One try left: no VERIFY with the PIN is sent. */
static void pin_last_try_kept(void **state)
{
	struct fake_step s[] = {
		usim_select[0],
		{"00b0870009", "6982", 0},
		{"00200001", "63c1", 0},
	};
	const struct ub_app *usim;
	struct ub_status st = {0};
	char imsi[16];
	int mnc;

	(void)state;
	session();
	u.pin = "1234";
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &usim, &st), 0);
	assert_int_equal(ub_uicc_read_imsi(&u, usim, imsi, &mnc, &st), UB_E_PIN_LAST);
	assert_int_equal(fake_pos(), NSTEPS(s));
	assert_int_equal(st.sw, 0x63C1);
	assert_string_equal(st.where, "PIN1");
}

/* No PIN given: the card's need is said with its tries left. */
static void pin_required(void **state)
{
	struct fake_step s[] = {
		usim_select[0],
		{"00b0870009", "6982", 0},
		{"00200001", "63c3", 0},
	};
	const struct ub_app *usim;
	struct ub_status st = {0};
	char imsi[16];
	int mnc;

	(void)state;
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &usim, &st), 0);
	assert_int_equal(ub_uicc_read_imsi(&u, usim, imsi, &mnc, &st), UB_E_PIN_REQUIRED);
	assert_non_null(strstr(st.what, "3 tries left"));
}

/* A reset between two reads: the application is selected again and the
 * read repeated, once. */
static void reset_reselects(void **state)
{
	struct fake_step s[] = {
		usim_select[0],
		{"00b0870009", NULL, SCARD_W_RESET_CARD},
		{"00a4040c07" USIM_PART, "9000", 0},
		{"00b0870009",
		 "080910101032547698"
		 "9000",
		 0},
		{"00b0830004", NULL, SCARD_W_RESET_CARD},
		{"00a4040c07" USIM_PART, "9000", 0},
		{"00b0830004", NULL, SCARD_W_RESET_CARD},
	};
	const struct ub_app *usim;
	struct ub_status st = {0};
	char imsi[16];
	int mnc;

	(void)state;
	session();
	RUN(s);
	assert_int_equal(ub_uicc_find_app(&u, UB_APP_USIM, &usim, &st), 0);
	/* the IMSI survives one reset; EF_AD meets two and fails */
	assert_int_equal(ub_uicc_read_imsi(&u, usim, imsi, &mnc, &st), UB_E_CARD_RESET);
	assert_int_equal(fake_pos(), NSTEPS(s));
	assert_int_equal(fake_reconnects(), 3);
	assert_string_equal(st.where, "EF_AD");
}

/* --- GBA_U: bootstrapping (DD) and NAF derivation (DE), TS 31.102 7.1.2 --- */

#define RAND "23553cbe9637a89d218ae64dae47bf35"
#define AUTN "55f328b43577b9b94a9ffac354dfafb3"
/* I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org */
#define BTID_HEX                                           \
	"4931553876705933714a306869755a4e726b652f4e513d3d" \
	"40"                                               \
	"6273662e6578616d706c652e6f7267"
#define LIFE_HEX "323039392d30312d33315431323a30303a30305a" /* 2099-01-31T12:00:00Z */
#define IMPI "001010123456789@ims.mnc001.mcc001.3gppnetwork.org"
#define KS_NAF "7a205ce786b14dad6f28d1f8b39d74aba2a172a3c134043bb036912e2036b610"

/* the USIM found, UST read (service 68: GBA) */
static const struct fake_step gba_open_usim[] = {
	{"00a4040c07" USIM_PART, "9000", 0},
	{"00b0840000",
	 "3f000004010000000800000000000000"
	 "9000",
	 0},
};

static void gba_open_steps(struct fake_step *s)
{
	memcpy(s, gba_open_usim, sizeof(gba_open_usim));
}

static void gba_bootstrap(void **state)
{
	struct fake_step s[5];
	uint8_t rand[16], autn[16], res[16], auts[14];
	struct ub_status st = {0};
	struct ub_gba g;
	size_t res_len = 0;

	(void)state;
	gba_open_steps(s);
	/* AUTHENTICATE P2=84 (GBA security context, bootstrapping mode):
	 * DD || L RAND || RAND || L AUTN || AUTN; answer DB || L || RES */
	s[2] = (struct fake_step){"0088008423dd10" RAND "10" AUTN "00", "db08a54211d5e3ba50bf9000",
				  0};
	s[3] = (struct fake_step){"00a4000c026fd6", "9000", 0};
	/* EF_GBABP: L RAND || RAND || L B-TID || B-TID || L lifetime || lifetime */
	s[4] = (struct fake_step){unspace(1, "00d600004f"
					     "10" RAND "28" BTID_HEX "14" LIFE_HEX),
				  "9000", 0};
	ub_unhex(rand, 16, RAND);
	ub_unhex(autn, 16, AUTN);
	session();
	RUN(s);
	assert_int_equal(ub_gba_open(&g, &u, false, false, &st), 0);
	assert_true(g.service && !g.isim);
	assert_int_equal(ub_gba_bootstrap(&g, rand, autn,
					  "I1U8vpY3qJ0hiuZNrke/NQ==@bsf.example.org",
					  "2099-01-31T12:00:00Z", res, &res_len, auts, &st),
			 0);
	assert_int_equal(res_len, 8);
	assert_memory_equal(res, "\xa5\x42\x11\xd5\xe3\xba\x50\xbf", 8);
	assert_int_equal(fake_pos(), NSTEPS(s));
}

/* The derivation steps after gba_open: IMPI from IMSI + MNC length
 * (TS 23.003 13.3), EF_GBABP for B-TID and lifetime, then DE. */
static size_t naf_steps(struct fake_step *s, const char *life_hex, const char *naf_id_hex)
{
	static char gbabp[300], de[400];
	char impi_hex[2 * sizeof(IMPI)];
	size_t naf_len = strlen(naf_id_hex) / 2;

	gba_open_steps(s);
	s[2] = (struct fake_step){"00b0870009", "0809101010325476989000", 0};
	s[3] = (struct fake_step){"00b0830004", "000000029000", 0};
	s[4] = (struct fake_step){"00a4000c026fd6", "9000", 0};
	snprintf(gbabp, sizeof(gbabp), "10%s28%s14%s9000", RAND, BTID_HEX, life_hex);
	s[5] = (struct fake_step){"00b0000000", gbabp, 0};
	/* DE || L NAF_Id || NAF_Id || L IMPI || IMPI; answer DB || 20 || Ks_ext_NAF */
	ub_hex(impi_hex, (const uint8_t *)IMPI, strlen(IMPI));
	snprintf(de, sizeof(de), "00880084%02zxde%02zx%s%02zx%s00",
		 1 + 1 + naf_len + 1 + strlen(IMPI), naf_len, naf_id_hex, strlen(IMPI), impi_hex);
	s[6] = (struct fake_step){de, "db20" KS_NAF "9000", 0};
	return 7;
}

static void gba_naf_key(void **state)
{
	struct fake_step s[7];
	uint8_t naf[20], ks[32], want[32];
	struct ub_status st = {0};
	struct ub_gbabp bp;
	struct ub_gba g;

	(void)state;
	naf_steps(s, LIFE_HEX, "6e61662e6578616d706c652e6f72670100000002");
	assert_int_equal(
		ub_naf_id("naf.example.org", (const uint8_t *)"\x01\x00\x00\x00\x02", naf, 20), 20);
	session();
	RUN(s);
	assert_int_equal(ub_gba_open(&g, &u, false, false, &st), 0);
	assert_int_equal(ub_gba_naf_key(&g, naf, 20, 1700000000, ks, &bp, &st), 0);
	ub_unhex(want, 32, KS_NAF);
	assert_memory_equal(ks, want, 32);
	assert_string_equal(g.impi, IMPI);
	assert_string_equal(bp.lifetime, "2099-01-31T12:00:00Z");
	assert_int_equal(fake_pos(), NSTEPS(s));
}

/* A key whose lifetime is over is not derived: DE is never sent. */
static void gba_naf_key_expired(void **state)
{
	struct fake_step s[7];
	uint8_t naf[20], ks[32];
	struct ub_status st = {0};
	struct ub_gbabp bp;
	struct ub_gba g;

	(void)state;
	naf_steps(s, LIFE_HEX, "6e61662e6578616d706c652e6f72670100000002");
	ub_naf_id("naf.example.org", (const uint8_t *)"\x01\x00\x00\x00\x02", naf, 20);
	session();
	fake_script(s, 6, SCARD_PROTOCOL_T1);
	assert_int_equal(ub_gba_open(&g, &u, false, false, &st), 0);
	assert_int_equal(ub_gba_naf_key(&g, naf, 20, 4102444800LL /* 2100 */, ks, &bp, &st),
			 UB_E_KEY_EXPIRED);
	assert_int_equal(fake_pos(), 6);
}

/* --- push verification with a GBA key from the card --- */

/* docs/test-vectors.md 1: ./DMAcc/ex, ServerID and address host
 * dm.example.com, Source LocURI https://dm.example.com */
static const char fixture_hex[] =
	"02a4016a006d6c7103312e3200017203444d2f312e32000165033000015b033000016e5703494d45493a343933"
	"30303531303035393238303000010167570368747470733a2f2f646d2e6578616d706c652e636f6d000101016b"
	"454b03310001546e57032e2f444d4163632f65782f41707049440001014fc30277370101546e57032e2f444d41"
	"63632f65782f53657276657249440001014fc30e646d2e6578616d706c652e636f6d0101546e57032e2f444d41"
	"63632f65782f417070416464722f312f416464720001014fc31668747470733a2f2f646d2e6578616d706c652e"
	"636f6d0101546e57032e2f444d4163632f65782f417070416464722f312f41646472547970650001014fc30355"
	"52490101546e57032e2f444d4163632f65782f417070417574682f312f41417574684c6576656c0001014fc306"
	"434c435245440101546e57032e2f444d4163632f65782f417070417574682f312f414175746854797065000101"
	"4f"
	"c3064449474553540101546e57032e2f444d4163632f65782f417070417574682f312f41417574684e616d6500"
	"01"
	"014fc303636c690101546e57032e2f444d4163632f65782f417070417574682f312f4141757468536563726574"
	"0001014fc305636c697077010101120101";

static uint8_t body[600];
static size_t body_len;

static void gba_policy(struct ub_policy *pol)
{
	ub_policy_defaults(pol);
	pol->allowed_sec |= UB_SEC_NETWORKID_GBA;
	pol->prefer_isim = false;
	pol->has_ua_id = true;
	memcpy(pol->ua_id, "\x03\x00\x00\x00\x99", 5);
}

static void gba_push_req(struct ub_push_req *r, const uint8_t ks[32])
{
	unsigned int len;

	body_len = (size_t)ub_unhex(body, sizeof(body), fixture_hex);
	assert_int_equal(body_len, 469);
	memset(r, 0, sizeof(*r));
	r->body = body;
	r->len = body_len;
	assert_int_equal(ub_ctype_parse("application/vnd.syncml.dm+wbxml; SEC=NETWORKID_GBA; "
					"MAC=0000000000000000000000000000000000000000",
					&r->ct),
			 0);
	HMAC(EVP_sha1(), ks, 32, body, body_len, r->ct.mac, &len);
}

/* The NAF (from the Source LocURI) is the account's server: the card is
 * asked for Ks_ext_NAF of dm.example.com and the MAC verifies with it. */
static void push_gba_verified(void **state)
{
	struct fake_step s[7];
	struct ub_policy pol;
	struct ub_push_req r;
	struct ub_plan plan;
	struct ub_status st = {0};
	uint8_t ks[32];

	(void)state;
	gba_policy(&pol);
	ub_unhex(ks, 32, KS_NAF);
	gba_push_req(&r, ks);
	naf_steps(s, LIFE_HEX, "646d2e6578616d706c652e636f6d0300000099"); /* dm.example.com || Ua */
	session();
	RUN(s);
	assert_int_equal(ub_push_verify(&pol, &u, &r, &plan, &st), 0);
	assert_string_equal(r.naf_fqdn, "dm.example.com");
	assert_int_equal(fake_pos(), NSTEPS(s));
	ub_plan_free(&plan);

	/* the same key, one byte of the body changed: UB_E_MAC after the
	 * card was asked (the MAC cannot be checked before) */
	body[body_len - 8] ^= 1;
	session();
	RUN(s);
	assert_int_equal(ub_push_verify(&pol, &u, &r, &plan, &st), UB_E_MAC);
}

/* A NAF that is not the account's server, a ServerID the allow-list
 * refuses, a SEC type the policy refuses: refused before any APDU. */
static void push_gba_refused_before_card(void **state)
{
	static const struct fake_step none[] = {{"", "", 0}};
	struct ub_policy pol;
	struct ub_push_req r;
	struct ub_plan plan;
	struct ub_status st = {0};
	uint8_t ks[32] = {0};

	(void)state;
	gba_policy(&pol);
	snprintf(pol.naf_fqdn, sizeof(pol.naf_fqdn), "naf.example.org");
	gba_push_req(&r, ks);
	session();
	fake_script(none, 0, SCARD_PROTOCOL_T1);
	assert_int_equal(ub_push_verify(&pol, &u, &r, &plan, &st), UB_E_POLICY);
	assert_non_null(strstr(st.what, "naf.example.org"));
	assert_int_equal(fake_pos(), 0);

	gba_policy(&pol);
	snprintf(pol.servers[0], sizeof(pol.servers[0]), "operator-dm");
	pol.nservers = 1;
	assert_int_equal(ub_push_verify(&pol, &u, &r, &plan, &st), UB_E_POLICY);
	assert_non_null(strstr(st.what, "dm.example.com"));
	assert_int_equal(fake_pos(), 0);

	gba_policy(&pol);
	pol.allowed_sec &= ~(unsigned)UB_SEC_NETWORKID_GBA;
	assert_int_equal(ub_push_verify(&pol, &u, &r, &plan, &st), UB_E_POLICY);
	assert_int_equal(fake_pos(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pkcs15_by_aid),
		cmocka_unit_test(pkcs15_from_ef_dir),
		cmocka_unit_test(pkcs15_listed_once),
		cmocka_unit_test(pkcs15_probe_removed),
		cmocka_unit_test(usim_by_partial_aid),
		cmocka_unit_test(usim_from_ef_dir),
		cmocka_unit_test(read_without_data_fails),
		cmocka_unit_test(p15_directory_refusals),
		cmocka_unit_test(ef_dir_all_empty),
		cmocka_unit_test(ef_dir_count_lies),
		cmocka_unit_test(pin_verified_once),
		cmocka_unit_test(pin_last_try_kept),
		cmocka_unit_test(pin_required),
		cmocka_unit_test(reset_reselects),
		cmocka_unit_test(gba_bootstrap),
		cmocka_unit_test(gba_naf_key),
		cmocka_unit_test(gba_naf_key_expired),
		cmocka_unit_test(push_gba_verified),
		cmocka_unit_test(push_gba_refused_before_card),
	};

	return cmocka_run_group_tests_name("card session, GBA_U and push over the PC/SC seam",
					   tests, NULL, NULL);
}
