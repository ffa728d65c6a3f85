/* The DM names table and the account model: torture tables of what must
 * be refused, and the shapes that must be accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dm_names.h"
#include "ub_account.h"
#include "ub_error.h"
#include "ub_plan.h"

static void acl_grammar(void **state)
{
	static const char *const good[] = {
		"", "Get=*", "Get=a+b&Replace=b", "Add=x&Delete=x&Exec=x&Get=*&Replace=x",
		"Get=www.sonera.fi-8765&Replace=www.sonera.fi-8765+321_ibm.com"};
	static const char *const bad[] = {
		"Get",	    "Get=",	"=a",	   "Get=a+",	       "Get=+a",
		"Get=a++b", "Get=a&",	"&Get=a",  "Copy=a",	       "get=a",
		"Get=a b",  "Get=a\tb", "Get=a=b", "Get=a&&Replace=b", "Get=a*b",
		"Get=a\x7f"};
	size_t i;
	char big[UB_ACL_MAX + 8];

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(ub_dm_acl_ok(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ub_dm_acl_ok(bad[i]))
			fail_msg("ACL accepted: '%s'", bad[i]);
	memcpy(big, "Get=", 4);
	memset(big + 4, 'a', sizeof(big) - 5);
	big[sizeof(big) - 1] = '\0';
	assert_false(ub_dm_acl_ok(big)); /* longer than UB_ACL_MAX: refused, not cut */
}

static void server_ids(void **state)
{
	static const char *const bad[] = {"",	 "a b", "a&Get=*", "x+y",      "*",
					  "a=b", "\t",	"a\x01",   "\xc3\xa9", "a\n"};
	char big[UB_SERVER_ID_MAX + 2];
	size_t i;

	(void)state;
	assert_true(ub_dm_server_id_ok("operator-dm"));
	assert_true(ub_dm_server_id_ok("dm.example.com:443/x"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ub_dm_server_id_ok(bad[i]))
			fail_msg("ServerID accepted: '%s'", bad[i]);
	memset(big, 's', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(ub_dm_server_id_ok(big));
	big[UB_SERVER_ID_MAX] = '\0';
	assert_true(ub_dm_server_id_ok(big));
}

static void uris(void **state)
{
	static const char *const bad[] = {
		"",	  "/",	     "..",	 "./",	     "DMAcc",
		"./a/",	  "./a//b",  "./a/./b",	 "./a/../b", ".//a",
		"./a\nb", "./a\x7f", "/DMAcc/x", ".DMAcc",   "./DMAcc/a /ServerID",
		"./ a",	  "./a/ b"};
	char u[UB_URI_MAX + 8];
	size_t i;

	(void)state;
	assert_int_equal(ub_uri_check(".", NULL), 0);
	assert_int_equal(ub_uri_check("./DMAcc/x/AppAddr/1/Addr", NULL), 0);
	assert_int_equal(ub_uri_check("./a<b>&\"c", NULL), 0);
	assert_int_equal(ub_uri_check("./Operator DM/x", NULL), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!ub_uri_check(bad[i], NULL))
			fail_msg("URI accepted: '%s'", bad[i]);
	/* 32 segments pass, 33 do not */
	strcpy(u, ".");
	for (i = 0; i < 32; i++)
		strcat(u, "/s");
	assert_int_equal(ub_uri_check(u, NULL), 0);
	strcat(u, "/s");
	assert_int_equal(ub_uri_check(u, NULL), UB_E_BAD_DATA);
	/* 1024 bytes pass, 1025 do not */
	memset(u, 'x', sizeof(u));
	memcpy(u, "./", 2);
	u[UB_URI_MAX] = '\0';
	assert_int_equal(ub_uri_check(u, NULL), 0);
	u[UB_URI_MAX] = 'x';
	u[UB_URI_MAX + 1] = '\0';
	assert_int_equal(ub_uri_check(u, NULL), UB_E_BAD_DATA);
}

static void text_and_names(void **state)
{
	static const char *const bad[] = {
		"\x01",		"a\x1b[2J",	    "\xff",    "\xc0\xaf", "\xed\xa0\x80",
		"\xef\xbf\xbe", "\xf4\x90\x80\x80", "\xe2\x82"};
	size_t i;

	(void)state;
	assert_true(ub_dm_text_ok("plain\ttext\r\n"));
	assert_true(ub_dm_text_ok("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ub_dm_text_ok(bad[i]))
			fail_msg("text accepted: entry %zu", i);
	assert_true(ub_dm_format_ok("chr") && ub_dm_format_ok("node") && ub_dm_format_ok("float"));
	assert_false(ub_dm_format_ok("chr/><x") || ub_dm_format_ok("CHR") || ub_dm_format_ok(""));
	assert_true(ub_dm_is_secret("./DMAcc/x/AppAuth/1/AAuthSecret"));
	assert_true(ub_dm_is_secret("./DMAcc/x/AppAuth/1/AAuthData"));
	assert_true(ub_dm_is_secret("./SyncML/DMAcc/x/ClientPW"));
	assert_true(ub_dm_is_secret("./SyncML/DMAcc/x/ServerNonce"));
	assert_true(ub_dm_is_secret("./ConnMO/x/NAP/AuthInfo/AuthSecret"));
	assert_true(ub_dm_is_secret("./SyncML/Con/x/PX/Auth/1/Secret"));
	assert_true(ub_dm_is_secret("./ConnMO/x/NAP/authsecret"));
	assert_false(ub_dm_is_secret("./DMAcc/x/AppAuth/1/AAuthName"));
	assert_false(ub_dm_is_secret("./DMAcc/x/Secretary/Name"));
	assert_true(ub_dm_is_container("./SyncML/DMAcc") && ub_dm_is_container("."));
	assert_false(ub_dm_is_container("./SyncML/DMAcc/x") || ub_dm_is_container("./DMAccX"));
	assert_true(ub_dm_is_address(ub_dm_layout(UB_DM12), "AppAddr/1/Addr"));
	assert_false(ub_dm_is_address(ub_dm_layout(UB_DM12), "AppAddr/1/Port/1/PortNbr"));
	assert_false(ub_dm_is_address(ub_dm_layout(UB_DM12), "AppAddr//Addr"));
	assert_true(ub_dm_is_address(ub_dm_layout(UB_DM11), "Addr"));
}

/* One spelling of a node URI: strict (a bootstrap) refuses every other
 * form; lenient (what a tree already holds) resolves it. */
static void canon(void **state)
{
	static const struct {
		const char *in, *strict, *lenient; /* NULL: refused */
	} c[] = {
		{".", ".", "."},
		{"./DMAcc/x", "./DMAcc/x", "./DMAcc/x"},
		{"DMAcc/x", "./DMAcc/x", "./DMAcc/x"},
		{"ConnMO/Internet/NAP", "./ConnMO/Internet/NAP", "./ConnMO/Internet/NAP"},
		{"x", "./x", "./x"},
		{"./ConnMO//x", NULL, "./ConnMO/x"},
		{"./ConnMO/./x", NULL, "./ConnMO/x"},
		{"./ConnMO/y/../x", NULL, "./ConnMO/x"},
		{"./ConnMO/x/", NULL, "./ConnMO/x"},
		{"ConnMO/x/.", NULL, "./ConnMO/x"},
		{"./ConnMO/..", NULL, "."},
		{"./", NULL, "."},
		{"././x", NULL, "./x"},
		{"./..", NULL, NULL},
		{"./ConnMO/../../x", NULL, NULL},
		{"..", NULL, NULL},
		{"", NULL, NULL},
		{"/ConnMO/x", NULL, NULL},
		{"//x", NULL, NULL},
		{"./a\nb", NULL, NULL},
		{"./ a", NULL, NULL},
		{"./a/ /b", NULL, NULL},
	};
	struct ub_status why = {0};
	char out[UB_URI_MAX + 1], big[UB_URI_MAX + 8];
	size_t i;
	int k;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		for (k = 0; k < 2; k++) {
			const char *want = k ? c[i].lenient : c[i].strict;
			int err = ub_uri_canon(c[i].in, out, sizeof(out), k, &why);

			if (want ? err || strcmp(out, want) : err != UB_E_BAD_DATA)
				fail_msg("'%s' %s: %d '%s', not '%s'", c[i].in,
					 k ? "lenient" : "strict", err, err ? why.what : out,
					 want ? want : "refused");
		}
	/* 1024 bytes after "./" is added: 1022 of a relative URI */
	memset(big, 'x', sizeof(big));
	big[UB_URI_MAX - 2] = '\0';
	assert_int_equal(ub_uri_canon(big, out, sizeof(out), false, NULL), 0);
	big[UB_URI_MAX - 2] = 'x';
	big[UB_URI_MAX - 1] = '\0';
	assert_int_equal(ub_uri_canon(big, out, sizeof(out), false, &why), UB_E_BAD_DATA);
	assert_non_null(strstr(why.what, "1024"));
	/* the one table of references */
	assert_true(ub_dm_is_reference("./DMAcc/x/PrefConRef", "Internet"));
	assert_true(ub_dm_is_reference("./DMAcc/x/ToConRef/1/ConRef", "ConnMO/x"));
	assert_true(ub_dm_is_reference("./SyncML/DMAcc/x/ConRef", "SyncML/Con/x"));
	assert_true(ub_dm_is_reference("./ConnMO/p/PX/ToConRef", "./ConnMO/n"));
	assert_true(ub_dm_is_reference("./ConnMO/p/PX/toconref", "n"));
	assert_true(ub_dm_is_reference("./DMAcc/x/Ext/Any", "./ConnMO/x"));
	assert_true(ub_dm_is_reference("./DMAcc/x/Ext/Any", "ConnMO/x"));
	assert_true(ub_dm_is_reference("./DMAcc/x/Ext/Any", "DMAcc/y/ServerID"));
	assert_false(ub_dm_is_reference("./DMAcc/x/Name", "TCP/IP"));
	assert_false(ub_dm_is_reference("./DMAcc/x/Name", "ConnMO"));
	assert_false(ub_dm_is_reference("./DMAcc/x/PrefConRef", ""));
	assert_false(ub_dm_is_reference("./DMAcc/x/PrefConRef", NULL));
	assert_false(ub_dm_is_reference("./DMAcc/x/AppAuth/1/AAuthSecret", "./ConnMO/x"));
	assert_false(ub_dm_is_reference("./DMAcc/x/ServerID", "./ConnMO/x"));
	assert_false(ub_dm_is_reference("./LwM2M/0/0/0", "./ConnMO/x"));
}

/* A plan from "uri=value" / "uri" (interior) strings. */
static void make(struct ub_plan *p, enum ub_plan_kind kind, const char *const *nodes)
{
	size_t i, n = 0;

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	while (nodes[n])
		n++;
	p->nodes = calloc(n, sizeof(*p->nodes));
	assert_non_null(p->nodes);
	for (i = 0; i < n; i++) {
		const char *eq = strchr(nodes[i], '=');
		struct ub_plan_node *x = &p->nodes[i];

		x->uri = eq ? strndup(nodes[i], (size_t)(eq - nodes[i])) : strdup(nodes[i]);
		x->value = eq ? strdup(eq + 1) : NULL;
		x->format = strdup(eq ? "chr" : "node");
		x->mo = -1;
	}
	p->nnodes = n;
}

static void free_plan(struct ub_plan *p)
{
	size_t i;

	for (i = 0; i < p->nnodes; i++) {
		free(p->nodes[i].uri);
		free(p->nodes[i].value);
		free(p->nodes[i].format);
	}
	free(p->nodes);
	for (i = 0; i < p->nmos; i++)
		free(p->mos[i].root);
	free(p->mos);
}

#define N(...) ((const char *const[]){__VA_ARGS__, NULL})

static void model_refusals(void **state)
{
	const struct {
		enum ub_plan_kind kind;
		const char *const *nodes;
		const char *why; /* a word of the reason */
	} bad[] = {
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc/x/ServerId=b"), "spells"},
		{UB_PLAN_DM12, N("./DMAcc/x/serverid=a"), "spells"},
		{UB_PLAN_DM12, N("./DMAcc/x/Name=n"), "without"},
		{UB_PLAN_DM12, N("./DMAcc/x/Ext/ServerID=a"), "without"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./SyncML/DMAcc/y/ServerId=b"),
		 "other DM"},
		{UB_PLAN_DM11, N("./SyncML/DMAcc/y/ServerId=b", "./DMAcc/x/ServerID=a"),
		 "other DM"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./Vendor/y/z=1"), "neither"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DevInfo/Ext/z=1"), "neither"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc=1"), "container"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a&Get=*"), "ServerID is"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=", "./DMAcc/x/AppID=w7"), "ServerID is"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID", "./DMAcc/x/ServerID/y=a"), "ServerID is"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc/y/ServerID=a"), "two accounts"},
		{UB_PLAN_DM12, N("./DMAcc/x=leaf", "./DMAcc/x/ServerID=a"), "leaf"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./ConnMO/c=leaf"), "leaf"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc/y/ServerID=b", "./ConnMO/c/ID=1"),
		 "several"},
		{UB_PLAN_DM12,
		 N("./DMAcc/x/ServerID=a", "./DMAcc/x/PrefConRef=./ConnMO/c",
		   "./DMAcc/y/ServerID=b", "./DMAcc/y/PrefConRef=./ConnMO/c/NAP",
		   "./ConnMO/c/ID=1"),
		 "several"},
		{UB_PLAN_DM12, N("./ConnMO/c/ID=1"), "no DM account"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc/x/v=\x01"), "XML text"},
		/* found by fuzz_isolation: the export refused the tree */
		{UB_PLAN_DM12,
		 N("./DMAcc/x/ServerID=a", "./DMAcc/x/\xff"
					   "0=1"),
		 "XML text"},
		{UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc/x/\xc3"), "XML text"},
		{UB_PLAN_DM12, N("."), "not a node"},
	};
	struct ub_plan p;
	struct ub_status why = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(&p, bad[i].kind, bad[i].nodes);
		ub_status_clear(&why);
		if (ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why) != UB_E_BAD_DATA ||
		    !strstr(why.what, bad[i].why))
			fail_msg("plan %zu not refused as '%s': '%s'", i, bad[i].why, why.what);
		free_plan(&p);
	}
	/* a Format outside DM-TND's list, an ACL outside its grammar */
	make(&p, UB_PLAN_DM12, N("./DMAcc/x/ServerID=a", "./DMAcc/x/Name=n"));
	free(p.nodes[1].format);
	p.nodes[1].format = strdup("chr/></Format><x");
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), UB_E_BAD_DATA);
	free(p.nodes[1].format);
	p.nodes[1].format = strdup("chr");
	p.nodes[1].acl = strdup("Get=*&Replace");
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), UB_E_BAD_DATA);
	free(p.nodes[1].acl);
	p.nodes[1].acl = NULL;
	/* a Type the import would trim */
	p.nodes[1].type = strdup("text/plain\n");
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), UB_E_BAD_DATA);
	assert_non_null(strstr(why.what, "white space"));
	free(p.nodes[1].type);
	p.nodes[1].type = NULL;
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), 0);
	free_plan(&p);
}

static void model_shapes(void **state)
{
	struct ub_plan p;
	struct ub_status why = {0};

	(void)state;
	/* a nested ServerID leaf is a leaf of the account around it */
	make(&p, UB_PLAN_DM12, N("./DMAcc/a/ServerID=att", "./DMAcc/a/Ext/ServerID=operator"));
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), 0);
	assert_int_equal(p.nmos, 1);
	assert_string_equal(p.mos[0].root, "./DMAcc/a");
	assert_string_equal(ub_plan_server(&p, 0), "att");
	assert_null(ub_plan_server(&p, 1));
	free_plan(&p);
	/* the ConnMO belongs to the server that refers to it */
	make(&p, UB_PLAN_DM12,
	     N("./DMAcc/x/ServerID=a", "./DMAcc/y/ServerID=b", "./DMAcc/y/PrefConRef=./ConnMO/c",
	       "./ConnMO/c/ID=1", "./DMAcc/x/PrefConRef=./ConnMO/d", "./ConnMO/d/ID=2"));
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), 0);
	assert_int_equal(p.nmos, 4);
	assert_string_equal(p.mos[p.nodes[3].mo].server_id, "b");
	assert_string_equal(p.mos[p.nodes[5].mo].server_id, "a");
	free_plan(&p);
	/* a ServerID that looks like a URI is not a reference */
	make(&p, UB_PLAN_DM12,
	     N("./DMAcc/x/ServerID=a", "./DMAcc/y/ServerID=./ConnMO/c", "./ConnMO/c/ID=1"));
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), UB_E_BAD_DATA);
	free_plan(&p);
	/* CP connectivity only: the device's */
	make(&p, UB_PLAN_CP, N("./ConnMO/c/ID=1"));
	assert_int_equal(ub_plan_model(&p, UB_MODEL_BOOTSTRAP, &why), 0);
	assert_null(p.mos[0].server_id);
	free_plan(&p);
	/* an import may hold device objects; containers are no MO */
	make(&p, UB_PLAN_DM12,
	     N("./DevInfo", "./DevInfo/DevId=IMEI:1", "./DMAcc", "./SyncML/DMAcc/y/ServerId=b"));
	assert_int_equal(ub_plan_model(&p, UB_MODEL_IMPORT, &why), 0);
	assert_int_equal(p.nodes[2].mo, -1);
	assert_int_equal(p.mos[p.nodes[1].mo].kind, UB_MO_DEVICE);
	assert_int_equal(p.mos[p.nodes[3].mo].kind, UB_MO_ACCOUNT);
	assert_string_equal(p.mos[p.nodes[3].mo].server_id, "b");
	free_plan(&p);
}

/* The objects of one card become one plan: each keeps its own model's
 * owners; two accounts for one ServerID (any DM version) or one MO in
 * both are refused, naming the MO of the first plan. */
static void plan_merge(void **state)
{
	const struct {
		enum ub_plan_kind ka, kb;
		const char *const *a, *const *b;
		size_t clash; /* the MO of a */
		const char *why;
	} bad[] = {
		{UB_PLAN_DM12, UB_PLAN_DM12, N("./DMAcc/x/ServerID=s", "./ConnMO/c/ID=1"),
		 N("./DMAcc/y/ServerID=s"), 0,
		 "two accounts for ServerID s (./DMAcc/x, ./DMAcc/y)"},
		{UB_PLAN_DM12, UB_PLAN_DM11, N("./DMAcc/x/ServerID=s"),
		 N("./SyncML/DMAcc/y/ServerId=s"), 0, "two accounts for ServerID s"},
		{UB_PLAN_DM12, UB_PLAN_CP, N("./DMAcc/x/ServerID=s", "./ConnMO/c/ID=1"),
		 N("./DMAcc/y/ServerID=t", "./ConnMO/c/ID=2"), 1, "./ConnMO/c in both"},
		{UB_PLAN_DM12, UB_PLAN_DM12, N("./DMAcc/x/ServerID=s"), N("./DMAcc/x/ServerID=t"),
		 0, "./DMAcc/x in both"},
	};
	struct ub_plan a, b;
	struct ub_status why = {0};
	size_t i, clash;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		make(&a, bad[i].ka, bad[i].a);
		make(&b, bad[i].kb, bad[i].b);
		assert_int_equal(ub_plan_model(&a, UB_MODEL_BOOTSTRAP, &why), 0);
		assert_int_equal(ub_plan_model(&b, UB_MODEL_BOOTSTRAP, &why), 0);
		clash = 99;
		ub_status_clear(&why);
		if (ub_plan_merge(&a, &b, &clash, &why) != UB_E_BAD_DATA ||
		    !strstr(why.what, bad[i].why) || clash != bad[i].clash)
			fail_msg("merge %zu not refused as '%s' at %zu: '%s' at %zu", i, bad[i].why,
				 bad[i].clash, why.what, clash);
		for (clash = 0; bad[i].b[clash]; clash++)
			;
		assert_int_equal(b.nnodes, clash); /* both as they were */
		free_plan(&a);
		free_plan(&b);
	}
	/* a DM and a CP object for two servers: one plan, containers once */
	make(&a, UB_PLAN_DM12, N("./DMAcc", "./DMAcc/x/ServerID=s", "./ConnMO/c/ID=1"));
	make(&b, UB_PLAN_CP,
	     N("./DMAcc", "./DMAcc/y/ServerID=t", "./DMAcc/y/PrefConRef=./ConnMO/d",
	       "./ConnMO/d/ID=2"));
	assert_int_equal(ub_plan_model(&a, UB_MODEL_BOOTSTRAP, &why), 0);
	assert_int_equal(ub_plan_model(&b, UB_MODEL_BOOTSTRAP, &why), 0);
	assert_int_equal(ub_plan_merge(&a, &b, &clash, &why), 0);
	assert_int_equal(b.nnodes + b.nmos, 0);
	assert_int_equal(a.kind, UB_PLAN_DM12);
	assert_int_equal(a.nnodes, 6);
	assert_int_equal(a.nmos, 4);
	assert_string_equal(ub_plan_server(&a, 0), "s");
	assert_string_equal(ub_plan_server(&a, 1), "t");
	assert_null(ub_plan_server(&a, 2));
	for (i = 0; i < a.nnodes; i++)
		if (!strcmp(a.nodes[i].uri, "./ConnMO/d/ID"))
			assert_string_equal(a.mos[a.nodes[i].mo].server_id, "t");
		else if (!strcmp(a.nodes[i].uri, "./ConnMO/c/ID"))
			assert_string_equal(a.mos[a.nodes[i].mo].server_id, "s");
	free_plan(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(acl_grammar),	cmocka_unit_test(server_ids),
		cmocka_unit_test(uris),		cmocka_unit_test(text_and_names),
		cmocka_unit_test(canon),	cmocka_unit_test(model_refusals),
		cmocka_unit_test(model_shapes), cmocka_unit_test(plan_merge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
