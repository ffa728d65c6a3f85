/* Bootstrap document -> plan of node operations (R-BOOT 2).
 *   DM 1.2 / 1.1: SyncML Add (or Replace) Items, plain or TNDS
 *   (spec/oma-dm.md 2); CP PROV 1.0: APPLICATION APPID=w7 -> DMAcc
 *   (spec/oma-dm.md 3.3), NAPDEF / PXLOGICAL -> ./ConnMO/<id>. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>

#include "ub_error.h"
#include "ub_plan.h"
#include "xdoc.h"

#define INBOX_MAX 16

struct build {
	struct ub_plan *plan;
	size_t cap;
	char *err;
	size_t errlen;
	bool import; /* tree import: top-level Paths place nodes */
	/* ./Inbox/<name> -> final base URI, for reference values */
	char inbox_from[INBOX_MAX][128], inbox_to[INBOX_MAX][UB_URI_MAX + 1];
	int ninbox;
};

static int failf(struct build *b, const char *what, const char *arg)
{
	if (!b->err[0])
		snprintf(b->err, b->errlen, "%s%s%s", what, arg ? ": " : "", arg ? arg : "");
	return UB_E_BAD_DATA;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int add(struct build *b, const char *uri, const char *format, const char *type,
	       const char *value, const char *acl)
{
	struct ub_plan *p = b->plan;
	struct ub_plan_node *n;
	char why[80];
	size_t i;

	/* the node's properties are checked by the account model, which
	 * every plan goes through */
	if (ub_uri_check(uri, why, sizeof(why)) || !strcmp(uri, "."))
		return failf(b, strcmp(uri, ".") ? why : "the root is not a node to write", uri);
	if (!format)
		format = value ? "chr" : "node";
	for (i = 0; i < p->nnodes; i++)
		if (!strcmp(p->nodes[i].uri, uri))
			return failf(b, "node given twice", uri);
	if (p->nnodes >= UB_NODES_MAX)
		return failf(b, "more than 4096 nodes", NULL);
	if (p->nnodes == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct ub_plan_node *x = realloc(p->nodes, cap * sizeof(*x));

		if (!x)
			return UB_E_NOMEM;
		p->nodes = x;
		b->cap = cap;
	}
	n = &p->nodes[p->nnodes];
	memset(n, 0, sizeof(*n));
	n->mo = -1;
	n->uri = strdup(uri);
	n->format = strdup(format);
	n->type = dup_or_null(type);
	n->value = dup_or_null(value);
	n->acl = dup_or_null(acl);
	if (!n->uri || !n->format || (type && !n->type) || (value && !n->value) ||
	    (acl && !n->acl)) {
		free(n->uri), free(n->format), free(n->type), free(n->value), free(n->acl);
		return UB_E_NOMEM;
	}
	p->nnodes++;
	return 0;
}

static int join(struct build *b, char *out, const char *base, const char *name)
{
	int w = snprintf(out, UB_URI_MAX + 1, "%s/%s", base, name);

	if (w < 0 || w > UB_URI_MAX)
		return failf(b, "URI longer than 1024 bytes", base);
	return 0;
}

/* --- TNDS (DM-TNDS; spec/oma-dm.md 2.1) --- */

static const char *rt_format(struct xnode *rt)
{
	struct xnode *f = xdoc_child(rt, "Format");

	return f && f->child ? f->child->name : NULL;
}

static const char *rt_type(struct xnode *rt)
{
	struct xnode *t = xdoc_child(rt, "Type");
	const char *s;

	if (!t)
		return NULL;
	s = xdoc_child_text(t, "MIME");
	return s ? s : xdoc_child_text(t, "DDFName");
}

/* A TNDS Node under parent.  DM-TNDS 1.2: a node's URI is its ancestors'
 * NodeNames joined; Path, when given, is the parent's URI, which only a
 * node directly under MgmtTree may state (in a tree import it places the
 * node; in a bootstrap it must agree with the Item's Target).  A Path
 * below the top that disagrees with the ancestors would move nodes out of
 * the bootstrap's root: refused. */
static int tnds_node(struct build *b, struct xnode *node, const char *parent, bool top)
{
	struct xnode *rt = xdoc_child(node, "RTProperties"), *k;
	const char *name = xdoc_child_text(node, "NodeName"), *path = xdoc_child_text(node, "Path");
	const char *format = rt ? rt_format(rt) : NULL, *type = rt ? rt_type(rt) : NULL;
	const char *acl = rt ? xdoc_child_text(rt, "ACL") : NULL;
	struct xnode *val = xdoc_child(node, "Value");
	char uri[UB_URI_MAX + 1];
	bool kids = xdoc_child(node, "Node") != NULL;
	int err;

	if (type && !*type)
		type = NULL; /* <DDFName/>: none */
	if (!name || !*name || strchr(name, '/'))
		return failf(b, "TNDS node without a usable NodeName under", parent);
	if (path && *path && strcmp(path, parent)) {
		if (!top || !b->import)
			return failf(b, "TNDS Path that is not where the node stands", path);
		parent = path;
	}
	if (kids && ((format && strcmp(format, "node")) || val))
		return failf(b, "TNDS node with children that is not interior", name);
	if (top && !strcmp(parent, "./Inbox")) {
		/* Inbox: the real location comes from the MO's DDF name (StdObj) */
		if (type && !strcmp(type, UB_DDF_DMACC))
			parent = "./DMAcc";
		else if (type && !strcmp(type, UB_DDF_CONNMO))
			parent = "./ConnMO";
		else
			return failf(b, "unsupported management object in ./Inbox", name);
		if (b->ninbox == INBOX_MAX || strlen(name) >= sizeof(b->inbox_from[0]))
			return failf(b, "more than 16 MOs, or a name longer than 127 bytes, in",
				     "./Inbox");
		snprintf(b->inbox_from[b->ninbox], sizeof(b->inbox_from[0]), "%s", name);
		snprintf(b->inbox_to[b->ninbox++], UB_URI_MAX + 1, "%s/%s", parent, name);
	}
	if ((err = join(b, uri, parent, name)))
		return err;
	if (format && !strcmp(format, "node") && val)
		return failf(b, "interior node with a value", uri);
	err = add(b, uri, kids && !format ? "node" : format, type, val ? val->text : NULL,
		  acl && *acl ? acl : NULL);
	for (k = node->child; !err && k; k = k->next)
		if (!strcmp(k->name, "Node"))
			err = tnds_node(b, k, uri, false);
	return err;
}

/* "./Inbox/X[/rest]" in a value -> X's final URI (DM-Boot 5.4.5). */
static int resolve_inbox_refs(struct build *b)
{
	struct ub_plan *p = b->plan;
	size_t i, n;
	int k;

	for (i = 0; i < p->nnodes; i++) {
		char *v = p->nodes[i].value, *nv;

		if (!v || strncmp(v, "./Inbox/", 8))
			continue;
		for (k = 0; k < b->ninbox; k++) {
			n = strlen(b->inbox_from[k]);
			if (strncmp(v + 8, b->inbox_from[k], n) || (v[8 + n] && v[8 + n] != '/'))
				continue;
			nv = malloc(strlen(b->inbox_to[k]) + strlen(v + 8 + n) + 1);
			if (!nv)
				return UB_E_NOMEM;
			sprintf(nv, "%s%s", b->inbox_to[k], v + 8 + n);
			free(v);
			p->nodes[i].value = nv;
			break;
		}
		if (k == b->ninbox)
			return failf(b, "reference to an MO not in this bootstrap", v);
	}
	return 0;
}

/* --- SyncML DM --- */

static int dm_item(struct build *b, struct xnode *item)
{
	struct xnode *meta = xdoc_child(item, "Meta"), *data = xdoc_child(item, "Data"), *tree, *k;
	const char *target = xdoc_child_text(xdoc_child(item, "Target"), "LocURI");
	const char *format = meta ? xdoc_child_text(meta, "Format") : NULL;
	const char *type = meta ? xdoc_child_text(meta, "Type") : NULL;
	int err = 0;

	if (!target)
		return failf(b, "Item without Target/LocURI", NULL);
	tree = data ? xdoc_child(data, "MgmtTree") : NULL;
	if (tree || (type && strstr(type, "dmtnds"))) {
		struct xnode *text_tree = NULL;
		char why[160];

		if (!tree && data && data->tlen) {
			/* XML TNDS carried as (escaped) text in Data */
			text_tree = xdoc_parse(data->text, data->tlen, UB_NODES_MAX, UB_DEPTH_MAX,
					       why, sizeof(why));
			if (!text_tree)
				return failf(b, "TNDS in Data", why);
			if (strcmp(text_tree->name, "MgmtTree")) {
				xdoc_free(text_tree);
				return failf(b, "TNDS in Data is not a MgmtTree", target);
			}
			tree = text_tree;
		}
		if (!tree)
			return failf(b, "TNDS item without a MgmtTree", target);
		for (k = tree->child; !err && k; k = k->next)
			if (!strcmp(k->name, "Node"))
				err = tnds_node(b, k, target, true);
		xdoc_free(text_tree);
		return err;
	}
	if (!strcmp(target, "./Inbox") || !strncmp(target, "./Inbox/", 8))
		return failf(b, "plain item into ./Inbox", target);
	return add(b, target, format, type, data ? data->text : NULL, NULL);
}

static int dm_doc(struct build *b, struct xnode *root)
{
	struct xnode *hdr = xdoc_child(root, "SyncHdr"), *body = xdoc_child(root, "SyncBody");
	struct xnode *cmd, *item;
	const char *proto = hdr ? xdoc_child_text(hdr, "VerProto") : NULL;
	const char *src = hdr ? xdoc_child_text(xdoc_child(hdr, "Source"), "LocURI") : NULL;
	int err = 0;

	if (!hdr || !body || !proto)
		return failf(b, "SyncML without SyncHdr/VerProto or SyncBody", NULL);
	if (!strcmp(proto, "DM/1.2"))
		b->plan->kind = UB_PLAN_DM12;
	else if (!strcmp(proto, "DM/1.1"))
		b->plan->kind = UB_PLAN_DM11;
	else
		return failf(b, "unsupported VerProto", proto);
	if (src)
		snprintf(b->plan->source, sizeof(b->plan->source), "%s", src);
	for (cmd = body->child; !err && cmd; cmd = cmd->next) {
		if (!strcmp(cmd->name, "Final"))
			continue;
		if (strcmp(cmd->name, "Add") && strcmp(cmd->name, "Replace"))
			return failf(b, "command not allowed in a bootstrap", cmd->name);
		for (item = cmd->child; !err && item; item = item->next)
			if (!strcmp(item->name, "Item"))
				err = dm_item(b, item);
	}
	return err ? err : resolve_inbox_refs(b);
}

/* --- OMA CP PROV 1.0 --- */

static const char *parm(struct xnode *ch, const char *name)
{
	struct xnode *k;

	for (k = ch->child; k; k = k->next)
		if (!strcmp(k->name, "parm") && xdoc_attr(k, "name") &&
		    !strcmp(xdoc_attr(k, "name"), name))
			return xdoc_attr(k, "value") ? xdoc_attr(k, "value") : "";
	return NULL;
}

static struct xnode *sub(struct xnode *ch, const char *type, struct xnode *after)
{
	struct xnode *k;

	for (k = after ? after->next : ch->child; k; k = k->next)
		if (!strcmp(k->name, "characteristic") && xdoc_attr(k, "type") &&
		    !strcmp(xdoc_attr(k, "type"), type))
			return k;
	return NULL;
}

/* A node name from an id: [A-Za-z0-9_.-], others become '_'. */
static void node_name(char *out, size_t max, const char *id)
{
	size_t i;

	for (i = 0; id[i] && i + 1 < max; i++)
		out[i] = (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
					 (id[i] >= '0' && id[i] <= '9') || strchr("_.-", id[i])
				 ? id[i]
				 : '_';
	out[i] = '\0';
}

static int leaf(struct build *b, const char *base, const char *rel, const char *v, const char *acl)
{
	char uri[UB_URI_MAX + 1];
	int err;

	if (!v)
		return 0;
	if ((err = join(b, uri, base, rel)))
		return err;
	return add(b, uri, "chr", "text/plain", v, acl);
}

static int cp_connmo(struct build *b, const char *id, struct xnode *ch, bool proxy)
{
	char base[UB_URI_MAX + 1], name[128], ref[UB_URI_MAX + 1];
	struct xnode *phys, *port;
	int err;

	node_name(name, sizeof(name), id);
	if (!*name)
		return failf(b, "NAPDEF/PXLOGICAL without an id", NULL);
	if ((err = join(b, base, "./ConnMO", name)))
		return err;
	if ((err = add(b, base, "node", UB_DDF_CONNMO, NULL, NULL)) ||
	    (err = leaf(b, base, "Name", parm(ch, "NAME"), NULL)))
		return err;
	if (!proxy) /* NAPDEF -> NAP/... (ConnMO node names UNCERTAIN, spec 3.4) */
		return leaf(b, base, "NAP/Addr", parm(ch, "NAP-ADDRESS"), NULL) ?:
		       leaf(b, base, "NAP/AddrType", parm(ch, "NAP-ADDRTYPE"), NULL) ?:
		       leaf(b, base, "NAP/Bearer", parm(ch, "BEARER"), NULL);
	phys = sub(ch, "PXPHYSICAL", NULL);
	if (!phys)
		return 0;
	port = sub(phys, "PORT", NULL);
	if ((err = leaf(b, base, "PX/Addr", parm(phys, "PXADDR"), NULL)) ||
	    (err = leaf(b, base, "PX/AddrType", parm(phys, "PXADDR-TYPE"), NULL)) ||
	    (err = leaf(b, base, "PX/PortNbr", port ? parm(port, "PORTNBR") : NULL, NULL)))
		return err;
	if (parm(phys, "TO-NAPID")) {
		node_name(name, sizeof(name), parm(phys, "TO-NAPID"));
		if ((err = join(b, ref, "./ConnMO", name)))
			return err;
		return leaf(b, base, "PX/ToConRef", ref, NULL);
	}
	return 0;
}

static int cp_w7(struct build *b, struct xnode *app)
{
	const char *sid = parm(app, "PROVIDER-ID"), *to = parm(app, "TO-PROXY");
	char base[UB_URI_MAX + 1], name[128], ref[UB_URI_MAX + 1], rel[64];
	struct xnode *aa = NULL, *addr = sub(app, "APPADDR", NULL), *port;
	int err, n = 0;

	if (!sid || !*sid)
		return failf(b, "w7 APPLICATION without PROVIDER-ID (the ServerID)", NULL);
	/* CP profile 5.3.4: Get, Replace and Delete for the w7 ServerID, given
	 * by apply to the account and what it refers to (the account model
	 * checks PROVIDER-ID as a ServerID) */
	node_name(name, sizeof(name), sid);
	if ((err = join(b, base, "./DMAcc", name)) ||
	    (err = add(b, base, "node", UB_DDF_DMACC, NULL, NULL)) ||
	    (err = leaf(b, base, "AppID", "w7", NULL)) ||
	    (err = leaf(b, base, "ServerID", sid, NULL)) ||
	    (err = leaf(b, base, "Name", parm(app, "NAME"), NULL)))
		return err;
	if (!to)
		to = parm(app, "TO-NAPID");
	if (to) {
		node_name(name, sizeof(name), to);
		if ((err = join(b, ref, "./ConnMO", name)) ||
		    (err = leaf(b, base, "PrefConRef", ref, NULL)))
			return err;
	}
	/* ADDR directly, or APPADDR/ADDR (INTEL-CP accepts both) */
	if ((err = leaf(b, base, "AppAddr/1/Addr", addr ? parm(addr, "ADDR") : parm(app, "ADDR"),
			NULL)) ||
	    (err = leaf(b, base, "AppAddr/1/AddrType",
			addr && parm(addr, "ADDRTYPE") ? parm(addr, "ADDRTYPE") : "URI", NULL)))
		return err;
	port = addr ? sub(addr, "PORT", NULL) : NULL;
	if (port && (err = leaf(b, base, "AppAddr/1/Port/1/PortNbr", parm(port, "PORTNBR"), NULL)))
		return err;
	while ((aa = sub(app, "APPAUTH", aa)) && !err) {
		const char *lvl = parm(aa, "AAUTHLEVEL");

		/* APPSRV -> CLCRED, CLIENT -> SRVCRED (StdObj appendix) */
		if (lvl && !strcmp(lvl, "APPSRV"))
			lvl = "CLCRED";
		else if (lvl && !strcmp(lvl, "CLIENT"))
			lvl = "SRVCRED";
		snprintf(rel, sizeof(rel), "AppAuth/%d/", ++n);
#define AUTHLEAF(k, v) (snprintf(name, sizeof(name), "%s%s", rel, k), leaf(b, base, name, v, NULL))
		err = AUTHLEAF("AAuthLevel", lvl) ?: AUTHLEAF("AAuthType", parm(aa, "AAUTHTYPE"))
			?: AUTHLEAF("AAuthName", parm(aa, "AAUTHNAME"))
			?: AUTHLEAF("AAuthSecret", parm(aa, "AAUTHSECRET"))
			?: AUTHLEAF("AAuthData", parm(aa, "AAUTHDATA"));
#undef AUTHLEAF
	}
	return err;
}

static int cp_doc(struct build *b, struct xnode *root)
{
	struct xnode *ch;
	const char *id, *appid, *type;
	int err = 0;

	b->plan->kind = UB_PLAN_CP;
	for (ch = root->child; !err && ch; ch = ch->next) {
		type = xdoc_attr(ch, "type");
		if (strcmp(ch->name, "characteristic") || !type)
			continue;
		if (!strcmp(type, "APPLICATION")) {
			appid = parm(ch, "APPID");
			if (appid && !strcmp(appid, "w7"))
				err = cp_w7(b, ch);
		} else if (!strcmp(type, "NAPDEF") || !strcmp(type, "PXLOGICAL")) {
			id = parm(ch, !strcmp(type, "NAPDEF") ? "NAPID" : "PROXY-ID");
			if (!id)
				return failf(b, "connectivity without an id", type);
			err = cp_connmo(b, id, ch, !strcmp(type, "PXLOGICAL"));
		}
	}
	/* the w7 accounts own the connectivity they refer to (CP profile
	 * 5.3.4); without a w7 application the document only brings
	 * connectivity, and no server gets rights on it */
	return err;
}

static void free_wiped(char *s)
{
	if (s)
		OPENSSL_cleanse(s, strlen(s));
	free(s);
}

void ub_plan_free(struct ub_plan *p)
{
	size_t i;

	for (i = 0; i < p->nnodes; i++) {
		free(p->nodes[i].uri);
		free(p->nodes[i].format);
		free(p->nodes[i].type);
		free_wiped(p->nodes[i].value);
		free(p->nodes[i].acl);
	}
	free(p->nodes);
	for (i = 0; i < p->nmos; i++)
		free(p->mos[i].root);
	free(p->mos);
	memset(p, 0, sizeof(*p));
}

int ub_plan_decode(const uint8_t *in, size_t n, bool card_padding, struct ub_plan *plan, char *err,
		   size_t errlen)
{
	struct build b = {.plan = plan, .err = err, .errlen = errlen};
	struct ub_wbxml_info info;
	WBXMLConvWBXML2XML *conv = NULL;
	WB_UTINY *xml = NULL;
	WB_ULONG xml_len = 0;
	struct xnode *root;
	char where[160];
	int rc;

	memset(plan, 0, sizeof(*plan));
	err[0] = '\0';
	if (card_padding)
		while (n && in[n - 1] == 0xFF)
			n--; /* card files: FF padding after the document */
	if (ub_wbxml_check(in, n, &info, where, sizeof(where))) {
		snprintf(err, errlen, "WBXML: %s", where);
		return UB_E_BAD_DATA;
	}
	if (info.public_id != UB_WBXML_SYNCML12 && info.public_id != UB_WBXML_SYNCML11 &&
	    info.public_id != UB_WBXML_PROV10) {
		snprintf(err, errlen, "WBXML public id 0x%X is neither SyncML 1.1/1.2 nor PROV 1.0",
			 (unsigned)info.public_id);
		return UB_E_NOT_SUPPORTED;
	}
	if (wbxml_conv_wbxml2xml_create(&conv) != WBXML_OK)
		return UB_E_NOMEM;
	wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
	wbxml_conv_wbxml2xml_enable_preserve_whitespaces(conv);
	rc = wbxml_conv_wbxml2xml_run(conv, (WB_UTINY *)in, (WB_ULONG)n, &xml, &xml_len);
	wbxml_conv_wbxml2xml_destroy(conv);
	if (rc != WBXML_OK || !xml) {
		snprintf(err, errlen, "libwbxml: %s", wbxml_errors_string((WBXMLError)rc));
		free(xml);
		return UB_E_BAD_DATA;
	}
	/* libwbxml's output is checked again: limits, well-formedness */
	root = xdoc_parse((const char *)xml, xml_len, 2 * UB_NODES_MAX, 2 * UB_DEPTH_MAX, where,
			  sizeof(where));
	OPENSSL_cleanse(xml, xml_len); /* it holds the document's secrets */
	free(xml);
	if (!root) {
		snprintf(err, errlen, "decoded document: %s", where);
		return UB_E_BAD_DATA;
	}
	if (info.public_id == UB_WBXML_PROV10 && !strcmp(root->name, "wap-provisioningdoc"))
		rc = cp_doc(&b, root);
	else if (info.public_id != UB_WBXML_PROV10 && !strcmp(root->name, "SyncML"))
		rc = dm_doc(&b, root);
	else
		rc = failf(&b, "root element does not match the public id", root->name);
	xdoc_free(root);
	if (!rc)
		rc = ub_plan_model(plan, UB_MODEL_BOOTSTRAP, err, errlen);
	if (rc)
		ub_plan_free(plan);
	return rc;
}

int ub_plan_from_tnds(const char *xml, size_t len, struct ub_plan *plan, char *err, size_t errlen)
{
	struct build b = {.plan = plan, .err = err, .errlen = errlen, .import = true};
	struct xnode *root, *k;
	char where[160];
	int rc = 0;

	memset(plan, 0, sizeof(*plan));
	err[0] = '\0';
	if (len > UB_DOC_MAX * 16) {
		snprintf(err, errlen, "TNDS document larger than %d bytes", UB_DOC_MAX * 16);
		return UB_E_BAD_DATA;
	}
	root = xdoc_parse(xml, len, UB_NODES_MAX * 12, UB_DEPTH_MAX * 2, where, sizeof(where));
	if (!root) {
		snprintf(err, errlen, "TNDS: %s", where);
		return UB_E_BAD_DATA;
	}
	plan->kind = UB_PLAN_DM12;
	if (strcmp(root->name, "MgmtTree"))
		rc = failf(&b, "TNDS root element is not MgmtTree", root->name);
	/* a top node without Path sits under the root */
	for (k = root->child; !rc && k; k = k->next)
		if (!strcmp(k->name, "Node"))
			rc = tnds_node(&b, k, ".", true);
	if (!rc && !plan->nnodes)
		rc = failf(&b, "TNDS document without nodes", NULL);
	xdoc_free(root);
	if (!rc)
		rc = resolve_inbox_refs(&b) ?: ub_plan_model(plan, UB_MODEL_IMPORT, err, errlen);
	if (rc)
		ub_plan_free(plan);
	return rc;
}
