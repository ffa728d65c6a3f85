/* libFuzzer target: ub_sms_decode (src/boot/sms_decode.c), captured TPDUs
 * decoded offline: each TPDU, the grouping into messages, the join, the
 * WSP push, the MAC check.  Input: one octet of options (bit 0: the SMSC
 * field in front; bit 1: keys given, USERPIN 1234 and an IMSI; bit 2:
 * the NETWORKID key as ASCII), then records of one length octet and that
 * many octets (a TPDU); a record of length 0xFF repeats the one before
 * (the same part again, or a part from a long message).  Oracles: every
 * TPDU that decodes in 8-bit data is a part of exactly one message and
 * says which; a refused one of none; a message's TPDUs are in the order
 * given, at most UB_SMS_DECODE_PARTS_MAX; a push's Content-Type and body
 * lie within its joined user data; the MAC is checked exactly when keys
 * were given and the message is a push, and verified only without error. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void within(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
	if (n && (!p || p < base || p + n > base + len))
		__builtin_trap();
}

static void check(const struct ub_sms_decoded *r, bool keys)
{
	size_t i, j, seen = 0;

	for (i = 0; i < r->ntpdus; i++) {
		const struct ub_sms_decoded_tpdu *t = &r->tpdus[i];

		if (t->err && (t->message != -1 || !t->why.what[0]))
			__builtin_trap();
		if (!t->err && t->data_8bit && t->message < 0)
			__builtin_trap();
		if (t->message >= (long)r->nmessages)
			__builtin_trap();
		if (t->message >= 0)
			seen++;
		if (!t->err && (t->concat && (!t->seq || t->seq > t->total)))
			__builtin_trap();
	}
	for (i = 0; i < r->nmessages; i++) {
		const struct ub_sms_decoded_message *m = &r->messages[i];

		if (!m->ntpdus || m->ntpdus > UB_SMS_DECODE_PARTS_MAX)
			__builtin_trap();
		for (j = 0; j < m->ntpdus; j++) {
			if (m->tpdus[j] >= r->ntpdus || r->tpdus[m->tpdus[j]].message != (long)i)
				__builtin_trap();
			if (j && m->tpdus[j] <= m->tpdus[j - 1])
				__builtin_trap();
		}
		seen -= m->ntpdus;
		if (m->incomplete && m->err != UB_E_NOT_FOUND)
			__builtin_trap();
		if (m->err) {
			if (!m->why.what[0] || m->kind || m->mac_checked)
				__builtin_trap();
			continue;
		}
		if (!m->kind || !m->wdp)
			__builtin_trap();
		within(m->content_type, m->content_type_len, m->wdp, m->wdp_len);
		within(m->body, m->body_len, m->wdp, m->wdp_len);
		if (m->mac_checked != keys || (m->mac_verified && m->mac_err) ||
		    (m->mac_checked && !m->mac_verified && !m->mac_why.what[0]))
			__builtin_trap();
		if (m->has_mac && strlen(m->mac) != 40)
			__builtin_trap();
	}
	if (seen)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ub_sms_tpdu_in in[UB_SMS_DECODE_MAX];
	struct ub_sms_decode_keys k = {.imsi = "001010123456789", .user_pin = "1234"};
	struct ub_sms_decode_opts o = {0};
	struct ub_sms_decoded r;
	size_t off = 1, n = 0, len;

	if (!size)
		return 0;
	o.has_smsc = data[0] & 1;
	o.keys = data[0] & 2 ? &k : NULL;
	k.netid_ascii = data[0] & 4;
	while (off < size && n < UB_SMS_DECODE_MAX) {
		len = data[off++];
		if (len == 0xFF) {
			if (n)
				in[n] = in[n - 1], n++;
			continue;
		}
		if (len > size - off)
			len = size - off;
		in[n].b = data + off;
		in[n].n = len;
		n++;
		off += len;
	}
	if (ub_sms_decode(in, n, &o, &r, NULL))
		__builtin_trap(); /* within the bounds, and memory does not run out here */
	check(&r, o.keys != NULL);
	ub_sms_decoded_free(&r);
	return 0;
}
