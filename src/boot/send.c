/* Sending a pushed bootstrap (uiccboot/sms.h): the public options mapped
 * onto the builder (sender.c) and the SMS encoder (src/wire/sms.c). */
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sms.h"
#include "ub_kannel.h"
#include "ub_policy.h"
#include "ub_sender.h"
#include "ub_sms.h"

const char *ub_sms_sec_name(const char *name)
{
	enum ub_sec s = name ? ub_sec_parse(name) : UB_SEC_NONE;

	return s == UB_SEC_NONE ? NULL : ub_sec_name(s);
}

static void send_opts(const struct ub_sms_send_opts *o, struct ub_send_opts *so)
{
	memset(so, 0, sizeof(*so));
	so->sec = o->sec ? ub_sec_parse(o->sec) : UB_SEC_NONE;
	so->keys.imsi = o->imsi;
	so->keys.netid = o->netid_ascii ? UB_NETID_ASCII : UB_NETID_SEMI_OCTET;
	so->keys.pin = o->user_pin;
	so->keys.ks_ext_naf = o->ks_ext_naf;
	so->userpinmac_key = o->userpinmac_key;
	so->tid = o->tid;
	so->no_app_id = o->no_app_id;
	so->user_pin_min = o->user_pin_min;
}

static void encode_opts(const struct ub_sms_send_opts *o, struct ub_sms_encode_opts *eo)
{
	memset(eo, 0, sizeof(*eo));
	eo->smsc = o->smsc;
	eo->originator = o->originator;
	eo->ports = true;
	eo->dst_port = UB_WSP_PORT_PUSH;
	eo->src_port = o->src_port;
	eo->ref_bits = (uint8_t)o->ref_bits;
	eo->ref = o->ref;
	eo->dcs = o->dcs;
	ub_sms_scts(o->time, eo->scts);
	eo->submit_to = o->submit_to;
}

unsigned ub_sms_send_keys_missing(const struct ub_sms_send_opts *o)
{
	struct ub_send_opts so;

	send_opts(o, &so);
	return ub_send_keys_missing(&so);
}

const char *ub_sms_send_key_name(unsigned key)
{
	return ub_send_key_name(key);
}

int ub_sms_push_build(const uint8_t *doc, size_t n, const struct ub_sms_send_opts *o,
		      struct ub_sms_push *r, struct ub_status *st)
{
	struct ub_send_result b;
	struct ub_send_opts so;
	int err, i;

	memset(r, 0, sizeof(*r));
	memset(&b, 0, sizeof(b));
	send_opts(o, &so);
	if ((err = ub_send_build(doc, n, &so, &b, st))) {
		ub_send_result_free(&b);
		return err;
	}
	r->kind = ub_plan_kind_name(b.kind);
	for (i = 0; i < b.nservers && i < 8; i++)
		memcpy(r->servers[i], b.servers[i], sizeof(r->servers[i]));
	r->nservers = i;
	snprintf(r->sec, sizeof(r->sec), "%s", b.sec);
	snprintf(r->mac, sizeof(r->mac), "%s", b.mac);
	snprintf(r->userpin, sizeof(r->userpin), "%s", b.userpin);
	/* the buffers change hands */
	r->wbxml = b.wbxml, r->wbxml_len = b.wbxml_len;
	r->wsp = b.wsp, r->wsp_len = b.wsp_len;
	b.wbxml = b.wsp = NULL;
	b.wbxml_len = b.wsp_len = 0;
	ub_send_result_free(&b);
	return 0;
}

void ub_sms_push_free(struct ub_sms_push *r)
{
	if (r->wbxml)
		OPENSSL_cleanse(r->wbxml, r->wbxml_len); /* it holds an AAuthSecret */
	if (r->wsp)
		OPENSSL_cleanse(r->wsp, r->wsp_len);
	free(r->wbxml);
	free(r->wsp);
	OPENSSL_cleanse(r, sizeof(*r));
}

int ub_sms_push_parts(const struct ub_sms_push *r, const struct ub_sms_send_opts *o)
{
	struct ub_sms_encode_opts eo;

	encode_opts(o, &eo);
	return ub_sms_part_count(r->wsp_len, &eo);
}

int ub_sms_push_part(const struct ub_sms_push *r, const struct ub_sms_send_opts *o, unsigned i,
		     struct ub_sms_part_out *p)
{
	struct ub_sms_encode_opts eo;
	struct ub_sms_part part;
	int err;

	encode_opts(o, &eo);
	err = ub_sms_encode(r->wsp, r->wsp_len, &eo, i, &part);
	if (!err) {
		memcpy(p->tpdu, part.tpdu, sizeof(p->tpdu));
		p->tpdu_len = part.tpdu_len;
		memcpy(p->udh, part.udh, sizeof(p->udh));
		p->udh_len = part.udh_len;
		p->data = part.data;
		p->data_len = part.data_len;
	}
	OPENSSL_cleanse(&part, sizeof(part));
	return err;
}

int ub_sms_kannel_send(const struct ub_sms_kannel *k, const struct ub_sms_part_out *p, uint8_t dcs,
		       struct ub_status *st)
{
	struct ub_kannel kk = {k->url, k->username, k->password, k->to, k->from, k->timeout_s};
	struct ub_sms_part part;
	char answer[sizeof(st->what)];
	int err;

	memset(&part, 0, sizeof(part));
	memcpy(part.tpdu, p->tpdu, sizeof(part.tpdu));
	part.tpdu_len = p->tpdu_len;
	memcpy(part.udh, p->udh, sizeof(part.udh));
	part.udh_len = p->udh_len;
	part.data = p->data;
	part.data_len = p->data_len;
	err = ub_kannel_send(&kk, &part, dcs, answer, sizeof(answer), st);
	OPENSSL_cleanse(&part, sizeof(part));
	if (err)
		return err;
	if (st) {
		ub_status_clear(st);
		snprintf(st->what, sizeof(st->what), "%s", answer);
	}
	return 0;
}
