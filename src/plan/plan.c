/* The plan being built: nodes added with their URIs checked, and freed
 * with their values wiped. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_build.h"
#include "ub_error.h"

int pb_fail(struct build *b, const char *what, const char *arg)
{
	if (!b->err[0])
		snprintf(b->err, b->errlen, "%s%s%s", what, arg ? ": " : "", arg ? arg : "");
	return UB_E_BAD_DATA;
}

int pb_one(struct build *b, const struct xnode *n, const char *name, struct xnode **out)
{
	struct xnode *k;

	*out = NULL;
	for (k = n ? n->child : NULL; k; k = k->next) {
		if (strcmp(k->name, name))
			continue;
		if (*out) {
			char what[160];

			snprintf(what, sizeof(what), "%s given twice in", name);
			return pb_fail(b, what, n->name);
		}
		*out = k;
	}
	return 0;
}

int pb_text(struct build *b, const struct xnode *n, const char *name, const char **out)
{
	struct xnode *k;
	char *s, *e;

	*out = NULL;
	if (pb_one(b, n, name, &k))
		return UB_E_BAD_DATA;
	if (!k)
		return 0;
	if (k->child)
		return pb_fail(b, "an element inside the text of", name);
	for (s = k->text; *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r'; s++)
		;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	*out = s;
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int pb_add(struct build *b, const char *uri, const char *format, const char *type,
	   const char *value, const char *acl)
{
	struct ub_plan *p = b->plan;
	struct ub_plan_node *n;
	char why[80], canon[UB_URI_MAX + 1];

	/* the node's properties are checked by the account model, which
	 * every plan goes through; its URI in its one spelling ("DMAcc/x" is
	 * "./DMAcc/x") from here on */
	if (ub_uri_canon(uri, canon, sizeof(canon), false, why, sizeof(why)) || !strcmp(canon, "."))
		return pb_fail(b, strcmp(uri, ".") ? why : "the root is not a node to write", uri);
	uri = canon;
	if (!format)
		format = value ? "chr" : "node";
	/* a node given twice is found by the account model (sorted once) */
	if (p->nnodes >= (b->max_nodes ? b->max_nodes : UB_NODES_MAX)) {
		char most[40];

		snprintf(most, sizeof(most), "%zu",
			 b->max_nodes ? b->max_nodes : (size_t)UB_NODES_MAX);
		return pb_fail(b, "more nodes than a plan may hold", most);
	}
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

int pb_join(struct build *b, char *out, const char *base, const char *name)
{
	int w = snprintf(out, UB_URI_MAX + 1, "%s/%s", base, name);

	if (w < 0 || w > UB_URI_MAX)
		return pb_fail(b, "URI longer than 1024 bytes", base);
	return 0;
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

	if (!p)
		return;
	for (i = 0; i < p->nnodes; i++) {
		free(p->nodes[i].uri);
		free(p->nodes[i].format);
		free(p->nodes[i].type);
		free_wiped(p->nodes[i].value);
		free(p->nodes[i].acl);
	}
	free(p->nodes);
	for (i = 0; i < p->nmos; i++)
		free(p->mos[i].root), free(p->mos[i].owner);
	free(p->mos);
	memset(p, 0, sizeof(*p));
}

/* A container node (mo -1) of from that into already has. */
static bool container_known(const struct ub_plan *into, const struct ub_plan_node *n)
{
	size_t i;

	for (i = 0; n->mo < 0 && i < into->nnodes; i++)
		if (into->nodes[i].mo < 0 && !strcmp(into->nodes[i].uri, n->uri))
			return true;
	return false;
}

int ub_plan_merge(struct ub_plan *into, struct ub_plan *from, size_t *clash, char *why, size_t wlen)
{
	struct ub_plan_node *nodes;
	struct ub_mo *mos;
	size_t i, k, n = into->nnodes;

	for (k = 0; k < from->nmos; k++) {
		const struct ub_mo *b = &from->mos[k];

		for (i = 0; i < into->nmos; i++) {
			const struct ub_mo *a = &into->mos[i];

			*clash = i;
			if (a->kind == UB_MO_ACCOUNT && b->kind == UB_MO_ACCOUNT &&
			    !strcmp(a->server_id, b->server_id)) {
				snprintf(why, wlen, "two accounts for ServerID %s (%s, %s)",
					 b->server_id, a->root, b->root);
				return UB_E_BAD_DATA;
			}
			if (!strcmp(a->root, b->root)) {
				snprintf(why, wlen, "%s in both", b->root);
				return UB_E_BAD_DATA;
			}
		}
	}
	if (into->nnodes + from->nnodes > UB_NODES_MAX) {
		*clash = into->nmos;
		snprintf(why, wlen, "more than %d nodes together", UB_NODES_MAX);
		return UB_E_BAD_DATA;
	}
	nodes = realloc(into->nodes, (into->nnodes + from->nnodes + 1) * sizeof(*nodes));
	if (!nodes)
		return UB_E_NOMEM;
	into->nodes = nodes;
	mos = realloc(into->mos, (into->nmos + from->nmos + 1) * sizeof(*mos));
	if (!mos)
		return UB_E_NOMEM;
	into->mos = mos;
	/* the strings move with their nodes and MOs (a ServerID points into
	 * its node's value); from keeps none of them */
	for (i = 0; i < from->nnodes; i++) {
		struct ub_plan_node *x = &from->nodes[i];

		if (container_known(into, x)) {
			free(x->uri), free(x->format), free(x->type), free(x->acl);
			free_wiped(x->value);
			continue;
		}
		if (x->mo >= 0)
			x->mo += (int)into->nmos;
		into->nodes[n++] = *x;
	}
	into->nnodes = n;
	memcpy(into->mos + into->nmos, from->mos, from->nmos * sizeof(*mos));
	into->nmos += from->nmos;
	free(from->nodes);
	free(from->mos);
	memset(from, 0, sizeof(*from));
	return 0;
}

const char *ub_plan_kind_name(enum ub_plan_kind k)
{
	switch (k) {
	case UB_PLAN_DM11:
		return "dm1.1";
	case UB_PLAN_CP:
		return "cp";
	case UB_PLAN_LWM2M:
		return "lwm2m";
	default:
		return "dm1.2";
	}
}
