/* Bootstrap documents to plans (src/decode/decode.c): values stay values whatever
 * bytes they hold, and the documents that must be refused.  The WBXML is
 * written here token by token (WAP-192 WBXML 1.3; the SyncML and PROV code
 * pages), so no encoder's choices hide what is tested. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plan_build.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_plan.h"

/* --- a WBXML writer --- */

static uint8_t doc[80000];
static size_t len;

static void put(const void *p, size_t n)
{
	assert_true(len + n <= sizeof(doc));
	memcpy(doc + len, p, n);
	len += n;
}

static void byte(unsigned b)
{
	uint8_t c = (uint8_t)b;

	put(&c, 1);
}

static void mb(uint32_t v)
{
	uint8_t t[5];
	int n = 0;

	do
		t[n++] = v & 0x7F;
	while (v >>= 7);
	while (n--)
		byte(t[n] | (n ? 0x80 : 0));
}

static void str_i(const char *s)
{
	byte(0x03);
	put(s, strlen(s) + 1);
}

static void opaque(const void *p, size_t n)
{
	byte(0xC3);
	mb((uint32_t)n);
	put(p, n);
}

/* SyncML page 0 and MetInf page 1 tokens */
enum {
	ADD = 0x05,
	CMDID = 0x0B,
	DATA = 0x0F,
	FINAL = 0x12,
	ITEM = 0x14,
	LOCURI = 0x17,
	META = 0x1A,
	MSGID = 0x1B,
	SESSIONID = 0x25,
	SOURCE = 0x27,
	SYNCBODY = 0x2B,
	SYNCHDR = 0x2C,
	SYNCML = 0x2D,
	TARGET = 0x2E,
	VERDTD = 0x31,
	VERPROTO = 0x32,
	M_FORMAT = 0x07,
	M_TYPE = 0x13,
};

static void open_(unsigned tok)
{
	byte(tok | 0x40);
}

static void end(void)
{
	byte(0x01);
}

static void elem_s(unsigned tok, const char *s)
{
	open_(tok);
	str_i(s);
	end();
}

/* A SyncML DM bootstrap header: version 1.2 or 1.1, then SyncBody/Add
 * open; items follow. */
static void dm_begin(bool dm11)
{
	len = 0;
	byte(0x02);
	if (dm11)
		mb(UB_WBXML_SYNCML11);
	else
		mb(UB_WBXML_SYNCML12);
	byte(0x6A);
	byte(0x00);
	open_(SYNCML);
	open_(SYNCHDR);
	elem_s(VERDTD, dm11 ? "1.1" : "1.2");
	elem_s(VERPROTO, dm11 ? "DM/1.1" : "DM/1.2");
	elem_s(SESSIONID, "0");
	elem_s(MSGID, "0");
	open_(TARGET);
	elem_s(LOCURI, "IMEI:490154203237518");
	end();
	open_(SOURCE);
	elem_s(LOCURI, "https://dm.example.com/dm");
	end();
	end();
	open_(SYNCBODY);
	open_(ADD);
	elem_s(CMDID, "1");
}

static void dm_end(void)
{
	end(); /* Add */
	byte(FINAL);
	end(); /* SyncBody */
	end(); /* SyncML */
}

/* An Item: Target/LocURI, Data as an inline string or opaque bytes. */
static void item_str(const char *uri, const char *value)
{
	open_(ITEM);
	open_(TARGET);
	elem_s(LOCURI, uri);
	end();
	open_(DATA);
	str_i(value);
	end();
	end();
}

static void item_opaque(const char *uri, const void *value, size_t n)
{
	open_(ITEM);
	open_(TARGET);
	elem_s(LOCURI, uri);
	end();
	open_(DATA);
	opaque(value, n);
	end();
	end();
}

static int decode(struct ub_plan *p, struct ub_status *err)
{
	return ub_plan_decode(doc, len, false, p, err);
}

static const struct ub_plan_node *node(const struct ub_plan *p, const char *uri)
{
	size_t i;

	for (i = 0; i < p->nnodes; i++)
		if (!strcmp(p->nodes[i].uri, uri))
			return &p->nodes[i];
	return NULL;
}

/* The value the attacker of the issue chose: a user string a server
 * copied into its signed bootstrap, which libwbxml's XML ended the CDATA
 * section of, so that expat read ./DMAcc/evil out of it. */
#define BREAKOUT                                                                             \
	"x]]></Data></Item><Item><Target><LocURI>./DMAcc/evil/ServerID</LocURI></Target>"    \
	"<Data>evil</Data></Item><Item><Target><LocURI>./DMAcc/evil/AppAddr/1/Addr</LocURI>" \
	"</Target><Data>https://evil.example/dm</Data></Item><Item><Target><LocURI>"         \
	"./DMAcc/evil/Name</LocURI></Target><Data><![CDATA[y"
#define BREAKOUT11                                                                        \
	"x]]></Data></Item><Item><Target><LocURI>./SyncML/DMAcc/evil/ServerId</LocURI>"   \
	"</Target><Data>evil</Data></Item><Item><Target><LocURI>./SyncML/DMAcc/evil/Name" \
	"</LocURI></Target><Data><![CDATA[y"

/* One account r, its Name holding v: the plan is exactly that. */
static void expect_one_account(bool dm11, const char *v, size_t vlen)
{
	const char *base = dm11 ? "./SyncML/DMAcc/r" : "./DMAcc/r";
	const struct ub_plan_node *n;
	struct ub_plan p;
	struct ub_status err = {0};
	char uri[64];

	assert_int_equal(decode(&p, &err), 0);
	assert_string_equal(ub_plan_server(&p, 0), "srvR");
	assert_null(ub_plan_server(&p, 1));
	assert_int_equal(p.nnodes, 2);
	snprintf(uri, sizeof(uri), "%s/Name", base);
	n = node(&p, uri);
	assert_non_null(n);
	assert_int_equal(strlen(n->value), vlen);
	assert_memory_equal(n->value, v, vlen);
	ub_plan_free(&p);
}

static void cdata_breakout_opaque(void **state)
{
	(void)state;
	dm_begin(false);
	item_str("./DMAcc/r/ServerID", "srvR");
	item_opaque("./DMAcc/r/Name", BREAKOUT, strlen(BREAKOUT));
	dm_end();
	expect_one_account(false, BREAKOUT, strlen(BREAKOUT));
}

static void cdata_breakout_inline(void **state)
{
	(void)state;
	dm_begin(false);
	item_str("./DMAcc/r/ServerID", "srvR");
	item_str("./DMAcc/r/Name", BREAKOUT);
	dm_end();
	expect_one_account(false, BREAKOUT, strlen(BREAKOUT));
}

static void cdata_breakout_dm11(void **state)
{
	(void)state;
	dm_begin(true);
	item_str("./SyncML/DMAcc/r/ServerId", "srvR");
	item_opaque("./SyncML/DMAcc/r/Name", BREAKOUT11, strlen(BREAKOUT11));
	dm_end();
	expect_one_account(true, BREAKOUT11, strlen(BREAKOUT11));
	dm_begin(true);
	item_str("./SyncML/DMAcc/r/ServerId", "srvR");
	item_str("./SyncML/DMAcc/r/Name", BREAKOUT11);
	dm_end();
	expect_one_account(true, BREAKOUT11, strlen(BREAKOUT11));
}

/* XML's markup, entity references and end-of-line handling mean nothing
 * in WBXML: each byte of a value is a byte of the value. */
static void values_are_bytes(void **state)
{
	static const char *v[] = {
		"a<b>&amp;c&lt;",  "<![CDATA[x]]>",	   "]]>", "&#x41;", "a\r\nb\rc", "\t x \n",
		"<?xml version?>", "\xc3\xa9\xe2\x82\xac",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		dm_begin(false);
		item_str("./DMAcc/r/ServerID", "srvR");
		item_opaque("./DMAcc/r/Name", v[i], strlen(v[i]));
		dm_end();
		expect_one_account(false, v[i], strlen(v[i]));
		dm_begin(false);
		item_str("./DMAcc/r/ServerID", "srvR");
		item_str("./DMAcc/r/Name", v[i]);
		dm_end();
		expect_one_account(false, v[i], strlen(v[i]));
	}
}

/* Values a DM value cannot hold (the tree keeps XML text): refused, never
 * cut at a NUL or passed on. */
static void values_not_text(void **state)
{
	static const struct {
		const char *v;
		size_t n;
	} bad[] = {
		{"srv\0evil", 8}, {"a\x01", 2},	       {"\xff", 1},	    {"\xc3", 1},
		{"\xc0\xaf", 2},  {"\xed\xa0\x80", 3}, {"\xef\xbf\xbe", 3}, {"\x1b[2J", 4},
	};
	struct ub_plan p;
	struct ub_status err = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		dm_begin(false);
		item_str("./DMAcc/r/ServerID", "srvR");
		item_opaque("./DMAcc/r/Name", bad[i].v, bad[i].n);
		dm_end();
		if (decode(&p, &err) != UB_E_BAD_DATA)
			fail_msg("value %zu accepted", i);
		assert_non_null(strstr(err.what, "not text"));
	}
	/* a NUL in the ServerID's opaque value: not the account "srv" */
	dm_begin(false);
	item_opaque("./DMAcc/r/ServerID", "srv\0evil", 8);
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	/* an inline string that is not UTF-8 (not only in Data) */
	dm_begin(false);
	item_str("./DMAcc/r/ServerID", "srvR");
	item_str("./DMAcc/r/N\xe9", "x");
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "not text"));
}

/* --- OMA CP --- */

/* PROV tokens: tags, attribute starts (page 0, page 1) */
enum {
	WAP_PROVISIONINGDOC = 0x05,
	CHARACTERISTIC = 0x06,
	PARM = 0x07,
	A_NAME = 0x05,
	A_VALUE = 0x06,
	A_TYPE = 0x50,
	A_TYPE_NAPDEF = 0x55,
};

static void cp_begin(void)
{
	len = 0;
	byte(0x03);
	mb(UB_WBXML_PROV10);
	byte(0x6A);
	byte(0x00);
	open_(WAP_PROVISIONINGDOC);
}

/* characteristic type=T (an inline string), content follows */
static void cp_char(const char *type)
{
	byte(CHARACTERISTIC | 0xC0);
	byte(A_TYPE);
	str_i(type);
	end();
}

/* parm name=N value=V, V inline or opaque */
static void cp_parm(const char *name, const char *v, size_t n, bool opq)
{
	byte(PARM | 0x80);
	byte(A_NAME);
	str_i(name);
	byte(A_VALUE);
	if (opq)
		opaque(v, n);
	else
		str_i(v);
	end();
}

static void cp_w7(const char *name, size_t n, bool opq)
{
	cp_begin();
	cp_char("APPLICATION");
	cp_parm("APPID", "w7", 2, false);
	cp_parm("PROVIDER-ID", "srvC", 4, false);
	cp_parm("NAME", name, n, opq);
	cp_parm("ADDR", "https://dm.c.example/dm", 23, false);
	end(); /* characteristic */
	end(); /* wap-provisioningdoc */
}

/* What would end an attribute in XML, or a CDATA section, or open an
 * APPLICATION of its own: a parm value, whatever it holds. */
#define CP_BREAKOUT                                                                        \
	"x\"/></characteristic><characteristic type=\"APPLICATION\"><parm name=\"APPID\" " \
	"value=\"w7\"/><parm name=\"PROVIDER-ID\" value=\"evil\"/><parm name=\"ADDR\" "    \
	"value=\"https://evil.example/\"/><parm name=\"NAME\" value=\"]]><![CDATA[ &amp; " \
	"&lt;"

static void cp_values(void **state)
{
	static const char *v[] = {CP_BREAKOUT, "]]>", "a'b\"c<d>&e", "&quot;"};
	const struct ub_plan_node *n;
	struct ub_plan p;
	struct ub_status err = {0};
	size_t i;
	int opq;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (opq = 0; opq < 2; opq++) {
			cp_w7(v[i], strlen(v[i]), opq);
			assert_int_equal(decode(&p, &err), 0);
			assert_int_equal(p.kind, UB_PLAN_CP);
			assert_string_equal(ub_plan_server(&p, 0), "srvC");
			assert_null(ub_plan_server(&p, 1));
			n = node(&p, "./DMAcc/srvC/Name");
			assert_non_null(n);
			assert_string_equal(n->value, v[i]);
			ub_plan_free(&p);
		}
	}
	/* a NUL in an opaque parm value: refused, not cut */
	cp_w7("op\0evil", 7, true);
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "not text"));
}

/* An attribute given twice: which one counts would be a guess. */
static void cp_refusals(void **state)
{
	struct ub_plan p;
	struct ub_status err = {0};

	(void)state;
	cp_begin();
	cp_char("APPLICATION");
	byte(PARM | 0x80);
	byte(A_NAME);
	str_i("PROVIDER-ID");
	byte(A_VALUE);
	str_i("srvC");
	byte(A_VALUE);
	str_i("evil");
	end();
	end();
	end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "twice"));
	/* an attribute start token page 0 does not define (0x4D) */
	cp_begin();
	byte(CHARACTERISTIC | 0x80);
	byte(0x4D);
	end();
	end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "does not define"));
}

/* The attribute code page and the tag code page are two, and each stays
 * until switched (WBXML 1.3 5.8.4.1); a value of tokens and strings is one
 * string. */
static void cp_tokens(void **state)
{
	const struct ub_plan_node *n;
	struct ub_plan p;
	struct ub_status err = {0};

	(void)state;
	cp_begin();
	byte(CHARACTERISTIC | 0xC0);
	byte(A_TYPE_NAPDEF); /* attribute page 0: type=NAPDEF */
	end();
	byte(PARM | 0x80);
	byte(0x11); /* name=NAPID */
	byte(A_VALUE);
	str_i("CP_");
	byte(0x89); /* APN */
	end();
	byte(PARM | 0x80);
	byte(0x00); /* attribute page 1 */
	byte(0x01);
	byte(0x07); /* name=NAME, on page 1 too */
	byte(A_VALUE);
	str_i("n");
	end();
	byte(0x00); /* tag page 1: the attribute page stays 1 */
	byte(0x01);
	byte(PARM | 0x80);
	byte(0x00); /* back to attribute page 0, where 0x10 is name=BEARER */
	byte(0x00);
	byte(0x10);
	byte(A_VALUE);
	byte(0xAB); /* GSM-GPRS */
	end();
	byte(PARM | 0x80); /* tag page 1, attribute page 0 */
	byte(0x08);	   /* name=NAP-ADDRESS */
	byte(A_VALUE);
	str_i("apn.example");
	end();
	end(); /* characteristic */
	end();
	assert_int_equal(decode(&p, &err), 0);
	n = node(&p, "./ConnMO/CP_APN/NAP/Bearer");
	assert_non_null(n);
	assert_string_equal(n->value, "GSM-GPRS");
	n = node(&p, "./ConnMO/CP_APN/Name");
	assert_non_null(n);
	assert_string_equal(n->value, "n");
	n = node(&p, "./ConnMO/CP_APN/NAP/Addr");
	assert_non_null(n);
	assert_string_equal(n->value, "apn.example");
	ub_plan_free(&p);
}

/* --- TNDS embedded as a WBXML document (OMA-TS-DM_Bootstrap 5.4.4) --- */

/* DM DDF page 2 tokens */
enum {
	T_MGMTTREE = 0x20,
	T_NODE = 0x24,
	T_NODENAME = 0x26,
	T_RTPROPERTIES = 0x2F,
	T_TYPE = 0x35,
	T_DDFNAME = 0x11,
	T_VALUE = 0x36,
};

static uint8_t tnds[4096];
static size_t tlen;

/* Write into tnds[] instead of doc[] while f runs. */
static void into_tnds(void (*f)(const char *), const char *v)
{
	uint8_t save[sizeof(doc)];
	size_t n = len;

	memcpy(save, doc, len);
	len = 0;
	f(v);
	assert_true(len <= sizeof(tnds));
	memcpy(tnds, doc, len);
	tlen = len;
	memcpy(doc, save, n);
	len = n;
}

/* An account x (ServerID srvT, Name v) as a TNDS document. */
static void tnds_doc(const char *v)
{
	static const char id[] = "-//OMA//DTD-DM-DDF 1.2//EN";

	byte(0x03);
	byte(0x00);
	byte(0x00);
	byte(0x6A);
	mb(sizeof(id));
	put(id, sizeof(id));
	byte(0x00);
	byte(0x02);
	open_(T_MGMTTREE);
	open_(T_NODE);
	elem_s(T_NODENAME, "x");
	open_(T_RTPROPERTIES);
	open_(T_TYPE);
	elem_s(T_DDFNAME, UB_DDF_DMACC);
	end();
	end();
	open_(T_NODE);
	elem_s(T_NODENAME, "ServerID");
	elem_s(T_VALUE, "srvT");
	end();
	open_(T_NODE);
	elem_s(T_NODENAME, "Name");
	open_(T_VALUE);
	if (v[0] == '!')
		opaque(v + 1, strlen(v + 1));
	else
		str_i(v);
	end();
	end();
	end();
	end();
}

/* A DM 1.2 bootstrap with one Item for ./Inbox: Data holds tnds[] as
 * opaque bytes, its Type type. */
static void tnds_item(const char *type)
{
	dm_begin(false);
	open_(ITEM);
	open_(TARGET);
	elem_s(LOCURI, "./Inbox");
	end();
	open_(META);
	byte(0x00);
	byte(0x01);
	elem_s(M_TYPE, type);
	byte(0x00);
	byte(0x00);
	end();
	open_(DATA);
	opaque(tnds, tlen);
	end();
	end();
	dm_end();
}

#define WBXML_TNDS "application/vnd.syncml.dmtnds+wbxml"

static void tnds_values(void **state)
{
	static const char *v[] = {
		"x]]></Value></Node><Node><NodeName>evil</NodeName></Node><Node><Value><![CDATA[y",
		"!x]]></Value></Node></Node><Node><NodeName>evil</NodeName><RTProperties><Type>"
		"<DDFName>org.openmobilealliance/1.0/w7</DDFName></Type></RTProperties><Node>"
		"<NodeName>ServerID</NodeName><Value>evil</Value></Node><Node><Value><![CDATA[y",
	};
	const struct ub_plan_node *n;
	struct ub_plan p;
	struct ub_status err = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		into_tnds(tnds_doc, v[i]);
		tnds_item(WBXML_TNDS);
		if (decode(&p, &err))
			fail_msg("%zu: %s", i, err.what);
		assert_string_equal(ub_plan_server(&p, 0), "srvT");
		assert_null(ub_plan_server(&p, 1));
		assert_int_equal(p.nnodes, 3);
		n = node(&p, "./DMAcc/x/Name");
		assert_non_null(n);
		assert_string_equal(n->value, v[i] + (v[i][0] == '!'));
		ub_plan_free(&p);
	}
}

static void tnds_refusals(void **state)
{
	struct ub_plan p;
	struct ub_status err = {0};

	(void)state;
	/* the bytes of a WBXML document where the Type says XML */
	into_tnds(tnds_doc, "v");
	tnds_item("application/vnd.syncml.dmtnds+xml");
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "by its Type"));
	/* an embedded document of another kind: SyncML 1.2's public id, no
	 * string table */
	memmove(tnds + 5, tnds + 32, tlen - 32);
	memcpy(tnds, "\x03\xa4\x01\x6a\x00", 5);
	tlen -= 27;
	tnds_item(WBXML_TNDS);
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "not TNDS"));
	/* a Value whose bytes are not text */
	into_tnds(tnds_doc, "!a\x01b");
	tnds_item(WBXML_TNDS);
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "not text"));
}

/* --- the documents' structure --- */

static void refusals(void **state)
{
	struct ub_plan p;
	struct ub_status err = {0};

	(void)state;
	/* two Data in an Item: the plan would hold one */
	dm_begin(false);
	item_str("./DMAcc/r/ServerID", "srvR");
	open_(ITEM);
	open_(TARGET);
	elem_s(LOCURI, "./DMAcc/r/Name");
	end();
	elem_s(DATA, "a");
	elem_s(DATA, "b");
	end();
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "Data given twice"));
	/* two LocURIs in a Target */
	dm_begin(false);
	open_(ITEM);
	open_(TARGET);
	elem_s(LOCURI, "./DMAcc/r/ServerID");
	elem_s(LOCURI, "./DMAcc/evil/ServerID");
	end();
	elem_s(DATA, "srvR");
	end();
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	/* an element inside a LocURI */
	dm_begin(false);
	open_(ITEM);
	open_(TARGET);
	open_(LOCURI);
	str_i("./DMAcc/r/");
	byte(CMDID);
	str_i("ServerID");
	end();
	end();
	elem_s(DATA, "srvR");
	end();
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "an element inside"));
	/* a tag token SyncML does not define (page 0, 0x30) */
	dm_begin(false);
	byte(0x30);
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "does not define"));
	/* bytes that are not text in a plain Item's Data */
	dm_begin(false);
	item_str("./DMAcc/r/ServerID", "srvR");
	item_opaque("./DMAcc/r/Name", "\x03\x00\x14", 3);
	dm_end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
}

/* One string, referred to over and over: the text is bounded, not the
 * document alone. */
static void text_bound(void **state)
{
	static char big[30000];
	struct ub_plan p;
	struct ub_status err = {0};
	int i;

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	len = 0;
	byte(0x03);
	mb(UB_WBXML_SYNCML12);
	byte(0x6A);
	mb(sizeof(big));
	put(big, sizeof(big));
	open_(SYNCML);
	open_(SYNCBODY);
	open_(ADD);
	open_(ITEM);
	open_(DATA);
	for (i = 0; i < 40; i++) {
		byte(0x83);
		mb(0);
	}
	end();
	end();
	end();
	end();
	end();
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "1 MiB of text"));
}

/* ISO-8859-1 strings become UTF-8; US-ASCII strings are 7-bit. */
static void charsets(void **state)
{
	const struct ub_plan_node *n;
	struct ub_plan p;
	struct ub_status err = {0};

	(void)state;
	dm_begin(false);
	doc[3] = 0x04; /* the charset byte: ISO-8859-1 */
	item_str("./DMAcc/r/ServerID", "srvR");
	item_str("./DMAcc/r/Name", "caf\xe9");
	dm_end();
	assert_int_equal(decode(&p, &err), 0);
	n = node(&p, "./DMAcc/r/Name");
	assert_non_null(n);
	assert_string_equal(n->value, "caf\xc3\xa9");
	ub_plan_free(&p);
	doc[3] = 0x03; /* US-ASCII */
	assert_int_equal(decode(&p, &err), UB_E_BAD_DATA);
	assert_non_null(strstr(err.what, "US-ASCII"));
}

/* The fixtures decode to the plans they did through libwbxml and expat
 * (the node count and a value each; test_tree applies them). */
static void fixtures(void **state)
{
	static const struct {
		const char *file, *uri, *value;
		size_t nodes;
	} f[] = {
		{"tests/fixtures/dm12-plain.wbxml", "./DMAcc/ex/AppAuth/1/AAuthSecret", "clipw", 8},
		{"tests/fixtures/dm12-tnds.wbxml", "./DMAcc/ExampleOp/PrefConRef",
		 "./ConnMO/Internet", 6},
		{"tests/fixtures/dm12-tnds-text.wbxml", "./DMAcc/ExampleOp/PrefConRef",
		 "./ConnMO/Internet", 6},
		{"tests/fixtures/cp-w7.wbxml", "./ConnMO/CP_APN/NAP/Addr", "cp.operator.example",
		 12},
		{"tests/fixtures/dm11.wbxml", "./SyncML/DMAcc/legacy/AddrType", "1", 7},
	};
	const struct ub_plan_node *n;
	struct ub_plan p;
	struct ub_status err = {0};
	FILE *fp;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		fp = fopen(f[i].file, "rb");
		assert_non_null(fp);
		len = fread(doc, 1, sizeof(doc), fp);
		fclose(fp);
		if (decode(&p, &err))
			fail_msg("%s: %s", f[i].file, err.what);
		n = node(&p, f[i].uri);
		assert_non_null(n);
		assert_string_equal(n->value, f[i].value);
		if (p.nnodes != f[i].nodes)
			fail_msg("%s: %zu nodes", f[i].file, p.nnodes);
		ub_plan_free(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cdata_breakout_opaque),
		cmocka_unit_test(cdata_breakout_inline),
		cmocka_unit_test(cdata_breakout_dm11),
		cmocka_unit_test(values_are_bytes),
		cmocka_unit_test(values_not_text),
		cmocka_unit_test(cp_values),
		cmocka_unit_test(cp_refusals),
		cmocka_unit_test(cp_tokens),
		cmocka_unit_test(refusals),
		cmocka_unit_test(text_bound),
		cmocka_unit_test(charsets),
		cmocka_unit_test(fixtures),
		cmocka_unit_test(tnds_values),
		cmocka_unit_test(tnds_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
