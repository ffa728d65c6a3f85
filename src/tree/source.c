/* The names of the writers of tree data: one table (ub_source.h). */
#include <string.h>

#include "ub_source.h"

static const struct {
	const char *name; /* as stored; a card's: the prefix of its sources */
	const char *what; /* as a message says it */
} sources[UB_SRC_KINDS] = {
	[UB_SRC_CARD] = {"iccid:", "a card"},
	[UB_SRC_PUSH] = {"push", "a push"},
	[UB_SRC_FACTORY] = {"factory", "factory apply"},
	[UB_SRC_IMPORT] = {"import", "an import"},
	[UB_SRC_DEVICE] = {NULL, "the device"},
};

const char *ub_source_name(enum ub_source k)
{
	return k < UB_SRC_KINDS ? sources[k].name : NULL;
}

const char *ub_source_what(enum ub_source k)
{
	return sources[k < UB_SRC_KINDS ? k : UB_SRC_DEVICE].what;
}

bool ub_source_parse(const char *source, enum ub_source *kind)
{
	const char *card = sources[UB_SRC_CARD].name;
	size_t n = strlen(card), k;
	int i;

	*kind = UB_SRC_DEVICE;
	if (!source || !*source)
		return false;
	if (!strncmp(source, card, n)) {
		*kind = UB_SRC_CARD;
		k = strspn(source + n, "0123456789Ff");
		return k && k <= 20 && !source[n + k];
	}
	for (i = 0; i < UB_SRC_KINDS; i++)
		if (i != UB_SRC_CARD && sources[i].name && !strcmp(source, sources[i].name)) {
			*kind = i;
			return true;
		}
	return false;
}
