/* libFuzzer target: TNDS XML (tree import, factory images) -> plan. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ub_decoders.h"
#include "ub_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_plan plan;
	struct ub_status err = {0};
	size_t i;

	if (!ub_plan_from_tnds((const char *)data, size, &plan, &err)) {
		for (i = 0; i < plan.nnodes; i++)
			if (strncmp(plan.nodes[i].uri, "./", 2) ||
			    strlen(plan.nodes[i].uri) > UB_URI_MAX || !plan.nodes[i].format)
				__builtin_trap();
		ub_plan_free(&plan);
	}
	return 0;
}
