/* Content-Type SEC/MAC parameters and bootstrap MAC verification. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>
#include <strings.h>

#include "ub_bootsec.h"
#include "ub_error.h"
#include "ub_hex.h"

static const struct {
	const char *name;
	uint8_t wsp;
	enum ub_msg_kind kind;
} media[] = {
	{"application/vnd.syncml.dm+wbxml", 0x42, UB_MSG_DM},
	{"application/vnd.wap.connectivity-wbxml", 0x36, UB_MSG_CP},
};

/* CP's short-integer SEC values (WSP): 0 NETWPIN .. 3 USERPINMAC. */
static const enum ub_sec cp_sec[4] = {UB_SEC_NETWORKID, UB_SEC_USERPIN, UB_SEC_USERNETWPIN,
				      UB_SEC_USERPINMAC};

static void set_media(struct ub_ctype *ct, const char *name)
{
	size_t i;

	snprintf(ct->type, sizeof(ct->type), "%s", name);
	for (i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (!strcasecmp(name, media[i].name))
			ct->kind = media[i].kind;
}

static int set_mac(struct ub_ctype *ct, const char *hex)
{
	if (strlen(hex) != 2 * UB_MAC_LEN || ub_unhex(ct->mac, UB_MAC_LEN, hex) != UB_MAC_LEN)
		return UB_E_BAD_DATA;
	ct->has_mac = true;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (e - s >= 2 && *s == '"' && e[-1] == '"') {
		e[-1] = '\0';
		s++;
	}
	return s;
}

int ub_ctype_parse(const char *s, struct ub_ctype *ct)
{
	char buf[512], *tok, *save = NULL, *eq, *v;
	bool first = true;

	memset(ct, 0, sizeof(*ct));
	if (strlen(s) >= sizeof(buf))
		return UB_E_BAD_DATA;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		tok = trim(tok);
		if (first) {
			if (!*tok || strchr(tok, '='))
				return UB_E_BAD_DATA;
			set_media(ct, tok);
			first = false;
			continue;
		}
		eq = strchr(tok, '=');
		if (!eq)
			return UB_E_BAD_DATA;
		*eq = '\0';
		v = trim(eq + 1);
		tok = trim(tok);
		if (!strcasecmp(tok, "SEC")) {
			if (ct->sec)
				return UB_E_BAD_DATA; /* twice: ambiguous */
			if (v[0] >= '0' && v[0] <= '3' && !v[1])
				ct->sec = cp_sec[v[0] - '0'];
			else
				ct->sec = ub_sec_parse(v);
			if (!ct->sec)
				return UB_E_BAD_DATA;
		} else if (!strcasecmp(tok, "MAC")) {
			if (ct->has_mac || set_mac(ct, v))
				return UB_E_BAD_DATA;
		}
		/* other parameters (charset, ...) do not matter here */
	}
	return first ? UB_E_BAD_DATA : 0;
}

/* WSP uintvar (WAP-230 8.1.2): 7 bits a byte, at most 5 bytes. */
static int wsp_uintvar(const uint8_t *b, size_t n, size_t *o, size_t *val)
{
	size_t v = 0;
	int i;

	for (i = 0; i < 5 && *o < n; i++) {
		v = v << 7 | (b[*o] & 0x7F);
		if (!(b[(*o)++] & 0x80)) {
			*val = v;
			return 0;
		}
	}
	return UB_E_BAD_DATA;
}

/* Skip one WSP typed value at b[*o] (WAP-230 8.4.2.1-3); 0 or bad data. */
static int wsp_skip_value(const uint8_t *b, size_t n, size_t *o)
{
	size_t len;

	if (*o >= n)
		return UB_E_BAD_DATA;
	if (b[*o] >= 0x80) { /* short integer */
		(*o)++;
		return 0;
	}
	if (b[*o] < 0x1F) { /* short length + bytes (long integer) */
		len = b[*o];
		if (len > n - *o - 1)
			return UB_E_BAD_DATA;
		*o += 1 + len;
		return 0;
	}
	if (b[*o] == 0x1F) {
		(*o)++;
		if (wsp_uintvar(b, n, o, &len) || len > n - *o)
			return UB_E_BAD_DATA;
		*o += len;
		return 0;
	}
	while (*o < n && b[*o])
		(*o)++;
	if (*o >= n)
		return UB_E_BAD_DATA;
	(*o)++;
	return 0;
}

int ub_ctype_parse_wsp(const uint8_t *b, size_t n, struct ub_ctype *ct)
{
	size_t o = 0, end = n, i, s;
	char text[128];

	memset(ct, 0, sizeof(*ct));
	if (!n)
		return UB_E_BAD_DATA;
	if (b[0] < 0x1F) { /* Content-general-form: Value-length first */
		end = 1 + (size_t)b[0];
		if (end > n)
			return UB_E_BAD_DATA;
		o = 1;
	} else if (b[0] == 0x1F) { /* Length-quote + uintvar */
		o = 1;
		if (wsp_uintvar(b, n, &o, &end) || end > n - o)
			return UB_E_BAD_DATA;
		end += o;
	}
	if (o >= end)
		return UB_E_BAD_DATA;
	if (b[o] >= 0x80) { /* well-known media */
		for (i = 0; i < sizeof(media) / sizeof(media[0]); i++)
			if (media[i].wsp == (b[o] & 0x7F))
				set_media(ct, media[i].name);
		if (!ct->kind)
			snprintf(ct->type, sizeof(ct->type), "wsp:0x%02x", b[o] & 0x7F);
		o++;
	} else {
		for (s = o; o < end && b[o]; o++)
			;
		if (o >= end || o - s >= sizeof(text))
			return UB_E_BAD_DATA;
		memcpy(text, b + s, o - s);
		text[o - s] = '\0';
		set_media(ct, text);
		o++;
	}
	while (o < end) {
		uint8_t p = b[o++];

		if (p == 0x91) { /* SEC: short integer 0..3 */
			if (o >= end || b[o] < 0x80 || b[o] > 0x83)
				return UB_E_BAD_DATA;
			ct->sec = cp_sec[b[o++] - 0x80];
		} else if (p == 0x92) { /* MAC: text, NUL-terminated */
			for (s = o; o < end && b[o]; o++)
				;
			if (o >= end || o - s != 2 * UB_MAC_LEN)
				return UB_E_BAD_DATA;
			memcpy(text, b + s, o - s);
			text[o - s] = '\0';
			if (set_mac(ct, text))
				return UB_E_BAD_DATA;
			o++;
		} else if (p >= 0x80) {
			if (wsp_skip_value(b, end, &o))
				return UB_E_BAD_DATA;
		} else {
			return UB_E_BAD_DATA; /* untyped parameters: not expected here */
		}
	}
	return 0;
}

int ub_imsi_semi_octets(const char *imsi, uint8_t out[8])
{
	size_t n = strlen(imsi), i;
	uint8_t nib[16];

	if (n < 6 || n > 15 || strspn(imsi, "0123456789") != n)
		return UB_E_BAD_DATA;
	/* first nibble: identity type 1 with the odd/even bit (TS 24.008) */
	nib[0] = (n & 1) ? 0x9 : 0x1;
	for (i = 0; i < n; i++)
		nib[i + 1] = (uint8_t)(imsi[i] - '0');
	n++; /* nibbles so far: the type nibble and the digits */
	if (n & 1)
		nib[n++] = 0xF; /* even digit count: filler */
	for (i = 0; i < n / 2; i++)
		out[i] = (uint8_t)(nib[2 * i + 1] << 4 | nib[2 * i]);
	return (int)(n / 2);
}

static int hmac_sha1(const uint8_t *key, size_t klen, const uint8_t *body, size_t n,
		     uint8_t out[UB_MAC_LEN])
{
	unsigned int olen = UB_MAC_LEN;

	return HMAC(EVP_sha1(), key, (int)klen, body, n, out, &olen) ? 0 : UB_E_INTERNAL;
}

/* NETWORKID secret: the IMSI as semi-octets (CP NETWPIN), or ASCII. */
static int netid_key(const struct ub_mac_keys *k, uint8_t *out, size_t max)
{
	size_t n;

	if (!k->imsi)
		return UB_E_USAGE;
	if (k->netid == UB_NETID_ASCII) {
		n = strlen(k->imsi);
		if (n > max)
			return UB_E_BAD_DATA;
		memcpy(out, k->imsi, n);
		return (int)n;
	}
	return ub_imsi_semi_octets(k->imsi, out);
}

/* USERPINMAC (CP ProvBoot): PIN = K (N digits) || m (N digits), m[i] =
 * '0' + HMAC-SHA1(K, body)[i] mod 10. */
static int userpinmac(const char *pin, const uint8_t *body, size_t n)
{
	uint8_t h[UB_MAC_LEN], d = 0;
	size_t len = pin ? strlen(pin) : 0, half = len / 2, i;
	int err;

	if (!pin)
		return UB_E_USAGE;
	if (len < 10 || len % 2 || half > UB_MAC_LEN || strspn(pin, "0123456789") != len)
		return UB_E_MAC;
	err = hmac_sha1((const uint8_t *)pin, half, body, n, h);
	if (err)
		return err;
	for (i = 0; i < half; i++)
		d |= (uint8_t)(pin[half + i] ^ ('0' + h[i] % 10));
	OPENSSL_cleanse(h, sizeof(h));
	return d ? UB_E_MAC : 0;
}

int ub_mac_verify(const struct ub_mac_keys *k, enum ub_sec sec, const uint8_t *body, size_t n,
		  const uint8_t mac[UB_MAC_LEN])
{
	uint8_t key[128], out[UB_MAC_LEN];
	size_t plen = k->pin ? strlen(k->pin) : 0;
	int len = 0, err;

	switch (sec) {
	case UB_SEC_NETWORKID:
		len = netid_key(k, key, sizeof(key));
		break;
	case UB_SEC_USERPIN:
		if (!k->pin || plen > sizeof(key))
			return UB_E_USAGE;
		memcpy(key, k->pin, plen);
		len = (int)plen;
		break;
	case UB_SEC_USERPIN_NETWORKID: /* "PIN:" || secret (DM Security 5.7.2) */
	case UB_SEC_USERNETWPIN:       /* CP: semi-octet IMSI || PIN, no ':' */
		if (!k->pin || plen + 1 + 15 > sizeof(key))
			return UB_E_USAGE;
		if (sec == UB_SEC_USERPIN_NETWORKID) {
			memcpy(key, k->pin, plen);
			key[plen] = ':';
			len = netid_key(k, key + plen + 1, sizeof(key) - plen - 1);
			len = len < 0 ? len : len + (int)plen + 1;
		} else {
			struct ub_mac_keys semi = *k;

			semi.netid = UB_NETID_SEMI_OCTET;
			len = netid_key(&semi, key, sizeof(key));
			if (len >= 0) {
				memcpy(key + len, k->pin, plen);
				len += (int)plen;
			}
		}
		break;
	case UB_SEC_NETWORKID_GBA:
	case UB_SEC_USERPIN_NETWORKID_GBA:
		if (!k->ks_ext_naf || (sec == UB_SEC_USERPIN_NETWORKID_GBA && !k->pin))
			return UB_E_USAGE;
		if (sec == UB_SEC_USERPIN_NETWORKID_GBA) {
			if (plen + 1 + 32 > sizeof(key))
				return UB_E_USAGE;
			memcpy(key, k->pin, plen);
			key[plen] = ':';
			len = (int)plen + 1;
		}
		memcpy(key + len, k->ks_ext_naf, 32);
		len += 32;
		break;
	case UB_SEC_USERPINMAC:
		return userpinmac(k->pin, body, n);
	default:
		return UB_E_USAGE;
	}
	if (len < 0)
		return len;
	err = hmac_sha1(key, (size_t)len, body, n, out);
	OPENSSL_cleanse(key, sizeof(key));
	if (err)
		return err;
	return CRYPTO_memcmp(out, mac, UB_MAC_LEN) ? UB_E_MAC : 0;
}

int ub_uri_host(const char *uri, char *out, size_t max)
{
	const char *p = strstr(uri, "://"), *e;
	size_t n;

	p = p ? p + 3 : uri;
	e = p + strcspn(p, ":/?#");
	if (memchr(p, '@', (size_t)(e - p)))
		p = (const char *)memchr(p, '@', (size_t)(e - p)) + 1; /* user@host */
	n = (size_t)(e - p);
	if (!n || n >= max || *p == '[')
		return UB_E_BAD_DATA;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}
