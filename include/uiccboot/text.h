/* libuiccboot: text for a terminal, as uiccboot(1) prints what it got.
 *
 *   #include <uiccboot/text.h>
 *
 * Strings from a card (a B-TID, an application label), a file, a pushed
 * message, the device tree or a reader's name are the attacker's: printed
 * raw, "ESC [ 2 J" clears the operator's screen, "ESC ] 0 ;" retitles the
 * window, and some terminals answer queries as if typed.  Every byte that
 * is not shown as itself is shown as \xNN (two lowercase hex digits), and
 * a backslash as \\, so the output is unambiguous and can be decoded back.
 *
 * Shown as themselves: printable ASCII (0x20-0x7E) and valid UTF-8
 * (shortest form, no surrogates, at most U+10FFFF) of code points from
 * U+00A0 on, except the invisible direction and line controls (U+061C,
 * U+200E, U+200F, U+2028-U+202E, U+2066-U+2069) that reorder or break
 * what the operator reads.  Escaped: C0 controls (tab and newline too),
 * DEL, C1 controls (U+0080-U+009F, in UTF-8 or as raw bytes), every
 * byte of an invalid or overlong sequence, and those direction controls.
 * The output assumes a UTF-8 terminal; one in an 8-bit mode that acts on
 * C1 bytes inside UTF-8 sequences should read --json output instead. */
#ifndef UICCBOOT_TEXT_H
#define UICCBOOT_TEXT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Write the n bytes at s to fp, escaped as above (a NUL is \x00).
 * Returns 0 or UB_E_IO (the stream's error flag is set).  fp is the
 * caller's; as thread-safe as stdio on fp (the bytes go out one at a time:
 * one thread per stream keeps a line whole). */
int ub_text_putn(FILE *fp, const char *s, size_t n);

/* The same for the NUL-terminated s. */
int ub_text_put(FILE *fp, const char *s);

#ifdef __cplusplus
}
#endif

#endif
