/* Card sessions (ub_session.h). */
#include <stdio.h>
#include <string.h>

#include "ub_at.h"
#include "ub_policy.h"
#include "ub_session.h"

/* Two processes on one modem queue for its port this long at least. */
#define MODEM_LOCK_WAIT_MS 10000

static int pick(struct ub_session *s, const struct ub_boot_config *cfg,
		char name[UB_READER_NAME_MAX], struct ub_status *st)
{
	struct ub_reader_info list[64];
	int n, idx, err;

	if (cfg->wait_ms > 0) {
		err = ub_wait_card(s->ctx, cfg->reader, cfg->wait_ms, name);
		if (err)
			return ub_fail(st, err, 0, cfg->reader ? cfg->reader : "PC/SC",
				       "waiting %ld ms for %s%s: %s", cfg->wait_ms,
				       cfg->reader ? "reader " : "a card",
				       cfg->reader ? cfg->reader : "", ub_strerror(err));
		return 0;
	}
	n = ub_readers_list(s->ctx, list, 64);
	idx = n < 0 ? n : ub_reader_pick(list, (size_t)n, cfg->reader);
	if (idx < 0)
		return ub_fail(st, idx, 0, cfg->reader ? cfg->reader : "PC/SC", "reader %s: %s",
			       cfg->reader ? cfg->reader : "(any)", ub_strerror(idx));
	if (!list[idx].card_present)
		return ub_fail(st, UB_E_NO_CARD, 0, list[idx].name, "reader \"%s\": %s",
			       list[idx].name, ub_strerror(UB_E_NO_CARD));
	snprintf(name, UB_READER_NAME_MAX, "%s", list[idx].name);
	return 0;
}

bool ub_session_pcsc_none(void)
{
	struct ub_reader_info list[1];
	SCARDCONTEXT ctx;
	int n;

	if (ub_ctx_open(&ctx))
		return true; /* no pcscd: no PC/SC reader */
	n = ub_readers_list(ctx, list, 1);
	ub_ctx_close(ctx);
	return n <= 0;
}

const char *ub_session_reader(const struct ub_boot_config *cfg, char *buf, size_t n)
{
	const char *modem;

	if (cfg->reader)
		return cfg->reader;
	modem = ub_policy_modem(cfg->policy, buf, n);
	return modem && ub_session_pcsc_none() ? modem : NULL;
}

/* known: the reader's name as listed with a card (PC/SC), or NULL. */
static int session_open(struct ub_session *s, const struct ub_boot_config *cfg, const char *pin,
			const char *known, struct ub_status *st)
{
	char name[UB_READER_NAME_MAX], modem[UB_POLICY_MODEM_SPEC_MAX];
	struct ub_boot_config own;
	int err;

	/* no -r and no PC/SC reader: the modem the policy names */
	if (!cfg->reader && (own = *cfg, own.reader = ub_session_reader(cfg, modem, sizeof(modem))))
		cfg = &own;

	memset(s, 0, sizeof(*s));
	s->trace.fp[0] = cfg->trace[0];
	s->trace.fp[1] = cfg->trace[1];
	s->trace.secrets = cfg->trace_secrets;
	if (ub_at_spec(cfg->reader)) {
		/* the card behind a modem: the AT port is the link */
		snprintf(name, sizeof(name), "%s", cfg->reader);
		err = ub_modem_open(&s->card, cfg->reader,
				    cfg->wait_ms > MODEM_LOCK_WAIT_MS ? cfg->wait_ms
								      : MODEM_LOCK_WAIT_MS,
				    &s->trace, st);
		if (err)
			goto fail;
		/* a logical channel may stand in for a basic channel the
		 * modem owns, unless the policy forbids channels */
		ub_modem_channels(&s->card, !cfg->policy || cfg->policy->logical_channel);
	} else {
		if ((err = ub_ctx_open(&s->ctx)))
			return ub_fail(st, err, 0, "PC/SC", NULL);
		s->have_ctx = true;
		if (known)
			snprintf(name, sizeof(name), "%s", known);
		else if ((err = pick(s, cfg, name, st)))
			goto fail;
		err = ub_card_connect(&s->card, s->ctx, name, cfg->exclusive, &s->trace);
		if (err) {
			ub_fail(st, err, 0, name, "reader \"%s\": connect: %s", name,
				ub_strerror(err));
			goto fail;
		}
	}
	s->have_card = true;
	if (cfg->reset && (err = ub_card_reset(&s->card))) {
		ub_fail(st, err, 0, name, "reader \"%s\": reset: %s", name, ub_strerror(err));
		goto fail;
	}
	s->reset = cfg->reset;
	/* the whole command is one transaction on the card: nobody else's
	 * APDUs between ours (PC/SC SCardBeginTransaction) */
	if ((err = ub_card_begin(&s->card))) {
		ub_fail(st, err, 0, name, "reader \"%s\": begin transaction: %s", name,
			ub_strerror(err));
		goto fail;
	}
	s->in_tx = true;
	ub_uicc_init(&s->uicc, &s->card, pin);
	s->have_uicc = true;
	if (cfg->channel && (err = ub_uicc_open_channel(&s->uicc, st))) {
		ub_status_at(st, "reader \"%s\"", name);
		goto fail;
	}
	return 0;
fail:
	ub_session_close(s);
	return err;
}

int ub_session_open(struct ub_session *s, const struct ub_boot_config *cfg, const char *pin,
		    struct ub_status *st)
{
	return session_open(s, cfg, pin, NULL, st);
}

int ub_session_open_reader(struct ub_session *s, const struct ub_boot_config *cfg, const char *pin,
			   struct ub_status *st)
{
	return session_open(s, cfg, pin, ub_at_spec(cfg->reader) ? NULL : cfg->reader, st);
}

void ub_session_close(struct ub_session *s)
{
	if (s->have_uicc && s->uicc.chan)
		ub_uicc_close_channel(&s->uicc, NULL);
	if (s->in_tx)
		ub_card_end(&s->card);
	if (s->have_card)
		ub_card_disconnect(&s->card);
	if (s->have_ctx)
		ub_ctx_close(s->ctx);
	s->have_uicc = s->in_tx = s->have_card = s->have_ctx = false;
}

unsigned ub_session_apdus(const struct ub_session *s)
{
	return s->card.apdus;
}
