/* A small bounded XML document tree built with expat. */
#ifndef UB_XDOC_H
#define UB_XDOC_H
#include <stddef.h>

struct xnode {
	char *name;
	char *text; /* character data directly inside, "" when none */
	size_t tlen, tcap;
	char **attrs; /* name, value, name, value, ..., NULL */
	struct xnode *parent, *child, *last, *next;
};

/* Parse xml[len] (at most max_len bytes) into a tree of at most
 * max_nodes elements and max_depth levels; no DTD, no entities.  Returns
 * the root or NULL (err filled). */
struct xnode *xdoc_parse(const char *xml, size_t len, size_t max_len, unsigned max_nodes,
			 unsigned max_depth, char *err, size_t errlen);
void xdoc_free(struct xnode *n);
/* First child element called name, or NULL. */
struct xnode *xdoc_child(const struct xnode *n, const char *name);
/* Text of the child called name, trimmed of surrounding white space, or NULL. */
const char *xdoc_child_text(struct xnode *n, const char *name);
const char *xdoc_attr(const struct xnode *n, const char *name);
#endif
