/* The layers' own ways to fill a struct ub_status (ub_error.h has
 * ub_fail, ub_status_at, ub_status_clear): not part of the ABI. */
#ifndef UB_STATUS_H
#define UB_STATUS_H

#include <stddef.h>

#include "ub_error.h"

/* ub_fail for a decoder's input that is wrong at offset off: where
 * "<unit> <off>" ("byte 12", "octet 3"), what "<unit> <off>: <fmt>", so
 * the offset is in the words too.  Returns err. */
int ub_fail_off(struct ub_status *st, int err, const char *unit, size_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* err, with st filled with err's message (ub_fail) when err is a failure
 * st does not already describe: for a function's last line, so that every
 * failure it returns, UB_E_NOMEM included, is in st. */
int ub_status_err(struct ub_status *st, int err);

/* Put words in front of st->what ("TNDS: " + "XML: ..." -> "TNDS: XML:
 * ..."), when st has failed: the caller's name for what failed, with the
 * separator it wants (": ", " "). */
void ub_status_pre(struct ub_status *st, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
