/* GBA Push Info (TS 33.223 5.2.1, encoding 5.3.5).
 *
 * The GPI byte layout is not known to this project (TS 33.223 5.3.5 was not available to us:
 * the clauses could not be reached), so nothing here guesses it.  This is
 * the one place a decoder goes once the layout is confirmed; until then
 * callers pass the GPI fields explicitly (uiccboot gba push --rand ...). */
#include <string.h>

#include "ub_error.h"
#include "ub_gba.h"

int ub_gpi_decode(const uint8_t *b, size_t n, struct ub_gpi *gpi)
{
	(void)b;
	(void)n;
	memset(gpi, 0, sizeof(*gpi));
	return UB_E_NOT_SUPPORTED;
}
