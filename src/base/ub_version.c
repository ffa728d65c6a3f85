/* The library's version (version.h). */
#include "version.h"

const char *ub_version(void)
{
	return UB_VERSION_STRING;
}
