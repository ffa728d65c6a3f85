/* LwM2M Objects in the device tree: the mapping of ub_lwm2m_map.h (URIs,
 * URNs, leaves both ways, with torture tables of what it must refuse),
 * the account model's LwM2M MO kind and its owners, apply's isolation
 * rules for it, the reserved lwm2m: principals, the secret rule, and
 * ub_lwm2m_from_tree giving back the card's bytes.
 *
 * Also a mode for tests/integration/t_lwm2m_ref.sh:
 *   test_lwm2m_tree --via-tree FILE...   each file decoded, checked, made a
 *   plan, applied to a tree and read back with ub_lwm2m_from_tree; one
 *   canonical JSON line each, as lwm2m_ref.py prints it, or "error" and the
 *   "stage" that refused it (decode, check, plan, apply, read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lwm2m.h"
#include "tmpdb.h"
#include "store.h"
#include "tree.h"
#include "ub_account.h"
#include "ub_apply.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_lwm2m.h"
#include "ub_lwm2m_map.h"
#include "ub_plan.h"
#include "ub_policy.h"

static char path[64];
static struct ub_tree *t;
static struct ub_policy pol;
static struct ub_status why;
static struct ub_status st;

/* card A is the demo card: tests/profiles/boot/lwm2m-bootstrap.bin */
#define DEMO "tests/profiles/boot/lwm2m-bootstrap.bin"
/* card B: SSID 202 at Instances /0/5 and /1/5 */
static const char card_b[] =
	"000200390000000026080523c80016636f6170733a2f2f622e6578616d706c653a35363834c10100c102"
	"03c20a00ca00010000090705c20000cac10755";
/* card C: SSID 101 (card A's server) at /0/7 */
static const char card_c[] =
	"0001002a0000000025080722c80016636f6170733a2f2f632e6578616d706c653a35363834c10100c102"
	"03c10a65";
/* card D: SSID 303 at /0/0 (card A's Instance ID) */
static const char card_d[] =
	"0001002b0000000026080023c80016636f6170733a2f2f642e6578616d706c653a35363834c10100c102"
	"03c20a012f";
/* every form: Object 0 version 1.2 with a PSK (secrets 3, 5), a multiple
 * Unsigned resource (16: 49320 shortest, 255 in two bytes), an Objlnk to
 * /21/3, an SNI with a control character; /1/2 with an 8-byte lifetime;
 * /21/3 (OSCORE, Master Secret); an unknown Object 3442 with an empty
 * Resource Instance */
static const char every[] =
	"0004008a000001020047080244c80016636f6170733a2f2f652e6578616d706c653a35363834c10100c1"
	"0200c40369642d65c305aabbccc20a01918810084200c0a8420100ffc41100150003c30e610162000100"
	"001208020fc2000191c801080000000000015180001500001008030dc6006d6173746572c301736e640d"
	"7200000c080009c3000001ff82044009";

static int setup(void **state)
{
	(void)state;
	tmpdb_name(path, sizeof(path), "/tmp", "ub-lwtree");
	ub_policy_defaults(&pol);
	return ub_tree_open(path, &t);
}

static int teardown(void **state)
{
	(void)state;
	ub_tree_close(t);
	tmpdb_remove(path);
	return 0;
}

static size_t file_bytes(const char *src, uint8_t *b, size_t max)
{
	FILE *fp;
	size_t n;

	if (strncmp(src, "tests/", 6)) {
		int k = ub_unhex(b, max, src);

		assert_true(k > 0);
		return (size_t)k;
	}
	fp = fopen(src, "rb");
	assert_non_null(fp);
	n = fread(b, 1, max, fp);
	fclose(fp);
	return n;
}

static int boot_of(const char *src, struct ub_lwm2m_boot *b)
{
	static uint8_t buf[UB_LWM2M_FILE_MAX];
	size_t n = file_bytes(src, buf, sizeof(buf));
	int err = ub_lwm2m_boot_decode(buf, n, NULL, b, &st);

	return err ? err : ub_lwm2m_check(b, &st);
}

/* A card's LwM2M file (NULL: emptied) applied as the power-on does. */
static int card(const char *iccid, const char *src, struct ub_apply_result *r)
{
	char source[48], digest[80];
	struct ub_apply_opts o = {0};
	struct ub_lwm2m_boot b;
	struct ub_plan p = {0};
	int err;

	snprintf(source, sizeof(source), "iccid:%s/lwm2m", iccid);
	snprintf(digest, sizeof(digest), "%.64s", src ? src : "");
	o.source = source;
	o.supersede = true;
	o.digest = src ? digest : NULL;
	if (src) {
		assert_int_equal(boot_of(src, &b), 0);
		err = ub_plan_from_lwm2m(&b, &p, &why);
		ub_lwm2m_boot_free(&b);
		if (err)
			return err;
	}
	err = ub_tree_apply(t, src ? &p : NULL, &pol, &o, r, &why);
	ub_plan_free(&p);
	return err;
}

static const char *value_of(const char *uri)
{
	static char v[256];
	struct ub_tree_node n;

	if (ub_tree_get(t, uri, &n))
		return NULL;
	snprintf(v, sizeof(v), "%s|%s|%s|%s", n.format, n.type ? n.type : "-",
		 n.value ? n.value : "-", n.server ? n.server : "-");
	ub_tree_node_free(&n);
	return v;
}

/* --- the mapping --- */

static void uris(void **state)
{
	static const char *const bad[] = {
		"./LwM2M/",	 "./LwM2M/01",	 "./LwM2M/0/65535", "./LwM2M/0/1/2/3/4",
		"./LwM2M/a",	 "./LwM2M//1",	 "./LwM2Mx",	    "./LwM2M/65536",
		"./LwM2M/0/1/",	 "./LwM2M/-1",	 "./LwM2M/+1",	    "./LwM2M/0/1/100000",
		"./DMAcc/x",	 "./LwM2M/0/00", "./LwM2M/ 1",	    "./LwM2M/0x1",
		"./LwM2M/1/2/3a"};
	struct ub_lwm2m_path p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!ub_lwm2m_uri_parse(bad[i], &p))
			fail_msg("%s parsed", bad[i]);
	assert_int_equal(ub_lwm2m_uri_parse("./LwM2M", &p), 0);
	assert_int_equal(p.depth, 0);
	assert_int_equal(ub_lwm2m_uri_parse("./LwM2M/65535/65534/65535/65535", &p), 0);
	assert_int_equal(p.depth, 4);
	assert_int_equal(p.obj, 65535);
	assert_int_equal(p.inst, 65534);
	assert_int_equal(p.ri, 65535);
	/* containers, and the secret rule from src/lwm2m/'s table */
	assert_true(ub_dm_is_container("./LwM2M") && ub_dm_is_container("./LwM2M/0"));
	assert_false(ub_dm_is_container("./LwM2M/0/1") || ub_dm_is_container("./LwM2M/00"));
	assert_true(ub_dm_is_secret("./LwM2M/0/1/5") && ub_dm_is_secret("./LwM2M/0/1/3"));
	assert_true(ub_dm_is_secret("./LwM2M/0/1/8/0") && ub_dm_is_secret("./LwM2M/21/0/0"));
	assert_false(ub_dm_is_secret("./LwM2M/0/1/0") || ub_dm_is_secret("./LwM2M/1/0/5"));
	assert_false(ub_dm_is_secret("./LwM2M/21/0/1"));
}

static void urns(void **state)
{
	static const struct {
		uint16_t obj;
		const char *urn;
	} bad[] = {
		{0, "urn:oma:lwm2m:oma:0:01.2"},
		{0, "urn:oma:lwm2m:ext:0"},
		{0, "urn:oma:lwm2m:oma:0:0.1"},
		{0, "urn:oma:lwm2m:oma:1"},
		{0, "urn:oma:lwm2m:oma:0:1.2x"},
		{0, "urn:oma:lwm2m:oma:0:256.0"},
		{0, "urn:oma:lwm2m:oma:0:1"},
		{0, "urn:oma:lwm2m:oma:0:+1.2"},
		{0, NULL},
		{3442, "urn:oma:lwm2m:oma:3442"},
		{0, "urn:oma:lwm2m:oma:00"},
		{0, "URN:oma:lwm2m:oma:0"},
	};
	char u[64];
	bool ev;
	uint8_t a, b;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!ub_lwm2m_urn_parse(bad[i].obj, bad[i].urn, &ev, &a, &b))
			fail_msg("%s parsed", bad[i].urn);
	assert_int_equal(ub_lwm2m_urn(0, true, 1, 2, u, sizeof(u)), 0);
	assert_string_equal(u, "urn:oma:lwm2m:oma:0:1.2");
	assert_int_equal(ub_lwm2m_urn_parse(0, u, &ev, &a, &b), 0);
	assert_true(ev && a == 1 && b == 2);
	ub_lwm2m_urn(3442, false, 0, 0, u, sizeof(u));
	assert_string_equal(u, "urn:oma:lwm2m:ext:3442");
	ub_lwm2m_urn(26241, false, 0, 0, u, sizeof(u));
	assert_string_equal(u, "urn:oma:lwm2m:x:26241");
	assert_int_equal(ub_lwm2m_urn_parse(1, "urn:oma:lwm2m:oma:1", &ev, &a, &b), 0);
	assert_false(ev);
}

/* Each type's text form, and b64 where text would not give the bytes back. */
static void leaves(void **state)
{
	static const struct {
		uint16_t obj, res;
		const char *hex, *format, *type, *value;
	} ok[] = {
		{0, 0, "636f6170733a2f2f61", "chr", "String", "coaps://a"},
		{0, 0, "", "chr", "String", ""},
		{0, 14, "610162", "b64", "String", "YQFi"}, /* control character */
		{0, 10, "65", "int", "Integer", "101"},
		{0, 10, "ff", "int", "Integer", "-1"},
		{0, 10, "0065", "b64", "Integer", "AGU="}, /* not the shortest */
		{0, 10, "8000000000000000", "int", "Integer", "-9223372036854775808"},
		{1, 1, "00015180", "int", "Unsigned Integer", "86400"},
		{1, 1, "ffffffffffffffff", "int", "Unsigned Integer", "18446744073709551615"},
		{1, 1, "0000000000015180", "b64", "Unsigned Integer", "AAAAAAABUYA="},
		{0, 1, "01", "bool", "Boolean", "true"},
		{0, 1, "00", "bool", "Boolean", "false"},
		{0, 17, "00150003", "chr", "Objlnk", "21:3"},
		{0, 5, "000102", "b64", "Opaque", "AAEC"},
		{0, 5, "", "b64", "Opaque", ""},
		{3442, 7, "00ff", "b64", "Opaque", "AP8="}, /* unknown: opaque */
		{1, 12, "0000000065000000", "b64", "Time", "AAAAAGUAAAA="},
		{1, 12, "65000000", "int", "Time", "1694498816"},
	};
	struct ub_lwm2m_leaf l;
	uint8_t v[64], back[64];
	size_t i;
	int n, k;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		n = ub_unhex(v, sizeof(v), ok[i].hex);
		assert_true(n >= 0);
		assert_int_equal(ub_lwm2m_leaf_make(ok[i].obj, ok[i].res, v, (size_t)n, &l), 0);
		if (strcmp(l.format, ok[i].format) || strcmp(l.type, ok[i].type) ||
		    strcmp(l.value, ok[i].value))
			fail_msg("%s: %s %s %s", ok[i].hex, l.format, l.type, l.value);
		k = ub_lwm2m_leaf_bytes(ok[i].obj, ok[i].res, l.format, l.type, l.value, back,
					sizeof(back), &st);
		assert_int_equal(k, n);
		assert_memory_equal(back, v, (size_t)n);
		ub_lwm2m_leaf_wipe(&l);
	}
}

/* What a tree leaf may not be: the torture table of ub_lwm2m_leaf_bytes. */
static void leaf_refusals(void **state)
{
	static const struct {
		uint16_t obj, res;
		const char *format, *type, *value, *why;
	} bad[] = {
		{0, 10, "int", "Integer", "007", "not a Integer"},
		{0, 10, "int", "Integer", "-0", "not a Integer"},
		{0, 10, "int", "Integer", "+1", "not a Integer"},
		{0, 10, "int", "Integer", " 1", "not a Integer"},
		{0, 10, "int", "Integer", "9223372036854775808", "not a Integer"},
		{0, 10, "int", "Integer", "", "not a Integer"},
		{1, 1, "int", "Unsigned Integer", "-1", "not a Unsigned"},
		{1, 1, "int", "Unsigned Integer", "18446744073709551616", "not a Unsigned"},
		{0, 1, "bool", "Boolean", "True", "not a Boolean"},
		{0, 1, "bool", "Boolean", "1", "not a Boolean"},
		{0, 1, "b64", "Boolean", "Ag==", "not a valid Boolean"},  /* 2 */
		{0, 10, "b64", "Integer", "AAAA", "not a valid Integer"}, /* 3 bytes */
		{0, 17, "chr", "Objlnk", "21:03", "not a Objlnk"},
		{0, 17, "chr", "Objlnk", "21:65536", "not a Objlnk"},
		{0, 17, "chr", "Objlnk", "21", "not a Objlnk"},
		{0, 5, "b64", "Opaque", "QR==", "canonical base64"},
		{0, 5, "b64", "Opaque", "QQ=", "canonical base64"},
		{0, 5, "b64", "Opaque", "Q Q==", "canonical base64"},
		{0, 5, "b64", "Opaque", "QQ==\n", "canonical base64"},
		{0, 5, "b64", "Opaque", "A===", "canonical base64"},
		{0, 5, "chr", "Opaque", "x", "Format chr"},
		{0, 10, "chr", "Integer", "1", "Format chr"},
		{0, 10, "int", "String", "1", "Type String, not Integer"},
		{0, 10, "int", NULL, "1", "Type (none)"},
		{0, 0, "chr", "String", NULL, "no value"},
		{0, 0, "b64", "String", "AA==", "not a valid String"}, /* NUL */
		{0, 0, "b64", "String", "/w==", "not a valid String"}, /* FF: not UTF-8 */
		{1, 4, "b64", "none", "", "Executable"},
		{1, 4, "chr", "Opaque", "", "Executable"},
		{3442, 0, "chr", "Opaque", "x", "Format chr"},
	};
	uint8_t out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ub_status_clear(&st);
		if (ub_lwm2m_leaf_bytes(bad[i].obj, bad[i].res, bad[i].format, bad[i].type,
					bad[i].value, out, sizeof(out), &st) != UB_E_BAD_DATA ||
		    st.err != UB_E_BAD_DATA || !strstr(st.what, bad[i].why))
			fail_msg("/%u/x/%u %s %s '%s': '%s' does not say '%s'", bad[i].obj,
				 bad[i].res, bad[i].format, bad[i].type ? bad[i].type : "-",
				 bad[i].value ? bad[i].value : "-", st.what, bad[i].why);
	}
}

/* --- the account model --- */

static void plan_and_owners(void **state)
{
	struct ub_lwm2m_boot b;
	struct ub_plan p;
	size_t i;
	int found = 0;

	(void)state;
	assert_int_equal(boot_of(every, &b), 0);
	assert_int_equal(ub_plan_from_lwm2m(&b, &p, &why), 0);
	ub_lwm2m_boot_free(&b);
	assert_int_equal(p.kind, UB_PLAN_LWM2M);
	assert_int_equal(p.nmos, 4);
	for (i = 0; i < p.nmos; i++) {
		assert_int_equal(p.mos[i].kind, UB_MO_LWM2M);
		if (!strcmp(p.mos[i].root, "./LwM2M/0/2") ||
		    !strcmp(p.mos[i].root, "./LwM2M/1/2") ||
		    !strcmp(p.mos[i].root, "./LwM2M/21/3")) /* OSCORE: its Security's server */
			found += !strcmp(p.mos[i].server_id, "lwm2m:401");
		else if (!strcmp(p.mos[i].root, "./LwM2M/3442/0"))
			found += !strcmp(p.mos[i].server_id, "lwm2m:client");
	}
	assert_int_equal(found, 4);
	for (i = 0; i < p.nnodes; i++)
		if (!strcmp(p.nodes[i].uri, "./LwM2M/0/2"))
			assert_string_equal(p.nodes[i].type, "urn:oma:lwm2m:oma:0:1.2");
	ub_plan_free(&p);
	/* the demo card: the bootstrap server's own owner */
	assert_int_equal(boot_of(DEMO, &b), 0);
	assert_int_equal(ub_plan_from_lwm2m(&b, &p, &why), 0);
	ub_lwm2m_boot_free(&b);
	for (i = 0; i < p.nmos; i++)
		if (!strcmp(p.mos[i].root, "./LwM2M/0/1"))
			assert_string_equal(p.mos[i].server_id, "lwm2m:bootstrap");
	ub_plan_free(&p);
}

static int model_of(enum ub_plan_kind kind, enum ub_model_mode mode, const char *const (*n)[4],
		    size_t k)
{
	struct ub_plan p = {0};
	size_t i;
	int err;

	p.kind = kind;
	p.nodes = calloc(k, sizeof(*p.nodes));
	assert_non_null(p.nodes);
	for (i = 0; i < k; i++, p.nnodes++) {
		p.nodes[i].uri = strdup(n[i][0]);
		p.nodes[i].format = strdup(n[i][1]);
		p.nodes[i].type = n[i][2] ? strdup(n[i][2]) : NULL;
		p.nodes[i].value = n[i][3] ? strdup(n[i][3]) : NULL;
		p.nodes[i].mo = -1;
	}
	err = ub_plan_model(&p, mode, &why);
	ub_plan_free(&p);
	return err;
}

/* What the model refuses below ./LwM2M, from a card or an import; and DM
 * plans may neither write there nor take an lwm2m: ServerID. */
static void model_refusals(void **state)
{
	static const char *const sec[][4] = {
		{"./LwM2M/0/1", "node", "urn:oma:lwm2m:oma:0", NULL},
		{"./LwM2M/0/1/0", "chr", "String", "coaps://x"},
		{"./LwM2M/0/1/1", "bool", "Boolean", "false"},
		{"./LwM2M/0/1/10", "int", "Integer", "101"},
	};
	static const struct {
		enum ub_plan_kind kind;
		enum ub_model_mode mode;
		const char *n[3][4];
		size_t k;
		const char *why;
	} bad[] = {
		{UB_PLAN_DM12,
		 UB_MODEL_BOOTSTRAP,
		 {{"./DMAcc/a/ServerID", "chr", NULL, "a"},
		  {"./LwM2M/0/1/0", "chr", "String", "x"}},
		 2,
		 "only the card's LwM2M bootstrap"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./DMAcc/a/ServerID", "chr", NULL, "a"}},
		 1,
		 "only below ./LwM2M"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0", "chr", NULL, "x"}},
		 1,
		 "container"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1", "node", "w7", NULL}},
		 1,
		 "Object's URN"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1", "chr", NULL, "x"}},
		 1,
		 "Object's URN"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1/10", "node", NULL, NULL}},
		 1,
		 "not a Multiple Resource"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1/10/0", "int", "Integer", "1"}},
		 1,
		 "single"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1/16", "int", "Unsigned Integer", "1"}},
		 1,
		 "multiple"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1/2", "int", "Integer", "x"}},
		 1,
		 "not a Integer"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1", "node", "urn:oma:lwm2m:oma:0", NULL},
		  {"./LwM2M/0/1/1", "bool", "Boolean", "true"}},
		 2,
		 NULL}, /* the bootstrap server: fine */
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1/1", "bool", "Boolean", "true"}},
		 1,
		 "without its own node"}, /* its Instance implied: no URN */
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/0/1/1", "bool", "Boolean", "false"}},
		 1,
		 "without a Short Server ID"},
		{UB_PLAN_LWM2M,
		 UB_MODEL_BOOTSTRAP,
		 {{"./LwM2M/1/1/7", "chr", "String", "U"}},
		 1,
		 "Server Instance without"},
		{UB_PLAN_DM12,
		 UB_MODEL_IMPORT,
		 {{"./LwM2M/0/01/1", "bool", "Boolean", "true"}},
		 1,
		 "not an LwM2M node"},
		{UB_PLAN_DM12,
		 UB_MODEL_IMPORT,
		 {{"./LwM2M/1/1/0", "chr", "String", "101"}},
		 1,
		 "Type String, not Integer"},
		{UB_PLAN_DM12,
		 UB_MODEL_BOOTSTRAP,
		 {{"./DMAcc/a/ServerID", "chr", NULL, "lwm2m:101"}},
		 1,
		 "lwm2m: name the LwM2M"},
		{UB_PLAN_DM12,
		 UB_MODEL_IMPORT,
		 {{"./DMAcc/a/ServerID", "chr", NULL, "LwM2M:101"}},
		 1,
		 "lwm2m: name the LwM2M"},
	};
	const char *const two[][4] = {
		{"./LwM2M/0/1/1", "bool", "Boolean", "false"},
		{"./LwM2M/0/1/10", "int", "Integer", "101"},
		{"./LwM2M/0/2/1", "bool", "Boolean", "false"},
		{"./LwM2M/0/2/10", "int", "Integer", "101"},
	};
	size_t i;
	int err;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ub_status_clear(&why);
		err = model_of(bad[i].kind, bad[i].mode, bad[i].n, bad[i].k);
		if (!bad[i].why ? err != 0 : err != UB_E_BAD_DATA || !strstr(why.what, bad[i].why))
			fail_msg("%s: %d '%s', wanted '%s'", bad[i].n[0][0], err, why.what,
				 bad[i].why ? bad[i].why : "(accepted)");
	}
	/* an import of what an export wrote is a model like the card's */
	assert_int_equal(model_of(UB_PLAN_DM12, UB_MODEL_IMPORT, sec, 4), 0);
	/* two Security Instances of one server: refused, from an import too */
	assert_int_equal(model_of(UB_PLAN_DM12, UB_MODEL_IMPORT, two, 4), UB_E_BAD_DATA);
	assert_non_null(strstr(why.what, "two Instances of one Object for lwm2m:101"));
}

/* --- apply --- */

static bool same_value(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	return na == nb && (!na || !memcmp(a, b, na));
}

/* Do b hold exactly a's Objects, Instances, Resources and bytes, in any
 * order? */
static bool same_objects(const struct ub_lwm2m_boot *a, const struct ub_lwm2m_boot *b)
{
	size_t i, j, k, x, y, na = 0, nb = 0;

	for (i = 0; i < a->nobj; i++) {
		const struct ub_lwm2m_obj *o = &a->obj[i], *p = ub_lwm2m_obj_find(b, o->id);

		if (!p || p->explicit_version != o->explicit_version || p->major != o->major ||
		    p->minor != o->minor || p->tlv.ninst != o->tlv.ninst)
			return false;
		for (j = 0; j < o->tlv.ninst; j++) {
			const struct ub_lwm2m_inst *in = &o->tlv.inst[j], *im = NULL;

			for (k = 0; k < p->tlv.ninst; k++)
				if (p->tlv.inst[k].id == in->id)
					im = &p->tlv.inst[k];
			if (!im || im->nres != in->nres)
				return false;
			for (k = 0; k < in->nres; k++) {
				const struct ub_lwm2m_res *r = &in->res[k],
							  *q = ub_lwm2m_res_find(im, r->id);

				if (!q || q->multiple != r->multiple || q->nri != r->nri ||
				    !same_value(q->v, q->len, r->v, r->len))
					return false;
				for (x = 0; x < r->nri; x++) {
					for (y = 0; y < q->nri && q->ri[y].id != r->ri[x].id; y++)
						;
					if (y == q->nri || !same_value(q->ri[y].v, q->ri[y].len,
								       r->ri[x].v, r->ri[x].len))
						return false;
				}
				na++;
			}
		}
	}
	for (i = 0; i < b->nobj; i++)
		for (j = 0; j < b->obj[i].tlv.ninst; j++)
			nb += b->obj[i].tlv.inst[j].nres;
	return a->nobj == b->nobj && na == nb;
}

static void apply_and_read_back(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_lwm2m_boot want, got;
	uint8_t a[4096], b[4096];
	int na, nb;

	(void)state;
	assert_int_equal(card("8901", every, &r), 0);
	assert_int_equal(r.naccounts, 4);
	assert_string_equal(r.accounts[0], "./LwM2M/0/2");
	assert_string_equal(value_of("./LwM2M/0/2"), "node|urn:oma:lwm2m:oma:0:1.2|-|lwm2m:401");
	assert_string_equal(value_of("./LwM2M/1/2/1"),
			    "b64|Unsigned Integer|AAAAAAABUYA=|lwm2m:401");
	assert_string_equal(value_of("./LwM2M/0/2/16/0"), "int|Unsigned Integer|49320|lwm2m:401");
	assert_string_equal(value_of("./LwM2M/0/2/16/1"), "b64|Unsigned Integer|AP8=|lwm2m:401");
	assert_string_equal(value_of("./LwM2M/3442/0/4/9"), "b64|Opaque||lwm2m:client");
	assert_string_equal(value_of("./LwM2M/0"), "node|-|-|-"); /* the device's */
	/* the card's bytes back, every one of them (sorted by ID: the file
	 * has /0/2/14 after /0/2/17) */
	assert_int_equal(boot_of(every, &want), 0);
	assert_int_equal(ub_lwm2m_from_tree(t, UB_LWM2M_SECRETS, &got, &st), 0);
	assert_true(same_objects(&want, &got));
	na = ub_lwm2m_boot_encode(&want, a, sizeof(a));
	nb = ub_lwm2m_boot_encode(&got, b, sizeof(b));
	assert_true(na > 0);
	assert_int_equal(na, nb);
	ub_lwm2m_boot_free(&got);
	/* without secrets: /0/2/3, /0/2/5 and /21/3/0 left out, nothing else */
	assert_int_equal(ub_lwm2m_from_tree(t, 0, &got, &st), 0);
	assert_null(ub_lwm2m_res_find(&ub_lwm2m_obj_find(&got, 0)->tlv.inst[0], 5));
	assert_null(ub_lwm2m_res_find(&ub_lwm2m_obj_find(&got, 0)->tlv.inst[0], 3));
	assert_non_null(ub_lwm2m_res_find(&ub_lwm2m_obj_find(&got, 0)->tlv.inst[0], 10));
	assert_null(ub_lwm2m_res_find(&ub_lwm2m_obj_find(&got, 21)->tlv.inst[0], 0));
	assert_non_null(ub_lwm2m_res_find(&ub_lwm2m_obj_find(&got, 21)->tlv.inst[0], 1));
	ub_lwm2m_boot_free(&got);
	ub_lwm2m_boot_free(&want);
	/* the same again: unchanged, nothing written */
	assert_int_equal(card("8901", every, &r), 0);
	assert_true(r.unchanged);
	assert_int_equal(r.naccounts, 4);
	ub_apply_result_free(&r);
}

/* A DM server never reads or replaces LwM2M data: the Instances' ACL
 * names their LwM2M server only, and an lwm2m: ServerID cannot be had. */
static void dm_servers_kept_out(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_tree_node n;

	(void)state;
	assert_int_equal(card("8901", DEMO, &r), 0);
	assert_int_equal(ub_tree_get_as(t, "operator-dm", "./LwM2M/0/0/5", &n), UB_E_POLICY);
	assert_int_equal(ub_tree_get_as(t, "*", "./LwM2M/0/0/5", &n), UB_E_POLICY);
	assert_int_equal(ub_tree_replace_as(t, "operator-dm", "./LwM2M/0/0/0", "coaps://evil"),
			 UB_E_POLICY);
	assert_int_equal(ub_tree_get_as(t, "lwm2m:101", "./LwM2M/0/0/0", &n), 0);
	ub_tree_node_free(&n);
	ub_apply_result_free(&r);
}

/* Card B's data never changes card A's; A's own data goes only with A. */
static void isolation_between_cards(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_apply_opts rm = {.source = "iccid:", .remove_absent_cards = true};
	char a0[300];
	int before;

	(void)state;
	assert_int_equal(card("8901", DEMO, &r), 0);
	snprintf(a0, sizeof(a0), "%s", value_of("./LwM2M/0/0/0"));
	before = ub_tree_count(t);
	/* B: other server, other Instance IDs: applied beside A's */
	assert_int_equal(card("8902", card_b, &r), 0);
	assert_int_equal(r.naccounts, 2);
	assert_int_equal(r.nremoved, 0);
	/* C: A's server again (SSID 101), at a free Instance ID: refused */
	assert_int_equal(card("8903", card_c, &r), UB_E_POLICY);
	assert_non_null(
		strstr(why.what, "lwm2m:101 has an Instance of Object 0 already (./LwM2M/0/0"));
	/* D: A's Instance ID for another server: refused, never renamed */
	assert_int_equal(card("8904", card_d, &r), UB_E_POLICY);
	assert_non_null(strstr(why.what, "./LwM2M/0/0 exists (written by iccid:8901/lwm2m)"));
	assert_string_equal(value_of("./LwM2M/0/0/0"), a0);
	assert_null(value_of("./LwM2M/0/7"));
	/* B's LwM2M file emptied: B's Instances go, A's stay */
	assert_int_equal(card("8902", NULL, &r), 0);
	assert_int_equal(r.nremoved, 2);
	assert_string_equal(r.removed[0], "./LwM2M/0/5");
	assert_int_equal(ub_tree_count(t), before);
	/* no card at all: every card's LwM2M source goes, with its DM one */
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &rm, &r, &why), 0);
	assert_int_equal(r.nremoved, 3);
	assert_null(value_of("./LwM2M/0/0"));
	assert_string_equal(value_of("./LwM2M"), "node|-|-|-"); /* containers stay */
	ub_apply_result_free(&r);
}

/* Removing what another card wrote keeps the present card's both sources. */
static void present_card_keeps_both(void **state)
{
	struct ub_apply_result r = {0};
	const char *present[] = {"iccid:8901"};
	struct ub_apply_opts rm = {.source = "iccid:8902",
				   .remove_absent_cards = true,
				   .present = present,
				   .npresent = 1};

	(void)state;
	assert_int_equal(card("8901", DEMO, &r), 0);
	assert_int_equal(card("8903", card_b, &r), 0);
	assert_int_equal(ub_tree_apply(t, NULL, &pol, &rm, &r, &why), 0);
	assert_int_equal(r.nremoved, 2); /* 8903's */
	assert_non_null(value_of("./LwM2M/0/0/0"));
	assert_null(value_of("./LwM2M/0/5"));
	ub_apply_result_free(&r);
}

/* A value changed in the tree behind the card's back is refused on the way
 * out, not handed to a client. */
static void tampered_tree(void **state)
{
	struct ub_apply_result r = {0};
	struct ub_lwm2m_boot b;
	bool changed;

	(void)state;
	assert_int_equal(card("8901", DEMO, &r), 0);
	assert_int_equal(ub_store_set_value(t, "./LwM2M/1/0/1", "-5", &changed), 0);
	assert_int_equal(ub_lwm2m_from_tree(t, 0, &b, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "./LwM2M/1/0/1"));
	assert_string_equal(st.where, "./LwM2M/1/0/1");
	assert_int_equal(st.err, UB_E_BAD_DATA);
	assert_int_equal(ub_store_set_value(t, "./LwM2M/1/0/1", "86400", &changed), 0);
	/* a Security Instance whose mode the check refuses */
	assert_int_equal(ub_store_set_value(t, "./LwM2M/0/0/2", "7", &changed), 0);
	assert_int_equal(ub_lwm2m_from_tree(t, 0, &b, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "Security Mode 7"));
	ub_apply_result_free(&r);
}

static void empty_tree(void **state)
{
	struct ub_lwm2m_boot b;
	char *s;

	(void)state;
	assert_int_equal(ub_lwm2m_from_tree(t, 0, &b, &st), 0);
	assert_int_equal(b.nobj, 0);
	assert_int_equal(ub_lwm2m_senml_text(&b, -1, 0, &s), 0);
	assert_string_equal(s, "[]");
	ub_lwm2m_text_free(s);
	assert_int_equal(ub_lwm2m_senml_text(&b, 0, 0, &s), UB_E_NOT_FOUND);
	ub_lwm2m_boot_free(&b);
}

/* --- via-tree mode --- */

static void dump_value(const uint8_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", v[i]);
}

/* The canonical JSON of lwm2m_ref.py (sorted keys). */
static void dump(const struct ub_lwm2m_boot *b)
{
	size_t i, j, k, x;

	printf("{\"objects\": [");
	for (i = 0; i < b->nobj; i++) {
		const struct ub_lwm2m_obj *o = &b->obj[i];

		printf("%s{\"id\": %u, \"instances\": [", i ? ", " : "", o->id);
		for (j = 0; j < o->tlv.ninst; j++) {
			const struct ub_lwm2m_inst *in = &o->tlv.inst[j];

			printf("%s{\"id\": %u, \"resources\": [", j ? ", " : "", in->id);
			for (k = 0; k < in->nres; k++) {
				const struct ub_lwm2m_res *r = &in->res[k];

				printf("%s{\"id\": %u, ", k ? ", " : "", r->id);
				if (!r->multiple) {
					printf("\"value\": \"");
					dump_value(r->v, r->len);
					printf("\"}");
					continue;
				}
				printf("\"instances\": [");
				for (x = 0; x < r->nri; x++) {
					printf("%s{\"id\": %u, \"value\": \"", x ? ", " : "",
					       r->ri[x].id);
					dump_value(r->ri[x].v, r->ri[x].len);
					printf("\"}");
				}
				printf("]}");
			}
			printf("]}");
		}
		if (o->explicit_version)
			printf("], \"version\": \"%u.%u\"}", o->major, o->minor);
		else
			printf("], \"version\": null}");
	}
	printf("]}\n");
}

static void via_tree_one(const char *file)
{
	static uint8_t buf[UB_LWM2M_FILE_MAX + 1];
	struct ub_apply_opts o = {.source = "iccid:1/lwm2m", .supersede = true};
	struct ub_apply_result r = {0};
	struct ub_lwm2m_boot b = {0}, back = {0};
	struct ub_plan p = {0};
	FILE *fp = fopen(file, "rb");
	size_t n = fp ? fread(buf, 1, sizeof(buf), fp) : 0;
	int err;

	if (fp)
		fclose(fp);
	const char *stage = "decode";

	err = ub_lwm2m_boot_decode(buf, n, NULL, &b, &st);
	if (!err && (stage = "check"))
		err = ub_lwm2m_check(&b, &st);
	if (!err && (stage = "plan"))
		err = ub_plan_from_lwm2m(&b, &p, &why);
	if (!err && (stage = "apply"))
		err = ub_tree_apply(t, p.nnodes ? &p : NULL, &pol, &o, &r, &why);
	if (!err && (stage = "read"))
		err = ub_lwm2m_from_tree(t, UB_LWM2M_SECRETS, &back, &st);
	if (err)
		printf("{\"error\": \"%s\", \"stage\": \"%s\"}\n", ub_errname(err), stage);
	else
		dump(&back);
	ub_lwm2m_boot_free(&back);
	ub_lwm2m_boot_free(&b);
	ub_plan_free(&p);
	ub_apply_result_free(&r);
}

static int via_tree(int argc, char **argv)
{
	int i;

	/* one tree for all: each file supersedes the one before */
	tmpdb_name(path, sizeof(path), access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm", "ub-via");
	ub_policy_defaults(&pol);
	if (ub_tree_open(path, &t))
		return 70;
	for (i = 2; i < argc; i++)
		via_tree_one(argv[i]);
	teardown(NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uris),
		cmocka_unit_test(urns),
		cmocka_unit_test(leaves),
		cmocka_unit_test(leaf_refusals),
		cmocka_unit_test(plan_and_owners),
		cmocka_unit_test(model_refusals),
		cmocka_unit_test_setup_teardown(apply_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(dm_servers_kept_out, setup, teardown),
		cmocka_unit_test_setup_teardown(isolation_between_cards, setup, teardown),
		cmocka_unit_test_setup_teardown(present_card_keeps_both, setup, teardown),
		cmocka_unit_test_setup_teardown(tampered_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_tree, setup, teardown),
	};

	if (argc > 1 && !strcmp(argv[1], "--via-tree"))
		return via_tree(argc, argv);
	return cmocka_run_group_tests_name("LwM2M in the device tree", tests, NULL, NULL);
}
