/* libFuzzer target: the Content-Type parsers (text and WSP binary).
 *
 * Oracles: the text parser never reports a SEC or a MAC that is not a
 * real parameter (an independent reading of RFC 2045 below: outside
 * quoted strings, after a ';'), and the MAC it reports is that
 * parameter's value; what the WSP parser reports, written as text, reads
 * back the same. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ub_bootsec.h"
#include "ub_hex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The parameters named name (any case) in s: their count, and the value
 * of the last one, unquoted, in val. */
static int ref_params(const char *s, const char *name, char *val, size_t max)
{
	size_t len = strlen(name), n;
	bool quoted = false;
	const char *p, *a;
	int count = 0;

	for (p = s; *p; p++) {
		if (quoted) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				quoted = false;
			continue;
		}
		if (*p == '"')
			quoted = true;
		if (*p != ';')
			continue;
		a = skip_ws(p + 1);
		if (strncasecmp(a, name, len))
			continue;
		a = skip_ws(a + len);
		if (*a != '=')
			continue;
		a = skip_ws(a + 1);
		count++;
		n = 0;
		if (*a == '"') {
			for (a++; *a && *a != '"'; a++) {
				if (*a == '\\' && a[1])
					a++;
				if (n + 1 < max)
					val[n++] = *a;
			}
		} else {
			for (; *a && *a != ';' && *a != ' ' && *a != '\t'; a++)
				if (n + 1 < max)
					val[n++] = *a;
		}
		val[n] = '\0';
	}
	return count;
}

static void text_oracle(const char *s)
{
	struct ub_ctype ct;
	uint8_t mac[UB_MAC_LEN];
	char v[600];

	if (ub_ctype_parse(s, &ct))
		return;
	if (!ct.type[0] || !strchr(ct.type, '/'))
		__builtin_trap();
	if (ref_params(s, "SEC", v, sizeof(v)) != (ct.sec != UB_SEC_NONE))
		__builtin_trap();
	if (ref_params(s, "MAC", v, sizeof(v)) != ct.has_mac)
		__builtin_trap();
	if (ct.has_mac &&
	    (strlen(v) != 2 * UB_MAC_LEN || ub_unhex(mac, sizeof(mac), v) != UB_MAC_LEN ||
	     memcmp(mac, ct.mac, UB_MAC_LEN)))
		__builtin_trap();
}

static void wsp_oracle(const uint8_t *data, size_t size)
{
	struct ub_ctype ct, back;
	char s[400], hex[2 * UB_MAC_LEN + 1];
	int n;

	if (ub_ctype_parse_wsp(data, size, &ct))
		return;
	if (strlen(ct.type) >= sizeof(ct.type))
		__builtin_trap();
	if (!strncmp(ct.type, "wsp:", 4)) /* a well-known code we have no name for */
		return;
	n = snprintf(s, sizeof(s), "%s", ct.type);
	if (ct.sec)
		n += snprintf(s + n, sizeof(s) - (size_t)n, "; SEC=%s", ub_sec_name(ct.sec));
	if (ct.has_mac)
		snprintf(s + n, sizeof(s) - (size_t)n, "; MAC=\"%s\"",
			 ub_hex(hex, ct.mac, UB_MAC_LEN));
	if (ub_ctype_parse(s, &back) || strcmp(back.type, ct.type) || back.kind != ct.kind ||
	    back.sec != ct.sec || back.has_mac != ct.has_mac ||
	    memcmp(back.mac, ct.mac, UB_MAC_LEN))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[600];

	wsp_oracle(data, size);
	if (size < sizeof(s)) {
		memcpy(s, data, size);
		s[size] = '\0';
		text_oracle(s);
	}
	return 0;
}
