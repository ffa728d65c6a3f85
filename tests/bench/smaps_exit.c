/* LD_PRELOAD for make bench: at the exit of the process it is loaded
 * into, copy /proc/self/smaps_rollup to $SMAPS_ROLLUP_OUT and
 * /proc/self/smaps (per mapping) to $SMAPS_OUT, each when set.  A
 * preloaded library's destructor runs after the program's own exit
 * handlers: what is dirty then is what the program left. */
#include <stdio.h>
#include <stdlib.h>

static void copy(const char *from, const char *to)
{
	FILE *i = fopen(from, "r"), *o = fopen(to, "w");
	char b[4096];
	size_t n;

	if (i && o)
		while ((n = fread(b, 1, sizeof(b), i)) > 0)
			fwrite(b, 1, n, o);
	if (i)
		fclose(i);
	if (o)
		fclose(o);
}

__attribute__((destructor)) static void at_exit(void)
{
	const char *r = getenv("SMAPS_ROLLUP_OUT"), *f = getenv("SMAPS_OUT");

	if (r)
		copy("/proc/self/smaps_rollup", r);
	if (f)
		copy("/proc/self/smaps", f);
}
