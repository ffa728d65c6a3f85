/* Status words to errors (ub_sw.h): the one table. */
#include <stddef.h>

#include "ub_error.h"
#include "ub_sw.h"

#define ANY_INS 0x00 /* no command's INS is 00 */

static const struct {
	uint16_t sw, mask;
	uint8_t ins; /* ANY_INS: whatever the command */
	int err;
} sw_table[] = {
	{0x9000, 0xFFFF, ANY_INS, 0},
	/* TS 102 221 10.2.1.5: referencing */
	{0x6A82, 0xFFFF, ANY_INS, UB_E_NOT_FOUND}, /* file or application not found */
	{0x6A83, 0xFFFF, ANY_INS, UB_E_NOT_FOUND}, /* record not found */
	{0x9404, 0xFFFF, ANY_INS, UB_E_NOT_FOUND}, /* TS 51.011: file ID not found */
	/* 10.2.1.4: security */
	{0x6982, 0xFFFF, ANY_INS, UB_E_SECURITY},    /* security status not satisfied */
	{0x9804, 0xFFFF, ANY_INS, UB_E_SECURITY},    /* TS 51.011: access condition */
	{0x6983, 0xFFFF, ANY_INS, UB_E_PIN_BLOCKED}, /* authentication method blocked */
	{0x9840, 0xFFFF, ANY_INS, UB_E_PIN_BLOCKED}, /* TS 51.011: CHV blocked */
	/* 10.2.1.3: verification failed, x retries left (x = 0: blocked) */
	{0x63C0, 0xFFFF, ANY_INS, UB_E_PIN_BLOCKED},
	{0x63C0, 0xFFF0, ANY_INS, UB_E_PIN_WRONG},
	/* TS 31.102 7.3.1: AUTHENTICATE */
	{0x9862, 0xFFFF, 0x88, UB_E_AUTH_MAC},	   /* MAC failure */
	{0x9864, 0xFFFF, 0x88, UB_E_AUTH_CONTEXT}, /* context not supported */
	/* TS 33.220 G.2: a NAF derivation without a bootstrapped Ks */
	{0x6985, 0xFFFF, 0x88, UB_E_KEY_EXPIRED},
};

int ub_sw_err(uint8_t ins, uint16_t sw)
{
	size_t i;

	for (i = 0; i < sizeof(sw_table) / sizeof(sw_table[0]); i++)
		if ((sw & sw_table[i].mask) == sw_table[i].sw &&
		    (sw_table[i].ins == ANY_INS || sw_table[i].ins == ins))
			return sw_table[i].err;
	return UB_E_SW;
}
