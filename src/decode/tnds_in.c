/* TNDS (OMA-TS-DM_TNDS 1.2) to plan nodes: embedded in a SyncML bootstrap
 * (./Inbox, OMA-TS-DM_Bootstrap 5.4.4) and whole documents for `tree
 * import` and factory images. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_build.h"
#include "ub_account.h"
#include "ub_decoders.h"
#include "ub_error.h"
#include "ub_status.h"

/* RTProperties/Format (its one element names the format) and Type (MIME
 * or DDFName), read once each. */
static int rt_props(struct build *b, struct xnode *rt, const char **format, const char **type,
		    const char **acl)
{
	struct xnode *f, *t;
	const char *mime, *ddf;

	*format = *type = *acl = NULL;
	if (pb_one(b, rt, "Format", &f) || pb_one(b, rt, "Type", &t) ||
	    pb_text(b, rt, "ACL", acl) || pb_text(b, t, "MIME", &mime) ||
	    pb_text(b, t, "DDFName", &ddf))
		return UB_E_BAD_DATA;
	if (f && f->child && f->child->next)
		return pb_fail(b, "TNDS Format with more than one format in", "RTProperties");
	*format = f && f->child ? f->child->name : NULL;
	if (mime && ddf)
		return pb_fail(b, "TNDS Type with both MIME and DDFName in", "RTProperties");
	*type = mime ? mime : ddf;
	return 0;
}

/* A TNDS Node under parent.  DM-TNDS 1.2: a node's URI is its ancestors'
 * NodeNames joined; Path, when given, is the parent's URI, which only a
 * node directly under MgmtTree may state (in a tree import it places the
 * node; in a bootstrap it must agree with the Item's Target).  A Path
 * below the top that disagrees with the ancestors would move nodes out of
 * the bootstrap's root: refused. */
int pb_tnds_node(struct build *b, struct xnode *node, const char *parent, bool top)
{
	struct xnode *rt, *val, *k;
	const char *name, *path, *format = NULL, *type = NULL, *acl = NULL;
	char uri[UB_URI_MAX + 1];
	bool kids = xdoc_child(node, "Node") != NULL;
	int err;

	if (pb_text(b, node, "NodeName", &name) || pb_text(b, node, "Path", &path) ||
	    pb_one(b, node, "RTProperties", &rt) || pb_one(b, node, "Value", &val) ||
	    (rt && rt_props(b, rt, &format, &type, &acl)))
		return UB_E_BAD_DATA;
	if (val && val->child)
		return pb_fail(b, "an element inside the text of", "Value");
	if (type && !*type)
		type = NULL; /* <DDFName/>: none */
	if (!name || !*name || strchr(name, '/'))
		return pb_fail(b, "TNDS node without a usable NodeName under", parent);
	if (path && *path && strcmp(path, parent)) {
		if (!top || !b->import)
			return pb_fail(b, "TNDS Path that is not where the node stands", path);
		parent = path;
	}
	if (kids && ((format && strcmp(format, "node")) || val))
		return pb_fail(b, "TNDS node with children that is not interior", name);
	if (top && !strcmp(parent, "./Inbox")) {
		/* Inbox: the real location comes from the MO's DDF name (StdObj) */
		if (type && !strcmp(type, UB_DDF_DMACC))
			parent = ub_dm_layout(UB_DM12)->accounts;
		else if (type && !strcmp(type, UB_DDF_CONNMO))
			parent = ub_dm_layout(UB_DM12)->connmos;
		else
			return pb_fail(b, "unsupported management object in ./Inbox", name);
		if (b->ninbox == INBOX_MAX || strlen(name) >= sizeof(b->inbox_from[0]))
			return pb_fail(b, "more than 16 MOs, or a name longer than 127 bytes, in",
				       "./Inbox");
		snprintf(b->inbox_from[b->ninbox], sizeof(b->inbox_from[0]), "%s", name);
		snprintf(b->inbox_to[b->ninbox++], UB_URI_MAX + 1, "%s/%s", parent, name);
	}
	if ((err = pb_join(b, uri, parent, name)))
		return err;
	if (format && !strcmp(format, "node") && val)
		return pb_fail(b, "interior node with a value", uri);
	err = pb_add(b, uri, kids && !format ? "node" : format, type, val ? val->text : NULL,
		     acl && *acl ? acl : NULL);
	for (k = node->child; !err && k; k = k->next)
		if (!strcmp(k->name, "Node"))
			err = pb_tnds_node(b, k, uri, false);
	return err;
}

/* "./Inbox/X[/rest]" in a value -> X's final URI (DM-Boot 5.4.5). */
int pb_resolve_inbox(struct build *b)
{
	struct ub_plan *p = b->plan;
	size_t i, n;
	int k;

	for (i = 0; i < p->nnodes; i++) {
		char *v = p->nodes[i].value, *nv;

		/* a secret is a value, never a reference, whatever it looks like */
		if (!v || strncmp(v, "./Inbox/", 8) || ub_dm_is_secret(p->nodes[i].uri))
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
			return pb_fail(b, "reference to an MO not in this bootstrap at",
				       p->nodes[i].uri);
	}
	return 0;
}

/* An export without --secrets (src/tree/tnds_out.c) writes UB_SECRET_MASK for
 * every secret leaf: imported, that would silently replace the
 * credentials with the placeholder.  Refused, naming the node. */
static int masked_secret(struct build *b)
{
	const struct ub_plan_node *n;
	size_t i;

	for (i = 0; i < b->plan->nnodes; i++) {
		n = &b->plan->nodes[i];
		if (n->value && !strcmp(n->value, UB_SECRET_MASK) && ub_dm_is_secret(n->uri)) {
			return ub_fail(b->st, UB_E_BAD_DATA, 0, NULL,
				       "%s: the value is the placeholder %s of an export made "
				       "without --secrets; nothing imported (a backup is an export "
				       "with --secrets)",
				       n->uri, UB_SECRET_MASK);
		}
	}
	return 0;
}

int ub_plan_from_tnds(const char *xml, size_t len, struct ub_plan *plan, struct ub_status *st)
{
	struct build b = {.plan = plan, .st = st, .import = true, .max_nodes = UB_TREE_NODES_MAX};
	struct xnode *root, *k;
	int rc = 0;

	memset(plan, 0, sizeof(*plan));
	/* whatever the export of a tree within its capacity writes */
	if (len > UB_TNDS_MAX)
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "TNDS document larger than %zu bytes (the export of a full tree)",
			       (size_t)UB_TNDS_MAX);
	root = xdoc_parse(xml, len, UB_TNDS_MAX, UB_TNDS_ELEMENTS_PER_NODE * UB_TREE_NODES_MAX + 16,
			  UB_DEPTH_MAX * 2, st);
	if (!root) {
		ub_status_pre(st, "TNDS: ");
		return UB_E_BAD_DATA;
	}
	plan->kind = UB_PLAN_DM12;
	if (strcmp(root->name, "MgmtTree"))
		rc = pb_fail(&b, "TNDS root element is not MgmtTree", root->name);
	/* a top node without Path sits under the root */
	for (k = root->child; !rc && k; k = k->next)
		if (!strcmp(k->name, "Node"))
			rc = pb_tnds_node(&b, k, ".", true);
	if (!rc && !plan->nnodes)
		rc = pb_fail(&b, "TNDS document without nodes", NULL);
	if (!rc)
		rc = masked_secret(&b);
	xdoc_free(root);
	if (!rc)
		rc = pb_resolve_inbox(&b) ?: ub_plan_model(plan, UB_MODEL_IMPORT, st);
	if (rc)
		ub_plan_free(plan);
	return ub_status_err(st, rc);
}
