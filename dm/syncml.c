/* SyncML DM 1.2 and 1.1.2 bootstrap packages (OMA-TS-DM_Bootstrap 5.4):
 * Add and Replace Items, plain or TNDS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_build.h"
#include "ub_error.h"

static int dm_item(struct build *b, struct xnode *item)
{
	struct xnode *meta = xdoc_child(item, "Meta"), *data = xdoc_child(item, "Data"), *tree, *k;
	const char *target = xdoc_child_text(xdoc_child(item, "Target"), "LocURI");
	const char *format = meta ? xdoc_child_text(meta, "Format") : NULL;
	const char *type = meta ? xdoc_child_text(meta, "Type") : NULL;
	int err = 0;

	if (!target)
		return pb_fail(b, "Item without Target/LocURI", NULL);
	tree = data ? xdoc_child(data, "MgmtTree") : NULL;
	if (tree || (type && strstr(type, "dmtnds"))) {
		struct xnode *text_tree = NULL;
		char why[160];

		if (!tree && data && data->tlen) {
			/* XML TNDS carried as (escaped) text in Data */
			text_tree = xdoc_parse(data->text, data->tlen, UB_XML_MAX, UB_NODES_MAX,
					       UB_DEPTH_MAX, why, sizeof(why));
			if (!text_tree)
				return pb_fail(b, "TNDS in Data", why);
			if (strcmp(text_tree->name, "MgmtTree")) {
				xdoc_free(text_tree);
				return pb_fail(b, "TNDS in Data is not a MgmtTree", target);
			}
			tree = text_tree;
		}
		if (!tree)
			return pb_fail(b, "TNDS item without a MgmtTree", target);
		for (k = tree->child; !err && k; k = k->next)
			if (!strcmp(k->name, "Node"))
				err = pb_tnds_node(b, k, target, true);
		xdoc_free(text_tree);
		return err;
	}
	if (!strcmp(target, "./Inbox") || !strncmp(target, "./Inbox/", 8))
		return pb_fail(b, "plain item into ./Inbox", target);
	return pb_add(b, target, format, type, data ? data->text : NULL, NULL);
}

int pb_syncml_doc(struct build *b, struct xnode *root)
{
	struct xnode *hdr = xdoc_child(root, "SyncHdr"), *body = xdoc_child(root, "SyncBody");
	struct xnode *cmd, *item;
	const char *proto = hdr ? xdoc_child_text(hdr, "VerProto") : NULL;
	const char *src = hdr ? xdoc_child_text(xdoc_child(hdr, "Source"), "LocURI") : NULL;
	int err = 0;

	if (!hdr || !body || !proto)
		return pb_fail(b, "SyncML without SyncHdr/VerProto or SyncBody", NULL);
	if (!strcmp(proto, "DM/1.2"))
		b->plan->kind = UB_PLAN_DM12;
	else if (!strcmp(proto, "DM/1.1"))
		b->plan->kind = UB_PLAN_DM11;
	else
		return pb_fail(b, "unsupported VerProto", proto);
	if (src)
		snprintf(b->plan->source, sizeof(b->plan->source), "%s", src);
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
