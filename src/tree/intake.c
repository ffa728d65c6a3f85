/* What the device remembers of the pushes it took in (ub_intake.h).  OMA
 * DM and CP bootstraps carry no nonce and no time (OMA-TS-DM_Security 5.7,
 * OMA ProvBoot): the device can only remember what it applied.  It keeps
 * the digest of what each push's MAC covers with the ServerIDs it
 * configured, in the order applied; the newest of a ServerID is the push
 * in force for it.  A push seen before is never applied again: the one in
 * force would undo what its server changed since, an older one would
 * roll the account back (OLD, NEW, OLD).  Nothing here forgets by time. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "ub_error.h"
#include "ub_intake.h"

static const char *utc(long long at, char out[32])
{
	time_t tt = (time_t)at;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

struct fresh {
	bool any, has_stale;
	struct ub_store_seen first, stale; /* stale: of a ServerID with a newer push */
};

static int seen_cb(const struct ub_store_seen *s, void *arg)
{
	struct fresh *f = arg;

	if (!f->any)
		f->first = *s;
	if (!s->in_force && !f->has_stale) {
		f->stale = *s;
		f->has_stale = true;
	}
	f->any = true;
	return 0;
}

int ub_intake_fresh(struct ub_tree *t, const uint8_t digest[32], bool *repeat, struct ub_status *st)
{
	struct fresh f;
	char when[32], newer_when[32];
	long long seq = 0, at = 0;
	int err;

	memset(&f, 0, sizeof(f));
	*repeat = false;
	if ((err = ub_store_push_seen(t, digest, seen_cb, &f)))
		return err;
	if (!f.any)
		return 0;
	*repeat = !f.has_stale;
	if (*repeat)
		return ub_fail(st, UB_E_POLICY, 0, NULL,
			       "this push was applied at %s and is the one in force%s%s: a repeat "
			       "or a replay, not applied again",
			       utc(f.first.at, when), f.first.server[0] ? " for ServerID " : "",
			       f.first.server);
	err = ub_store_push_newest(t, f.stale.server, &seq, &at);
	if (err < 0)
		return err;
	return ub_fail(st, UB_E_POLICY, 0, NULL,
		       "this push was applied at %s, and %s%s has had a newer one since (applied "
		       "at %s): a rollback, refused",
		       utc(f.stale.at, when), f.stale.server[0] ? "ServerID " : "the device",
		       f.stale.server, utc(at, newer_when));
}

int ub_intake_remember(struct ub_tree *t, const uint8_t digest[32], const struct ub_plan *plan,
		       long long now, unsigned max)
{
	const char *s;
	long long seq, rows;
	size_t i;
	int err, k;

	if ((err = ub_store_push_next(t, &seq)))
		return err;
	for (i = 0; !err && (s = ub_plan_server(plan, i)); i++)
		err = ub_store_push_add(t, digest, s, seq, now);
	if (!err && i == 0)
		err = ub_store_push_add(t, digest, "", seq, now);
	while (!err && !(err = ub_store_push_rows(t, &rows)) && rows > (long long)max) {
		if ((k = ub_store_push_forget_one(t)) <= 0)
			return k < 0 ? k : UB_E_INTERNAL;
	}
	return err;
}

/* f inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK on an error). */
static int in_transaction(struct ub_tree *t, int (*f)(struct ub_tree *t, void *arg), void *arg)
{
	int err = ub_store_begin(t);

	if (err)
		return err;
	err = f(t, arg);
	if (err == 0 || err == UB_E_POLICY) {
		int e2 = ub_store_commit(t);

		if (!e2)
			return err;
		err = e2;
	}
	ub_store_rollback(t);
	return err;
}

int ub_intake_pin_spent(struct ub_tree *t, unsigned max, unsigned *failures)
{
	long long last;
	int err = ub_store_pin_failures(t, failures, &last);

	return err ? err : *failures >= max ? UB_E_POLICY : 0;
}

int ub_intake_pin_count(struct ub_tree *t, int delta, long long now)
{
	return ub_store_pin_add(t, delta, now);
}

static int pin_reset(struct ub_tree *t, void *arg)
{
	(void)arg;
	return ub_store_pin_reset(t);
}

int ub_intake_pin_reset(struct ub_tree *t)
{
	return in_transaction(t, pin_reset, NULL);
}

int ub_intake_pin_state(struct ub_tree *t, unsigned *failures, long long *last)
{
	return ub_store_pin_failures(t, failures, last);
}

struct naf_take {
	const char *naf;
	unsigned per_hour;
	long long now;
	struct ub_status *st;
};

static int naf_take(struct ub_tree *t, void *arg)
{
	struct naf_take *n = arg;
	char when[32];
	long long since, rows;
	unsigned count;
	int err, has;

	if ((err = ub_store_naf_prune(t, n->now - UB_INTAKE_NAF_WINDOW)))
		return err;
	if ((has = ub_store_naf_count(t, n->naf, &count, &since)) < 0)
		return has;
	if (has && count >= n->per_hour) {
		return ub_fail(
			n->st, UB_E_POLICY, 0, NULL,
			"the card derived %u GBA keys for NAF %s since %s: no more before the "
			"hour is over ([gba] push_derivations_per_hour)",
			count, n->naf, utc(since, when));
	}
	if (!has) {
		if ((err = ub_store_naf_rows(t, &rows)))
			return err;
		if (rows >= UB_INTAKE_NAFS_MAX) {
			return ub_fail(n->st, UB_E_POLICY, 0, NULL,
				       "pushes asked for GBA keys of %d NAFs within the hour: none "
				       "for another NAF (%s) before the oldest hour is over",
				       UB_INTAKE_NAFS_MAX, n->naf);
		}
	}
	return ub_store_naf_add(t, n->naf, n->now);
}

int ub_intake_naf_take(struct ub_tree *t, const char *naf, unsigned per_hour, long long now,
		       struct ub_status *st)
{
	struct naf_take n = {naf, per_hour, now, st};

	return in_transaction(t, naf_take, &n);
}
