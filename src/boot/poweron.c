/* The power-on bootstrap (boot.h): the card's bootstrap object applied
 * under its ICCID, unchanged data not written again, what absent cards
 * wrote removed when the policy says so ([smartcard] remove_absent); one
 * card, or every reader's at once. */
#include <errno.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ub_apply.h"
#include "ub_hex.h"
#include "ub_lwm2m_card.h"
#include "ub_push.h"
#include "ub_session.h"
#include "ub_workflow.h"

#define MAX_READERS 64

const char *ub_outcome_name(enum ub_outcome o)
{
	static const char *const names[] = {"applied", "unchanged", "verified", "rejected",
					    "failed"};

	return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "failed";
}

void ub_boot_result_free(struct ub_boot_result *r)
{
	size_t i;

	ub_plan_free(&r->plan);
	ub_apply_result_free(&r->apply);
	for (i = 0; i < UB_BOOT_KINDS; i++) {
		ub_plan_free(&r->objects[i].plan);
		ub_apply_result_free(&r->objects[i].apply);
	}
	memset(r, 0, sizeof(*r));
}

const struct ub_policy *ub_wf_policy(const struct ub_boot_config *cfg, struct ub_policy *defaults)
{
	if (cfg->policy)
		return cfg->policy;
	ub_policy_defaults(defaults);
	return defaults;
}

int ub_wf_tree_open(const struct ub_boot_config *cfg, enum ub_tree_mode mode, struct ub_tree **t,
		    struct ub_status *st)
{
	const char *path = cfg->tree ? cfg->tree : UB_TREE_DEFAULT;
	int err;

	/* the default place is ours to create (systemd: StateDirectory=) */
	if (!cfg->tree && mode == UB_TREE_CREATE) {
		char dir[sizeof(UB_TREE_DEFAULT)];

		snprintf(dir, sizeof(dir), "%s", UB_TREE_DEFAULT);
		*strrchr(dir, '/') = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return ub_fail(
				st, errno == EACCES || errno == EROFS ? UB_E_CANT_CREATE : UB_E_IO,
				0, dir, "device tree directory %s: %s", dir, strerror(errno));
	}
	if ((err = ub_tree_open_mode(path, mode, t, st)))
		ub_status_at(st, "device tree");
	return err;
}

int ub_boot_tree_open(const struct ub_boot_config *cfg, enum ub_tree_mode mode, struct ub_tree **t,
		      struct ub_status *st)
{
	return ub_wf_tree_open(cfg, mode, t, st);
}

/* The reader threads of one power-on take turns at the tree here: left to
 * SQLite, a writer that finds the tree locked sleeps in the busy handler
 * (1, 2, 5, 10, ... ms) instead of waiting for the lock, and with eight
 * cards most of the time was spent asleep.  Other processes still meet the
 * busy handler, which is what it is for. */
static pthread_mutex_t tree_turn = PTHREAD_MUTEX_INITIALIZER;

/* ub_wf_apply, on *keep when given: the tree opened by the first apply of
 * a power-on of every reader and kept open for the others (and the
 * removal), so that opening it (the schema checked, the statements
 * prepared) is paid once, not once a card.  Each apply is still its own
 * transaction: a card refused or failed takes nothing of another's. */
static int wf_apply(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		    const struct ub_plan *plan, const struct ub_apply_opts *o,
		    struct ub_boot_result *r, struct ub_tree **keep)
{
	struct ub_apply_opts dry;
	struct ub_tree *t = NULL;
	int err;

	if (cfg->dry_run) {
		/* decided against the tree in a transaction that is rolled
		 * back; no tree yet (none is made): nothing to clash with, the
		 * plan as it is */
		r->outcome = UB_OUT_VERIFIED;
		dry = *o;
		dry.dry_run = true;
		o = &dry;
	}
	pthread_mutex_lock(&tree_turn);
	if (keep && *keep)
		t = *keep;
	else if ((err = ub_wf_tree_open(cfg, cfg->dry_run ? UB_TREE_WRITE : UB_TREE_CREATE, &t,
					&r->status))) {
		pthread_mutex_unlock(&tree_turn);
		if (cfg->dry_run) { /* a tree we may not open: the plan as it is */
			ub_status_clear(&r->status);
			return 0;
		}
		r->outcome = UB_OUT_FAILED;
		return err;
	}
	err = ub_tree_apply(t, plan, pol, o, &r->apply, &r->status);
	if (keep)
		*keep = t;
	else
		ub_tree_close(t);
	pthread_mutex_unlock(&tree_turn);
	if (!err) {
		r->tree_checked = o->dry_run;
		r->outcome = o->dry_run		  ? UB_OUT_VERIFIED
			     : r->apply.unchanged ? UB_OUT_UNCHANGED
						  : UB_OUT_APPLIED;
		return 0;
	}
	r->outcome = err == UB_E_POLICY || err == UB_E_BAD_DATA ? UB_OUT_REJECTED : UB_OUT_FAILED;
	ub_status_at(&r->status, "%s", cfg->tree ? cfg->tree : UB_TREE_DEFAULT);
	return err;
}

int ub_wf_apply(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		const struct ub_plan *plan, const struct ub_apply_opts *o, struct ub_boot_result *r)
{
	return wf_apply(cfg, pol, plan, o, r, NULL);
}

/* Errors that end the whole power-on: the card or the reader went away,
 * the transport broke, the host failed.  The others (an object's data, a
 * PIN, the policy) are that object's, and the other one goes on. */
static bool fatal(int err)
{
	switch (err) {
	case 0:
	case UB_E_NOT_FOUND:
	case UB_E_BAD_DATA:
	case UB_E_POLICY:
	case UB_E_NOT_SUPPORTED:
	case UB_E_SECURITY:
	case UB_E_PIN_REQUIRED:
	case UB_E_PIN_WRONG:
	case UB_E_PIN_BLOCKED:
	case UB_E_PIN_LAST:
	case UB_E_SW:
	case UB_E_USAGE:
		return false;
	default:
		return true;
	}
}

static enum ub_outcome not_done(int err)
{
	return err == UB_E_POLICY || err == UB_E_BAD_DATA || err == UB_E_NOT_SUPPORTED
		       ? UB_OUT_REJECTED
		       : UB_OUT_FAILED;
}

static int push_copy(char ***v, size_t *n, char *const *from, size_t k)
{
	size_t i;

	if (!k)
		return 0;
	if (!(*v = calloc(k, sizeof(**v))))
		return UB_E_NOMEM;
	for (i = 0; i < k; i++, (*n)++)
		if (!((*v)[i] = strdup(from[i])))
			return UB_E_NOMEM;
	return 0;
}

/* dst = a copy of src (dst empty). */
static int apply_copy(struct ub_apply_result *dst, const struct ub_apply_result *src)
{
	size_t i;
	int err;

	dst->unchanged = src->unchanged;
	err = push_copy(&dst->accounts, &dst->naccounts, src->accounts, src->naccounts);
	if (!err)
		err = push_copy(&dst->removed, &dst->nremoved, src->removed, src->nremoved);
	dst->cap[0] = dst->naccounts, dst->cap[2] = dst->nremoved;
	if (!err && src->nrenamed && !(dst->renamed = calloc(src->nrenamed, sizeof(*dst->renamed))))
		err = UB_E_NOMEM;
	for (i = 0; !err && i < src->nrenamed; i++, dst->nrenamed++) {
		dst->renamed[i].from = strdup(src->renamed[i].from);
		dst->renamed[i].to = strdup(src->renamed[i].to);
		if (!dst->renamed[i].from || !dst->renamed[i].to)
			err = UB_E_NOMEM;
	}
	dst->cap[1] = dst->nrenamed;
	return err;
}

/* A card's LwM2M bootstrap, read and waiting to be applied. */
struct lwm2m_pending {
	bool ready;
	bool no_data; /* none on the card (or emptied): its earlier data goes */
	struct ub_plan plan;
	char digest[65];
};

/* Apply the card's LwM2M data (or remove what it wrote, when it holds
 * none) in a transaction of its own, under its own source: what its DM
 * object wrote is not touched. */
static int lwm2m_apply(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		       struct lwm2m_pending *lw, struct ub_boot_object *obj, struct ub_tree **keep)
{
	struct ub_apply_opts o = {0};
	struct ub_boot_result tmp = {0};
	int err;

	o.source = obj->source;
	o.supersede = pol->remove_stale || !lw->no_data;
	o.digest = lw->no_data ? NULL : lw->digest;
	err = wf_apply(cfg, pol, lw->no_data ? NULL : &lw->plan, &o, &tmp, keep);
	obj->outcome = tmp.outcome;
	obj->status = tmp.status;
	obj->apply = tmp.apply;
	memset(&tmp.apply, 0, sizeof(tmp.apply));
	ub_boot_result_free(&tmp);
	ub_plan_free(&lw->plan);
	lw->ready = false;
	return err;
}

/* What one session read from the card: each object's error (0 read,
 * UB_E_NOT_FOUND none) and digest. */
struct card_read {
	int dm_err, lw_err;
	uint8_t dm_digest[32], lw_digest[32];
};

/* Every object the card holds, read (into r->plan and lw->plan) before
 * anything is written; the PKCS#15 application on a logical channel.
 * Returns 0, or the error that ends the power-on (r->status). */
static int read_card(const struct ub_policy *pol, struct ub_session *s, struct ub_boot_result *r,
		     struct lwm2m_pending *lw, struct card_read *c)
{
	struct ub_boot_object *lo = &r->objects[UB_BOOT_LWM2M];
	struct ub_status close_st = {0};
	struct ub_cardboot dir;
	int err, close_err;

	c->lw_err = UB_E_NOT_FOUND;
	err = ub_cardboot_open(&s->uicc, &dir, pol->logical_channel, &r->status);
	r->logical_channel = s->uicc.chan != 0;
	if (err) {
		ub_cardboot_close(&s->uicc, &dir, NULL);
		return err;
	}
	c->dm_err = ub_cardboot_plan(pol, &s->uicc, &dir, &r->plan, &r->object, c->dm_digest,
				     &r->status);
	lo->present = ub_cardboot_lwm2m_entry(&dir) != NULL;
	if (!fatal(c->dm_err) && (pol->lwm2m_enabled || lo->present))
		c->lw_err = ub_lwm2m_card_plan(pol, &s->uicc, &dir, &lw->plan, c->lw_digest,
					       &lo->status);
	/* the card went away before the end of the session: nothing it said
	 * is taken (a removal is the same failure wherever it happens) */
	close_err = ub_cardboot_close(&s->uicc, &dir, &close_st);
	r->nobjects = pol->lwm2m_enabled || lo->present ? 2 : 1;
	if (fatal(c->dm_err))
		return c->dm_err;
	if (fatal(c->lw_err)) {
		r->status = lo->status;
		return c->lw_err;
	}
	if (fatal(close_err)) {
		r->status = close_st;
		return close_err;
	}
	return 0;
}

/* A dry run: what would be applied (the LwM2M plan moved into objects[]). */
static int dry_run(struct ub_boot_result *r, struct lwm2m_pending *lw, const struct card_read *c)
{
	struct ub_boot_object *lo = &r->objects[UB_BOOT_LWM2M];

	r->outcome = !c->dm_err			   ? UB_OUT_VERIFIED
		     : c->dm_err == UB_E_NOT_FOUND ? UB_OUT_UNCHANGED
						   : UB_OUT_REJECTED;
	lo->outcome = !c->lw_err		    ? UB_OUT_VERIFIED
		      : c->lw_err == UB_E_NOT_FOUND ? UB_OUT_UNCHANGED
						    : not_done(c->lw_err);
	lo->plan = lw->plan; /* freed with the result */
	memset(&lw->plan, 0, sizeof(lw->plan));
	r->objects[UB_BOOT_DM].outcome = r->outcome;
	r->objects[UB_BOOT_DM].status = r->status;
	if (c->dm_err && c->dm_err != UB_E_NOT_FOUND)
		return c->dm_err;
	return r->nobjects > 1 && c->lw_err != UB_E_NOT_FOUND ? c->lw_err : 0;
}

/* The DM or CP object applied under src (none on the card: what it wrote
 * goes), with o's removals of absent cards; objects[0] repeats it. */
static int apply_dm(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		    const struct ub_apply_opts *base, struct ub_boot_result *r, const char *src,
		    const struct card_read *c, const char *reader, struct ub_tree **keep)
{
	struct ub_boot_object *dm = &r->objects[UB_BOOT_DM];
	struct ub_apply_opts o = *base;
	char digest[65];
	int err = c->dm_err;

	if (err && err != UB_E_NOT_FOUND) {
		ub_status_at(&r->status, "reader \"%s\"", reader);
		r->outcome = not_done(err);
	} else {
		o.source = src;
		o.supersede = pol->remove_stale || err != UB_E_NOT_FOUND;
		if (err == UB_E_NOT_FOUND) {
			ub_status_clear(&r->status); /* the card's data is gone */
		} else {
			ub_hex(digest, c->dm_digest, sizeof(c->dm_digest));
			o.digest = digest;
		}
		err = wf_apply(cfg, pol, err == UB_E_NOT_FOUND ? NULL : &r->plan, &o, r, keep);
		if (!cfg->dry_run)
			ub_plan_free(&r->plan); /* applied: the result says what it did */
	}
	dm->outcome = r->outcome;
	dm->status = r->status;
	if (apply_copy(&dm->apply, &r->apply) && !err)
		err = ub_fail(&r->status, UB_E_NOMEM, 0, NULL, NULL);
	return err;
}

/* One card in an open session: everything read first, then the DM or CP
 * object applied under src = iccid:<ICCID>, and the LwM2M one under
 * src/lwm2m -- now, or later by the caller when defer is given (it then
 * holds what is to be applied); on the tree *keep when given (wf_apply). */
static int boot_session(const struct ub_boot_config *cfg, const struct ub_policy *pol,
			struct ub_session *s, const struct ub_apply_opts *base,
			struct ub_boot_result *r, char src[32], struct lwm2m_pending *defer,
			struct ub_tree **keep)
{
	struct ub_boot_object *dm = &r->objects[UB_BOOT_DM], *lo = &r->objects[UB_BOOT_LWM2M];
	struct lwm2m_pending own = {0}, *lw = defer ? defer : &own;
	struct card_read c = {0};
	int err;

	snprintf(r->reader, sizeof(r->reader), "%s", s->card.reader);
	if ((err = ub_uicc_iccid(&s->uicc, r->iccid, &r->status))) {
		ub_status_at(&r->status, "reader \"%s\"", s->card.reader);
		r->outcome = UB_OUT_FAILED;
		return err;
	}
	snprintf(src, 32, "%s%s", ub_source_name(UB_SRC_CARD), r->iccid);
	dm->kind = UB_BOOT_DM;
	lo->kind = UB_BOOT_LWM2M;
	lo->name = ub_boot_oids[UB_BOOT_OID_LWM2M].name;
	snprintf(dm->source, sizeof(dm->source), "%s", src);
	snprintf(lo->source, sizeof(lo->source), "%s" UB_LWM2M_SOURCE_SUFFIX, src);

	err = read_card(pol, s, r, lw, &c);
	r->channel_refused = s->uicc.channel_refused;
	r->channel_sw = s->uicc.channel_sw;
	if (err) {
		/* the card could not be read: nothing it holds is applied, and
		 * nothing it wrote is taken for gone */
		ub_plan_free(&r->plan);
		ub_plan_free(&lw->plan);
		ub_status_at(&r->status, "reader \"%s\"", s->card.reader);
		r->outcome = UB_OUT_FAILED;
		r->nobjects = 0;
		return err;
	}
	dm->name = r->object;
	dm->present = r->object != NULL;
	if (c.lw_err == UB_E_NOT_FOUND)
		ub_status_clear(&lo->status);
	else if (c.lw_err)
		ub_status_at(&lo->status, "reader \"%s\"", s->card.reader);
	if (cfg->dry_run) {
		/* the LwM2M plan as it is; the DM object also decided against
		 * the tree (in a transaction rolled back) */
		err = dry_run(r, lw, &c);
		if (!c.dm_err) {
			int dm_err = apply_dm(cfg, pol, base, r, src, &c, s->card.reader, keep);

			err = dm_err ? dm_err : err;
		}
		return err;
	}
	err = apply_dm(cfg, pol, base, r, src, &c, s->card.reader, keep);
	if (r->nobjects < 2)
		return err;
	if (c.lw_err && c.lw_err != UB_E_NOT_FOUND) {
		lo->outcome = not_done(c.lw_err);
		ub_plan_free(&lw->plan);
		return err ? err : c.lw_err;
	}
	lw->ready = true;
	lw->no_data = c.lw_err == UB_E_NOT_FOUND;
	if (!lw->no_data)
		ub_hex(lw->digest, c.lw_digest, sizeof(c.lw_digest));
	if (defer)
		return err;
	c.lw_err = lwm2m_apply(cfg, pol, lw, lo, keep);
	return err ? err : c.lw_err;
}

const struct ub_status *ub_boot_failure(const struct ub_boot_result *r)
{
	size_t i;

	if (r->status.err)
		return &r->status;
	for (i = 0; i < r->nobjects; i++)
		if (r->objects[i].status.err)
			return &r->objects[i].status;
	return &r->status;
}

static const char *card_pin(const struct ub_boot_config *cfg, const struct ub_policy *pol)
{
	return cfg->pin ? cfg->pin : pol->pin1[0] ? pol->pin1 : NULL;
}

int ub_boot_card(const struct ub_boot_config *cfg, struct ub_boot_result *r)
{
	struct ub_policy defaults;
	const struct ub_policy *pol = ub_wf_policy(cfg, &defaults);
	struct ub_apply_opts o = {0};
	struct ub_session s;
	char src[32];
	int err;

	ub_boot_result_free(r);
	if (!pol->smartcard_enabled) {
		r->outcome = UB_OUT_REJECTED;
		return ub_fail(&r->status, UB_E_POLICY, 0, "[smartcard] enabled",
			       "smartcard bootstrap is disabled by policy");
	}
	/* a card change takes nothing away, unless the policy says so: the
	 * account of a card taken out is how its operator reaches a lost
	 * device */
	o.remove_absent_cards = pol->remove_absent;
	err = ub_session_open(&s, cfg, card_pin(cfg, pol), &r->status);
	if ((err == UB_E_NO_CARD || err == UB_E_TIMEOUT) && !cfg->dry_run && pol->remove_absent) {
		/* no card (in time): what cards wrote goes; the error still says so */
		struct ub_status none = r->status;

		o.source = ub_source_name(UB_SRC_CARD);
		if (!ub_wf_apply(cfg, pol, NULL, &o, r))
			r->status = none;
		OPENSSL_cleanse(&defaults, sizeof(defaults));
		return err;
	}
	if (err) {
		r->outcome = UB_OUT_FAILED;
		r->apdus = s.card.apdus;
		return err;
	}
	err = boot_session(cfg, pol, &s, &o, r, src, NULL, NULL);
	r->apdus = ub_session_apdus(&s);
	ub_session_close(&s);
	OPENSSL_cleanse(&defaults, sizeof(defaults));
	return err;
}

/* --- every reader at once --- */

struct job {
	const struct ub_boot_config *cfg;
	const struct ub_policy *pol;
	struct ub_boot_config own; /* cfg with this job's reader */
	struct ub_boot_result *r;
	char reader[UB_READER_NAME_MAX];
	char src[32];
	int err;
	struct lwm2m_pending lw; /* applied after the removal */
	struct ub_tree **tree;	 /* the power-on's tree, shared (wf_apply) */
	pthread_t thread;
};

static void *job_run(void *arg)
{
	struct job *j = arg;
	struct ub_apply_opts o = {0};
	struct ub_session s;

	j->own = *j->cfg;
	j->own.reader = j->reader;
	j->own.wait_ms = 0;
	j->own.dry_run = false;
	/* the reader as listed, with a card: not listed again (by each of n
	 * threads, every reader's state each time) */
	j->err = ub_session_open_reader(&s, &j->own, card_pin(j->cfg, j->pol), &j->r->status);
	if (!j->err)
		j->err = boot_session(&j->own, j->pol, &s, &o, j->r, j->src, &j->lw, j->tree);
	else
		j->r->outcome = UB_OUT_FAILED;
	snprintf(j->r->reader, sizeof(j->r->reader), "%s", j->reader);
	j->r->apdus = ub_session_apdus(&s);
	ub_session_close(&s);
	return NULL;
}

int ub_boot_all_readers(const struct ub_boot_config *cfg, struct ub_boot_all *all)
{
	struct ub_policy defaults;
	const struct ub_policy *pol = ub_wf_policy(cfg, &defaults);
	struct ub_reader_info *list = NULL;
	const char *present[MAX_READERS + 1], *modem;
	struct job *jobs = NULL;
	struct ub_tree *tree = NULL;
	SCARDCONTEXT ctx;
	char name[UB_READER_NAME_MAX], mspec[UB_POLICY_MODEM_SPEC_MAX];
	int n, i, err = 0, npresent = 0;
	size_t k = 0;

	memset(all, 0, sizeof(*all));
	if (!pol->smartcard_enabled)
		return ub_fail(&all->status, UB_E_POLICY, 0, "[smartcard] enabled",
			       "smartcard bootstrap is disabled by policy");
	/* the policy's modem ([modem] port) beside the PC/SC readers; with
	 * it, a machine without pcscd or readers is no failure */
	modem = ub_policy_modem(pol, mspec, sizeof(mspec));
	list = calloc(MAX_READERS, sizeof(*list));
	if (!list)
		return ub_fail(&all->status, UB_E_NOMEM, 0, NULL, NULL);
	if ((err = ub_ctx_open(&ctx))) {
		n = err;
	} else {
		/* waiting: until a reader holds a card (a USB reader may come
		 * late); none in time is no failure: what absent cards wrote
		 * goes below */
		if (cfg->wait_ms > 0 && (err = ub_wait_card(ctx, NULL, cfg->wait_ms, name)) &&
		    err != UB_E_TIMEOUT && err != UB_E_NO_CARD && !modem) {
			ub_ctx_close(ctx);
			free(list);
			return ub_fail(&all->status, err, 0, "PC/SC",
				       "waiting %ld ms for a card: %s", cfg->wait_ms,
				       ub_strerror(err));
		}
		n = ub_readers_list(ctx, list, MAX_READERS);
		ub_ctx_close(ctx);
	}
	err = 0;
	if (n <= 0 && !modem) {
		free(list);
		err = n ? n : UB_E_NO_READER;
		return ub_fail(&all->status, err, 0, "PC/SC", "listing readers: %s",
			       ub_strerror(err));
	}
	n = n < 0 ? 0 : n;
	jobs = calloc((size_t)n + 1, sizeof(*jobs));
	all->cards = calloc((size_t)n + 1, sizeof(*all->cards));
	if (!jobs || !all->cards) {
		err = ub_fail(&all->status, UB_E_NOMEM, 0, NULL, NULL);
		goto end;
	}
	for (i = 0; i <= n; i++) {
		if (i < n ? !list[i].card_present : !modem)
			continue;
		jobs[k].cfg = cfg;
		jobs[k].pol = pol;
		jobs[k].r = &all->cards[k];
		jobs[k].tree = &tree;
		snprintf(jobs[k].reader, sizeof(jobs[k].reader), "%s",
			 i < n ? list[i].name : modem);
		if (pthread_create(&jobs[k].thread, NULL, job_run, &jobs[k])) {
			err = ub_fail(&all->status, UB_E_INTERNAL, 0, NULL, "a thread per reader");
			break;
		}
		k++;
	}
	for (i = 0; i < (int)k; i++) {
		pthread_join(jobs[i].thread, NULL);
		if (jobs[i].err && !err) {
			err = jobs[i].err;
			all->status = *ub_boot_failure(&all->cards[i]);
		} else if (!jobs[i].err) {
			present[npresent++] = jobs[i].src;
		}
	}
	all->ncards = k;
	if (!err && pol->remove_absent) {
		/* only when every card is known: otherwise a card that failed to
		 * answer would lose its data */
		struct ub_apply_opts o = {.source = ub_source_name(UB_SRC_CARD),
					  .remove_absent_cards = true};
		struct ub_boot_result rm = {0};

		o.present = present;
		o.npresent = npresent;
		err = wf_apply(cfg, pol, NULL, &o, &rm, &tree);
		all->removal = rm.apply;
		memset(&rm.apply, 0, sizeof(rm.apply));
		if (err)
			all->status = rm.status;
		all->removal_done = !err;
		ub_boot_result_free(&rm);
	}
	/* the LwM2M data of each card, now that what absent cards wrote is gone */
	for (i = 0; i < (int)k; i++) {
		int e;

		if (!jobs[i].lw.ready)
			continue;
		e = lwm2m_apply(&jobs[i].own, pol, &jobs[i].lw,
				&all->cards[i].objects[UB_BOOT_LWM2M], &tree);
		if (e && !err) {
			err = e;
			all->status = all->cards[i].objects[UB_BOOT_LWM2M].status;
		}
	}
	if (!err && !k)
		err = ub_fail(&all->status, UB_E_NO_CARD, 0, "PC/SC", "no reader holds a card");
end:
	ub_tree_close(tree);
	for (i = 0; jobs && i < (int)k; i++)
		ub_plan_free(&jobs[i].lw.plan);
	free(jobs);
	free(list);
	OPENSSL_cleanse(&defaults, sizeof(defaults));
	return err;
}

void ub_boot_all_free(struct ub_boot_all *all)
{
	size_t i;

	for (i = 0; i < all->ncards; i++)
		ub_boot_result_free(&all->cards[i]);
	free(all->cards);
	ub_apply_result_free(&all->removal);
	memset(all, 0, sizeof(*all));
}
