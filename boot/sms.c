/* Bootstraps received over SMS (sms.h).  A TPDU is decoded (wire/sms.c);
 * an 8-bit part to the WAP Push port is kept in the tree's database, one
 * transaction each (tree/store.c), grouped by originator, reference,
 * total and ports (TS 23.040 9.2.3.24.1); a complete message is joined,
 * read as a WSP push (wire/wsp.c, WAP-259 6.5), and a DM or CP bootstrap
 * goes through the one push path (push.c: verify.c, then apply).
 *
 * Each message row is done with in this order: its last part stored
 * (commit), then verified and applied (the apply's own transaction), then
 * removed.  A power loss between the last two leaves a complete message
 * that ub_sms_resume applies again: the tree holds it already, so that
 * gives "unchanged". */
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
 * r), and so do the digests of pushes applied before then. */
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
	return err ? err : ub_store_sms_forget_seen(rx->t, before);
}

/* Inside a transaction: room for n more octets (and one more message when
 * new_msg), made by dropping the oldest incomplete messages, then the
 * oldest pending ones, never `except`.  Each drop is reported. */
static int make_room(struct ub_sms_rx *rx, long long except, bool new_msg, size_t n,
		     struct ub_sms_result *r)
{
	const struct ub_sms_policy *b = &rx->pol->sms;
	struct ub_store_sms_msg v;
	unsigned long msgs, bytes;
	bool over_m, over_b;
	int err, found;

	for (;;) {
		if ((err = ub_store_sms_totals(rx->t, &msgs, &bytes)))
			return err;
		over_m = new_msg && msgs + 1 > b->max_messages;
		over_b = bytes + n > b->max_bytes;
		if (!over_m && !over_b)
			return 0;
		found = ub_store_sms_oldest(rx->t, UB_STORE_SMS_OPEN, except, &v);
		if (!found)
			found = ub_store_sms_oldest(rx->t, UB_STORE_SMS_PENDING, except, &v);
		if (found < 0)
			return found;
		if (!found) /* only `except` is left, and it was checked to fit */
			return UB_E_INTERNAL;
		err = drop(rx, &v, over_m ? "[sms] max_messages" : "[sms] max_bytes", r);
		if (err)
			return err;
	}
}

/* What groups the parts of one message: the originator as sent, the
 * ports, and the reference, its width and the total; a message of one
 * part is keyed by its user data. */
static size_t message_key(const struct ub_sms_deliver *d, uint8_t key[KEY_MAX])
{
	size_t k = 0;

	key[k++] = d->oa_raw_len;
	memcpy(key + k, d->oa_raw, d->oa_raw_len);
	k += d->oa_raw_len;
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

/* The part held already at this place: the same user data is a repeat
 * (TS 23.040 9.2.3.24.1 lets the network send a part again); other data
 * is refused and the part held stays. */
static int held_part(const struct ub_sms_deliver *d, const uint8_t *old, size_t olen,
		     const struct ub_store_sms_msg *m, struct ub_sms_result *r)
{
	struct ub_sms_deliver o;

	if (!ub_sms_deliver_decode(old, olen, false, &o, NULL, 0) &&
	    o.payload_len == d->payload_len && !memcmp(o.payload, d->payload, d->payload_len))
		return ignore(r, "part %u of %u of message %lld is held already (a repeat)",
			      r->part, r->total, m->id);
	return refuse(r, UB_SMS_REJECTED, UB_E_BAD_DATA, "SMS",
		      "part %u of %u of message %lld is held already with other data: refused, "
		      "the part held stays",
		      r->part, r->total, m->id);
}

/* One transaction: expiry, the message found or made (room made for it),
 * the part stored; r says stored, ignored (a repeat) or rejected. */
static int store_part(struct ub_sms_rx *rx, const struct ub_sms_deliver *d, const uint8_t *tpdu,
		      size_t n, long long now, struct ub_sms_result *r, struct ub_store_sms_msg *m)
{
	uint8_t key[KEY_MAX], old[UB_SMS_TPDU_MAX];
	size_t klen = message_key(d, key), olen = 0;
	int err, found = 0, has = 0;
	long long id = 0;

	memset(m, 0, sizeof(*m));
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
		err = held_part(d, old, olen, m, r);
		goto end; /* expiry done, nothing stored */
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
		err = make_room(rx, found ? m->id : 0, !found, n, r);
	if (!err && !found)
		err = ub_store_sms_new(rx->t, key, klen, r->originator, r->total, now, &id);
	if (!err && found)
		id = m->id;
	if (!err)
		err = ub_store_sms_add_part(rx->t, id, r->part, tpdu, n);
	if (!err && (found = ub_store_sms_get(rx->t, id, m)) != 1)
		err = found < 0 ? found : UB_E_INTERNAL;
	if (!err) {
		r->status = UB_SMS_STORED;
		r->message = id;
		r->held = m->held;
	}
end:
	if (err == UB_E_POLICY || err == UB_E_BAD_DATA)
		err = ub_store_commit(rx->t) ?: err; /* the refusal stands, the expiry too */
	else if (!err)
		err = ub_store_commit(rx->t);
	if (err && err != UB_E_POLICY && err != UB_E_BAD_DATA) {
		ub_store_rollback(rx->t);
		r->ndropped = 0; /* rolled back with the rest */
		return io_failed(r, err);
	}
	return err;
}

/* --- a complete message --- */

struct gather {
	uint8_t (*buf)[UB_SMS_TPDU_MAX];
	struct ub_sms_deliver *d;
	size_t n, max;
};

static int gather_cb(unsigned seq, const uint8_t *tpdu, size_t n, void *arg)
{
	struct gather *g = arg;

	if (g->n >= g->max || n > UB_SMS_TPDU_MAX)
		return UB_E_BAD_DATA;
	memcpy(g->buf[g->n], tpdu, n);
	if (ub_sms_deliver_decode(g->buf[g->n], n, false, &g->d[g->n], NULL, 0))
		return UB_E_BAD_DATA;
	g->n++;
	return 0;
}

/* The parts of m joined into out: the length, or an error in r->why. */
static int join(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, uint8_t *out,
		struct ub_sms_deliver *first, struct ub_sms_result *r)
{
	struct gather g = {NULL, NULL, 0, m->total};
	char why[300] = "";
	int err, len;

	g.buf = calloc(m->total ? m->total : 1, sizeof(*g.buf));
	g.d = calloc(m->total ? m->total : 1, sizeof(*g.d));
	if (!g.buf || !g.d) {
		len = refuse(r, UB_SMS_FAILED, UB_E_NOMEM, "SMS", "out of memory");
		goto end;
	}
	err = ub_store_sms_parts(rx->t, m->id, gather_cb, &g);
	if (err == UB_E_BAD_DATA) {
		len = refuse(r, UB_SMS_REJECTED, err, "SMS",
			     "message %lld: a part held is unreadable", m->id);
		goto end;
	}
	if (err) {
		len = io_failed(r, err);
		goto end;
	}
	len = ub_sms_reassemble(g.d, g.n, out, JOINED_MAX, why, sizeof(why));
	if (len < 0) {
		len = refuse(r, UB_SMS_REJECTED, len == UB_E_NOT_FOUND ? UB_E_BAD_DATA : len, "SMS",
			     "message %lld: %s", m->id, why[0] ? why : ub_strerror(len));
		goto end;
	}
	*first = g.d[0];
	first->payload = NULL; /* g.buf goes */
	first->udh = NULL;
end:
	if (g.buf)
		OPENSSL_cleanse(g.buf, (m->total ? m->total : 1) * sizeof(*g.buf));
	free(g.buf);
	free(g.d);
	return len;
}

static int forget(struct ub_sms_rx *rx, long long id, const uint8_t *digest, long long now)
{
	int err = ub_store_begin(rx->t);

	if (!err)
		err = ub_store_sms_delete(rx->t, id);
	if (!err && digest)
		err = ub_store_sms_set_seen(rx->t, digest, now);
	if (!err)
		return ub_store_commit(rx->t);
	ub_store_rollback(rx->t);
	return err;
}

/* A push like this one (its Content-Type and body) applied lately, or
 * held pending as another message: ignored, m forgotten.  1 when so. */
static int repeat(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, const uint8_t *digest,
		  struct ub_sms_result *r)
{
	struct ub_store_sms_msg other;
	long long at;
	int k;

	if ((k = ub_store_sms_seen(rx->t, digest, &at)) < 0)
		return k;
	if (k) {
		char when[32];
		time_t tt = (time_t)at;
		struct tm tm;

		gmtime_r(&tt, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		ignore(r, "the same push was applied at %s: a repeat or a replay", when);
		return 1;
	}
	if ((k = ub_store_sms_by_digest(rx->t, digest, &other)) < 0)
		return k;
	if (k && other.id != m->id) {
		ignore(r, "the same push is pending as message %lld", other.id);
		return 1;
	}
	return 0;
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
		err = forget(rx, m->id, NULL, 0);
		return err ? err : add_dropped(r, m, "wrong PIN");
	}
	r->attempts_left = max - used;
	return ub_store_sms_attempt(rx->t, m->id);
}

/* Verified and applied with the PIN (or without: the SEC type needs
 * none); the message is forgotten unless the failure may pass. */
static int apply(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, struct ub_push_req *req,
		 const uint8_t *digest, long long now, struct ub_sms_result *r)
{
	struct ub_boot_config cfg = *rx->cfg;
	int err, e2;

	cfg.dry_run = false;
	err = ub_push_run(&cfg, rx->pol, req, &r->boot);
	switch (r->boot.outcome) {
	case UB_OUT_APPLIED:
	case UB_OUT_UNCHANGED:
		r->status = r->boot.outcome == UB_OUT_APPLIED ? UB_SMS_APPLIED : UB_SMS_UNCHANGED;
		e2 = forget(rx, m->id, digest, now);
		return e2 ? io_failed(r, e2) : 0;
	case UB_OUT_REJECTED:
		r->status = UB_SMS_REJECTED;
		r->why = r->boot.status;
		if (m->state == UB_STORE_SMS_PENDING && err == UB_E_MAC)
			e2 = wrong_pin(rx, m, r);
		else
			e2 = forget(rx, m->id, NULL, 0);
		return e2 ? io_failed(r, e2) : err;
	default: /* no card, the tree: kept, to try again */
		r->status = UB_SMS_FAILED;
		r->why = r->boot.status;
		return err ? err : UB_E_INTERNAL;
	}
}

static void push_digest(const struct ub_wsp_push *p, uint8_t digest[32])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	memset(digest, 0, 32);
	if (c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
	    EVP_DigestUpdate(c, p->headers, p->ct_len) && EVP_DigestUpdate(c, p->body, p->body_len))
		EVP_DigestFinal_ex(c, digest, NULL);
	EVP_MD_CTX_free(c);
}

/* The complete message m: joined, read, and done with (ignored, pending,
 * applied, rejected); pending_apply: m waited for the PIN, given now. */
static int finish(struct ub_sms_rx *rx, const struct ub_store_sms_msg *m, const char *pin,
		  long long now, bool pending_apply, struct ub_sms_result *r)
{
	uint8_t *data = malloc(JOINED_MAX), digest[32];
	struct ub_sms_deliver first;
	struct ub_push_req req;
	struct ub_wsp_push p;
	char why[sizeof(r->why.what)];
	int len, err, k;

	memset(&req, 0, sizeof(req));
	memset(&first, 0, sizeof(first));
	r->message = m->id;
	r->held = m->total;
	if (!data)
		return refuse(r, UB_SMS_FAILED, UB_E_NOMEM, "SMS", "out of memory");
	if ((len = join(rx, m, data, &first, r)) < 0) {
		err = len;
		if (r->status == UB_SMS_REJECTED && forget(rx, m->id, NULL, 0))
			err = io_failed(r, UB_E_IO);
		goto end;
	}
	err = ub_wsp_push_from_wdp(first.has_ports, first.dst_port, data, (size_t)len, &p, why,
				   sizeof(why));
	if (!err) {
		r->kind = ub_wsp_kind_name(ub_wsp_classify(&p));
		err = ub_push_req_from_wsp(&p, &req, &r->why);
	} else {
		ub_fail(&r->why, err, 0, "WSP push", "%s", why);
	}
	if (err == UB_E_NOT_SUPPORTED && r->kind) { /* not a bootstrap: not ours */
		snprintf(why, sizeof(why), "%s", r->why.what);
		err = 0;
		ignore(r, "%s", why);
		if (forget(rx, m->id, NULL, 0))
			err = io_failed(r, UB_E_IO);
		goto end;
	}
	if (err) {
		r->status = UB_SMS_REJECTED;
		if (forget(rx, m->id, NULL, 0))
			err = io_failed(r, UB_E_IO);
		goto end;
	}
	r->sec = req.ct.sec ? ub_sec_name_for(req.ct.sec, req.ct.kind) : NULL;
	push_digest(&p, digest);
	if (!pending_apply) {
		if ((k = repeat(rx, m, digest, r)) < 0) {
			err = io_failed(r, k);
			goto end;
		}
		if (k) {
			err = forget(rx, m->id, NULL, 0) ? io_failed(r, UB_E_IO) : 0;
			goto end;
		}
		if ((err = ub_push_admit(rx->pol, &req, &r->why))) {
			r->status = UB_SMS_REJECTED;
			if (forget(rx, m->id, NULL, 0))
				err = io_failed(r, UB_E_IO);
			goto end;
		}
		if (ub_sec_needs_user_pin(req.ct.sec) && !pin) {
			err = ub_store_sms_set_pending(rx->t, m->id, now, digest, r->kind, r->sec);
			if (err) {
				err = io_failed(r, err);
				goto end;
			}
			r->status = UB_SMS_PENDING;
			r->attempts_left = rx->pol->sms.pin_attempts;
			goto end;
		}
	}
	req.user_pin = pin;
	err = apply(rx, m, &req, digest, now, r);
end:
	OPENSSL_cleanse(&req, sizeof(req));
	OPENSSL_cleanse(data, JOINED_MAX);
	free(data);
	return err;
}

/* --- the calls --- */

static const char *alphabet_name(enum ub_sms_alphabet a)
{
	return a == UB_SMS_UCS2 ? "UCS2" : a == UB_SMS_COMPRESSED ? "compressed" : "GSM 7-bit";
}

int ub_sms_receive(struct ub_sms_rx *rx, const uint8_t *tpdu, size_t n, bool has_smsc,
		   const char *user_pin, long long now, struct ub_sms_result *r)
{
	struct ub_store_sms_msg m;
	struct ub_sms_deliver d;
	char why[300];
	size_t off = 0;
	int err;

	memset(r, 0, sizeof(*r));
	if (!now)
		now = (long long)time(NULL);
	err = ub_sms_deliver_decode(tpdu, n, has_smsc, &d, why, sizeof(why));
	if (err == UB_E_NOT_SUPPORTED) /* a status report, say: not a message for us */
		return ignore(r, "%s", why);
	if (err)
		return refuse(r, UB_SMS_REJECTED, err, "TPDU", "%s", why);
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
			      alphabet_name(d.alphabet));
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
	err = store_part(rx, &d, tpdu + off, n - off, now, r, &m);
	if (err || r->status != UB_SMS_STORED || m.held < m.total)
		return err;
	return finish(rx, &m, user_pin, now, false, r);
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
		err = finish(rx, &c.v[i], user_pin, now, false, r);
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

int ub_sms_pending_apply(struct ub_sms_rx *rx, long long id, const char *user_pin, long long now,
			 struct ub_sms_result **res, size_t *n)
{
	struct msgs c = {NULL, 0};
	struct ub_sms_result *r;
	size_t i, done = 0;
	int err = 0, first = 0;

	*res = NULL;
	*n = 0;
	if (!now)
		now = (long long)time(NULL);
	if (!user_pin || strlen(user_pin) < rx->pol->user_pin_min)
		return UB_E_POLICY;
	if ((err = ub_store_sms_list(rx->t, collect, &c)))
		goto end;
	for (i = 0; i < c.n; i++) {
		if (c.v[i].state != UB_STORE_SMS_PENDING || (id && c.v[i].id != id) ||
		    expired(rx, &c.v[i], now))
			continue;
		if (!(r = next_result(res, n))) {
			err = UB_E_NOMEM;
			break;
		}
		done++;
		snprintf(r->originator, sizeof(r->originator), "%s", c.v[i].originator);
		r->total = c.v[i].total;
		err = finish(rx, &c.v[i], user_pin, now, true, r);
		if (err && !first)
			first = err;
	}
	err = err ? err : !done ? UB_E_NOT_FOUND : first;
end:
	free(c.v);
	return err;
}
