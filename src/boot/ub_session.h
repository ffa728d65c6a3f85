/* A card session for one command or one power-on: the PC/SC context, the
 * chosen reader's card inside one PC/SC transaction, and the UICC session
 * on it (a logical channel when asked).  Library-internal: the CLI's lab
 * commands (info, auth, gba) and the workflows use it. */
#ifndef UB_SESSION_H
#define UB_SESSION_H

#include "boot.h"
#include "ub_pcsc.h"
#include "ub_uicc.h"

struct ub_session {
	SCARDCONTEXT ctx;
	struct ub_card card;
	struct ub_uicc uicc;
	struct ub_trace trace;
	bool have_ctx, have_card, in_tx, have_uicc;
	bool reset; /* the card was reset on opening (cfg->reset) */
};

/* Wait for (cfg->wait_ms) or pick (cfg->reader) the reader, connect
 * (exclusively when asked), reset when asked, begin the transaction that
 * keeps the card ours, and start the UICC session (pin: PIN1 or NULL) on a
 * logical channel with cfg->channel (the basic one when the card refuses).
 * On failure st says where ("reader \"X\": connect") and what is open is
 * closed.  Returns 0, UB_E_NO_SERVICE, UB_E_NO_READER, UB_E_NO_CARD,
 * UB_E_TIMEOUT, or a card error. */
int ub_session_open(struct ub_session *s, const struct ub_boot_config *cfg, const char *pin,
		    struct ub_status *st);

/* ub_session_open on cfg->reader, a PC/SC reader's full name as just
 * listed with a card in it: connected to at once, not looked up again (a
 * card gone since shows as the connect's UB_E_NO_CARD). */
int ub_session_open_reader(struct ub_session *s, const struct ub_boot_config *cfg, const char *pin,
			   struct ub_status *st);

/* The reader a session of cfg uses: cfg->reader; without it, the policy's
 * modem ([modem] port, as "at:PORT" in buf) when this machine has no PC/SC
 * reader (none listed, or no pcscd); else NULL (the first reader holding
 * a card). */
const char *ub_session_reader(const struct ub_boot_config *cfg, char *buf, size_t n);

/* True when PC/SC lists no reader here (or pcscd is not running). */
bool ub_session_pcsc_none(void);

/* Close the channel, end the transaction, disconnect, release the context. */
void ub_session_close(struct ub_session *s);

/* The APDUs exchanged so far. */
unsigned ub_session_apdus(const struct ub_session *s);

#endif
