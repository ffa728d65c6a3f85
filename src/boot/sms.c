/* Bootstraps received over SMS (sms.h).  A TPDU is decoded (src/wire/sms.c);
 * an 8-bit part to the WAP Push port is kept in the tree's database, one
 * transaction each (src/tree/store.c), grouped by originator, reference,
 * total and ports (TS 23.040 9.2.3.24.1); a complete message is joined,
 * read as a WSP push (src/wire/wsp.c, WAP-259 6.5), and a DM or CP bootstrap
 * goes through the one push path (push.c: verify.c, then apply).
 *
 * Each message row is done with in this order: its last part stored
 * (commit), then verified and applied (the apply's own transaction, which
 * also remembers the push), then removed.  A power loss between the last
 * two leaves a complete message that ub_sms_resume takes up again: the
 * push is remembered as applied, so that gives "ignored" (a repeat).
 *
 * The originator of an SMS proves nothing.  So a part that comes for a
 * place held with other data is kept beside it (bounded), and a message
 * is tried with each combination before it is refused; a refused message
 * of several parts stays until expiry, in case the spoofed part came
 * first.  A pending message is kept only after the checks that need no
 * key, and only messages of its own sender make it give way. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sms.h"
#include "store.h"
#include "ub_hex.h"
#include "ub_intake.h"
#include "ub_push.h"
#include "ub_sms.h"
#include "ub_workflow.h"
#include "ub_wsp.h"

#define KEY_MAX 64
#define JOINED_MAX (UB_SMS_PARTS_MAX * UB_SMS_UD_MAX)

struct ub_sms_rx {
	const struct ub_boot_config *cfg;
	const struct ub_policy *pol;
	struct ub_policy defaults;
	struct ub_tree *t;
};

const char *ub_sms_status_name(enum ub_sms_status s)
{
	static const char *const names[] = {"stored",  "applied",  "unchanged", "pending",
					    "ignored", "rejected", "failed"};

	return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "failed";
}

void ub_sms_result_free(struct ub_sms_result *r)
{
	ub_boot_result_free(&r->boot);
	free(r->dropped);
	memset(r, 0, sizeof(*r));
}

void ub_sms_results_free(struct ub_sms_result *r, size_t n)
{
	size_t i;

	for (i = 0; r && i < n; i++)
		ub_sms_result_free(&r[i]);
	free(r);
}

/* --- statuses --- */

static int ignore(struct ub_sms_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int ignore(struct ub_sms_result *r, const char *fmt, ...)
{
	va_list ap;

	r->status = UB_SMS_IGNORED;
	ub_status_clear(&r->why);
	va_start(ap, fmt);
	vsnprintf(r->why.what, sizeof(r->why.what), fmt, ap);
	va_end(ap);
	return 0;
}

static int refuse(struct ub_sms_result *r, enum ub_sms_status s, int err, const char *where,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static int refuse(struct ub_sms_result *r, enum ub_sms_status s, int err, const char *where,
		  const char *fmt, ...)
{
	char what[sizeof(r->why.what)];
	va_list ap;

	r->status = s;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ub_fail(&r->why, err, 0, where, "%s", what);
}

static int io_failed(struct ub_sms_result *r, int err)
{
	return refuse(r, UB_SMS_FAILED, err, "SMS store", "device tree: %s", ub_strerror(err));
}

static int add_dropped(struct ub_sms_result *r, const struct ub_store_sms_msg *m, const char *why)
{
	struct ub_sms_dropped *d = realloc(r->dropped, (r->ndropped + 1) * sizeof(*d));

	if (!d)
		return UB_E_NOMEM;
	r->dropped = d;
	d += r->ndropped++;
	memset(d, 0, sizeof(*d));
	d->message = m->id;
	snprintf(d->originator, sizeof(d->originator), "%s", m->originator);
	d->held = m->held;
	d->total = m->total;
	d->pending = m->state == UB_STORE_SMS_PENDING;
	d->why = why;
	return 0;
}

/* --- the handle --- */

static int rx_open(const struct ub_boot_config *cfg, enum ub_tree_mode mode, struct ub_sms_rx **out,
		   struct ub_status *st)
{
	struct ub_sms_rx *rx = calloc(1, sizeof(*rx));
	int err;

	*out = NULL;
	if (!rx)
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	rx->cfg = cfg;
	rx->pol = ub_wf_policy(cfg, &rx->defaults);
	if ((err = ub_wf_tree_open(cfg, mode, &rx->t, st))) {
		free(rx);
		return err;
	}
	*out = rx;
	return 0;
}

int ub_sms_open(const struct ub_boot_config *cfg, struct ub_sms_rx **out, struct ub_status *st)
{
	return rx_open(cfg, UB_TREE_CREATE, out, st);
}

int ub_sms_open_ro(const struct ub_boot_config *cfg, struct ub_sms_rx **out, struct ub_status *st)
{
	return rx_open(cfg, UB_TREE_READ, out, st);
}

void ub_sms_close(struct ub_sms_rx *rx)
{
	if (!rx)
		return;
	ub_tree_close(rx->t);
	OPENSSL_cleanse(&rx->defaults, sizeof(rx->defaults));
	free(rx);
}

/* --- messages in the store --- */

/* Parts kept for one place of a message (the first that came and up to
 * three more that came with other data), and the combinations of them a
 * message is tried with: a part beyond either bound is refused. */
#define PLACE_MAX 4
#define COMBOS_MAX 16

struct msgs {
	struct ub_store_sms_msg *v;
	size_t n;
};

static int collect(const struct ub_store_sms_msg *m, void *arg)
{
	struct msgs *c = arg;
	struct ub_store_sms_msg *v = realloc(c->v, (c->n + 1) * sizeof(*v));

	if (!v)
		return UB_E_NOMEM;
	c->v = v;
	v[c->n++] = *m;
	return 0;
}

static int drop(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, const char *why,
		struct ub_sms_result *r)
{
	int err = ub_store_sms_delete(rx->t, m->id);

	return err ? err : add_dropped(r, m, why);
}

/* Inside a transaction: messages older than [sms] expiry go (reported in
 * r).  The memory of applied pushes does not expire (src/tree/intake.c). */
static int expire(struct ub_sms_rx *rx, long long now, struct ub_sms_result *r)
{
	long long before = now - (long long)rx->pol->sms.expiry;
	struct msgs c = {NULL, 0};
	size_t i;
	int err;

	err = ub_store_sms_older(rx->t, before, collect, &c);
	for (i = 0; !err && i < c.n; i++)
		err = drop(rx, &c.v[i], "expired", r);
	free(c.v);
	return err;
}

/* The sender as a message's key begins: TP-OA as sent. */
static size_t sender_key(const struct ub_sms_deliver *d, uint8_t out[1 + sizeof(d->oa_raw)])
{
	out[0] = d->oa_raw_len;
	memcpy(out + 1, d->oa_raw, d->oa_raw_len);
	return 1 + (size_t)d->oa_raw_len;
}

/* The oldest pending message of the sender other than except: 1 and *v,
 * 0, or an error; *n: how many it has (except too). */
static int oldest_pending_of(struct ub_sms_rx *rx, const uint8_t *sender, size_t slen,
			     long long except, struct ub_store_sms_msg *v, size_t *n)
{
	struct msgs c = {NULL, 0};
	size_t i;
	int err = ub_store_sms_pending_of(rx->t, sender, slen, collect, &c), found = 0;

	*n = c.n;
	for (i = 0; !err && !found && i < c.n; i++)
		if (c.v[i].id != except) {
			*v = c.v[i];
			found = 1;
		}
	free(c.v);
	return err ? err : found;
}

/* Inside a transaction: room for n more octets (and one more message when
 * new_msg), made by dropping the oldest message refused with its parts,
 * then the oldest incomplete one, then the oldest pending one of the same
 * sender; never `except`, never a pending message of another sender (a
 * flood from elsewhere must not take the user's bootstrap away).  Each
 * drop is reported; when nothing may go, the part is refused. */
static int make_room(struct ub_sms_rx *rx, long long except, const uint8_t *sender, size_t slen,
		     bool new_msg, size_t n, struct ub_sms_result *r)
{
	const struct ub_sms_policy *b = &rx->pol->sms;
	struct ub_store_sms_msg v;
	unsigned long msgs, bytes;
	bool over_m, over_b;
	size_t held;
	int err, found;

	for (;;) {
		if ((err = ub_store_sms_totals(rx->t, &msgs, &bytes)))
			return err;
		over_m = new_msg && msgs + 1 > b->max_messages;
		over_b = bytes + n > b->max_bytes;
		if (!over_m && !over_b)
			return 0;
		found = ub_store_sms_oldest(rx->t, UB_STORE_SMS_REFUSED, except, &v);
		if (!found)
			found = ub_store_sms_oldest(rx->t, UB_STORE_SMS_OPEN, except, &v);
		if (!found)
			found = oldest_pending_of(rx, sender, slen, except, &v, &held);
		if (found < 0)
			return found;
		if (!found)
			return refuse(r, UB_SMS_REJECTED, UB_E_POLICY,
				      over_m ? "[sms] max_messages" : "[sms] max_bytes",
				      "the store is full of messages that wait for the user's PIN, "
				      "from other senders: this part is refused (they stay until "
				      "applied or expired)");
		err = drop(rx, &v, over_m ? "[sms] max_messages" : "[sms] max_bytes", r);
		if (err)
			return err;
	}
}

/* What groups the parts of one message: the originator as sent (first:
 * sender_key), the ports, and the reference, its width and the total; a
 * message of one part is keyed by its user data. */
static size_t message_key(const struct ub_sms_deliver *d, uint8_t key[KEY_MAX])
{
	size_t k = sender_key(d, key);

	key[k++] = d->port_bits;
	key[k++] = (uint8_t)(d->dst_port >> 8);
	key[k++] = (uint8_t)d->dst_port;
	key[k++] = (uint8_t)(d->src_port >> 8);
	key[k++] = (uint8_t)d->src_port;
	if (d->concat) {
		key[k++] = d->ref_bits;
		key[k++] = (uint8_t)(d->ref >> 8);
		key[k++] = (uint8_t)d->ref;
		key[k++] = d->total;
	} else {
		key[k++] = 0;
		EVP_Digest(d->payload, d->payload_len, key + k, NULL, EVP_sha256(), NULL);
		k += 32;
	}
	return k;
}

/* The parts kept beside the held ones of a message: how many at each
 * place, and those of place seq. */
struct others {
	unsigned seq, n;
	unsigned count[UB_SMS_PARTS_MAX + 1];
	uint8_t tpdu[PLACE_MAX - 1][UB_SMS_TPDU_MAX];
	size_t len[PLACE_MAX - 1];
};

static int others_cb(unsigned seq, unsigned alt, const uint8_t *tpdu, size_t n, void *arg)
{
	struct others *o = arg;

	(void)alt;
	if (seq < 1 || seq > UB_SMS_PARTS_MAX || n > UB_SMS_TPDU_MAX)
		return UB_E_BAD_DATA;
	o->count[seq]++;
	if (seq == o->seq && o->n < PLACE_MAX - 1) {
		memcpy(o->tpdu[o->n], tpdu, n);
		o->len[o->n++] = n;
	}
	return 0;
}

static bool same_data(const struct ub_sms_deliver *d, const uint8_t *tpdu, size_t n)
{
	struct ub_sms_deliver o;

	return !ub_sms_deliver_decode(tpdu, n, false, &o, NULL) &&
	       o.payload_len == d->payload_len && !memcmp(o.payload, d->payload, d->payload_len);
}

/* The combinations a message of total parts is tried with, count[s] parts
 * kept beside the one of place s, one more at place seq; more than
 * COMBOS_MAX: COMBOS_MAX + 1. */
static unsigned combos_with(const unsigned *count, unsigned total, unsigned seq)
{
	unsigned long c = 1;
	unsigned s;

	for (s = 1; s <= total && c <= COMBOS_MAX; s++)
		c *= 1 + count[s] + (s == seq);
	return c > COMBOS_MAX ? COMBOS_MAX + 1 : (unsigned)c;
}

/* A part for a place held already.  The same user data is a repeat (TS
 * 23.040 9.2.3.24.1 lets the network send a part again).  Other data is
 * kept beside the part held, within the bounds: an unauthenticated
 * originator may have sent either, and the message is tried with each
 * (finish).  *alt: the new part's number at its place, 0 when none was
 * kept. */
static int conflicting_part(struct ub_sms_rx *rx, const struct ub_sms_deliver *d,
			    const uint8_t *tpdu, size_t n, const uint8_t *held, size_t hlen,
			    const struct ub_store_sms_msg *m, struct ub_sms_result *r,
			    unsigned *alt)
{
	struct others *o = calloc(1, sizeof(*o));
	uint8_t sender[16];
	size_t slen = sender_key(d, sender);
	unsigned i;
	int err;

	*alt = 0;
	if (!o)
		return UB_E_NOMEM;
	o->seq = r->part;
	err = ub_store_sms_alts(rx->t, m->id, others_cb, o);
	if (err == UB_E_BAD_DATA)
		err = UB_E_IO; /* only we write them */
	if (err)
		goto end;
	if (same_data(d, held, hlen)) {
		err = ignore(r, "part %u of %u of message %lld is held already (a repeat)", r->part,
			     r->total, m->id);
		goto end;
	}
	for (i = 0; i < o->n; i++)
		if (same_data(d, o->tpdu[i], o->len[i])) {
			err = ignore(r, "part %u of %u of message %lld is kept already (a repeat)",
				     r->part, r->total, m->id);
			goto end;
		}
	if (1 + o->n >= PLACE_MAX) {
		err = refuse(r, UB_SMS_REJECTED, UB_E_BAD_DATA, "SMS",
			     "part %u of %u of message %lld came with other data %u times "
			     "already: refused, the parts held stay",
			     r->part, r->total, m->id, o->n + 1);
		goto end;
	}
	if (combos_with(o->count, m->total, r->part) > COMBOS_MAX) {
		err = refuse(r, UB_SMS_REJECTED, UB_E_BAD_DATA, "SMS",
			     "part %u of %u of message %lld with other data would make more than "
			     "%d combinations to try: refused, the parts held stay",
			     r->part, r->total, m->id, COMBOS_MAX);
		goto end;
	}
	if (m->bytes + n > rx->pol->sms.max_bytes) {
		err = refuse(r, UB_SMS_REJECTED, UB_E_POLICY, "[sms] max_bytes",
			     "part %u of %u of message %lld with other data: the message would "
			     "hold more than %lu octets: refused, the parts held stay",
			     r->part, r->total, m->id, rx->pol->sms.max_bytes);
		goto end;
	}
	if ((err = make_room(rx, m->id, sender, slen, false, n, r)))
		goto end;
	if ((err = ub_store_sms_add_alt(rx->t, m->id, r->part, tpdu, n)))
		goto end;
	*alt = o->n + 1;
	r->status = UB_SMS_STORED;
	snprintf(r->why.what, sizeof(r->why.what),
		 "part %u of %u came again with other data: kept beside the part held (the "
		 "message is tried with each)",
		 r->part, r->total);
end:
	free(o);
	return err;
}

/* One transaction: expiry, the message found or made (room made for it),
 * the part stored; r says stored, ignored (a repeat) or rejected; *alt:
 * the part was kept beside another at its place, as that place's alt-th. */
static int store_part(struct ub_sms_rx *rx, const struct ub_sms_deliver *d, const uint8_t *tpdu,
		      size_t n, long long now, struct ub_sms_result *r, struct ub_store_sms_msg *m,
		      unsigned *alt)
{
	uint8_t key[KEY_MAX], old[UB_SMS_TPDU_MAX];
	size_t klen = message_key(d, key), olen = 0, slen = 1 + (size_t)d->oa_raw_len;
	int err, found = 0, has = 0;
	long long id = 0;

	memset(m, 0, sizeof(*m));
	*alt = 0;
	if ((err = ub_store_begin(rx->t)))
		return io_failed(r, err);
	err = expire(rx, now, r);
	if (!err && (found = ub_store_sms_find(rx->t, key, klen, m)) < 0)
		err = found;
	if (!err && found) {
		r->message = m->id;
		r->held = m->held;
		has = ub_store_sms_part(rx->t, m->id, r->part, old, sizeof(old), &olen);
		if (has < 0)
			err = has;
	}
	if (!err && has) {
		err = conflicting_part(rx, d, tpdu, n, old, olen, m, r, alt);
		goto end;
	}
	if (!err && found && m->bytes + n > rx->pol->sms.max_bytes) {
		/* it cannot complete within the bound */
		err = drop(rx, m, "[sms] max_bytes", r);
		if (!err)
			err = refuse(r, UB_SMS_REJECTED, UB_E_POLICY, "[sms] max_bytes",
				     "message %lld would hold more than %lu octets: dropped", m->id,
				     rx->pol->sms.max_bytes);
		goto end;
	}
	if (!err)
		err = make_room(rx, found ? m->id : 0, key, slen, !found, n, r);
	if (!err && !found)
		err = ub_store_sms_new(rx->t, key, klen, r->originator, r->total, now, &id);
	if (!err && found)
		id = m->id;
	if (!err)
		err = ub_store_sms_add_part(rx->t, id, r->part, tpdu, n);
	if (!err) {
		r->status = UB_SMS_STORED;
		r->message = id;
	}
end:
	if (!err && r->status == UB_SMS_STORED) {
		if ((found = ub_store_sms_get(rx->t, r->message, m)) != 1)
			err = found < 0 ? found : UB_E_INTERNAL;
		else
			r->held = m->held;
	}
	if (err == UB_E_POLICY || err == UB_E_BAD_DATA)
		err = ub_store_commit(rx->t) ?: err; /* the refusal stands, the expiry too */
	else if (!err)
		err = ub_store_commit(rx->t);
	if (err && err != UB_E_POLICY && err != UB_E_BAD_DATA) {
		ub_store_rollback(rx->t);
		r->ndropped = 0; /* rolled back with the rest */
		*alt = 0;
		return io_failed(r, err);
	}
	return err;
}

/* --- a complete message --- */

/* The parts of a message at each of its places (the one held first, then
 * those kept beside it), decoded (pointing into tpdu). */
struct place {
	unsigned n;
	uint8_t tpdu[PLACE_MAX][UB_SMS_TPDU_MAX];
	struct ub_sms_deliver d[PLACE_MAX];
};

struct gather {
	struct place *p; /* [1..total] */
	unsigned total;
};

static int add_cand(struct gather *g, unsigned seq, const uint8_t *tpdu, size_t n)
{
	struct place *p;

	if (seq < 1 || seq > g->total || n > UB_SMS_TPDU_MAX || g->p[seq].n >= PLACE_MAX)
		return UB_E_BAD_DATA;
	p = &g->p[seq];
	memcpy(p->tpdu[p->n], tpdu, n);
	if (ub_sms_deliver_decode(p->tpdu[p->n], n, false, &p->d[p->n], NULL))
		return UB_E_BAD_DATA;
	p->n++;
	return 0;
}

static int gather_cb(unsigned seq, const uint8_t *tpdu, size_t n, void *arg)
{
	struct gather *g = arg;

	/* a message of one part holds it at seq 1 */
	return add_cand(g, g->total == 1 ? 1 : seq, tpdu, n);
}

static int gather_alt_cb(unsigned seq, unsigned alt, const uint8_t *tpdu, size_t n, void *arg)
{
	(void)alt;
	return gather_cb(seq, tpdu, n, arg);
}

/* The parts of m, every place filled, into g (g->p: free and cleanse). */
static int gather(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, struct gather *g,
		  struct ub_sms_result *r)
{
	unsigned s;
	int err;

	g->total = m->total ? m->total : 1;
	if (!(g->p = calloc(g->total + 1, sizeof(*g->p))))
		return refuse(r, UB_SMS_FAILED, UB_E_NOMEM, "SMS", "out of memory");
	err = ub_store_sms_parts(rx->t, m->id, gather_cb, g);
	if (!err)
		err = ub_store_sms_alts(rx->t, m->id, gather_alt_cb, g);
	for (s = 1; !err && s <= g->total; s++)
		if (!g->p[s].n)
			err = UB_E_BAD_DATA;
	if (err == UB_E_BAD_DATA)
		return refuse(r, UB_SMS_REJECTED, err, "SMS",
			      "message %lld: a part held is unreadable", m->id);
	return err ? io_failed(r, err) : 0;
}

static void gather_free(struct gather *g)
{
	if (g->p)
		OPENSSL_cleanse(g->p, (g->total + 1) * sizeof(*g->p));
	free(g->p);
	g->p = NULL;
}

/* The next combination of the places' parts (idx[1..total]), in the
 * order the first ones held come first: false after the last. */
static bool next_combo(const struct gather *g, unsigned *idx)
{
	unsigned s;

	for (s = 1; s <= g->total; s++) {
		if (++idx[s] < g->p[s].n)
			return true;
		idx[s] = 0;
	}
	return false;
}

/* The combination idx joined into out: the length, or an error in r. */
static int join(const struct gather *g, const unsigned *idx, const struct ub_store_sms_msg *m,
		uint8_t *out, struct ub_sms_deliver *sel, struct ub_sms_result *r)
{
	struct ub_status why = {0};
	unsigned s;
	int len;

	for (s = 1; s <= g->total; s++)
		sel[s - 1] = g->p[s].d[idx[s]];
	len = ub_sms_reassemble(sel, g->total, out, JOINED_MAX, &why);
	if (len < 0)
		return refuse(r, UB_SMS_REJECTED, len == UB_E_NOT_FOUND ? UB_E_BAD_DATA : len,
			      "SMS", "message %lld: %s", m->id,
			      why.what[0] ? why.what : ub_strerror(len));
	return len;
}

/* One transaction: message id forgotten, and delta wrong PINs counted
 * (given back when negative). */
static int forget_counting(struct ub_sms_rx *rx, long long id, int delta, long long now)
{
	int err = ub_store_begin(rx->t);

	if (!err)
		err = ub_store_sms_delete(rx->t, id);
	if (!err && delta)
		err = ub_intake_pin_count(rx->t, delta, now);
	if (!err)
		return ub_store_commit(rx->t);
	ub_store_rollback(rx->t);
	return err;
}

static int forget(struct ub_sms_rx *rx, long long id)
{
	return forget_counting(rx, id, 0, 0);
}

/* A push applied before (src/tree/intake.c: the one in force, ignored as a
 * repeat; an older one, refused as a rollback), or held pending as
 * another message (ignored).  1 when so, 0, or an error. */
static int repeat(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, const uint8_t *digest,
		  struct ub_sms_result *r)
{
	struct ub_store_sms_msg other;
	struct ub_status why = {0};
	bool again;
	int k;

	k = ub_intake_fresh(rx->t, digest, &again, &why);
	if (k == UB_E_POLICY && again)
		return ignore(r, "%s", why.what) ?: 1;
	if (k == UB_E_POLICY)
		return refuse(r, UB_SMS_REJECTED, k, "replay memory", "%s", why.what), 1;
	if (k < 0)
		return k;
	if ((k = ub_store_sms_by_digest(rx->t, digest, &other)) < 0)
		return k;
	if (k && other.id != m->id)
		return ignore(r, "the same push is pending as message %lld", other.id) ?: 1;
	return 0;
}

/* What the combinations of one message met, across them. */
struct tries {
	bool used;	    /* the PIN at hand was used (the budget allowed it) */
	bool budget_out;    /* the budget is spent: the PIN at hand is not used */
	unsigned failures;  /* wrong PINs met with a stored PIN */
	bool mac;	    /* a MAC with the user's PIN did not verify */
	uint8_t digest[32]; /* pending: its push */
};

/* A pending message of this sender beyond [sms] max_pending_per_sender:
 * the oldest go (not m). */
static int pending_bound(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m,
			 const struct ub_sms_deliver *first, struct ub_sms_result *r)
{
	uint8_t sender[16];
	size_t slen = sender_key(first, sender), n;
	struct ub_store_sms_msg v;
	int found, err;

	for (;;) {
		found = oldest_pending_of(rx, sender, slen, m->id, &v, &n);
		if (found <= 0 || n <= rx->pol->sms.max_pending_per_sender)
			return found < 0 ? found : 0;
		if ((err = ub_store_sms_delete(rx->t, v.id)) ||
		    (err = add_dropped(r, &v, "[sms] max_pending_per_sender")))
			return err;
	}
}

/* The push joined in data, verified and applied with the PIN at hand (or
 * none: the SEC type needs none), or found to wait for the user's PIN;
 * its outcome in r.  Nothing of the store changes but the budget of
 * wrong PINs (t). */
static int try_one(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, const uint8_t *data,
		   size_t len, const struct ub_sms_deliver *first, const char *pin,
		   bool pending_apply, long long now, struct tries *t, struct ub_sms_result *r)
{
	struct ub_boot_config cfg = *rx->cfg;
	struct ub_push_req req;
	struct ub_wsp_push p;
	struct ub_plan plan;
	struct ub_status why;
	uint8_t digest[32];
	bool with_pin;
	int err, k;

	memset(&req, 0, sizeof(req));
	err = ub_wsp_push_from_wdp(first->has_ports, first->dst_port, data, len, &p, &r->why);
	if (!err) {
		r->kind = ub_wsp_kind_name(ub_wsp_classify(&p));
		err = ub_push_req_from_wsp(&p, &req, &r->why);
	} else {
		ub_status_at(&r->why, "WSP push");
	}
	if (err == UB_E_NOT_SUPPORTED && r->kind) { /* not a bootstrap: not ours */
		why = r->why;
		return ignore(r, "%s", why.what);
	}
	if (err) {
		r->status = UB_SMS_REJECTED;
		return err;
	}
	r->sec = req.ct.sec ? ub_sec_name_for(req.ct.sec, req.ct.kind) : NULL;
	if ((err = ub_push_digest(&req.ct, req.body, req.len, digest)))
		return refuse(r, UB_SMS_FAILED, err, "SHA-256", "cannot hash the push");
	if (!pending_apply) {
		if ((k = repeat(rx, m, digest, r)) < 0)
			return io_failed(r, k);
		if (k)
			return r->status == UB_SMS_REJECTED ? r->why.err : 0;
		if ((err = ub_push_admit(rx->pol, &req, &r->why))) {
			r->status = UB_SMS_REJECTED;
			return err;
		}
		if (ub_sec_needs_user_pin(req.ct.sec) && pin && !t->used && !t->budget_out) {
			err = ub_intake_pin_spent(rx->t, rx->pol->sms.user_pin_failures,
						  &t->failures);
			if (err && err != UB_E_POLICY)
				return io_failed(r, err);
			t->used = !err;
			t->budget_out = err == UB_E_POLICY;
		}
		if (ub_sec_needs_user_pin(req.ct.sec) && (!pin || t->budget_out)) {
			/* kept for the user only when it could apply */
			if ((err = ub_push_unverified(rx->pol, &req, &plan, &r->why))) {
				r->status = UB_SMS_REJECTED;
				return err;
			}
			ub_plan_free(&plan);
			memcpy(t->digest, digest, sizeof(digest));
			r->status = UB_SMS_PENDING;
			if (t->budget_out)
				snprintf(r->why.what, sizeof(r->why.what),
					 "the stored user PIN is not used: %u wrong PINs met with "
					 "it "
					 "([sms] user_pin_failures); the user gives the PIN for "
					 "this "
					 "message (sms pending --apply --id %lld) or resets the "
					 "count "
					 "(sms pending --reset-pin-budget)",
					 t->failures, m->id);
			return 0;
		}
	}
	req.user_pin = pin;
	req.memory = rx->t;
	cfg.dry_run = false;
	err = ub_push_run(&cfg, rx->pol, &req, &r->boot);
	with_pin = pin && ub_sec_needs_user_pin(req.ct.sec);
	OPENSSL_cleanse(&req, sizeof(req));
	switch (r->boot.outcome) {
	case UB_OUT_APPLIED:
	case UB_OUT_UNCHANGED:
		r->status = r->boot.outcome == UB_OUT_APPLIED ? UB_SMS_APPLIED : UB_SMS_UNCHANGED;
		return 0;
	case UB_OUT_REJECTED:
		r->status = UB_SMS_REJECTED;
		r->why = r->boot.status;
		t->mac = t->mac || (err == UB_E_MAC && with_pin);
		return err;
	default: /* no card, the tree: kept, to try again */
		r->status = UB_SMS_FAILED;
		r->why = r->boot.status;
		return err ? err : UB_E_INTERNAL;
	}
}

/* The outcome of c into r, which keeps its own place, parts and drops. */
static void adopt(struct ub_sms_result *r, struct ub_sms_result *c)
{
	r->status = c->status;
	r->why = c->why;
	r->kind = c->kind;
	r->sec = c->sec;
	ub_boot_result_free(&r->boot);
	r->boot = c->boot;
	memset(&c->boot, 0, sizeof(c->boot));
	ub_sms_result_free(c);
}

/* A pending message refused by its MAC: one wrong PIN more; dropped at
 * [sms] pin_attempts. */
static int wrong_pin(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m,
		     struct ub_sms_result *r)
{
	unsigned used = m->attempts + 1, max = rx->pol->sms.pin_attempts;
	int err;

	if (used >= max) {
		r->attempts_left = 0;
		err = forget(rx, m->id);
		return err ? err : add_dropped(r, m, "wrong PIN");
	}
	r->attempts_left = max - used;
	return ub_store_sms_attempt(rx->t, m->id);
}

/* One transaction: m waits for the user's PIN (the push of t->digest),
 * its sender's oldest beyond the bound go. */
static int set_pending(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m,
		       const struct ub_sms_deliver *first, long long now, const struct tries *t,
		       struct ub_sms_result *r)
{
	int err = ub_store_begin(rx->t);

	if (err)
		return err;
	err = ub_store_sms_set_pending(rx->t, m->id, now, t->digest, r->kind ? r->kind : "",
				       r->sec ? r->sec : "");
	if (!err)
		err = pending_bound(rx, m, first, r);
	if (!err)
		err = ub_store_commit(rx->t);
	if (err)
		ub_store_rollback(rx->t);
	return err;
}

/* After every combination was refused: a pending message given the wrong
 * PIN counts it; a message of several parts is kept, refused, until
 * expiry, for a part that may come with other data (the spoofed part may
 * have come first); one of a single part goes.  A MAC that did not verify
 * with the stored PIN counts one wrong PIN, device-wide, in the same
 * transaction; a kept message remembers it, to give it back if a part
 * that comes later makes it verify. */
static int refused(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, bool pending_apply,
		   const struct tries *t, long long now, struct ub_sms_result *r)
{
	bool wrong = t->used && t->mac;
	int err;

	if (pending_apply)
		return t->mac ? wrong_pin(rx, m, r) : forget(rx, m->id);
	if (m->total < 2)
		return forget_counting(rx, m->id, wrong, now);
	r->kept = true;
	if ((err = ub_store_begin(rx->t)))
		return err;
	if (wrong && !(err = ub_intake_pin_count(rx->t, 1, now)))
		err = ub_store_sms_attempt(rx->t, m->id);
	if (!err && m->state != UB_STORE_SMS_REFUSED)
		err = ub_store_sms_set_state(rx->t, m->id, UB_STORE_SMS_REFUSED);
	if (!err)
		return ub_store_commit(rx->t);
	ub_store_rollback(rx->t);
	return err;
}

/* The complete message m: each combination of its parts (the first ones
 * held first; with only_seq, those with part only_alt at place only_seq)
 * joined and tried until one is applied, waits for the PIN, or fails for a
 * reason that is not the message's; else the first's refusal stands.
 * pending_apply: the user gave the PIN for m, waiting. */
static int finish(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, const char *pin,
		  long long now, bool pending_apply, unsigned only_seq, unsigned only_alt,
		  struct ub_sms_result *r)
{
	struct ub_sms_deliver *sel = calloc(UB_SMS_PARTS_MAX, sizeof(*sel));
	struct ub_sms_result first, cur;
	struct gather g = {NULL, 0};
	struct tries t;
	unsigned *idx = NULL, tried = 0;
	uint8_t *data = malloc(JOINED_MAX);
	bool have_first = false, done = false;
	int err = 0, len, e2 = 0;

	memset(&t, 0, sizeof(t));
	memset(&first, 0, sizeof(first));
	r->message = m->id;
	r->held = m->total;
	if (!data || !sel || !(idx = calloc(UB_SMS_PARTS_MAX + 1, sizeof(*idx)))) {
		err = refuse(r, UB_SMS_FAILED, UB_E_NOMEM, "SMS", "out of memory");
		goto end;
	}
	if ((err = gather(rx, m, &g, r))) {
		if (r->status == UB_SMS_REJECTED && forget(rx, m->id))
			err = io_failed(r, UB_E_IO);
		goto end;
	}
	do {
		if (only_seq && (only_seq > g.total || idx[only_seq] != only_alt))
			continue;
		memset(&cur, 0, sizeof(cur));
		len = join(&g, idx, m, data, sel, &cur);
		if (len >= 0)
			err = try_one(rx, m, data, (size_t)len, &sel[0], pin, pending_apply, now,
				      &t, &cur);
		else
			err = len;
		OPENSSL_cleanse(data, JOINED_MAX);
		tried++;
		done = cur.status != UB_SMS_REJECTED && cur.status != UB_SMS_IGNORED;
		if (done || !have_first) {
			if (have_first)
				ub_sms_result_free(&first);
			first = cur;
			have_first = true;
			e2 = err;
		} else {
			ub_sms_result_free(&cur);
		}
	} while (!done && tried < COMBOS_MAX && next_combo(&g, idx));
	if (!have_first) { /* only_seq named no part: nothing to try */
		err = ignore(r, "message %lld: nothing new to try", m->id);
		goto end;
	}
	err = e2;
	e2 = 0;
	adopt(r, &first);
	switch (r->status) {
	case UB_SMS_APPLIED:
	case UB_SMS_UNCHANGED:
		/* a message refused before with a part in its place that was not
		 * the sender's: the wrong PINs it was counted were not wrong */
		e2 = forget_counting(rx, m->id,
				     m->state == UB_STORE_SMS_REFUSED ? -(int)m->attempts : 0, now);
		break;
	case UB_SMS_IGNORED:
		e2 = forget(rx, m->id);
		break;
	case UB_SMS_PENDING:
		e2 = set_pending(rx, m, &sel[0], now, &t, r);
		r->attempts_left = rx->pol->sms.pin_attempts;
		break;
	case UB_SMS_REJECTED:
		e2 = refused(rx, m, pending_apply, &t, now, r);
		break;
	default: /* no card, the tree: kept, to try again */
		break;
	}
	if (e2)
		err = io_failed(r, e2);
end:
	gather_free(&g);
	free(idx);
	free(sel);
	if (data)
		OPENSSL_cleanse(data, JOINED_MAX);
	free(data);
	return err;
}

/* --- the calls --- */

int ub_sms_receive(struct ub_sms_rx *rx, const uint8_t *tpdu, size_t n, bool has_smsc,
		   const char *user_pin, long long now, struct ub_sms_result *r)
{
	struct ub_store_sms_msg m;
	struct ub_sms_deliver d;
	struct ub_status why = {0};
	size_t off = 0;
	unsigned alt;
	int err;

	memset(r, 0, sizeof(*r));
	if (!now)
		now = (long long)time(NULL);
	err = ub_sms_deliver_decode(tpdu, n, has_smsc, &d, &why);
	if (err == UB_E_NOT_SUPPORTED) /* a status report, say: not a message for us */
		return ignore(r, "%s", why.what);
	if (err)
		return refuse(r, UB_SMS_REJECTED, err, "TPDU", "%s", why.what);
	snprintf(r->originator, sizeof(r->originator), "%s", d.originator);
	r->part = d.concat ? d.seq : 1;
	r->total = d.concat ? d.total : 1;
	/* TS 23.040 9.2.3.9: a Short Message Type 0 is acknowledged and
	 * discarded; a (U)SIM data download is the card's */
	if (d.pid == 0x40)
		return ignore(r, "a Short Message Type 0 (TP-PID 40): discarded");
	if (d.pid == 0x7F)
		return ignore(r, "a (U)SIM data download (TP-PID 7F): the card's");
	if (d.alphabet != UB_SMS_8BIT)
		return ignore(r, "a %s message, not 8-bit data: not a WAP push",
			      ub_sms_alphabet_name(d.alphabet));
	if (!d.has_ports)
		return ignore(r, "no application port: not a WAP push");
	if (d.dst_port == UB_WSP_PORT_PUSH_WTLS)
		return refuse(r, UB_SMS_REJECTED, UB_E_NOT_SUPPORTED, "WDP port 2949",
			      "a WAP push over WTLS (port 2949): uiccboot has no WTLS");
	if (d.dst_port != UB_WSP_PORT_PUSH)
		return ignore(r, "port %u: not the WAP Push port 2948", d.dst_port);
	if (!rx->pol->push_enabled) /* nothing kept for a push that will be refused */
		return refuse(r, UB_SMS_REJECTED, UB_E_POLICY, "[push] enabled",
			      "push bootstrap is disabled by policy");
	if (r->total > rx->pol->sms.max_parts)
		return refuse(r, UB_SMS_REJECTED, UB_E_POLICY, "[sms] max_parts",
			      "a message of %u parts: the policy allows %u", r->total,
			      rx->pol->sms.max_parts);
	if (has_smsc)
		off = 1 + (size_t)tpdu[0]; /* kept without it: the SMSC may differ per part */
	err = store_part(rx, &d, tpdu + off, n - off, now, r, &m, &alt);
	if (err || r->status != UB_SMS_STORED || m.held < m.total)
		return err;
	if (m.state == UB_STORE_SMS_PENDING) { /* a part beside one of it: tried with the PIN */
		r->status = UB_SMS_PENDING;
		r->attempts_left = m.attempts < rx->pol->sms.pin_attempts
					   ? rx->pol->sms.pin_attempts - m.attempts
					   : 0;
		return 0;
	}
	/* refused with the parts held before: tried again with the new one */
	if (m.state == UB_STORE_SMS_REFUSED)
		return finish(rx, &m, user_pin, now, false, alt ? r->part : 0, alt, r);
	return finish(rx, &m, user_pin, now, false, 0, 0, r);
}

int ub_sms_receive_hex(struct ub_sms_rx *rx, const char *hex, bool has_smsc, const char *user_pin,
		       long long now, struct ub_sms_result *r)
{
	uint8_t b[UB_SMS_TPDU_MAX];
	int n = ub_unhex(b, sizeof(b), hex);

	if (n < 0) {
		memset(r, 0, sizeof(*r));
		return refuse(r, UB_SMS_REJECTED, UB_E_BAD_DATA, "TPDU",
			      "not hex, or longer than %d octets", UB_SMS_TPDU_MAX);
	}
	return ub_sms_receive(rx, b, (size_t)n, has_smsc, user_pin, now, r);
}

/* Room for one more result in *res. */
static struct ub_sms_result *next_result(struct ub_sms_result **res, size_t *n)
{
	struct ub_sms_result *v = realloc(*res, (*n + 1) * sizeof(*v));

	if (!v)
		return NULL;
	*res = v;
	memset(&v[*n], 0, sizeof(v[*n]));
	return &v[(*n)++];
}

int ub_sms_expire(struct ub_sms_rx *rx, long long now, struct ub_sms_dropped **dropped, size_t *n)
{
	struct ub_sms_result r;
	int err;

	memset(&r, 0, sizeof(r));
	if (!now)
		now = (long long)time(NULL);
	if ((err = ub_store_begin(rx->t)))
		return err;
	err = expire(rx, now, &r);
	if (!err)
		err = ub_store_commit(rx->t);
	else
		ub_store_rollback(rx->t);
	if (err) {
		free(r.dropped);
		r.dropped = NULL;
		r.ndropped = 0;
	}
	*dropped = r.dropped;
	*n = r.ndropped;
	return err;
}

static bool expired(const struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, long long now)
{
	return m->since < now - (long long)rx->pol->sms.expiry;
}

int ub_sms_resume(struct ub_sms_rx *rx, const char *user_pin, long long now,
		  struct ub_sms_result **res, size_t *n)
{
	struct msgs c = {NULL, 0};
	struct ub_sms_result *r;
	size_t i;
	int err, first = 0;

	*res = NULL;
	*n = 0;
	if (!now)
		now = (long long)time(NULL);
	if ((err = ub_store_sms_complete(rx->t, collect, &c)))
		goto end;
	for (i = 0; i < c.n; i++) {
		if (expired(rx, &c.v[i], now))
			continue; /* ub_sms_expire's */
		if (!(r = next_result(res, n))) {
			err = UB_E_NOMEM;
			break;
		}
		snprintf(r->originator, sizeof(r->originator), "%s", c.v[i].originator);
		r->total = c.v[i].total;
		err = finish(rx, &c.v[i], user_pin, now, false, 0, 0, r);
		if (err && !first)
			first = err;
	}
	err = err ? err : first;
end:
	free(c.v);
	return err;
}

struct listing {
	struct ub_sms_message *v;
	size_t n;
	bool pending_only;
	long long now;
	const struct ub_sms_policy *b;
};

static int list_cb(const struct ub_store_sms_msg *m, void *arg)
{
	struct listing *l = arg;
	struct ub_sms_message *v, *e;
	bool pending = m->state == UB_STORE_SMS_PENDING;

	if ((l->pending_only && !pending) || m->since < l->now - (long long)l->b->expiry)
		return 0; /* expired: gone at the next receive */
	if (!(v = realloc(l->v, (l->n + 1) * sizeof(*v))))
		return UB_E_NOMEM;
	l->v = v;
	e = &v[l->n++];
	memset(e, 0, sizeof(*e));
	e->id = m->id;
	e->pending = pending;
	e->refused = m->state == UB_STORE_SMS_REFUSED;
	snprintf(e->originator, sizeof(e->originator), "%s", m->originator);
	e->held = m->held;
	e->total = m->total;
	e->since = m->since;
	e->expires = m->since + (long long)l->b->expiry;
	snprintf(e->kind, sizeof(e->kind), "%s", m->kind);
	snprintf(e->sec, sizeof(e->sec), "%s", m->sec);
	e->attempts_left =
		pending && m->attempts < l->b->pin_attempts ? l->b->pin_attempts - m->attempts : 0;
	return 0;
}

int ub_sms_list(struct ub_sms_rx *rx, bool pending_only, long long now,
		struct ub_sms_message **list, size_t *n)
{
	struct listing l = {NULL, 0, pending_only, now ? now : (long long)time(NULL),
			    &rx->pol->sms};
	int err = ub_store_sms_list(rx->t, list_cb, &l);

	if (err) {
		free(l.v);
		l.v = NULL;
		l.n = 0;
	}
	*list = l.v;
	*n = l.n;
	return err;
}

/* The pending message id (0: the only one) not expired at now: 1 and *m,
 * or UB_E_NOT_FOUND, UB_E_USAGE (id 0 and several wait), UB_E_IO. */
static int chosen(struct ub_sms_rx *rx, long long id, long long now, struct ub_store_sms_msg *m)
{
	struct msgs c = {NULL, 0};
	size_t i, found = 0;
	int err = ub_store_sms_list(rx->t, collect, &c);

	for (i = 0; !err && i < c.n; i++) {
		if (c.v[i].state != UB_STORE_SMS_PENDING || (id && c.v[i].id != id) ||
		    expired(rx, &c.v[i], now))
			continue;
		*m = c.v[i];
		found++;
	}
	free(c.v);
	return err ? err : !found ? UB_E_NOT_FOUND : found > 1 ? UB_E_USAGE : 1;
}

int ub_sms_pending_apply(struct ub_sms_rx *rx, long long id, const char *user_pin, long long now,
			 struct ub_sms_result **res, size_t *n)
{
	struct ub_store_sms_msg m;
	struct ub_sms_result *r;
	int err;

	*res = NULL;
	*n = 0;
	if (!now)
		now = (long long)time(NULL);
	if (!user_pin || strlen(user_pin) < rx->pol->user_pin_min)
		return UB_E_POLICY;
	if ((err = chosen(rx, id, now, &m)) < 0)
		return err;
	if (!(r = next_result(res, n)))
		return UB_E_NOMEM;
	snprintf(r->originator, sizeof(r->originator), "%s", m.originator);
	r->total = m.total;
	return finish(rx, &m, user_pin, now, true, 0, 0, r);
}

int ub_sms_pending_plan(struct ub_sms_rx *rx, long long id, long long now, struct ub_plan *plan,
			long long *which, struct ub_status *st)
{
	struct ub_store_sms_msg m;
	struct ub_sms_deliver *sel = calloc(UB_SMS_PARTS_MAX, sizeof(*sel));
	struct ub_sms_result r;
	struct gather g = {NULL, 0};
	struct ub_push_req req;
	struct ub_wsp_push p;
	unsigned *idx = calloc(UB_SMS_PARTS_MAX + 1, sizeof(*idx)), tried = 0;
	uint8_t *data = malloc(JOINED_MAX);
	int err, len, first = 0;

	memset(plan, 0, sizeof(*plan));
	memset(&r, 0, sizeof(r));
	*which = 0;
	if (!now)
		now = (long long)time(NULL);
	if (!sel || !idx || !data) {
		err = ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
		goto end;
	}
	if ((err = chosen(rx, id, now, &m)) < 0) {
		ub_fail(st, err, 0, "SMS store",
			err == UB_E_USAGE ? "several messages wait: choose one by its number"
					  : "no such pending message");
		goto end;
	}
	*which = m.id;
	if ((err = gather(rx, &m, &g, &r))) {
		*st = r.why;
		goto end;
	}
	do {
		memset(&req, 0, sizeof(req));
		len = join(&g, idx, &m, data, sel, &r);
		err = len < 0 ? r.why.err
		      : (err = ub_wsp_push_from_wdp(sel[0].has_ports, sel[0].dst_port, data,
						    (size_t)len, &p, &r.why))
			      ? (ub_status_at(&r.why, "WSP push"), err)
			      : ub_push_req_from_wsp(&p, &req, &r.why);
		if (!err)
			err = ub_push_unverified(rx->pol, &req, plan, &r.why);
		OPENSSL_cleanse(&req, sizeof(req));
		OPENSSL_cleanse(data, JOINED_MAX);
		if (err && !first) {
			first = err;
			*st = r.why;
		}
	} while (err && ++tried < COMBOS_MAX && next_combo(&g, idx));
	err = err ? first : 0;
end:
	gather_free(&g);
	free(sel);
	free(idx);
	free(data);
	return err;
}

int ub_sms_pin_budget(struct ub_sms_rx *rx, unsigned *failures, unsigned *max, long long *last)
{
	*max = rx->pol->sms.user_pin_failures;
	return ub_intake_pin_state(rx->t, failures, last);
}

int ub_sms_pin_budget_reset(struct ub_sms_rx *rx)
{
	return ub_intake_pin_reset(rx->t);
}
