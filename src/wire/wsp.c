/* WSP connectionless Push PDUs and Content-Type values (WAP-230). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ub_error.h"
#include "ub_status.h"
#include "ub_wsp.h"

/* Well-known parameters (WAP-230 Table 38) this decoder gives a meaning */
#define PARAM_Q 0x00
#define PARAM_SEC 0x11
#define PARAM_MAC 0x12
/* Well-known header fields, code page 1 (WAP-230 Table 39) */
#define FIELD_CONTENT_LENGTH 0x0D
#define FIELD_CONTENT_TYPE 0x11
#define FIELD_APP_ID 0x2F
#define FIELD_CONTENT_URI 0x30
#define FIELD_INITIATOR_URI 0x31

#define QUOTE 0x7F	  /* Text-string quote (8.4.2.1) */
#define LENGTH_QUOTE 0x1F /* Value-length: a uintvar follows (8.4.2.2) */

/* Well-known media, WAP-230 Table 40 and the OMNA WSP content type list
 * (the codes Wireshark's packet-wsp.c knows). */
static const char *const media_names[] = {
	"*/*",
	"text/*",
	"text/html",
	"text/plain",
	"text/x-hdml",
	"text/x-ttml",
	"text/x-vCalendar",
	"text/x-vCard",
	"text/vnd.wap.wml",
	"text/vnd.wap.wmlscript",
	"text/vnd.wap.wta-event",
	"multipart/*",
	"multipart/mixed",
	"multipart/form-data",
	"multipart/byteranges",
	"multipart/alternative",
	"application/*",
	"application/java-vm",
	"application/x-www-form-urlencoded",
	"application/x-hdmlc",
	"application/vnd.wap.wmlc",
	"application/vnd.wap.wmlscriptc",
	"application/vnd.wap.wta-eventc",
	"application/vnd.wap.uaprof",
	"application/vnd.wap.wtls-ca-certificate",
	"application/vnd.wap.wtls-user-certificate",
	"application/x-x509-ca-cert",
	"application/x-x509-user-cert",
	"image/*",
	"image/gif",
	"image/jpeg",
	"image/tiff",
	"image/png",
	"image/vnd.wap.wbmp",
	"application/vnd.wap.multipart.*",
	"application/vnd.wap.multipart.mixed",
	"application/vnd.wap.multipart.form-data",
	"application/vnd.wap.multipart.byteranges",
	"application/vnd.wap.multipart.alternative",
	"application/xml",
	"text/xml",
	"application/vnd.wap.wbxml",
	"application/x-x968-cross-cert",
	"application/x-x968-ca-cert",
	"application/x-x968-user-cert",
	"text/vnd.wap.si",
	"application/vnd.wap.sic",
	"text/vnd.wap.sl",
	"application/vnd.wap.slc",
	"text/vnd.wap.co",
	"application/vnd.wap.coc",
	"application/vnd.wap.multipart.related",
	"application/vnd.wap.sia",
	"text/vnd.wap.connectivity-xml",
	"application/vnd.wap.connectivity-wbxml",
	"application/pkcs7-mime",
	"application/vnd.wap.hashed-certificate",
	"application/vnd.wap.signed-certificate",
	"application/vnd.wap.cert-response",
	"application/xhtml+xml",
	"application/wml+xml",
	"text/css",
	"application/vnd.wap.mms-message",
	"application/vnd.wap.rollover-certificate",
	"application/vnd.wap.locc+wbxml",
	"application/vnd.wap.loc+xml",
	"application/vnd.syncml.dm+wbxml",
	"application/vnd.syncml.dm+xml",
	"application/vnd.syncml.notification",
	"application/vnd.wap.xhtml+xml",
	"application/vnd.wv.csp.cir",
	"application/vnd.oma.dd+xml",
	"application/vnd.oma.drm.message",
	"application/vnd.oma.drm.content",
	"application/vnd.oma.drm.rights+xml",
	"application/vnd.oma.drm.rights+wbxml",
	"application/vnd.wv.csp+xml",
	"application/vnd.wv.csp+wbxml",
};

/* OMNA Push Application ID registry (as in Wireshark's packet-wsp.c) */
static const struct {
	long code;
	const char *name;
} app_names[] = {
	{0x00, "x-wap-application:*"},		 {0x01, "x-wap-application:push.sia"},
	{0x02, "x-wap-application:wml.ua"},	 {0x03, "x-wap-application:wta.ua"},
	{0x04, "x-wap-application:mms.ua"},	 {0x05, "x-wap-application:push.syncml"},
	{0x06, "x-wap-application:loc.ua"},	 {0x07, "x-wap-application:syncml.dm"},
	{0x08, "x-wap-application:drm.ua"},	 {0x09, "x-wap-application:emn.ua"},
	{0x0A, "x-wap-application:wv.ua"},	 {0x8000, "x-wap-microsoft:localcontent.ua"},
	{0x8001, "x-wap-microsoft:IMclient.ua"}, {0x8002, "x-wap-docomo:imode.mail.ua"},
	{0x8003, "x-wap-docomo:imode.mr.ua"},	 {0x8004, "x-wap-docomo:imode.mf.ua"},
	{0x8005, "x-motorola:location.ua"},	 {0x8006, "x-motorola:now.ua"},
	{0x8007, "x-motorola:otaprov.ua"},	 {0x8008, "x-motorola:browser.ua"},
	{0x8009, "x-motorola:splash.ua"},	 {0x800B, "x-wap-nai:mvsw.command"},
	{0x8010, "x-wap-openwave:iota.ua"},	 {0x9000, "x-wap-docomo:imode.mail2.ua"},
	{0x9001, "x-oma-nec:otaprov.ua"},	 {0x9002, "x-oma-nokia:call.ua"},
	{0x9003, "x-oma-coremobility:sqa.ua"},
};

/* SEC short integers (OMA ProvBoot; Wireshark vals_wsp_parameter_sec) */
static const char *const sec_names[] = {"NETWPIN", "USERPIN", "USERNETWPIN", "USERPINMAC"};

#define GBA_GPI_MEDIA "application/vnd.3gpp.gba.gpi" /* TS 24.109 J.2.2 */

/* A bounded reader: b[o..end), offsets reported from base. */
struct rd {
	const uint8_t *b;
	size_t o, end, base;
	struct ub_status *st;
	bool failed; /* st holds the first failure: keep it */
};

static int fail(struct rd *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct rd *r, const char *fmt, ...)
{
	char msg[sizeof(r->st->what)];
	va_list ap;

	if (r->failed)
		return UB_E_BAD_DATA;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ub_fail_off(r->st, UB_E_BAD_DATA, "octet", r->base + r->o, "%s", msg);
}

/* uintvar (WAP-230 8.1.2): 7 bits an octet, continuation in bit 8; at
 * most 5 octets and 32 bits. */
static int uintvar(struct rd *r, size_t max_octets, unsigned long *val)
{
	unsigned long long v = 0;
	size_t i;

	*val = 0;
	for (i = 0; i < max_octets; i++) {
		if (r->o >= r->end)
			return fail(r, "uintvar truncated");
		v = v << 7 | (r->b[r->o] & 0x7F);
		if (!(r->b[r->o++] & 0x80)) {
			if (v > 0xFFFFFFFFull)
				return fail(r, "uintvar over 32 bits");
			*val = (unsigned long)v;
			return 0;
		}
	}
	return fail(r, "uintvar longer than %zu octets", max_octets);
}

static bool is_integer_start(uint8_t c)
{
	return c >= 0x80 || (c >= 0x01 && c <= 0x1E);
}

/* Integer-value = Short-integer | Long-integer (8.4.2.3); we need none
 * wider than 32 bits. */
static int integer_value(struct rd *r, unsigned long *val)
{
	size_t len, i;
	unsigned long v = 0;

	if (r->o >= r->end)
		return fail(r, "integer missing");
	if (r->b[r->o] >= 0x80) {
		*val = r->b[r->o++] & 0x7F;
		return 0;
	}
	len = r->b[r->o];
	if (len < 1 || len > 30)
		return fail(r, "not an Integer-value (octet %02X)", r->b[r->o]);
	if (len > r->end - r->o - 1)
		return fail(r, "Long-integer of %zu octets past the end", len);
	if (len > 4)
		return fail(r, "Long-integer of %zu octets: too large here", len);
	r->o++;
	for (i = 0; i < len; i++)
		v = v << 8 | r->b[r->o++];
	*val = v;
	return 0;
}

/* *TEXT End-of-string into out (NUL-terminated); bounded by max. */
static int text(struct rd *r, char *out, size_t max, const char *what)
{
	size_t s = r->o, len;

	while (r->o < r->end && r->b[r->o]) {
		/* TEXT is any octet but the controls (RFC 2616 2.2, WAP-230 8.4.2.1);
		 * not even HT: a value starting with it reads as a length */
		if (r->b[r->o] < 0x20 || r->b[r->o] == QUOTE)
			return fail(r, "%s: control octet %02X in text", what, r->b[r->o]);
		r->o++;
	}
	if (r->o >= r->end) {
		r->o = s;
		return fail(r, "%s: no end-of-string before the end", what);
	}
	len = r->o - s;
	r->o++;
	if (len >= max) {
		r->o = s;
		return fail(r, "%s: %zu octets, at most %zu", what, len, max - 1);
	}
	memcpy(out, r->b + s, len);
	out[len] = '\0';
	return 0;
}

/* Text-string (8.4.2.1): a Quote before a first octet >= 128. */
static int text_string(struct rd *r, char *out, size_t max, const char *what)
{
	if (r->o < r->end && r->b[r->o] == QUOTE)
		r->o++;
	return text(r, out, max, what);
}

/* Skip one value by its first octet (8.4.1.2): 0-30 a length follows,
 * 31 a uintvar length, 32-127 a string, 128-255 one octet. */
static int skip_value(struct rd *r)
{
	unsigned long len;
	uint8_t c;

	if (r->o >= r->end)
		return fail(r, "value missing");
	c = r->b[r->o];
	if (c >= 0x80) {
		r->o++;
		return 0;
	}
	if (c < LENGTH_QUOTE) {
		if (c > r->end - r->o - 1)
			return fail(r, "value length %u past the end", c);
		r->o += 1 + (size_t)c;
		return 0;
	}
	if (c == LENGTH_QUOTE) {
		r->o++;
		if (uintvar(r, 5, &len))
			return UB_E_BAD_DATA;
		if (len > r->end - r->o)
			return fail(r, "value length %lu past the end", len);
		r->o += len;
		return 0;
	}
	while (r->o < r->end && r->b[r->o])
		r->o++;
	if (r->o >= r->end)
		return fail(r, "string value without end-of-string");
	r->o++;
	return 0;
}

static bool is_hex40(const char *s)
{
	return strlen(s) == UB_WSP_MAC_HEX && strspn(s, "0123456789abcdefABCDEF") == UB_WSP_MAC_HEX;
}

static int set_sec(struct rd *r, struct ub_wsp_ctype *ct, const char *v, bool typed)
{
	if (ct->has_sec)
		return fail(r, "SEC twice: which one a receiver uses is ambiguous");
	if (!v[0])
		return fail(r, "SEC without a value");
	snprintf(ct->sec, sizeof(ct->sec), "%s", v);
	ct->has_sec = true;
	ct->sec_typed = typed;
	return 0;
}

static int set_mac(struct rd *r, struct ub_wsp_ctype *ct, const char *v)
{
	if (ct->has_mac)
		return fail(r, "MAC twice: which one a receiver uses is ambiguous");
	if (!is_hex40(v))
		return fail(r, "MAC is not 40 hex digits");
	memcpy(ct->mac, v, UB_WSP_MAC_HEX + 1);
	ct->has_mac = true;
	return 0;
}

/* Text-value = No-value | Token-text | Quoted-string (8.4.2.3).  A
 * Text-string with a Quote is taken too: the same text either way.
 * *none: it was No-value. */
static int text_value(struct rd *r, char *out, size_t max, bool *none, const char *what)
{
	*none = false;
	if (r->o >= r->end)
		return fail(r, "%s: value missing", what);
	if (r->b[r->o] == 0x00) {
		r->o++;
		*none = true;
		out[0] = '\0';
		return 0;
	}
	if (r->b[r->o] == '"') {
		/* Quoted-string: the end-of-string closes it; a closing quote
		 * that some encoders add as well is not part of the value */
		r->o++;
		if (text(r, out, max, what))
			return UB_E_BAD_DATA;
		if (out[0] && out[strlen(out) - 1] == '"')
			out[strlen(out) - 1] = '\0';
		return 0;
	}
	if (r->b[r->o] == QUOTE)
		r->o++;
	else if (r->b[r->o] < 0x20 || r->b[r->o] > 0x7E)
		return fail(r, "%s: not a text value (octet %02X)", what, r->b[r->o]);
	return text(r, out, max, what);
}

/* The value of SEC, typed or untyped: an Integer-value as decimal text,
 * or the text. */
static int sec_value(struct rd *r, struct ub_wsp_ctype *ct, bool typed)
{
	char v[UB_WSP_SEC_MAX];
	unsigned long iv;
	bool none;

	if (r->o < r->end && is_integer_start(r->b[r->o])) {
		if (integer_value(r, &iv))
			return UB_E_BAD_DATA;
		snprintf(v, sizeof(v), "%lu", iv);
	} else if (text_value(r, v, sizeof(v), &none, "SEC")) {
		return UB_E_BAD_DATA;
	}
	return set_sec(r, ct, v, typed);
}

static int mac_value(struct rd *r, struct ub_wsp_ctype *ct)
{
	char v[UB_WSP_MAC_HEX + 2];
	bool none;

	if (r->o < r->end && r->b[r->o] >= 0x80)
		return fail(r, "MAC as an integer: it is text");
	if (text_value(r, v, sizeof(v), &none, "MAC"))
		return UB_E_BAD_DATA;
	return set_mac(r, ct, v);
}

/* Parameter = Typed-parameter | Untyped-parameter (8.4.2.4). */
static int parameter(struct rd *r, struct ub_wsp_ctype *ct)
{
	char name[64], v[UB_WSP_URI_MAX];
	unsigned long token;
	bool none;
	uint8_t c = r->b[r->o];

	ct->params++;
	if (c >= 0x20 && c <= 0x7E && c != '"') { /* Untyped: Token-text Untyped-value */
		if (text(r, name, sizeof(name), "parameter name"))
			return UB_E_BAD_DATA;
		if (!strcasecmp(name, "SEC"))
			return sec_value(r, ct, false);
		if (!strcasecmp(name, "MAC"))
			return mac_value(r, ct);
		if (r->o < r->end && is_integer_start(r->b[r->o]))
			return integer_value(r, &token) ? UB_E_BAD_DATA : 0;
		return text_value(r, v, sizeof(v), &none, name) ? UB_E_BAD_DATA : 0;
	}
	if (!is_integer_start(c))
		return fail(r, "parameter starts with octet %02X", c);
	if (integer_value(r, &token))
		return UB_E_BAD_DATA;
	switch (token) {
	case PARAM_Q:
		return uintvar(r, 2, &token) ? fail(r, "Q-value of more than 2 octets") : 0;
	case PARAM_SEC:
		return sec_value(r, ct, true);
	case PARAM_MAC:
		return mac_value(r, ct);
	default: /* Typed-value: every form is self-delimiting by 8.4.1.2 */
		return skip_value(r);
	}
}

static void media_from_code(struct ub_wsp_ctype *ct, unsigned long code)
{
	const char *name = ub_wsp_media_name((long)code);

	ct->media_code = (long)code;
	if (name)
		snprintf(ct->media, sizeof(ct->media), "%s", name);
	else
		snprintf(ct->media, sizeof(ct->media), "wsp:0x%02lx", code);
}

static int ctype(struct rd *r, struct ub_wsp_ctype *ct)
{
	unsigned long len, code;
	size_t end;
	uint8_t c;

	memset(ct, 0, sizeof(*ct));
	ct->media_code = -1;
	if (r->o >= r->end)
		return fail(r, "Content-Type missing");
	c = r->b[r->o];
	if (c >= 0x80) { /* Constrained-media: well-known short integer */
		media_from_code(ct, c & 0x7Fu);
		r->o++;
		return 0;
	}
	if (c >= 0x20 && c != QUOTE) /* Constrained-media: Extension-media */
		return text(r, ct->media, sizeof(ct->media), "media type");
	if (c == 0x00 || c == QUOTE)
		return fail(r, "Content-Type starts with octet %02X", c);
	/* Content-general-form = Value-length Media-type */
	r->o++;
	if (c == LENGTH_QUOTE) {
		if (uintvar(r, 5, &len))
			return UB_E_BAD_DATA;
	} else {
		len = c;
	}
	if (!len)
		return fail(r, "Content-Type of length 0");
	if (len > r->end - r->o)
		return fail(r, "Content-Type value length %lu past the end (%zu octets left)", len,
			    r->end - r->o);
	end = r->end;
	r->end = r->o + len;
	c = r->b[r->o];
	if (is_integer_start(c)) {
		if (integer_value(r, &code))
			return UB_E_BAD_DATA;
		media_from_code(ct, code);
	} else if (c >= 0x20 && c != QUOTE) {
		if (text(r, ct->media, sizeof(ct->media), "media type"))
			return UB_E_BAD_DATA;
	} else {
		return fail(r, "media type starts with octet %02X", c);
	}
	while (r->o < r->end)
		if (parameter(r, ct))
			return UB_E_BAD_DATA;
	r->end = end;
	return 0;
}

int ub_wsp_ctype_decode(const uint8_t *b, size_t n, size_t *used, struct ub_wsp_ctype *ct,
			struct ub_status *st)
{
	struct rd r = {b, 0, n, 0, st, false};

	if (ctype(&r, ct))
		return UB_E_BAD_DATA;
	*used = r.o;
	return 0;
}

/* X-Wap-Application-Id (8.4.2.54): App-assigned-code or Uri-value. */
static int app_id(struct rd *r, struct ub_wsp_push *p, bool binary)
{
	unsigned long code;
	const char *name;

	if (p->has_app_id)
		return fail(r, "X-Wap-Application-Id twice");
	p->has_app_id = true;
	p->app_code = -1;
	if (binary && is_integer_start(r->b[r->o])) {
		if (integer_value(r, &code))
			return UB_E_BAD_DATA;
		p->app_code = (long)code;
		name = ub_wsp_app_name(p->app_code);
		snprintf(p->app_uri, sizeof(p->app_uri), "%s", name ? name : "");
		return 0;
	}
	return text_string(r, p->app_uri, sizeof(p->app_uri), "X-Wap-Application-Id");
}

static int uri_header(struct rd *r, bool *have, char *out, const char *what)
{
	if (*have)
		return fail(r, "%s twice", what);
	*have = true;
	return text_string(r, out, UB_WSP_URI_MAX, what);
}

/* One header whose value lies in r[o..end): what we use, else skipped. */
static int known_header(struct rd *r, struct ub_wsp_push *p, unsigned field)
{
	unsigned long len;

	switch (field) {
	case FIELD_CONTENT_TYPE:
		return fail(r, "a second Content-Type");
	case FIELD_APP_ID:
		return app_id(r, p, true);
	case FIELD_CONTENT_URI:
		return uri_header(r, &p->has_content_uri, p->content_uri, "X-Wap-Content-URI");
	case FIELD_INITIATOR_URI:
		return uri_header(r, &p->has_initiator_uri, p->initiator_uri,
				  "X-Wap-Initiator-URI");
	case FIELD_CONTENT_LENGTH:
		if (p->has_content_length)
			return fail(r, "Content-Length twice");
		p->has_content_length = true;
		if (integer_value(r, &len))
			return UB_E_BAD_DATA;
		p->content_length = len;
		return 0;
	default:
		p->headers_skipped++;
		r->o = r->end;
		return 0;
	}
}

static int text_header(struct rd *r, struct ub_wsp_push *p, const char *name)
{
	if (!strcasecmp(name, "Content-Type"))
		return fail(r, "a second Content-Type");
	if (!strcasecmp(name, "X-Wap-Application-Id"))
		return app_id(r, p, false);
	if (!strcasecmp(name, "X-Wap-Content-URI"))
		return uri_header(r, &p->has_content_uri, p->content_uri, name);
	if (!strcasecmp(name, "X-Wap-Initiator-URI"))
		return uri_header(r, &p->has_initiator_uri, p->initiator_uri, name);
	p->headers_skipped++;
	r->o = r->end;
	return 0;
}

/* Headers (8.4.1): Message-header | Shift-sequence, code page 1 first. */
static int headers(struct rd *r, struct ub_wsp_push *p)
{
	char name[128];
	unsigned page = 1;
	size_t vstart, vend, end = r->end;
	uint8_t c;
	int err;

	while (r->o < end) {
		c = r->b[r->o];
		if (c == QUOTE) { /* Shift-delimiter Page-identity */
			if (++r->o >= end)
				return fail(r, "code page shift without a page");
			page = r->b[r->o++];
			continue;
		}
		if (c >= 0x01 && c <= 0x1F) { /* Short-cut-shift-delimiter */
			page = c;
			r->o++;
			continue;
		}
		if (!c)
			return fail(r, "header starts with octet 00");
		if (c >= 0x80) {
			r->o++;
		} else if (text(r, name, sizeof(name), "header name")) {
			return UB_E_BAD_DATA;
		}
		vstart = r->o;
		if (skip_value(r))
			return UB_E_BAD_DATA;
		vend = r->o;
		r->o = vstart;
		r->end = vend;
		if (page != 1) { /* another code page: its field codes mean other things */
			p->headers_skipped++;
			r->o = vend;
			err = 0;
		} else if (c >= 0x80)
			err = known_header(r, p, c & 0x7Fu);
		else
			err = text_header(r, p, name);
		if (err)
			return err;
		if (r->o != vend)
			return fail(r, "header value longer than its encoding says");
		r->end = end;
	}
	return 0;
}

int ub_wsp_push_decode(const uint8_t *b, size_t n, struct ub_wsp_push *p, struct ub_status *st)
{
	struct rd r = {b, 0, n, 0, st, false};
	unsigned long hlen;
	size_t hend;

	memset(p, 0, sizeof(*p));
	p->app_code = -1;
	if (n < 2)
		return fail(&r, "Push PDU shorter than TID and PDU type");
	p->tid = b[0];
	p->pdu_type = b[1];
	r.o = 1;
	if (p->pdu_type == UB_WSP_PDU_CONFIRMED_PUSH) {
		return ub_fail_off(st, UB_E_NOT_SUPPORTED, "octet", 1,
				   "ConfirmedPush: not connectionless push");
	}
	if (p->pdu_type != UB_WSP_PDU_PUSH)
		return fail(&r, "PDU type %02X is not Push", p->pdu_type);
	r.o = 2;
	if (uintvar(&r, 5, &hlen))
		return UB_E_BAD_DATA;
	if (hlen > n - r.o) {
		hend = n - r.o;
		r.o = 2;
		return fail(&r, "HeadersLen %lu past the end (%zu octets left)", hlen, hend);
	}
	if (!hlen)
		return fail(&r, "HeadersLen 0: no Content-Type");
	hend = r.o + hlen;
	p->headers = b + r.o;
	p->headers_len = hlen;
	r.end = hend;
	if (ctype(&r, &p->ct))
		return UB_E_BAD_DATA;
	p->ct_len = (size_t)(r.o - (size_t)(p->headers - b));
	if (headers(&r, p))
		return UB_E_BAD_DATA;
	p->body = b + hend;
	p->body_len = n - hend;
	return 0;
}

int ub_wsp_push_from_wdp(bool has_ports, unsigned dst_port, const uint8_t *b, size_t n,
			 struct ub_wsp_push *p, struct ub_status *st)
{
	memset(p, 0, sizeof(*p));
	p->app_code = -1;
	if (!has_ports)
		return ub_fail(st, UB_E_NOT_SUPPORTED, 0, NULL,
			       "no application port in the UDH: not a WAP push");
	if (dst_port == UB_WSP_PORT_PUSH_WTLS)
		return ub_fail(st, UB_E_NOT_SUPPORTED, 0, NULL,
			       "port 2949: WAP push over WTLS, which uiccboot does not implement");
	if (dst_port != UB_WSP_PORT_PUSH)
		return ub_fail(st, UB_E_NOT_SUPPORTED, 0, NULL,
			       "port %u: not the WAP push port 2948", dst_port);
	return ub_wsp_push_decode(b, n, p, st);
}

/* --- names and classification --- */

long ub_wsp_media_code(const char *media)
{
	size_t i;

	for (i = 0; i < sizeof(media_names) / sizeof(media_names[0]); i++)
		if (!strcasecmp(media, media_names[i]))
			return (long)i;
	return -1;
}

const char *ub_wsp_media_name(long code)
{
	if (code < 0 || (size_t)code >= sizeof(media_names) / sizeof(media_names[0]))
		return NULL;
	return media_names[code];
}

const char *ub_wsp_app_name(long code)
{
	size_t i;

	for (i = 0; i < sizeof(app_names) / sizeof(app_names[0]); i++)
		if (app_names[i].code == code)
			return app_names[i].name;
	return NULL;
}

static bool for_dm(const struct ub_wsp_push *p)
{
	if (!p->has_app_id)
		return true;
	if (p->app_code == UB_WSP_APP_SYNCML_DM || p->app_code == UB_WSP_APP_ANY)
		return true;
	return p->app_code < 0 && (!strcasecmp(p->app_uri, "x-wap-application:syncml.dm") ||
				   !strcasecmp(p->app_uri, "x-wap-application:*"));
}

enum ub_wsp_kind ub_wsp_classify(const struct ub_wsp_push *p)
{
	const char *m = p->ct.media;

	if (!strcasecmp(m, "application/vnd.syncml.dm+wbxml"))
		return for_dm(p) ? UB_WSP_DM_BOOTSTRAP : UB_WSP_OTHER;
	if (!strcasecmp(m, "application/vnd.wap.connectivity-wbxml"))
		return for_dm(p) ? UB_WSP_CP_BOOTSTRAP : UB_WSP_OTHER;
	if (!strcasecmp(m, "application/vnd.syncml.notification"))
		return UB_WSP_DM_NOTIFICATION;
	if (!strcasecmp(m, "application/vnd.syncml.dm+xml"))
		return UB_WSP_DM_XML;
	if (!strcasecmp(m, "application/vnd.wap.sic") || !strcasecmp(m, "text/vnd.wap.si"))
		return UB_WSP_SI;
	if (!strcasecmp(m, "application/vnd.wap.slc") || !strcasecmp(m, "text/vnd.wap.sl"))
		return UB_WSP_SL;
	if (!strcasecmp(m, "application/vnd.wap.mms-message"))
		return UB_WSP_MMS;
	if (!strcasecmp(m, GBA_GPI_MEDIA))
		return UB_WSP_GBA_PUSH;
	return UB_WSP_OTHER;
}

const char *ub_wsp_kind_name(enum ub_wsp_kind k)
{
	switch (k) {
	case UB_WSP_DM_BOOTSTRAP:
		return "DM bootstrap";
	case UB_WSP_CP_BOOTSTRAP:
		return "CP bootstrap";
	case UB_WSP_DM_NOTIFICATION:
		return "DM notification";
	case UB_WSP_DM_XML:
		return "DM message in XML (a bootstrap must be WBXML)";
	case UB_WSP_SI:
		return "Service Indication";
	case UB_WSP_SL:
		return "Service Loading";
	case UB_WSP_MMS:
		return "MMS notification";
	case UB_WSP_GBA_PUSH:
		return "GBA Push Info";
	default:
		return "other";
	}
}

/* --- encoding --- */

struct wr {
	uint8_t *b;
	size_t o, max;
	bool over;
};

static void put(struct wr *w, const void *p, size_t n)
{
	if (w->over || n > w->max - w->o) {
		w->over = true;
		return;
	}
	memcpy(w->b + w->o, p, n);
	w->o += n;
}

static void put1(struct wr *w, uint8_t c)
{
	put(w, &c, 1);
}

static void put_uintvar(struct wr *w, unsigned long v)
{
	uint8_t t[5];
	int i = 4;

	t[4] = v & 0x7F;
	while ((v >>= 7) && i > 0)
		t[--i] = (uint8_t)(0x80 | (v & 0x7F));
	put(w, t + i, (size_t)(5 - i));
}

static bool is_text(const char *s)
{
	for (; *s; s++)
		if ((uint8_t)*s < 0x20 || (uint8_t)*s == QUOTE)
			return false;
	return true;
}

static void put_text(struct wr *w, const char *s)
{
	if ((uint8_t)s[0] >= 0x80)
		put1(w, QUOTE);
	put(w, s, strlen(s) + 1);
}

static void put_integer(struct wr *w, unsigned long v)
{
	uint8_t t[4];
	int i = 4;

	if (v < 0x80) {
		put1(w, (uint8_t)(0x80 | v));
		return;
	}
	while (v && i > 0) {
		t[--i] = (uint8_t)v;
		v >>= 8;
	}
	put1(w, (uint8_t)(4 - i));
	put(w, t + i, (size_t)(4 - i));
}

static bool is_token(const char *s)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";
	size_t i;

	for (i = 0; s[i]; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= 'a' && s[i] <= 'z') || strchr(extra, s[i])))
			return false;
	return i > 0 && i < UB_WSP_SEC_MAX;
}

static int sec_code(const char *sec)
{
	size_t i;

	if (sec[0] >= '0' && sec[0] <= '3' && !sec[1])
		return sec[0] - '0';
	for (i = 0; i < 4; i++)
		if (!strcasecmp(sec, sec_names[i]))
			return (int)i;
	return -1;
}

int ub_wsp_ctype_encode(const char *media, const char *sec, const char *mac, uint8_t *out,
			size_t max)
{
	uint8_t v[UB_WSP_MEDIA_MAX + 2 * UB_WSP_SEC_MAX + UB_WSP_MAC_HEX + 16];
	struct wr w = {out, 0, max, false}, b = {v, 0, sizeof(v), false};
	long code = ub_wsp_media_code(media);
	size_t mlen = strlen(media);

	if (!mlen || mlen >= UB_WSP_MEDIA_MAX || (sec && !is_token(sec)) || (mac && !is_hex40(mac)))
		return UB_E_USAGE;
	if (!is_text(media) || (uint8_t)media[0] >= 0x80) /* must decode back as text */
		return UB_E_USAGE;
	if (code >= 0)
		put1(&b, (uint8_t)(0x80 | code));
	else
		put(&b, media, mlen + 1);
	if (!sec && !mac) { /* Constrained-media */
		put(&w, v, b.o);
		return w.over ? UB_E_USAGE : (int)w.o;
	}
	if (sec && sec_code(sec) >= 0) {
		put1(&b, 0x80 | PARAM_SEC);
		put1(&b, (uint8_t)(0x80 | sec_code(sec)));
	} else if (sec) { /* no short integer: Untyped-parameter SEC=<token> */
		put(&b, "SEC", 4);
		put(&b, sec, strlen(sec) + 1);
	}
	if (mac) {
		put1(&b, 0x80 | PARAM_MAC);
		put(&b, mac, UB_WSP_MAC_HEX + 1);
	}
	if (b.over)
		return UB_E_USAGE;
	if (b.o <= 30) {
		put1(&w, (uint8_t)b.o);
	} else {
		put1(&w, LENGTH_QUOTE);
		put_uintvar(&w, b.o);
	}
	put(&w, v, b.o);
	return w.over ? UB_E_USAGE : (int)w.o;
}

int ub_wsp_push_encode(const struct ub_wsp_encode_opts *o, const uint8_t *body, size_t n,
		       uint8_t *out, size_t max)
{
	uint8_t h[UB_WSP_MEDIA_MAX + UB_WSP_URI_MAX + 2 * UB_WSP_SEC_MAX + 64];
	struct wr w = {out, 0, max, false}, hw = {h, 0, sizeof(h), false};
	int k;

	k = ub_wsp_ctype_encode(o->media, o->sec, o->mac, h, sizeof(h));
	if (k < 0)
		return k;
	hw.o = (size_t)k;
	if (o->app_code >= 0) {
		put1(&hw, 0x80 | FIELD_APP_ID);
		put_integer(&hw, (unsigned long)o->app_code);
	} else if (o->app_uri) {
		if (!o->app_uri[0] || strlen(o->app_uri) >= UB_WSP_URI_MAX || !is_text(o->app_uri))
			return UB_E_USAGE;
		put1(&hw, 0x80 | FIELD_APP_ID);
		put_text(&hw, o->app_uri);
	}
	if (hw.over)
		return UB_E_USAGE;
	put1(&w, o->tid);
	put1(&w, UB_WSP_PDU_PUSH);
	put_uintvar(&w, hw.o);
	put(&w, h, hw.o);
	put(&w, body, n);
	return w.over ? UB_E_USAGE : (int)w.o;
}
