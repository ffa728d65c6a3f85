/* The tree's SQL, all of it (see store.h): the schema and its migrations,
 * reads, and the writes of apply and factory apply.  Subtrees are
 * ranges of the primary key: the nodes below R are exactly those with
 * R || '/' <= uri < R || '0' ('0' follows '/' in every collation SQLite
 * uses here, BINARY), so no query scans the whole table. */
#include <errno.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store.h"
#include "ub_error.h"
#include "ub_plan.h"

#define SCHEMA_VERSION 7

/* A leaf that may name a node: the rows of the reference index, and the
 * terms every query that uses it repeats (SQLite uses a partial index
 * only for a query whose WHERE holds its terms).  A superset of what
 * ub_dm_is_reference() calls a reference, once the values are canonical:
 * the callers look at what it finds with that function. */
#define REFERENCE "format <> 'node' AND substr(value, 1, 2) = './'"
/* ...whose value is ?1 or names a node below it */
/* uri ?1 and every node below it, as a range the primary key serves */
#define SUBTREE_1 "(uri = ?1 OR (uri >= ?1 || '/' AND uri < ?1 || '0'))"
#define NAMES_1                                                                \
	REFERENCE " AND value >= ?1 AND value < ?1 || '0' AND (value = ?1 OR " \
		  "substr(value, length(?1) + 1, 1) = '/')"

/* A node's bytes of text, for the tree's size (r: NEW, OLD or node). */
#define NODE_TEXT(r)                                                                        \
	"length(CAST(" r ".uri AS BLOB)) + ifnull(length(CAST(" r ".value AS BLOB)), 0) + " \
	"length(CAST(" r ".acl AS BLOB)) + ifnull(length(CAST(" r ".type AS BLOB)), 0)"

/* clang-format off */
#define MIGRATION_4                                                                               \
	"DROP INDEX IF EXISTS node_server;"                                                       \
	"CREATE INDEX IF NOT EXISTS node_server_parent ON node(server, parent);"                  \
	"CREATE TABLE tree_size(id INTEGER PRIMARY KEY CHECK (id = 1),"                           \
	" nodes INTEGER NOT NULL, text INTEGER NOT NULL);"                                        \
	"INSERT INTO tree_size SELECT 1, count(*), ifnull(sum(" NODE_TEXT("node") "), 0) FROM node;" \
	"CREATE TRIGGER node_size_insert AFTER INSERT ON node BEGIN"                              \
	" UPDATE tree_size SET nodes = nodes + 1, text = text + " NODE_TEXT("NEW") "; END;"       \
	"CREATE TRIGGER node_size_delete AFTER DELETE ON node BEGIN"                              \
	" UPDATE tree_size SET nodes = nodes - 1, text = text - (" NODE_TEXT("OLD") "); END;"     \
	"CREATE TRIGGER node_size_update AFTER UPDATE OF uri, value, acl, type ON node BEGIN"     \
	" UPDATE tree_size SET text = text - (" NODE_TEXT("OLD") ") + " NODE_TEXT("NEW") "; END;"
/* clang-format on */

/* Each entry moves the schema from version i to i+1. */
static const char *const migrations[SCHEMA_VERSION] = {
	"CREATE TABLE node("
	" uri TEXT PRIMARY KEY,"
	" parent TEXT,"
	" format TEXT NOT NULL,"
	" type TEXT,"
	" value TEXT,"
	" acl TEXT NOT NULL DEFAULT '',"
	" server TEXT,"
	" source TEXT);"
	"CREATE INDEX node_parent ON node(parent);"
	"CREATE INDEX node_server ON node(server);"
	/* the root: owned by the device, Add=*&Get=* (DM-TND 8.3.7.1.5) */
	"INSERT INTO node(uri, parent, format, acl) VALUES('.', NULL, 'node', 'Add=*&Get=*');",
	/* 2: what each source last applied, by digest (unchanged card data
	 * is not written again) */
	"CREATE TABLE provenance("
	" source TEXT PRIMARY KEY,"
	" digest TEXT NOT NULL,"
	" applied INTEGER NOT NULL);"
	"CREATE INDEX node_source ON node(source);",
	/* 3: containers belong to the device (earlier versions gave
	 * ./SyncML/DMAcc and its like to their first creator, whose removal
	 * then took other servers' accounts with it).  A migration is a record
	 * of its day: the list is spelled here, not taken from src/dm/names.c. */
	("UPDATE node SET server = NULL, source = NULL WHERE uri IN "
	 "('.', './DMAcc', './ConnMO', './SyncML', './SyncML/DMAcc', './SyncML/Con');"),
	/* 4: a ServerID's account is found among that server's nodes, not
	 * among all accounts; the tree's size, kept by the database itself:
	 * apply refuses to go past the capacity that an import of the export
	 * can read back */
	MIGRATION_4,
	/* 5: SMS fragments of `sms receive` until their message is complete
	 * (state 0), and complete messages waiting for the user's PIN (state
	 * 1).  key: what groups the parts of one message (TS 23.040
	 * 9.2.3.24.1).  Every lookup is by an index; the totals that the
	 * policy bounds are kept in one row by triggers, so no insert counts
	 * rows.  sms_seen: digests of pushes applied lately (replays).  (IF NOT
	 * EXISTS: a tree whose user_version was set back by hand keeps
	 * working.) */
	("CREATE TABLE IF NOT EXISTS sms_message("
	 " id INTEGER PRIMARY KEY AUTOINCREMENT," /* a number is never given twice */
	 " key BLOB NOT NULL UNIQUE,"
	 " originator TEXT NOT NULL,"
	 " total INTEGER NOT NULL,"
	 " held INTEGER NOT NULL DEFAULT 0,"
	 " bytes INTEGER NOT NULL DEFAULT 0,"
	 " since INTEGER NOT NULL,"
	 " state INTEGER NOT NULL DEFAULT 0,"
	 " digest BLOB,"
	 " kind TEXT,"
	 " sec TEXT,"
	 " attempts INTEGER NOT NULL DEFAULT 0);"
	 "CREATE INDEX IF NOT EXISTS sms_message_since ON sms_message(since);"
	 "CREATE INDEX IF NOT EXISTS sms_message_state ON sms_message(state, since);"
	 "CREATE INDEX IF NOT EXISTS sms_message_digest ON sms_message(digest) WHERE digest IS NOT "
	 "NULL;"
	 "CREATE INDEX IF NOT EXISTS sms_message_complete ON sms_message(id) WHERE state = 0 AND "
	 "held >= total;"
	 "CREATE TABLE IF NOT EXISTS sms_part("
	 " message INTEGER NOT NULL REFERENCES sms_message(id) ON DELETE CASCADE,"
	 " seq INTEGER NOT NULL,"
	 " tpdu BLOB NOT NULL,"
	 " PRIMARY KEY(message, seq)) WITHOUT ROWID;"
	 "CREATE TABLE IF NOT EXISTS sms_totals("
	 " one INTEGER PRIMARY KEY CHECK(one = 1),"
	 " messages INTEGER NOT NULL,"
	 " bytes INTEGER NOT NULL);"
	 "INSERT OR IGNORE INTO sms_totals VALUES(1, 0, 0);"
	 "CREATE TRIGGER IF NOT EXISTS sms_message_added AFTER INSERT ON sms_message BEGIN"
	 " UPDATE sms_totals SET messages = messages + 1; END;"
	 "CREATE TRIGGER IF NOT EXISTS sms_message_removed AFTER DELETE ON sms_message BEGIN"
	 " UPDATE sms_totals SET messages = messages - 1, bytes = bytes - old.bytes; END;"
	 "CREATE TRIGGER IF NOT EXISTS sms_part_added AFTER INSERT ON sms_part BEGIN"
	 " UPDATE sms_message SET held = held + 1, bytes = bytes + length(new.tpdu)"
	 "  WHERE id = new.message;"
	 " UPDATE sms_totals SET bytes = bytes + length(new.tpdu); END;"
	 "CREATE TABLE IF NOT EXISTS sms_seen("
	 " digest BLOB PRIMARY KEY,"
	 " at INTEGER NOT NULL) WITHOUT ROWID;"
	 "CREATE INDEX IF NOT EXISTS sms_seen_at ON sms_seen(at);"),
	/* 6: the references (leaves whose value names a node, held in the
	 * one spelling "./..."; src/dm/names.c says which leaves those are),
	 * found by an index instead of a scan of every value inside the
	 * write transaction; values that older versions wrote in another
	 * spelling are rewritten once (migrate_references) */
	"CREATE INDEX IF NOT EXISTS node_reference ON node(value) WHERE " REFERENCE ";",
	/* 7: what the device remembers of pushes (src/tree/intake.c), and parts
	 * that conflict with one held.  push_seen: every push applied over
	 * an insecure transport, by the digest of what its MAC covers, once
	 * per ServerID it configured ('' for none), in the order applied
	 * (seq): a ServerID's newest row is the push in force for it;
	 * push_state counts its rows (triggers) and holds the order and the
	 * device-wide count of wrong user PINs met with a stored PIN.
	 * naf_rate: GBA key derivations asked for pushes, per NAF and
	 * window.  sms_alt: a part that came for a place held already with
	 * other data, kept beside it (the bytes counted as sms_part's are).
	 * sms_seen, the replay memory of schema 5 keyed by the Content-Type
	 * as sent, goes.  Every statement may run again (IF NOT EXISTS). */
	("CREATE TABLE IF NOT EXISTS push_seen("
	 " digest BLOB NOT NULL,"
	 " server TEXT NOT NULL,"
	 " seq INTEGER NOT NULL,"
	 " at INTEGER NOT NULL,"
	 " PRIMARY KEY(digest, server)) WITHOUT ROWID;"
	 "CREATE INDEX IF NOT EXISTS push_seen_server ON push_seen(server, seq);"
	 "CREATE INDEX IF NOT EXISTS push_seen_seq ON push_seen(seq);"
	 "CREATE TABLE IF NOT EXISTS push_state("
	 " one INTEGER PRIMARY KEY CHECK(one = 1),"
	 " seq INTEGER NOT NULL,"
	 " rows INTEGER NOT NULL,"
	 " pin_failures INTEGER NOT NULL,"
	 " pin_last INTEGER NOT NULL);"
	 "INSERT OR IGNORE INTO push_state VALUES(1, 0, 0, 0, 0);"
	 "CREATE TRIGGER IF NOT EXISTS push_seen_added AFTER INSERT ON push_seen BEGIN"
	 " UPDATE push_state SET rows = rows + 1; END;"
	 "CREATE TRIGGER IF NOT EXISTS push_seen_removed AFTER DELETE ON push_seen BEGIN"
	 " UPDATE push_state SET rows = rows - 1; END;"
	 "CREATE TABLE IF NOT EXISTS naf_rate("
	 " naf TEXT PRIMARY KEY,"
	 " since INTEGER NOT NULL,"
	 " count INTEGER NOT NULL) WITHOUT ROWID;"
	 "CREATE INDEX IF NOT EXISTS naf_rate_since ON naf_rate(since);"
	 "CREATE TABLE IF NOT EXISTS sms_alt("
	 " message INTEGER NOT NULL REFERENCES sms_message(id) ON DELETE CASCADE,"
	 " seq INTEGER NOT NULL,"
	 " alt INTEGER NOT NULL,"
	 " tpdu BLOB NOT NULL,"
	 " PRIMARY KEY(message, seq, alt)) WITHOUT ROWID;"
	 "CREATE TRIGGER IF NOT EXISTS sms_alt_added AFTER INSERT ON sms_alt BEGIN"
	 " UPDATE sms_message SET bytes = bytes + length(new.tpdu) WHERE id = new.message;"
	 " UPDATE sms_totals SET bytes = bytes + length(new.tpdu); END;"
	 "DROP TABLE IF EXISTS sms_seen;"),
};

static int exec(struct ub_tree *t, const char *sql)
{
	return sqlite3_exec(t->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : UB_E_IO;
}

static char *col(sqlite3_stmt *st, int i)
{
	return (char *)sqlite3_column_text(st, i);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

static int user_version(struct ub_tree *t, int *version)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(t->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : UB_E_IO;
}

/* 6: the references that older versions stored in another spelling
 * ("ConnMO/x", "./ConnMO//x", "./ConnMO/x/") into the one the tree holds
 * now, read as ub_uri_canon() reads what a tree already holds (resolved,
 * not refused); a value whose ".." go above the root names no node and
 * stays as it is.  Every leaf is read once, here only. */
static int migrate_references(struct ub_tree *t)
{
	struct fix {
		char *uri, *value;
	} *v = NULL, *x;
	sqlite3_stmt *st = NULL, *up = NULL;
	char canon[UB_URI_MAX + 1];
	size_t n = 0, cap = 0, i;
	int rc = SQLITE_DONE, err = 0;

	if (sqlite3_prepare_v2(
		    t->db,
		    "SELECT uri, value FROM node WHERE format <> 'node' AND value IS NOT "
		    "NULL",
		    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(t->db, "UPDATE node SET value = ?2 WHERE uri = ?1", -1, &up, NULL) !=
		    SQLITE_OK)
		err = UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *uri = col(st, 0), *value = col(st, 1);

		if (!uri || !value || !ub_dm_is_reference(uri, value) ||
		    ub_uri_canon(value, canon, sizeof(canon), true, NULL) || !strcmp(canon, value))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(x = realloc(v, cap * sizeof(*v)))) {
				err = UB_E_NOMEM;
				break;
			}
			v = x;
		}
		v[n].uri = strdup(uri);
		v[n].value = strdup(canon);
		if (!v[n].uri || !v[n].value)
			err = UB_E_NOMEM;
		n++;
	}
	if (!err && rc != SQLITE_DONE)
		err = UB_E_IO;
	for (i = 0; !err && i < n; i++) {
		if (sqlite3_bind_text(up, 1, v[i].uri, -1, SQLITE_STATIC) ||
		    sqlite3_bind_text(up, 2, v[i].value, -1, SQLITE_STATIC) ||
		    sqlite3_step(up) != SQLITE_DONE)
			err = UB_E_IO;
		sqlite3_reset(up);
	}
	for (i = 0; i < n; i++)
		free(v[i].uri), free(v[i].value);
	free(v);
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return err;
}

static int migrate(struct ub_tree *t)
{
	int version = 0, err;

	if ((err = user_version(t, &version)))
		return err;
	if (version > SCHEMA_VERSION)
		return UB_E_NOT_SUPPORTED; /* written by a newer uiccboot */
	if (version == SCHEMA_VERSION)
		return 0;
	/* Read the version again inside the write transaction: another
	 * process (or a reader thread of --all-readers) may have migrated
	 * the tree meanwhile. */
	if ((err = exec(t, "BEGIN IMMEDIATE")))
		return err;
	err = user_version(t, &version);
	if (!err && version > SCHEMA_VERSION)
		err = UB_E_NOT_SUPPORTED;
	for (; !err && version < SCHEMA_VERSION; version++) {
		err = exec(t, migrations[version]);
		if (!err && version == 5)
			err = migrate_references(t);
	}
	if (!err && version == SCHEMA_VERSION) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
		err = exec(t, sql);
	}
	if (!err)
		err = exec(t, "COMMIT");
	if (err)
		exec(t, "ROLLBACK");
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* One deadline for every wait on another writer: opening the tree (the
 * switch to WAL and a migration together) and each write transaction wait
 * at most t->busy_ms (UB_STORE_BUSY_MS) for the lock, then fail as busy
 * (ub_store_busy), never longer.  A wait outside those has a deadline of
 * its own. */
static void deadline(struct ub_tree *t, bool on)
{
	t->deadline = on ? now_ms() + t->busy_ms : 0;
}

static int busy_wait(void *arg, int n)
{
	struct ub_tree *t = arg;
	long long now = now_ms(), left;

	if (!t->deadline && !n)
		t->episode = now + t->busy_ms;
	left = (t->deadline ? t->deadline : t->episode) - now;
	if (left <= 0)
		return 0;
	sqlite3_sleep((int)(left < 10 ? left : n < 3 ? 1 << n : 10));
	return 1;
}

/* Switching a new file to WAL takes a lock that the busy handler does not
 * wait for: several processes (or --all-readers threads) opening a new
 * tree at once get SQLITE_BUSY.  Retried until the deadline. */
static int set_wal(struct ub_tree *t)
{
	int rc;

	for (;;) {
		rc = sqlite3_exec(t->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
		if (rc != SQLITE_BUSY)
			return rc == SQLITE_OK ? 0 : UB_E_IO;
		if (now_ms() >= t->deadline) {
			t->busy = true;
			return UB_E_IO;
		}
		sqlite3_sleep(10);
	}
}

enum {
	ST_GET,
	ST_COUNT,
	ST_EXISTS,
	ST_OWNER,
	ST_SOURCE,
	ST_FORMAT,
	ST_CONNMOS_OF,
	ST_SIZE,
	ST_REFERRERS,
	ST_REFERENCED_OTHER,
	ST_MIXED,
	ST_INSERT,
	ST_DELETE_SUB,
	ST_FOREIGN,
	ST_LEAVES,
	ST_EACH,
	ST_ACCOUNTS,
	ST_SOURCE_ROOTS,
	ST_ORPHAN,
	ST_DELETE_SOURCE,
	ST_DELETE_PROV,
	ST_SOURCES,
	ST_DIGEST,
	ST_SET_DIGEST,
	ST_FORGET_DIGESTS,
	ST_VALUE,
	ST_SET_VALUE,
	ST_CHILDREN,
	ST_OWNED_CHILD,
	ST_SMS_FIND,
	ST_SMS_GET,
	ST_SMS_NEW,
	ST_SMS_PART,
	ST_SMS_ADD_PART,
	ST_SMS_PARTS,
	ST_SMS_TOTALS,
	ST_SMS_OLDEST,
	ST_SMS_OLDER,
	ST_SMS_DELETE,
	ST_SMS_COMPLETE,
	ST_SMS_SET_PENDING,
	ST_SMS_LIST,
	ST_SMS_BY_DIGEST,
	ST_SMS_ATTEMPT,
	ST_SMS_SET_STATE,
	ST_SMS_ALTS,
	ST_SMS_ADD_ALT,
	ST_SMS_PENDING_OF,
	ST_PUSH_SEEN,
	ST_PUSH_NEWEST,
	ST_PUSH_SEQ_NEXT,
	ST_PUSH_SEQ,
	ST_PUSH_ADD,
	ST_PUSH_ROWS,
	ST_PUSH_FATTEST,
	ST_PUSH_DROP_OLDEST_OF,
	ST_PUSH_DROP_OLDEST,
	ST_PIN_GET,
	ST_PIN_ADD,
	ST_PIN_RESET,
	ST_NAF_PRUNE,
	ST_NAF_GET,
	ST_NAF_ROWS,
	ST_NAF_ADD,
};

/* The columns of struct ub_store_sms_msg, in its order. */
#define SMS_COLS                                                                         \
	"id, state, held, total, attempts, bytes, since, originator, ifnull(kind, ''), " \
	"ifnull(sec, '') "

static const char *const sql[] = {
	[ST_GET] = "SELECT uri, format, type, value, acl, server, source FROM node WHERE uri = ?1",
	[ST_COUNT] = "SELECT count(*) FROM node",
	[ST_EXISTS] = "SELECT 1 FROM node WHERE uri = ?1",
	[ST_OWNER] = "SELECT ifnull(server, '') FROM node WHERE uri = ?1",
	[ST_SOURCE] = "SELECT ifnull(source, '') FROM node WHERE uri = ?1",
	[ST_FORMAT] = "SELECT format FROM node WHERE uri = ?1",
	[ST_SIZE] = "SELECT nodes, text FROM tree_size WHERE id = 1",
	[ST_CONNMOS_OF] = "SELECT uri FROM node INDEXED BY node_server_parent WHERE parent = ?1 "
			  "AND server IS ?2 AND source = ?3 ORDER BY uri",
	[ST_REFERRERS] = "SELECT uri, value FROM node WHERE " NAMES_1 " ORDER BY uri",
	/* another party's: a server's other than ?2, or the device's (?2 a
	 * server), or any server's (?2 NULL: the device) */
	[ST_REFERENCED_OTHER] = "SELECT 1 FROM node WHERE " NAMES_1 " AND server IS NOT ?2 LIMIT 1",
	[ST_MIXED] = "SELECT 1 FROM node WHERE " SUBTREE_1
		     " AND (server IS NOT ?2 OR source IS NOT ?3) LIMIT 1",
	[ST_INSERT] = "INSERT INTO node(uri, parent, format, type, value, acl, server, source) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[ST_DELETE_SUB] = "DELETE FROM node WHERE " SUBTREE_1,
	[ST_FOREIGN] = "SELECT count(*) FROM node WHERE " SUBTREE_1 " AND server IS NOT ?2",
	[ST_LEAVES] = "SELECT count(*) FROM node WHERE uri >= ?1 || '/' AND uri < ?1 || '0' "
		      "AND format <> 'node'",
	[ST_EACH] =
		"SELECT uri, format, type, value, acl, server, source FROM node WHERE " SUBTREE_1
		" ORDER BY uri",
	/* the account node is a direct child of the container, owned by
	 * its ServerID, and the ServerID leaf a direct child of the account:
	 * nothing deeper */
	[ST_ACCOUNTS] =
		"SELECT a.uri FROM node a INDEXED BY node_server_parent "
		"JOIN node s ON s.uri = a.uri || '/' || ?2 "
		"WHERE a.server = ?3 AND a.parent = ?1 AND s.parent = a.uri AND s.value = ?3 "
		"AND s.format <> 'node' ORDER BY a.uri",
	[ST_SOURCE_ROOTS] = "SELECT n.uri FROM node n LEFT JOIN node p ON p.uri = n.parent "
			    "WHERE n.source = ?1 AND p.source IS NOT ?1 ORDER BY n.uri",
	[ST_ORPHAN] = "SELECT c.uri FROM node c JOIN node p ON p.uri = c.parent "
		      "WHERE p.source = ?1 AND c.source IS NOT ?1 LIMIT 1",
	[ST_DELETE_SOURCE] = "DELETE FROM node WHERE source = ?1",
	[ST_DELETE_PROV] = "DELETE FROM provenance WHERE source = ?1",
	/* a prefix as a range, so the source index serves it */
	[ST_SOURCES] = "SELECT source FROM node WHERE source >= ?1 AND source < ?2 "
		       "UNION SELECT source FROM provenance WHERE source >= ?1 AND source < ?2",
	[ST_DIGEST] = "SELECT digest FROM provenance WHERE source = ?1",
	[ST_FORGET_DIGESTS] = "DELETE FROM provenance WHERE source IS NOT ?2 AND source IN "
			      "(SELECT DISTINCT source FROM node WHERE " SUBTREE_1 ")",
	[ST_SET_DIGEST] = "INSERT OR REPLACE INTO provenance(source, digest, applied) "
			  "VALUES(?1, ?2, strftime('%s', 'now'))",
	[ST_VALUE] = "SELECT value FROM node WHERE uri = ?1 AND format <> 'node'",
	[ST_SET_VALUE] = "UPDATE node SET value = ?2 WHERE uri = ?1 AND value IS NOT ?2",
	[ST_CHILDREN] = "SELECT uri FROM node WHERE parent = ?1 ORDER BY uri",
	[ST_OWNED_CHILD] = "SELECT uri FROM node WHERE parent = ?1 AND server = ?2 ORDER BY uri "
			   "LIMIT 1",
	[ST_SMS_FIND] = "SELECT " SMS_COLS "FROM sms_message WHERE key = ?1",
	[ST_SMS_GET] = "SELECT " SMS_COLS "FROM sms_message WHERE id = ?1",
	[ST_SMS_NEW] =
		"INSERT INTO sms_message(key, originator, total, since) VALUES(?1, ?2, ?3, ?4)",
	[ST_SMS_PART] = "SELECT tpdu FROM sms_part WHERE message = ?1 AND seq = ?2",
	[ST_SMS_ADD_PART] = "INSERT INTO sms_part(message, seq, tpdu) VALUES(?1, ?2, ?3)",
	[ST_SMS_PARTS] = "SELECT seq, tpdu FROM sms_part WHERE message = ?1 ORDER BY seq",
	[ST_SMS_TOTALS] = "SELECT messages, bytes FROM sms_totals WHERE one = 1",
	[ST_SMS_OLDEST] = "SELECT " SMS_COLS "FROM sms_message WHERE state = ?1 AND id <> ?2 "
			  "ORDER BY since, id LIMIT 1",
	[ST_SMS_OLDER] = "SELECT " SMS_COLS "FROM sms_message WHERE since < ?1 ORDER BY since, id",
	[ST_SMS_DELETE] = "DELETE FROM sms_message WHERE id = ?1",
	[ST_SMS_COMPLETE] = "SELECT " SMS_COLS "FROM sms_message WHERE state = 0 AND held >= total "
			    "ORDER BY id",
	[ST_SMS_SET_PENDING] = "UPDATE sms_message SET state = 1, since = ?2, digest = ?3, "
			       "kind = ?4, sec = ?5, attempts = 0 WHERE id = ?1",
	[ST_SMS_LIST] = "SELECT " SMS_COLS "FROM sms_message ORDER BY id",
	[ST_SMS_BY_DIGEST] = "SELECT " SMS_COLS "FROM sms_message WHERE digest = ?1 LIMIT 1",
	[ST_SMS_ATTEMPT] = "UPDATE sms_message SET attempts = attempts + 1 WHERE id = ?1",
	[ST_SMS_SET_STATE] = "UPDATE sms_message SET state = ?2 WHERE id = ?1",
	[ST_SMS_ALTS] = "SELECT seq, alt, tpdu FROM sms_alt WHERE message = ?1 ORDER BY seq, alt",
	[ST_SMS_ADD_ALT] =
		"INSERT INTO sms_alt(message, seq, alt, tpdu) VALUES(?1, ?2, (SELECT count(*) + 1 "
		"FROM sms_alt WHERE message = ?1 AND seq = ?2), ?3)",
	/* the sender is the key's first octets (message_key in src/boot/sms.c):
	 * only pending rows are read, by the state index */
	[ST_SMS_PENDING_OF] = "SELECT " SMS_COLS "FROM sms_message INDEXED BY sms_message_state "
			      "WHERE state = 1 AND substr(key, 1, ?2) = ?1 ORDER BY since, id",
	/* in force: the newest row of its ServerID */
	[ST_PUSH_SEEN] = "SELECT s.server, s.seq, s.at, s.seq = (SELECT max(p.seq) FROM push_seen "
			 "p WHERE p.server = s.server) FROM push_seen s WHERE s.digest = ?1 ORDER "
			 "BY s.seq",
	[ST_PUSH_NEWEST] = "SELECT seq, at FROM push_seen WHERE server = ?1 ORDER BY seq DESC "
			   "LIMIT 1",
	[ST_PUSH_SEQ_NEXT] = "UPDATE push_state SET seq = seq + 1 WHERE one = 1",
	[ST_PUSH_SEQ] = "SELECT seq, rows FROM push_state WHERE one = 1",
	[ST_PUSH_ADD] = "INSERT INTO push_seen(digest, server, seq, at) VALUES(?1, ?2, ?3, ?4) "
			"ON CONFLICT(digest, server) DO UPDATE SET seq = excluded.seq, at = "
			"excluded.at",
	[ST_PUSH_ROWS] = "SELECT rows, 0 FROM push_state WHERE one = 1",
	[ST_PUSH_FATTEST] = "SELECT server, count(*) AS n FROM push_seen GROUP BY server ORDER BY "
			    "n DESC, min(seq) LIMIT 1",
	[ST_PUSH_DROP_OLDEST_OF] = "DELETE FROM push_seen WHERE server = ?1 AND seq = (SELECT "
				   "min(seq) FROM push_seen WHERE server = ?1)",
	[ST_PUSH_DROP_OLDEST] = "DELETE FROM push_seen WHERE seq = (SELECT min(seq) FROM "
				"push_seen)",
	[ST_PIN_GET] = "SELECT pin_failures, pin_last FROM push_state WHERE one = 1",
	[ST_PIN_ADD] = "UPDATE push_state SET pin_failures = max(0, pin_failures + ?1), pin_last "
		       "= CASE WHEN ?1 > 0 THEN ?2 ELSE pin_last END WHERE one = 1",
	[ST_PIN_RESET] = "UPDATE push_state SET pin_failures = 0 WHERE one = 1",
	[ST_NAF_PRUNE] = "DELETE FROM naf_rate WHERE since < ?1",
	[ST_NAF_GET] = "SELECT count, since FROM naf_rate WHERE naf = ?1",
	[ST_NAF_ROWS] = "SELECT count(*), 0 FROM naf_rate",
	[ST_NAF_ADD] = "INSERT INTO naf_rate(naf, since, count) VALUES(?1, ?2, 1) ON "
		       "CONFLICT(naf) DO UPDATE SET count = count + 1",
};

#define NSTMT (sizeof(sql) / sizeof(sql[0]))

/* The statement, prepared once per tree handle, with text parameters
 * bound (a NULL one binds NULL). */
static sqlite3_stmt *stmt(struct ub_tree *t, unsigned id, int n, const char *a, const char *b,
			  const char *c)
{
	const char *v[3] = {a, b, c};
	sqlite3_stmt *st;
	int i;

	if (!t->st) {
		t->st = calloc(NSTMT, sizeof(*t->st));
		if (!t->st)
			return NULL;
	}
	st = t->st[id];
	if (!st && sqlite3_prepare_v3(t->db, sql[id], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) !=
			   SQLITE_OK)
		return NULL;
	t->st[id] = st;
	for (i = 0; i < n; i++)
		if (sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_STATIC) != SQLITE_OK)
			return NULL;
	return st;
}

static void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* Run a statement that returns no rows. */
static int run(struct ub_tree *t, unsigned id, int n, const char *a, const char *b, const char *c)
{
	sqlite3_stmt *st = stmt(t, id, n, a, b, c);
	int rc;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	done(st);
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

/* The first column of the first row into out (may be NULL): 1, 0 (no
 * row) or UB_E_IO. */
static int one(struct ub_tree *t, unsigned id, int n, const char *a, const char *b, const char *c,
	       char *out, size_t max)
{
	sqlite3_stmt *st = stmt(t, id, n, a, b, c);
	const unsigned char *v;
	int rc;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out) {
		v = sqlite3_column_text(st, 0);
		if (snprintf(out, max, "%s", v ? (const char *)v : "") >= (int)max)
			rc = SQLITE_TOOBIG;
	}
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : UB_E_IO;
}

static int count(struct ub_tree *t, unsigned id, const char *a, const char *b, int n)
{
	sqlite3_stmt *st = stmt(t, id, n, a, b, NULL);
	int rc, c = UB_E_IO;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		c = sqlite3_column_int(st, 0);
	done(st);
	return c;
}

/* Each row's first column through cb; the row count or an error. */
static int rows(struct ub_tree *t, unsigned id, int n, const char *a, const char *b,
		int (*cb)(const char *s, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(t, id, n, a, b, NULL);
	int rc, k = 0, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);

		err = cb(s ? s : "", arg);
		k++;
	}
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? k : UB_E_IO;
}

int ub_store_begin(struct ub_tree *t)
{
	int err;

	if (t->read_only)
		return UB_E_USAGE; /* opened to read (UB_TREE_READ) */
	deadline(t, true);
	err = exec(t, "BEGIN IMMEDIATE");
	t->busy = err && (sqlite3_errcode(t->db) & 0xFF) == SQLITE_BUSY;
	deadline(t, false);
	return err;
}

long long ub_store_busy(struct ub_tree *t)
{
	return t->busy ? t->busy_ms : 0;
}

int ub_store_commit(struct ub_tree *t)
{
	return exec(t, "COMMIT");
}

void ub_store_rollback(struct ub_tree *t)
{
	exec(t, "ROLLBACK");
}

int ub_store_exists(struct ub_tree *t, const char *uri)
{
	return one(t, ST_EXISTS, 1, uri, NULL, NULL, NULL, 0);
}

int ub_store_owner(struct ub_tree *t, const char *uri, char *out, size_t max)
{
	return one(t, ST_OWNER, 1, uri, NULL, NULL, out, max);
}

int ub_store_source(struct ub_tree *t, const char *uri, char *out, size_t max)
{
	return one(t, ST_SOURCE, 1, uri, NULL, NULL, out, max);
}

int ub_store_format(struct ub_tree *t, const char *uri, char *out, size_t max)
{
	return one(t, ST_FORMAT, 1, uri, NULL, NULL, out, max);
}

int ub_store_connmos_of(struct ub_tree *t, const char *container, const char *server,
			const char *source, int (*cb)(const char *uri, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(t, ST_CONNMOS_OF, 3, container, server, source);
	int rc, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW)
		err = cb((const char *)sqlite3_column_text(st, 0), arg);
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

/* The first two columns of a row that may be absent: 1 (*a, *b), 0 (none:
 * both 0) or UB_E_IO. */
static int pair_if_any(sqlite3_stmt *st, long long *a, long long *b)
{
	int rc;

	*a = *b = 0;
	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*a = sqlite3_column_int64(st, 0);
		*b = sqlite3_column_int64(st, 1);
	}
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : UB_E_IO;
}

/* The two integers of a statement's one row (a counter row). */
static int pair(sqlite3_stmt *st, long long *a, long long *b)
{
	int r = pair_if_any(st, a, b);

	return r == 1 ? 0 : r ? r : UB_E_IO;
}

int ub_store_size(struct ub_tree *t, long long *nodes, long long *text)
{
	return pair(stmt(t, ST_SIZE, 0, NULL, NULL, NULL), nodes, text);
}

int ub_store_check_capacity(struct ub_tree *t, struct ub_status *st)
{
	long long nodes, text;
	int err = ub_store_size(t, &nodes, &text);

	if (err)
		return err;
	if (nodes > t->max_nodes || text > t->max_text)
		return ub_fail(st, UB_E_POLICY, 0, NULL,
			       "the device tree would hold %lld nodes and %lld bytes of text, more "
			       "than its capacity (%lld nodes, %lld bytes): nothing is written",
			       nodes, text, t->max_nodes, t->max_text);
	return 0;
}

int ub_store_referrers(struct ub_tree *t, const char *uri,
		       int (*cb)(const char *uri, const char *value, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(t, ST_REFERRERS, 1, uri, NULL, NULL);
	int rc, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW)
		err = cb(col(st, 0), col(st, 1), arg);
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_referenced_by_other(struct ub_tree *t, const char *uri, const char *server)
{
	return one(t, ST_REFERENCED_OTHER, 2, uri, server, NULL, NULL, 0);
}

int ub_store_mixed(struct ub_tree *t, const char *root, const char *server, const char *source)
{
	return one(t, ST_MIXED, 3, root, server, source, NULL, 0);
}

int ub_store_insert(struct ub_tree *t, const struct ub_store_row *r)
{
	sqlite3_stmt *st = stmt(t, ST_INSERT, 3, r->uri, r->parent, r->format);
	int rc;

	if (!st || sqlite3_bind_text(st, 4, r->type, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 5, r->value, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 6, r->acl ? r->acl : "", -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 7, r->server, -1, SQLITE_STATIC) ||
	    sqlite3_bind_text(st, 8, r->source, -1, SQLITE_STATIC)) {
		if (st)
			done(st);
		return UB_E_IO;
	}
	rc = sqlite3_step(st);
	done(st);
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_delete_subtree(struct ub_tree *t, const char *root)
{
	return run(t, ST_DELETE_SUB, 1, root, NULL, NULL);
}

int ub_store_count_foreign(struct ub_tree *t, const char *root, const char *server)
{
	return count(t, ST_FOREIGN, root, server, 2);
}

int ub_store_count_leaves(struct ub_tree *t, const char *root)
{
	return count(t, ST_LEAVES, root, NULL, 1);
}

int ub_store_each(struct ub_tree *t, const char *root,
		  int (*cb)(const struct ub_tree_node *n, void *arg), void *arg)
{
	sqlite3_stmt *st = stmt(t, ST_EACH, 1, root, NULL, NULL);
	struct ub_tree_node n;
	int rc, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		n.uri = col(st, 0), n.format = col(st, 1), n.type = col(st, 2);
		n.value = col(st, 3), n.acl = col(st, 4), n.server = col(st, 5);
		n.source = col(st, 6);
		err = cb(&n, arg);
	}
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

struct first {
	char *out;
	size_t max;
	int n;
};

static int first_cb(const char *s, void *arg)
{
	struct first *f = arg;

	if (!f->n++ && snprintf(f->out, f->max, "%s", s) >= (int)f->max)
		return UB_E_IO;
	return 0;
}

int ub_store_accounts_of(struct ub_tree *t, const struct ub_dm_layout *l, const char *server_id,
			 char *out, size_t max)
{
	struct first f = {out, max, 0};
	sqlite3_stmt *st = stmt(t, ST_ACCOUNTS, 3, l->accounts, l->server_leaf, server_id);
	int rc, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW)
		err = first_cb(col(st, 0), &f);
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? f.n : UB_E_IO;
}

int ub_store_source_roots(struct ub_tree *t, const char *source,
			  int (*cb)(const char *uri, void *arg), void *arg)
{
	return rows(t, ST_SOURCE_ROOTS, 1, source, NULL, cb, arg);
}

int ub_store_source_orphan(struct ub_tree *t, const char *source, char *out, size_t max)
{
	return one(t, ST_ORPHAN, 1, source, NULL, NULL, out, max);
}

int ub_store_delete_source(struct ub_tree *t, const char *source)
{
	return run(t, ST_DELETE_SOURCE, 1, source, NULL, NULL)
		       ?: run(t, ST_DELETE_PROV, 1, source, NULL, NULL);
}

int ub_store_sources(struct ub_tree *t, const char *prefix,
		     int (*cb)(const char *source, void *arg), void *arg)
{
	char hi[64];
	size_t n = strlen(prefix);
	int k;

	/* the first string after every one that starts with prefix */
	if (!n || n >= sizeof(hi) || (unsigned char)prefix[n - 1] == 0xFF)
		return UB_E_USAGE;
	memcpy(hi, prefix, n + 1);
	hi[n - 1]++;
	k = rows(t, ST_SOURCES, 2, prefix, hi, cb, arg);
	return k < 0 ? k : 0;
}

int ub_store_digest(struct ub_tree *t, const char *source, char *out, size_t max)
{
	return one(t, ST_DIGEST, 1, source, NULL, NULL, out, max);
}

int ub_store_set_digest(struct ub_tree *t, const char *source, const char *digest)
{
	return run(t, ST_SET_DIGEST, 2, source, digest, NULL);
}

int ub_store_forget_digests(struct ub_tree *t, const char *root, const char *except)
{
	return run(t, ST_FORGET_DIGESTS, 2, root, except, NULL);
}

int ub_store_value(struct ub_tree *t, const char *uri, char *out, size_t max)
{
	return one(t, ST_VALUE, 1, uri, NULL, NULL, out, max);
}

int ub_store_set_value(struct ub_tree *t, const char *uri, const char *value, bool *changed)
{
	int err = run(t, ST_SET_VALUE, 2, uri, value, NULL);

	*changed = !err && sqlite3_changes(t->db) > 0;
	return err;
}

int ub_store_children(struct ub_tree *t, const char *uri, int (*cb)(const char *name, void *arg),
		      void *arg)
{
	return rows(t, ST_CHILDREN, 1, uri, NULL, cb, arg);
}

int ub_store_owned_child(struct ub_tree *t, const char *parent, const char *server, char *out,
			 size_t max)
{
	return one(t, ST_OWNED_CHILD, 2, parent, server, NULL, out, max);
}

/* Why SQLite failed, in words, and the error it is: the file's kind or
 * state (not a database, damaged, not writable) and the system's errno. */
static int sqlite_fail(struct ub_tree *t, int rc, bool read_only, struct ub_status *st)
{
	int sys = t->db ? sqlite3_system_errno(t->db) : 0, err = UB_E_IO;
	const char *what = t->db ? sqlite3_errmsg(t->db) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_OK: /* a failure whose code a ROLLBACK after it cleared */
		what = "its schema could not be created or migrated";
		break;
	case SQLITE_NOTADB:
		err = UB_E_BAD_DATA;
		what = "not an SQLite database (a file of another kind, or encrypted): give the "
		       "device tree's path, or move this file away";
		break;
	case SQLITE_CORRUPT:
		err = UB_E_BAD_DATA;
		what = "the database is damaged: restore the tree from an export (tree import)";
		break;
	case SQLITE_READONLY:
		err = UB_E_CANT_CREATE;
		what = "cannot be written (an immutable file, or a read-only mount)";
		break;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		what = "locked by another process for longer than 5 s: try again";
		break;
	case SQLITE_CANTOPEN:
		if (rc == SQLITE_CANTOPEN_SYMLINK || sys == ELOOP) {
			err = UB_E_POLICY;
			what = "a symbolic link took its place or its -wal's or -shm's; refusing "
			       "to "
			       "follow it";
		} else if (sys == EACCES || sys == EPERM || sys == EROFS) {
			err = read_only ? UB_E_NO_INPUT : UB_E_CANT_CREATE;
		}
		break;
	}
	return ub_fail(st, err, 0, NULL, "%s%s%s", what, sys && err != UB_E_POLICY ? ": " : "",
		       sys && err != UB_E_POLICY ? strerror(sys) : "");
}

/* The open's reads and writes once the file is SQLite's and checked: the
 * schema checked, created or migrated (see ub_store_open). */
static int open_schema(struct ub_tree *t, bool read_only,
		       int (*verify)(void *arg, struct ub_status *st), void *arg,
		       struct ub_status *st)
{
	int rc, version = 0, err;

	/* SQLITE_OPEN_READWRITE falls back to reading when the file cannot
	 * be written (an immutable file, say) */
	if (!read_only && sqlite3_db_readonly(t->db, "main") == 1)
		return sqlite_fail(t, SQLITE_READONLY, false, st);
	/* the first read: the file's header, the -wal and -shm opened */
	if ((rc = user_version(t, &version)))
		return sqlite_fail(t, sqlite3_extended_errcode(t->db), read_only, st);
	/* and the -wal and -shm it opened are the tree's, before a write */
	if ((err = verify(arg, st)))
		return err;
	if (version > SCHEMA_VERSION) {
		return ub_fail(st, UB_E_NOT_SUPPORTED, 0, NULL,
			       "written by a newer uiccboot (schema %d; this one knows %d)",
			       version, SCHEMA_VERSION);
	}
	if (read_only) {
		/* nothing is written: not even a migration */
		if (version == 0) {
			return ub_fail(st, UB_E_NO_INPUT, 0, NULL,
				       "holds no device tree yet (an empty database)");
		}
		if (version < SCHEMA_VERSION) {
			return ub_fail(
				st, UB_E_NOT_SUPPORTED, 0, NULL,
				"written by an older uiccboot (schema %d; this one knows %d): "
				"open it once for writing (a bootstrap, say), which migrates it",
				version, SCHEMA_VERSION);
		}
		return exec(t, "PRAGMA foreign_keys=ON;")
			       ? sqlite_fail(t, sqlite3_extended_errcode(t->db), true, st)
			       : 0;
	}
	err = set_wal(t);
	if (!err)
		err = exec(t, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			      "PRAGMA secure_delete=ON;");
	if (!err && (err = migrate(t)) == UB_E_NOT_SUPPORTED) {
		return ub_fail(st, err, 0, NULL, "written by a newer uiccboot (its schema)");
	}
	if (err)
		return sqlite_fail(t, sqlite3_extended_errcode(t->db), false, st);
	return 0;
}

int ub_store_open(struct ub_tree *t, const char *path, bool read_only,
		  int (*verify)(void *arg, struct ub_status *st), void *arg, struct ub_status *st)
{
	int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
		    SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW;
	int rc, err;

	t->max_nodes = UB_TREE_NODES_MAX;
	t->max_text = UB_TREE_TEXT_MAX;
	t->read_only = read_only;
	/* NOFOLLOW: a symbolic link anywhere in path is refused (the caller
	 * gives the directory as the kernel names it), and SQLite opens the
	 * -wal and -shm with O_NOFOLLOW too */
	if ((rc = sqlite3_open_v2(path, &t->db, flags, NULL)) != SQLITE_OK)
		return sqlite_fail(t, t->db ? sqlite3_extended_errcode(t->db) : rc, read_only, st);
	/* the file SQLite opened is the one checked, before it is read */
	if ((err = verify(arg, st)))
		return err;
	sqlite3_extended_result_codes(t->db, 1);
	/* A new tree's pages are 1 KiB (SQLite's default is 4): the first
	 * transaction writes every table and index of the schema, each at
	 * least a page, all held in the page cache until it commits, which
	 * made it the largest use of the heap on a first power-on (its peak
	 * is about 240 KiB lower, valgrind massif on a first import).  A tree's rows are small, so
	 * a 1000-node bootstrap into 40 000 nodes is no slower (make bench).  A no-op on a tree
	 * that exists: its page size is set. */
	sqlite3_exec(t->db, "PRAGMA page_size = 1024", NULL, NULL, NULL);
	if (!t->busy_ms)
		t->busy_ms = UB_STORE_BUSY_MS;
	sqlite3_busy_handler(t->db, busy_wait, t);
	deadline(t, true);
	err = open_schema(t, read_only, verify, arg, st);
	if (err && !t->busy)
		t->busy = (sqlite3_errcode(t->db) & 0xFF) == SQLITE_BUSY;
	deadline(t, false);
	return err;
}

int ub_store_get(struct ub_tree *t, const char *uri, struct ub_tree_node *n)
{
	sqlite3_stmt *st = stmt(t, ST_GET, 1, uri, NULL, NULL);
	int rc, err = UB_E_NOT_FOUND;

	memset(n, 0, sizeof(*n));
	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n->uri = dup_col(st, 0);
		n->format = dup_col(st, 1);
		n->type = dup_col(st, 2);
		n->value = dup_col(st, 3);
		n->acl = dup_col(st, 4);
		n->server = dup_col(st, 5);
		n->source = dup_col(st, 6);
		err = n->uri && n->format && n->acl ? 0 : UB_E_NOMEM;
	} else if (rc != SQLITE_DONE) {
		err = UB_E_IO;
	}
	done(st);
	if (err && err != UB_E_NOT_FOUND)
		ub_tree_node_free(n);
	return err;
}

int ub_store_count(struct ub_tree *t)
{
	return count(t, ST_COUNT, NULL, NULL, 0);
}

void ub_store_close(struct ub_tree *t)
{
	size_t i;

	for (i = 0; t->st && i < NSTMT; i++)
		sqlite3_finalize(t->st[i]);
	free(t->st);
	t->st = NULL;
	sqlite3_close(t->db);
	t->db = NULL;
}

/* --- SMS fragments (schema 5) --- */

/* The statement with parameters bound by fmt: 'i' a long long, 't' a
 * text (NULL binds NULL), 'b' a blob (pointer, then size_t length). */
static sqlite3_stmt *sms_stmt(struct ub_tree *t, unsigned id, const char *fmt, ...)
{
	sqlite3_stmt *st = stmt(t, id, 0, NULL, NULL, NULL);
	va_list ap;
	int i, rc = SQLITE_OK;

	if (!st)
		return NULL;
	va_start(ap, fmt);
	for (i = 0; fmt[i] && rc == SQLITE_OK; i++) {
		if (fmt[i] == 'i') {
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
		} else if (fmt[i] == 't') {
			rc = sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1,
					       SQLITE_STATIC);
		} else {
			const void *p = va_arg(ap, const void *);
			size_t n = va_arg(ap, size_t);

			rc = sqlite3_bind_blob(st, i + 1, p, (int)n, SQLITE_STATIC);
		}
	}
	va_end(ap);
	if (rc != SQLITE_OK) {
		done(st);
		return NULL;
	}
	return st;
}

static int sms_run(sqlite3_stmt *st)
{
	int rc;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	done(st);
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

static void sms_row(sqlite3_stmt *st, struct ub_store_sms_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->state = sqlite3_column_int(st, 1);
	m->held = (unsigned)sqlite3_column_int(st, 2);
	m->total = (unsigned)sqlite3_column_int(st, 3);
	m->attempts = (unsigned)sqlite3_column_int(st, 4);
	m->bytes = (unsigned long)sqlite3_column_int64(st, 5);
	m->since = sqlite3_column_int64(st, 6);
	snprintf(m->originator, sizeof(m->originator), "%s", col(st, 7) ? col(st, 7) : "");
	snprintf(m->kind, sizeof(m->kind), "%s", col(st, 8) ? col(st, 8) : "");
	snprintf(m->sec, sizeof(m->sec), "%s", col(st, 9) ? col(st, 9) : "");
}

/* The first row into m: 1, 0 (none) or UB_E_IO. */
static int sms_one(sqlite3_stmt *st, struct ub_store_sms_msg *m)
{
	int rc;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sms_row(st, m);
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : UB_E_IO;
}

/* Every row through cb (a non-zero return stops and is returned). */
static int sms_each(sqlite3_stmt *st, int (*cb)(const struct ub_store_sms_msg *m, void *arg),
		    void *arg)
{
	struct ub_store_sms_msg m;
	int rc, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sms_row(st, &m);
		err = cb(&m, arg);
	}
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_sms_find(struct ub_tree *t, const void *key, size_t klen, struct ub_store_sms_msg *m)
{
	return sms_one(sms_stmt(t, ST_SMS_FIND, "b", key, klen), m);
}

int ub_store_sms_get(struct ub_tree *t, long long id, struct ub_store_sms_msg *m)
{
	return sms_one(sms_stmt(t, ST_SMS_GET, "i", id), m);
}

int ub_store_sms_new(struct ub_tree *t, const void *key, size_t klen, const char *originator,
		     unsigned total, long long since, long long *id)
{
	int err = sms_run(
		sms_stmt(t, ST_SMS_NEW, "btii", key, klen, originator, (long long)total, since));

	*id = err ? 0 : sqlite3_last_insert_rowid(t->db);
	return err;
}

int ub_store_sms_part(struct ub_tree *t, long long id, unsigned seq, uint8_t *out, size_t max,
		      size_t *len)
{
	sqlite3_stmt *st = sms_stmt(t, ST_SMS_PART, "ii", id, (long long)seq);
	int rc, n;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 0);
		if (n < 0 || (size_t)n > max) {
			rc = SQLITE_TOOBIG;
		} else {
			memcpy(out, sqlite3_column_blob(st, 0), (size_t)n);
			*len = (size_t)n;
		}
	}
	done(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_sms_add_part(struct ub_tree *t, long long id, unsigned seq, const uint8_t *tpdu,
			  size_t n)
{
	return sms_run(sms_stmt(t, ST_SMS_ADD_PART, "iib", id, (long long)seq, tpdu, n));
}

int ub_store_sms_parts(struct ub_tree *t, long long id,
		       int (*cb)(unsigned seq, const uint8_t *tpdu, size_t n, void *arg), void *arg)
{
	sqlite3_stmt *st = sms_stmt(t, ST_SMS_PARTS, "i", id);
	int rc, err = 0, n;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 1);
		err = cb((unsigned)sqlite3_column_int(st, 0), sqlite3_column_blob(st, 1),
			 n < 0 ? 0 : (size_t)n, arg);
	}
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_sms_totals(struct ub_tree *t, unsigned long *messages, unsigned long *bytes)
{
	long long m, b;
	int err = pair(sms_stmt(t, ST_SMS_TOTALS, ""), &m, &b);

	if (!err) {
		*messages = (unsigned long)m;
		*bytes = (unsigned long)b;
	}
	return err;
}

int ub_store_sms_oldest(struct ub_tree *t, int state, long long except, struct ub_store_sms_msg *m)
{
	return sms_one(sms_stmt(t, ST_SMS_OLDEST, "ii", (long long)state, except), m);
}

int ub_store_sms_older(struct ub_tree *t, long long before,
		       int (*cb)(const struct ub_store_sms_msg *m, void *arg), void *arg)
{
	return sms_each(sms_stmt(t, ST_SMS_OLDER, "i", before), cb, arg);
}

int ub_store_sms_delete(struct ub_tree *t, long long id)
{
	return sms_run(sms_stmt(t, ST_SMS_DELETE, "i", id));
}

int ub_store_sms_complete(struct ub_tree *t, int (*cb)(const struct ub_store_sms_msg *m, void *arg),
			  void *arg)
{
	return sms_each(sms_stmt(t, ST_SMS_COMPLETE, ""), cb, arg);
}

int ub_store_sms_set_pending(struct ub_tree *t, long long id, long long since,
			     const uint8_t digest[32], const char *kind, const char *sec)
{
	return sms_run(
		sms_stmt(t, ST_SMS_SET_PENDING, "iibtt", id, since, digest, (size_t)32, kind, sec));
}

int ub_store_sms_list(struct ub_tree *t, int (*cb)(const struct ub_store_sms_msg *m, void *arg),
		      void *arg)
{
	return sms_each(sms_stmt(t, ST_SMS_LIST, ""), cb, arg);
}

int ub_store_sms_by_digest(struct ub_tree *t, const uint8_t digest[32], struct ub_store_sms_msg *m)
{
	return sms_one(sms_stmt(t, ST_SMS_BY_DIGEST, "b", digest, (size_t)32), m);
}

int ub_store_sms_attempt(struct ub_tree *t, long long id)
{
	return sms_run(sms_stmt(t, ST_SMS_ATTEMPT, "i", id));
}

int ub_store_sms_set_state(struct ub_tree *t, long long id, int state)
{
	return sms_run(sms_stmt(t, ST_SMS_SET_STATE, "ii", id, (long long)state));
}

int ub_store_sms_alts(struct ub_tree *t, long long id,
		      int (*cb)(unsigned seq, unsigned alt, const uint8_t *tpdu, size_t n,
				void *arg),
		      void *arg)
{
	sqlite3_stmt *st = sms_stmt(t, ST_SMS_ALTS, "i", id);
	int rc, err = 0, n;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		n = sqlite3_column_bytes(st, 2);
		err = cb((unsigned)sqlite3_column_int(st, 0), (unsigned)sqlite3_column_int(st, 1),
			 sqlite3_column_blob(st, 2), n < 0 ? 0 : (size_t)n, arg);
	}
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_sms_add_alt(struct ub_tree *t, long long id, unsigned seq, const uint8_t *tpdu,
			 size_t n)
{
	return sms_run(sms_stmt(t, ST_SMS_ADD_ALT, "iib", id, (long long)seq, tpdu, n));
}

int ub_store_sms_pending_of(struct ub_tree *t, const void *sender, size_t n,
			    int (*cb)(const struct ub_store_sms_msg *m, void *arg), void *arg)
{
	return sms_each(sms_stmt(t, ST_SMS_PENDING_OF, "bi", sender, n, (long long)n), cb, arg);
}

/* --- what the device remembers of pushes (schema 6) --- */

int ub_store_push_seen(struct ub_tree *t, const uint8_t digest[32],
		       int (*cb)(const struct ub_store_seen *s, void *arg), void *arg)
{
	sqlite3_stmt *st = sms_stmt(t, ST_PUSH_SEEN, "b", digest, (size_t)32);
	struct ub_store_seen s;
	int rc, err = 0;

	if (!st)
		return UB_E_IO;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&s, 0, sizeof(s));
		snprintf(s.server, sizeof(s.server), "%s", col(st, 0) ? col(st, 0) : "");
		s.seq = sqlite3_column_int64(st, 1);
		s.at = sqlite3_column_int64(st, 2);
		s.in_force = sqlite3_column_int(st, 3) != 0;
		err = cb(&s, arg);
	}
	done(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? 0 : UB_E_IO;
}

int ub_store_push_newest(struct ub_tree *t, const char *server, long long *seq, long long *at)
{
	return pair_if_any(sms_stmt(t, ST_PUSH_NEWEST, "t", server), seq, at);
}

int ub_store_push_next(struct ub_tree *t, long long *seq)
{
	long long rows;
	int err = sms_run(sms_stmt(t, ST_PUSH_SEQ_NEXT, ""));

	return err ? err : pair(sms_stmt(t, ST_PUSH_SEQ, ""), seq, &rows);
}

int ub_store_push_add(struct ub_tree *t, const uint8_t digest[32], const char *server,
		      long long seq, long long at)
{
	return sms_run(sms_stmt(t, ST_PUSH_ADD, "btii", digest, (size_t)32, server, seq, at));
}

int ub_store_push_rows(struct ub_tree *t, long long *rows)
{
	long long zero;

	return pair(sms_stmt(t, ST_PUSH_ROWS, ""), rows, &zero);
}

int ub_store_push_forget_one(struct ub_tree *t)
{
	sqlite3_stmt *st = sms_stmt(t, ST_PUSH_FATTEST, "");
	char server[256] = "";
	long long n = 0;
	int rc;

	if (!st)
		return UB_E_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(server, sizeof(server), "%s", col(st, 0) ? col(st, 0) : "");
		n = sqlite3_column_int64(st, 1);
	}
	done(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return UB_E_IO;
	/* the oldest of the ServerID that holds the most, never the one in
	 * force for it; when each holds only that, the oldest of all */
	if (n > 1)
		return sms_run(sms_stmt(t, ST_PUSH_DROP_OLDEST_OF, "t", server)) ?: 1;
	return sms_run(sms_stmt(t, ST_PUSH_DROP_OLDEST, "")) ?: 1;
}

int ub_store_pin_failures(struct ub_tree *t, unsigned *failures, long long *last)
{
	long long f;
	int err = pair(sms_stmt(t, ST_PIN_GET, ""), &f, last);

	if (!err)
		*failures = (unsigned)f;
	return err;
}

int ub_store_pin_add(struct ub_tree *t, int delta, long long at)
{
	return sms_run(sms_stmt(t, ST_PIN_ADD, "ii", (long long)delta, at));
}

int ub_store_pin_reset(struct ub_tree *t)
{
	return sms_run(sms_stmt(t, ST_PIN_RESET, ""));
}

int ub_store_naf_prune(struct ub_tree *t, long long before)
{
	return sms_run(sms_stmt(t, ST_NAF_PRUNE, "i", before));
}

int ub_store_naf_count(struct ub_tree *t, const char *naf, unsigned *count, long long *since)
{
	long long c;
	int k = pair_if_any(sms_stmt(t, ST_NAF_GET, "t", naf), &c, since);

	*count = (unsigned)c;
	return k;
}

int ub_store_naf_rows(struct ub_tree *t, long long *rows)
{
	long long zero;

	return pair(sms_stmt(t, ST_NAF_ROWS, ""), rows, &zero);
}

int ub_store_naf_add(struct ub_tree *t, const char *naf, long long now)
{
	return sms_run(sms_stmt(t, ST_NAF_ADD, "ti", naf, now));
}

/* A node as ub_store_get filled it (the public ub_tree_node_free: the
 * store makes nodes, so it frees them). */
void ub_tree_node_free(struct ub_tree_node *n)
{
	if (n->value) /* an AAuthSecret, perhaps */
		OPENSSL_cleanse(n->value, strlen(n->value));
	free(n->uri);
	free(n->format);
	free(n->type);
	free(n->value);
	free(n->acl);
	free(n->server);
	free(n->source);
	memset(n, 0, sizeof(*n));
}
