/* libFuzzer target for the tree side of LwM2M (ub_lwm2m_map.h): what a
 * tree node under ./LwM2M may say, from an import or a DM client's
 * Replace.  Input: "OBJ RES\tFORMAT\tTYPE\tVALUE" (OBJ and RES decimal), or
 * a URI, or "OBJ\tURN".  Oracles: nothing crashes; a leaf that gives bytes
 * gives a value of its resource's type, and the leaf made from those bytes
 * gives the same bytes again; a URI or URN that parses is written back the
 * same way by the mapping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm_names.h"
#include "ub_error.h"
#include "ub_lwm2m.h"
#include "ub_lwm2m_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void leaf(unsigned obj, unsigned res, char *format, char *type, char *value)
{
	size_t max = strlen(value) + 8, k;
	uint8_t *out = malloc(max), *again;
	struct ub_lwm2m_leaf l;
	int n, m;

	if (!out)
		__builtin_trap();
	n = ub_lwm2m_leaf_bytes((uint16_t)obj, (uint16_t)res, format, type, value, out, max, NULL);
	if (n >= 0) {
		if (ub_lwm2m_leaf_make((uint16_t)obj, (uint16_t)res, out, (size_t)n, &l))
			__builtin_trap(); /* bytes the tree gave are bytes it can hold */
		k = strlen(l.value) + 8;
		if (!(again = malloc(k)))
			__builtin_trap();
		m = ub_lwm2m_leaf_bytes((uint16_t)obj, (uint16_t)res, l.format, l.type, l.value,
					again, k, NULL);
		if (m != n || (n && memcmp(again, out, (size_t)n)))
			__builtin_trap();
		free(again);
		ub_lwm2m_leaf_wipe(&l);
	}
	free(out);
}

static void uri(const char *s)
{
	struct ub_lwm2m_path p;
	char back[64];

	if (ub_lwm2m_uri_parse(s, &p))
		return;
	switch (p.depth) {
	case 0:
		snprintf(back, sizeof(back), "%s", UB_LWM2M_TREE);
		break;
	case 1:
		snprintf(back, sizeof(back), "%s/%u", UB_LWM2M_TREE, p.obj);
		break;
	case 2:
		snprintf(back, sizeof(back), "%s/%u/%u", UB_LWM2M_TREE, p.obj, p.inst);
		break;
	case 3:
		snprintf(back, sizeof(back), "%s/%u/%u/%u", UB_LWM2M_TREE, p.obj, p.inst, p.res);
		break;
	default:
		snprintf(back, sizeof(back), "%s/%u/%u/%u/%u", UB_LWM2M_TREE, p.obj, p.inst, p.res,
			 p.ri);
	}
	if (strcmp(back, s) || p.inst == UB_LWM2M_MAX_ID)
		__builtin_trap();
}

static void urn(unsigned obj, const char *s)
{
	char back[64];
	bool ev;
	uint8_t a, b;

	if (ub_lwm2m_urn_parse((uint16_t)obj, s, &ev, &a, &b))
		return;
	if (ub_lwm2m_urn((uint16_t)obj, ev, a, b, back, sizeof(back)) || strcmp(back, s) ||
	    (ev && !a))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *f[4] = {NULL}, *p;
	unsigned obj = 0, res = 0;
	int n = 0, k = 0;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) == size) {
		uri(s);
		for (p = s, f[k++] = s; k < 4 && (p = strchr(p, '\t')); f[k++] = ++p)
			*p = '\0';
		if (sscanf(f[0], "%5u %5u%n", &obj, &res, &n) == 2 && !f[0][n] && obj <= 0xFFFF &&
		    res <= 0xFFFF && k == 4)
			leaf(obj, res, f[1], f[2], f[3]);
		else if (k == 2 && sscanf(f[0], "%5u%n", &obj, &n) == 1 && !f[0][n] &&
			 obj <= 0xFFFF)
			urn(obj, f[1]);
	}
	free(s);
	return 0;
}
