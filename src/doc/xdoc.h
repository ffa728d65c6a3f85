/* The bounded document tree the format decoders read (syncml.c, cp.c,
 * tnds_in.c).  Built from WBXML by our own walk over the tokens
 * (ub_wbxml_tree, wbxml_check.c), or from XML by expat (xdoc_parse, here:
 * a TNDS document of `tree import`, TNDS text in a bootstrap's Data): from
 * the bytes of the document itself, never from text we generated. */
#ifndef UB_XDOC_H
#define UB_XDOC_H
#include <stdbool.h>
#include <stddef.h>

struct xnode {
	char *name;
	char *text; /* character data directly inside, NUL-terminated; "" when none */
	size_t tlen, tcap;
	bool binary;  /* text is not XML text (it holds a NUL, a control character
			 or invalid UTF-8): only a WBXML SyncML Data may */
	char **attrs; /* name, value, name, value, ..., NULL */
	size_t nattrs, acap;
	struct xnode *parent, *child, *last, *next;
};

/* Parse xml[len] (at most max_len bytes) into a tree of at most
 * max_nodes elements and max_depth levels; no DTD, no entities.  Returns
 * the root or NULL (err filled). */
struct xnode *xdoc_parse(const char *xml, size_t len, size_t max_len, unsigned max_nodes,
			 unsigned max_depth, char *err, size_t errlen);
void xdoc_free(struct xnode *n);

/* Building a tree: a new element name[nlen] as the last child of parent
 * (NULL: a root), or NULL when out of memory; text appended to an
 * element (the old buffer wiped when it grows: text holds secrets); an
 * attribute added.  The last two return 0, or -1 when out of memory. */
struct xnode *xdoc_add(struct xnode *parent, const char *name, size_t nlen);
int xdoc_add_text(struct xnode *n, const char *s, size_t len);
int xdoc_add_attr(struct xnode *n, const char *name, const char *value, size_t vlen);

/* The elements of n's subtree, n included. */
unsigned xdoc_count(const struct xnode *n);
/* First child element called name, or NULL. */
struct xnode *xdoc_child(const struct xnode *n, const char *name);
const char *xdoc_attr(const struct xnode *n, const char *name);
#endif
