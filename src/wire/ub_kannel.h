/* Handing SMS parts to an SMS gateway: Kannel's sendsms HTTP interface
 * (binary: coding=1, udh and text URL-encoded).  HTTP is libcurl's. */
#ifndef UB_KANNEL_H
#define UB_KANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"
#include "ub_sms.h"

struct ub_kannel {
	const char *url;		 /* e.g. http://127.0.0.1:13013/cgi-bin/sendsms */
	const char *username, *password; /* a sendsms-user of the gateway */
	const char *to, *from;		 /* the device's MSISDN; the sender shown */
	long timeout_s;			 /* 0: 30 s */
};

/* The sendsms URL for one part with TP-DCS dcs (8-bit data: 0x04, 0x14-0x17,
 * 0xF4-0xF7 map to coding=1 with mclass/alt-dcs).  *url is malloc'd and
 * holds the password: ub_kannel_url_free() it.  Returns 0, UB_E_USAGE (a
 * DCS Kannel cannot be told, missing fields) or UB_E_NOMEM. */
int ub_kannel_url(const struct ub_kannel *k, const struct ub_sms_part *p, uint8_t dcs, char **url);
void ub_kannel_url_free(char *url);

/* Send one part.  Returns 0 when the gateway answered 2xx (answer, when
 * not NULL, holds "HTTP <status>: <its text>"); UB_E_IO (no connection,
 * timeout, another status: st has the status and the gateway's answer),
 * UB_E_NOT_SUPPORTED (no libcurl), UB_E_USAGE, UB_E_NOMEM. */
int ub_kannel_send(const struct ub_kannel *k, const struct ub_sms_part *p, uint8_t dcs,
		   char *answer, size_t max, struct ub_status *st);

#endif
