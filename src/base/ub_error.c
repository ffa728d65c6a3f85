/* Errors: names, messages, and the failure context (ub_error.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ub_error.h"
#include "ub_status.h"

static const struct {
	const char *name;
	const char *msg;
} ub_errors[UB_E__COUNT] = {
	[0] = {"ok", "success"},
	[-UB_E_USAGE] = {"usage", "invalid usage"},
	[-UB_E_NO_SERVICE] = {"no-service", "the PC/SC service (pcscd) is not available"},
	[-UB_E_NO_READER] = {"no-reader", "no matching card reader"},
	[-UB_E_NO_CARD] = {"no-card", "no card in the reader"},
	[-UB_E_CARD_REMOVED] = {"card-removed", "the card was removed"},
	[-UB_E_CARD_RESET] = {"card-reset", "the card was reset by another application"},
	[-UB_E_TIMEOUT] = {"timeout", "timed out waiting for a reader and card"},
	[-UB_E_PCSC] = {"pcsc", "PC/SC call failed"},
	[-UB_E_PROTO] = {"protocol", "card response violates the transmission protocol"},
	[-UB_E_SW] = {"status-word", "card returned an unexpected status word"},
	[-UB_E_NOT_FOUND] = {"not-found",
			     "not found (file or application on the card, or node in the tree)"},
	[-UB_E_SECURITY] = {"security-status",
			    "security status not satisfied (a PIN may be needed)"},
	[-UB_E_PIN_REQUIRED] = {"pin-required", "the card needs PIN1"},
	[-UB_E_PIN_WRONG] = {"pin-wrong", "PIN verification failed"},
	[-UB_E_PIN_BLOCKED] = {"pin-blocked", "the PIN is blocked"},
	[-UB_E_PIN_LAST] = {"pin-last-attempt", "only one PIN attempt left: not spent"},
	[-UB_E_AUTH_MAC] = {"auth-mac", "authentication failed: network MAC (AUTN) is wrong"},
	[-UB_E_AUTH_SYNC] = {"auth-sync",
			     "synchronisation failure (the AUTS resynchronises the network)"},
	[-UB_E_AUTH_CONTEXT] = {"auth-context",
				"security context not supported by the card application"},
	[-UB_E_KEY_EXPIRED] = {"key-expired", "the GBA key lifetime is over (bootstrap again)"},
	[-UB_E_NO_GBA] = {"no-gba", "card offers no GBA service (UST 68 / IST 2)"},
	[-UB_E_BAD_DATA] = {"bad-data", "malformed data"},
	[-UB_E_MAC] = {"mac", "message authentication code does not verify"},
	[-UB_E_POLICY] = {"policy", "refused by policy"},
	[-UB_E_NOMEM] = {"no-memory", "out of memory"},
	[-UB_E_IO] = {"io", "input/output error"},
	[-UB_E_NOT_SUPPORTED] = {"not-supported", "not supported"},
	[-UB_E_INTERNAL] = {"internal", "internal error (a bug)"},
	[-UB_E_NO_INPUT] = {"no-input", "the file to read is not there or cannot be read"},
	[-UB_E_CANT_CREATE] = {"cannot-create", "the file cannot be created or written"},
	[-UB_E_CONFIG] = {"config", "configuration error"},
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

void ub_status_clear(struct ub_status *st)
{
	if (st)
		memset(st, 0, sizeof(*st));
}

int ub_fail(struct ub_status *st, int err, uint16_t sw, const char *where, const char *fmt, ...)
{
	int saved = errno; /* a caller may still read it */
	va_list ap;

	if (!st)
		return err;
	st->err = err;
	st->sw = sw;
	snprintf(st->where, sizeof(st->where), "%s", where ? where : "");
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(st->what, sizeof(st->what), fmt, ap);
		va_end(ap);
	} else {
		snprintf(st->what, sizeof(st->what), "%s", ub_strerror(err));
	}
	errno = saved;
	return err;
}

int ub_fail_off(struct ub_status *st, int err, const char *unit, size_t off, const char *fmt, ...)
{
	char msg[sizeof(st->what)];
	va_list ap;

	if (!st)
		return err;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ub_fail(st, err, 0, NULL, "%s %zu: %.360s", unit, off, msg);
	snprintf(st->where, sizeof(st->where), "%s %zu", unit, off);
	return err;
}

int ub_status_err(struct ub_status *st, int err)
{
	if (err < 0 && st && st->err != err)
		ub_fail(st, err, 0, NULL, NULL);
	return err;
}

/* words (fmt, ap), sep when field is not empty, then field as it was:
 * cut from the end if need be, the outer words come first. */
static void __attribute__((format(printf, 4, 0)))
in_front(char *field, size_t size, const char *sep, const char *fmt, va_list ap)
{
	char words[sizeof(((struct ub_status *)0)->what)], old[sizeof(words)];

	vsnprintf(words, sizeof(words), fmt, ap);
	snprintf(old, sizeof(old), "%s", field);
	if (snprintf(field, size, "%s%s%s", words, old[0] ? sep : "", old) < 0)
		field[0] = '\0';
}

void ub_status_pre(struct ub_status *st, const char *fmt, ...)
{
	va_list ap;

	if (!st || !st->err)
		return;
	va_start(ap, fmt);
	in_front(st->what, sizeof(st->what), "", fmt, ap);
	va_end(ap);
}

void ub_status_at(struct ub_status *st, const char *fmt, ...)
{
	va_list ap;

	if (!st || !st->err)
		return;
	va_start(ap, fmt);
	in_front(st->where, sizeof(st->where), ": ", fmt, ap);
	va_end(ap);
}
