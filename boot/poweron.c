/* The power-on bootstrap (boot.h): the card's bootstrap object applied
 * under its ICCID, unchanged data not written again, what absent cards
 * wrote removed; one card, or every reader's at once. */
#include <errno.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ub_apply.h"
#include "ub_hex.h"
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
	ub_plan_free(&r->plan);
	ub_apply_result_free(&r->apply);
	memset(r, 0, sizeof(*r));
}

const struct ub_policy *ub_wf_policy(const struct ub_boot_config *cfg, struct ub_policy *defaults)
{
	if (cfg->policy)
		return cfg->policy;
	ub_policy_defaults(defaults);
	return defaults;
}

int ub_wf_tree_open(const struct ub_boot_config *cfg, struct ub_tree **t, struct ub_status *st)
{
	const char *path = cfg->tree ? cfg->tree : UB_TREE_DEFAULT;
	char why[300];
	int err;

	/* the default place is ours to create (systemd: StateDirectory=) */
	if (!cfg->tree) {
		char dir[sizeof(UB_TREE_DEFAULT)];

		snprintf(dir, sizeof(dir), "%s", UB_TREE_DEFAULT);
		*strrchr(dir, '/') = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return ub_fail(st, UB_E_IO, 0, dir, "device tree directory %s: %s", dir,
				       strerror(errno));
	}
	err = ub_tree_open_why(path, t, why, sizeof(why));
	if (err == UB_E_NOT_SUPPORTED)
		return ub_fail(st, err, 0, path,
			       "device tree %s: written by a newer uiccboot (its schema)", path);
	if (err)
		return ub_fail(st, err, 0, path, "device tree %s: %s", path,
			       why[0]  ? why
			       : errno ? strerror(errno)
				       : "cannot open");
	return 0;
}

int ub_wf_apply(const struct ub_boot_config *cfg, const struct ub_policy *pol,
		const struct ub_plan *plan, const struct ub_apply_opts *o, struct ub_boot_result *r)
{
	const char *path = cfg->tree ? cfg->tree : UB_TREE_DEFAULT;
	struct ub_apply_opts dry;
	struct ub_tree *t = NULL;
	struct stat sb;
	char reason[400];
	int err;

	if (cfg->dry_run) {
		/* decided against the tree in a transaction that is rolled
		 * back; no tree yet: nothing to clash with, the plan as it is */
		r->outcome = UB_OUT_VERIFIED;
		if (stat(path, &sb) && errno == ENOENT)
			return 0;
		dry = *o;
		dry.dry_run = true;
		o = &dry;
	}
	if ((err = ub_wf_tree_open(cfg, &t, &r->status))) {
		if (cfg->dry_run) { /* a tree we may not open: the plan as it is */
			ub_status_clear(&r->status);
			return 0;
		}
		r->outcome = UB_OUT_FAILED;
		return err;
	}
	err = ub_tree_apply(t, plan, pol, o, &r->apply, reason, sizeof(reason));
	ub_tree_close(t);
	if (!err) {
		r->tree_checked = o->dry_run;
		r->outcome = o->dry_run		  ? UB_OUT_VERIFIED
			     : r->apply.unchanged ? UB_OUT_UNCHANGED
						  : UB_OUT_APPLIED;
		return 0;
	}
	r->outcome = err == UB_E_POLICY || err == UB_E_BAD_DATA ? UB_OUT_REJECTED : UB_OUT_FAILED;
	return ub_fail(&r->status, err, 0, cfg->tree ? cfg->tree : UB_TREE_DEFAULT, "%s", reason);
}

/* One card in an open session: its object applied under src = iccid:<ICCID>. */
static int boot_session(const struct ub_boot_config *cfg, const struct ub_policy *pol,
			struct ub_session *s, const struct ub_apply_opts *base,
			struct ub_boot_result *r, char src[32])
{
	struct ub_apply_opts o = *base;
	const struct ub_plan *pp = &r->plan;
	char digest[65];
	uint8_t d[32];
	int err;

	snprintf(r->reader, sizeof(r->reader), "%s", s->card.reader);
	if ((err = ub_uicc_iccid(&s->uicc, r->iccid, &r->status))) {
		ub_status_at(&r->status, "reader \"%s\"", s->card.reader);
		r->outcome = UB_OUT_FAILED;
		return err;
	}
	snprintf(src, 32, "iccid:%s", r->iccid);
	err = ub_cardboot_plan(pol, &s->uicc, &r->plan, &r->object, d, &r->status);
	if (cfg->dry_run && err) {
		r->outcome = err == UB_E_NOT_FOUND ? UB_OUT_UNCHANGED : UB_OUT_REJECTED;
		return err == UB_E_NOT_FOUND ? 0 : err;
	}
	if (err && err != UB_E_NOT_FOUND) {
		ub_status_at(&r->status, "reader \"%s\"", s->card.reader);
		r->outcome = err == UB_E_POLICY || err == UB_E_BAD_DATA || err == UB_E_NOT_SUPPORTED
				     ? UB_OUT_REJECTED
				     : UB_OUT_FAILED;
		return err;
	}
	o.source = src;
	o.supersede = pol->remove_stale || err != UB_E_NOT_FOUND;
	if (err == UB_E_NOT_FOUND) {
		pp = NULL; /* the card's data is gone */
		ub_status_clear(&r->status);
	} else {
		ub_hex(digest, d, sizeof(d));
		o.digest = digest;
	}
	err = ub_wf_apply(cfg, pol, pp, &o, r);
	if (!cfg->dry_run)
		ub_plan_free(&r->plan); /* applied: the result says what it did */
	return err;
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
	o.remove_absent_cards = pol->remove_stale;
	err = ub_session_open(&s, cfg, card_pin(cfg, pol), &r->status);
	if ((err == UB_E_NO_CARD || err == UB_E_TIMEOUT) && !cfg->dry_run && pol->remove_stale) {
		/* no card (in time): what cards wrote goes; the error still says so */
		struct ub_status none = r->status;

		o.source = "iccid:";
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
	err = boot_session(cfg, pol, &s, &o, r, src);
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
	j->err = ub_session_open(&s, &j->own, card_pin(j->cfg, j->pol), &j->r->status);
	if (!j->err)
		j->err = boot_session(&j->own, j->pol, &s, &o, j->r, j->src);
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
	const char *present[MAX_READERS];
	struct job *jobs = NULL;
	SCARDCONTEXT ctx;
	char name[UB_READER_NAME_MAX];
	int n, i, err = 0, npresent = 0;
	size_t k = 0;

	memset(all, 0, sizeof(*all));
	if (!pol->smartcard_enabled)
		return ub_fail(&all->status, UB_E_POLICY, 0, "[smartcard] enabled",
			       "smartcard bootstrap is disabled by policy");
	if ((err = ub_ctx_open(&ctx)))
		return ub_fail(&all->status, err, 0, "PC/SC", NULL);
	/* waiting: until a reader holds a card (a USB reader may come late);
	 * none in time is no failure: what absent cards wrote goes below */
	if (cfg->wait_ms > 0 && (err = ub_wait_card(ctx, NULL, cfg->wait_ms, name)) &&
	    err != UB_E_TIMEOUT && err != UB_E_NO_CARD) {
		ub_ctx_close(ctx);
		return ub_fail(&all->status, err, 0, "PC/SC", "waiting %ld ms for a card: %s",
			       cfg->wait_ms, ub_strerror(err));
	}
	err = 0;
	list = calloc(MAX_READERS, sizeof(*list));
	n = list ? ub_readers_list(ctx, list, MAX_READERS) : UB_E_NOMEM;
	ub_ctx_close(ctx);
	if (n <= 0) {
		free(list);
		err = n ? n : UB_E_NO_READER;
		return ub_fail(&all->status, err, 0, "PC/SC", "listing readers: %s",
			       ub_strerror(err));
	}
	jobs = calloc((size_t)n, sizeof(*jobs));
	all->cards = calloc((size_t)n, sizeof(*all->cards));
	if (!jobs || !all->cards) {
		err = ub_fail(&all->status, UB_E_NOMEM, 0, NULL, NULL);
		goto end;
	}
	for (i = 0; i < n; i++) {
		if (!list[i].card_present)
			continue;
		jobs[k].cfg = cfg;
		jobs[k].pol = pol;
		jobs[k].r = &all->cards[k];
		snprintf(jobs[k].reader, sizeof(jobs[k].reader), "%s", list[i].name);
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
			all->status = all->cards[i].status;
		} else if (!jobs[i].err) {
			present[npresent++] = jobs[i].src;
		}
	}
	all->ncards = k;
	if (!err && pol->remove_stale) {
		/* only when every card is known: otherwise a card that failed to
		 * answer would lose its data */
		struct ub_apply_opts o = {.source = "iccid:", .remove_absent_cards = true};
		struct ub_boot_result rm = {0};

		o.present = present;
		o.npresent = npresent;
		err = ub_wf_apply(cfg, pol, NULL, &o, &rm);
		all->removal = rm.apply;
		memset(&rm.apply, 0, sizeof(rm.apply));
		if (err)
			all->status = rm.status;
		all->removal_done = !err;
		ub_boot_result_free(&rm);
	}
	if (!err && !k)
		err = ub_fail(&all->status, UB_E_NO_CARD, 0, "PC/SC", "no reader holds a card");
end:
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
