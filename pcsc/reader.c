/* Readers: listing, choosing, waiting for a card, connecting. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ub_pcsc.h"

#define PNP_READER "\\\\?PnP?\\Notification"
#define MAX_READERS 64

int ub_ctx_open(SCARDCONTEXT *ctx)
{
	return ub_pcsc_err(NULL, SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, ctx));
}

void ub_ctx_close(SCARDCONTEXT ctx)
{
	SCardReleaseContext(ctx);
}

/* The multi-string of reader names, split into names[]; returns the count. */
static int reader_names(SCARDCONTEXT ctx, char **buf, const char *names[], size_t max)
{
	DWORD len = SCARD_AUTOALLOCATE;
	LPSTR ms = NULL;
	LONG rv;
	size_t n = 0;
	char *p;

	*buf = NULL;
	rv = SCardListReaders(ctx, NULL, (LPSTR)&ms, &len);
	if (rv == SCARD_E_NO_READERS_AVAILABLE)
		return 0;
	if (rv != SCARD_S_SUCCESS)
		return ub_pcsc_err(NULL, rv);
	for (p = ms; *p && n < max && p < ms + len; p += strlen(p) + 1)
		names[n++] = p;
	*buf = ms;
	return (int)n;
}

int ub_readers_list(SCARDCONTEXT ctx, struct ub_reader_info *out, size_t max)
{
	SCARD_READERSTATE st[MAX_READERS];
	const char *names[MAX_READERS];
	char *buf;
	int n, i, err = 0;
	LONG rv;

	n = reader_names(ctx, &buf, names, max < MAX_READERS ? max : MAX_READERS);
	if (n <= 0)
		return n;
	memset(st, 0, sizeof(st));
	for (i = 0; i < n; i++) {
		st[i].szReader = names[i];
		st[i].dwCurrentState = SCARD_STATE_UNAWARE;
	}
	rv = SCardGetStatusChange(ctx, 0, st, (DWORD)n);
	if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
		err = ub_pcsc_err(NULL, rv);
		goto end;
	}
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		snprintf(out[i].name, sizeof(out[i].name), "%s", names[i]);
		out[i].card_present = (st[i].dwEventState & SCARD_STATE_PRESENT) &&
				      !(st[i].dwEventState & SCARD_STATE_MUTE);
		if (out[i].card_present && st[i].cbAtr <= UB_ATR_MAX) {
			memcpy(out[i].atr, st[i].rgbAtr, st[i].cbAtr);
			out[i].atr_len = st[i].cbAtr;
		}
	}
	err = n;
end:
	SCardFreeMemory(ctx, buf);
	return err;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int ub_reader_pick(const struct ub_reader_info *list, size_t n, const char *spec)
{
	size_t i;

	if (!spec) {
		for (i = 0; i < n; i++)
			if (list[i].card_present)
				return (int)i;
		return n ? UB_E_NO_CARD : UB_E_NO_READER;
	}
	if (all_digits(spec)) {
		i = strtoul(spec, NULL, 10);
		return i < n ? (int)i : UB_E_NO_READER;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(list[i].name, spec))
			return (int)i;
	for (i = 0; i < n; i++)
		if (strstr(list[i].name, spec))
			return (int)i;
	return UB_E_NO_READER;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int ub_wait_card(SCARDCONTEXT ctx, const char *spec, long timeout_ms, char name[UB_READER_NAME_MAX])
{
	struct ub_reader_info list[MAX_READERS];
	SCARD_READERSTATE st[MAX_READERS + 1];
	long deadline = now_ms() + timeout_ms, left;
	int n, i, idx;
	LONG rv;

	for (;;) {
		n = ub_readers_list(ctx, list, MAX_READERS);
		if (n < 0)
			return n;
		idx = ub_reader_pick(list, (size_t)n, spec);
		if (idx >= 0 && list[idx].card_present) {
			snprintf(name, UB_READER_NAME_MAX, "%s", list[idx].name);
			return 0;
		}
		left = deadline - now_ms();
		if (left <= 0)
			return timeout_ms > 0 ? UB_E_TIMEOUT : (idx < 0 ? idx : UB_E_NO_CARD);

		/* Sleep in pcscd until a reader appears (PnP) or a card moves. */
		memset(st, 0, sizeof(st));
		for (i = 0; i < n; i++) {
			st[i].szReader = list[i].name;
			st[i].dwCurrentState =
				list[i].card_present ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY;
		}
		st[n].szReader = PNP_READER;
		st[n].dwCurrentState = (DWORD)n << 16; /* reader count, pcsc-lite style */
		rv = SCardGetStatusChange(ctx, (DWORD)left, st, (DWORD)n + 1);
		if (rv == SCARD_E_TIMEOUT)
			return UB_E_TIMEOUT;
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_UNKNOWN_READER)
			return ub_pcsc_err(NULL, rv);
	}
}
