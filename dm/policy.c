/* The policy file (uiccboot-policy(5)).  Every key is checked below. */
#include <errno.h>
#include <openssl/crypto.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ub_error.h"
#include "ub_hex.h"
#include "ub_policy.h"

static const struct {
	enum ub_sec sec;
	const char *name, *alias;
} sec_names[] = {
	{UB_SEC_NETWORKID, "NETWORKID", "NETWPIN"},
	{UB_SEC_USERPIN, "USERPIN", NULL},
	{UB_SEC_USERPIN_NETWORKID, "USERPIN_NETWORKID", NULL},
	{UB_SEC_NETWORKID_GBA, "NETWORKID_GBA", NULL},
	{UB_SEC_USERPIN_NETWORKID_GBA, "USERPIN_NETWORKID_GBA", NULL},
	{UB_SEC_USERNETWPIN, "USERNETWPIN", NULL},
	{UB_SEC_USERPINMAC, "USERPINMAC", NULL},
};

enum ub_sec ub_sec_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sec_names) / sizeof(sec_names[0]); i++)
		if (!strcasecmp(s, sec_names[i].name) ||
		    (sec_names[i].alias && !strcasecmp(s, sec_names[i].alias)))
			return sec_names[i].sec;
	return UB_SEC_NONE;
}

const char *ub_sec_name(enum ub_sec s)
{
	size_t i;

	for (i = 0; i < sizeof(sec_names) / sizeof(sec_names[0]); i++)
		if (sec_names[i].sec == s)
			return sec_names[i].name;
	return "NONE";
}

/* A day for a message to complete or its PIN to be given; room for a
 * 4 KiB push (32 parts of 128 octets) and for some of them at once. */
static void sms_defaults(struct ub_sms_policy *s)
{
	s->expiry = 86400;
	s->max_parts = 32;
	s->max_messages = 64;
	s->max_bytes = 262144;
	s->pin_attempts = 3;
	s->user_pin_failures = 3;
	s->max_pending_per_sender = 4;
}

void ub_policy_defaults(struct ub_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->smartcard_enabled = true;
	p->logical_channel = true;
	p->remove_stale = true;
	p->push_enabled = true;
	/* NETWORKID alone is not allowed by default: IMSI/ESN are not
	 * secret, and accepting it lets an attacker downgrade. */
	p->allowed_sec =
		UB_SEC_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID;
	p->networkid_key = UB_NETID_SEMI_OCTET;
	p->user_pin_min = 4;
	p->push_memory = UB_PUSH_MEMORY_DEFAULT;
	p->naf_per_hour = 10;
	p->naf_binding = UB_NAF_HOST;
	p->replace_card_accounts = UB_REPLACE_GBA;
	p->account = UB_CONFLICT_REPLACE;
	p->connmo = UB_CONFLICT_RENAME;
	p->prefer_isim = true;
	p->lwm2m_enabled = true;
	sms_defaults(&p->sms);
}

struct load {
	struct ub_policy *p;
	const char *file;
	char *err;
	size_t errlen;
	bool has_pin; /* the file names [pin] pin1 */
};

static bool yesno(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false"))
		*out = false;
	else
		return false;
	return true;
}

/* Comma-separated list; each item trimmed. Calls f for each, stops at false. */
static bool each_item(const char *v, bool (*f)(struct ub_policy *, const char *),
		      struct ub_policy *p)
{
	char buf[2048], *tok, *save = NULL, *end;

	if (strlen(v) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*tok || !f(p, tok))
			return false;
	}
	return true;
}

static bool add_sec(struct ub_policy *p, const char *s)
{
	enum ub_sec sec = ub_sec_parse(s);

	p->allowed_sec |= (unsigned)sec;
	return sec != UB_SEC_NONE;
}

static bool add_server(struct ub_policy *p, const char *s)
{
	if (p->nservers >= UB_POLICY_MAX_SERVERS || strlen(s) >= sizeof(p->servers[0]))
		return false;
	snprintf(p->servers[p->nservers++], sizeof(p->servers[0]), "%s", s);
	return true;
}

/* An LwM2M Server URI as a Security Instance holds it (Core E.1 resource
 * 0: "coaps://host:port", "coap+tcp://...", "sms://..."): a scheme, "://",
 * printable ASCII without spaces. */
static bool add_lwm2m_server(struct ub_policy *p, const char *s)
{
	const char *sep = strstr(s, "://");
	size_t i, n = strlen(s);

	if (!sep || sep == s || !sep[3] || p->nlwm2m_servers >= UB_POLICY_MAX_SERVERS ||
	    n >= sizeof(p->lwm2m_servers[0]))
		return false;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7F)
			return false;
	memcpy(p->lwm2m_servers[p->nlwm2m_servers++], s, n + 1);
	return true;
}

static bool conflict(const char *v, enum ub_conflict other, enum ub_conflict *out)
{
	if (!strcmp(v, "reject"))
		*out = UB_CONFLICT_REJECT;
	else if (!strcmp(v, other == UB_CONFLICT_REPLACE ? "replace" : "rename"))
		*out = other;
	else
		return false;
	return true;
}

/* A decimal number in [lo, hi]. */
static bool number(const char *v, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;

	if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 10)
		return false;
	*out = strtoul(v, &end, 10);
	return *out >= lo && *out <= hi;
}

/* A decimal number in [lo, hi] into *out: 1, or 0 for a bad value. */
static int set_unsigned(const char *v, unsigned long lo, unsigned long hi, unsigned *out)
{
	unsigned long n;

	if (!number(v, lo, hi, &n))
		return 0;
	*out = (unsigned)n;
	return 1;
}

/* [sms]: 1 ok, 0 bad value, -1 unknown key */
static int set_sms(struct ub_sms_policy *s, const char *k, const char *v)
{
	unsigned long n;

	if (!strcmp(k, "expiry")) {
		if (!number(v, 1, 30 * 86400ul, &n))
			return 0;
		s->expiry = (unsigned)n;
	} else if (!strcmp(k, "max_parts")) {
		if (!number(v, 1, 255, &n)) /* a concatenation counts parts in one octet */
			return 0;
		s->max_parts = (unsigned)n;
	} else if (!strcmp(k, "max_messages")) {
		if (!number(v, 1, 1000000, &n))
			return 0;
		s->max_messages = (unsigned)n;
	} else if (!strcmp(k, "max_bytes")) {
		if (!number(v, 176, 1ul << 30, &n)) /* at least one TPDU */
			return 0;
		s->max_bytes = n;
	} else if (!strcmp(k, "pin_attempts")) {
		if (!number(v, 1, 10, &n))
			return 0;
		s->pin_attempts = (unsigned)n;
	} else if (!strcmp(k, "user_pin_failures")) {
		return set_unsigned(v, 1, 100, &s->user_pin_failures);
	} else if (!strcmp(k, "max_pending_per_sender")) {
		return set_unsigned(v, 1, 1000000, &s->max_pending_per_sender);
	} else {
		return -1;
	}
	return 1;
}

/* 1 ok, 0 bad value, -1 unknown key */
static int set(struct ub_policy *p, const char *sec, const char *k, const char *v)
{
	size_t n;

	if (!strcmp(sec, "smartcard")) {
		if (!strcmp(k, "enabled"))
			return yesno(v, &p->smartcard_enabled);
		if (!strcmp(k, "logical_channel"))
			return yesno(v, &p->logical_channel);
		if (!strcmp(k, "remove_stale"))
			return yesno(v, &p->remove_stale);
	} else if (!strcmp(sec, "push")) {
		if (!strcmp(k, "enabled"))
			return yesno(v, &p->push_enabled);
		if (!strcmp(k, "allowed_sec")) {
			p->allowed_sec = 0;
			return !*v || each_item(v, add_sec, p);
		}
		if (!strcmp(k, "user_pin_min")) {
			/* a PIN is 4-8 digits on a handset; USERPINMAC's are longer */
			if (strlen(v) > 2 || strspn(v, "0123456789") != strlen(v) || !*v ||
			    atoi(v) < 1 || atoi(v) > 32)
				return 0;
			p->user_pin_min = (unsigned)atoi(v);
			return 1;
		}
		if (!strcmp(k, "replay_memory"))
			return set_unsigned(v, 64, 1000000, &p->push_memory);
		if (!strcmp(k, "replace_card_accounts")) {
			if (!strcmp(v, "no"))
				p->replace_card_accounts = UB_REPLACE_NO;
			else if (!strcmp(v, "gba"))
				p->replace_card_accounts = UB_REPLACE_GBA;
			else if (!strcmp(v, "yes"))
				p->replace_card_accounts = UB_REPLACE_YES;
			else
				return 0;
			return 1;
		}
		if (!strcmp(k, "networkid_key")) {
			if (!strcmp(v, "semi-octet"))
				p->networkid_key = UB_NETID_SEMI_OCTET;
			else if (!strcmp(v, "ascii"))
				p->networkid_key = UB_NETID_ASCII;
			else
				return 0;
			return 1;
		}
	} else if (!strcmp(sec, "servers")) {
		if (!strcmp(k, "allow")) /* several lines add up */
			return !*v || each_item(v, add_server, p);
	} else if (!strcmp(sec, "conflicts")) {
		if (!strcmp(k, "account"))
			return conflict(v, UB_CONFLICT_REPLACE, &p->account);
		if (!strcmp(k, "connmo"))
			return conflict(v, UB_CONFLICT_RENAME, &p->connmo);
	} else if (!strcmp(sec, "gba")) {
		if (!strcmp(k, "prefer")) {
			if (strcmp(v, "isim") && strcmp(v, "usim"))
				return 0;
			p->prefer_isim = !strcmp(v, "isim");
			return 1;
		}
		if (!strcmp(k, "allow_gba_me"))
			return yesno(v, &p->allow_gba_me);
		if (!strcmp(k, "naf_fqdn")) {
			n = strlen(v);
			if (n >= sizeof(p->naf_fqdn) || strpbrk(v, " /:@"))
				return 0;
			memcpy(p->naf_fqdn, v, n + 1);
			return 1;
		}
		if (!strcmp(k, "naf_binding")) {
			if (!strcmp(v, "host"))
				p->naf_binding = UB_NAF_HOST;
			else if (!strcmp(v, "server_id"))
				p->naf_binding = UB_NAF_SERVER_ID;
			else if (!strcmp(v, "both"))
				p->naf_binding = UB_NAF_BOTH;
			else
				return 0;
			return 1;
		}
		if (!strcmp(k, "push_derivations_per_hour"))
			return set_unsigned(v, 1, 3600, &p->naf_per_hour);
		if (!strcmp(k, "ua_id")) {
			p->has_ua_id = *v != '\0';
			return !*v || (strlen(v) == 10 && ub_unhex(p->ua_id, 5, v) == 5);
		}
	} else if (!strcmp(sec, "lwm2m")) {
		if (!strcmp(k, "enabled"))
			return yesno(v, &p->lwm2m_enabled);
		if (!strcmp(k, "servers")) /* several lines add up */
			return !*v || each_item(v, add_lwm2m_server, p);
	} else if (!strcmp(sec, "sms")) {
		return set_sms(&p->sms, k, v);
	} else if (!strcmp(sec, "pin")) {
		if (!strcmp(k, "pin1")) {
			n = strlen(v);
			if (n && (n < 4 || n > 8 || strspn(v, "0123456789") != n))
				return 0;
			memcpy(p->pin1, v, n + 1);
			return 1;
		}
	}
	return -1;
}

/* The keys whose value is a secret: a refusal says what is wrong with the
 * value and never quotes it (it would reach the terminal, a log, --json).
 * Every key of [pin] is one, whether listed here or not. */
static const struct {
	const char *section, *key, *rule;
} secret_keys[] = {
	{"pin", "pin1", "must be 4 to 8 digits"},
};

/* The rule of a secret key, or NULL for a key whose value may be quoted. */
static const char *secret_rule(const char *section, const char *k)
{
	size_t i;

	for (i = 0; i < sizeof(secret_keys) / sizeof(secret_keys[0]); i++)
		if (!strcmp(section, secret_keys[i].section) && !strcmp(k, secret_keys[i].key))
			return secret_keys[i].rule;
	return strcmp(section, "pin") ? NULL : "see uiccboot-policy(5)";
}

static int on_key(void *user, const char *section, const char *k, const char *v)
{
	struct load *l = user;
	int r = set(l->p, section, k, v);
	const char *rule;

	if (r > 0 && !strcmp(section, "pin") && *v)
		l->has_pin = true;
	if (r < 0)
		snprintf(l->err, l->errlen, "[%s] %s: unknown key", section, k);
	else if (r == 0 && (rule = secret_rule(section, k)))
		snprintf(l->err, l->errlen, "[%s] %s: bad value (%s; a secret, not shown)", section,
			 k, rule);
	else if (r == 0)
		snprintf(l->err, l->errlen, "[%s] %s: bad value '%s'", section, k, v);
	return r > 0;
}

/* libinih reads a line into INI_MAX_LINE bytes and takes the rest of a
 * longer one for the next line: say so instead of a "syntax error"
 * somewhere after it.  Returns the first long line's number, or 0. */
static int long_line(FILE *fp)
{
	char b[INI_MAX_LINE];
	int line = 0;
	size_t n;

	while (fgets(b, sizeof(b), fp)) {
		line++;
		n = strlen(b);
		if (n == sizeof(b) - 1 && b[n - 1] != '\n' && !feof(fp))
			return line;
	}
	rewind(fp);
	return 0;
}

int ub_policy_load(struct ub_policy *p, const char *path, bool must_exist, char *err, size_t errlen)
{
	struct load l = {p, path, err, errlen, false};
	char what[256] = "";
	struct stat st;
	FILE *fp;
	int line;

	err[0] = '\0';
	ub_policy_defaults(p);
	fp = fopen(path, "r");
	if (!fp) {
		if (errno == ENOENT && !must_exist)
			return 0; /* built-in defaults */
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return UB_E_IO;
	}
	l.err = what;
	l.errlen = sizeof(what);
	if ((line = long_line(fp))) {
		fclose(fp);
		snprintf(err, errlen,
			 "%s:%d: line longer than %d bytes; a list may go on several lines of the "
			 "same key",
			 path, line, INI_MAX_LINE - 2);
		return UB_E_BAD_DATA;
	}
	line = ini_parse_file(fp, on_key, &l);
	if (!line && l.has_pin && (fstat(fileno(fp), &st) || (st.st_mode & 077))) {
		/* the PIN is a secret: nobody else may read the file holding it */
		fclose(fp);
		snprintf(err, errlen,
			 "%s holds [pin] pin1 and others may read it (mode %04o): make it 0600",
			 path, (unsigned)(st.st_mode & 07777));
		ub_policy_defaults(p);
		return UB_E_POLICY;
	}
	fclose(fp);
	if (line) {
		snprintf(err, errlen, "%s:%d: %s", path, line, what[0] ? what : "syntax error");
		ub_policy_defaults(p); /* nothing half-loaded */
		return UB_E_BAD_DATA;
	}
	return 0;
}

const char *ub_policy_pin1(const struct ub_policy *p)
{
	return p && p->pin1[0] ? p->pin1 : NULL;
}

bool ub_policy_server_allowed(const struct ub_policy *p, const char *server_id)
{
	int i;

	if (!p->nservers)
		return true;
	for (i = 0; i < p->nservers; i++)
		if (!strcmp(p->servers[i], server_id))
			return true;
	return false;
}

bool ub_policy_lwm2m_server_allowed(const struct ub_policy *p, const uint8_t *uri, size_t len)
{
	int i;

	if (!p->nlwm2m_servers)
		return true;
	for (i = 0; i < p->nlwm2m_servers; i++)
		if (strlen(p->lwm2m_servers[i]) == len && !memcmp(p->lwm2m_servers[i], uri, len))
			return true;
	return false;
}

int ub_policy_open(const char *path, struct ub_policy **out, struct ub_status *st)
{
	struct ub_policy *p = calloc(1, sizeof(*p));
	char err[400];
	int rc;

	*out = NULL;
	if (!p)
		return ub_fail(st, UB_E_NOMEM, 0, "policy", NULL);
	rc = ub_policy_load(p, path ? path : UB_POLICY_DEFAULT, path != NULL, err, sizeof(err));
	if (rc) {
		ub_policy_close(p);
		/* err is "file:line: [section] key: what" or "file: what" */
		return ub_fail(st, rc, 0, path ? path : UB_POLICY_DEFAULT, "policy %s", err);
	}
	*out = p;
	return 0;
}

void ub_policy_close(struct ub_policy *p)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, sizeof(*p)); /* pin1 */
	free(p);
}
