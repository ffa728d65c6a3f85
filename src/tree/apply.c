/* One bootstrap, one transaction: where each MO of the plan goes, and
 * which nodes a card's stale data leaves behind.  The rules (see
 * docs/trust-model.md):
 *   - an MO is written into a subtree that is new, or that is the same
 *     ServerID's account being replaced; never into, over or under a node
 *     another ServerID owns;
 *   - containers belong to the device: created when missing, never owned,
 *     changed or removed by a bootstrap;
 *   - the parties are the servers (by ServerID) and the device (its
 *     connectivity from an OMA CP push without w7, a card's, an import's);
 *   - a ConnMO whose name is taken, or named by another party's node, is
 *     renamed (the first free <name><n>) and the references of the same
 *     bootstrap follow it (OMA-TS-DM_Bootstrap 1.2 5.4.5); one equal to
 *     ours and of the same owner is reused;
 *   - a node names (a reference, ub_dm_is_reference, in its one spelling)
 *     only its own party's ConnMOs or the device's, the device's only the
 *     device's, and nobody a device's ConnMO that leads to a server's;
 *   - what a party's new bootstrap supersedes (a server's old ConnMOs of
 *     the same source, the connectivity of earlier connectivity-only
 *     pushes) goes, but for what another node still names;
 *   - removing what a source wrote never orphans another source's nodes;
 *   - an LwM2M Object Instance keeps the card's ID (Objlnk values name
 *     it): it is never renamed, never written over or beside another
 *     source's Instance, nor beside one of its own server in its Object.
 * The decisions are made here; store.c reads and writes. */
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dm_names.h"
#include "store.h"
#include "ub_account.h"
#include "ub_apply.h"
#include "ub_bootsec.h"
#include "ub_error.h"
#include "ub_intake.h"
#include "ub_lwm2m_map.h"

struct root {
	const struct ub_mo *mo;
	char final[UB_URI_MAX + 1];    /* where it goes */
	char replaces[UB_URI_MAX + 1]; /* the same ServerID's account in the tree */
	bool skip;		       /* an equal ConnMO of the same owner is there */
	bool identical;		       /* the replaced account equals the plan's */
};

struct uriset {
	char **slot; /* open addressing; NULL: empty */
	size_t cap, n;
};

struct work {
	struct ub_tree *t;
	const struct ub_plan *plan;
	const struct ub_policy *pol;
	const struct ub_apply_opts *o;
	char **uri, **value;	    /* the plan's, after renames */
	bool *rewritten;	    /* value[i] follows a renamed MO */
	struct root *roots;	    /* one per plan MO */
	size_t *by_mo;		    /* node indices grouped by MO: those of MO k are */
	size_t *mo_start;	    /* by_mo[mo_start[k] .. mo_start[k + 1]) */
	const struct root **finals; /* every root, by its final URI (after resolve) */
	struct uriset names;	    /* the plan's roots and the names given so far */
	struct uriset clean;	    /* the device's MOs that lead to no server's */
	struct ub_status *st;	    /* why the plan is refused */
};

/* The plan is refused (err): st says why. */
#define refuse(w, err, ...) ub_fail((w)->st, err, 0, NULL, __VA_ARGS__)

/* --- a set of URIs (copies), for the name checks of one apply --- */

static size_t fnv(const char *s)
{
	size_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static bool set_has(const struct uriset *u, const char *s)
{
	size_t i;

	if (!u->cap)
		return false;
	for (i = fnv(s) & (u->cap - 1); u->slot[i]; i = (i + 1) & (u->cap - 1))
		if (!strcmp(u->slot[i], s))
			return true;
	return false;
}

static void set_put(struct uriset *u, char *s)
{
	size_t i = fnv(s) & (u->cap - 1);

	while (u->slot[i])
		i = (i + 1) & (u->cap - 1);
	u->slot[i] = s;
	u->n++;
}

/* Add a copy of s (at most half full: grown first).  0 or UB_E_NOMEM. */
static int set_add(struct uriset *u, const char *s)
{
	char *d, **old = u->slot;
	size_t i, cap = u->cap;

	if (set_has(u, s))
		return 0;
	if (2 * (u->n + 1) > u->cap) {
		if (!(u->slot = calloc(cap ? 2 * cap : 64, sizeof(*u->slot)))) {
			u->slot = old;
			return UB_E_NOMEM;
		}
		u->cap = cap ? 2 * cap : 64;
		u->n = 0;
		for (i = 0; i < cap; i++)
			if (old[i])
				set_put(u, old[i]);
		free(old);
	}
	if (!(d = strdup(s)))
		return UB_E_NOMEM;
	set_put(u, d);
	return 0;
}

static void set_free(struct uriset *u)
{
	size_t i;

	for (i = 0; i < u->cap; i++)
		free(u->slot[i]);
	free(u->slot);
	memset(u, 0, sizeof(*u));
}

/* The connectivity MO that a URI names (a reference's value, or a node):
 * its root into root, or false. */
static bool connmo_root(const char *uri, char root[UB_URI_MAX + 1])
{
	const struct ub_dm_layout *l;
	bool account = false;
	size_t n;

	if (strlen(uri) > UB_URI_MAX || !(l = ub_dm_layout_of(uri, &account)) || account)
		return false;
	n = strlen(l->connmos) + 1;
	n += strcspn(uri + n, "/");
	memcpy(root, uri, n);
	root[n] = '\0';
	return true;
}

/* --- the result --- */

static int push_str(char ***v, size_t *n, size_t *cap, const char *s)
{
	char **x, *d = strdup(s);

	if (!d)
		return UB_E_NOMEM;
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;

		if (!(x = realloc(*v, c * sizeof(*x)))) {
			free(d);
			return UB_E_NOMEM;
		}
		*v = x;
		*cap = c;
	}
	(*v)[(*n)++] = d;
	return 0;
}

int ub_apply_result_account(struct ub_apply_result *r, const char *uri)
{
	return push_str(&r->accounts, &r->naccounts, &r->cap[0], uri);
}

static int report_removed(const char *uri, void *arg)
{
	struct ub_apply_result *r = arg;

	return push_str(&r->removed, &r->nremoved, &r->cap[2], uri);
}

static int report_rename(struct ub_apply_result *r, const char *from, const char *to)
{
	struct ub_rename *x;

	if (r->nrenamed == r->cap[1]) {
		size_t c = r->cap[1] ? 2 * r->cap[1] : 8;

		if (!(x = realloc(r->renamed, c * sizeof(*x))))
			return UB_E_NOMEM;
		r->renamed = x;
		r->cap[1] = c;
	}
	x = &r->renamed[r->nrenamed];
	x->from = strdup(from);
	x->to = strdup(to);
	if (!x->from || !x->to) {
		free(x->from), free(x->to);
		return UB_E_NOMEM;
	}
	r->nrenamed++;
	return 0;
}

void ub_apply_result_free(struct ub_apply_result *r)
{
	size_t i;

	for (i = 0; i < r->naccounts; i++)
		free(r->accounts[i]);
	for (i = 0; i < r->nremoved; i++)
		free(r->removed[i]);
	for (i = 0; i < r->nrenamed; i++)
		free(r->renamed[i].from), free(r->renamed[i].to);
	free(r->accounts);
	free(r->removed);
	free(r->renamed);
	memset(r, 0, sizeof(*r));
}

/* --- where each MO goes --- */

static bool same_owner(const char *a, const char *b)
{
	return (!a || !*a) ? (!b || !*b) : (b && !strcmp(a, b));
}

/* For a ConnMO, a server's or the device's: does a leaf of another party
 * (another server, the device; for the device's, any server) name uri?  A
 * reference that names no node yet would otherwise, once the ConnMO is
 * written there, hand that party this one's connectivity and
 * credentials.  1, 0, or an error. */
static int named_by_other(struct work *w, const struct root *r, const char *uri)
{
	if (r->mo->kind != UB_MO_CONNMO)
		return 0;
	return ub_store_referenced_by_other(w->t, uri, r->mo->server_id);
}

/* Is uri taken for r's MO: a node there, or named_by_other()?  1, 0, or
 * an error. */
static int taken(struct work *w, const struct root *r, const char *uri)
{
	int ex = ub_store_exists(w->t, uri);

	return ex ? ex : named_by_other(w, r, uri);
}

/* r->final: where r goes; remembered, so no other root of the plan takes
 * the name. */
static int set_final(struct work *w, struct root *r, const char *uri)
{
	memmove(r->final, uri, strlen(uri) + 1);
	return set_add(&w->names, uri);
}

/* r->final = r->mo->root + the first number that gives a free name: not
 * in the tree, named by no other party (named_by_other), not a root of
 * this plan nor a name given to one.  Each name tried and found taken is
 * one of those, so the search ends, each try one lookup by an index:
 * whoever holds <name>1 ... <name>999 makes it longer, never fail. */
static int free_name(struct work *w, struct root *r)
{
	char cand[UB_URI_MAX + 24];
	unsigned long i;
	int ex;

	for (i = 1;; i++) {
		if (snprintf(cand, sizeof(cand), "%s%lu", r->mo->root, i) > UB_URI_MAX ||
		    ub_uri_check(cand, NULL))
			return refuse(w, UB_E_BAD_DATA,
				      "%s is taken, and a new name for it would be longer than "
				      "1024 bytes",
				      r->mo->root);
		if (set_has(&w->names, cand))
			continue;
		if ((ex = taken(w, r, cand)) < 0)
			return ex;
		if (!ex)
			return set_final(w, r, cand);
	}
}

/* Is the tree's subtree at r->final exactly the plan's MO (formats and
 * values, the leaves no more and no fewer)? */
static int same_subtree(struct work *w, const struct root *r, bool *same)
{
	const struct ub_plan *p = w->plan;
	const struct ub_mo *mo = r->mo;
	struct ub_tree_node n;
	size_t i, k, leaves = 0;
	int err, tree_leaves;

	*same = true;
	for (k = w->mo_start[mo - p->mos]; k < w->mo_start[mo - p->mos + 1] && *same; k++) {
		i = w->by_mo[k];
		if ((err = ub_store_get(w->t, w->uri[i], &n)) == UB_E_NOT_FOUND) {
			*same = false;
			break;
		}
		if (err)
			return err;
		*same = !strcmp(n.format, p->nodes[i].format) &&
			(n.value == NULL) == (w->value[i] == NULL) &&
			(!n.value || !strcmp(n.value, w->value[i]));
		ub_tree_node_free(&n);
		if (strcmp(p->nodes[i].format, "node"))
			leaves++;
	}
	if (!*same)
		return 0;
	/* interior nodes may be implied by the plan's URIs, leaves may not */
	tree_leaves = ub_store_count_leaves(w->t, r->final);
	if (tree_leaves < 0)
		return tree_leaves;
	*same = (size_t)tree_leaves == leaves;
	return 0;
}

static char *replace_prefix(const char *s, size_t old_len, const char *prefix)
{
	size_t n = strlen(prefix) + strlen(s + old_len) + 1;
	char *x = malloc(n);

	if (x)
		snprintf(x, n, "%s%s", prefix, s + old_len);
	return x;
}

/* The MO moves from its plan URI to r->final: its nodes, and for a ConnMO
 * the references to it in the same bootstrap (DM-Boot 5.4.5). */
static int rename_root(struct work *w, struct root *r)
{
	const struct ub_plan *p = w->plan;
	const char *from = r->mo->root;
	size_t i, ol = strlen(from);
	char *n;

	for (i = 0; i < p->nnodes; i++) {
		const struct ub_plan_node *pn = &p->nodes[i];

		if (pn->mo >= 0 && &p->mos[pn->mo] == r->mo) {
			if (!(n = replace_prefix(w->uri[i], ol, r->final)))
				return UB_E_NOMEM;
			free(w->uri[i]);
			w->uri[i] = n;
		}
		/* a ServerID is a name and a secret a value, not references,
		 * whatever they look like (ub_dm_is_reference) */
		if (r->mo->kind != UB_MO_CONNMO || !ub_dm_is_reference(pn->uri, w->value[i]) ||
		    !ub_uri_under(w->value[i], from))
			continue;
		if (!(n = replace_prefix(w->value[i], ol, r->final)))
			return UB_E_NOMEM;
		free(w->value[i]);
		w->value[i] = n;
		w->rewritten[i] = true;
	}
	return 0;
}

struct bound {
	const struct ub_dm_layout *layout;
	size_t root_len;
	const char *host;
	unsigned addresses;
	char uri[UB_URI_MAX + 1];
};

static int address_cb(const struct ub_tree_node *n, void *arg)
{
	struct bound *b = arg;
	char host[256];

	if (strlen(n->uri) <= b->root_len || !ub_dm_is_address(b->layout, n->uri + b->root_len + 1))
		return 0;
	b->addresses++;
	if (!n->value || ub_uri_host(n->value, host, sizeof(host)) || strcasecmp(host, b->host)) {
		snprintf(b->uri, sizeof(b->uri), "%s", n->uri);
		return 1;
	}
	return 0;
}

/* Is every server address of the account r replaces at host (and has it
 * one)?  1, 0 (b->uri: the first that is not, or "" for none), or an
 * error. */
static int tree_at_host(struct work *w, const struct root *r, const char *host, struct bound *b)
{
	int err;

	*b = (struct bound){r->mo->layout, strlen(r->replaces), host, 0, ""};
	err = ub_store_each(w->t, r->replaces, address_cb, b);
	return err < 0 ? err : !err && b->addresses;
}

/* A GBA-keyed push may replace an account only when the account was the
 * signing NAF's already: every address of it hosted at that NAF. */
static int bound_to_naf(struct work *w, const struct root *r)
{
	struct bound b;
	int at = tree_at_host(w, r, w->o->naf_host, &b);

	if (at)
		return at < 0 ? at : 0;
	if (b.uri[0])
		return refuse(w, UB_E_POLICY,
			      "%s is not at the NAF that signed this push (%s): the account of "
			      "another server is not replaced",
			      b.uri, w->o->naf_host);
	/* no address: nothing shows the account was this NAF's */
	return refuse(w, UB_E_POLICY,
		      "%s has no server address: a GBA push signed by %s does not replace it",
		      r->replaces, w->o->naf_host);
}

/* --- which source may replace which: one table --- */

/* The kind of a source (node.source, ub_apply_opts.source): ub_source.h. */
static enum ub_source src_kind(const char *source)
{
	enum ub_source k;

	ub_source_parse(source, &k);
	return k;
}

enum may {
	MAY_YES,	 /* replaced */
	MAY_NO,		 /* refused */
	MAY_SAME_SERVER, /* only by the same server: same_server() */
	MAY_CARD_POLICY, /* [smartcard] replace_accounts: cards (no), same_server, yes */
	MAY_PUSH_POLICY, /* [push] replace_card_accounts: no, gba (a GBA-keyed push), yes */
};

/* What the source that writes now (row) may do to an account of the
 * same ServerID that another source wrote (column), and the rule a
 * refusal names.  Its own source's account is always replaced (a GBA
 * push's, as every account it replaces, only at its NAF: bound_to_naf).
 * The owner's import and factory image replace anything: they are the
 * device's own data. */
static const struct replace_rule {
	enum may may;
	const char *rule;
} replace_rules[UB_SRC_KINDS][UB_SRC_KINDS] = {
#define CARD_RULE "a card replaces only what cards wrote ([smartcard] replace_accounts)"
#define PUSH_RULE                                                                    \
	"a push without the card's GBA key replaces only what pushes wrote ([push] " \
	"replace_card_accounts)"
	[UB_SRC_CARD] =
		{[UB_SRC_CARD] = {MAY_SAME_SERVER,
				  "a card replaces another card's account only when it is the "
				  "same server"},
		 [UB_SRC_PUSH] = {MAY_CARD_POLICY, CARD_RULE},
		 [UB_SRC_FACTORY] = {MAY_CARD_POLICY, CARD_RULE},
		 [UB_SRC_IMPORT] = {MAY_CARD_POLICY, CARD_RULE},
		 [UB_SRC_DEVICE] = {MAY_CARD_POLICY, CARD_RULE}},
	[UB_SRC_PUSH] = {[UB_SRC_CARD] = {MAY_PUSH_POLICY, PUSH_RULE},
			 [UB_SRC_PUSH] = {MAY_YES, NULL},
			 [UB_SRC_FACTORY] = {MAY_PUSH_POLICY, PUSH_RULE},
			 [UB_SRC_IMPORT] = {MAY_PUSH_POLICY, PUSH_RULE},
			 [UB_SRC_DEVICE] = {MAY_PUSH_POLICY, PUSH_RULE}},
	[UB_SRC_FACTORY] = {{MAY_YES, NULL},
			    {MAY_YES, NULL},
			    {MAY_YES, NULL},
			    {MAY_YES, NULL},
			    {MAY_YES, NULL}},
	[UB_SRC_IMPORT] = {{MAY_YES, NULL},
			   {MAY_YES, NULL},
			   {MAY_YES, NULL},
			   {MAY_YES, NULL},
			   {MAY_YES, NULL}},
	[UB_SRC_DEVICE] = {{MAY_NO, "only a bootstrap or an import writes accounts"},
			   {MAY_NO, "only a bootstrap or an import writes accounts"},
			   {MAY_NO, "only a bootstrap or an import writes accounts"},
			   {MAY_NO, "only a bootstrap or an import writes accounts"},
			   {MAY_NO, "only a bootstrap or an import writes accounts"}},
#undef CARD_RULE
#undef PUSH_RULE
};

/* The policy's word on a rule that leaves it to the policy. */
static enum may policy_may(const struct work *w, enum may may, enum ub_source by)
{
	if (by == UB_SRC_CARD && w->pol->card_replace == UB_CARD_REPLACE_YES)
		return MAY_YES; /* whatever wrote it, another card's too */
	if (may == MAY_CARD_POLICY)
		return w->pol->card_replace == UB_CARD_REPLACE_SAME_SERVER ? MAY_SAME_SERVER
									   : MAY_NO;
	if (may == MAY_PUSH_POLICY)
		return w->pol->replace_card_accounts == UB_REPLACE_YES ||
				       (w->pol->replace_card_accounts == UB_REPLACE_GBA &&
					w->o->naf_host)
			       ? MAY_YES
			       : MAY_NO;
	return may;
}

/* Is the account r replaces the same server as r's MO: the allow-list
 * pins its ServerID to a host that r's addresses are at (verify checked
 * them: boot/verify.c), or every server address of both is at one host.
 * 0 (the same), UB_E_POLICY (why), or an error. */
static int same_server(struct work *w, const struct root *r, const char *holder, const char *rule)
{
	const struct ub_mo *mo = r->mo;
	size_t k = (size_t)(mo - w->plan->mos), n;
	char host[256];
	struct bound b;
	int at;

	if (!ub_plan_account_host(w->plan, k, host, sizeof(host)) ||
	    ub_plan_address_not_at(w->plan, k, host, &n) >= 0)
		return refuse(w, UB_E_POLICY,
			      "%s (ServerID %s, written by %s) is not replaced: %s, and the new "
			      "account has no one server host",
			      r->replaces, mo->server_id, holder, rule);
	if (ub_policy_server_pinned(w->pol, mo->server_id) &&
	    ub_policy_host_allowed(w->pol, mo->server_id, host))
		return 0;
	if ((at = tree_at_host(w, r, host, &b)))
		return at < 0 ? at : 0;
	return refuse(w, UB_E_POLICY,
		      "%s (ServerID %s, written by %s) is not replaced: %s; %s is not at %s, the "
		      "new account's host, and [servers] allow pins no host for it",
		      r->replaces, mo->server_id, holder, rule, b.uri[0] ? b.uri : "no address",
		      host);
}

/* May this bootstrap replace the account r->replaces?  The table above,
 * the policy where it says so.  0, UB_E_POLICY (reason: the account, its
 * source, the rule), or an error. */
static int may_replace(struct work *w, const struct root *r)
{
	char holder[128];
	const struct replace_rule *rule;
	enum ub_source by = src_kind(w->o->source), of;
	enum may may;
	int n = ub_store_source(w->t, r->replaces, holder, sizeof(holder));

	if (n < 0)
		return n;
	if (!n)
		holder[0] = '\0';
	if (!strcmp(holder, w->o->source))
		return 0; /* its own */
	of = src_kind(holder);
	rule = &replace_rules[by][of];
	may = policy_may(w, rule->may, by);
	if (may == MAY_YES)
		return 0;
	if (!holder[0])
		snprintf(holder, sizeof(holder), "%s", ub_source_what(UB_SRC_DEVICE));
	if (may == MAY_SAME_SERVER)
		return same_server(w, r, holder,
				   rule->may == MAY_SAME_SERVER
					   ? rule->rule
					   : "a card replaces the account of another source only "
					     "when it is the same server ([smartcard] "
					     "replace_accounts = same_server)");
	return refuse(w, UB_E_POLICY, "%s (ServerID %s) was written by %s: %s, not replaced by %s",
		      r->replaces, r->mo->server_id, holder, rule->rule, w->o->source);
}

static int place_account(struct work *w, struct root *r)
{
	const struct ub_mo *mo = r->mo;
	int n, ex, foreign;

	n = ub_store_accounts_of(w->t, mo->layout, mo->server_id, r->replaces, sizeof(r->replaces));
	if (n < 0)
		return n;
	if (n > 1)
		return refuse(w, UB_E_BAD_DATA,
			      "the tree holds more than one account for ServerID %s (%s, ...)",
			      mo->server_id, r->replaces);
	if (n == 1) {
		if (w->pol->account == UB_CONFLICT_REJECT)
			return refuse(w, UB_E_POLICY,
				      "an account for ServerID %s exists (%s); policy: reject",
				      mo->server_id, r->replaces);
		/* replacing deletes the whole subtree: all of it must be ours */
		foreign = ub_store_count_foreign(w->t, r->replaces, mo->server_id);
		if (foreign < 0)
			return foreign;
		if (foreign)
			return refuse(w, UB_E_POLICY,
				      "%s holds nodes of another owner: not replaced (ServerID %s)",
				      r->replaces, mo->server_id);
		if ((n = may_replace(w, r)))
			return n;
		if (w->o->naf_host && (n = bound_to_naf(w, r)))
			return n;
		return set_final(w, r, r->replaces);
	}
	r->replaces[0] = '\0';
	if ((ex = ub_store_exists(w->t, mo->root)) < 0)
		return ex;
	/* the name belongs to another server: never touch it */
	return ex ? free_name(w, r) : 0;
}

/* An LwM2M Object Instance goes where the card has it, and only where
 * nothing is: an Instance already there is another source's (the card's
 * own was superseded before), and a second Instance of one server in an
 * Object would give its client two configurations of that server. */
static int place_lwm2m(struct work *w, const struct root *r)
{
	const struct ub_mo *mo = r->mo;
	char parent[UB_URI_MAX + 1], other[UB_URI_MAX + 1];
	const char *at = mo->root;
	struct ub_tree_node n;
	int err;

	snprintf(parent, sizeof(parent), "%s", mo->root);
	*strrchr(parent, '/') = '\0';
	err = ub_store_get(w->t, mo->root, &n);
	if (err == UB_E_NOT_FOUND && strcmp(mo->server_id, UB_LWM2M_OWNER_CLIENT)) {
		err = ub_store_owned_child(w->t, parent, mo->server_id, other, sizeof(other));
		if (err <= 0)
			return err;
		at = other;
		err = ub_store_get(w->t, other, &n);
	} else if (err == UB_E_NOT_FOUND) {
		return 0;
	}
	if (err)
		return err;
	if (at == mo->root)
		refuse(w, UB_E_POLICY,
		       "%s exists (written by %s): an LwM2M Object Instance is neither replaced "
		       "nor renamed",
		       mo->root, n.source ? n.source : ub_source_what(UB_SRC_DEVICE));
	else
		refuse(w, UB_E_POLICY,
		       "%s: %s has an Instance of Object %s already (%s, written by %s)", mo->root,
		       mo->server_id, ub_uri_name(parent), other,
		       n.source ? n.source : ub_source_what(UB_SRC_DEVICE));
	ub_tree_node_free(&n);
	return UB_E_POLICY;
}

static int place_other(struct work *w, struct root *r)
{
	const struct ub_mo *mo = r->mo;
	char owner[UB_SERVER_ID_MAX + 2];
	bool same;
	int ex, err;

	if ((ex = ub_store_owner(w->t, mo->root, owner, sizeof(owner))) < 0)
		return ex;
	if (!ex) { /* free, unless another party's node already names it */
		if ((ex = named_by_other(w, r, mo->root)) <= 0)
			return ex;
		if (w->pol->connmo == UB_CONFLICT_REJECT)
			return refuse(w, UB_E_POLICY,
				      "%s is named by a node of another server or of the device; "
				      "policy: reject",
				      mo->root);
		return free_name(w, r);
	}
	if (same_owner(owner, mo->server_id)) {
		if ((err = same_subtree(w, r, &same)))
			return err;
		if (same) {
			r->skip = true; /* equal: reused */
			return 0;
		}
	}
	if (mo->kind == UB_MO_DEVICE)
		return refuse(w, UB_E_BAD_DATA, "%s exists with other content", mo->root);
	if (w->pol->connmo == UB_CONFLICT_REJECT)
		return refuse(w, UB_E_POLICY,
			      "%s exists with other content or owner; policy: reject", mo->root);
	return free_name(w, r);
}

static int cmp_final(const void *a, const void *b)
{
	return strcmp((*(const struct root *const *)a)->final,
		      (*(const struct root *const *)b)->final);
}

/* Sort the roots by their final URI, for final_at(). */
static void sort_finals(struct work *w)
{
	size_t k;

	for (k = 0; k < w->plan->nmos; k++)
		w->finals[k] = &w->roots[k];
	qsort(w->finals, w->plan->nmos, sizeof(*w->finals), cmp_final);
}

/* The root of this bootstrap that goes to uri, or NULL. */
static const struct root *final_at(const struct work *w, const char *uri)
{
	struct root key;
	const struct root *kp = &key, **hit;

	if (!w->plan || strlen(uri) > UB_URI_MAX)
		return NULL;
	memcpy(key.final, uri, strlen(uri) + 1);
	hit = bsearch(&kp, w->finals, w->plan->nmos, sizeof(*w->finals), cmp_final);
	return hit ? *hit : NULL;
}

static bool is_final(const struct work *w, const char *uri)
{
	return final_at(w, uri) != NULL;
}

/* The owner of the connectivity MO at root ("" the device): this
 * bootstrap's MO that goes there (*planned), else the tree's node.  1, 0
 * (nothing is there), or an error. */
static int connmo_owner(struct work *w, const char *root, char *owner, size_t max, bool *planned)
{
	const struct root *r = final_at(w, root);

	*planned = r != NULL;
	if (r) {
		snprintf(owner, max, "%s", r->mo->server_id ? r->mo->server_id : "");
		return 1;
	}
	return ub_store_owner(w->t, root, owner, max);
}

/* The walk of leads_to_server(): the device's MOs still to read. */
struct chain {
	struct work *w;
	char **queue;
	size_t n, cap;
	char *via;
	int err;
};

static int chain_cb(const struct ub_tree_node *n, void *arg)
{
	struct chain *c = arg;
	char root[UB_URI_MAX + 1], owner[UB_SERVER_ID_MAX + 2];
	bool planned;
	int ex;

	if (strcmp(n->format, "node") == 0 || !ub_dm_is_reference(n->uri, n->value) ||
	    !connmo_root(n->value, root) || set_has(&c->w->clean, root))
		return 0;
	if ((ex = connmo_owner(c->w, root, owner, sizeof(owner), &planned)) <= 0)
		return ex;
	if (owner[0]) {
		memcpy(c->via, root, strlen(root) + 1);
		return 1;
	}
	/* the device's: this bootstrap's are checked as its own nodes */
	if (planned)
		return 0;
	if ((ex = set_add(&c->w->clean, root)) || (ex = push_str(&c->queue, &c->n, &c->cap, root)))
		return ex;
	return 0;
}

/* Does the device's connectivity MO at root (in the tree) name, itself or
 * through other connectivity MOs of the device, one of a server?  Older
 * versions (and tree imports) may have written such a chain; whoever
 * named root would reach that server's connectivity.  1 (the server's
 * root in via), 0, or an error.  What is found clean stays in w->clean:
 * one apply reads each of the device's MOs once at most (an apply that
 * finds one that is not clean is refused). */
static int leads_to_server(struct work *w, const char *root, char via[UB_URI_MAX + 1])
{
	struct chain c = {w, NULL, 0, 0, via, 0};
	size_t i;
	int err;

	if (set_has(&w->clean, root))
		return 0;
	err = set_add(&w->clean, root) ?: push_str(&c.queue, &c.n, &c.cap, root);
	for (i = 0; !err && i < c.n; i++)
		err = ub_store_each(w->t, c.queue[i], chain_cb, &c);
	for (i = 0; i < c.n; i++)
		free(c.queue[i]);
	free(c.queue);
	return err;
}

/* May the node at uri, of owner s (NULL: the device), hold the reference
 * v?  A server's nodes name only its own connectivity MOs or the
 * device's; the device's only the device's; and nobody one of the
 * device's that leads to a server's.  So no node reaches another party's
 * connectivity and credentials by any chain of references. */
static int reference_ok(struct work *w, const char *s, const char *uri, const char *v)
{
	char root[UB_URI_MAX + 1], owner[UB_SERVER_ID_MAX + 2], via[UB_URI_MAX + 1];
	bool planned;
	int ex;

	if (!connmo_root(v, root))
		return 0;
	if ((ex = connmo_owner(w, root, owner, sizeof(owner), &planned)) <= 0)
		return ex;
	if (owner[0] && s && strcmp(owner, s))
		return refuse(w, UB_E_POLICY,
			      "%s refers to %s, the connectivity MO of another server", uri, root);
	if (owner[0] && !s)
		return refuse(w, UB_E_POLICY,
			      "%s refers to %s, the connectivity MO of a server: the device's "
			      "connectivity names only the device's",
			      uri, root);
	if (owner[0] || planned)
		return 0;
	if ((ex = leads_to_server(w, root, via)) <= 0)
		return ex;
	return refuse(w, UB_E_POLICY,
		      "%s refers to %s, a connectivity MO of the device that leads to %s, the "
		      "connectivity MO of a server",
		      uri, root, via);
}

/* Every reference of the plan, as reference_ok() says. */
static int references(struct work *w)
{
	const struct ub_plan *p = w->plan;
	size_t i;
	int err;

	for (i = 0; i < p->nnodes; i++) {
		const struct ub_plan_node *pn = &p->nodes[i];

		if (pn->mo < 0 || p->mos[pn->mo].kind == UB_MO_LWM2M ||
		    !ub_dm_is_reference(pn->uri, w->value[i]))
			continue;
		if ((err = reference_ok(w, p->mos[pn->mo].server_id, w->uri[i], w->value[i])))
			return err;
	}
	return 0;
}

int ub_apply_reference_ok(struct ub_tree *t, const char *owner, const char *uri, const char *value,
			  struct ub_status *st)
{
	struct work w = {.t = t, .st = st};
	int err = reference_ok(&w, owner, uri, value);

	set_free(&w.clean);
	return err;
}

/* --- what superseded connectivity goes --- */

/* What goes when it is superseded: connectivity MOs (roots) of one owner
 * and source; those that something outside them names stay. */
struct sweep {
	struct work *w;
	char **v; /* the candidates */
	size_t n, cap;
	struct uriset cand, keep;
	char **queue; /* kept, their references still to follow */
	size_t nq, cq;
};

/* A leaf outside the candidates that names one: 1 (stop). */
static int outside_cb(const char *uri, const char *value, void *arg)
{
	const struct sweep *sw = arg;
	char root[UB_URI_MAX + 1];

	if (!ub_dm_is_reference(uri, value))
		return 0;
	return !(connmo_root(uri, root) && set_has(&sw->cand, root));
}

static int keep(struct sweep *sw, const char *root)
{
	if (set_has(&sw->keep, root))
		return 0;
	return set_add(&sw->keep, root) ?: push_str(&sw->queue, &sw->nq, &sw->cq, root);
}

/* A kept candidate's leaf that names another candidate keeps it too. */
static int inside_cb(const struct ub_tree_node *n, void *arg)
{
	struct sweep *sw = arg;
	char root[UB_URI_MAX + 1];

	if (!strcmp(n->format, "node") || !ub_dm_is_reference(n->uri, n->value) ||
	    !connmo_root(n->value, root) || !set_has(&sw->cand, root))
		return 0;
	return keep(sw, root);
}

/* Of the candidates sw->v (owned by server, NULL the device, written by
 * source), remove and report those that no leaf outside them names,
 * directly or through a kept one, and that hold nothing of another owner
 * or source.  A reference from among them keeps nothing: a ConnMO that
 * names itself, or two that name each other, would otherwise stay for
 * ever and let one party grow the tree without bound. */
static int sweep(struct sweep *sw, const char *server, const char *source,
		 struct ub_apply_result *res)
{
	struct work *w = sw->w;
	size_t i;
	int err = 0, n;

	for (i = 0; i < sw->n && !err; i++)
		err = set_add(&sw->cand, sw->v[i]);
	for (i = 0; i < sw->n && !err; i++) {
		if ((n = ub_store_referrers(w->t, sw->v[i], outside_cb, sw)) < 0)
			err = n;
		else if (n)
			err = keep(sw, sw->v[i]);
	}
	for (i = 0; i < sw->nq && !err; i++)
		err = ub_store_each(w->t, sw->queue[i], inside_cb, sw);
	for (i = 0; i < sw->n && !err; i++) {
		if (set_has(&sw->keep, sw->v[i]))
			continue;
		if ((n = ub_store_mixed(w->t, sw->v[i], server, source)) < 0)
			err = n;
		else if (!n && !(err = ub_store_delete_subtree(w->t, sw->v[i])))
			err = report_removed(sw->v[i], res);
	}
	return err;
}

static void sweep_free(struct sweep *sw)
{
	size_t i;

	for (i = 0; i < sw->n; i++)
		free(sw->v[i]);
	for (i = 0; i < sw->nq; i++)
		free(sw->queue[i]);
	free(sw->v);
	free(sw->queue);
	set_free(&sw->cand);
	set_free(&sw->keep);
}

static int stale_cb(const char *uri, void *arg)
{
	struct sweep *sw = arg;

	if (is_final(sw->w, uri))
		return 0; /* this bootstrap's */
	return push_str(&sw->v, &sw->n, &sw->cap, uri);
}

/* A server's bootstrap replaces its account; the connectivity MOs that
 * its earlier bootstraps from the same source wrote and that nothing
 * else refers to any more go with the old account, so that one server
 * cannot grow the tree without bound.  Others' and the device's stay. */
static int drop_unreferenced(struct work *w, struct ub_apply_result *res)
{
	const struct ub_plan *p = w->plan;
	size_t k;
	int err = 0;

	for (k = 0; k < p->nmos && !err; k++) {
		const struct ub_mo *mo = &p->mos[k];
		struct sweep sw = {.w = w};

		if (mo->kind != UB_MO_ACCOUNT)
			continue;
		err = ub_store_connmos_of(w->t, mo->layout->connmos, mo->server_id, w->o->source,
					  stale_cb, &sw);
		err = err ?: sweep(&sw, mo->server_id, w->o->source, res);
		sweep_free(&sw);
	}
	return err;
}

static int collect_cb(const char *uri, void *arg)
{
	struct sweep *sw = arg;

	return push_str(&sw->v, &sw->n, &sw->cap, uri);
}

/* A push that configures no server brings the device's own connectivity
 * (OMA CP without a w7 application; [push] connectivity_only lets it in).
 * Such pushes are one sender to the tree: each replaces what the earlier
 * ones wrote, but for what another node still names (an account's
 * PrefConRef, the device's other connectivity) and for what this push
 * names or brings again unchanged.  So pushed connectivity never fills the
 * tree, whoever sends it and however often. */
static int connectivity_replaced(struct work *w, struct ub_apply_result *res)
{
	const struct ub_plan *p = w->plan;
	struct sweep sw = {.w = w};
	char root[UB_URI_MAX + 1];
	size_t i, k;
	bool same;
	int err = 0;

	if (src_kind(w->o->source) != UB_SRC_PUSH || p->kind == UB_PLAN_LWM2M ||
	    ub_plan_server(p, 0))
		return 0;
	for (k = 0; k < 2 && !err; k++)
		err = ub_store_connmos_of(w->t, ub_dm_layout(k ? UB_DM11 : UB_DM12)->connmos, NULL,
					  ub_source_name(UB_SRC_PUSH), collect_cb, &sw);
	for (i = 0; i < sw.n && !err; i++)
		err = set_add(&sw.cand, sw.v[i]);
	/* what this push names, or brings again as it is (reused) */
	for (i = 0; i < p->nnodes && !err; i++)
		if (ub_dm_is_reference(p->nodes[i].uri, p->nodes[i].value) &&
		    connmo_root(p->nodes[i].value, root) && set_has(&sw.cand, root))
			err = keep(&sw, root);
	for (k = 0; k < p->nmos && !err; k++)
		if (set_has(&sw.cand, p->mos[k].root) &&
		    !(err = same_subtree(w, &w->roots[k], &same)) && same)
			err = keep(&sw, p->mos[k].root);
	err = err ?: sweep(&sw, NULL, ub_source_name(UB_SRC_PUSH), res);
	sweep_free(&sw);
	return err;
}

static int resolve(struct work *w, struct ub_apply_result *res)
{
	const struct ub_plan *p = w->plan;
	struct ub_status why = {0};
	size_t k, i;
	int err;
	bool same;

	for (k = 0; k < p->nmos; k++) {
		w->roots[k].mo = &p->mos[k];
		memcpy(w->roots[k].final, p->mos[k].root, strlen(p->mos[k].root) + 1);
		if ((err = set_add(&w->names, p->mos[k].root)))
			return err;
	}
	if ((err = connectivity_replaced(w, res)))
		return err;
	/* accounts first: their names do not depend on ConnMOs */
	for (k = 0; k < p->nmos; k++)
		if (p->mos[k].kind == UB_MO_ACCOUNT && (err = place_account(w, &w->roots[k])))
			return err;
	for (k = 0; k < p->nmos; k++)
		if (p->mos[k].kind != UB_MO_ACCOUNT &&
		    (err = p->mos[k].kind == UB_MO_LWM2M ? place_lwm2m(w, &w->roots[k])
							 : place_other(w, &w->roots[k])))
			return err;
	for (k = 0; k < p->nmos; k++) {
		struct root *r = &w->roots[k];

		if (r->skip || !strcmp(r->final, r->mo->root))
			continue;
		if ((err = rename_root(w, r)))
			return err;
		if (!r->replaces[0] && (err = report_rename(res, r->mo->root, r->final)))
			return err;
	}
	/* bounds hold after every rewrite, as in the plan */
	for (i = 0; i < p->nnodes; i++) {
		if (ub_uri_check(w->uri[i], &why))
			return refuse(w, UB_E_BAD_DATA, "after renaming, %s: %.200s", why.what,
				      w->uri[i]);
		if (w->rewritten[i] && ub_uri_check(w->value[i], &why))
			return refuse(w, UB_E_BAD_DATA,
				      "after renaming, the reference at %.200s: %s",
				      p->nodes[i].uri, why.what);
	}
	sort_finals(w);
	if ((err = references(w)))
		return err;
	for (k = 0; k < p->nmos; k++) {
		struct root *r = &w->roots[k];

		if (r->replaces[0]) {
			if ((err = same_subtree(w, r, &same)))
				return err;
			r->identical = same;
		}
	}
	return 0;
}

/* --- writing --- */

/* The parent chain of uri up to an existing node, created as interior
 * nodes: containers (and, in an import, device objects' parents) for
 * the device, nodes inside the MO for its owner. */
static int parents(struct work *w, const char *uri, const struct root *r, const char *source)
{
	char parent[UB_URI_MAX + 1], format[16], *slash;
	bool inside;
	int ex, err;

	snprintf(parent, sizeof(parent), "%s", uri);
	if (!(slash = strrchr(parent, '/')))
		return UB_E_INTERNAL;
	*slash = '\0';
	if ((ex = ub_store_format(w->t, parent, format, sizeof(format))) < 0)
		return ex;
	if (ex && strcmp(format, "node"))
		return refuse(w, UB_E_BAD_DATA, "%s is a leaf of the tree: %s cannot go below it",
			      parent, uri);
	if (ex)
		return 0;
	if ((err = parents(w, parent, r, source)))
		return err;
	inside = ub_uri_under(parent, r->final) && strcmp(parent, r->final);
	{
		char grand[UB_URI_MAX + 1];
		struct ub_store_row row = {parent,
					   grand,
					   "node",
					   NULL,
					   NULL,
					   "",
					   inside ? r->mo->server_id : NULL,
					   inside ? source : NULL};

		snprintf(grand, sizeof(grand), "%s", parent);
		*strrchr(grand, '/') = '\0';
		return ub_store_insert(w->t, &row);
	}
}

static int cmp_uri(const void *a, const void *b, void *arg)
{
	char **uri = arg;

	return strcmp(uri[*(const size_t *)a], uri[*(const size_t *)b]);
}

/* The MO's own node: as the plan gives it (own >= 0: its index), else an
 * interior node.  Accounts get the DMAcc DDF name; an owner's MO grants
 * Get, Replace and Delete to its ServerID unless the bootstrap gives an
 * ACL (CP 5.3.4, StdObj; for a ConnMO the model lets only that one
 * through: an import reads the owner from it); the device's inherit. */
static int write_root(struct work *w, const struct root *r, long own, const char *source)
{
	const struct ub_plan_node *pn = own >= 0 ? &w->plan->nodes[own] : NULL;
	const char *s = r->mo->server_id;
	char acl[3 * UB_SERVER_ID_MAX + 32], parent[UB_URI_MAX + 1];
	struct ub_store_row row = {r->final,
				   parent,
				   pn ? pn->format : "node",
				   pn ? pn->type : NULL,
				   pn ? w->value[own] : NULL,
				   "",
				   s,
				   source};
	int err;

	if (!row.type && r->mo->kind == UB_MO_ACCOUNT)
		row.type = UB_DDF_DMACC;
	if (pn && pn->acl)
		row.acl = pn->acl;
	else if (s && r->mo->owner_acl && (err = ub_dm_owner_acl(s, acl, sizeof(acl))))
		return err;
	else if (s && r->mo->owner_acl)
		row.acl = acl;
	snprintf(parent, sizeof(parent), "%s", r->final);
	*strrchr(parent, '/') = '\0';
	return parents(w, r->final, r, source) ?: ub_store_insert(w->t, &row);
}

/* A container the plan names, and its parents: created when missing,
 * the device's (an import of a tree whose card took the last account out
 * of ./SyncML/DMAcc names it with nothing below). */
static int container(struct work *w, const char *uri)
{
	char parent[UB_URI_MAX + 1];
	struct ub_store_row row = {uri, parent, "node", NULL, NULL, "", NULL, NULL};
	int ex = strcmp(uri, ".") ? ub_store_exists(w->t, uri) : 1, err;

	if (ex)
		return ex < 0 ? ex : 0;
	snprintf(parent, sizeof(parent), "%s", uri);
	*strrchr(parent, '/') = '\0';
	return (err = container(w, parent)) ? err : ub_store_insert(w->t, &row);
}

/* Does the plan name a container the tree lacks? */
static int missing_container(struct work *w)
{
	const struct ub_plan *p = w->plan;
	size_t i;
	int ex;

	for (i = 0; i < p->nnodes; i++)
		if (p->nodes[i].mo < 0 && ub_dm_is_container(p->nodes[i].uri) &&
		    (ex = ub_store_exists(w->t, p->nodes[i].uri)) != 1)
			return ex < 0 ? ex : 1;
	return 0;
}

static int write_all(struct work *w, const char *source, struct ub_apply_result *res)
{
	const struct ub_plan *p = w->plan;
	size_t *order, n = 0, i, k;
	int err = 0;

	/* a source whose account another replaces no longer holds what it
	 * wrote: its next bootstrap is applied, not "unchanged" */
	for (k = 0; k < p->nmos && !err; k++)
		if (w->roots[k].replaces[0])
			err = ub_store_forget_digests(w->t, w->roots[k].replaces, source)
				      ?: ub_store_delete_subtree(w->t, w->roots[k].replaces);
	for (i = 0; i < p->nnodes && !err; i++)
		if (p->nodes[i].mo < 0 && ub_dm_is_container(p->nodes[i].uri))
			err = container(w, p->nodes[i].uri);
	if (err)
		return err;
	/* parents before children: the URIs in order */
	if (!(order = malloc((p->nnodes + 1) * sizeof(*order))))
		return UB_E_NOMEM;
	for (i = 0; i < p->nnodes; i++)
		if (p->nodes[i].mo >= 0 && !w->roots[p->nodes[i].mo].skip)
			order[n++] = i;
	qsort_r(order, n, sizeof(*order), cmp_uri, w->uri);
	for (k = 0; k < p->nmos && !err; k++) {
		long own = -1;

		if (w->roots[k].skip)
			continue;
		for (i = w->mo_start[k]; i < w->mo_start[k + 1] && own < 0; i++)
			if (!strcmp(w->uri[w->by_mo[i]], w->roots[k].final))
				own = (long)w->by_mo[i];
		err = write_root(w, &w->roots[k], own, source);
		if (!err && (p->mos[k].kind == UB_MO_ACCOUNT || p->mos[k].kind == UB_MO_LWM2M))
			err = ub_apply_result_account(res, w->roots[k].final);
	}
	for (i = 0; i < n && !err; i++) {
		const struct ub_plan_node *pn = &p->nodes[order[i]];
		const struct root *r = &w->roots[pn->mo];
		char parent[UB_URI_MAX + 1];
		struct ub_store_row row = {w->uri[order[i]],   parent,	pn->format,	  pn->type,
					   w->value[order[i]], pn->acl, r->mo->server_id, source};

		if (!strcmp(row.uri, r->final))
			continue; /* written with the root */
		snprintf(parent, sizeof(parent), "%s", row.uri);
		*strrchr(parent, '/') = '\0';
		err = parents(w, row.uri, r, source) ?: ub_store_insert(w->t, &row);
	}
	free(order);
	return err;
}

/* --- stale data --- */

/* Everything source wrote, and its record, goes, unless that would leave
 * another source's nodes without a parent. */
static int remove_source(struct ub_tree *t, const char *source, struct ub_apply_result *res,
			 struct ub_status *st)
{
	char orphan[UB_URI_MAX + 1];
	int n = ub_store_source_orphan(t, source, orphan, sizeof(orphan));

	if (n < 0)
		return n;
	if (n) {
		return ub_fail(st, UB_E_BAD_DATA, 0, NULL,
			       "removing what %s wrote would orphan %s, which another source wrote",
			       source, orphan);
	}
	n = ub_store_source_roots(t, source, report_removed, res);
	return n < 0 ? n : ub_store_delete_source(t, source);
}

struct cards {
	const struct ub_apply_opts *o;
	char **v;
	size_t n, cap;
};

/* Do sources a and b name the same card?  A card writes under
 * "iccid:<ICCID>" (its DM or CP object) and "iccid:<ICCID>/<object>"
 * (its LwM2M bootstrap): one card, its sources go and stay together. */
static bool same_card(const char *a, const char *b)
{
	size_t na = strcspn(a, "/"), nb = strcspn(b, "/");

	return na == nb && !strncmp(a, b, na);
}

static int absent_card(const char *s, void *arg)
{
	struct cards *c = arg;
	int k;

	if (same_card(s, c->o->source))
		return 0;
	for (k = 0; k < c->o->npresent; k++)
		if (same_card(s, c->o->present[k]))
			return 0;
	return push_str(&c->v, &c->n, &c->cap, s);
}

/* Cards (iccid:*) other than o->source's and o->present[]'s that wrote
 * nodes: all their sources. */
static int remove_other_cards(struct ub_tree *t, const struct ub_apply_opts *o,
			      struct ub_apply_result *res, struct ub_status *st)
{
	struct cards c = {o, NULL, 0, 0};
	size_t i;
	int err = ub_store_sources(t, ub_source_name(UB_SRC_CARD), absent_card, &c);

	for (i = 0; i < c.n; i++) {
		if (!err)
			err = remove_source(t, c.v[i], res, st);
		free(c.v[i]);
	}
	free(c.v);
	return err;
}

static int of_card(const char *s, void *arg)
{
	struct cards *c = arg;

	if (!same_card(s, c->o->source))
		return 0;
	return push_str(&c->v, &c->n, &c->cap, s);
}

int ub_tree_forget_source(struct ub_tree *t, const char *source, struct ub_apply_result *res,
			  struct ub_status *st)
{
	const struct ub_apply_opts o = {.source = source};
	struct cards c = {&o, NULL, 0, 0};
	size_t i;
	int err;

	ub_apply_result_free(res);
	ub_status_clear(st);
	if ((err = ub_store_begin(t)))
		return ub_apply_begin_failed(t, err, st);
	/* the source, and a card's other sources (iccid:<ICCID>/lwm2m) */
	err = ub_store_sources(t, source, of_card, &c);
	for (i = 0; i < c.n; i++) {
		if (!err)
			err = remove_source(t, c.v[i], res, st);
		free(c.v[i]);
	}
	free(c.v);
	if (!err && !c.n) {
		err = ub_fail(st, UB_E_NOT_FOUND, 0, NULL, "the tree holds nothing that %s wrote",
			      source);
	}
	return ub_apply_end(t, err, true, st);
}

/* What the result lists of a source's roots: accounts, LwM2M Instances. */
static int kept_account(const char *uri, void *arg)
{
	struct ub_lwm2m_path p;
	bool account = false;

	if ((ub_dm_layout_of(uri, &account) && account) ||
	    (!ub_lwm2m_uri_parse(uri, &p) && p.depth == 2))
		return ub_apply_result_account(arg, uri);
	return 0;
}

/* --- one transaction --- */

static int apply_plan(struct work *w, struct ub_apply_result *res, bool *wrote)
{
	const struct ub_plan *plan = w->plan;
	size_t i, k;
	int err;

	w->uri = calloc(plan->nnodes + 1, sizeof(char *));
	w->value = calloc(plan->nnodes + 1, sizeof(char *));
	w->rewritten = calloc(plan->nnodes + 1, sizeof(bool));
	w->roots = calloc(plan->nmos + 1, sizeof(*w->roots));
	w->by_mo = calloc(plan->nnodes + 1, sizeof(*w->by_mo));
	w->mo_start = calloc(plan->nmos + 2, sizeof(*w->mo_start));
	w->finals = calloc(plan->nmos + 1, sizeof(*w->finals));
	if (!w->uri || !w->value || !w->rewritten || !w->roots || !w->by_mo || !w->mo_start ||
	    !w->finals)
		return UB_E_NOMEM;
	/* the nodes of each MO, grouped (a counting sort, in plan order) */
	for (i = 0; i < plan->nnodes; i++)
		if (plan->nodes[i].mo >= 0)
			w->mo_start[plan->nodes[i].mo + 2]++;
	for (k = 2; k < plan->nmos + 2; k++)
		w->mo_start[k] += w->mo_start[k - 1];
	for (i = 0; i < plan->nnodes; i++)
		if (plan->nodes[i].mo >= 0)
			w->by_mo[w->mo_start[plan->nodes[i].mo + 1]++] = i;
	for (i = 0; i < plan->nnodes; i++) {
		w->uri[i] = strdup(plan->nodes[i].uri);
		w->value[i] = plan->nodes[i].value ? strdup(plan->nodes[i].value) : NULL;
		if (!w->uri[i] || (plan->nodes[i].value && !w->value[i]))
			return UB_E_NOMEM;
	}
	if ((err = resolve(w, res)))
		return err;
	*wrote = res->nrenamed > 0;
	for (k = 0; k < plan->nmos; k++)
		if (!(w->roots[k].identical || w->roots[k].skip))
			*wrote = true;
	if (!*wrote && (err = missing_container(w)) < 0)
		return err;
	*wrote = *wrote || err;
	err = 0;
	if (!*wrote) {
		/* the tree already holds exactly this */
		for (k = 0; k < plan->nmos && !err; k++)
			if (plan->mos[k].kind == UB_MO_ACCOUNT || plan->mos[k].kind == UB_MO_LWM2M)
				err = ub_apply_result_account(res, w->roots[k].final);
		return err;
	}
	err = write_all(w, w->o->source, res);
	if (!err)
		err = drop_unreferenced(w, res);
	if (!err && w->o->digest)
		err = ub_store_set_digest(w->t, w->o->source, w->o->digest);
	return err;
}

static void work_free(struct work *w)
{
	size_t i;

	for (i = 0; w->uri && i < w->plan->nnodes; i++)
		free(w->uri[i]);
	for (i = 0; w->value && i < w->plan->nnodes; i++) {
		if (w->value[i])
			OPENSSL_cleanse(w->value[i], strlen(w->value[i]));
		free(w->value[i]);
	}
	free(w->uri);
	free(w->value);
	free(w->rewritten);
	free(w->roots);
	free(w->by_mo);
	free(w->mo_start);
	free(w->finals);
	set_free(&w->names);
	set_free(&w->clean);
}

int ub_apply_begin_failed(struct ub_tree *t, int err, struct ub_status *st)
{
	if (ub_store_busy(t))
		return ub_fail(st, err, 0, NULL,
			       "device tree: another process held its write lock for %lld ms, as "
			       "long as a writer waits for it; try again",
			       ub_store_busy(t));
	return ub_fail(st, err, 0, NULL, "device tree: %s", ub_strerror(err));
}

int ub_apply_end(struct ub_tree *t, int err, bool keep, struct ub_status *st)
{
	if (!err && keep)
		err = ub_store_commit(t);
	else
		ub_store_rollback(t); /* nothing half-applied, nothing written for nothing */
	if (err && st && !st->err)
		ub_fail(st, err, 0, NULL, "device tree: %s", ub_strerror(err));
	return err;
}

int ub_tree_apply(struct ub_tree *t, const struct ub_plan *plan, const struct ub_policy *pol,
		  const struct ub_apply_opts *o, struct ub_apply_result *res, struct ub_status *st)
{
	struct work w = {.t = t, .plan = plan, .pol = pol, .o = o, .st = st};
	char digest[80];
	bool wrote = false, remember;
	int err, same = 0;

	ub_apply_result_free(res);
	ub_status_clear(st);
	/* BEGIN IMMEDIATE: the decisions and the writes see one state */
	if ((err = ub_store_begin(t)))
		return ub_apply_begin_failed(t, err, st);
	if (o->remove_absent_cards)
		err = remove_other_cards(t, o, res, st);
	if (!err && plan && o->push_digest) {
		bool repeat;

		err = ub_intake_fresh(t, o->push_digest, &repeat, st);
	}
	if (!err && plan && o->digest) {
		same = ub_store_digest(t, o->source, digest, sizeof(digest));
		err = same < 0 ? same : 0;
		same = same > 0 && !strcmp(digest, o->digest);
	}
	if (!err && same) {
		/* the card holds what was applied before: no write, so that
		 * what its server changed since stays */
		err = ub_store_source_roots(t, o->source, kept_account, res);
		err = err < 0 ? err : 0;
	} else if (!err) {
		if (o->supersede)
			err = remove_source(t, o->source, res, st);
		if (!err && plan)
			err = apply_plan(&w, res, &wrote);
	}
	wrote = wrote || res->nremoved > 0;
	if (!err && wrote)
		err = ub_store_check_capacity(t, st);
	res->unchanged = !err && !wrote;
	/* the push remembered with what it wrote (or found written) */
	remember = !err && plan && o->push_digest && !o->dry_run;
	if (remember)
		err = ub_intake_remember(t, o->push_digest, plan, (long long)time(NULL),
					 pol ? pol->push_memory : UB_PUSH_MEMORY_DEFAULT);
	err = ub_apply_end(t, err, (wrote || remember) && !o->dry_run, st);
	if (plan)
		work_free(&w);
	return err;
}
