/* One error enum for every layer of uiccboot.
 *
 * Every function that can fail returns 0 (or a count) on success and one of
 * these negative codes on failure.  ub_strerror() gives the human message,
 * ub_errname() the stable name used in JSON output and tests.
 */
#ifndef UB_ERROR_H
#define UB_ERROR_H

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
	UB_E__COUNT = 29
};

/* Stable machine name, e.g. "card-removed"; never NULL. */
const char *ub_errname(int err);
/* Human message with what to do next; never NULL. */
const char *ub_strerror(int err);

#endif
