/* The OMA DM names uiccboot decides on, in one place: where each DM
 * version keeps accounts and connectivity MOs, how it spells the ServerID
 * leaf, the DDF names, which leaves hold secrets, the ACL an account gets,
 * the Format values, the ACL grammar and the bounds on URIs.
 *
 *   DM 1.2 (and OMA CP, mapped to it)   ./DMAcc/<x>/ServerID      ./ConnMO/<y>
 *   DM 1.1.2                            ./SyncML/DMAcc/<x>/ServerId ./SyncML/Con/<y>
 *
 * (OMA-TS-DM_StdObj 1.2 5.3 and Appendix; the 1.1.2 names as DM 1.1.2
 * servers send them.)  Every other file asks these functions instead of
 * spelling a name itself. */
#ifndef UB_DM_NAMES_H
#define UB_DM_NAMES_H

#include "lwm2m.h" /* UB_LWM2M_TREE */
#include "tree.h"  /* UB_TREE_ACL_MAX, UB_TREE_SECRET_MASK */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ub_error.h"

/* A URI is at most this many bytes and segments after "." (checked in the
 * plan, after every rename, in the store and in the export alike). */
#define UB_URI_MAX 1024
#define UB_URI_SEGMENTS_MAX 32
/* A ServerID (an ACL principal) and a Type are at most this long. */
#define UB_SERVER_ID_MAX 127
#define UB_TYPE_MAX 255
/* An ACL is at most this long (a longer one is refused, never cut). */
#define UB_ACL_MAX UB_TREE_ACL_MAX

#define UB_DDF_DMACC "org.openmobilealliance/1.0/w7"
#define UB_DDF_CONNMO "org.openmobilealliance/1.0/ConnMO"

enum ub_dm_version { UB_DM12, UB_DM11 };

struct ub_dm_layout {
	enum ub_dm_version version;
	const char *name;	 /* "DM 1.2" */
	const char *accounts;	 /* "./DMAcc": the container of accounts */
	const char *server_leaf; /* "ServerID" */
	const char *connmos;	 /* "./ConnMO": the container of connectivity MOs */
};

const struct ub_dm_layout *ub_dm_layout(enum ub_dm_version v);

/* The layout whose account or connectivity container holds uri (strictly
 * below it), or NULL.  *is_account tells which of the two. */
const struct ub_dm_layout *ub_dm_layout_of(const char *uri, bool *is_account);

/* Is rel (a path relative to an account of layout l) one of the account's
 * server addresses: DM 1.2 AppAddr/<x>/Addr, DM 1.1 Addr? */
/* Is uri an account's ServerID leaf (<accounts>/<name>/ServerID, as its
 * DM version spells it)?  The account's name for its server: Get only
 * (OMA-TS-DM_StdObj 1.2 DMAcc DDF), and what the tree's ownership hangs on. */
bool ub_dm_is_server_id_leaf(const char *uri);
bool ub_dm_is_address(const struct ub_dm_layout *l, const char *rel);

/* Containers are device-owned interior nodes that hold the MOs of every
 * server: ".", "./DMAcc", "./ConnMO", "./SyncML", "./SyncML/DMAcc",
 * "./SyncML/Con", "./LwM2M" and "./LwM2M/<Object ID>".  No bootstrap owns,
 * changes or removes them. */
bool ub_dm_is_container(const char *uri);

/* Standard objects of the device itself (DM StdObj: DevInfo, DevDetail;
 * ./Inbox is never stored): no bootstrap writes there. */
bool ub_dm_is_device_object(const char *uri);

/* Is the value at uri a secret (credentials, nonces, ConnMO passwords,
 * LwM2M keys)?  Under ./LwM2M by the resource, as src/lwm2m/'s table says
 * (Security 3, 4, 5, 8; OSCORE 0); elsewhere by the node's name,
 * case-insensitively: AAuthSecret, AAuthData, ClientPW, ServerPW,
 * ClientNonce, ServerNonce, AuthSecret, Secret, PW, Password.  Secret
 * values are masked in every output unless asked for. */
bool ub_dm_is_secret(const char *uri);

/* The placeholder printed instead of a secret value. */
#define UB_SECRET_MASK UB_TREE_SECRET_MASK

/* Format values of DM-TND 7 (b64, bin, bool, chr, int, node, null, xml,
 * date, time, float): the only ones the tree stores. */
bool ub_dm_format_ok(const char *format);

/* A ServerID usable as an ACL principal (DM-TND 8.3.7.1.5 server-id:
 * 1..127 printable characters other than '=', '&', '*', '+' and white
 * space). */
bool ub_dm_server_id_ok(const char *server_id);

/* An ACL in the DM-TND 8.3.7.1.5 grammar, at most UB_ACL_MAX bytes:
 * empty, or entries
 * "Cmd=id+id" joined by '&' with Cmd one of Add, Delete, Exec, Get,
 * Replace, each id "*" or a server-id. */
bool ub_dm_acl_ok(const char *acl);
/* The one reading of an ACL (OMA DM TND 1.2 clause 7.7.1: acl ::= entry
 * *("&" entry); entry ::= command "=" id *("+" id)): cb gets each command
 * and server name pair in order and returns non-zero to stop.  Returns
 * what cb stopped with, 0 at the end, UB_E_BAD_DATA when the ACL is not of
 * that form (cb may have seen the entries before the fault) or longer than
 * UB_ACL_MAX. */
int ub_acl_walk(const char *acl,
		int (*cb)(const char *cmd, size_t cl, const char *id, size_t il, void *arg),
		void *arg);

/* The ACL an account (and the MOs it brings) gets when the bootstrap
 * gives none: Get, Replace and Delete for its ServerID (OMA DM Bootstrap,
 * CP profile; StdObj DMAcc).  Returns 0, or UB_E_BAD_DATA when it does
 * not fit in max. */
int ub_dm_owner_acl(const char *server_id, char *out, size_t max);

/* Check a node URI: "." or "./" and segments, no empty, "." or ".."
 * segment, no control characters, at most UB_URI_MAX bytes and
 * UB_URI_SEGMENTS_MAX segments.  Returns 0 or UB_E_BAD_DATA with what is
 * wrong in st (may be NULL). */
int ub_uri_check(const char *uri, struct ub_status *st);

/* The one spelling of a node URI (OMA-TS-DM_TND 1.2 clause 5 lets
 * "DMAcc/x" name "./DMAcc/x"): in, absolute or relative, into out as
 * "./<segments>" (or "."), then checked as ub_uri_check does.  Strict (a
 * bootstrap, a server's Replace): an empty, "." or ".." segment or a
 * trailing '/' is refused.  Lenient (what the tree or a backup already
 * holds): those are resolved ("a//b", "a/./b" and "a/c/../b" read
 * "a/b"), and one that goes above the root is refused.  Returns 0 or
 * UB_E_BAD_DATA with what is wrong in st (may be NULL). */
int ub_uri_canon(const char *in, char *out, size_t max, bool lenient, struct ub_status *st);

/* Does value read as a node URI: "./..." or a relative URI into a
 * container of accounts or connectivity MOs ("ConnMO/x", "DMAcc/x",
 * "SyncML/...")? */
bool ub_dm_names_node(const char *value);

/* Is the value of the leaf at uri a reference to a node, the one table:
 * a leaf named PrefConRef, ConRef or ToConRef (OMA-TS-DM_StdObj DMAcc
 * and ConnMO; CP's TO-NAPID), or any leaf whose value names a node
 * (ub_dm_names_node) -- but never a secret, a ServerID or an LwM2M
 * resource.  A reference is held in the canonical form (ub_uri_canon),
 * checked against the owners of what it names, rewritten when that is
 * renamed, and keeps it from being removed as unreferenced. */
bool ub_dm_is_reference(const char *uri, const char *value);

/* Is u the node root or below it? */
bool ub_uri_under(const char *u, const char *root);

/* The host of a URI ("https://dm.example:443/dm" -> "dm.example"), for
 * the NAF FQDN of NETWORKID_GBA: a DNS name, an optional numeric port.
 * UB_E_BAD_DATA for anything a reader could take for another host:
 * userinfo ('@'), a backslash, white space or control characters, an
 * IP literal, a host that is not letters, digits, '-' and '.'. */
int ub_uri_host(const char *uri, char *out, size_t max);

/* The last segment of uri (after the last '/'). */
const char *ub_uri_name(const char *uri);

/* Could s be stored as a value and exported as XML 1.0 text (valid UTF-8,
 * no C0 control other than TAB, LF, CR, no U+FFFE/FFFF)?  The n form
 * takes s[n], in which a NUL is a control character like the others. */
bool ub_dm_text_ok(const char *s);
bool ub_dm_textn_ok(const char *s, size_t n);

/* ./LwM2M URIs: where the LwM2M Objects stand in the tree, UB_LWM2M_TREE
 * of <uiccboot/lwm2m.h> (ub_lwm2m_map.h says what lies under it). */

struct ub_lwm2m_path {
	int depth; /* 0 ./LwM2M, 1 Object, 2 Instance, 3 Resource, 4 Resource Instance */
	uint16_t obj, inst, res, ri;
};

/* Is uri ./LwM2M or below it? */
bool ub_lwm2m_uri_under(const char *uri);

/* uri as ./LwM2M[/<O>[/<I>[/<R>[/<RI>]]]] with decimal IDs (no sign, no
 * leading zero, at most 65535; an Instance at most 65534, MAX-ID being
 * reserved).  Returns 0 with p filled, or UB_E_BAD_DATA. */
int ub_lwm2m_uri_parse(const char *uri, struct ub_lwm2m_path *p);

#endif
