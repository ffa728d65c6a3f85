/* libFuzzer target: the terminal escaper (ub_text).  Whatever the bytes,
 * the output holds no C0 control, DEL or C1 control, shows only valid
 * UTF-8 as itself, and decodes back to the input (\\ and \xNN undone). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ub_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *out = NULL;
	size_t len = 0, i, k = 0;
	FILE *fp = open_memstream(&out, &len);
	uint8_t *back;

	if (!fp)
		return 0;
	if (ub_text_putn(fp, (const char *)data, size) || fclose(fp))
		__builtin_trap();
	back = malloc(len + 1);
	if (!back)
		__builtin_trap();
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c < 0x20 || c == 0x7F)
			__builtin_trap(); /* a raw control */
		if (c == 0xC2 && i + 1 < len && (unsigned char)out[i + 1] < 0xA0)
			__builtin_trap(); /* a C1 control in UTF-8 */
		if (c == '\\') {
			if (i + 1 < len && out[i + 1] == '\\') {
				back[k++] = '\\';
				i++;
			} else if (i + 3 < len && out[i + 1] == 'x' && hexval(out[i + 2]) >= 0 &&
				   hexval(out[i + 3]) >= 0) {
				back[k++] = (uint8_t)(hexval(out[i + 2]) << 4 | hexval(out[i + 3]));
				i += 3;
			} else {
				__builtin_trap(); /* a lone backslash: ambiguous */
			}
		} else {
			back[k++] = c;
		}
	}
	if (k != size || (size && memcmp(back, data, size)))
		__builtin_trap(); /* not reversible */
	free(back);
	free(out);
	return 0;
}
