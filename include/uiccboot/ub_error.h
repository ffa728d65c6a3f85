/* libuiccboot: one error enum for every layer, and the context of a
 * failure as a value.
 *
 * Every function that can fail returns 0 (or a count) on success and one of
 * these negative codes on failure.  ub_strerror() gives the human message,
 * ub_errname() the stable name used in JSON output and tests.  Calls that
 * talk to a card, a file or the tree also fill a struct ub_status: what
 * failed, where, and the card's status word.
 *
 *   #include <uiccboot/ub_error.h>     (the headers whose calls fail include it)
 *
 * The codes and their names are stable: a code keeps its number and name
 * once released, new ones are added at the end.  uiccboot(1) maps them to
 * sysexits(3) exit codes. */
#ifndef UB_ERROR_H
#define UB_ERROR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum ub_err {
	UB_OK = 0,
	UB_E_USAGE = -1,	  /* bad command line or argument */
	UB_E_NO_SERVICE = -2,	  /* pcscd not running */
	UB_E_NO_READER = -3,	  /* no (matching) reader */
	UB_E_NO_CARD = -4,	  /* reader is empty */
	UB_E_CARD_REMOVED = -5,	  /* card removed during the session */
	UB_E_CARD_RESET = -6,	  /* card was reset: caller must re-select */
	UB_E_TIMEOUT = -7,	  /* --wait expired */
	UB_E_PCSC = -8,		  /* other PC/SC failure */
	UB_E_PROTO = -9,	  /* card broke the transmission protocol */
	UB_E_SW = -10,		  /* unexpected status word */
	UB_E_NOT_FOUND = -11,	  /* file or application not on the card, node not in the tree */
	UB_E_SECURITY = -12,	  /* 6982: security status not satisfied */
	UB_E_PIN_REQUIRED = -13,  /* PIN needed but none supplied */
	UB_E_PIN_WRONG = -14,	  /* PIN verification failed */
	UB_E_PIN_BLOCKED = -15,	  /* PIN blocked (0 attempts) */
	UB_E_PIN_LAST = -16,	  /* refusing to spend the last attempt */
	UB_E_AUTH_MAC = -17,	  /* 9862: network MAC wrong */
	UB_E_AUTH_SYNC = -18,	  /* synchronisation failure, AUTS returned */
	UB_E_AUTH_CONTEXT = -19,  /* 9864: security context not supported */
	UB_E_KEY_EXPIRED = -20,	  /* GBA key lifetime over */
	UB_E_NO_GBA = -21,	  /* card has no GBA service */
	UB_E_BAD_DATA = -22,	  /* malformed data from card, file or network */
	UB_E_MAC = -23,		  /* message MAC verification failed */
	UB_E_POLICY = -24,	  /* refused by policy */
	UB_E_NOMEM = -25,	  /* out of memory */
	UB_E_IO = -26,		  /* file or socket I/O */
	UB_E_NOT_SUPPORTED = -27, /* not implemented / not known */
	UB_E_INTERNAL = -28,	  /* a bug */
	UB_E_NO_INPUT = -29,	  /* a file to read is not there or not readable */
	UB_E_CANT_CREATE = -30,	  /* a file cannot be created or written */
	UB_E_CONFIG = -31,	  /* the configuration (a policy file) is missing or wrong */
	UB_E__COUNT = 32
};

/* Stable machine name, e.g. "card-removed"; never NULL. */
const char *ub_errname(int err);
/* Human message; never NULL.  (The command line adds its own hints.) */
const char *ub_strerror(int err);

/* What failed and where, filled by the layer that failed and handed up
 * with the error code.  where: the place ("reader \"PCD 00 00\"",
 * "EF_ODF", "AUTHENTICATE", "./DMAcc/x", "policy.conf:3"), the outermost
 * first; what: the failure in words; sw: the card's status word when it
 * was the cause, else 0. */
struct ub_status {
	int err;
	uint16_t sw;
	char where[160];
	char what[400];
};

/* Fill st (when not NULL): err, sw, where, and what from fmt (NULL: the
 * message of err).  Returns err, errno as it was.  Only the layer that fails calls it (the
 * ones above hand the error up, maybe with ub_status_at), so st describes
 * the last failure; read it only after a call failed (a failure that the
 * caller tolerated, such as a file that may be absent, may be left in it). */
int ub_fail(struct ub_status *st, int err, uint16_t sw, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Put a place in front of st->where ("reader \"X\"" + "EF_ODF" ->
 * "reader \"X\": EF_ODF"), when st has failed. */
void ub_status_at(struct ub_status *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Empty st: no failure. */
void ub_status_clear(struct ub_status *st);

#ifdef __cplusplus
}
#endif

#endif
