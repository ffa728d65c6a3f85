/* Attacker's tests of the tree's open: a file or a link put in the place
 * of the tree or of its -wal between the checks and SQLite's open (the
 * swap is made from inside sqlite3_open_v2, through the linker's --wrap),
 * a -wal of another user's planted beforehand, a tree in a directory that
 * others may write.  Only calls that 2e3cd81 had are used: the same file
 * runs against the code before the fix, where these tests fail.
 */
// LIBS: -Wl,--wrap=sqlite3_open_v2
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
#include <unistd.h>

#include <cmocka.h>

#include "tmpdb.h"
#include "tree.h"
#include "ub_error.h"

static char dir[64], tree[96], other[96], victim[96];

int __real_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);

/* What the attacker does at the moment SQLite opens: once. */
static void (*swap)(void);

int __wrap_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int __wrap_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs)
{
	void (*f)(void) = swap;

	swap = NULL;
	if (f)
		f();
	return __real_sqlite3_open_v2(filename, db, flags, vfs);
}

/* A tree at p, created and closed (its -wal and -shm gone with the last
 * connection). */
static void make_tree(const char *p)
{
	struct ub_tree *t;

	assert_int_equal(ub_tree_open(p, &t), 0);
	ub_tree_close(t);
}

static off_t size_of(const char *p)
{
	struct stat st;

	return stat(p, &st) ? -1 : st.st_size;
}

static bool exists(const char *p)
{
	struct stat st;

	return !lstat(p, &st);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/ub-swap-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(tree, sizeof(tree), "%s/dmtree.db", dir);
	snprintf(other, sizeof(other), "%s/other.db", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	return 0;
}

static int teardown(void **state)
{
	char p[128];

	(void)state;
	swap = NULL;
	tmpdb_remove(tree);
	tmpdb_remove(other);
	unlink(victim);
	snprintf(p, sizeof(p), "%s-wal", victim);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", victim);
	unlink(p);
	rmdir(dir);
	return 0;
}

/* the tree swapped for a symbolic link to the attacker's database */
static void link_for_tree(void)
{
	char aside[128];

	snprintf(aside, sizeof(aside), "%s.aside", tree);
	if (rename(tree, aside) || symlink(other, tree))
		fail_msg("swap: %s", strerror(errno));
}

static void symlink_swapped_for_tree(void **state)
{
	struct ub_tree *t = NULL;
	struct ub_status st = {0};
	char aside[128];
	off_t before;
	int err;

	(void)state;
	make_tree(tree);
	make_tree(other);
	before = size_of(other);
	swap = link_for_tree;
	err = ub_tree_open_mode(tree, UB_TREE_CREATE, &t, &st);
	/* 2e3cd81: SQLite followed the link and the attacker's database was
	 * the tree (read from, written to, its -wal beside it) */
	assert_int_equal(err, UB_E_POLICY);
	assert_null(t);
	assert_non_null(strstr(st.what, "symbolic link"));
	assert_int_equal(size_of(other), before);
	snprintf(aside, sizeof(aside), "%s-wal", other);
	assert_false(exists(aside));
	ub_tree_close(t);
	snprintf(aside, sizeof(aside), "%s.aside", tree);
	unlink(aside);
}

/* the tree swapped for another regular file (renamed into its place) */
static void file_for_tree(void)
{
	if (rename(other, tree))
		fail_msg("swap: %s", strerror(errno));
}

static void file_swapped_for_tree(void **state)
{
	struct ub_tree *t = NULL;
	struct ub_status st = {0};
	int err;

	(void)state;
	make_tree(tree);
	make_tree(other);
	swap = file_for_tree;
	err = ub_tree_open_mode(tree, UB_TREE_CREATE, &t, &st);
	/* 2e3cd81: the file put there was opened as the tree it had checked */
	assert_int_equal(err, UB_E_POLICY);
	assert_null(t);
	assert_non_null(strstr(st.what, "replaced"));
}

/* a symbolic link put in the place of the -wal SQLite is about to create */
static void link_for_wal(void)
{
	char wal[128];

	snprintf(wal, sizeof(wal), "%s-wal", tree);
	if (symlink(victim, wal))
		fail_msg("swap: %s", strerror(errno));
}

static void symlink_swapped_for_wal(void **state)
{
	struct ub_tree *t = NULL;
	struct ub_status st = {0};
	FILE *f;
	int err;

	(void)state;
	make_tree(tree);
	f = fopen(victim, "w");
	assert_non_null(f);
	fputs("keep\n", f);
	fclose(f);
	swap = link_for_wal;
	err = ub_tree_open_mode(tree, UB_TREE_CREATE, &t, &st);
	/* SQLite opens its -wal with O_NOFOLLOW: the victim is safe on
	 * 2e3cd81 too, but the refusal was "[io]" with no reason */
	assert_int_equal(err, UB_E_POLICY);
	assert_null(t);
	assert_non_null(strstr(st.what, "symbolic link"));
	assert_non_null(strstr(st.what, "dmtree.db"));
	assert_int_equal(size_of(victim), 5);
}

/* A -wal of another user's, mode 0600, planted while no one has the tree
 * open: SQLite would read its frames as the tree's newest pages (an
 * account the attacker wrote) and write the tree's into it. */
static void others_wal_refused(void **state)
{
	struct ub_tree *t = NULL;
	struct ub_status st = {0};
	char wal[128];
	int fd, err;

	(void)state;
	if (geteuid() != 0)
		skip(); /* chown needs root */
	make_tree(tree);
	snprintf(wal, sizeof(wal), "%s-wal", tree);
	fd = open(wal, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chown(wal, 65534, 65534), 0);
	err = ub_tree_open_mode(tree, UB_TREE_CREATE, &t, &st);
	/* 2e3cd81: private, so accepted, whoever owned it */
	assert_int_equal(err, UB_E_POLICY);
	assert_null(t);
	assert_non_null(strstr(st.what, "-wal"));
	assert_non_null(strstr(st.what, "65534"));
}

/* A tree in a directory everyone may write (sticky or not): a file of
 * another user's could take the name of its -wal or -shm, which SQLite
 * creates at every first open, between any check and the open. */
static void shared_directory_refused(void **state)
{
	static const mode_t modes[] = {01777, 0777, 0775};
	struct ub_tree *t = NULL;
	struct ub_status st = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		assert_int_equal(chmod(dir, modes[i]), 0);
		st.what[0] = '\0';
		/* 2e3cd81: made and opened there */
		assert_int_equal(ub_tree_open_mode(tree, UB_TREE_CREATE, &t, &st), UB_E_POLICY);
		assert_null(t);
		assert_non_null(strstr(st.what, "writable by others"));
		assert_false(exists(tree));
	}
	assert_int_equal(chmod(dir, 0700), 0);
	make_tree(tree);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(symlink_swapped_for_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(file_swapped_for_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(symlink_swapped_for_wal, setup, teardown),
		cmocka_unit_test_setup_teardown(others_wal_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(shared_directory_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
