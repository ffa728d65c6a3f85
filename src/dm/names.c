/* OMA DM names, secret leaves, Format values, the ACL grammar and URI
 * bounds: decided here once (see dm_names.h). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dm_names.h"
#include "ub_error.h"
#include "ub_lwm2m.h"

static const struct ub_dm_layout layouts[] = {
	{UB_DM12, "DM 1.2", "./DMAcc", "ServerID", "./ConnMO"},
	{UB_DM11, "DM 1.1", "./SyncML/DMAcc", "ServerId", "./SyncML/Con"},
};

const struct ub_dm_layout *ub_dm_layout(enum ub_dm_version v)
{
	return &layouts[v == UB_DM11];
}

bool ub_uri_under(const char *u, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(u, root, n) && (u[n] == '\0' || u[n] == '/');
}

static bool strictly_under(const char *u, const char *root)
{
	size_t n = strlen(root);

	return !strncmp(u, root, n) && u[n] == '/' && u[n + 1];
}

const struct ub_dm_layout *ub_dm_layout_of(const char *uri, bool *is_account)
{
	size_t i;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		if (strictly_under(uri, layouts[i].accounts) ||
		    strictly_under(uri, layouts[i].connmos)) {
			*is_account = strictly_under(uri, layouts[i].accounts);
			return &layouts[i];
		}
	}
	return NULL;
}

bool ub_dm_is_server_id_leaf(const char *uri)
{
	const struct ub_dm_layout *l;
	bool account = false;
	const char *name;
	size_t n;

	if (!(l = ub_dm_layout_of(uri, &account)) || !account)
		return false;
	name = uri + strlen(l->accounts) + 1;
	n = strcspn(name, "/");
	return name[n] == '/' && !strcasecmp(name + n + 1, l->server_leaf);
}

bool ub_dm_is_address(const struct ub_dm_layout *l, const char *rel)
{
	size_t n;

	if (l->version == UB_DM11)
		return !strcmp(rel, "Addr");
	if (strncmp(rel, "AppAddr/", 8))
		return false;
	n = strcspn(rel + 8, "/");
	return n && !strcmp(rel + 8 + n, "/Addr");
}

bool ub_dm_is_container(const char *uri)
{
	static const char *const c[] = {".",	    "./DMAcc",	      "./ConnMO",
					"./SyncML", "./SyncML/DMAcc", "./SyncML/Con"};

	struct ub_lwm2m_path p;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (!strcmp(uri, c[i]))
			return true;
	/* ./LwM2M and ./LwM2M/<Object>: every card's Instances side by side */
	return !ub_lwm2m_uri_parse(uri, &p) && p.depth <= 1;
}

bool ub_dm_is_device_object(const char *uri)
{
	return ub_uri_under(uri, "./DevInfo") || ub_uri_under(uri, "./DevDetail") ||
	       ub_uri_under(uri, "./Inbox");
}

const char *ub_uri_name(const char *uri)
{
	const char *s = strrchr(uri, '/');

	return s ? s + 1 : uri;
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcasecmp(s + n - k, suffix);
}

bool ub_dm_is_secret(const char *uri)
{
	/* DMAcc AppAuth (StdObj): AAuthSecret, AAuthData; DM 1.1: ClientPW,
	 * ServerPW, ClientNonce, ServerNonce; ConnMO: NAP/AuthInfo/AuthSecret,
	 * NAP/Auth/<y>/Secret, PX/Auth/<z>/Secret, and vendor passwords */
	static const char *const suffix[] = {"Secret", "PW", "Password", "Nonce"};
	const char *name = ub_uri_name(uri);
	struct ub_lwm2m_path p;
	size_t i;

	/* LwM2M resources: the one table of src/lwm2m/ (keys, PSK identities) */
	if (!ub_lwm2m_uri_parse(uri, &p) && p.depth >= 3)
		return ub_lwm2m_is_secret(p.obj, p.res);
	if (!strcasecmp(name, "AAuthData"))
		return true;
	for (i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++)
		if (ends_with_ci(name, suffix[i]))
			return true;
	return false;
}

bool ub_dm_format_ok(const char *format)
{
	static const char *const f[] = {"b64",	"bin", "bool", "chr",  "int",  "node",
					"null", "xml", "date", "time", "float"};
	size_t i;

	for (i = 0; format && i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(format, f[i]))
			return true;
	return false;
}

static bool id_char(char c)
{
	return c > 0x20 && c < 0x7F && !strchr("=&*+", c);
}

bool ub_dm_server_id_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;

	if (!n || n > UB_SERVER_ID_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!id_char(s[i]))
			return false;
	return true;
}

int ub_acl_walk(const char *acl,
		int (*cb)(const char *cmd, size_t cl, const char *id, size_t il, void *arg),
		void *arg)
{
	const char *e = acl, *end, *eq, *id;
	size_t n;
	int r;

	if (strlen(acl) > UB_ACL_MAX)
		return UB_E_BAD_DATA;
	while (*e) {
		end = e + strcspn(e, "&");
		eq = memchr(e, '=', (size_t)(end - e));
		if (!eq || eq == e)
			return UB_E_BAD_DATA;
		for (id = eq + 1;; id += n + 1) {
			n = strcspn(id, "+&");
			if (!n || id + n > end)
				return UB_E_BAD_DATA; /* "Get=", "a++b", "Get=a+" */
			if ((r = cb(e, (size_t)(eq - e), id, n, arg)))
				return r;
			if (id[n] != '+')
				break;
		}
		if (!*end)
			break;
		if (!end[1])
			return UB_E_BAD_DATA; /* a trailing '&' */
		e = end + 1;
	}
	return 0;
}

/* ub_acl_walk's callback of ub_dm_acl_ok: DM's commands, server names */
static int acl_entry_ok(const char *cmd, size_t cl, const char *id, size_t il, void *arg)
{
	static const char *const cmds[] = {"Add", "Delete", "Exec", "Get", "Replace"};
	size_t i;

	(void)arg;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cl == strlen(cmds[i]) && !strncmp(cmd, cmds[i], cl))
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		return UB_E_BAD_DATA;
	if (il == 1 && *id == '*')
		return 0;
	for (i = 0; i < il; i++)
		if (!id_char(id[i]))
			return UB_E_BAD_DATA;
	return 0;
}

bool ub_dm_acl_ok(const char *acl)
{
	return ub_acl_walk(acl, acl_entry_ok, NULL) == 0;
}

int ub_dm_owner_acl(const char *s, char *out, size_t max)
{
	int n = snprintf(out, max, "Get=%s&Replace=%s&Delete=%s", s, s, s);

	return n < 0 || (size_t)n >= max ? UB_E_BAD_DATA : 0;
}

int ub_uri_check(const char *u, struct ub_status *st)
{
	size_t n = strlen(u), seg, segments = 0;
	const char *s;

	if (n > UB_URI_MAX)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "URI longer than 1024 bytes");
	if (!strcmp(u, "."))
		return 0;
	if (n < 3 || strncmp(u, "./", 2) || u[n - 1] == '/')
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "URI is not ./<name>[/<name>...]");
	for (s = u + 2; *s; s += seg + (s[seg] == '/')) {
		seg = strcspn(s, "/");
		if (!seg || (seg == 1 && s[0] == '.') || (seg == 2 && !strncmp(s, "..", 2)))
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "URI with an empty, '.' or '..' segment");
		/* "a " and "a" look alike in a listing, and XML readers trim
		 * a TNDS NodeName: the export would come back as another node */
		if (s[0] == ' ' || s[seg - 1] == ' ')
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
				       "URI segment that starts or ends with a space");
		if (++segments > UB_URI_SEGMENTS_MAX)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "URI deeper than 32 segments");
	}
	for (s = u; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "control character in a URI");
	return 0;
}

/* out = "./" + rel (rel may start with "./"), its segments resolved when
 * lenient: empty and "." segments dropped, ".." taking the one before
 * it.  0, or 1 when the result does not fit. */
static int join_canon(const char *in, char *out, size_t max, bool lenient, bool *escapes)
{
	const char *s = !strncmp(in, "./", 2) ? in + 2 : in;
	size_t n = 1, seg;

	*escapes = false;
	if (max < 2)
		return 1;
	out[0] = '.';
	out[1] = '\0';
	if (!lenient) {
		if (snprintf(out, max, "./%s", s) >= (int)max)
			return 1;
		return 0;
	}
	for (; *s; s += seg + (s[seg] == '/')) {
		seg = strcspn(s, "/");
		if (!seg || (seg == 1 && s[0] == '.'))
			continue;
		if (seg == 2 && !strncmp(s, "..", 2)) {
			if (n == 1) {
				*escapes = true; /* above the root: names no node */
				return 0;
			}
			while (out[n - 1] != '/')
				n--;
			out[--n] = '\0';
			continue;
		}
		if (n + 1 + seg + 1 > max)
			return 1;
		out[n++] = '/';
		memcpy(out + n, s, seg);
		n += seg;
		out[n] = '\0';
	}
	return 0;
}

int ub_uri_canon(const char *in, char *out, size_t max, bool lenient, struct ub_status *st)
{
	bool escapes;

	/* OMA-TS-DM_TND 1.2 clause 5: "./DMAcc/x" and "DMAcc/x" name one
	 * node; "/DMAcc/x" is neither form */
	if (!strcmp(in, ".") || (lenient && !strcmp(in, "./"))) {
		snprintf(out, max, ".");
		return 0;
	}
	if (!*in || *in == '/')
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "URI is not ./<name>[/<name>...] or <name>[/<name>...]");
	if (join_canon(in, out, max, lenient, &escapes) || strlen(out) > UB_URI_MAX)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL, "URI longer than 1024 bytes");
	if (escapes)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "URI whose '..' segments go above the root");
	return ub_uri_check(out, st);
}

bool ub_dm_names_node(const char *value)
{
	size_t i, n;
	const char *top;

	if (!strncmp(value, "./", 2))
		return true;
	/* a relative URI into a container of DM accounts or connectivity MOs:
	 * "ConnMO/x", "DMAcc/x", "SyncML/Con/x" */
	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		top = layouts[i].accounts + 2;
		n = strcspn(top, "/");
		if (!strncmp(value, top, n) && value[n] == '/')
			return true;
		top = layouts[i].connmos + 2;
		n = strcspn(top, "/");
		if (!strncmp(value, top, n) && value[n] == '/')
			return true;
	}
	return false;
}

bool ub_dm_is_reference(const char *uri, const char *value)
{
	/* OMA-TS-DM_StdObj 1.2: DMAcc PrefConRef and ToConRef/<x>/ConRef;
	 * DM 1.1.2 DMAcc ConRef; the ConnMO's ToConRef/<x>/ConRef; and CP's
	 * TO-NAPID, which cp.c maps to a PX/ToConRef leaf */
	static const char *const leaves[] = {"PrefConRef", "ConRef", "ToConRef"};
	const char *name = ub_uri_name(uri);
	size_t i;

	/* a secret is a value and a ServerID a name, whatever they look
	 * like; an LwM2M resource is typed data */
	if (!value || !*value || ub_dm_is_secret(uri) || ub_dm_is_server_id_leaf(uri) ||
	    ub_lwm2m_uri_under(uri))
		return false;
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		if (!strcasecmp(name, leaves[i]))
			return true;
	return ub_dm_names_node(value);
}

bool ub_dm_text_ok(const char *s)
{
	return ub_dm_textn_ok(s, strlen(s));
}

bool ub_dm_textn_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	unsigned cp;
	int k, i;

	while (p < end) {
		if (*p < 0x80) {
			if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
				return false;
			p++;
			continue;
		}
		/* UTF-8 (RFC 3629): no overlong forms, no surrogates, <= U+10FFFF */
		if ((*p & 0xE0) == 0xC0)
			k = 1, cp = *p & 0x1F;
		else if ((*p & 0xF0) == 0xE0)
			k = 2, cp = *p & 0x0F;
		else if ((*p & 0xF8) == 0xF0)
			k = 3, cp = *p & 0x07;
		else
			return false;
		if (end - p <= k)
			return false;
		for (i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)
			return false;
		p += k + 1;
	}
	return true;
}

/* --- ./LwM2M URIs (dm_names.h) --- */

bool ub_lwm2m_uri_under(const char *uri)
{
	return ub_uri_under(uri, UB_LWM2M_TREE);
}

/* A decimal ID of at most max at *s, up to '/' or the end. */
static int id_at(const char **s, unsigned long max, uint16_t *out)
{
	const char *p = *s;
	unsigned long v = 0;
	size_t n = 0;

	while (p[n] >= '0' && p[n] <= '9') {
		v = v * 10 + (unsigned long)(p[n] - '0');
		if (++n > 5 || v > max)
			return UB_E_BAD_DATA;
	}
	if (!n || (n > 1 && p[0] == '0') || (p[n] && p[n] != '/'))
		return UB_E_BAD_DATA;
	*out = (uint16_t)v;
	*s = p + n + (p[n] == '/');
	return p[n] == '/' && !p[n + 1] ? UB_E_BAD_DATA : 0; /* no trailing '/' */
}

int ub_lwm2m_uri_parse(const char *uri, struct ub_lwm2m_path *p)
{
	uint16_t *ids[4] = {&p->obj, &p->inst, &p->res, &p->ri};
	const size_t n = strlen(UB_LWM2M_TREE);
	const char *s;

	memset(p, 0, sizeof(*p));
	if (strncmp(uri, UB_LWM2M_TREE, n) || (uri[n] && uri[n] != '/'))
		return UB_E_BAD_DATA;
	for (s = uri + n + (uri[n] == '/'); *s; p->depth++) {
		if (p->depth == 4 ||
		    id_at(&s, p->depth == 1 ? UB_LWM2M_MAX_ID - 1 : UB_LWM2M_MAX_ID, ids[p->depth]))
			return UB_E_BAD_DATA;
	}
	return uri[n] == '/' && !p->depth ? UB_E_BAD_DATA : 0;
}

int ub_uri_host(const char *uri, char *out, size_t max)
{
	const char *p = uri, *e, *port;
	size_t n, i;

	/* scheme ":" "//" authority (RFC 3986 3.1, 3.2), or a bare host */
	if (isalpha((unsigned char)*p)) {
		for (p++; isalnum((unsigned char)*p) || (*p && strchr("+-.", *p)); p++)
			;
		if (*p == ':' && p[1] == '/' && p[2] == '/')
			p += 3;
		else
			p = uri;
	}
	e = p + strcspn(p, "/?#");
	/* what a server address names must not depend on the reader: userinfo
	 * ("evil:x@victim", deprecated by RFC 3986 3.2.1) and a backslash
	 * (a "/" to WHATWG URL parsers) are refused, not interpreted */
	for (i = 0; uri[i]; i++)
		if (uri[i] == '\\' || uri[i] == '@' || (unsigned char)uri[i] <= ' ' ||
		    uri[i] == 0x7F)
			return UB_E_BAD_DATA;
	port = memchr(p, ':', (size_t)(e - p));
	n = (size_t)((port ? port : e) - p);
	if (!n || n >= max)
		return UB_E_BAD_DATA;
	for (i = 0; i < n; i++) /* a DNS name: letters, digits, '-', '.' (RFC 1123 2.1) */
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '.')
			return UB_E_BAD_DATA;
	if (port)
		for (port++; port < e; port++)
			if (!isdigit((unsigned char)*port))
				return UB_E_BAD_DATA;
	memcpy(out, p, n);
	out[n] = '\0';
	return 0;
}
