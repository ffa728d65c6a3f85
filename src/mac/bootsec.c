/* Content-Type SEC/MAC parameters and bootstrap MAC verification. */
#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>
#include <strings.h>

#include "ub_bootsec.h"
#include "ub_error.h"
#include "ub_hex.h"
#include "ub_wsp.h"

static const struct {
	const char *name;
	enum ub_msg_kind kind;
} media[] = {
	{"application/vnd.syncml.dm+wbxml", UB_MSG_DM},
	{"application/vnd.wap.connectivity-wbxml", UB_MSG_CP},
};

/* CP's short-integer SEC values (WSP): 0 NETWPIN .. 3 USERPINMAC. */
static const enum ub_sec cp_sec[4] = {UB_SEC_NETWORKID, UB_SEC_USERPIN, UB_SEC_USERNETWPIN,
				      UB_SEC_USERPINMAC};

/* SEC as the WSP layer passes it up: a CP short integer "0".."3", or a
 * token (DM's names, CP's names). */
static enum ub_sec sec_from_text(const char *v)
{
	if (v[0] >= '0' && v[0] <= '3' && !v[1])
		return cp_sec[v[0] - '0'];
	return ub_sec_parse(v);
}

const char *ub_sec_name_for(enum ub_sec sec, enum ub_msg_kind kind)
{
	return kind == UB_MSG_CP && sec == UB_SEC_NETWORKID ? "NETWPIN" : ub_sec_name(sec);
}

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

/* RFC 2045 5.1: a token is 1*<any US-ASCII CHAR except SPACE, CTLs, or
 * tspecials>. */
static bool tchar(char c)
{
	return c > 0x20 && c < 0x7F && !strchr("()<>@,;:\\\"/[]?=", c);
}

static const char *ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A token at *p into out; *p moves past it.  0 or UB_E_BAD_DATA (none,
 * or longer than max - 1). */
static int token(const char **p, char *out, size_t max)
{
	size_t n = 0;

	while (tchar((*p)[n]))
		n++;
	if (!n || n >= max)
		return UB_E_BAD_DATA;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n;
	return 0;
}

/* value := token / quoted-string (RFC 2045 5.1, RFC 822 3.3), unquoted
 * into out: a quoted-pair "\c" stands for c, and a ';' or '=' in quotes is
 * text.  Inside the quotes: HTAB, SP and visible ASCII only.  An
 * unterminated quote is refused. */
static int value(const char **p, char *out, size_t max)
{
	const char *s = *p;
	size_t n = 0;

	if (*s != '"')
		return token(p, out, max);
	for (s++; *s != '"'; s++) {
		if (*s == '\\')
			s++;
		if (*s != '\t' && (*s < 0x20 || *s > 0x7E)) /* the end of the string too */
			return UB_E_BAD_DATA;
		if (n + 1 >= max)
			return UB_E_BAD_DATA;
		out[n++] = *s;
	}
	out[n] = '\0';
	*p = s + 1;
	return 0;
}

/* type "/" subtype at *p (no white space inside), the media of ct. */
static int media_type(const char **p, struct ub_ctype *ct)
{
	char type[sizeof(ct->type)], sub[sizeof(ct->type)], name[2 * sizeof(ct->type)];

	if (token(p, type, sizeof(type)) || *(*p)++ != '/' || token(p, sub, sizeof(sub)))
		return UB_E_BAD_DATA;
	snprintf(name, sizeof(name), "%s/%s", type, sub);
	if (strlen(name) >= sizeof(ct->type))
		return UB_E_BAD_DATA; /* never cut */
	set_media(ct, name);
	return 0;
}

/* RFC 2045 5.1: type "/" subtype *(";" attribute "=" value), white space
 * allowed around ';' and '='.  Only SEC and MAC matter here; any other
 * parameter must still be well-formed, or where one parameter ends would
 * be a guess (and a MAC hidden in a quoted string could be read by one
 * parser and not by another). */
int ub_ctype_parse(const char *s, struct ub_ctype *ct)
{
	char attr[64], v[512];
	const char *p = ows(s);

	memset(ct, 0, sizeof(*ct));
	if (strlen(s) >= sizeof(v) || media_type(&p, ct))
		return UB_E_BAD_DATA;
	for (p = ows(p); *p; p = ows(p)) {
		if (*p++ != ';')
			return UB_E_BAD_DATA;
		p = ows(p);
		if (token(&p, attr, sizeof(attr)))
			return UB_E_BAD_DATA;
		p = ows(p);
		if (*p++ != '=')
			return UB_E_BAD_DATA;
		p = ows(p);
		if (value(&p, v, sizeof(v)))
			return UB_E_BAD_DATA;
		if (!strcasecmp(attr, "SEC")) {
			if (ct->sec)
				return UB_E_BAD_DATA; /* twice: ambiguous */
			ct->sec = sec_from_text(v);
			if (!ct->sec)
				return UB_E_BAD_DATA;
		} else if (!strcasecmp(attr, "MAC")) {
			if (ct->has_mac || set_mac(ct, v))
				return UB_E_BAD_DATA;
		}
		/* other parameters (charset, ...) do not matter here */
	}
	return 0;
}

/* The one WSP Content-Type decoder is src/wire/wsp.c's; here its SEC and MAC
 * texts become the DM layer's values.  A media type sent as text must be
 * type/subtype as the text form's: no parameters hidden in it. */
int ub_ctype_from_wsp(const struct ub_wsp_ctype *w, struct ub_ctype *ct)
{
	const char *p = w->media;

	memset(ct, 0, sizeof(*ct));
	if (w->media_code >= 0)
		set_media(ct, w->media);
	else if (media_type(&p, ct) || *p)
		return UB_E_BAD_DATA;
	if (w->has_sec && !(ct->sec = sec_from_text(w->sec)))
		return UB_E_BAD_DATA;
	if (w->has_mac && set_mac(ct, w->mac))
		return UB_E_BAD_DATA;
	return 0;
}

int ub_ctype_parse_wsp(const uint8_t *b, size_t n, struct ub_ctype *ct)
{
	struct ub_wsp_ctype w;
	size_t used;

	memset(ct, 0, sizeof(*ct));
	if (ub_wsp_ctype_decode(b, n, &used, &w, NULL) || used != n)
		return UB_E_BAD_DATA;
	return ub_ctype_from_wsp(&w, ct);
}

/* The bit of sec as one octet (0 for none): the same SEC however it was
 * spelled (a DM name, a CP name or number, WSP text or a short integer). */
static uint8_t sec_octet(enum ub_sec sec)
{
	uint8_t i;

	for (i = 0; i < 32; i++)
		if ((unsigned)sec == 1u << i)
			return (uint8_t)(i + 1);
	return 0;
}

int ub_push_digest(const struct ub_ctype *ct, const uint8_t *body, size_t n, uint8_t out[32])
{
	static const char label[] = "uiccboot push 1";
	uint8_t head[1 + UB_MAC_LEN];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int ok;

	/* the MAC as its 20 octets, whatever case or encoding carried it; none
	 * where the MAC parameter is not what is verified (USERPINMAC: the PIN
	 * carries it; no SEC) */
	memset(head, 0, sizeof(head));
	head[0] = sec_octet(ct->sec);
	if (ct->sec != UB_SEC_NONE && ct->sec != UB_SEC_USERPINMAC && ct->has_mac)
		memcpy(head + 1, ct->mac, UB_MAC_LEN);
	ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
	     EVP_DigestUpdate(c, label, sizeof(label)) && EVP_DigestUpdate(c, head, sizeof(head)) &&
	     EVP_DigestUpdate(c, body, n) && EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
	return ok ? 0 : UB_E_INTERNAL;
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
 * '0' + HMAC-SHA1(K, body)[i] mod 10.  The check digits of key K. */
static int check_digits(const char *k, size_t half, const uint8_t *body, size_t n, char *m)
{
	uint8_t h[UB_MAC_LEN];
	size_t i;
	int err;

	err = hmac_sha1((const uint8_t *)k, half, body, n, h);
	for (i = 0; !err && i < half; i++)
		m[i] = (char)('0' + h[i] % 10);
	OPENSSL_cleanse(h, sizeof(h));
	return err;
}

static int userpinmac(const char *pin, const uint8_t *body, size_t n)
{
	char m[UB_MAC_LEN];
	size_t len = pin ? strlen(pin) : 0, half = len / 2, i;
	uint8_t d = 0;
	int err;

	if (!pin)
		return UB_E_USAGE;
	if (len < 10 || len % 2 || half > UB_MAC_LEN || strspn(pin, "0123456789") != len)
		return UB_E_MAC;
	err = check_digits(pin, half, body, n, m);
	for (i = 0; !err && i < half; i++)
		d |= (uint8_t)(pin[half + i] ^ m[i]);
	OPENSSL_cleanse(m, sizeof(m));
	return err ? err : d ? UB_E_MAC : 0;
}

int ub_userpinmac_pin(const char *key, const uint8_t *body, size_t n, char *out, size_t max)
{
	size_t half = strlen(key);
	int err;

	if (half < 5 || half > UB_MAC_LEN || strspn(key, "0123456789") != half ||
	    max < 2 * half + 1)
		return UB_E_USAGE;
	memcpy(out, key, half);
	err = check_digits(key, half, body, n, out + half);
	out[err ? 0 : 2 * half] = '\0';
	return err;
}

#define MAC_KEY_MAX 128

/* The key of each SEC type: the one construction the device (verify) and
 * the sender (compute) share.  Returns the key length or an error. */
static int mac_key(const struct ub_mac_keys *k, enum ub_sec sec, uint8_t key[MAC_KEY_MAX])
{
	size_t plen = k->pin ? strlen(k->pin) : 0;
	int len = 0;

	switch (sec) {
	case UB_SEC_NETWORKID:
		len = netid_key(k, key, MAC_KEY_MAX);
		break;
	case UB_SEC_USERPIN:
		if (!k->pin || plen > MAC_KEY_MAX)
			return UB_E_USAGE;
		memcpy(key, k->pin, plen);
		len = (int)plen;
		break;
	case UB_SEC_USERPIN_NETWORKID: /* "PIN:" || secret (DM Security 5.7.2) */
	case UB_SEC_USERNETWPIN:       /* CP: semi-octet IMSI || PIN, no ':' */
		if (!k->pin || plen + 1 + 15 > MAC_KEY_MAX)
			return UB_E_USAGE;
		if (sec == UB_SEC_USERPIN_NETWORKID) {
			memcpy(key, k->pin, plen);
			key[plen] = ':';
			len = netid_key(k, key + plen + 1, MAC_KEY_MAX - plen - 1);
			len = len < 0 ? len : len + (int)plen + 1;
		} else {
			struct ub_mac_keys semi = *k;

			semi.netid = UB_NETID_SEMI_OCTET;
			len = netid_key(&semi, key, MAC_KEY_MAX);
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
			if (plen + 1 + 32 > MAC_KEY_MAX)
				return UB_E_USAGE;
			memcpy(key, k->pin, plen);
			key[plen] = ':';
			len = (int)plen + 1;
		}
		memcpy(key + len, k->ks_ext_naf, 32);
		len += 32;
		break;
	default:
		return UB_E_USAGE;
	}
	return len;
}

int ub_mac_compute(const struct ub_mac_keys *k, enum ub_sec sec, const uint8_t *body, size_t n,
		   uint8_t mac[UB_MAC_LEN])
{
	uint8_t key[MAC_KEY_MAX];
	int len, err;

	if (sec == UB_SEC_USERPINMAC)
		return UB_E_USAGE; /* its check digits are in the PIN: ub_userpinmac_pin() */
	len = mac_key(k, sec, key);
	err = len < 0 ? len : hmac_sha1(key, (size_t)len, body, n, mac);
	OPENSSL_cleanse(key, sizeof(key));
	return err;
}

int ub_mac_verify(const struct ub_mac_keys *k, enum ub_sec sec, const uint8_t *body, size_t n,
		  const uint8_t mac[UB_MAC_LEN])
{
	uint8_t out[UB_MAC_LEN];
	int err;

	if (sec == UB_SEC_USERPINMAC)
		return userpinmac(k->pin, body, n);
	err = ub_mac_compute(k, sec, body, n, out);
	if (!err && CRYPTO_memcmp(out, mac, UB_MAC_LEN))
		err = UB_E_MAC;
	OPENSSL_cleanse(out, sizeof(out));
	return err;
}
