#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "scard_fake.h"
#include "ub_hex.h"

static const struct fake_step *script;
static size_t nsteps, pos;
static DWORD fake_proto;
static int reconnects, contexts;
static const char *ms;
static size_t ms_len;
static unsigned card_mask, later;
static int flip_after = -1;
static char *soft_why;
static size_t soft_max;

void fake_script(const struct fake_step *steps, size_t n, DWORD proto)
{
	script = steps;
	nsteps = n;
	pos = 0;
	fake_proto = proto;
	reconnects = 0;
}

void fake_soft(char *why, size_t max)
{
	soft_why = why;
	soft_max = max;
	if (why && max)
		why[0] = '\0';
}

/* A scripted command: '.' matches any hex digit, a final '*' the rest. */
static bool cmd_match(const char *want, const char *got)
{
	for (; *want; want++, got++) {
		if (*want == '*' && !want[1])
			return true;
		if (!*got || (*want != '.' && *want != *got))
			return false;
	}
	return !*got;
}

/* Soft mode: the first difference said in soft_why, the exchange failed. */
static bool off_script(const char *got)
{
	if (!soft_why)
		return false;
	if (!soft_why[0] && pos < nsteps)
		snprintf(soft_why, soft_max,
			 "step %zu: the script expects > %s, the host sent > %s", pos + 1,
			 script[pos].cmd, got);
	else if (!soft_why[0])
		snprintf(soft_why, soft_max, "the script ended (%zu steps); the host sent > %s",
			 nsteps, got);
	return true;
}

size_t fake_pos(void)
{
	return pos;
}

int fake_reconnects(void)
{
	return reconnects;
}

void fake_readers(const char *multistring, size_t len, unsigned mask, int flip, unsigned lm)
{
	ms = multistring;
	ms_len = len;
	card_mask = mask;
	flip_after = flip;
	later = lm;
}

LONG SCardTransmit(SCARDHANDLE h, const SCARD_IO_REQUEST *pci, LPCBYTE send, DWORD sl,
		   SCARD_IO_REQUEST *rpci, LPBYTE rb, LPDWORD rl)
{
	char got[2 * 300 + 1];
	int n;

	(void)h;
	(void)rpci;
	assert_int_equal(pci->dwProtocol, fake_proto);
	ub_hex(got, send, sl < 300 ? sl : 300);
	if ((pos >= nsteps || !cmd_match(script[pos].cmd, got)) && off_script(got))
		return SCARD_F_COMM_ERROR;
	assert_true(pos < nsteps);
	if (!cmd_match(script[pos].cmd, got))
		assert_string_equal(got, script[pos].cmd);
	if (script[pos].rv) {
		pos++;
		return script[pos - 1].rv;
	}
	n = ub_unhex(rb, *rl, script[pos].rsp);
	assert_true(n >= 0); /* "" scripts a driver's empty answer */
	*rl = (DWORD)n;
	pos++;
	return SCARD_S_SUCCESS;
}

LONG SCardReconnect(SCARDHANDLE h, DWORD share, DWORD pref, DWORD init, LPDWORD proto)
{
	(void)h;
	(void)share;
	(void)pref;
	(void)init;
	reconnects++;
	*proto = fake_proto;
	return SCARD_S_SUCCESS;
}

int fake_contexts(void)
{
	return contexts;
}

LONG SCardEstablishContext(DWORD scope, LPCVOID r1, LPCVOID r2, LPSCARDCONTEXT ctx)
{
	(void)scope;
	(void)r1;
	(void)r2;
	contexts++;
	*ctx = 1;
	return SCARD_S_SUCCESS;
}

LONG SCardReleaseContext(SCARDCONTEXT ctx)
{
	(void)ctx;
	return SCARD_S_SUCCESS;
}

LONG SCardListReaders(SCARDCONTEXT ctx, LPCSTR groups, LPSTR readers, LPDWORD len)
{
	char *copy;

	(void)ctx;
	(void)groups;
	if (!ms)
		return SCARD_E_NO_READERS_AVAILABLE;
	copy = malloc(ms_len);
	memcpy(copy, ms, ms_len);
	*(char **)readers = copy;
	*len = (DWORD)ms_len;
	return SCARD_S_SUCCESS;
}

LONG SCardFreeMemory(SCARDCONTEXT ctx, LPCVOID mem)
{
	(void)ctx;
	free((void *)mem);
	return SCARD_S_SUCCESS;
}

LONG SCardGetStatusChange(SCARDCONTEXT ctx, DWORD timeout, SCARD_READERSTATE *st, DWORD n)
{
	DWORD i;
	int r = 0;

	(void)ctx;
	if (timeout) {
		if (flip_after < 0)
			return SCARD_E_TIMEOUT;
		if (flip_after-- == 0)
			card_mask = later;
	}
	for (i = 0; i < n; i++) {
		if (!strcmp(st[i].szReader, "\\\\?PnP?\\Notification"))
			continue;
		st[i].dwEventState = (card_mask >> r & 1) ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY;
		st[i].cbAtr = (card_mask >> r & 1) ? 4 : 0;
		memcpy(st[i].rgbAtr, "\x3b\x80\x01\x81", 4);
		r++;
	}
	return SCARD_S_SUCCESS;
}

LONG SCardConnect(SCARDCONTEXT ctx, LPCSTR reader, DWORD share, DWORD pref, LPSCARDHANDLE h,
		  LPDWORD proto)
{
	(void)ctx;
	(void)reader;
	(void)share;
	(void)pref;
	*h = 7;
	*proto = fake_proto;
	return SCARD_S_SUCCESS;
}

LONG SCardStatus(SCARDHANDLE h, LPSTR name, LPDWORD nlen, LPDWORD state, LPDWORD proto, LPBYTE atr,
		 LPDWORD atr_len)
{
	(void)h;
	(void)name;
	(void)nlen;
	(void)proto;
	(void)atr;
	*state = SCARD_PRESENT | SCARD_POWERED;
	*atr_len = 0;
	return SCARD_S_SUCCESS;
}

LONG SCardDisconnect(SCARDHANDLE h, DWORD disp)
{
	(void)h;
	(void)disp;
	return SCARD_S_SUCCESS;
}

LONG SCardBeginTransaction(SCARDHANDLE h)
{
	(void)h;
	return SCARD_S_SUCCESS;
}

LONG SCardEndTransaction(SCARDHANDLE h, DWORD disp)
{
	(void)h;
	(void)disp;
	return SCARD_S_SUCCESS;
}
