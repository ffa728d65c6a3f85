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

#endif
