/* Opening the device tree (tree.h): the modes (a read never creates, a
 * reader writes nothing), and each way a tree cannot be opened, with its
 * error and a reason that names the file and the cause.  The error codes'
 * names and messages (ub_error.h).
 */
// LIBS: -lsqlite3
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpdb.h"
#include "tree.h"
#include "ub_error.h"
#include "version.h"

static char dir[64], path[96];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ub-open-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/dmtree.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[128];

	(void)state;
	tmpdb_remove(path);
	snprintf(p, sizeof(p), "%s/sub", dir);
	rmdir(p);
	rmdir(dir);
	return 0;
}

static bool exists(const char *p)
{
	struct stat st;

	return !lstat(p, &st);
}

static void write_file(const char *p, const char *text, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void set_user_version(const char *p, int v)
{
	char sql[64];
	sqlite3 *db;

	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int user_version(const char *p)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* A read of a mistyped path is an error, not a new empty tree. */
static void read_never_creates(void **state)
{
	static const enum ub_tree_mode modes[] = {UB_TREE_READ, UB_TREE_WRITE};
	struct ub_tree *t = (struct ub_tree *)1;
	struct ub_status st = {0};
	struct stat sb;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(ub_tree_open_mode(path, modes[i], &t, &st), UB_E_NO_INPUT);
		assert_null(t);
		assert_false(exists(path));
		assert_non_null(strstr(st.what, path));
		assert_non_null(strstr(st.what, "no such file"));
	}
	/* the writers create it, 0600 */
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_CREATE, &t, &st), 0);
	assert_int_equal(st.err, 0);
	ub_tree_close(t);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* and then the readers open it */
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_READ, &t, &st), 0);
	assert_int_equal(ub_tree_count(t), 1);
	ub_tree_close(t);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_WRITE, &t, NULL), 0);
	ub_tree_close(t);
	/* ub_tree_open and UB_TREE_CREATE create, as they did */
	tmpdb_remove(path);
	assert_int_equal(ub_tree_open(path, &t), 0);
	ub_tree_close(t);
	assert_true(exists(path));
}

static void missing_directory(void **state)
{
	struct ub_tree *t;
	struct ub_status st = {0};
	char p[128], d[96];

	(void)state;
	snprintf(d, sizeof(d), "%s/sub", dir);
	snprintf(p, sizeof(p), "%s/dmtree.db", d);
	assert_int_equal(ub_tree_open_mode(p, UB_TREE_READ, &t, &st), UB_E_NO_INPUT);
	assert_non_null(strstr(st.what, p));
	assert_non_null(strstr(st.what, "does not exist"));
	assert_int_equal(ub_tree_open_mode(p, UB_TREE_CREATE, &t, &st), UB_E_CANT_CREATE);
	assert_non_null(strstr(st.what, "cannot create"));
	assert_non_null(strstr(st.what, d));
	assert_false(exists(d));
	/* not the name of a file */
	snprintf(p, sizeof(p), "%s/", dir);
	assert_int_equal(ub_tree_open_mode(p, UB_TREE_CREATE, &t, &st), UB_E_USAGE);
}

/* A file that is not a database: said so, with its name, and no stale
 * errno ("No such file or directory") from an earlier call. */
static void not_a_database(void **state)
{
	static const enum ub_tree_mode modes[] = {UB_TREE_READ, UB_TREE_WRITE, UB_TREE_CREATE};
	struct ub_tree *t;
	struct ub_status st = {0};
	size_t i;

	(void)state;
	write_file(path, "this is a text file and not an SQLite database at all, no, not one\n",
		   0600);
	for (i = 0; i < 3; i++) {
		errno = ENOENT;
		assert_int_equal(ub_tree_open_mode(path, modes[i], &t, &st), UB_E_BAD_DATA);
		assert_null(t);
		assert_non_null(strstr(st.what, path));
		assert_non_null(strstr(st.what, "not an SQLite database"));
		assert_null(strstr(st.what, "No such file"));
	}
	/* UB_TREE_CREATE gives the reason too */
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_CREATE, &t, &st), UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "not an SQLite database"));
}

/* An empty file (a creation cut short): no tree yet for a reader, a tree
 * for a writer. */
static void empty_file(void **state)
{
	struct ub_tree *t;
	struct ub_status st = {0};
	struct stat sb;

	(void)state;
	write_file(path, "", 0600);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_READ, &t, &st), UB_E_NO_INPUT);
	assert_non_null(strstr(st.what, "no device tree yet"));
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 0);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_WRITE, &t, &st), 0);
	assert_int_equal(ub_tree_count(t), 1);
	ub_tree_close(t);
}

/* A reader writes nothing: no migration, and the writing calls refuse. */
static void reader_writes_nothing(void **state)
{
	struct ub_tree *t;
	struct ub_status st = {0};

	(void)state;
	assert_int_equal(ub_tree_open(path, &t), 0);
	ub_tree_close(t);
	/* an older schema: refused to a reader, not migrated; a writer migrates */
	set_user_version(path, 4);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_READ, &t, &st), UB_E_NOT_SUPPORTED);
	assert_non_null(strstr(st.what, "older"));
	assert_int_equal(user_version(path), 4);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_WRITE, &t, &st), 0);
	ub_tree_close(t);
	assert_true(user_version(path) > 4);
	/* a newer one: refused to both */
	set_user_version(path, 99);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_READ, &t, &st), UB_E_NOT_SUPPORTED);
	assert_non_null(strstr(st.what, "newer"));
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_CREATE, &t, &st), UB_E_NOT_SUPPORTED);
}

/* A leaf write on a read-only handle: refused before the store (usage),
 * the value unchanged; the same on a writing handle goes in. */
static void read_only_handle(void **state)
{
	struct ub_tree *t;
	struct ub_tree_node n;
	sqlite3 *db;

	(void)state;
	assert_int_equal(ub_tree_open(path, &t), 0);
	ub_tree_close(t);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO node(uri, parent, format, value, acl) VALUES("
				      "'./Leaf', '.', 'chr', 'old', 'Get=*&Replace=*')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_READ, &t, NULL), 0);
	assert_int_equal(ub_tree_replace_as(t, "srv", "./Leaf", "new"), UB_E_USAGE);
	assert_int_equal(ub_tree_get(t, "./Leaf", &n), 0);
	assert_string_equal(n.value, "old");
	ub_tree_node_free(&n);
	ub_tree_close(t);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_WRITE, &t, NULL), 0);
	assert_int_equal(ub_tree_replace_as(t, "srv", "./Leaf", "new"), 0);
	assert_int_equal(ub_tree_get(t, "./Leaf", &n), 0);
	assert_string_equal(n.value, "new");
	ub_tree_node_free(&n);
	ub_tree_close(t);
}

/* Another user's private tree, and a directory we may not write: as
 * nobody (run in a child that gives up root). */
static int as_nobody(const char *p, enum ub_tree_mode mode, const char *expect)
{
	struct ub_tree *t;
	struct ub_status st = {0};
	pid_t pid = fork();
	int status, err;

	if (pid == 0) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		err = ub_tree_open_mode(p, mode, &t, &st);
		if (!strstr(st.what, p) || !strstr(st.what, expect)) {
			fprintf(stderr, "why: %s\n", st.what);
			_exit(101);
		}
		_exit(-err);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

static void other_users_tree(void **state)
{
	struct ub_tree *t;
	struct ub_status st = {0};
	char p[128];

	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(ub_tree_open(path, &t), 0);
	ub_tree_close(t);
	assert_int_equal(chmod(dir, 0755), 0); /* nobody may reach the file */
	assert_int_equal(as_nobody(path, UB_TREE_READ, "not readable by us"), UB_E_NO_INPUT);
	assert_int_equal(as_nobody(path, UB_TREE_WRITE, "not writable by us"), UB_E_CANT_CREATE);
	snprintf(p, sizeof(p), "%s/new.db", dir);
	assert_int_equal(as_nobody(p, UB_TREE_CREATE, "not writable by us"), UB_E_CANT_CREATE);
	assert_false(exists(p));
	assert_int_equal(chmod(dir, 0700), 0);
	/* a directory of another user's (not root): refused to us */
	assert_int_equal(chown(dir, 65534, 65534), 0);
	assert_int_equal(ub_tree_open_mode(path, UB_TREE_READ, &t, &st), UB_E_POLICY);
	assert_non_null(strstr(st.what, "belongs to uid 65534"));
	assert_string_equal(st.where, path); /* the file, whichever check refused it */
	assert_int_equal(st.err, UB_E_POLICY);
	assert_int_equal(chown(dir, 0, 0), 0);
}

/* Every code has a stable, distinct name and a message. */
static void error_names(void **state)
{
	int e, f;

	(void)state;
	for (e = 0; e > -UB_E__COUNT; e--) {
		assert_true(ub_errname(e)[0] && ub_strerror(e)[0]);
		for (f = e - 1; f > -UB_E__COUNT; f--)
			assert_string_not_equal(ub_errname(e), ub_errname(f));
	}
	assert_string_equal(ub_errname(UB_E_NO_INPUT), "no-input");
	assert_string_equal(ub_errname(UB_E_CANT_CREATE), "cannot-create");
	assert_string_equal(ub_errname(UB_E_CONFIG), "config");
	assert_string_equal(ub_errname(UB_E_IO), "io");
	assert_string_equal(ub_errname(-UB_E__COUNT), "internal"); /* out of range */
	assert_string_equal(ub_errname(1), "internal");
	/* the version the headers say is the library's */
	assert_string_equal(ub_version(), UB_VERSION_STRING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(read_never_creates, setup, teardown),
		cmocka_unit_test_setup_teardown(missing_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(reader_writes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(read_only_handle, setup, teardown),
		cmocka_unit_test_setup_teardown(other_users_tree, setup, teardown),
		cmocka_unit_test(error_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
