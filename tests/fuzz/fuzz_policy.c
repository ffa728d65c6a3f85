/* libFuzzer target: the policy file parser (src/policy/policy.c).  Whatever the
 * bytes: a refusal leaves exactly the built-in defaults (nothing half
 * loaded) and names a line; an accepted file gives a policy within the
 * bounds of uiccboot-policy(5): lists within their arrays and terminated,
 * a known SEC bit set, numbers in their ranges, [pin] pin1 empty or 4-8
 * digits that a refusal never quotes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ub_error.h"
#include "ub_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ok(const struct ub_policy *p)
{
	int i;

	if (p->nservers < 0 || p->nservers > UB_POLICY_MAX_SERVERS || p->nlwm2m_servers < 0 ||
	    p->nlwm2m_servers > UB_POLICY_MAX_SERVERS)
		__builtin_trap();
	for (i = 0; i < p->nservers; i++)
		if (!memchr(p->servers[i], 0, sizeof(p->servers[i])) || !p->servers[i][0])
			__builtin_trap();
	for (i = 0; i < p->nlwm2m_servers; i++)
		if (!memchr(p->lwm2m_servers[i], 0, sizeof(p->lwm2m_servers[i])) ||
		    !strstr(p->lwm2m_servers[i], "://"))
			__builtin_trap();
	if (p->allowed_sec & ~0x7Fu)
		__builtin_trap();
	if (p->user_pin_min < 1 || p->user_pin_min > 32 || p->sms.max_parts < 1 ||
	    p->sms.max_parts > 255 || p->sms.pin_attempts < 1 || p->sms.pin_attempts > 10 ||
	    p->sms.max_bytes < 176 || p->sms.expiry < 1)
		__builtin_trap();
	if (!memchr(p->pin1, 0, sizeof(p->pin1)) || !memchr(p->naf_fqdn, 0, sizeof(p->naf_fqdn)))
		__builtin_trap();
	if (p->pin1[0] && (strlen(p->pin1) < 4 || strspn(p->pin1, "0123456789") != strlen(p->pin1)))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ub_policy p, defaults;
	char path[64], err[600];
	const char *w;
	int fd = memfd_create("policy", 0), rc;

	if (fd < 0 || fchmod(fd, 0600) || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = ub_policy_load(&p, path, true, err, sizeof(err));
	close(fd);
	if (!rc) {
		check_ok(&p);
		return 0;
	}
	ub_policy_defaults(&defaults);
	if (memcmp(&p, &defaults, sizeof(p)) || !err[0])
		__builtin_trap();
	/* a bad [pin] pin1 is said by its rule, never quoted: after
	 * "path:line: ", such a message is exactly the rule */
	w = err + strlen(path);
	if (*w == ':') {
		w += 1 + strspn(w + 1, "0123456789");
		if (!strncmp(w, ": [pin] pin1: bad value", 23) &&
		    strcmp(w,
			   ": [pin] pin1: bad value (must be 4 to 8 digits; a secret, not shown)"))
			__builtin_trap();
	}
	return 0;
}
