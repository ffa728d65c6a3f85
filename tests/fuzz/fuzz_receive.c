/* libFuzzer target: the receive path (src/boot/sms.c) as a whole, TPDUs ->
 * the fragment store in a tree on tmpfs -> reassembly -> WSP -> verify ->
 * apply.  Input: one octet of options, then records of one length octet
 * and that many octets (a TPDU); length 0 moves the clock past [sms]
 * expiry, 0xFF runs ub_sms_resume, 0xFE gives the PIN to the pending
 * messages (each chosen by its number).  Options: bit 0 SMSC field in front; bits 1-2 the policy
 * and PIN (0: defaults, PIN 1234; 1: USERPIN and USERPINMAC allowed, a PIN the input cannot know;
 * 2: the same with PIN 1234); bit 3 tight bounds. Oracles, after every record: the store's totals
 * equal its rows (the parts kept beside others too) and stay within [sms], at most 3 parts beside
 * one at a place, the replay memory's count equals its rows, the wrong PINs counted within [sms]
 * user_pin_failures; a result's fields agree with its status; in modes 0 and 1 nothing is ever
 * applied (no valid MAC can be made: the default policy's SEC types need the card, which is absent,
 * and the PIN is unknown). */
#include <openssl/rand.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sms.h"
#include "store.h"
#include "tree_internal.h"
#include "ub_policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], path[96];
static char secret_pin[9];
static uint8_t *tpl_bytes;
static size_t tpl_len;

static void clean(void);

/* A tree with the schema made once; each input starts from a copy of it
 * (migrating a new file each time would be most of the work). */
static void make_template(void)
{
	struct ub_boot_config cfg = {0};
	struct ub_status st = {0};
	struct ub_sms_rx *rx;
	FILE *fp;

	cfg.tree = path;
	if (ub_sms_open(&cfg, &rx, &st))
		abort();
	ub_sms_close(rx); /* the last connection: the WAL goes into the file */
	fp = fopen(path, "rb");
	if (!fp || fseek(fp, 0, SEEK_END) || (tpl_len = (size_t)ftell(fp)) == 0)
		abort();
	rewind(fp);
	if (!(tpl_bytes = malloc(tpl_len)) || fread(tpl_bytes, 1, tpl_len, fp) != tpl_len)
		abort();
	fclose(fp);
}

static void fresh_tree(void)
{
	FILE *fp;

	clean();
	fp = fopen(path, "wb");
	if (!fp || fwrite(tpl_bytes, 1, tpl_len, fp) != tpl_len || fclose(fp))
		abort();
	chmod(path, 0600);
}

static void gone(void)
{
	clean();
	rmdir(dir);
}

static void init(void)
{
	uint8_t r[8];
	int i;

	if (dir[0])
		return;
	snprintf(dir, sizeof(dir), "%s",
		 access("/dev/shm", W_OK) ? "/tmp/ub-fuzz-XXXXXX" : "/dev/shm/ub-fuzz-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/tree.db", dir);
	atexit(gone);
	if (RAND_bytes(r, sizeof(r)) != 1)
		abort();
	for (i = 0; i < 8; i++)
		secret_pin[i] = (char)('0' + r[i] % 10);
	make_template();
}

static void clean(void)
{
	char p[128];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static void check_store(struct ub_tree *t, const struct ub_policy *pol, bool nothing_applied)
{
	unsigned long msgs, bytes;
	sqlite3_stmt *st;

	if (ub_store_sms_totals(t, &msgs, &bytes))
		__builtin_trap();
	if (msgs > pol->sms.max_messages || bytes > pol->sms.max_bytes)
		__builtin_trap();
	if (sqlite3_prepare_v2(
		    t->db,
		    "SELECT (SELECT count(*) FROM sms_message), "
		    "(SELECT ifnull(sum(length(tpdu)), 0) FROM sms_part) + "
		    "(SELECT ifnull(sum(length(tpdu)), 0) FROM sms_alt), "
		    "(SELECT ifnull(sum(held), 0) FROM sms_message) - "
		    "(SELECT count(*) FROM sms_part), "
		    "(SELECT count(*) FROM sms_message WHERE held > total OR total > ?1), "
		    "(SELECT count(*) FROM node), "
		    /* at most 3 parts kept beside the one held at a place */
		    "(SELECT ifnull(max(c), 0) FROM (SELECT count(*) AS c FROM sms_alt GROUP BY "
		    "message, seq)), "
		    /* the replay memory's count is its rows; the budget within its bound */
		    "(SELECT rows FROM push_state) - (SELECT count(*) FROM push_seen), "
		    "(SELECT pin_failures FROM push_state) > ?2",
		    -1, &st, NULL) != SQLITE_OK)
		__builtin_trap();
	sqlite3_bind_int(st, 1, (int)pol->sms.max_parts);
	sqlite3_bind_int(st, 2, (int)pol->sms.user_pin_failures);
	if (sqlite3_step(st) != SQLITE_ROW)
		__builtin_trap();
	if ((unsigned long)sqlite3_column_int64(st, 0) != msgs ||
	    (unsigned long)sqlite3_column_int64(st, 1) != bytes || sqlite3_column_int64(st, 2) ||
	    sqlite3_column_int64(st, 3) || sqlite3_column_int64(st, 5) > 3 ||
	    sqlite3_column_int64(st, 6) || sqlite3_column_int64(st, 7))
		__builtin_trap();
	if (nothing_applied && sqlite3_column_int64(st, 4) != 1) /* the root only */
		__builtin_trap();
	sqlite3_finalize(st);
}

static void check_result(const struct ub_sms_result *r, bool nothing_applied)
{
	if (r->status == UB_SMS_STORED &&
	    (!r->message || r->held >= r->total || !r->part || r->part > r->total))
		__builtin_trap();
	if ((r->status == UB_SMS_REJECTED || r->status == UB_SMS_FAILED) && !r->why.err)
		__builtin_trap();
	if (nothing_applied && (r->status == UB_SMS_APPLIED || r->status == UB_SMS_UNCHANGED))
		__builtin_trap();
	if (r->ndropped && !r->dropped)
		__builtin_trap();
}

static void check_results(struct ub_sms_result *v, size_t n, bool nothing_applied)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_result(&v[i], nothing_applied);
	ub_sms_results_free(v, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_boot_config cfg = {0};
	struct ub_status st = {0};
	struct ub_sms_result r, *v;
	struct ub_policy pol;
	struct ub_sms_rx *rx;
	struct ub_tree *t;
	const char *pin;
	long long now = 1700000000;
	bool smsc, none;
	size_t o = 1, n, len;
	int mode;

	if (size < 1)
		return 0;
	init();
	fresh_tree();
	smsc = data[0] & 1;
	mode = (data[0] >> 1) & 3;
	none = mode != 2; /* modes 0 and 1 (and 3, as 1) can apply nothing */
	ub_policy_defaults(&pol);
	if (mode)
		pol.allowed_sec |= UB_SEC_USERPIN | UB_SEC_USERPINMAC;
	pin = mode == 1 || mode == 3 ? secret_pin : "1234";
	if (data[0] & 8) {
		pol.sms.max_messages = 3;
		pol.sms.max_bytes = 600;
		pol.sms.max_parts = 6;
	}
	cfg.policy = &pol;
	cfg.tree = path;
	if (ub_sms_open(&cfg, &rx, &st))
		__builtin_trap();
	if (ub_tree_open(path, &t))
		__builtin_trap();
	while (o < size) {
		len = data[o++];
		if (len == 0) {
			now += pol.sms.expiry + 1;
		} else if (len == 0xFF) {
			ub_sms_resume(rx, pin, now, &v, &n);
			check_results(v, n, none);
		} else if (len == 0xFE) {
			struct ub_sms_message *l;
			size_t nl, k;

			/* the PIN for each pending message, chosen by its number */
			if (ub_sms_list(rx, true, now, &l, &nl))
				__builtin_trap();
			for (k = 0; k < nl; k++) {
				ub_sms_pending_apply(rx, l[k].id, pin, now, &v, &n);
				check_results(v, n, none);
			}
			free(l);
		} else {
			if (len > size - o)
				len = size - o;
			/* half of the TPDUs without the PIN: pending messages */
			ub_sms_receive(rx, data + o, len, smsc, (data[o - 1] & 1) ? pin : NULL, now,
				       &r);
			check_result(&r, none);
			ub_sms_result_free(&r);
			o += len;
			now += 1;
		}
		check_store(t, &pol, none);
	}
	ub_tree_close(t);
	ub_sms_close(rx);
	return 0;
}
