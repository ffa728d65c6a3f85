/* PC/SC return values to uiccboot's errors, in one table (the bottom of
 * the transport: reader.c and transmit.c both map through it). */
#include "ub_pcsc.h"

static const struct {
	LONG rv;
	int err;
} pcsc_errmap[] = {
	{SCARD_E_NO_SERVICE, UB_E_NO_SERVICE},
	{SCARD_E_SERVICE_STOPPED, UB_E_NO_SERVICE},
	{SCARD_E_NO_READERS_AVAILABLE, UB_E_NO_READER},
	{SCARD_E_UNKNOWN_READER, UB_E_NO_READER},
	{SCARD_E_READER_UNAVAILABLE, UB_E_NO_READER},
	{SCARD_E_NO_SMARTCARD, UB_E_NO_CARD},
	{SCARD_W_REMOVED_CARD, UB_E_CARD_REMOVED},
	{SCARD_W_UNPOWERED_CARD, UB_E_CARD_REMOVED},
	{SCARD_W_RESET_CARD, UB_E_CARD_RESET},
	{SCARD_E_TIMEOUT, UB_E_TIMEOUT},
	{SCARD_E_NO_MEMORY, UB_E_NOMEM},
	{SCARD_W_UNRESPONSIVE_CARD, UB_E_PROTO},
	{SCARD_E_PROTO_MISMATCH, UB_E_PROTO},
	{SCARD_F_COMM_ERROR, UB_E_PROTO},
	{SCARD_E_NOT_TRANSACTED, UB_E_PROTO},
	{SCARD_E_INVALID_PARAMETER, UB_E_INTERNAL},
	{SCARD_E_INVALID_HANDLE, UB_E_INTERNAL},
	{SCARD_E_INSUFFICIENT_BUFFER, UB_E_INTERNAL},
};

int ub_pcsc_err(struct ub_card *c, LONG rv)
{
	size_t i;

	if (c)
		c->last_rv = rv;
	if (rv == SCARD_S_SUCCESS)
		return 0;
	for (i = 0; i < sizeof(pcsc_errmap) / sizeof(pcsc_errmap[0]); i++)
		if (pcsc_errmap[i].rv == rv)
			return pcsc_errmap[i].err;
	return UB_E_PCSC;
}

const char *ub_proto_name(DWORD proto)
{
	switch (proto) {
	case SCARD_PROTOCOL_T0:
		return "T=0";
	case SCARD_PROTOCOL_T1:
		return "T=1";
	default:
		return "?";
	}
}
