/* libFuzzer target for the uicc-files parsers.  FUZZ_WHICH selects one at
 * build time so each has its own corpus: fcp, efdir, gbabp, gbanl, pkcs15.
 * The oracle of efdir and pkcs15: padding (00, FF) ends a file only at its
 * end, so what parsed with an entry, followed by a padding byte and itself
 * again, must be refused (an entry hidden behind padding is never read as
 * "no more entries"). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ub_decode.h"
#include "ub_error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* data, pad, data again (NULL when out of memory; free it) */
static uint8_t *twice(const uint8_t *data, size_t size, uint8_t pad)
{
	uint8_t *b = malloc(2 * size + 1);

	if (b) {
		memcpy(b, data, size);
		b[size] = pad;
		memcpy(b + size + 1, data, size);
	}
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if FUZZ_WHICH == 1
	struct ub_fcp f;

	if (!ub_fcp_parse(data, size, &f) && f.aid_len > sizeof(f.aid))
		__builtin_trap();
#elif FUZZ_WHICH == 2
	struct ub_app apps[8];
	int n = ub_efdir_decode(data, size, apps, 8), i;

	uint8_t *b;

	for (i = 0; i < n; i++)
		if (apps[i].aid_len > 16 || strlen(apps[i].label) > 32)
			__builtin_trap();
	if (n > 0 && (b = twice(data, size, size & 1 ? 0x00 : 0xFF))) {
		if (ub_efdir_decode(b, 2 * size + 1, apps, 8) != UB_E_BAD_DATA)
			__builtin_trap();
		free(b);
	}
#elif FUZZ_WHICH == 3
	struct ub_gbabp g, g2;
	uint8_t out[600];
	int n;

	if (!ub_gbabp_decode(data, size, &g)) {
		n = ub_gbabp_encode(&g, out, sizeof(out)); /* round trip must hold */
		if (n < 0 || ub_gbabp_decode(out, (size_t)n, &g2) || strcmp(g.btid, g2.btid))
			__builtin_trap();
	}
#elif FUZZ_WHICH == 4
	struct ub_gbanl e;

	ub_gbanl_decode(data, size, &e);
#elif FUZZ_WHICH == 5
	struct ub_p15_path p[4];
	struct ub_p15_oid_do o[16];
	static const uint8_t dm[] = {0x67, 0x2B, 0x07, 0x01};
	int n, i;
	uint8_t *b;

	n = ub_p15_odf_dodfs(data, size, p, 4);
	if (n > 0 && (b = twice(data, size, size & 1 ? 0x00 : 0xFF))) {
		if (ub_p15_odf_dodfs(b, 2 * size + 1, p, 4) != UB_E_BAD_DATA)
			__builtin_trap();
		free(b);
	}
	n = ub_p15_dodf_oids(data, size, o, 16);
	if (n > 0 && (b = twice(data, size, size & 1 ? 0x00 : 0xFF))) {
		if (ub_p15_dodf_oids(b, 2 * size + 1, o, 16) != UB_E_BAD_DATA)
			__builtin_trap();
		free(b);
	}
	n = ub_p15_dodf_oids(data, size, o, 16);
	for (i = 0; i < n; i++)
		if (o[i].path.len > sizeof(o[i].path.path) ||
		    (ub_p15_oid_is(&o[i], dm, 4) && !o[i].oid_len) ||
		    o[i].auth_id_len > sizeof(o[i].auth_id) ||
		    ((o[i].is_private || o[i].is_modifiable) && !o[i].has_flags))
			__builtin_trap();
#else
#error "FUZZ_WHICH not set"
#endif
	return 0;
}
