/* Text for a terminal: the calls are public, <uiccboot/text.h>, which
 * says what is escaped and why. */
#ifndef UB_TEXT_H
#define UB_TEXT_H

#include "text.h"

#endif
