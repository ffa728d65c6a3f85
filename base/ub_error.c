#include "ub_error.h"

static const struct {
	const char *name;
	const char *msg;
} ub_errors[UB_E__COUNT] = {
	[0] = {"ok", "success"},
	[-UB_E_USAGE] = {"usage", "invalid usage; see --help"},
	[-UB_E_NO_SERVICE] = {"no-service", "PC/SC service not available; is pcscd running?"},
	[-UB_E_NO_READER] = {"no-reader",
			     "no matching card reader; check -r and 'uiccboot readers'"},
	[-UB_E_NO_CARD] = {"no-card", "no card in the reader; insert a card or use --wait"},
	[-UB_E_CARD_REMOVED] = {"card-removed", "card was removed; reinsert it and retry"},
	[-UB_E_CARD_RESET] = {"card-reset",
			      "card was reset by another application; re-select and retry"},
	[-UB_E_TIMEOUT] = {"timeout", "timed out waiting for a reader and card"},
	[-UB_E_PCSC] = {"pcsc", "PC/SC call failed"},
	[-UB_E_PROTO] = {"protocol", "card response violates the transmission protocol"},
	[-UB_E_SW] = {"status-word", "card returned an unexpected status word"},
	[-UB_E_NOT_FOUND] = {"not-found",
			     "not found (file or application on the card, or node in the tree)"},
	[-UB_E_SECURITY] = {"security-status",
			    "security status not satisfied; a PIN may be needed"},
	[-UB_E_PIN_REQUIRED] = {"pin-required",
				"the card needs PIN1; pass --pin, UICCBOOT_PIN or [pin] pin1"},
	[-UB_E_PIN_WRONG] = {"pin-wrong",
			     "PIN verification failed; check the PIN before trying again"},
	[-UB_E_PIN_BLOCKED] = {"pin-blocked", "PIN is blocked; unblock it with the PUK"},
	[-UB_E_PIN_LAST] =
		{"pin-last-attempt",
		 "only one PIN attempt left; not trying (use a PIN tool to verify by hand)"},
	[-UB_E_AUTH_MAC] = {"auth-mac", "authentication failed: network MAC (AUTN) is wrong"},
	[-UB_E_AUTH_SYNC] =
		{"auth-sync",
		 "synchronisation failure: give the AUTS to the network to resynchronise"},
	[-UB_E_AUTH_CONTEXT] = {"auth-context",
				"security context not supported by the card application"},
	[-UB_E_KEY_EXPIRED] =
		{"key-expired",
		 "GBA key lifetime has expired; re-bootstrap (uiccboot gba bootstrap)"},
	[-UB_E_NO_GBA] = {"no-gba", "card offers no GBA service (UST 68 / IST 2)"},
	[-UB_E_BAD_DATA] = {"bad-data", "malformed data"},
	[-UB_E_MAC] = {"mac", "message authentication code does not verify"},
	[-UB_E_POLICY] = {"policy", "refused by policy"},
	[-UB_E_NOMEM] = {"no-memory", "out of memory"},
	[-UB_E_IO] = {"io", "input/output error"},
	[-UB_E_NOT_SUPPORTED] = {"not-supported", "not supported"},
	[-UB_E_INTERNAL] = {"internal", "internal error (a bug; please report it)"},
};

static int ub_err_index(int err)
{
	if (err > 0 || err <= -UB_E__COUNT)
		return -UB_E_INTERNAL;
	return -err;
}

const char *ub_errname(int err)
{
	return ub_errors[ub_err_index(err)].name;
}

const char *ub_strerror(int err)
{
	return ub_errors[ub_err_index(err)].msg;
}
