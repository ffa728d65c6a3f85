/* libFuzzer target: what a bootstrap document means.  For any WBXML input
 * that ub_plan_parse() (src/decode/decode.c) accepts, the plan's nodes (URI,
 * Format, Type, value, ACL, in order), its kind and its Source are exactly
 * those of an independent reading of the same tokens, written here: its
 * own token reader (WBXML 1.3, WAP-192 5.8), its own code pages (the few
 * names the meaning depends on), and its own mapping of SyncML DM Items,
 * TNDS Nodes and OMA CP characteristics to nodes.  It shares no code with
 * src/doc/wbxml_check.c, src/decode/syncml.c, src/decode/tnds_in.c or
 * src/decode/cp.c; it reads XML TNDS text with expat, as the device does
 * (that text is the document's own).  A value that became structure on
 * the way (`]]>` in libwbxml's CDATA), a value cut at a NUL, an element the
 * decoder misnamed, an Item the plan lost or gained: the plans differ, and
 * the target traps.  The account model then runs on the plan and must not
 * change a node either.
 * Documents the decoder refuses are counted; a refusal is never a
 * finding (the independent reader accepts more than the device does). */
#include <expat.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan_build.h"
#include "ub_account.h"
#include "ub_decoders.h"
#include "ub_plan.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* --- the reader's own code pages --- */

struct tok {
	unsigned page, tok;
	const char *name;
};

/* SyncML (page 0) and MetInf (page 1): what the meaning reads */
static const struct tok syncml[] = {
	{0, 0x05, "Add"},      {0, 0x0F, "Data"},    {0, 0x12, "Final"},   {0, 0x14, "Item"},
	{0, 0x17, "LocURI"},   {0, 0x1A, "Meta"},    {0, 0x20, "Replace"}, {0, 0x27, "Source"},
	{0, 0x2B, "SyncBody"}, {0, 0x2C, "SyncHdr"}, {0, 0x2D, "SyncML"},  {0, 0x2E, "Target"},
	{0, 0x32, "VerProto"}, {1, 0x07, "Format"},  {1, 0x13, "Type"},	   {0, 0, NULL},
};

/* DM DDF 1.2 (page 2): all of it (a Format names the format by an element) */
static const char ddf_names[] =
	"05 AccessType|06 ACL|07 Add|08 b64|09 bin|0a bool|0b chr|0c CaseSense|0d CIS|0e Copy|"
	"0f CS|10 date|11 DDFName|12 DefaultValue|13 Delete|14 Description|15 DFFormat|"
	"16 DFProperties|17 DFTitle|18 DFType|19 Dynamic|1a Exec|1b float|1c Format|1d Get|1e int|"
	"1f Man|20 MgmtTree|21 MIME|22 Mod|23 Name|24 Node|25 node|26 NodeName|27 null|"
	"28 Occurrence|29 One|2a OneOrMore|2b OneOrN|2c Path|2d Permanent|2e Replace|"
	"2f RTProperties|30 Scope|31 Size|32 time|33 Title|34 TStamp|35 Type|36 Value|37 VerDTD|"
	"38 VerNo|39 xml|3a ZeroOrMore|3b ZeroOrN|3c ZeroOrOne";

/* PROV 1.0 (WAP-183-ProvCont): attribute starts and values, pages 0 and 1 */
static const char *const prov_attr[2] = {
	"05 name=|06 value=|07 name=NAME|08 name=NAP-ADDRESS|09 name=NAP-ADDRTYPE|0a name=CALLTYPE|"
	"0b name=VALIDUNTIL|0c name=AUTHTYPE|0d name=AUTHNAME|0e name=AUTHSECRET|0f name=LINGER|"
	"10 name=BEARER|11 name=NAPID|12 name=COUNTRY|13 name=NETWORK|14 name=INTERNET|"
	"15 name=PROXY-ID|16 name=PROXY-PROVIDER-ID|17 name=DOMAIN|18 name=PROVURL|"
	"19 name=PXAUTH-TYPE|1a name=PXAUTH-ID|1b name=PXAUTH-PW|1c name=STARTPAGE|"
	"1d name=BASAUTH-ID|1e name=BASAUTH-PW|1f name=PUSHENABLED|20 name=PXADDR|"
	"21 name=PXADDRTYPE|22 name=TO-NAPID|23 name=PORTNBR|24 name=SERVICE|25 name=LINKSPEED|"
	"26 name=DNLINKSPEED|27 name=LOCAL-ADDR|28 name=LOCAL-ADDRTYPE|29 name=CONTEXT-ALLOW|"
	"2a name=TRUST|2b name=MASTER|2c name=SID|2d name=SOC|2e name=WSP-VERSION|"
	"2f name=PHYSICAL-PROXY-ID|30 name=CLIENT-ID|31 name=DELIVERY-ERR-SDU|"
	"32 name=DELIVERY-ORDER|33 name=TRAFFIC-CLASS|34 name=MAX-SDU-SIZE|"
	"35 name=MAX-BITRATE-UPLINK|36 name=MAX-BITRATE-DNLINK|37 name=RESIDUAL-BER|"
	"38 name=SDU-ERROR-RATIO|39 name=TRAFFIC-HANDL-PRIO|3a name=TRANSFER-DELAY|"
	"3b name=GUARANTEED-BITRATE-UPLINK|3c name=GUARANTEED-BITRATE-DNLINK|"
	"3d name=PXADDR-FQDN|3e name=PROXY-PW|3f name=PPGAUTH-TYPE|45 version=|46 version=1.0|"
	"47 name=PULLENABLED|48 name=DNS-ADDR|49 name=MAX-NUM-RETRY|4a name=FIRST-RETRY-TIMEOUT|"
	"4b name=REREG-THRESHOLD|4c name=T-BIT|4e name=AUTH-ENTITY|4f name=SPI|50 type=|"
	"51 type=PXLOGICAL|52 type=PXPHYSICAL|53 type=PORT|54 type=VALIDITY|55 type=NAPDEF|"
	"56 type=BOOTSTRAP|57 type=VENDORCONFIG|58 type=CLIENTIDENTITY|59 type=PXAUTHINFO|"
	"5a type=NAPAUTHINFO|5b type=ACCESS",
	"05 name=|06 value=|07 name=NAME|14 name=INTERNET|1c name=STARTPAGE|22 name=TO-NAPID|"
	"23 name=PORTNBR|24 name=SERVICE|2e name=AACCEPT|2f name=AAUTHDATA|30 name=AAUTHLEVEL|"
	"31 name=AAUTHNAME|32 name=AAUTHSECRET|33 name=AAUTHTYPE|34 name=ADDR|35 name=ADDRTYPE|"
	"36 name=APPID|37 name=APROTOCOL|38 name=PROVIDER-ID|39 name=TO-PROXY|3a name=URI|"
	"3b name=RULE|50 type=|53 type=PORT|55 type=APPLICATION|56 type=APPADDR|57 type=APPAUTH|"
	"58 type=CLIENTIDENTITY|59 type=RESOURCE",
};
static const char *const prov_value[2] = {
	"85 IPV4|86 IPV6|87 E164|88 ALPHA|89 APN|8a SCODE|8b TETRA-ITSI|8c MAN|90 ANALOG-MODEM|"
	"91 V.120|92 V.110|93 X.31|94 BIT-TRANSPARENT|95 DIRECT-ASYNCHRONOUS-DATA-SERVICE|9a PAP|"
	"9b CHAP|9c HTTP-BASIC|9d HTTP-DIGEST|9e WTLS-SS|9f MD5|a2 GSM-USSD|a3 GSM-SMS|"
	"a4 ANSI-136-GUTS|a5 IS-95-CDMA-SMS|a6 IS-95-CDMA-CSD|a7 IS-95-CDMA-PACKET|"
	"a8 ANSI-136-CSD|a9 ANSI-136-GPRS|aa GSM-CSD|ab GSM-GPRS|ac AMPS-CDPD|ad PDC-CSD|"
	"ae PDC-PACKET|af IDEN-SMS|b0 IDEN-CSD|b1 IDEN-PACKET|b2 FLEX/REFLEX|b3 PHS-SMS|"
	"b4 PHS-CSD|b5 TRETRA-SDS|b6 TRETRA-PACKET|b7 ANSI-136-GHOST|b8 MOBITEX-MPAK|"
	"b9 CDMA2000-1X-SIMPLE-IP|ba CDMA2000-1X-MOBILE-IP|c5 AUTOBAUDING|ca CL-WSP|cb CO-WSP|"
	"cc CL-SEC-WSP|cd CO-SEC-WSP|ce CL-SEC-WTA|cf CO-SEC-WTA|d0 OTA-HTTP-TO|"
	"d1 OTA-HTTP-TLS-TO|d2 OTA-HTTP-PO|d3 OTA-HTTP-TLS-PO|e0 AAA|e1 HA",
	"86 IPV6|87 E164|88 ALPHA|8d APPSRV|8e OBEX|90 ,|91 HTTP-|92 BASIC|93 DIGEST",
};

/* "hh text|hh text|...": the text of token t, copied to out (NULL: none) */
static const char *lookup(const char *table, unsigned t, char *out, size_t max)
{
	const char *p = table;
	size_t n;

	while (*p) {
		n = strcspn(p + 3, "|");
		if (strtoul(p, NULL, 16) == t) {
			snprintf(out, max, "%.*s", (int)n, p + 3);
			return out;
		}
		p += 3 + n + (p[3 + n] == '|');
	}
	return NULL;
}

/* --- the reader's own document tree --- */

struct attr {
	char *name, *value;
	size_t vlen;
};

struct on {
	char *name;
	char *text;
	size_t tlen;
	struct attr *attrs;
	size_t nattrs;
	struct on *parent, *child, *last, *next;
};

static void on_free(struct on *n)
{
	struct on *next;
	size_t i;

	while (n) {
		next = n->next;
		on_free(n->child);
		for (i = 0; i < n->nattrs; i++)
			free(n->attrs[i].name), free(n->attrs[i].value);
		free(n->attrs), free(n->name), free(n->text), free(n);
		n = next;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static struct on *on_new(struct on *parent, const char *name, size_t nlen)
{
	struct on *n = calloc(1, sizeof(*n));

	if (!n)
		abort();
	n->name = xmalloc(nlen + 1);
	memcpy(n->name, name, nlen);
	n->name[nlen] = '\0';
	n->text = xmalloc(1);
	n->text[0] = '\0';
	n->parent = parent;
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->child = n;
		parent->last = n;
	}
	return n;
}

static void append(char **s, size_t *len, const void *p, size_t n)
{
	char *t = realloc(*s, *len + n + 1);

	if (!t)
		abort();
	memcpy(t + *len, p, n);
	*len += n;
	t[*len] = '\0';
	*s = t;
}

static struct on *child(const struct on *n, const char *name)
{
	struct on *k;

	for (k = n ? n->child : NULL; k; k = k->next)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

static const char *attr(const struct on *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->nattrs; i++)
		if (!strcmp(n->attrs[i].name, name))
			return n->attrs[i].value;
	return NULL;
}

/* The text of n's child called name, without white space around it
 * (malloc'd), or NULL. */
static char *text_of(const struct on *n, const char *name)
{
	const struct on *k = child(n, name);
	const char *s, *e;
	char *t;

	if (!k)
		return NULL;
	for (s = k->text; *s && strchr(" \t\r\n", *s); s++)
		;
	e = k->text + k->tlen;
	while (e > s && strchr(" \t\r\n", e[-1]))
		e--;
	t = xmalloc((size_t)(e - s) + 1);
	memcpy(t, s, (size_t)(e - s));
	t[e - s] = '\0';
	return t;
}

/* --- the token reader (WAP-192 WBXML 1.3, 5.8) --- */

enum lang { L_SYNCML, L_PROV, L_DDF };

struct rd {
	const uint8_t *b;
	size_t n, o;
	const uint8_t *st;
	size_t stlen;
	uint32_t charset;
	enum lang lang;
	unsigned tpage, apage, depth;
	bool bad;
};

static bool get(struct rd *r, uint8_t *c)
{
	if (r->o >= r->n)
		return r->bad = true, false;
	*c = r->b[r->o++];
	return true;
}

static bool mbint(struct rd *r, uint32_t *v)
{
	uint8_t c;
	int i;

	*v = 0;
	for (i = 0; i < 5; i++) {
		if (!get(r, &c))
			return false;
		*v = *v << 7 | (c & 0x7F);
		if (!(c & 0x80))
			return true;
	}
	return r->bad = true, false;
}

/* A string's bytes as UTF-8 (ISO-8859-1 converted) appended to s. */
static void add_string(struct rd *r, char **s, size_t *len, const uint8_t *p, size_t n)
{
	size_t i;
	uint8_t u[2];

	if (r->charset != 4) {
		append(s, len, p, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (p[i] < 0x80) {
			append(s, len, p + i, 1);
			continue;
		}
		u[0] = (uint8_t)(0xC0 | p[i] >> 6);
		u[1] = (uint8_t)(0x80 | (p[i] & 0x3F));
		append(s, len, u, 2);
	}
}

/* One of STR_I, STR_T, ENTITY, OPAQUE (token t) appended to s; false when
 * t is none of them. */
static bool chars(struct rd *r, uint8_t t, char **s, size_t *len)
{
	const uint8_t *z;
	uint32_t v;
	uint8_t u[4];
	size_t k = 0;

	switch (t) {
	case 0x03: /* STR_I */
		z = memchr(r->b + r->o, 0, r->n - r->o);
		if (!z)
			return r->bad = true, true;
		add_string(r, s, len, r->b + r->o, (size_t)(z - (r->b + r->o)));
		r->o = (size_t)(z - r->b) + 1;
		return true;
	case 0x83: /* STR_T */
		if (!mbint(r, &v))
			return true;
		if (v >= r->stlen || !(z = memchr(r->st + v, 0, r->stlen - v)))
			return r->bad = true, true;
		add_string(r, s, len, r->st + v, (size_t)(z - (r->st + v)));
		return true;
	case 0x02: /* ENTITY: the character as UTF-8 */
		if (!mbint(r, &v))
			return true;
		if (v < 0x80) {
			u[k++] = (uint8_t)v;
		} else if (v < 0x800) {
			u[k++] = (uint8_t)(0xC0 | v >> 6), u[k++] = (uint8_t)(0x80 | (v & 0x3F));
		} else if (v < 0x10000) {
			u[k++] = (uint8_t)(0xE0 | v >> 12);
			u[k++] = (uint8_t)(0x80 | (v >> 6 & 0x3F));
			u[k++] = (uint8_t)(0x80 | (v & 0x3F));
		} else if (v <= 0x10FFFF) {
			u[k++] = (uint8_t)(0xF0 | v >> 18);
			u[k++] = (uint8_t)(0x80 | (v >> 12 & 0x3F));
			u[k++] = (uint8_t)(0x80 | (v >> 6 & 0x3F));
			u[k++] = (uint8_t)(0x80 | (v & 0x3F));
		} else {
			return r->bad = true, true;
		}
		append(s, len, u, k);
		return true;
	case 0xC3: /* OPAQUE */
		if (!mbint(r, &v))
			return true;
		if (v > r->n - r->o)
			return r->bad = true, true;
		append(s, len, r->b + r->o, v);
		r->o += v;
		return true;
	default:
		return false;
	}
}

static bool global(uint8_t t)
{
	return (t & 0x3F) <= 0x04;
}

static const char *tag_name(struct rd *r, uint8_t t, char *out, size_t max)
{
	size_t i;

	if (r->lang == L_DDF)
		return r->tpage == 2 ? lookup(ddf_names, t & 0x3F, out, max) : NULL;
	if (r->lang == L_PROV) {
		if ((t & 0x3F) == 0x05 && r->tpage == 0)
			return "wap-provisioningdoc";
		if ((t & 0x3F) == 0x06 && r->tpage <= 1)
			return "characteristic";
		if ((t & 0x3F) == 0x07 && r->tpage <= 1)
			return "parm";
		return NULL;
	}
	for (i = 0; syncml[i].name; i++)
		if (syncml[i].page == r->tpage && syncml[i].tok == (t & 0x3F))
			return syncml[i].name;
	return NULL;
}

static void attributes(struct rd *r, struct on *n)
{
	char buf[200], *eq;
	struct attr *a = NULL;
	uint8_t t;
	uint32_t v;
	const uint8_t *z;

	for (;;) {
		if (!get(r, &t))
			return;
		if (t == 0x01) /* END */
			return;
		if (t == 0x00) { /* SWITCH_PAGE: the attribute code page */
			uint8_t p;

			if (!get(r, &p))
				return;
			r->apage = p;
			if (!get(r, &t))
				return;
			if (global(t))
				return (void)(r->bad = true);
		}
		if (t < 0x80 && t != 0x04 && !global(t)) { /* an attribute start */
			n->attrs = realloc(n->attrs, (n->nattrs + 1) * sizeof(*n->attrs));
			if (!n->attrs)
				abort();
			a = &n->attrs[n->nattrs++];
			memset(a, 0, sizeof(*a));
			a->value = xmalloc(1);
			a->value[0] = '\0';
			if (r->apage > 1 || r->lang != L_PROV ||
			    !lookup(prov_attr[r->apage], t, buf, sizeof(buf))) {
				snprintf(buf, sizeof(buf), "?%u.%02x=", r->apage, t);
			}
			eq = strchr(buf, '=');
			a->name = xmalloc((size_t)(eq - buf) + 1);
			memcpy(a->name, buf, (size_t)(eq - buf));
			a->name[eq - buf] = '\0';
			append(&a->value, &a->vlen, eq + 1, strlen(eq + 1));
		} else if (t == 0x04) { /* LITERAL: a name from the string table */
			if (!mbint(r, &v))
				return;
			if (v >= r->stlen || !(z = memchr(r->st + v, 0, r->stlen - v)))
				return (void)(r->bad = true);
			n->attrs = realloc(n->attrs, (n->nattrs + 1) * sizeof(*n->attrs));
			if (!n->attrs)
				abort();
			a = &n->attrs[n->nattrs++];
			memset(a, 0, sizeof(*a));
			a->name = strdup((const char *)r->st + v);
			a->value = xmalloc(1);
			a->value[0] = '\0';
			if (!a->name)
				abort();
		} else if (!a) {
			return (void)(r->bad = true); /* a value before any attribute */
		} else if (chars(r, t, &a->value, &a->vlen)) {
			if (r->bad)
				return;
		} else if (t >= 0x80 && !global(t)) { /* an attribute value token */
			if (r->apage > 1 || r->lang != L_PROV ||
			    !lookup(prov_value[r->apage], t, buf, sizeof(buf)))
				snprintf(buf, sizeof(buf), "?%u.%02x", r->apage, t);
			append(&a->value, &a->vlen, buf, strlen(buf));
		} else {
			return (void)(r->bad = true);
		}
	}
}

/* An element and its content; the start token t was read. */
static struct on *element(struct rd *r, struct on *parent, uint8_t t)
{
	char buf[64];
	const char *name;
	struct on *n;
	uint32_t v;
	const uint8_t *z;
	uint8_t c;

	if (++r->depth > 64)
		return r->bad = true, NULL;
	if ((t & 0x3F) == 0x04) {
		if (!mbint(r, &v))
			return NULL;
		if (v >= r->stlen || !(z = memchr(r->st + v, 0, r->stlen - v)))
			return r->bad = true, NULL;
		n = on_new(parent, (const char *)r->st + v, (size_t)(z - (r->st + v)));
	} else {
		name = tag_name(r, t, buf, sizeof(buf));
		if (!name) {
			snprintf(buf, sizeof(buf), "?%u.%02x", r->tpage, t & 0x3F);
			name = buf;
		}
		n = on_new(parent, name, strlen(name));
	}
	if (t & 0x80)
		attributes(r, n);
	while (!r->bad && (t & 0x40)) {
		if (!get(r, &c))
			break;
		if (c == 0x01)
			break; /* END */
		if (c == 0x00) {
			if (!get(r, &c))
				break;
			r->tpage = c;
			continue;
		}
		if (chars(r, c, &n->text, &n->tlen))
			continue;
		if (global(c) && (c & 0x3F) != 0x04)
			r->bad = true; /* an extension, a PI: nothing the device reads */
		else
			element(r, n, c);
	}
	r->depth--;
	return n;
}

/* A WBXML document of language want (its public id decides), or NULL. */
static struct on *read_doc(const uint8_t *b, size_t n, enum lang *lang, bool embedded)
{
	struct rd r = {.b = b, .n = n};
	struct on *root = NULL;
	uint32_t id, stlen, idx = 0;
	uint8_t c, v;

	if (!get(&r, &v) || v < 1 || v > 3)
		return NULL;
	if (r.o < n && b[r.o] == 0x00) {
		r.o++;
		if (!mbint(&r, &idx))
			return NULL;
		id = 0;
	} else if (!mbint(&r, &id)) {
		return NULL;
	}
	if (!mbint(&r, &r.charset) || !mbint(&r, &stlen) || stlen > n - r.o)
		return NULL;
	r.st = b + r.o;
	r.stlen = stlen;
	r.o += stlen;
	if (embedded) {
		if (id || idx >= stlen || !memchr(r.st + idx, 0, stlen - idx) ||
		    strcasecmp((const char *)r.st + idx, "-//OMA//DTD-DM-DDF 1.2//EN"))
			return NULL;
		r.lang = L_DDF;
	} else if (id == 0x1201 || id == 0x0FD3) {
		r.lang = L_SYNCML;
	} else if (id == 0x0B) {
		r.lang = L_PROV;
	} else {
		return NULL;
	}
	*lang = r.lang;
	while (r.o < n && get(&r, &c)) {
		if (c == 0x00) {
			if (!get(&r, &c))
				break;
			r.tpage = c;
			continue;
		}
		if (root || (global(c) && (c & 0x3F) != 0x04)) {
			r.bad = true;
			break;
		}
		root = element(&r, NULL, c);
		if (!root)
			break;
	}
	if (r.bad || !root) {
		on_free(root);
		return NULL;
	}
	return root;
}

/* --- XML TNDS text, read with expat into the same kind of tree --- */

struct xr {
	struct on *root, *cur;
	XML_Parser p;
};

static void XMLCALL x_start(void *u, const XML_Char *name, const XML_Char **atts)
{
	struct xr *x = u;
	struct on *n = on_new(x->cur, name, strlen(name));

	(void)atts;
	if (!x->root)
		x->root = n;
	x->cur = n;
}

static void XMLCALL x_end(void *u, const XML_Char *name)
{
	struct xr *x = u;

	(void)name;
	if (x->cur)
		x->cur = x->cur->parent;
}

static void XMLCALL x_text(void *u, const XML_Char *s, int len)
{
	struct xr *x = u;

	if (x->cur)
		append(&x->cur->text, &x->cur->tlen, s, (size_t)len);
}

static struct on *read_xml(const char *s, size_t n)
{
	struct xr x = {0};
	bool ok;

	x.p = XML_ParserCreate("UTF-8");
	if (!x.p)
		abort();
	XML_SetUserData(x.p, &x);
	XML_SetElementHandler(x.p, x_start, x_end);
	XML_SetCharacterDataHandler(x.p, x_text);
	ok = XML_Parse(x.p, s, (int)n, XML_TRUE) != XML_STATUS_ERROR;
	XML_ParserFree(x.p);
	if (!ok) {
		on_free(x.root);
		return NULL;
	}
	return x.root;
}

/* --- what the document means: the expected nodes --- */

struct want {
	char *uri, *format, *type, *value, *acl;
	size_t vlen;
};

static struct {
	struct want *w;
	size_t n;
	bool unreadable; /* the independent reading found no meaning */
	char kind, source[1100];
	char from[16][128], to[16][1100];
	int ninbox;
} E;

static char *dupn(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static void want(const char *uri, const char *format, const char *type, const char *value,
		 size_t vlen, const char *acl)
{
	struct want *w;

	E.w = realloc(E.w, (E.n + 1) * sizeof(*E.w));
	if (!E.w)
		abort();
	w = &E.w[E.n++];
	/* OMA-TS-DM_TND 1.2 clause 5: "DMAcc/x" is "./DMAcc/x", and the
	 * plan holds the one spelling */
	if (strcmp(uri, ".") && strncmp(uri, "./", 2)) {
		w->uri = xmalloc(strlen(uri) + 3);
		sprintf(w->uri, "./%s", uri);
	} else {
		w->uri = strdup(uri);
	}
	w->format = strdup(format ? format : value ? "chr" : "node");
	w->type = type ? strdup(type) : NULL;
	w->value = dupn(value, vlen);
	w->vlen = vlen;
	w->acl = acl ? strdup(acl) : NULL;
}

static void wants_free(void)
{
	size_t i;

	for (i = 0; i < E.n; i++)
		free(E.w[i].uri), free(E.w[i].format), free(E.w[i].type), free(E.w[i].value),
			free(E.w[i].acl);
	free(E.w);
	memset(&E, 0, sizeof(E));
}

/* Valid UTF-8 and XML characters only: what is text, not bytes. */
static bool is_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	unsigned c, k, j;

	while (i < n) {
		c = p[i];
		if (c < 0x80) {
			if (c < 0x20 && c != 9 && c != 10 && c != 13)
				return false;
			i++;
			continue;
		}
		k = c >= 0xF0 && c < 0xF5   ? 3
		    : c >= 0xE0 && c < 0xF0 ? 2
		    : c >= 0xC2 && c < 0xE0 ? 1
					    : 0;
		if (!k || n - i <= k)
			return false;
		c &= 0x3Fu >> k;
		for (j = 1; j <= k; j++) {
			if ((p[i + j] & 0xC0) != 0x80)
				return false;
			c = c << 6 | (p[i + j] & 0x3F);
		}
		if ((k == 2 && c < 0x800) || (k == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
		    (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF)
			return false;
		i += k + 1;
	}
	return true;
}

/* A TNDS Node at parent (top: an Item's Target). */
static void tnds_node(const struct on *node, const char *parent, bool top)
{
	const struct on *rt = child(node, "RTProperties"), *val = child(node, "Value"), *f, *k;
	char *name = text_of(node, "NodeName"), *path = text_of(node, "Path"), *ty = NULL,
	     *ac = NULL;
	const char *fmt = NULL;
	char *uri = NULL;
	bool kids = child(node, "Node") != NULL;

	if (!name || (path && *path && strcmp(path, parent))) {
		E.unreadable = true;
		goto end;
	}
	if (rt) {
		f = child(rt, "Format");
		fmt = f && f->child ? f->child->name : NULL;
		ty = text_of(child(rt, "Type"), "MIME");
		if (!ty)
			ty = text_of(child(rt, "Type"), "DDFName");
		if (ty && !*ty)
			free(ty), ty = NULL;
		ac = text_of(rt, "ACL");
		if (ac && !*ac)
			free(ac), ac = NULL;
	}
	if (top && !strcmp(parent, "./Inbox")) {
		if (ty && !strcmp(ty, "org.openmobilealliance/1.0/w7"))
			parent = "./DMAcc";
		else if (ty && !strcmp(ty, "org.openmobilealliance/1.0/ConnMO"))
			parent = "./ConnMO";
		else
			E.unreadable = true;
		if (E.unreadable || E.ninbox == 16 || strlen(name) >= sizeof(E.from[0])) {
			E.unreadable = true;
			goto end;
		}
		snprintf(E.from[E.ninbox], sizeof(E.from[0]), "%s", name);
		snprintf(E.to[E.ninbox++], sizeof(E.to[0]), "%s/%s", parent, name);
	}
	uri = xmalloc(strlen(parent) + strlen(name) + 2);
	sprintf(uri, "%s/%s", parent, name);
	want(uri, kids && !fmt ? "node" : fmt, ty, val ? val->text : NULL, val ? val->tlen : 0, ac);
	for (k = node->child; k; k = k->next)
		if (!strcmp(k->name, "Node"))
			tnds_node(k, uri, false);
end:
	free(name), free(path), free(ty), free(ac), free(uri);
}

static void dm_item(const struct on *item)
{
	const struct on *meta = child(item, "Meta"), *data = child(item, "Data"), *tree, *k;
	char *target = text_of(child(item, "Target"), "LocURI");
	char *fmt = text_of(meta, "Format"), *ty = text_of(meta, "Type");
	struct on *own = NULL;
	enum lang lang;

	if (!target) {
		E.unreadable = true;
	} else if ((data && data->child) || (ty && strstr(ty, "dmtnds"))) {
		if (!data)
			tree = NULL;
		else if (data->child)
			tree = data->child;
		else if (!is_text(data->text, data->tlen))
			tree = own = read_doc((const uint8_t *)data->text, data->tlen, &lang, true);
		else
			tree = own = read_xml(data->text, data->tlen);
		if (!tree || strcmp(tree->name, "MgmtTree"))
			E.unreadable = true;
		for (k = tree && !E.unreadable ? tree->child : NULL; k; k = k->next)
			if (!strcmp(k->name, "Node"))
				tnds_node(k, target, true);
		on_free(own);
	} else {
		want(target, fmt, ty, data ? data->text : NULL, data ? data->tlen : 0, NULL);
	}
	free(target), free(fmt), free(ty);
}

static void syncml_doc(const struct on *root)
{
	const struct on *hdr = child(root, "SyncHdr"), *body = child(root, "SyncBody"), *cmd, *item;
	char *proto = text_of(hdr, "VerProto"), *source = text_of(child(hdr, "Source"), "LocURI");

	if (!proto || !body) {
		E.unreadable = true;
		goto end;
	}
	E.kind = !strcmp(proto, "DM/1.2") ? 'D' : !strcmp(proto, "DM/1.1") ? 'd' : '?';
	if (source)
		snprintf(E.source, 1025, "%s", source);
	for (cmd = body->child; cmd; cmd = cmd->next) {
		if (!strcmp(cmd->name, "Final"))
			continue;
		if (strcmp(cmd->name, "Add") && strcmp(cmd->name, "Replace")) {
			E.unreadable = true;
			break;
		}
		for (item = cmd->child; item; item = item->next)
			if (!strcmp(item->name, "Item"))
				dm_item(item);
	}
end:
	free(proto), free(source);
}

/* ./Inbox/<MO>[/...] in a value names where that MO goes
 * (OMA-TS-DM_Bootstrap 5.4.5); a secret is never a reference. */
static void resolve_inbox(void)
{
	size_t i, n;
	int k;
	char *v;

	for (i = 0; i < E.n; i++) {
		v = E.w[i].value;
		if (!v || strncmp(v, "./Inbox/", 8) || ub_dm_is_secret(E.w[i].uri))
			continue;
		for (k = 0; k < E.ninbox; k++) {
			n = strlen(E.from[k]);
			if (strncmp(v + 8, E.from[k], n) || (v[8 + n] && v[8 + n] != '/'))
				continue;
			E.w[i].value = xmalloc(strlen(E.to[k]) + strlen(v + 8 + n) + 1);
			sprintf(E.w[i].value, "%s%s", E.to[k], v + 8 + n);
			E.w[i].vlen = strlen(E.w[i].value);
			free(v);
			break;
		}
		if (k == E.ninbox)
			E.unreadable = true;
	}
}

/* --- OMA CP: characteristics to nodes, read the way the device maps them --- */

/* The first parm called name in ch: its value ("" when it has none). */
static const char *parm(const struct on *ch, const char *name)
{
	const struct on *k;
	const char *n, *v;

	for (k = ch->child; k; k = k->next) {
		if (strcmp(k->name, "parm") || !(n = attr(k, "name")) || strcmp(n, name))
			continue;
		v = attr(k, "value");
		return v ? v : "";
	}
	return NULL;
}

static const struct on *sub(const struct on *ch, const char *type, const struct on *after)
{
	const struct on *k;
	const char *t;

	for (k = after ? after->next : ch->child; k; k = k->next)
		if (!strcmp(k->name, "characteristic") && (t = attr(k, "type")) && !strcmp(t, type))
			return k;
	return NULL;
}

/* A CP id as a node name: A-Z a-z 0-9 _ . - kept, the rest '_'. */
static void cp_name(char *out, const char *id)
{
	size_t i;

	for (i = 0; id[i] && i < 127; i++)
		out[i] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
				id[i])
				 ? id[i]
				 : '_';
	out[i] = '\0';
}

static void cp_leaf(const char *base, const char *rel, const char *v)
{
	char uri[2300];

	if (!v)
		return;
	snprintf(uri, sizeof(uri), "%s/%s", base, rel);
	want(uri, "chr", "text/plain", v, strlen(v), NULL);
}

static void cp_connmo(const struct on *ch, const char *id, bool proxy)
{
	const struct on *phys, *port;
	char name[128], base[200], ref[200];

	cp_name(name, id);
	snprintf(base, sizeof(base), "./ConnMO/%s", name);
	want(base, "node", "org.openmobilealliance/1.0/ConnMO", NULL, 0, NULL);
	cp_leaf(base, "Name", parm(ch, "NAME"));
	if (!proxy) {
		cp_leaf(base, "NAP/Addr", parm(ch, "NAP-ADDRESS"));
		cp_leaf(base, "NAP/AddrType", parm(ch, "NAP-ADDRTYPE"));
		cp_leaf(base, "NAP/Bearer", parm(ch, "BEARER"));
		return;
	}
	if (!(phys = sub(ch, "PXPHYSICAL", NULL)))
		return;
	port = sub(phys, "PORT", NULL);
	cp_leaf(base, "PX/Addr", parm(phys, "PXADDR"));
	cp_leaf(base, "PX/AddrType", parm(phys, "PXADDRTYPE"));
	cp_leaf(base, "PX/PortNbr", port ? parm(port, "PORTNBR") : NULL);
	if (parm(phys, "TO-NAPID")) {
		cp_name(name, parm(phys, "TO-NAPID"));
		snprintf(ref, sizeof(ref), "./ConnMO/%s", name);
		cp_leaf(base, "PX/ToConRef", ref);
	}
}

static void cp_w7(const struct on *app)
{
	const char *sid = parm(app, "PROVIDER-ID"), *to, *lvl;
	const struct on *addr = sub(app, "APPADDR", NULL), *port, *aa = NULL;
	char name[128], base[200], ref[200], rel[300];
	int n = 0;

	if (!sid || !*sid)
		return (void)(E.unreadable = true);
	cp_name(name, sid);
	snprintf(base, sizeof(base), "./DMAcc/%s", name);
	want(base, "node", "org.openmobilealliance/1.0/w7", NULL, 0, NULL);
	cp_leaf(base, "AppID", "w7");
	cp_leaf(base, "ServerID", sid);
	cp_leaf(base, "Name", parm(app, "NAME"));
	to = parm(app, "TO-PROXY") ? parm(app, "TO-PROXY") : parm(app, "TO-NAPID");
	if (to) {
		cp_name(name, to);
		snprintf(ref, sizeof(ref), "./ConnMO/%s", name);
		cp_leaf(base, "PrefConRef", ref);
	}
	cp_leaf(base, "AppAddr/1/Addr", addr ? parm(addr, "ADDR") : parm(app, "ADDR"));
	cp_leaf(base, "AppAddr/1/AddrType",
		addr && parm(addr, "ADDRTYPE") ? parm(addr, "ADDRTYPE") : "URI");
	port = addr ? sub(addr, "PORT", NULL) : NULL;
	if (port)
		cp_leaf(base, "AppAddr/1/Port/1/PortNbr", parm(port, "PORTNBR"));
	while ((aa = sub(app, "APPAUTH", aa))) {
		n++;
		lvl = parm(aa, "AAUTHLEVEL");
		if (lvl && !strcmp(lvl, "APPSRV"))
			lvl = "CLCRED";
		else if (lvl && !strcmp(lvl, "CLIENT"))
			lvl = "SRVCRED";
#define AUTH(k, v) (snprintf(rel, sizeof(rel), "AppAuth/%d/%s", n, k), cp_leaf(base, rel, v))
		AUTH("AAuthLevel", lvl);
		AUTH("AAuthType", parm(aa, "AAUTHTYPE"));
		AUTH("AAuthName", parm(aa, "AAUTHNAME"));
		AUTH("AAuthSecret", parm(aa, "AAUTHSECRET"));
		AUTH("AAuthData", parm(aa, "AAUTHDATA"));
#undef AUTH
	}
}

static void cp_doc(const struct on *root)
{
	const struct on *ch;
	const char *type, *appid, *id;

	E.kind = 'c';
	for (ch = root->child; ch; ch = ch->next) {
		if (strcmp(ch->name, "characteristic") || !(type = attr(ch, "type")))
			continue;
		if (!strcmp(type, "APPLICATION")) {
			appid = parm(ch, "APPID");
			if (appid && !strcmp(appid, "w7"))
				cp_w7(ch);
		} else if (!strcmp(type, "NAPDEF") || !strcmp(type, "PXLOGICAL")) {
			id = parm(ch, !strcmp(type, "NAPDEF") ? "NAPID" : "PROXY-ID");
			if (!id)
				return (void)(E.unreadable = true);
			cp_connmo(ch, id, !strcmp(type, "PXLOGICAL"));
		}
	}
}

/* --- the oracle --- */

static struct {
	unsigned long inputs, refused, accepted, modelled;
} stats;

static void summary(void)
{
	fprintf(stderr,
		"wbxml_sem: %lu inputs; the decoder refused %lu, accepted %lu (every one read "
		"the same independently), the account model kept %lu\n",
		stats.inputs, stats.refused, stats.accepted, stats.modelled);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(summary);
	return 0;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void differ(const char *what, size_t i, const struct ub_plan *p)
{
	fprintf(stderr, "wbxml_sem: %s (node %zu)\n", what, i);
	if (i < E.n)
		fprintf(stderr, "  tokens: %s | %s | %s | %zu bytes\n", E.w[i].uri, E.w[i].format,
			E.w[i].type ? E.w[i].type : "-", E.w[i].value ? E.w[i].vlen : 0);
	if (i < p->nnodes)
		fprintf(stderr, "  plan:   %s | %s | %s | %zu bytes\n", p->nodes[i].uri,
			p->nodes[i].format, p->nodes[i].type ? p->nodes[i].type : "-",
			p->nodes[i].value ? strlen(p->nodes[i].value) : 0);
	__builtin_trap();
}

/* The plan's value is the tokens' value, or (modelled: the account model
 * gives a reference one spelling) "./" and a relative one. */
static bool same_value(const char *v, const struct want *w, bool modelled)
{
	if (strlen(v) == w->vlen && !memcmp(v, w->value, w->vlen))
		return true;
	return modelled && strncmp(w->value, "./", 2) && strlen(v) == w->vlen + 2 &&
	       !strncmp(v, "./", 2) && !memcmp(v + 2, w->value, w->vlen);
}

static void compare(const struct ub_plan *p, bool modelled)
{
	size_t i;
	char kind = p->kind == UB_PLAN_CP ? 'c' : p->kind == UB_PLAN_DM11 ? 'd' : 'D';

	if (E.unreadable)
		differ("the decoder accepted what the token stream gives no meaning", 0, p);
	if (kind != E.kind)
		differ("another kind of document", 0, p);
	if (strcmp(p->source, E.source))
		differ("another Source", 0, p);
	if (p->nnodes != E.n)
		differ("another number of nodes", p->nnodes < E.n ? p->nnodes : E.n, p);
	for (i = 0; i < p->nnodes; i++) {
		const struct ub_plan_node *n = &p->nodes[i];
		const struct want *w = &E.w[i];

		if (strcmp(n->uri, w->uri) || strcmp(n->format, w->format) ||
		    !same(n->type, w->type) || !same(n->acl, w->acl))
			differ("another node", i, p);
		if (!n->value != !w->value || (w->value && !same_value(n->value, w, modelled)))
			differ("another value", i, p);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_plan plan;
	struct on *root;
	enum lang lang;
	struct ub_status err = {0};

	if (size > UB_DOC_MAX)
		return 0;
	stats.inputs++;
	if (ub_plan_parse(data, size, false, &plan, &err)) {
		stats.refused++;
		return 0;
	}
	stats.accepted++;
	memset(&E, 0, sizeof(E));
	root = read_doc(data, size, &lang, false);
	if (!root)
		E.unreadable = true;
	else if (lang == L_PROV && !strcmp(root->name, "wap-provisioningdoc"))
		cp_doc(root);
	else if (lang == L_SYNCML && !strcmp(root->name, "SyncML"))
		syncml_doc(root);
	else
		E.unreadable = true;
	if (!E.unreadable && lang == L_SYNCML)
		resolve_inbox(); /* a DM bootstrap's (OMA CP has no ./Inbox) */
	on_free(root);
	compare(&plan, false);
	/* the account model sorts the nodes; it changes none of them but for
	 * the spelling of a reference */
	if (!ub_plan_model(&plan, UB_MODEL_BOOTSTRAP, &err)) {
		stats.modelled++;
		compare(&plan, true);
	}
	wants_free();
	ub_plan_free(&plan);
	return 0;
}
