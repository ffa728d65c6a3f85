/* The account model: which management object each node of a plan belongs
 * to, and which ServerID owns it (see ub_plan.h).  Plan decoding, the
 * policy's ServerID allow-list, apply, factory apply and import all take
 * their accounts from here, so that no two of them can disagree about
 * what an account is.
 *
 * OMA-TS-DM_Bootstrap 1.2 5.4.5 (processing), OMA-TS-DM_StdObj 1.2 (DMAcc
 * with one ServerID, the ConnMO DDF), OMA-TS-DM_TND 1.2 8.3.7.1.5 (ACL
 * principals), OMA-TS-DM_Security 1.2 5.7.2 (the device decides what a
 * bootstrap may write).  LwM2M Object Instances (ub_lwm2m_map.h) are MOs
 * too: each owned by the LwM2M server it configures (LwM2M Core E.1/E.2:
 * the Short Server ID, or the Bootstrap-Server flag). */
#include <inttypes.h>
#include <openssl/crypto.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dm_names.h"
#include "ub_account.h"
#include "ub_error.h"
#include "ub_lwm2m_map.h"
#include "ub_status.h"

struct model {
	struct ub_plan *p;
	enum ub_model_mode mode;
	const struct ub_dm_layout *layout; /* the plan's own (bootstrap mode) */
	size_t cap;
	size_t *slot; /* MO index + 1 by hash of its root; 0: empty */
	size_t nslots;
	const struct ub_mo **accounts; /* sorted by ServerID, then layout */
	size_t naccounts;
	long *root_node;      /* per MO: the index of its root node, or -1 */
	struct ub_status *st; /* why the plan is refused */
};

/* The plan does not fit the model: UB_E_BAD_DATA, st saying why. */
#define refuse(m, ...) ub_fail((m)->st, UB_E_BAD_DATA, 0, NULL, __VA_ARGS__)

/* The MO root of uri: its container and the next segment ("./DMAcc/x"),
 * or for a device object in an import, "./<a>/<b>" (or "./<a>"). */
static size_t root_len(const char *uri, const struct ub_dm_layout *l, bool account)
{
	size_t p;

	if (l) {
		p = strlen(account ? l->accounts : l->connmos) + 1;
		return p + strcspn(uri + p, "/");
	}
	p = 2 + strcspn(uri + 2, "/");
	return uri[p] ? p + 1 + strcspn(uri + p + 1, "/") : p;
}

/* FNV-1a of the root, for the MO table: an import has many thousands */
static size_t hash(const char *s, size_t len)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static bool root_is(const struct ub_mo *mo, const char *uri, size_t len)
{
	return !strncmp(mo->root, uri, len) && !mo->root[len];
}

/* Place MO k in the table, which has room. */
static void slot_put(struct model *m, size_t k)
{
	size_t i = hash(m->p->mos[k].root, strlen(m->p->mos[k].root)) & (m->nslots - 1);

	while (m->slot[i])
		i = (i + 1) & (m->nslots - 1);
	m->slot[i] = k + 1;
}

static int mo_of(struct model *m, const char *uri, size_t len, enum ub_mo_kind kind,
		 const struct ub_dm_layout *l)
{
	struct ub_plan *p = m->p;
	struct ub_mo *mo;
	size_t i, k;

	/* the plan lists an MO's nodes together: the last one first */
	if (p->nmos && root_is(&p->mos[p->nmos - 1], uri, len))
		return (int)(p->nmos - 1);
	for (i = m->nslots ? hash(uri, len) & (m->nslots - 1) : 0; m->nslots && m->slot[i];
	     i = (i + 1) & (m->nslots - 1))
		if (root_is(&p->mos[m->slot[i] - 1], uri, len))
			return (int)(m->slot[i] - 1);
	if (p->nmos == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8, *slot = calloc(2 * cap, sizeof(*slot));

		mo = slot ? realloc(p->mos, cap * sizeof(*mo)) : NULL;
		if (!mo) {
			free(slot);
			return UB_E_NOMEM;
		}
		p->mos = mo;
		m->cap = cap;
		/* at most half full */
		free(m->slot);
		m->slot = slot;
		m->nslots = 2 * cap;
		for (k = 0; k < p->nmos; k++)
			slot_put(m, k);
	}
	mo = &p->mos[p->nmos];
	memset(mo, 0, sizeof(*mo));
	mo->root = strndup(uri, len);
	if (!mo->root)
		return UB_E_NOMEM;
	mo->kind = kind;
	mo->layout = l;
	slot_put(m, p->nmos);
	return (int)p->nmos++;
}

/* *s = its one spelling c, when that differs. */
static int respell(char **s, const char *c)
{
	char *x;

	if (!strcmp(*s, c))
		return 0;
	if (!(x = strdup(c)))
		return UB_E_NOMEM;
	free(*s);
	*s = x;
	return 0;
}

/* One spelling, decided here for every plan (ub_uri_canon): the node's
 * URI ("DMAcc/x" is "./DMAcc/x", OMA-TS-DM_TND 1.2 clause 5), and the
 * value of a reference leaf (ub_dm_is_reference), so that every check,
 * rename, rewrite and removal after this sees one.  A bootstrap's
 * reference in another form ("//", "/./", "..", a trailing '/') is
 * refused; an import, the device's own backup, may hold what an older
 * version wrote, which is read as the tree's migration reads it. */
static int canonical_uri(struct model *m, struct ub_plan_node *n)
{
	char c[UB_URI_MAX + 1];
	int err;

	if ((err = ub_uri_canon(n->uri, c, sizeof(c), false, m->st))) {
		ub_status_pre(m->st, "%s: ", n->uri);
		return err;
	}
	return respell(&n->uri, c);
}

static int canonical_value(struct model *m, struct ub_plan_node *n)
{
	char c[UB_URI_MAX + 1];
	int err;

	if (!strcmp(n->format, "node") || !ub_dm_is_reference(n->uri, n->value))
		return 0;
	if ((err = ub_uri_canon(n->value, c, sizeof(c), m->mode == UB_MODEL_IMPORT, m->st))) {
		ub_status_pre(m->st,
			      "%s: its value is a reference to a node, in no form the tree holds: ",
			      n->uri);
		return err;
	}
	return respell(&n->value, c);
}

/* What the tree can hold and the export can write: a URI within the
 * bounds and XML text, a Format of DM-TND's list (the export writes it as an element
 * name), values and Types that are XML text, an ACL in DM-TND's grammar;
 * the URI and a reference in their one spelling. */
static int node_ok(struct model *m, struct ub_plan_node *n)
{
	int err;

	if ((err = canonical_uri(m, n)))
		return err;
	if (!strcmp(n->uri, "."))
		return refuse(m, "%s: not a node to write", n->uri);
	if ((err = ub_uri_check(n->uri, m->st))) {
		ub_status_pre(m->st, "%s: ", n->uri);
		return err;
	}
	/* the export writes it as XML text (NodeName, Path): not quoted here */
	if (!ub_dm_text_ok(n->uri))
		return refuse(m, "a URI that is not XML text (valid UTF-8)");
	if (!ub_dm_format_ok(n->format))
		return refuse(
			m,
			"Format is not one of DM-TND's (b64, bin, bool, chr, int, node, null, "
			"xml, date, time, float) at %s",
			n->uri);
	if (!strcmp(n->format, "node") && n->value)
		return refuse(m, "interior node with a value: %s", n->uri);
	if ((n->value && !ub_dm_text_ok(n->value)) || (n->type && !ub_dm_text_ok(n->type)))
		return refuse(m, "value or Type that is not XML text at %s", n->uri);
	if (n->type && strlen(n->type) > UB_TYPE_MAX)
		return refuse(m, "Type longer than 255 bytes at %s", n->uri);
	/* XML readers trim a TNDS Type: the export would come back otherwise */
	if (n->type && *n->type &&
	    (isspace((unsigned char)n->type[0]) ||
	     isspace((unsigned char)n->type[strlen(n->type) - 1])))
		return refuse(m, "Type that starts or ends with white space at %s", n->uri);
	if (n->acl && !ub_dm_acl_ok(n->acl))
		return refuse(m, "ACL not in the DM-TND grammar (or longer than 1024 bytes) at %s",
			      n->uri);
	return canonical_value(m, n);
}

/* A node below ./LwM2M: the shape of ub_lwm2m_map.h, a leaf that gives the
 * bytes of a value of its resource's type; its MO is the Object Instance. */
static int lwm2m_node(struct model *m, const struct ub_plan_node *n, const struct ub_lwm2m_path *p)
{
	const struct ub_lwm2m_rdef *d = ub_lwm2m_rdef(p->obj, p->res);
	bool leaf = strcmp(n->format, "node") != 0, ev;
	uint8_t *buf, maj, min;
	struct ub_status st;
	int k;

	if (p->depth < 2)
		return refuse(m, "%s is a container of the device", n->uri);
	if (m->mode == UB_MODEL_BOOTSTRAP && n->acl)
		return refuse(m, "%s: an LwM2M node's ACL is its owner's, not the bootstrap's",
			      n->uri);
	if (p->depth == 2) {
		if (leaf || ub_lwm2m_urn_parse(p->obj, n->type, &ev, &maj, &min))
			return refuse(
				m,
				"%s: an Object Instance is an interior node whose Type is its "
				"Object's URN (urn:oma:lwm2m:...:%u)",
				n->uri, p->obj);
		return 0;
	}
	if (!leaf) {
		if (p->depth == 4 || (d && !d->multiple) || n->value)
			return refuse(m, "%s: not a Multiple Resource, so not an interior node",
				      n->uri);
		return 0;
	}
	if (d && d->multiple != (p->depth == 4))
		return refuse(m, "%s: resource %u of Object %u is %s", n->uri, p->res, p->obj,
			      d->multiple ? "multiple: its values are Resource Instances"
					  : "single: it has no Resource Instances");
	if (!(buf = malloc((n->value ? strlen(n->value) : 0) + 8)))
		return UB_E_NOMEM;
	k = ub_lwm2m_leaf_bytes(p->obj, p->res, n->format, n->type, n->value, buf,
				(n->value ? strlen(n->value) : 0) + 8, &st);
	if (k > 0)
		OPENSSL_cleanse(buf, (size_t)k); /* a key, perhaps */
	free(buf);
	return k < 0 ? refuse(m, "%s: %s", n->uri, st.what) : 0;
}

static int classify_lwm2m(struct model *m, struct ub_plan_node *n)
{
	struct ub_lwm2m_path p;
	char root[64];
	int k;

	if (ub_lwm2m_uri_parse(n->uri, &p))
		return refuse(m,
			      "%s is not an LwM2M node (./LwM2M/<Object>/<Instance>[/<Resource>"
			      "[/<Resource Instance>]], decimal IDs)",
			      n->uri);
	if (m->mode == UB_MODEL_BOOTSTRAP && m->p->kind != UB_PLAN_LWM2M)
		return refuse(m, "%s: only the card's LwM2M bootstrap writes %s", n->uri,
			      UB_LWM2M_TREE);
	if ((k = lwm2m_node(m, n, &p)))
		return k;
	snprintf(root, sizeof(root), "%s/%u/%u", UB_LWM2M_TREE, p.obj, p.inst);
	k = mo_of(m, n->uri, strlen(root), UB_MO_LWM2M, NULL);
	if (k < 0)
		return k;
	n->mo = k;
	return 0;
}

/* Which MO node n belongs to (n->mo), or a refusal. */
static int classify(struct model *m, struct ub_plan_node *n)
{
	const struct ub_dm_layout *l;
	bool account = false;
	size_t len;
	int k;

	if ((k = node_ok(m, n)))
		return k;
	if (ub_dm_is_container(n->uri)) {
		/* named in a TNDS path: created if missing, never changed */
		if (strcmp(n->format, "node") || n->value || n->acl)
			return refuse(m,
				      "%s is a container of the device: a bootstrap cannot set its "
				      "value or ACL",
				      n->uri);
		n->mo = -1;
		return 0;
	}
	if (ub_lwm2m_uri_under(n->uri))
		return classify_lwm2m(m, n);
	if (m->p->kind == UB_PLAN_LWM2M)
		return refuse(m, "%s: an LwM2M bootstrap writes only below %s", n->uri,
			      UB_LWM2M_TREE);
	l = ub_dm_layout_of(n->uri, &account);
	if (m->mode == UB_MODEL_BOOTSTRAP) {
		if (!l)
			return refuse(
				m,
				"%s is neither a DM account nor a connectivity MO: a bootstrap "
				"writes only those",
				n->uri);
		if (l != m->layout)
			return refuse(m,
				      "%s: a %s bootstrap cannot write where the other DM version "
				      "keeps its MOs",
				      n->uri, m->layout->name);
	}
	len = root_len(n->uri, l, account);
	k = mo_of(m, n->uri, len, !l ? UB_MO_DEVICE : account ? UB_MO_ACCOUNT : UB_MO_CONNMO, l);
	if (k < 0)
		return k;
	/* an account or a ConnMO is an interior node; its leaves are below */
	if (l && !n->uri[len] && (strcmp(n->format, "node") || n->value))
		return refuse(m, "%s is a management object's root: it cannot be a leaf", n->uri);
	n->mo = k;
	return 0;
}

/* Every account's ServerID: exactly one direct child spelled as its DM
 * version spells it, a leaf whose value is an ACL principal.  One pass
 * over the nodes (an import has many accounts). */
static int server_ids(struct model *m)
{
	struct ub_plan *p = m->p;
	const char *name;
	size_t i, rl, k;

	for (i = 0; i < p->nnodes; i++) {
		const struct ub_plan_node *n = &p->nodes[i];
		struct ub_mo *mo = n->mo >= 0 ? &p->mos[n->mo] : NULL;

		if (!mo || mo->kind != UB_MO_ACCOUNT)
			continue;
		rl = strlen(mo->root);
		if (n->uri[rl] == '\0')
			continue; /* the account's own node */
		name = n->uri + rl + 1;
		if (strchr(name, '/') || strcasecmp(name, mo->layout->server_leaf))
			continue;
		if (strcmp(name, mo->layout->server_leaf))
			return refuse(m, "%s: %s spells it %s", n->uri, mo->layout->name,
				      mo->layout->server_leaf);
		if (!strcmp(n->format, "node") || !n->value || !ub_dm_server_id_ok(n->value))
			return refuse(m,
				      "%s: a ServerID is 1-127 printable characters without "
				      "'=', '&', '*', '+' or spaces",
				      n->uri);
		if (!strncasecmp(n->value, UB_LWM2M_OWNER_PREFIX, strlen(UB_LWM2M_OWNER_PREFIX)))
			return refuse(
				m,
				"%s: ServerIDs starting with %s name the LwM2M servers of the "
				"card's LwM2M bootstrap",
				n->uri, UB_LWM2M_OWNER_PREFIX);
		mo->server_id = n->value; /* a node is given once: the only one */
	}
	for (k = 0; k < p->nmos; k++)
		if (p->mos[k].kind == UB_MO_ACCOUNT && !p->mos[k].server_id)
			return refuse(m, "account %s without a %s", p->mos[k].root,
				      p->mos[k].layout->server_leaf);
	return 0;
}

/* Accounts by ServerID, then layout: two of one server side by side. */
static int cmp_account(const void *a, const void *b)
{
	const struct ub_mo *x = *(const struct ub_mo *const *)a,
			   *y = *(const struct ub_mo *const *)b;
	int c = strcmp(x->server_id, y->server_id);

	return c ? c : (x->layout > y->layout) - (x->layout < y->layout);
}

/* The S of an owner's ACL "Get=S&Replace=S&Delete=S" (as apply writes
 * it) into s, or false. */
static bool owner_acl_of(const char *given, char s[UB_SERVER_ID_MAX + 1])
{
	char acl[UB_ACL_MAX + 1];
	size_t n;

	if (strncmp(given, "Get=", 4))
		return false;
	n = strcspn(given + 4, "&");
	if (n > UB_SERVER_ID_MAX)
		return false;
	memcpy(s, given + 4, n);
	s[n] = '\0';
	return !ub_dm_owner_acl(s, acl, sizeof(acl)) && !strcmp(acl, given);
}

/* In an import (a backup written by tree export), a ConnMO's owner is
 * what its root's ACL says: the server S of an owner's ACL (as apply
 * wrote it), else the device.  A reference proves nothing there: any
 * server may have referred to the device's APN.  Whether S has an account
 * does not count, in the import or in the tree: a ConnMO may outlive its
 * server's account, and an import may add one to an account the tree
 * holds; either way the next export -> import must give it to S again.
 * The ACL already gives S every right on it that owning it does. */
static int import_owner(struct model *m, struct ub_mo *mo)
{
	const struct ub_plan *p = m->p;
	char s[UB_SERVER_ID_MAX + 1];
	long i = m->root_node[mo - p->mos];

	mo->server_id = NULL;
	/* S a server that could hold an account: never "*", never an
	 * LwM2M server's name */
	if (i < 0 || !p->nodes[i].acl || !owner_acl_of(p->nodes[i].acl, s) ||
	    !ub_dm_server_id_ok(s) ||
	    !strncasecmp(s, UB_LWM2M_OWNER_PREFIX, strlen(UB_LWM2M_OWNER_PREFIX)))
		return 0;
	free(mo->owner);
	if (!(mo->owner = strdup(s)))
		return UB_E_NOMEM;
	mo->server_id = mo->owner;
	return 0;
}

/* A bootstrap's ConnMO root carries its owner's ACL (apply writes it when
 * the bootstrap gives none), and a ConnMO of the device no server's: a
 * tree import reads the owner from that ACL, so any other would hand the
 * ConnMO to another server, or to the device, after export -> import. */
static int connmo_acl(struct model *m, const struct ub_mo *mo)
{
	const struct ub_plan *p = m->p;
	char s[UB_SERVER_ID_MAX + 1], acl[UB_ACL_MAX + 1];
	long i = m->root_node[mo - p->mos];
	const char *given = i >= 0 ? p->nodes[i].acl : NULL;

	if (!given)
		return 0;
	if (mo->server_id &&
	    (ub_dm_owner_acl(mo->server_id, acl, sizeof(acl)) || strcmp(acl, given)))
		return refuse(m,
			      "%s: the ACL of a connectivity MO is its owner's (Get=%s&Replace=%s&"
			      "Delete=%s) or none: a tree import reads the owner from it",
			      mo->root, mo->server_id, mo->server_id, mo->server_id);
	if (!mo->server_id && owner_acl_of(given, s))
		return refuse(m,
			      "%s: a connectivity MO of the device cannot have the owner's ACL of "
			      "%s: a tree import would give it to that server",
			      mo->root, s);
	return 0;
}

/* A connectivity MO belongs to the server whose accounts refer to it (a
 * value naming it or a node below it), else to the plan's only server;
 * with several candidates no owner can be told apart. */
static int owner_of(struct model *m, struct ub_mo *mo, const char *only_server, bool several)
{
	const struct ub_plan *p = m->p;
	const char *owner = NULL;
	size_t i;

	if (m->mode == UB_MODEL_IMPORT)
		return import_owner(m, mo);
	for (i = 0; i < p->nnodes; i++) {
		const struct ub_plan_node *n = &p->nodes[i];
		const struct ub_mo *from = n->mo >= 0 ? &p->mos[n->mo] : NULL;

		if (!from || from->kind != UB_MO_ACCOUNT || !ub_dm_is_reference(n->uri, n->value) ||
		    !ub_uri_under(n->value, mo->root))
			continue;
		if (owner && strcmp(owner, from->server_id)) {
			owner = NULL;
			several = true;
			break;
		}
		owner = from->server_id;
	}
	if (!owner && !several)
		owner = only_server; /* may be NULL: connectivity only (CP) */
	if (!owner && several)
		return refuse(
			m,
			"%s: the bootstrap configures several servers and no single one refers "
			"to this connectivity MO",
			mo->root);
	mo->server_id = owner;
	return 0;
}

static int cmp_node(const void *a, const void *b)
{
	return strcmp((*(struct ub_plan_node *const *)a)->uri,
		      (*(struct ub_plan_node *const *)b)->uri);
}

/* A node given twice, and a leaf with children (DM-TND 5: the export
 * could not write the tree back): refused.  Sorted once, each parent
 * found by bisection. */
static int leaf_parents(struct model *m)
{
	struct ub_plan *p = m->p;
	struct ub_plan_node **v, key, *kp = &key, **hit;
	char parent[UB_URI_MAX + 1], *slash;
	size_t i;
	int err = 0;

	if (p->nnodes < 2)
		return 0;
	if (!(v = malloc(p->nnodes * sizeof(*v))))
		return UB_E_NOMEM;
	for (i = 0; i < p->nnodes; i++)
		v[i] = &p->nodes[i];
	qsort(v, p->nnodes, sizeof(*v), cmp_node);
	for (i = 1; i < p->nnodes && !err; i++)
		if (!strcmp(v[i - 1]->uri, v[i]->uri))
			err = refuse(m, "node given twice: %s", v[i]->uri);
	key.uri = parent;
	for (i = 0; i < p->nnodes && !err; i++) {
		snprintf(parent, sizeof(parent), "%s", v[i]->uri);
		if (!(slash = strrchr(parent, '/')))
			continue;
		*slash = '\0';
		hit = bsearch(&kp, v, p->nnodes, sizeof(*v), cmp_node);
		if (hit && strcmp((*hit)->format, "node"))
			err = refuse(m, "%s: its parent %s is a leaf", v[i]->uri, parent);
	}
	free(v);
	return err;
}

/* What the resources of one LwM2M Object Instance say of its owner. */
struct lw_owner {
	bool has_bs, bs, has_ssid, has_link;
	int64_t ssid;
	uint16_t link_obj, link_inst; /* Security 17: the OSCORE Instance it uses */
};

/* The value of a single resource leaf, read as its type. */
static void lwm2m_fact(const struct ub_plan_node *n, const struct ub_lwm2m_path *p,
		       struct lw_owner *o)
{
	uint8_t v[16];
	int k;

	if (p->depth != 3 || !n->value || strlen(n->value) > 24)
		return;
	k = ub_lwm2m_leaf_bytes(p->obj, p->res, n->format, n->type, n->value, v, sizeof(v), NULL);
	if (k < 0)
		return; /* refused in lwm2m_node already */
	if (p->obj == 0 && p->res == 1)
		o->has_bs = !ub_lwm2m_bool(v, (size_t)k, &o->bs);
	else if ((p->obj == 0 && p->res == 10) || (p->obj == 1 && p->res == 0))
		o->has_ssid = !ub_lwm2m_int(v, (size_t)k, &o->ssid);
	else if (p->obj == 0 && p->res == 17)
		o->has_link = !ub_lwm2m_objlnk(v, (size_t)k, &o->link_obj, &o->link_inst);
}

static int set_owner(struct ub_mo *mo, const char *name)
{
	if (!(mo->owner = strdup(name)))
		return UB_E_NOMEM;
	mo->server_id = mo->owner;
	return 0;
}

/* The owner of a Security or Server Instance (E.1, E.2): the server of
 * its Short Server ID, or the Bootstrap-Server. */
static int server_owner(struct model *m, struct ub_mo *mo, const struct ub_lwm2m_path *p,
			const struct lw_owner *o)
{
	char name[32];

	if (p->obj == 0 && o->has_bs && o->bs)
		return set_owner(mo, UB_LWM2M_OWNER_BOOTSTRAP);
	if (!o->has_ssid || o->ssid < 1 || o->ssid > 65534)
		return refuse(m, "%s: a %s Instance without a Short Server ID 1..65534%s", mo->root,
			      p->obj ? "Server" : "Security",
			      p->obj ? "" : " that is not the Bootstrap-Server's");
	snprintf(name, sizeof(name), "%s%" PRId64, UB_LWM2M_OWNER_PREFIX, o->ssid);
	return set_owner(mo, name);
}

/* An OSCORE Instance belongs to the server whose Security Instance uses
 * it; one no Instance of this plan uses, to the LwM2M client. */
static int oscore_owner(struct model *m, struct ub_mo *mo, const struct ub_lwm2m_path *p,
			const struct lw_owner *all)
{
	const struct ub_plan *pl = m->p;
	const char *owner = NULL;
	struct ub_lwm2m_path q;
	size_t k;

	for (k = 0; k < pl->nmos; k++) {
		if (pl->mos[k].kind != UB_MO_LWM2M || ub_lwm2m_uri_parse(pl->mos[k].root, &q) ||
		    q.obj != 0 || !all[k].has_link || all[k].link_obj != p->obj ||
		    all[k].link_inst != p->inst || !pl->mos[k].server_id)
			continue;
		if (owner && strcmp(owner, pl->mos[k].server_id))
			return refuse(m, "%s: the Security Instances of several servers use it",
				      mo->root);
		owner = pl->mos[k].server_id;
	}
	return set_owner(mo, owner ? owner : UB_LWM2M_OWNER_CLIENT);
}

/* Every LwM2M Object Instance's owner; one Instance per server and Object. */
static int lwm2m_owners(struct model *m)
{
	struct ub_plan *p = m->p;
	struct lw_owner *o = calloc(p->nmos + 1, sizeof(*o));
	struct ub_lwm2m_path q;
	size_t i, k;
	int err = 0, pass;

	if (!o)
		return UB_E_NOMEM;
	for (i = 0; i < p->nnodes; i++)
		if (p->nodes[i].mo >= 0 && p->mos[p->nodes[i].mo].kind == UB_MO_LWM2M &&
		    !ub_lwm2m_uri_parse(p->nodes[i].uri, &q))
			lwm2m_fact(&p->nodes[i], &q, &o[p->nodes[i].mo]);
	/* Security and Server first: OSCORE owners follow Security's */
	for (pass = 0; pass < 2 && !err; pass++) {
		for (k = 0; k < p->nmos && !err; k++) {
			struct ub_mo *mo = &p->mos[k];

			if (mo->kind != UB_MO_LWM2M || ub_lwm2m_uri_parse(mo->root, &q) ||
			    (q.obj == 21) != (pass == 1))
				continue;
			if (q.obj == 0 || q.obj == 1)
				err = server_owner(m, mo, &q, &o[k]);
			else if (q.obj == 21)
				err = oscore_owner(m, mo, &q, o);
			else
				err = set_owner(mo, UB_LWM2M_OWNER_CLIENT);
		}
	}
	/* a client takes one Security and one Server Instance per server */
	for (k = 0; k < p->nmos && !err; k++)
		for (i = 0; i < k && !err; i++)
			if (p->mos[k].kind == UB_MO_LWM2M && p->mos[i].kind == UB_MO_LWM2M &&
			    strcmp(p->mos[k].server_id, UB_LWM2M_OWNER_CLIENT) &&
			    !strcmp(p->mos[k].server_id, p->mos[i].server_id) &&
			    !strncmp(p->mos[k].root, p->mos[i].root,
				     (size_t)(strrchr(p->mos[k].root, '/') - p->mos[k].root) + 1))
				err = refuse(m, "%s and %s: two Instances of one Object for %s",
					     p->mos[i].root, p->mos[k].root, p->mos[k].server_id);
	free(o);
	return err;
}

const char *ub_plan_server(const struct ub_plan *p, size_t i)
{
	size_t k;

	for (k = 0; k < p->nmos; k++)
		if (p->mos[k].kind == UB_MO_ACCOUNT && !i--)
			return p->mos[k].server_id;
	return NULL;
}

int ub_plan_model(struct ub_plan *p, enum ub_model_mode mode, struct ub_status *st)
{
	struct model m = {.p = p,
			  .mode = mode,
			  .layout = ub_dm_layout(p->kind == UB_PLAN_DM11 ? UB_DM11 : UB_DM12),
			  .st = st};
	const char *only = NULL;
	bool several = false;
	size_t i, k;
	int err = 0;

	/* again from the start when the plan changed */
	for (k = 0; k < p->nmos; k++)
		free(p->mos[k].root), free(p->mos[k].owner);
	free(p->mos);
	p->mos = NULL;
	p->nmos = 0;
	for (i = 0; i < p->nnodes && !err; i++)
		err = classify(&m, &p->nodes[i]);
	if (!err)
		err = leaf_parents(&m);
	m.accounts = calloc(p->nmos + 1, sizeof(*m.accounts));
	m.root_node = malloc((p->nmos + 1) * sizeof(*m.root_node));
	if (!err && (!m.accounts || !m.root_node))
		err = UB_E_NOMEM;
	if (!err)
		err = server_ids(&m);
	for (k = 0; k < p->nmos && !err; k++)
		if (p->mos[k].kind == UB_MO_LWM2M) {
			err = lwm2m_owners(&m);
			break;
		}
	for (k = 0; k < p->nmos && !err; k++) {
		m.root_node[k] = -1;
		if (p->mos[k].kind != UB_MO_ACCOUNT)
			continue;
		m.accounts[m.naccounts++] = &p->mos[k];
		if (only && strcmp(only, p->mos[k].server_id))
			several = true;
		only = p->mos[k].server_id;
	}
	for (i = 0; i < p->nnodes && !err; i++)
		if (p->nodes[i].mo >= 0 && !strcmp(p->nodes[i].uri, p->mos[p->nodes[i].mo].root))
			m.root_node[p->nodes[i].mo] = (long)i;
	/* an Object Instance's node carries its Object's URN (its Type): one
	 * implied by its resources would have none, and the tree it made
	 * would not import back */
	for (k = 0; k < p->nmos && !err; k++)
		if (p->mos[k].kind == UB_MO_LWM2M && m.root_node[k] < 0)
			err = refuse(
				&m,
				"%s: an Object Instance without its own node (an interior node "
				"whose Type is its Object's URN)",
				p->mos[k].root);
	/* one account per server: which one a later bootstrap of that server
	 * replaces must be clear */
	if (!err)
		qsort(m.accounts, m.naccounts, sizeof(*m.accounts), cmp_account);
	for (k = 1; k < m.naccounts && !err; k++)
		if (!cmp_account(&m.accounts[k - 1], &m.accounts[k]))
			err = refuse(&m, "two accounts for ServerID %s (%s)",
				     m.accounts[k]->server_id, m.accounts[k]->root);
	if (several)
		only = NULL;
	for (k = 0; k < p->nmos && !err; k++) {
		if (p->mos[k].kind == UB_MO_CONNMO)
			err = owner_of(&m, &p->mos[k], only, several);
		if (!err && p->mos[k].kind == UB_MO_CONNMO && mode == UB_MODEL_BOOTSTRAP)
			err = connmo_acl(&m, &p->mos[k]);
		/* an account is its ServerID's, an LwM2M Instance its server's,
		 * whatever the file says; a ConnMO of an import is owned only
		 * as its ACL says */
		p->mos[k].owner_acl = mode == UB_MODEL_BOOTSTRAP ||
				      p->mos[k].kind == UB_MO_ACCOUNT ||
				      p->mos[k].kind == UB_MO_LWM2M;
	}
	if (!err && mode == UB_MODEL_BOOTSTRAP && p->kind != UB_PLAN_CP &&
	    p->kind != UB_PLAN_LWM2M && !ub_plan_server(p, 0))
		err = refuse(&m, "the bootstrap configures no DM account");
	if (!err && mode == UB_MODEL_BOOTSTRAP && !p->nmos)
		err = refuse(&m, "the bootstrap writes nothing");
	free(m.slot);
	free(m.accounts);
	free(m.root_node);
	return ub_status_err(st, err);
}

/* Is plan node i an address of account MO k? */
static bool address_of(const struct ub_plan *p, size_t k, size_t i)
{
	const struct ub_mo *mo = &p->mos[k];
	size_t rl = strlen(mo->root);

	return p->nodes[i].mo == (int)k && strlen(p->nodes[i].uri) > rl &&
	       ub_dm_is_address(mo->layout, p->nodes[i].uri + rl + 1);
}

long ub_plan_address_not_at(const struct ub_plan *p, size_t k, const char *host, size_t *n)
{
	char h[256];
	long bad = -1;
	size_t i;

	*n = 0;
	for (i = 0; i < p->nnodes; i++) {
		if (!address_of(p, k, i))
			continue;
		++*n;
		if (bad < 0 &&
		    (!p->nodes[i].value || ub_uri_host(p->nodes[i].value, h, sizeof(h)) ||
		     strcasecmp(h, host)))
			bad = (long)i;
	}
	return bad;
}

int ub_plan_account_host(const struct ub_plan *p, size_t k, char *host, size_t max)
{
	size_t i;

	for (i = 0; i < p->nnodes; i++)
		if (address_of(p, k, i))
			return p->nodes[i].value && !ub_uri_host(p->nodes[i].value, host, max);
	return 0;
}
