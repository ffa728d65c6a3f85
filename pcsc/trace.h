#ifndef UB_TRACE_H
#define UB_TRACE_H
#include "ub_pcsc.h"

/* hdr: how many leading bytes are never secret (header + P3). */
void ub_trace_cmd(struct ub_trace *t, const uint8_t *cmd, size_t len, size_t hdr, bool secret);
void ub_trace_rsp(struct ub_trace *t, const uint8_t *rsp, size_t len, bool secret);
#endif
