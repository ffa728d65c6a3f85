/* libuiccboot: its version, as the headers an application was built with
 * say it and as the library it runs with says it.
 *
 *   #include <uiccboot/version.h>
 *
 *   #if UB_VERSION_NUMBER >= UB_VERSION_ENCODE(0, 2, 0)
 *   ... a call that 0.2.0 brought ...
 *   #endif
 *   printf("built with %s, running with %s\n", UB_VERSION_STRING, ub_version());
 *
 * The Makefile takes the version from here.  The shared library's ABI has
 * a version of its own (the SONAME, libuiccboot.so.2): it changes when a
 * call or a structure changes in a way that breaks programs built before. */
#ifndef UICCBOOT_VERSION_H
#define UICCBOOT_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

#define UB_VERSION_MAJOR 0
#define UB_VERSION_MINOR 4
#define UB_VERSION_PATCH 0
#define UB_VERSION_STRING "0.4.0"

/* One number that compares as the version does. */
#define UB_VERSION_ENCODE(major, minor, patch) (((major) << 16) | ((minor) << 8) | (patch))
#define UB_VERSION_NUMBER UB_VERSION_ENCODE(UB_VERSION_MAJOR, UB_VERSION_MINOR, UB_VERSION_PATCH)

/* The version of the library in use ("0.4.0"): the one it was built as,
 * which may be newer than the headers a program was compiled with.
 * Never NULL; a static string. */
const char *ub_version(void);

#ifdef __cplusplus
}
#endif

#endif
