/* pcsc-wait: wait until pcscd says that a reader holds a card, or that it
 * is empty, without connecting to any card (tests/lab.sh).  A lab that
 * polled with a command per look spent a process and its start-up every
 * 50 ms; this one sleeps in SCardGetStatusChange until pcscd's state
 * changes, and a card another test is using is never powered on or
 * touched.
 *
 *   pcsc-wait READER present|absent [TIMEOUT_MS]
 *
 * Exit status: 0 the state was reached; 1 not within TIMEOUT_MS (default
 * 5000; 0 only looks), or there is no such reader; 2 usage, or PC/SC
 * failed (no pcscd). */
#include <PCSC/winscard.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int usage(void)
{
	fprintf(stderr, "usage: pcsc-wait READER present|absent [TIMEOUT_MS]\n");
	return 2;
}

/* Has the reader reached the state?  -1: no such reader. */
static int reached(DWORD st, bool present)
{
	if (st & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE | SCARD_STATE_UNAVAILABLE))
		return -1;
	return present ? !!(st & SCARD_STATE_PRESENT) : !!(st & SCARD_STATE_EMPTY);
}

static int wait_state(SCARDCONTEXT ctx, const char *reader, bool present, long long timeout)
{
	SCARD_READERSTATE rs = {.szReader = reader, .dwCurrentState = SCARD_STATE_UNAWARE};
	long long end = now_ms() + timeout, left = 0;
	LONG rv;
	int r;

	for (;;) {
		rv = SCardGetStatusChange(ctx, (DWORD)left, &rs, 1);
		if (rv == SCARD_E_UNKNOWN_READER)
			return 1;
		if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT) {
			fprintf(stderr, "pcsc-wait: %s: %s\n", reader, pcsc_stringify_error(rv));
			return 2;
		}
		if (rv == SCARD_S_SUCCESS) {
			if ((r = reached(rs.dwEventState, present)) != 0)
				return r > 0 ? 0 : 1;
			rs.dwCurrentState = rs.dwEventState & ~SCARD_STATE_CHANGED;
		}
		left = end - now_ms();
		if (left <= 0)
			return 1;
	}
}

int main(int argc, char **argv)
{
	SCARDCONTEXT ctx;
	long long timeout = 5000;
	char *end;
	bool present;
	LONG rv;
	int r;

	if (argc < 3 || argc > 4)
		return usage();
	if (!strcmp(argv[2], "present"))
		present = true;
	else if (!strcmp(argv[2], "absent"))
		present = false;
	else
		return usage();
	if (argc == 4) {
		errno = 0;
		timeout = strtoll(argv[3], &end, 10);
		if (errno || *end || end == argv[3] || timeout < 0 || timeout > 3600000)
			return usage();
	}
	rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &ctx);
	if (rv != SCARD_S_SUCCESS) {
		fprintf(stderr, "pcsc-wait: no PC/SC: %s\n", pcsc_stringify_error(rv));
		return 2;
	}
	r = wait_state(ctx, argv[1], present, timeout);
	SCardReleaseContext(ctx);
	return r;
}
