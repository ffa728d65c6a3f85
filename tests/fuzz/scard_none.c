/* A PC/SC without readers, linked into every fuzz target instead of
 * libpcsclite: a target must never reach the machine's pcscd, whose
 * readers (another test's card among them) would make a run depend on
 * what else runs.  Every call fails as pcscd does when no service runs. */
#include <PCSC/winscard.h>

LONG SCardEstablishContext(DWORD scope, LPCVOID r1, LPCVOID r2, LPSCARDCONTEXT ctx)
{
	(void)scope, (void)r1, (void)r2, (void)ctx;
	return SCARD_E_NO_SERVICE;
}

LONG SCardReleaseContext(SCARDCONTEXT ctx)
{
	(void)ctx;
	return SCARD_S_SUCCESS;
}

LONG SCardListReaders(SCARDCONTEXT ctx, LPCSTR groups, LPSTR readers, LPDWORD len)
{
	(void)ctx, (void)groups, (void)readers, (void)len;
	return SCARD_E_NO_SERVICE;
}

LONG SCardFreeMemory(SCARDCONTEXT ctx, LPCVOID mem)
{
	(void)ctx, (void)mem;
	return SCARD_S_SUCCESS;
}

LONG SCardGetStatusChange(SCARDCONTEXT ctx, DWORD timeout, SCARD_READERSTATE *st, DWORD n)
{
	(void)ctx, (void)timeout, (void)st, (void)n;
	return SCARD_E_NO_SERVICE;
}

LONG SCardConnect(SCARDCONTEXT ctx, LPCSTR reader, DWORD share, DWORD protos, LPSCARDHANDLE card,
		  LPDWORD proto)
{
	(void)ctx, (void)reader, (void)share, (void)protos, (void)card, (void)proto;
	return SCARD_E_NO_SERVICE;
}

LONG SCardReconnect(SCARDHANDLE card, DWORD share, DWORD protos, DWORD init, LPDWORD proto)
{
	(void)card, (void)share, (void)protos, (void)init, (void)proto;
	return SCARD_E_NO_SERVICE;
}

LONG SCardDisconnect(SCARDHANDLE card, DWORD disposition)
{
	(void)card, (void)disposition;
	return SCARD_S_SUCCESS;
}

LONG SCardBeginTransaction(SCARDHANDLE card)
{
	(void)card;
	return SCARD_E_NO_SERVICE;
}

LONG SCardEndTransaction(SCARDHANDLE card, DWORD disposition)
{
	(void)card, (void)disposition;
	return SCARD_S_SUCCESS;
}

LONG SCardStatus(SCARDHANDLE card, LPSTR names, LPDWORD nlen, LPDWORD state, LPDWORD proto,
		 LPBYTE atr, LPDWORD atrlen)
{
	(void)card, (void)names, (void)nlen, (void)state, (void)proto, (void)atr, (void)atrlen;
	return SCARD_E_NO_SERVICE;
}

LONG SCardTransmit(SCARDHANDLE card, const SCARD_IO_REQUEST *spci, LPCBYTE sbuf, DWORD slen,
		   SCARD_IO_REQUEST *rpci, LPBYTE rbuf, LPDWORD rlen)
{
	(void)card, (void)spci, (void)sbuf, (void)slen, (void)rpci, (void)rbuf, (void)rlen;
	return SCARD_E_NO_SERVICE;
}
