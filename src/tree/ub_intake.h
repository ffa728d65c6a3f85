/* What the device remembers of the pushes it took in, decided here (the
 * SQL is in store.c): which pushes were applied and in which order (a
 * push seen before is a repeat or a rollback), the device-wide budget of
 * wrong user PINs met with a stored PIN, and the rate at which pushes make
 * the card derive GBA keys.  docs/trust-model.md says what each answers. */
#ifndef UB_INTAKE_H
#define UB_INTAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"
#include "ub_plan.h"

/* NAFs that may have derivations counted in one window: a push for one
 * more is refused until the oldest window ends (the table stays bounded
 * whatever the Source LocURIs of the pushes say). */
#define UB_INTAKE_NAFS_MAX 256
/* The window of [gba] push_derivations_per_hour, seconds. */
#define UB_INTAKE_NAF_WINDOW 3600

/* Has the push of this digest (ub_push_digest) been applied before?  0:
 * never.  UB_E_POLICY, st filled: it was; *repeat says whether it is
 * still the newest push of every ServerID it configured (a repeat, or a
 * replay of the push in force), else a newer push of one of them came
 * since (a rollback).  UB_E_IO.  Read in the caller's transaction, or
 * none. */
int ub_intake_fresh(struct ub_tree *t, const uint8_t digest[32], bool *repeat,
		    struct ub_status *st);

/* Inside the apply transaction: remember the push of digest for every
 * ServerID of plan ("" when it configures none), as the newest, at now;
 * then forget rows beyond max (ub_store_push_forget_one).  0 or UB_E_IO. */
int ub_intake_remember(struct ub_tree *t, const uint8_t digest[32], const struct ub_plan *plan,
		       long long now, unsigned max);

/* The device-wide budget of wrong user PINs met with a stored PIN: 0 when
 * a message may still be verified with it, UB_E_POLICY when max were met
 * (*failures: how many), UB_E_IO.  A read, before the MAC is checked. */
int ub_intake_pin_spent(struct ub_tree *t, unsigned max, unsigned *failures);
/* Count delta wrong PINs (negative: give back, never below 0) at now, in
 * the caller's transaction (the one that settles the message), else in
 * one of its own.  0 or UB_E_IO. */
int ub_intake_pin_count(struct ub_tree *t, int delta, long long now);
/* The user's act: the count back to 0. */
int ub_intake_pin_reset(struct ub_tree *t);
/* The count, and when the last wrong PIN came (0: never). */
int ub_intake_pin_state(struct ub_tree *t, unsigned *failures, long long *last);

/* One more GBA key derivation for a push at NAF naf, in a transaction of
 * its own, before the card is asked: 0, or UB_E_POLICY with st (per_hour
 * reached in naf's window, or UB_INTAKE_NAFS_MAX NAFs in theirs).  UB_E_IO. */
int ub_intake_naf_take(struct ub_tree *t, const char *naf, unsigned per_hour, long long now,
		       struct ub_status *st);

#endif
