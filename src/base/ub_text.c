/* Escaping of untrusted text for a terminal (see ub_text.h). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ub_error.h"
#include "ub_text.h"

/* Format characters that change the order or the lines of what is shown
 * (Unicode bidi controls, UAX #9, and the line/paragraph separators). */
static bool hidden(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x2028 && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Length of the UTF-8 sequence at s (n bytes left) when it is valid, in
 * shortest form (RFC 3629 4) and a code point to show; else 0. */
static size_t shown_utf8(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0; /* ASCII, a continuation byte, C0/C1 (overlong 2-byte), > U+10FFFF */
	len = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;
	if (len > n)
		return 0;
	cp = s[0] & (0x3Fu >> (len - 1));
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0; /* overlong, out of range, a surrogate */
	if (cp < 0xA0 || hidden(cp))
		return 0; /* C1 controls: U+0080-U+009F */
	return len;
}

int ub_text_putn(FILE *fp, const char *s, size_t n)
{
	const unsigned char *b = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (b[i] == '\\') {
			fputs("\\\\", fp);
			i++;
		} else if (b[i] >= 0x20 && b[i] < 0x7F) {
			fputc(b[i++], fp);
		} else if (b[i] >= 0x80 && (k = shown_utf8(b + i, n - i))) {
			fwrite(b + i, 1, k, fp);
			i += k;
		} else {
			fprintf(fp, "\\x%02x", b[i++]);
		}
	}
	return ferror(fp) ? UB_E_IO : 0;
}

int ub_text_put(FILE *fp, const char *s)
{
	return ub_text_putn(fp, s, strlen(s));
}
