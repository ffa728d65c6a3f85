/* Decoding captured TPDUs offline (uiccboot/sms.h ub_sms_decode): the
 * device's SMS decoder and joiner (src/wire/sms.c), its WSP push decoder
 * (src/wire/wsp.c) and the sender's MAC check (sender.c), with no tree, no
 * card, no policy.  Pure: the caller's TPDUs in, a result the caller frees. */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sms.h"
#include "ub_bootsec.h"
#include "ub_sender.h"
#include "ub_sms.h"
#include "ub_wsp.h"

_Static_assert(UB_SMS_DECODE_TPDU_MAX == UB_SMS_TPDU_MAX, "a TPDU's octets");
_Static_assert(UB_SMS_DECODE_PARTS_MAX == UB_SMS_PARTS_MAX, "a message's parts");
_Static_assert(sizeof(((struct ub_sms_decoded_tpdu *)0)->originator) == UB_SMS_ADDR_TEXT,
	       "an address");
_Static_assert(sizeof(((struct ub_sms_decoded_tpdu *)0)->scts) == UB_SMS_SCTS_TEXT, "TP-SCTS");
_Static_assert(sizeof(((struct ub_sms_decoded_message *)0)->media) == UB_WSP_MEDIA_MAX, "media");
_Static_assert(sizeof(((struct ub_sms_decoded_message *)0)->sec) == UB_WSP_SEC_MAX, "SEC");
_Static_assert(sizeof(((struct ub_sms_decoded_message *)0)->mac) == UB_WSP_MAC_HEX + 1, "MAC");
_Static_assert(sizeof(((struct ub_sms_decoded_message *)0)->app_uri) == UB_WSP_URI_MAX, "URI");

/* What r->priv_ holds: the TPDUs' decodings (pointing into the caller's
 * octets, used during the call only), the messages' TPDU indexes, and the
 * joined user data of every message (at most the sum of the parts). */
struct decode_priv {
	struct ub_sms_deliver *d;
	size_t *idx;
	uint8_t *data;
	size_t data_len;
};

static void tpdu_out(struct ub_sms_decoded_tpdu *t, const struct ub_sms_deliver *d)
{
	memcpy(t->smsc, d->smsc, sizeof(t->smsc));
	memcpy(t->originator, d->originator, sizeof(t->originator));
	memcpy(t->scts, d->scts_text, sizeof(t->scts));
	t->pid = d->pid;
	t->dcs = d->dcs;
	t->alphabet = ub_sms_alphabet_name(d->alphabet);
	t->data_8bit = d->alphabet == UB_SMS_8BIT;
	t->has_ports = d->has_ports;
	t->dst_port = d->dst_port;
	t->src_port = d->src_port;
	t->concat = d->concat;
	t->ref_bits = d->ref_bits;
	t->ref = d->ref;
	t->seq = d->seq;
	t->total = d->total;
	t->user_data_len = d->payload_len;
}

static void push_out(struct ub_sms_decoded_message *m, const struct ub_wsp_push *p)
{
	m->kind = ub_wsp_kind_name(ub_wsp_classify(p));
	m->tid = p->tid;
	memcpy(m->media, p->ct.media, sizeof(m->media));
	m->has_sec = p->ct.has_sec;
	if (p->ct.has_sec)
		memcpy(m->sec, p->ct.sec, sizeof(m->sec));
	m->has_mac = p->ct.has_mac;
	if (p->ct.has_mac)
		memcpy(m->mac, p->ct.mac, sizeof(m->mac));
	m->has_app_id = p->has_app_id;
	m->app_code = p->has_app_id ? p->app_code : -1;
	if (p->has_app_id)
		memcpy(m->app_uri, p->app_uri, sizeof(m->app_uri));
	m->content_type = p->headers;
	m->content_type_len = p->ct_len;
	m->body = p->body;
	m->body_len = p->body_len;
}

/* The MAC of push p, checked with the sender's keys as a device checks it. */
static void mac_out(struct ub_sms_decoded_message *m, const struct ub_wsp_push *p,
		    const struct ub_sms_decode_keys *k)
{
	struct ub_send_opts so;
	enum ub_sec sec = UB_SEC_NONE;

	memset(&so, 0, sizeof(so));
	so.keys.imsi = k->imsi;
	so.keys.netid = k->netid_ascii ? UB_NETID_ASCII : UB_NETID_SEMI_OCTET;
	so.keys.pin = k->user_pin;
	so.keys.ks_ext_naf = k->ks_ext_naf;
	so.userpinmac_key = k->userpinmac_key;
	m->mac_checked = true;
	m->mac_err = ub_send_check(&so, p, &sec, &m->mac_why);
	m->mac_verified = !m->mac_err;
	m->mac_sec = sec != UB_SEC_NONE ? ub_sec_name(sec) : NULL;
	OPENSSL_cleanse(&so, sizeof(so));
}

/* The message whose first TPDU is i: the TPDUs of it that follow, up to
 * UB_SMS_PARTS_MAX, joined at *off in pv->data and read as a WAP push. */
static void message(struct ub_sms_decoded *r, struct decode_priv *pv, size_t i, size_t *next_idx,
		    size_t *off, const struct ub_sms_decode_opts *o)
{
	struct ub_sms_deliver *parts = NULL, *d = pv->d;
	struct ub_sms_decoded_message *m = &r->messages[r->nmessages];
	struct ub_sms_decoded_tpdu *t = r->tpdus;
	size_t *idx = pv->idx + *next_idx;
	struct ub_wsp_push p;
	size_t j, n = 0;
	int len, err;

	for (j = i; j < r->ntpdus && n < UB_SMS_PARTS_MAX; j++) {
		if (t[j].err || t[j].message >= 0)
			continue;
		if (j == i || (d[i].concat && ub_sms_same_message(&d[i], &d[j]))) {
			t[j].message = (long)r->nmessages;
			idx[n++] = j;
		}
		if (!d[i].concat)
			break;
	}
	/* the bound said, never silent: a part of it left for another message */
	for (; n == UB_SMS_PARTS_MAX && j < r->ntpdus && !m->parts_limit; j++)
		m->parts_limit = !t[j].err && t[j].message < 0 && ub_sms_same_message(&d[i], &d[j]);
	m->tpdus = idx;
	m->ntpdus = n;
	*next_idx += n;
	r->nmessages++;
	/* the parts in the order given, for the joiner */
	parts = malloc(n * sizeof(*parts));
	if (!parts) {
		m->err = ub_fail(&m->why, UB_E_NOMEM, 0, NULL, NULL);
		return;
	}
	for (j = 0; j < n; j++)
		parts[j] = d[idx[j]];
	len = ub_sms_reassemble(parts, n, pv->data + *off, pv->data_len - *off, &m->why);
	free(parts);
	if (len < 0) {
		m->err = len;
		m->incomplete = len == UB_E_NOT_FOUND;
		return;
	}
	m->wdp = pv->data + *off;
	m->wdp_len = (size_t)len;
	*off += (size_t)len;
	err = ub_wsp_push_from_wdp(d[i].has_ports, d[i].dst_port, m->wdp, m->wdp_len, &p, &m->why);
	if (err) {
		m->err = err;
		return;
	}
	ub_status_clear(&m->why);
	push_out(m, &p);
	if (o && o->keys)
		mac_out(m, &p, o->keys);
}

int ub_sms_decode(const struct ub_sms_tpdu_in *in, size_t n, const struct ub_sms_decode_opts *o,
		  struct ub_sms_decoded *r, struct ub_status *st)
{
	struct decode_priv *pv;
	size_t i, next_idx = 0, off = 0;
	bool smsc = o && o->has_smsc;

	if (!r)
		return ub_fail(st, UB_E_USAGE, 0, NULL, "ub_sms_decode: no result");
	memset(r, 0, sizeof(*r));
	if (!in && n)
		return ub_fail(st, UB_E_USAGE, 0, NULL, "ub_sms_decode: no TPDUs");
	if (n > UB_SMS_DECODE_MAX)
		return ub_fail(st, UB_E_USAGE, 0, NULL, "more than %d TPDUs", UB_SMS_DECODE_MAX);
	if (!(pv = calloc(1, sizeof(*pv))))
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	r->priv_ = pv;
	/* one more of each, so that n = 0 allocates too */
	pv->d = calloc(n + 1, sizeof(*pv->d));
	pv->idx = calloc(n + 1, sizeof(*pv->idx));
	r->tpdus = calloc(n + 1, sizeof(*r->tpdus));
	r->messages = calloc(n + 1, sizeof(*r->messages));
	if (!pv->d || !pv->idx || !r->tpdus || !r->messages) {
		ub_sms_decoded_free(r);
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	}
	r->ntpdus = n;
	for (i = 0; i < n; i++) {
		struct ub_sms_decoded_tpdu *t = &r->tpdus[i];

		t->message = -1;
		if (in[i].n > UB_SMS_TPDU_MAX || (!in[i].b && in[i].n))
			t->err = ub_fail(&t->why, UB_E_BAD_DATA, 0, NULL, "longer than %d octets",
					 UB_SMS_TPDU_MAX);
		else
			t->err = ub_sms_deliver_decode(in[i].b ? in[i].b : (const uint8_t *)"",
						       in[i].n, smsc, &pv->d[i], &t->why);
		if (t->err)
			continue;
		tpdu_out(t, &pv->d[i]);
		pv->data_len += pv->d[i].payload_len;
	}
	if (!(pv->data = malloc(pv->data_len + 1))) {
		ub_sms_decoded_free(r);
		return ub_fail(st, UB_E_NOMEM, 0, NULL, NULL);
	}
	for (i = 0; i < n; i++) {
		/* a TPDU in another alphabet starts no message (it is said so
		   in its result), nor one that an earlier message took */
		if (r->tpdus[i].err || r->tpdus[i].message >= 0 || !r->tpdus[i].data_8bit)
			continue;
		message(r, pv, i, &next_idx, &off, o);
	}
	/* the decodings point into the caller's octets: gone with the call */
	OPENSSL_cleanse(pv->d, (n + 1) * sizeof(*pv->d));
	free(pv->d);
	pv->d = NULL;
	return 0;
}

void ub_sms_decoded_free(struct ub_sms_decoded *r)
{
	struct decode_priv *pv;
	size_t i;

	if (!r)
		return;
	pv = r->priv_;
	if (pv) {
		if (pv->data)
			OPENSSL_cleanse(pv->data, pv->data_len + 1); /* a bootstrap's secrets */
		free(pv->data);
		free(pv->idx);
		free(pv->d);
		free(pv);
	}
	for (i = 0; r->messages && i < r->nmessages; i++)
		OPENSSL_cleanse(&r->messages[i].mac_why, sizeof(r->messages[i].mac_why));
	free(r->tpdus);
	free(r->messages);
	memset(r, 0, sizeof(*r));
}
