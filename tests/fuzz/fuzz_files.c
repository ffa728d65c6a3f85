/* libFuzzer target for the uicc-files parsers.  FUZZ_WHICH selects one at
 * build time so each has its own corpus: fcp, efdir, gbabp, gbanl, pkcs15. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ub_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if FUZZ_WHICH == 1
	struct ub_fcp f;

	if (!ub_fcp_parse(data, size, &f) && f.aid_len > sizeof(f.aid))
		__builtin_trap();
#elif FUZZ_WHICH == 2
	struct ub_app apps[8];
	int n = ub_efdir_decode(data, size, apps, 8), i;

	for (i = 0; i < n; i++)
		if (apps[i].aid_len > 16 || strlen(apps[i].label) > 32)
			__builtin_trap();
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

	ub_p15_odf_dodfs(data, size, p, 4);
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
