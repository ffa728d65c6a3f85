/* The LwM2M Objects the tree holds (lwm2m.h: ub_lwm2m_from_tree): the
 * nodes below ./LwM2M read back into values by the mapping of
 * ub_lwm2m_map.h, encoded in the framing of EF LwM2M_Bootstrap and decoded
 * and checked by the same code as the card's file, so that a client gets
 * nothing the card path would have refused. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lwm2m.h"
#include "store.h"
#include "ub_error.h"
#include "ub_lwm2m.h"
#include "ub_lwm2m_map.h"

/* The framing's sizes are HWORDs: at most this much after the header. */
#define PAYLOAD_MAX 0xFFFF

struct entry {
	struct ub_lwm2m_path p;
	bool leaf;
	bool explicit_version;
	uint8_t major, minor;
	uint8_t *v; /* a leaf's bytes */
	size_t len;
};

struct collect {
	unsigned flags;
	struct entry *e;
	size_t n, cap;
	struct ub_status *st;
};

static int bad(struct collect *c, const char *uri, const char *what)
{
	return ub_fail(c->st, UB_E_BAD_DATA, 0, uri, "%s: %s", uri, what);
}

static int leaf_value(struct collect *c, const struct ub_tree_node *n, struct entry *e)
{
	size_t max = (n->value ? strlen(n->value) : 0) + 8;
	struct ub_status st;
	int k;

	if (!(e->v = malloc(max)))
		return UB_E_NOMEM;
	k = ub_lwm2m_leaf_bytes(e->p.obj, e->p.res, n->format, n->type, n->value, e->v, max, &st);
	if (k < 0) {
		OPENSSL_cleanse(e->v, max);
		free(e->v);
		e->v = NULL;
		return bad(c, n->uri, st.what);
	}
	e->len = (size_t)k;
	return 0;
}

static int node_cb(const struct ub_tree_node *n, void *arg)
{
	struct collect *c = arg;
	struct entry e = {0};
	const struct ub_lwm2m_rdef *d;
	int err;

	e.leaf = strcmp(n->format, "node") != 0;
	if (ub_lwm2m_uri_parse(n->uri, &e.p))
		return bad(c, n->uri,
			   "not an LwM2M node (decimal Object, Instance and Resource IDs)");
	if (e.p.depth < 2)
		return e.leaf ? bad(c, n->uri, "a container that is a leaf") : 0;
	d = ub_lwm2m_rdef(e.p.obj, e.p.res);
	if (e.p.depth >= 3 && !(c->flags & UB_LWM2M_SECRETS) && d && d->secret)
		return 0; /* left out: never handed over without asking */
	if (e.p.depth == 2) {
		if (e.leaf)
			return bad(c, n->uri, "an Object Instance that is a leaf");
		if (n->type &&
		    ub_lwm2m_urn_parse(e.p.obj, n->type, &e.explicit_version, &e.major, &e.minor))
			return bad(c, n->uri, "Type is not the Object's URN");
	} else if (e.p.depth == 4 && !e.leaf) {
		return bad(c, n->uri, "a Resource Instance that is an interior node");
	} else if (e.p.depth == 3 && (d ? d->multiple : !e.leaf) == e.leaf) {
		return bad(c, n->uri,
			   e.leaf ? "a Multiple Resource as a leaf"
				  : "a single Resource as a node");
	} else if (e.leaf && (err = leaf_value(c, n, &e))) {
		return err;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct entry *x = realloc(c->e, cap * sizeof(*x));

		if (!x) {
			free(e.v);
			return UB_E_NOMEM;
		}
		c->e = x;
		c->cap = cap;
	}
	c->e[c->n++] = e;
	return 0;
}

/* Object, Instance, the Instance's own node, Resource, its node, Resource
 * Instance: numerically, as a client numbers them. */
static int cmp_entry(const void *x, const void *y)
{
	const struct ub_lwm2m_path *a = &((const struct entry *)x)->p,
				   *b = &((const struct entry *)y)->p;
	long k[2][5] = {{a->obj, a->inst, a->depth > 2, a->res, a->depth > 3 ? a->ri + 1 : 0},
			{b->obj, b->inst, b->depth > 2, b->res, b->depth > 3 ? b->ri + 1 : 0}};
	int i;

	for (i = 0; i < 5; i++)
		if (k[0][i] != k[1][i])
			return k[0][i] < k[1][i] ? -1 : 1;
	return 0;
}

/* The Objects of the sorted entries, as arrays pointing at their bytes. */
struct objs {
	struct ub_lwm2m_obj *o;
	size_t n;
};

/* Room for element n in the array *pp (a pointer to any array pointer). */
static int grow(void *pp, size_t *cap, size_t n, size_t size)
{
	void *p, *x;
	size_t c;

	if (n < *cap)
		return 0;
	memcpy(&p, pp, sizeof(p));
	c = *cap ? 2 * *cap : 4;
	if (!(x = realloc(p, c * size)))
		return UB_E_NOMEM;
	memcpy(pp, &x, sizeof(x));
	*cap = c;
	return 0;
}

static void objs_free(struct objs *s)
{
	size_t i, j, k;

	for (i = 0; i < s->n; i++) {
		for (j = 0; j < s->o[i].tlv.ninst; j++) {
			for (k = 0; k < s->o[i].tlv.inst[j].nres; k++)
				free(s->o[i].tlv.inst[j].res[k].ri);
			free(s->o[i].tlv.inst[j].res);
		}
		free(s->o[i].tlv.inst);
	}
	free(s->o);
	memset(s, 0, sizeof(*s));
}

static int build(const struct collect *c, struct objs *s, struct ub_status *st)
{
	size_t i, ocap = 0, icap = 0, rcap = 0, ricap = 0;
	struct ub_lwm2m_obj *o = NULL;
	struct ub_lwm2m_inst *in = NULL;
	struct ub_lwm2m_res *r = NULL;

	for (i = 0; i < c->n; i++) {
		const struct entry *e = &c->e[i];

		if (!o || o->id != e->p.obj) {
			if (grow(&s->o, &ocap, s->n, sizeof(*s->o)))
				return UB_E_NOMEM;
			o = &s->o[s->n++];
			memset(o, 0, sizeof(*o));
			o->id = e->p.obj;
			o->explicit_version = e->explicit_version;
			o->major = e->major, o->minor = e->minor;
			in = NULL, icap = 0;
		}
		if (e->p.depth == 2 && (o->explicit_version != e->explicit_version ||
					o->major != e->major || o->minor != e->minor)) {
			return ub_fail(st, UB_E_BAD_DATA, 0, UB_LWM2M_TREE,
				       "%s/%u: Instances of two versions of Object %u",
				       UB_LWM2M_TREE, o->id, o->id);
		}
		if (!in || in->id != e->p.inst) {
			if (grow(&o->tlv.inst, &icap, o->tlv.ninst, sizeof(*in)))
				return UB_E_NOMEM;
			in = &o->tlv.inst[o->tlv.ninst++];
			memset(in, 0, sizeof(*in));
			in->id = e->p.inst;
			r = NULL, rcap = 0;
		}
		if (e->p.depth == 2)
			continue;
		if (!r || r->id != e->p.res) {
			if (grow(&in->res, &rcap, in->nres, sizeof(*r)))
				return UB_E_NOMEM;
			r = &in->res[in->nres++];
			memset(r, 0, sizeof(*r));
			r->id = e->p.res;
			r->multiple = e->p.depth == 4 || !e->leaf;
			ricap = 0;
		}
		if (e->p.depth == 3) {
			r->v = e->v, r->len = e->len;
			continue;
		}
		if (grow(&r->ri, &ricap, r->nri, sizeof(*r->ri)))
			return UB_E_NOMEM;
		r->ri[r->nri].id = e->p.ri;
		r->ri[r->nri].v = e->v;
		r->ri[r->nri++].len = e->len;
	}
	return 0;
}

/* The Objects in the framing of EF LwM2M_Bootstrap, then decoded and
 * checked as a card's file is. */
static int frame(const struct objs *s, struct ub_lwm2m_boot *out, struct ub_status *st)
{
	struct ub_lwm2m_boot tmp = {s->o, s->n, NULL, 0};
	struct ub_lwm2m_opts op;
	uint8_t *file;
	int n, err;

	n = ub_lwm2m_boot_encode(&tmp, NULL, 0);
	if (n < 0 || n - 4 > PAYLOAD_MAX) {
		return ub_fail(st, UB_E_BAD_DATA, 0, UB_LWM2M_TREE,
			       "%s: more LwM2M data than the %d bytes an LwM2M bootstrap holds",
			       UB_LWM2M_TREE, PAYLOAD_MAX);
	}
	if (!(file = malloc((size_t)n)))
		return UB_E_NOMEM;
	ub_lwm2m_boot_encode(&tmp, file, (size_t)n);
	ub_lwm2m_opts_default(&op);
	op.padding = UB_LWM2M_PAD_NONE;
	op.max_file = 4 + PAYLOAD_MAX;
	err = ub_lwm2m_boot_decode(file, (size_t)n, &op, out, st);
	OPENSSL_cleanse(file, (size_t)n);
	free(file);
	if (err == UB_E_NOT_FOUND) /* never: a framed file is not all FF */
		err = UB_E_INTERNAL;
	if (!err && (err = ub_lwm2m_check(out, st)))
		ub_lwm2m_boot_free(out);
	if (err)
		ub_status_at(st, "%s", UB_LWM2M_TREE);
	return err;
}

int ub_lwm2m_from_tree(struct ub_tree *t, unsigned flags, struct ub_lwm2m_boot *out,
		       struct ub_status *st)
{
	struct collect c = {flags, NULL, 0, 0, st};
	struct objs s = {NULL, 0};
	size_t i;
	int err;

	memset(out, 0, sizeof(*out));
	ub_status_clear(st);
	err = ub_store_each(t, UB_LWM2M_TREE, node_cb, &c);
	if (!err && c.n)
		qsort(c.e, c.n, sizeof(*c.e), cmp_entry);
	if (!err)
		err = build(&c, &s, st);
	if (!err)
		err = frame(&s, out, st);
	objs_free(&s);
	for (i = 0; i < c.n; i++) {
		if (c.e[i].v)
			OPENSSL_cleanse(c.e[i].v, c.e[i].len);
		free(c.e[i].v);
	}
	free(c.e);
	if (err && st && st->err != err)
		ub_fail(st, err, 0, UB_LWM2M_TREE, NULL);
	return err;
}
