/* Link-time seam for libpcsclite: the unit tests link the real pcsc/ code
 * against these scripted SCard* functions instead of the library. */
#ifndef SCARD_FAKE_H
#define SCARD_FAKE_H
#include <stddef.h>
#include <PCSC/winscard.h>

/* One scripted exchange: the TPDU we expect (hex, no spaces, lower case;
 * '.' matches any digit and a final '*' the rest) and either the card's
 * answer (hex) or a PC/SC error. */
struct fake_step {
	const char *cmd;
	const char *rsp;
	LONG rv;
};

void fake_script(const struct fake_step *steps, size_t n, DWORD proto);
/* Soft mode (why not NULL): a command off the script, or past its end, is
 * said in why (the first one only) and fails with SCARD_F_COMM_ERROR
 * instead of failing the test there; NULL: cmocka asserts (the default). */
void fake_soft(char *why, size_t max);
size_t fake_pos(void);
int fake_reconnects(void);
/* SCardEstablishContext calls so far: PC/SC touched at all. */
int fake_contexts(void);

/* Readers for SCardListReaders/SCardGetStatusChange: a multi-string, and
 * which of them hold a card (bit i = reader i).  After `flip_after` blocking
 * status calls the card mask becomes `later_mask`. */
void fake_readers(const char *multistring, size_t len, unsigned mask, int flip_after,
		  unsigned later_mask);
#endif
