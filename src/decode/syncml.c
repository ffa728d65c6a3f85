/* SyncML DM 1.2 and 1.1.2 bootstrap packages (OMA-TS-DM_Bootstrap 5.4):
 * Add and Replace Items, plain or TNDS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_build.h"
#include "ub_error.h"

/* Is s[len] white space only? */
static bool blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n", s[i]))
			return false;
	return true;
}

/* The level of n in its tree: 1 for the root. */
static unsigned level(const struct xnode *n)
{
	unsigned l = 0;

	for (; n; n = n->parent)
		l++;
	return l;
}

/* A TNDS Item's MgmtTree (OMA-TS-DM_Bootstrap 5.4.4), in *tree; *own is
 * set when the caller frees it.  Data holds it as an element (a literal
 * tag), as an embedded WBXML TNDS document (Type ...dmtnds+wbxml: the
 * encoding libwbxml's xml2wbxml writes), or as XML text (...dmtnds+xml),
 * which expat reads: the document's own bytes, not text we made. */
static int tnds_tree(struct build *b, struct xnode *data, const char *type, const char *target,
		     struct xnode **tree, bool *own)
{
	struct ub_wbxml_info info;
	enum ub_wbxml_lang lang;
	struct ub_status why = {0};
	unsigned lv;
	int rc;

	*tree = NULL;
	*own = false;
	if (!data)
		return pb_fail(b, "TNDS item without a MgmtTree", target);
	if (data->child) {
		if (data->child->next || strcmp(data->child->name, "MgmtTree") ||
		    !blank(data->text, data->tlen))
			return pb_fail(b, "TNDS Data that is not one MgmtTree", target);
		*tree = data->child;
		return 0;
	}
	if (data->binary) {
		if (!type || !strstr(type, "+wbxml"))
			return pb_fail(b,
				       "TNDS Data that is neither XML text nor, by its Type, WBXML",
				       target);
		/* the embedded document counts against the bootstrap's bounds */
		lv = level(data);
		rc = ub_wbxml_tree((const uint8_t *)data->text, data->tlen,
				   UB_LANG_BIT(UB_LANG_TNDS), UB_NODES_MAX - b->doc_nodes,
				   lv < UB_DEPTH_MAX ? UB_DEPTH_MAX - lv : 0, &info, &lang, tree,
				   &why);
		if (rc == UB_E_NOMEM)
			return rc;
		if (rc == UB_E_NOT_SUPPORTED)
			return pb_fail(b, "WBXML in TNDS Data that is not a TNDS document", target);
		if (rc)
			return pb_fail(b, "WBXML TNDS in Data", why.what);
		b->doc_nodes += xdoc_count(*tree);
	} else {
		if (!data->tlen)
			return pb_fail(b, "TNDS item without a MgmtTree", target);
		*tree = xdoc_parse(data->text, data->tlen, UB_TEXT_MAX, UB_NODES_MAX, UB_DEPTH_MAX,
				   &why);
		if (!*tree)
			return pb_fail(b, "TNDS in Data", why.what);
	}
	*own = true;
	if (strcmp((*tree)->name, "MgmtTree"))
		return pb_fail(b, "TNDS in Data is not a MgmtTree", target);
	return 0;
}

static int dm_item(struct build *b, struct xnode *item)
{
	struct xnode *meta, *data, *tgt, *tree, *k;
	const char *target, *format = NULL, *type = NULL;
	bool own;
	int err;

	if (pb_one(b, item, "Meta", &meta) || pb_one(b, item, "Data", &data) ||
	    pb_one(b, item, "Target", &tgt) || pb_text(b, tgt, "LocURI", &target) ||
	    pb_text(b, meta, "Format", &format) || pb_text(b, meta, "Type", &type))
		return UB_E_BAD_DATA;
	if (!target)
		return pb_fail(b, "Item without Target/LocURI", NULL);
	if ((data && data->child) || (type && strstr(type, "dmtnds"))) {
		err = tnds_tree(b, data, type, target, &tree, &own);
		for (k = tree ? tree->child : NULL; !err && k; k = k->next)
			if (!strcmp(k->name, "Node"))
				err = pb_tnds_node(b, k, target, true);
		if (own)
			xdoc_free(tree);
		return err;
	}
	if (data && data->binary)
		return pb_fail(
			b, "Data that is not text (a NUL, a control character or invalid UTF-8) at",
			target);
	if (!strcmp(target, "./Inbox") || !strncmp(target, "./Inbox/", 8))
		return pb_fail(b, "plain item into ./Inbox", target);
	/* the value is Data's text, every byte of it */
	return pb_add(b, target, format, type, data ? data->text : NULL, NULL);
}

int pb_syncml_doc(struct build *b, struct xnode *root)
{
	struct xnode *hdr, *body, *src, *cmd, *item;
	const char *proto = NULL, *source = NULL;
	int err = 0;

	if (pb_one(b, root, "SyncHdr", &hdr) || pb_one(b, root, "SyncBody", &body) ||
	    pb_text(b, hdr, "VerProto", &proto) || pb_one(b, hdr, "Source", &src) ||
	    pb_text(b, src, "LocURI", &source))
		return UB_E_BAD_DATA;
	if (!hdr || !body || !proto)
		return pb_fail(b, "SyncML without SyncHdr/VerProto or SyncBody", NULL);
	if (!strcmp(proto, "DM/1.2"))
		b->plan->kind = UB_PLAN_DM12;
	else if (!strcmp(proto, "DM/1.1"))
		b->plan->kind = UB_PLAN_DM11;
	else
		return pb_fail(b, "unsupported VerProto", proto);
	if (source)
		snprintf(b->plan->source, sizeof(b->plan->source), "%s", source);
	for (cmd = body->child; !err && cmd; cmd = cmd->next) {
		if (!strcmp(cmd->name, "Final"))
			continue;
		if (strcmp(cmd->name, "Add") && strcmp(cmd->name, "Replace"))
			return pb_fail(b, "command not allowed in a bootstrap", cmd->name);
		for (item = cmd->child; !err && item; item = item->next)
			if (!strcmp(item->name, "Item"))
				err = dm_item(b, item);
	}
	return err ? err : pb_resolve_inbox(b);
}
