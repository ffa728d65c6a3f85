/* The policy file (uiccboot-policy(5)).  Every key is checked below. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <openssl/crypto.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ub_error.h"
#include "ub_gpi.h"
#include "ub_hex.h"
#include "ub_policy.h"
#include "ub_status.h"

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
	p->user_pin_min = UB_USER_PIN_MIN_DEFAULT;
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

/* --- the keys: one table (hostap's config.c style) --- */

struct key;
/* Set k from v.  Returns 0, or UB_E_BAD_DATA with st saying what is wrong
 * (the bad token of a list, the valid values); cont: v continues the
 * key's previous line (a list over several lines). */
typedef int (*key_setter)(struct ub_policy *p, const struct key *k, const char *v, bool cont,
			  struct ub_status *st);

struct choice {
	const char *name;
	int value;
};

enum {
	K_LIST = 1 << 0,   /* a list: it may go on over indented lines */
	K_REPEAT = 1 << 1, /* a list that may also be given again: the lines add up */
	K_SECRET = 1 << 2, /* never quoted in a message; its rule is said instead */
};

struct key {
	const char *section, *name;
	key_setter set;
	size_t off, size;	      /* the field in struct ub_policy */
	const struct choice *choices; /* the values of an enumeration, NULL ending */
	unsigned long lo, hi;	      /* a number's range */
	unsigned flags;
	const char *rule; /* K_SECRET: what a value must be */
};

static void *field(struct ub_policy *p, const struct key *k)
{
	return (char *)p + k->off;
}

/* "a, b, c": the names of a list of choices, for a message. */
static void choice_names(const struct choice *c, char *out, size_t max)
{
	size_t n = 0;

	out[0] = '\0';
	for (; c->name && n < max; c++)
		n += (size_t)snprintf(out + n, max - n, "%s%s", n ? ", " : "", c->name);
}

static int set_choice(struct ub_policy *p, const struct key *k, const char *v, bool cont,
		      struct ub_status *st)
{
	const struct choice *c;
	char names[200];

	for (c = k->choices; c->name; c++)
		if (!strcmp(v, c->name))
			break;
	if (!c->name) {
		choice_names(k->choices, names, sizeof(names));
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s' is not one of: %s", v, names);
	}
	if (k->size == sizeof(bool))
		*(bool *)field(p, k) = c->value != 0;
	else
		*(int *)field(p, k) = c->value;
	return 0;
}

static const struct choice yes_no[] = {
	{"yes", 1}, {"no", 0}, {"true", 1}, {"false", 0}, {NULL, 0},
};

/* A decimal number in [lo, hi]. */
static bool number(const char *v, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;

	if (!*v || strspn(v, "0123456789") != strlen(v) || strlen(v) > 10)
		return false;
	*out = strtoul(v, &end, 10);
	return *out >= lo && *out <= hi;
}

static int set_number(struct ub_policy *p, const struct key *k, const char *v, bool cont,
		      struct ub_status *st)
{
	unsigned long n;

	if (!number(v, k->lo, k->hi, &n))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s' is not a number from %lu to %lu",
			       v, k->lo, k->hi);
	if (k->size == sizeof(unsigned long))
		*(unsigned long *)field(p, k) = n;
	else
		*(unsigned *)field(p, k) = (unsigned)n;
	return 0;
}

/* Comma-separated list; each item trimmed; add(p, item) for each.  An
 * empty item (",,") is refused, except after a final comma: the list goes
 * on on the next, indented, line.  The item refused is named in st. */
static int each_item(struct ub_policy *p, const char *v,
		     int (*add)(struct ub_policy *, const char *, struct ub_status *),
		     struct ub_status *st)
{
	char buf[2048], *tok, *next, *end;
	int err;

	if (strlen(v) >= sizeof(buf))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "longer than %zu bytes",
			       sizeof(buf) - 1);
	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = buf; tok; tok = next) {
		if ((next = strchr(tok, ',')))
			*next++ = '\0';
		while (*tok == ' ' || *tok == '\t')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && (end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		if (!*tok && !next && tok != buf)
			break; /* "a, b," */
		if (!*tok)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "an empty item in the list");
		if ((err = add(p, tok, st)))
			return err;
	}
	return 0;
}

static int add_sec(struct ub_policy *p, const char *s, struct ub_status *st)
{
	enum ub_sec sec = ub_sec_parse(s);
	char names[200];
	size_t i, n = 0;

	if (sec == UB_SEC_NONE) {
		for (i = 0; i < sizeof(sec_names) / sizeof(sec_names[0]); i++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", i ? ", " : "",
					      sec_names[i].name);
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s' is not a SEC type (one of: %s)", s,
			       names);
	}
	p->allowed_sec |= (unsigned)sec;
	return 0;
}

static int set_allowed_sec(struct ub_policy *p, const struct key *k, const char *v, bool cont,
			   struct ub_status *st)
{
	if (!cont)
		p->allowed_sec = 0; /* the list replaces the default one */
	return *v ? each_item(p, v, add_sec, st) : 0;
}

/* A ServerID, or ServerID@host: its accounts' server addresses at host
 * (the last '@' separates them; a host is letters, digits, '-' and '.'). */
static int add_server(struct ub_policy *p, const char *s, struct ub_status *st)
{
	const char *at = strrchr(s, '@');
	size_t n = at ? (size_t)(at - s) : strlen(s);

	if (p->nservers >= UB_POLICY_MAX_SERVERS)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s': more than %d servers", s,
			       UB_POLICY_MAX_SERVERS);
	if (n >= sizeof(p->servers[0]))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "'%.40s...': a ServerID longer than %zu bytes", s,
			       sizeof(p->servers[0]) - 1);
	if (at && (!n || !at[1] || strlen(at + 1) >= sizeof(p->server_hosts[0]) ||
		   strspn(at + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
				  "-.") != strlen(at + 1)))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "'%s' is not ServerID@host (a host name: letters, digits, '-', '.')",
			       s);
	snprintf(p->servers[p->nservers], sizeof(p->servers[0]), "%.*s", (int)n, s);
	snprintf(p->server_hosts[p->nservers++], sizeof(p->server_hosts[0]), "%s",
		 at ? at + 1 : "");
	return 0;
}

static int set_servers(struct ub_policy *p, const struct key *k, const char *v, bool cont,
		       struct ub_status *st)
{
	return *v ? each_item(p, v, add_server, st) : 0;
}

/* An LwM2M Server URI as a Security Instance holds it (Core E.1 resource
 * 0: "coaps://host:port", "coap+tcp://...", "sms://..."): a scheme, "://",
 * printable ASCII without spaces. */
static int add_lwm2m_server(struct ub_policy *p, const char *s, struct ub_status *st)
{
	const char *sep = strstr(s, "://");
	size_t i, n = strlen(s);

	if (p->nlwm2m_servers >= UB_POLICY_MAX_SERVERS)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s': more than %d servers", s,
			       UB_POLICY_MAX_SERVERS);
	if (n >= sizeof(p->lwm2m_servers[0]))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "'%.40s...': a URI longer than %zu bytes", s,
			       sizeof(p->lwm2m_servers[0]) - 1);
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] >= 0x7F)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "'%s': a URI is printable ASCII without spaces", s);
	if (!sep || sep == s || !sep[3])
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "'%s' is not a server URI (scheme://host:port)", s);
	memcpy(p->lwm2m_servers[p->nlwm2m_servers++], s, n + 1);
	return 0;
}

static int set_lwm2m_servers(struct ub_policy *p, const struct key *k, const char *v, bool cont,
			     struct ub_status *st)
{
	return *v ? each_item(p, v, add_lwm2m_server, st) : 0;
}

static int set_naf_fqdn(struct ub_policy *p, const struct key *k, const char *v, bool cont,
			struct ub_status *st)
{
	size_t n = strlen(v);

	if (n >= sizeof(p->naf_fqdn) || strpbrk(v, " /:@"))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "'%s' is not an FQDN (no ' /:@', at most %zu bytes)", v,
			       sizeof(p->naf_fqdn) - 1);
	memcpy(p->naf_fqdn, v, n + 1);
	return 0;
}

static int set_modem_port(struct ub_policy *p, const struct key *k, const char *v, bool cont,
			  struct ub_status *st)
{
	size_t n = strlen(v);

	if (n >= sizeof(p->modem_port) || v[0] != '/' || strpbrk(v, " @"))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "'%s' is not a device path (/dev/..., at most %zu bytes)", v,
			       sizeof(p->modem_port) - 1);
	memcpy(p->modem_port, v, n + 1);
	return 0;
}

static int set_ua_id(struct ub_policy *p, const struct key *k, const char *v, bool cont,
		     struct ub_status *st)
{
	p->has_ua_id = *v != '\0';
	if (*v && (strlen(v) != 10 || ub_unhex(p->ua_id, 5, v) != 5))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s' is not 10 hex digits", v);
	return 0;
}

/* The GPI's byte layout (TS 33.223 5.3.5 was not available to us): the
 * gba-u codec parses it, so a bad one is said with this file's line. */
static int set_gpi_layout(struct ub_policy *p, const struct key *k, const char *v, bool cont,
			  struct ub_status *st)
{
	struct ub_gpi_layout l;
	struct ub_status why = {0};

	if (!*v) {
		p->gpi_layout[0] = '\0'; /* the default */
		return 0;
	}
	if (strlen(v) >= sizeof(p->gpi_layout) || ub_gpi_layout_parse(v, &l, &why))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "'%s': %s", v,
			       why.err ? why.what : "too long");
	memcpy(p->gpi_layout, v, strlen(v) + 1);
	return 0;
}

/* A secret: st never holds the value. */
static int set_pin1(struct ub_policy *p, const struct key *k, const char *v, bool cont,
		    struct ub_status *st)
{
	size_t n = strlen(v);

	if (n && (n < 4 || n > 8 || strspn(v, "0123456789") != n))
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "%s", k->rule);
	memcpy(p->pin1, v, n + 1);
	return 0;
}

#define F(f) offsetof(struct ub_policy, f), sizeof(((struct ub_policy *)0)->f)
#define CHOICE(sec, name, f, ch)                               \
	{                                                      \
		sec, name, set_choice, F(f), ch, 0, 0, 0, NULL \
	}
#define YESNO(sec, name, f) CHOICE(sec, name, f, yes_no)
#define NUMBER(sec, name, f, lo, hi)                               \
	{                                                          \
		sec, name, set_number, F(f), NULL, lo, hi, 0, NULL \
	}
#define CUSTOM(sec, name, fn, flags, rule)                   \
	{                                                    \
		sec, name, fn, 0, 0, NULL, 0, 0, flags, rule \
	}

static const struct choice netid_keys[] = {
	{"semi-octet", UB_NETID_SEMI_OCTET}, {"ascii", UB_NETID_ASCII}, {NULL, 0}};
static const struct choice replace_card[] = {
	{"gba", UB_REPLACE_GBA}, {"no", UB_REPLACE_NO}, {"yes", UB_REPLACE_YES}, {NULL, 0}};
static const struct choice card_replace[] = {{"cards", UB_CARD_REPLACE_CARDS},
					     {"same_server", UB_CARD_REPLACE_SAME_SERVER},
					     {"yes", UB_CARD_REPLACE_YES},
					     {NULL, 0}};
static const struct choice account_conflicts[] = {
	{"replace", UB_CONFLICT_REPLACE}, {"reject", UB_CONFLICT_REJECT}, {NULL, 0}};
static const struct choice connmo_conflicts[] = {
	{"rename", UB_CONFLICT_RENAME}, {"reject", UB_CONFLICT_REJECT}, {NULL, 0}};
static const struct choice prefer[] = {{"isim", 1}, {"usim", 0}, {NULL, 0}};
static const struct choice naf_bindings[] = {
	{"host", UB_NAF_HOST}, {"server_id", UB_NAF_SERVER_ID}, {"both", UB_NAF_BOTH}, {NULL, 0}};

/* Every key of uiccboot-policy(5); a new key is a row here. */
static const struct key keys[] = {
	YESNO("smartcard", "enabled", smartcard_enabled),
	YESNO("smartcard", "logical_channel", logical_channel),
	YESNO("smartcard", "remove_stale", remove_stale),
	YESNO("smartcard", "remove_absent", remove_absent),
	CHOICE("smartcard", "replace_accounts", card_replace, card_replace),
	YESNO("push", "enabled", push_enabled),
	CUSTOM("push", "allowed_sec", set_allowed_sec, K_LIST, NULL),
	/* a PIN is 4-8 digits on a handset; USERPINMAC's are longer */
	NUMBER("push", "user_pin_min", user_pin_min, 1, 32),
	CHOICE("push", "replace_card_accounts", replace_card_accounts, replace_card),
	NUMBER("push", "replay_memory", push_memory, 64, 1000000),
	CHOICE("push", "networkid_key", networkid_key, netid_keys),
	YESNO("push", "connectivity_only", push_connectivity_only),
	CUSTOM("servers", "allow", set_servers, K_LIST | K_REPEAT, NULL),
	CHOICE("conflicts", "account", account, account_conflicts),
	CHOICE("conflicts", "connmo", connmo, connmo_conflicts),
	CHOICE("gba", "prefer", prefer_isim, prefer),
	YESNO("gba", "allow_gba_me", allow_gba_me),
	CUSTOM("gba", "naf_fqdn", set_naf_fqdn, 0, NULL),
	CHOICE("gba", "naf_binding", naf_binding, naf_bindings),
	NUMBER("gba", "push_derivations_per_hour", naf_per_hour, 1, 3600),
	CUSTOM("gba", "ua_id", set_ua_id, 0, NULL),
	CUSTOM("gba", "gpi_layout", set_gpi_layout, 0, NULL),
	YESNO("lwm2m", "enabled", lwm2m_enabled),
	CUSTOM("lwm2m", "servers", set_lwm2m_servers, K_LIST | K_REPEAT, NULL),
	NUMBER("sms", "expiry", sms.expiry, 1, 30 * 86400ul),
	NUMBER("sms", "max_parts", sms.max_parts, 1, 255), /* one octet counts the parts */
	NUMBER("sms", "max_messages", sms.max_messages, 1, 1000000),
	NUMBER("sms", "max_bytes", sms.max_bytes, 176, 1ul << 30), /* at least one TPDU */
	NUMBER("sms", "pin_attempts", sms.pin_attempts, 1, 10),
	NUMBER("sms", "user_pin_failures", sms.user_pin_failures, 1, 100),
	NUMBER("sms", "max_pending_per_sender", sms.max_pending_per_sender, 1, 1000000),
	CUSTOM("pin", "pin1", set_pin1, K_SECRET, "must be 4 to 8 digits"),
	CUSTOM("modem", "port", set_modem_port, 0, NULL),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

_Static_assert(sizeof(((struct ub_policy *)0)->gpi_layout) == UB_GPI_LAYOUT_MAX + 1,
	       "[gba] gpi_layout holds any layout ub_gpi_layout_parse takes");

_Static_assert(sizeof(enum ub_conflict) == sizeof(int) &&
		       sizeof(enum ub_naf_binding) == sizeof(int) &&
		       sizeof(enum ub_card_replace) == sizeof(int),
	       "set_choice writes an enum as an int");

/* libinih's reader, counting lines: the handler learns the line and
 * whether it continues the key of the line before (leading white space),
 * and a line longer than libinih's buffer is said, not cut in two. */
struct src {
	FILE *fp;
	int line;
	bool indented, too_long;
};

static char *read_line(char *str, int num, void *stream)
{
	struct src *s = stream;
	size_t n;

	if (!fgets(str, num, s->fp))
		return NULL;
	s->line++;
	n = strlen(str);
	if (n == (size_t)num - 1 && str[n - 1] != '\n' && !feof(s->fp)) {
		s->too_long = true;
		return NULL; /* the parse ends here */
	}
	s->indented = str[0] == ' ' || str[0] == '\t';
	return str;
}

struct load {
	struct ub_policy *p;
	struct src *src;
	struct ub_status what;	/* the first error: "[section] key: what" */
	int first[NKEYS];	/* the line each key was first given on */
	const struct key *last; /* the key of the line before */
	bool has_pin;		/* the file names [pin] pin1 */
};

static void section_keys(const char *section, char *out, size_t max)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < NKEYS && n < max; i++)
		if (!strcmp(keys[i].section, section))
			n += (size_t)snprintf(out + n, max - n, "%s%s", n ? ", " : "",
					      keys[i].name);
}

/* The first error is the one libinih reports the line of (it reads on). */
static int fail_key(struct load *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_key(struct load *l, const char *fmt, ...)
{
	va_list ap;

	if (l->what.err)
		return 0;
	l->what.err = UB_E_CONFIG;
	va_start(ap, fmt);
	vsnprintf(l->what.what, sizeof(l->what.what), fmt, ap);
	va_end(ap);
	return 0;
}

static int on_key(void *user, const char *section, const char *k, const char *v)
{
	struct load *l = user;
	const struct key *key = NULL;
	struct ub_status why = {0};
	char names[300];
	bool cont;
	size_t i;

	for (i = 0; i < NKEYS && !key; i++)
		if (!strcmp(section, keys[i].section) && !strcmp(k, keys[i].name))
			key = &keys[i];
	if (!key) {
		section_keys(section, names, sizeof(names));
		if (names[0])
			return fail_key(l, "[%s] %s: unknown key (those of [%s]: %s)", section, k,
					section, names);
		return fail_key(l, "[%s] %s: unknown key (no section [%s])", section, k, section);
	}
	i = (size_t)(key - keys);
	/* libinih calls again for a line that continues the key's value */
	cont = l->src->indented && l->last == key;
	if (cont && !(key->flags & K_LIST))
		return fail_key(l, "[%s] %s: an indented line goes on a value that is not a list",
				section, k);
	/* a security policy where the last line of two wins silently is
	 * one that says two things */
	if (l->first[i] && !cont && !(key->flags & K_REPEAT))
		return fail_key(l, "[%s] %s: given twice (first on line %d)", section, k,
				l->first[i]);
	if (!l->first[i])
		l->first[i] = l->src->line;
	l->last = key;
	if (key->set(l->p, key, v, cont, &why)) {
		if (key->flags & K_SECRET)
			return fail_key(l, "[%s] %s: bad value (%s; a secret, not shown)", section,
					k, key->rule);
		return fail_key(l, "[%s] %s: bad value: %s", section, k, why.what);
	}
	if (!strcmp(section, "pin") && *v)
		l->has_pin = true;
	return 1;
}

/* The file itself, before it is read: a regular file that nobody but its
 * owner may change, owned by root or by us (a policy others can write
 * decides what they may bootstrap; sshd's StrictModes in the same
 * spirit).  Holding [pin] pin1, nobody else may read it either. */
static int file_rules(int fd, const char *path, bool has_pin, struct ub_status *status)
{
	struct stat st;

	if (fstat(fd, &st))
		return ub_fail(status, UB_E_CONFIG, 0, path, "%s: %s", path, strerror(errno));
	/* /dev/null: always empty, the built-in defaults (as ssh -F /dev/null) */
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3)
		return 0;
	if (!S_ISREG(st.st_mode))
		return ub_fail(status, UB_E_CONFIG, 0, path, "%s: not a regular file (%s)", path,
			       S_ISDIR(st.st_mode) ? "a directory" : "a device, FIFO or socket");
	if (st.st_mode & 022)
		return ub_fail(
			status, UB_E_POLICY, 0, path,
			"%s: group or others may write it (mode %04o): make it 0644 or stricter",
			path, (unsigned)(st.st_mode & 07777));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return ub_fail(status, UB_E_POLICY, 0, path,
			       "%s: owned by uid %u, neither root nor us (uid %u): refusing a "
			       "policy another user may change",
			       path, (unsigned)st.st_uid, (unsigned)geteuid());
	/* the PIN is a secret: nobody else may read the file holding it */
	if (has_pin && (st.st_mode & 077))
		return ub_fail(
			status, UB_E_POLICY, 0, path,
			"%s holds [pin] pin1 and others may read it (mode %04o): make it 0600",
			path, (unsigned)(st.st_mode & 07777));
	return 0;
}

int ub_policy_load(struct ub_policy *p, const char *path, bool must_exist, struct ub_status *st)
{
	struct src src = {NULL, 0, false, false};
	struct load *l = calloc(1, sizeof(*l));
	int line, rc;

	ub_policy_defaults(p);
	if (!l)
		return ub_fail(st, UB_E_NOMEM, 0, path, "%s: out of memory", path);
	src.fp = fopen(path, "r");
	if (!src.fp) {
		free(l);
		if (errno == ENOENT && !must_exist)
			return 0; /* built-in defaults */
		/* named on the command line, or there and unreadable: the
		 * configuration is wrong (only the default's absence means the
		 * built-in defaults) */
		return ub_fail(st, UB_E_CONFIG, 0, path, "%s: %s", path, strerror(errno));
	}
	if ((rc = file_rules(fileno(src.fp), path, false, st)))
		goto end;
	*l = (struct load){.p = p, .src = &src};
	line = ini_parse_stream(read_line, &src, on_key, l);
	if (src.too_long) {
		rc = ub_fail(st, UB_E_CONFIG, 0, NULL,
			     "%s:%d: line longer than libinih's %d bytes; a list may go on several "
			     "lines of the same key",
			     path, src.line + 1, INI_MAX_LINE - 2);
		ub_status_at(st, "%s:%d", path, src.line + 1);
	} else if (line) {
		rc = ub_fail(st, UB_E_CONFIG, 0, NULL, "%s:%d: %s", path, line,
			     l->what.err ? l->what.what : "syntax error");
		ub_status_at(st, "%s:%d", path, line);
	} else if (ferror(src.fp)) {
		rc = ub_fail(st, UB_E_CONFIG, 0, path, "%s: %s", path, strerror(errno));
	} else {
		rc = file_rules(fileno(src.fp), path, l->has_pin, st);
	}
end:
	if (rc)
		ub_policy_defaults(p); /* nothing half-loaded */
	fclose(src.fp);
	OPENSSL_cleanse(l, sizeof(*l));
	free(l);
	return rc;
}

const char *ub_policy_modem(const struct ub_policy *p, char *buf, size_t n)
{
	if (!p || !p->modem_port[0] || (size_t)snprintf(buf, n, "at:%s", p->modem_port) >= n)
		return NULL;
	return buf;
}

const char *ub_policy_gpi_layout(const struct ub_policy *p)
{
	return p && p->gpi_layout[0] ? p->gpi_layout : UB_GPI_LAYOUT_DEFAULT;
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

bool ub_policy_server_pinned(const struct ub_policy *p, const char *server_id)
{
	int i;

	for (i = 0; i < p->nservers; i++)
		if (p->server_hosts[i][0] && !strcmp(p->servers[i], server_id))
			return true;
	return false;
}

bool ub_policy_host_allowed(const struct ub_policy *p, const char *server_id, const char *host)
{
	int i;

	if (!ub_policy_server_pinned(p, server_id))
		return true;
	for (i = 0; i < p->nservers; i++)
		if (p->server_hosts[i][0] && !strcmp(p->servers[i], server_id) &&
		    !strcasecmp(p->server_hosts[i], host))
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
	int rc;

	*out = NULL;
	if (!p)
		return ub_fail(st, UB_E_NOMEM, 0, "policy", NULL);
	rc = ub_policy_load(p, path ? path : UB_POLICY_DEFAULT, path != NULL, st);
	if (rc) {
		ub_policy_close(p);
		/* "file:line: [section] key: what" or "file: what", where
		 * file:line or file */
		ub_status_pre(st, "policy ");
		return rc;
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
