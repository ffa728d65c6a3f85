/* APDU trace in scriptor's format, with secrets redacted by default.
 * A redacted byte is printed as "XX" so the line can never be replayed
 * by accident with a wrong value. */
#include <stdarg.h>
#include <stdio.h>

#include "trace.h"
#include "ub_text.h"

static void put_bytes(FILE *fp, const uint8_t *b, size_t n, bool redact)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (redact)
			fputs(" XX", fp);
		else
			fprintf(fp, " %02X", b[i]);
	}
}

void ub_trace_cmd(struct ub_trace *t, const uint8_t *cmd, size_t len, size_t hdr, bool secret)
{
	int i;

	if (!t)
		return;
	for (i = 0; i < 2; i++) {
		FILE *fp = t->fp[i];

		if (!fp)
			continue;
		fputc('>', fp);
		put_bytes(fp, cmd, len < hdr ? len : hdr, false);
		if (len > hdr)
			put_bytes(fp, cmd + hdr, len - hdr, secret && !t->secrets);
		fputc('\n', fp);
		fflush(fp);
	}
}

void ub_trace_rsp(struct ub_trace *t, const uint8_t *rsp, size_t len, bool secret)
{
	int i;

	if (!t || len < 2)
		return;
	for (i = 0; i < 2; i++) {
		FILE *fp = t->fp[i];

		if (!fp)
			continue;
		fputc('<', fp);
		put_bytes(fp, rsp, len - 2, secret && !t->secrets);
		put_bytes(fp, rsp + len - 2, 2, false);
		fputc('\n', fp);
		fflush(fp);
	}
}

/* Notes quote reader names and the like: escaped for the terminal. */
void ub_trace_note(struct ub_trace *t, const char *fmt, ...)
{
	char note[512];
	va_list ap;
	int i;

	if (!t || (!t->fp[0] && !t->fp[1]))
		return;
	va_start(ap, fmt);
	vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	for (i = 0; i < 2; i++) {
		if (!t->fp[i])
			continue;
		fputs("# ", t->fp[i]);
		ub_text_put(t->fp[i], note);
		fputc('\n', t->fp[i]);
		fflush(t->fp[i]);
	}
}
