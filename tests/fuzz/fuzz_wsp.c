/* libFuzzer target: WSP Push PDUs and Content-Type values (src/wire/wsp.c),
 * and the DM layer's ub_ctype_parse_wsp on top of them.  Where a push
 * decodes, decode(encode(x)) == x for what the encoder can express:
 * media, SEC, MAC, application id code, body. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "ub_bootsec.h"
#include "ub_wsp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sec_code(const char *s)
{
	static const char *names[] = {"NETWPIN", "USERPIN", "USERNETWPIN", "USERPINMAC"};
	int i;

	if (s[0] >= '0' && s[0] <= '3' && !s[1])
		return s[0] - '0';
	for (i = 0; i < 4; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
}

static bool same_sec(const char *a, const char *b)
{
	return sec_code(a) >= 0 ? sec_code(a) == sec_code(b) : !strcmp(a, b);
}

static void round_trip(const struct ub_wsp_push *p)
{
	static uint8_t out[70000];
	struct ub_wsp_encode_opts o = {0};
	struct ub_wsp_push q;
	int n;

	o.tid = p->tid;
	o.media = p->ct.media;
	o.sec = p->ct.has_sec ? p->ct.sec : NULL;
	o.mac = p->ct.has_mac ? p->ct.mac : NULL;
	o.app_code = p->has_app_id && p->app_code >= 0 ? p->app_code : -1;
	o.app_uri = p->has_app_id && p->app_code < 0 ? p->app_uri : NULL;
	n = ub_wsp_push_encode(&o, p->body, p->body_len, out, sizeof(out));
	if (n < 0)
		return; /* not expressible (a SEC that is no token, a media with controls) */
	if (ub_wsp_push_decode(out, (size_t)n, &q, NULL))
		__builtin_trap();
	if (q.tid != p->tid || strcasecmp(q.ct.media, p->ct.media) ||
	    q.ct.has_sec != p->ct.has_sec || q.ct.has_mac != p->ct.has_mac ||
	    (p->ct.has_sec && !same_sec(q.ct.sec, p->ct.sec)) ||
	    (p->ct.has_mac && strcmp(q.ct.mac, p->ct.mac)) || q.has_app_id != p->has_app_id ||
	    q.app_code != p->app_code || (p->app_code < 0 && strcmp(q.app_uri, p->app_uri)) ||
	    q.body_len != p->body_len || memcmp(q.body, p->body, p->body_len))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_wsp_ctype ct;
	struct ub_wsp_push p;
	struct ub_ctype dm;
	size_t used;

	if (!ub_wsp_ctype_decode(data, size, &used, &ct, NULL)) {
		if (!used || used > size || (ct.has_mac && strlen(ct.mac) != 40))
			__builtin_trap();
	}
	if (!ub_ctype_parse_wsp(data, size, &dm) && strlen(dm.type) >= sizeof(dm.type))
		__builtin_trap();
	if (!ub_wsp_push_decode(data, size, &p, NULL)) {
		if (p.body + p.body_len != data + size || p.ct_len > p.headers_len)
			__builtin_trap();
		(void)ub_wsp_classify(&p);
		round_trip(&p);
	}
	return 0;
}
