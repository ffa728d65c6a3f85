/* The device owner's policy: INI, libinih.  Built-in defaults when the
 * file is absent; an unknown key or a bad value is an error that names
 * file, line and key.  The public handle is in policy.h. */
#ifndef UB_POLICY_H
#define UB_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy.h"
#define UB_POLICY_MAX_SERVERS 32
/* [push] user_pin_min by default: what a sender should not go below */
#define UB_USER_PIN_MIN_DEFAULT 4

/* Bootstrap message security types (OMA DM Security 5.7.2, OMA CP
 * ProvBoot), as bits of ub_policy.allowed_sec. */
enum ub_sec {
	UB_SEC_NONE = 0,
	UB_SEC_NETWORKID = 1 << 0, /* also CP NETWPIN */
	UB_SEC_USERPIN = 1 << 1,
	UB_SEC_USERPIN_NETWORKID = 1 << 2,
	UB_SEC_NETWORKID_GBA = 1 << 3,
	UB_SEC_USERPIN_NETWORKID_GBA = 1 << 4,
	UB_SEC_USERNETWPIN = 1 << 5, /* CP: semi-octet IMSI || PIN */
	UB_SEC_USERPINMAC = 1 << 6,  /* CP: PIN carries the MAC */
};
/* "NETWORKID" -> UB_SEC_NETWORKID ("NETWPIN" too); UB_SEC_NONE if unknown. */
enum ub_sec ub_sec_parse(const char *s);
const char *ub_sec_name(enum ub_sec s);

enum ub_netid_key { UB_NETID_SEMI_OCTET, UB_NETID_ASCII };
/* What a GBA-keyed MAC binds: the NAF FQDN whose key verified it must be
 * the host of every server address of the accounts it bootstraps, or
 * their ServerID, or both. */
enum ub_naf_binding { UB_NAF_HOST = 1, UB_NAF_SERVER_ID = 2, UB_NAF_BOTH = 3 };
enum ub_conflict { UB_CONFLICT_REPLACE, UB_CONFLICT_REJECT, UB_CONFLICT_RENAME };
/* May a push replace an account that the card, factory apply or an import
 * wrote?  Never; only when keyed with the card's GBA key (whose NAF is
 * bound to the account); or whatever its SEC. */
enum ub_replace_card { UB_REPLACE_GBA, UB_REPLACE_NO, UB_REPLACE_YES };
/* May a card replace an account of its ServerID that a push, factory
 * apply or an import wrote?  Never (it replaces only what cards wrote);
 * only when it is the same server (ub_apply: the same address host, or a
 * host pinned in [servers] allow); whatever wrote it (and another card's
 * account too, whatever its server). */
enum ub_card_replace { UB_CARD_REPLACE_CARDS, UB_CARD_REPLACE_SAME_SERVER, UB_CARD_REPLACE_YES };

/* [sms]: the fragment store of received SMS (uiccboot-policy(5)). */
struct ub_sms_policy {
	unsigned expiry;		 /* seconds an incomplete or pending message is kept */
	unsigned max_parts;		 /* parts one message may have */
	unsigned max_messages;		 /* messages kept, incomplete and pending */
	unsigned long max_bytes;	 /* octets of TPDUs kept */
	unsigned pin_attempts;		 /* wrong user PINs before a pending message is dropped */
	unsigned user_pin_failures;	 /* wrong user PINs, device-wide, met with a stored PIN
					    before it is used no more (3) */
	unsigned max_pending_per_sender; /* pending messages of one originator (4) */
};

/* [push] replay_memory: pushes remembered (rows of the replay memory). */
#define UB_PUSH_MEMORY_DEFAULT 4096

struct ub_policy {
	bool smartcard_enabled, remove_stale;
	bool remove_absent; /* what a card no longer inserted wrote goes at power-on */
	enum ub_card_replace card_replace; /* [smartcard] replace_accounts */
	bool logical_channel;		   /* the PKCS#15 application on a logical channel */
	bool push_enabled;
	bool push_connectivity_only; /* a push that configures no server (the
					device's connectivity) may apply */
	unsigned allowed_sec;	     /* enum ub_sec bits */
	enum ub_netid_key networkid_key;
	unsigned user_pin_min; /* shortest USERPIN accepted (4) */
	unsigned push_memory;  /* [push] replay_memory: pushes remembered */
	char servers[UB_POLICY_MAX_SERVERS][128];
	/* the host an entry pins its ServerID to ("operator-dm@dm.example"):
	 * every server address of its accounts there; "" none */
	char server_hosts[UB_POLICY_MAX_SERVERS][256];
	int nservers; /* 0: any server may bootstrap */
	enum ub_conflict account, connmo;
	enum ub_replace_card replace_card_accounts;
	bool prefer_isim, allow_gba_me;
	char naf_fqdn[256]; /* "": the host of the message's Source LocURI */
	enum ub_naf_binding naf_binding;
	uint8_t ua_id[5];
	bool has_ua_id;
	unsigned naf_per_hour; /* [gba] push_derivations_per_hour: per NAF (10) */
	char pin1[9];
	/* [lwm2m]: the card's LwM2M bootstrap, and the LwM2M Server URIs its
	 * Security Instances may name (0: any) */
	bool lwm2m_enabled;
	char lwm2m_servers[UB_POLICY_MAX_SERVERS][256];
	int nlwm2m_servers;
	struct ub_sms_policy sms;
	char modem_port[256]; /* [modem] port: the modem's AT port, "" none */
	char gpi_layout[401]; /* [gba] gpi_layout: "" the default (ub_gpi.h) */
};

void ub_policy_defaults(struct ub_policy *p);

/* Load path over the defaults.  A missing file is fine when !must_exist
 * (the default path).  Returns 0, UB_E_CONFIG, UB_E_POLICY (the file's
 * mode or owner) or UB_E_NOMEM, st saying "file:line: [section] key: what"
 * or "file: what" (where: file:line or file). */
int ub_policy_load(struct ub_policy *p, const char *path, bool must_exist, struct ub_status *st);

/* ub_policy_modem, ub_policy_gpi_layout: <uiccboot/policy.h> */

/* [pin] pin1, or NULL when the policy gives none. */
const char *ub_policy_pin1(const struct ub_policy *p);

/* May ServerID bootstrap this device? */
bool ub_policy_server_allowed(const struct ub_policy *p, const char *server_id);
/* Does [servers] allow pin server_id to a host (an entry id@host)? */
bool ub_policy_server_pinned(const struct ub_policy *p, const char *server_id);
/* May an account of server_id have a server address at host: it is not
 * pinned, or host (case-insensitive) is one it is pinned to? */
bool ub_policy_host_allowed(const struct ub_policy *p, const char *server_id, const char *host);

/* May an LwM2M Security Instance name this server URI (uri[len], not
 * NUL-terminated)?  [lwm2m] servers, compared byte for byte; empty: any. */
bool ub_policy_lwm2m_server_allowed(const struct ub_policy *p, const uint8_t *uri, size_t len);

#endif
