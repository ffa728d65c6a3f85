/* libFuzzer target: SMS-DELIVER TPDUs and their UDH (src/wire/sms.c).
 * 1. The input as a TPDU, with and without an SMSC address in front.
 * 2. decode(encode(x)) == x: the input (after 4 option octets) as a
 *    payload split into TPDUs, each decoded again, the parts joined. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ub_sms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_decoded(const struct ub_sms_deliver *d, const uint8_t *b, size_t n)
{
	if (d->payload && (d->payload < b || d->payload + d->payload_len > b + n))
		__builtin_trap();
	if (d->udh && (d->udh < b || d->udh + d->udh_len > b + n))
		__builtin_trap();
	if (d->concat && (!d->seq || d->seq > d->total))
		__builtin_trap();
	if (strlen(d->originator) >= sizeof(d->originator))
		__builtin_trap();
}

static void round_trip(const uint8_t *data, size_t size)
{
	static struct ub_sms_deliver parts[UB_SMS_PARTS_MAX];
	static struct ub_sms_part enc[UB_SMS_PARTS_MAX];
	static uint8_t out[UB_SMS_PARTS_MAX * UB_SMS_UD_MAX];
	struct ub_sms_encode_opts o = {0};
	const uint8_t *payload = data + 4;
	size_t n = size - 4;
	int count, i, len;

	o.smsc = data[0] & 1 ? "+4917000000" : (data[0] & 2 ? "" : NULL);
	o.originator = data[0] & 4 ? "Operator" : "+4915112345678";
	o.ports = data[0] & 8;
	o.dst_port = 2948;
	o.src_port = 9200;
	o.ref_bits = data[0] & 16 ? 16 : 8;
	o.ref = (uint16_t)(o.ref_bits == 16 ? data[1] << 8 | data[2] : data[1]);
	o.dcs = data[3] & 1 ? 0xF5 : 0x04;
	ub_sms_scts(1700000000, o.scts);
	count = ub_sms_part_count(n, &o);
	if (count < 0)
		return; /* over 255 parts */
	for (i = 0; i < count; i++) {
		if (ub_sms_encode(payload, n, &o, (unsigned)i, &enc[i]))
			__builtin_trap();
		if (ub_sms_deliver_decode(enc[i].tpdu, enc[i].tpdu_len, o.smsc != NULL, &parts[i],
					  NULL))
			__builtin_trap();
		if (parts[i].has_ports != o.ports || (count > 1) != parts[i].concat)
			__builtin_trap();
		if (strcmp(parts[i].originator, o.originator))
			__builtin_trap();
	}
	/* parts in reverse order: the join must not care */
	for (i = 0; i < count / 2; i++) {
		struct ub_sms_deliver t = parts[i];

		parts[i] = parts[count - 1 - i];
		parts[count - 1 - i] = t;
	}
	len = ub_sms_reassemble(parts, (size_t)count, out, sizeof(out), NULL);
	if (len != (int)n || memcmp(out, payload, n))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_sms_deliver d[2];
	uint8_t out[2 * UB_SMS_UD_MAX];

	if (!ub_sms_deliver_decode(data, size, true, &d[0], NULL))
		check_decoded(&d[0], data, size);
	if (!ub_sms_deliver_decode(data, size, false, &d[1], NULL)) {
		check_decoded(&d[1], data, size);
		d[0] = d[1];
		ub_sms_reassemble(d, 2, out, sizeof(out), NULL); /* a repeated part */
	}
	if (size >= 4 && size <= 4 + 4 * UB_SMS_UD_MAX)
		round_trip(data, size);
	return 0;
}
