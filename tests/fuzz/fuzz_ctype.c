/* libFuzzer target: the Content-Type parsers (text and WSP binary). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ub_bootsec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_ctype ct;
	char s[600];

	if (!ub_ctype_parse_wsp(data, size, &ct) && strlen(ct.type) >= sizeof(ct.type))
		__builtin_trap();
	if (size < sizeof(s)) {
		memcpy(s, data, size);
		s[size] = '\0';
		if (!ub_ctype_parse(s, &ct) && ct.has_mac && !ct.type[0])
			__builtin_trap();
	}
	return 0;
}
