/* The device tree as TNDS XML (OMA-TS-DM_TNDS 1.2):
 * MgmtTree / Node { NodeName, Path, RTProperties { ACL, Format, Type },
 * Value, Node* }.  Provenance is not part of TNDS and is not exported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm_names.h"
#include "tree.h"
#include "tree_internal.h"
#include "ub_error.h"

/* the URIs the tree holds are at most this deep (dm_names.h) */
#define TNDS_DEPTH_MAX (UB_URI_SEGMENTS_MAX + 1)

struct names {
	char **v;
	size_t n, cap;
	bool oom;
};

static void add_name(const char *name, void *arg)
{
	struct names *ns = arg;
	char **v;

	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? 2 * ns->cap : 16;
		v = realloc(ns->v, ns->cap * sizeof(*v));
		if (!v) {
			ns->cap = ns->n;
			ns->oom = true;
			return;
		}
		ns->v = v;
	}
	if ((ns->v[ns->n] = strdup(name)))
		ns->n++;
	else
		ns->oom = true;
}

static void names_free(struct names *ns)
{
	while (ns->n)
		free(ns->v[--ns->n]);
	free(ns->v);
}

/* XML text: & < > " as entities, and CR as a character reference, since
 * a parser turns a raw CR or CR LF into LF (XML 1.0 2.11: end-of-line
 * handling); TAB and LF in element content reach the reader as they are. */
static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\r':
			/* an XML reader reads a raw CR (and CR LF) as a LF (XML 1.0
			 * 2.11): only a character reference brings it back */
			fputs("&#13;", out);
			break;
		default:
			fputc(*s, out);
		}
	}
}

static int node(struct ub_tree *t, const char *uri, bool top, bool secrets, unsigned depth,
		FILE *out)
{
	const char *slash = strrchr(uri, '/');
	struct names kids = {0};
	struct ub_tree_node n;
	char child[UB_URI_MAX + 2];
	bool leaf;
	size_t i;
	int err;

	if (depth > TNDS_DEPTH_MAX || !slash)
		return UB_E_BAD_DATA;
	if ((err = ub_tree_get(t, uri, &n)))
		return err;
	/* every field is escaped; what XML cannot carry is refused, not
	 * written half (the tree's writers refuse it already) */
	if (!ub_dm_format_ok(n.format) || (n.value && !ub_dm_text_ok(n.value)) ||
	    (n.type && !ub_dm_text_ok(n.type)) || !ub_dm_text_ok(n.acl) || !ub_dm_text_ok(uri)) {
		ub_tree_node_free(&n);
		return UB_E_BAD_DATA;
	}
	leaf = strcmp(n.format, "node") != 0;
	fprintf(out, "%*s<Node><NodeName>", (int)depth, "");
	esc(out, slash + 1);
	fputs("</NodeName>", out);
	if (top) {
		char path[UB_URI_MAX + 1];

		snprintf(path, sizeof(path), "%.*s", (int)(slash - uri), uri);
		fputs("<Path>", out);
		esc(out, path);
		fputs("</Path>", out);
	}
	fputs("<RTProperties>", out);
	if (n.acl[0]) {
		fputs("<ACL>", out);
		esc(out, n.acl);
		fputs("</ACL>", out);
	}
	fprintf(out, "<Format><%s/></Format><Type><%s>", n.format, leaf ? "MIME" : "DDFName");
	esc(out, n.type ? n.type : "");
	fprintf(out, "</%s></Type></RTProperties>", leaf ? "MIME" : "DDFName");
	if (leaf && n.value) {
		fputs("<Value>", out);
		/* without --secrets, secret values show as in `tree get` */
		esc(out, secrets || !ub_dm_is_secret(uri) ? n.value : UB_SECRET_MASK);
		fputs("</Value>", out);
	}
	ub_tree_node_free(&n);
	err = ub_tree_list(t, uri, add_name, &kids);
	if (err >= 0 && kids.oom)
		err = UB_E_NOMEM;
	if (err > 0)
		fputc('\n', out);
	for (i = 0; err >= 0 && i < kids.n; i++) {
		if (snprintf(child, sizeof(child), "%s/%s", uri, kids.v[i]) > UB_URI_MAX)
			err = UB_E_BAD_DATA;
		else
			err = node(t, child, false, secrets, depth + 1, out);
	}
	if (kids.n)
		fprintf(out, "%*s", (int)depth, "");
	fputs("</Node>\n", out);
	names_free(&kids);
	return err < 0 ? err : 0;
}

int ub_tree_export_tnds(struct ub_tree *t, const char *uri, bool secrets, FILE *out)
{
	struct names top = {0};
	char child[UB_URI_MAX + 2];
	size_t i;
	int err = 0;

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<!DOCTYPE MgmtTree PUBLIC \"-//OMA//DTD-DM-DDF 1.2//EN\" "
	      "\"http://www.openmobilealliance.org/tech/DTD/DM_DDF-V1_2.dtd\">\n"
	      "<MgmtTree xmlns=\"syncml:dmddf1.2\">\n<VerDTD>1.2</VerDTD>\n",
	      out);
	if (strcmp(uri, ".")) {
		err = node(t, uri, true, secrets, 0, out);
	} else {
		/* the root is implicit in TNDS: its children are the top nodes */
		err = ub_tree_list(t, ".", add_name, &top);
		if (err >= 0 && top.oom)
			err = UB_E_NOMEM;
		for (i = 0; err >= 0 && i < top.n; i++) {
			snprintf(child, sizeof(child), "./%s", top.v[i]);
			err = node(t, child, true, secrets, 0, out);
		}
		names_free(&top);
	}
	fputs("</MgmtTree>\n", out);
	if (err >= 0 && (fflush(out) || ferror(out)))
		err = UB_E_IO;
	return err < 0 ? err : 0;
}
