/* The bounded document tree, and its XML reader: expat with element,
 * depth and text limits, no entity or DTD processing (TNDS documents of
 * `tree import`, TNDS text in a bootstrap's Data: what a hostile sender
 * wrote). */
#include <limits.h>
#include <expat.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xdoc.h"

struct ctx {
	XML_Parser p;
	struct xnode *root, *cur;
	unsigned nodes, depth, max_nodes, max_depth;
	size_t text_total, max_text;
	char *err;
	size_t errlen;
	int failed;
};

static void fail(struct ctx *c, const char *what)
{
	if (!c->failed)
		snprintf(c->err, c->errlen, "%s at line %lu", what,
			 (unsigned long)XML_GetCurrentLineNumber(c->p));
	c->failed = 1;
	XML_StopParser(c->p, XML_FALSE);
}

static void XMLCALL on_start(void *u, const XML_Char *name, const XML_Char **atts)
{
	struct ctx *c = u;
	struct xnode *n;
	size_t i;

	if (c->failed)
		return;
	if (++c->nodes > c->max_nodes)
		return fail(c, "too many elements");
	if (++c->depth > c->max_depth)
		return fail(c, "nested too deeply");
	if (!c->cur && c->root)
		return fail(c, "more than one root");
	n = xdoc_add(c->cur, name, strlen(name));
	if (!n)
		return fail(c, "out of memory");
	if (!c->cur)
		c->root = n;
	c->cur = n;
	for (i = 0; atts[i] && atts[i + 1]; i += 2)
		if (xdoc_add_attr(n, atts[i], atts[i + 1], strlen(atts[i + 1])))
			return fail(c, "out of memory");
}

static void XMLCALL on_end(void *u, const XML_Char *name)
{
	struct ctx *c = u;

	(void)name;
	if (c->failed || !c->cur)
		return;
	c->cur = c->cur->parent;
	c->depth--;
}

static void XMLCALL on_text(void *u, const XML_Char *s, int len)
{
	struct ctx *c = u;

	if (c->failed || !c->cur || len <= 0)
		return;
	c->text_total += (size_t)len;
	if (c->text_total > c->max_text)
		return fail(c, "too much text");
	if (xdoc_add_text(c->cur, s, (size_t)len))
		return fail(c, "out of memory");
}

static void XMLCALL on_entity_decl(void *u, const XML_Char *name, int pe, const XML_Char *v, int vl,
				   const XML_Char *b, const XML_Char *sys, const XML_Char *pub,
				   const XML_Char *nn)
{
	(void)name, (void)pe, (void)v, (void)vl, (void)b, (void)sys, (void)pub, (void)nn;
	fail(u, "entity declarations are not allowed");
}

struct xnode *xdoc_parse(const char *xml, size_t len, size_t max_len, unsigned max_nodes,
			 unsigned max_depth, char *err, size_t errlen)
{
	struct ctx c;

	memset(&c, 0, sizeof(c));
	c.max_nodes = max_nodes;
	c.max_depth = max_depth;
	/* character data is never more than the document (no entities) */
	c.max_text = max_len;
	c.err = err;
	c.errlen = errlen;
	err[0] = '\0';
	if (len > max_len || len > INT_MAX) {
		snprintf(err, errlen, "XML larger than %zu bytes", max_len);
		return NULL;
	}
	c.p = XML_ParserCreate("UTF-8");
	if (!c.p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	XML_SetUserData(c.p, &c);
	XML_SetElementHandler(c.p, on_start, on_end);
	XML_SetCharacterDataHandler(c.p, on_text);
	XML_SetEntityDeclHandler(c.p, on_entity_decl);
	XML_SetParamEntityParsing(c.p, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(c.p, xml, (int)len, XML_TRUE) == XML_STATUS_ERROR && !c.failed) {
		snprintf(err, errlen, "XML: %s at line %lu", XML_ErrorString(XML_GetErrorCode(c.p)),
			 (unsigned long)XML_GetCurrentLineNumber(c.p));
		c.failed = 1;
	}
	XML_ParserFree(c.p);
	if (c.failed || !c.root) {
		if (!err[0])
			snprintf(err, errlen, "no XML document");
		xdoc_free(c.root);
		return NULL;
	}
	return c.root;
}

void xdoc_free(struct xnode *n)
{
	struct xnode *next;
	size_t i;

	while (n) {
		next = n->next;
		xdoc_free(n->child);
		/* text and attribute values carry the document's secrets */
		for (i = 0; n->attrs && n->attrs[i]; i++) {
			OPENSSL_cleanse(n->attrs[i], strlen(n->attrs[i]));
			free(n->attrs[i]);
		}
		free(n->attrs);
		free(n->name);
		if (n->text)
			OPENSSL_cleanse(n->text, n->tlen);
		free(n->text);
		free(n);
		n = next;
	}
}

struct xnode *xdoc_add(struct xnode *parent, const char *name, size_t nlen)
{
	struct xnode *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->name = strndup(name, nlen);
	n->text = calloc(1, 1);
	n->tcap = 1;
	n->attrs = calloc(1, sizeof(char *));
	n->acap = 1;
	if (!n->name || !n->text || !n->attrs) {
		xdoc_free(n);
		return NULL;
	}
	n->parent = parent;
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->child = n;
		parent->last = n;
	}
	return n;
}

int xdoc_add_text(struct xnode *n, const char *s, size_t len)
{
	char *t;

	if (n->tlen + len + 1 > n->tcap) {
		/* doubling (text may come a character at a time), and not
		 * realloc: the old buffer is wiped before it is freed */
		size_t cap = 2 * n->tcap + len + 1;

		t = malloc(cap);
		if (!t)
			return -1;
		memcpy(t, n->text, n->tlen + 1);
		OPENSSL_cleanse(n->text, n->tlen);
		free(n->text);
		n->text = t;
		n->tcap = cap;
	}
	memcpy(n->text + n->tlen, s, len);
	n->tlen += len;
	n->text[n->tlen] = '\0';
	return 0;
}

int xdoc_add_attr(struct xnode *n, const char *name, const char *value, size_t vlen)
{
	char **a;

	if (2 * n->nattrs + 3 > n->acap) {
		size_t cap = 2 * n->acap + 3;

		/* the array holds pointers only */
		a = realloc(n->attrs, cap * sizeof(char *));
		if (!a)
			return -1;
		n->attrs = a;
		n->acap = cap;
	}
	n->attrs[2 * n->nattrs] = strdup(name);
	n->attrs[2 * n->nattrs + 1] = strndup(value, vlen);
	if (!n->attrs[2 * n->nattrs] || !n->attrs[2 * n->nattrs + 1]) {
		free(n->attrs[2 * n->nattrs]);
		if (n->attrs[2 * n->nattrs + 1])
			OPENSSL_cleanse(n->attrs[2 * n->nattrs + 1], vlen);
		free(n->attrs[2 * n->nattrs + 1]);
		n->attrs[2 * n->nattrs] = NULL;
		return -1;
	}
	n->nattrs++;
	n->attrs[2 * n->nattrs] = NULL;
	return 0;
}

unsigned xdoc_count(const struct xnode *n)
{
	const struct xnode *k;
	unsigned c = 1;

	for (k = n->child; k; k = k->next)
		c += xdoc_count(k); /* as deep as the tree's bound */
	return c;
}

struct xnode *xdoc_child(const struct xnode *n, const char *name)
{
	struct xnode *k;

	for (k = n ? n->child : NULL; k; k = k->next)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}

const char *xdoc_attr(const struct xnode *n, const char *name)
{
	size_t i;

	for (i = 0; n->attrs && n->attrs[i] && n->attrs[i + 1]; i += 2)
		if (!strcmp(n->attrs[i], name))
			return n->attrs[i + 1];
	return NULL;
}
