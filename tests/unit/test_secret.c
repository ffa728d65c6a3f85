/* Secrets from files and pipes, private files: what a local attacker
 * would plant, and what must be refused. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "ub_error.h"
#include "ub_secret.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/ub-secret-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[100];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

static const char *file(const char *name, const void *data, size_t n, mode_t mode)
{
	static char path[128];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

/* The secret read through a pipe holding data (n bytes). */
static int from_pipe(const void *data, size_t n, char *out, size_t max)
{
	int p[2], r;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], data, n), (ssize_t)n);
	close(p[1]);
	r = ub_secret_read_fd(p[0], out, max, NULL);
	close(p[0]);
	return r;
}

static void lines(void **state)
{
	char out[UB_SECRET_MAX + 1];
	struct ub_status st;
	char big[UB_SECRET_MAX + 2];

	assert_int_equal(from_pipe("1234\n", 5, out, sizeof(out)), 4);
	assert_string_equal(out, "1234");
	assert_int_equal(from_pipe("1234", 4, out, sizeof(out)), 4);
	assert_int_equal(from_pipe("1234\r\n", 6, out, sizeof(out)), 4);
	assert_string_equal(out, "1234");
	assert_int_equal(from_pipe("pass word \xc3\xa9\n", 13, out, sizeof(out)), 12);
	/* only the first line of a pipe is the secret */
	assert_int_equal(from_pipe("1234\nIMEI:1\n", 12, out, sizeof(out)), 4);
	/* exactly max - 1 bytes fit; one more does not */
	memset(big, 'a', sizeof(big));
	assert_int_equal(from_pipe(big, UB_SECRET_MAX, out, sizeof(out)), UB_SECRET_MAX);
	assert_int_equal(from_pipe(big, UB_SECRET_MAX + 1, out, sizeof(out)), UB_E_BAD_DATA);
	assert_int_equal(from_pipe("12345", 5, out, 5), UB_E_BAD_DATA);
	assert_int_equal(from_pipe("1234\r\n", 6, out, 5), 4);
	assert_int_equal(ub_secret_read_file(file("ok", "0000\n", 5, 0600), out, sizeof(out), &st),
			 4);
	assert_string_equal(out, "0000");
	assert_int_equal(ub_secret_read_file(file("ro", "0000", 4, 0400), out, sizeof(out), &st),
			 4);
}

/* Content that is no secret line: refused, and nothing of it kept. */
static void content_torture(void **state)
{
	static const struct {
		const char *data;
		size_t n;
	} bad[] = {
		{"", 0},
		{"\n", 1},
		{"\r\n", 2},
		{"12\x00"
		 "34",
		 5},
		{"12\x1b[2J", 7},
		{"12\t34", 5},
		{"\x7f", 1},
		{"12\r34", 5},
		{"\x07\n", 2},
		{"1234\r\r\n", 7},
	};
	char out[UB_SECRET_MAX + 1];
	struct ub_status st;
	size_t i, k;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(out, 'Z', sizeof(out));
		if (from_pipe(bad[i].data, bad[i].n, out, sizeof(out)) != UB_E_BAD_DATA)
			fail_msg("row %zu accepted", i);
		for (k = 0; k < sizeof(out); k++)
			if (out[k])
				fail_msg("row %zu: out not wiped at %zu", i, k);
	}
	/* a file: one line, nothing after it */
	assert_int_equal(
		ub_secret_read_file(file("two", "1234\n5678\n", 10, 0600), out, sizeof(out), &st),
		UB_E_BAD_DATA);
	assert_non_null(strstr(st.what, "more than one line"));
	assert_int_equal(
		ub_secret_read_file(file("blank", "1234\n\n", 6, 0600), out, sizeof(out), &st),
		UB_E_BAD_DATA);
	assert_int_equal(ub_secret_copy("12\x1b"
					"34",
					out, sizeof(out), &st),
			 UB_E_BAD_DATA);
	assert_null(strstr(st.what, "12"));
	assert_int_equal(ub_secret_copy("", out, sizeof(out), NULL), UB_E_BAD_DATA);
	assert_int_equal(ub_secret_copy("12345", out, 5, NULL), UB_E_BAD_DATA);
	assert_int_equal(ub_secret_copy("1234", out, 5, NULL), 4);
	assert_string_equal(out, "1234");
}

/* A file that others may read is no place for a secret. */
static void modes(void **state)
{
	static const mode_t bad[] = {0644, 0640, 0604, 0660, 0606, 0601, 0610, 0777};
	char out[64], path[128];
	struct ub_status st;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *f = file("m", "1234\n", 5, bad[i]);

		if (ub_secret_read_file(f, out, sizeof(out), &st) != UB_E_POLICY)
			fail_msg("mode %04o accepted", (unsigned)bad[i]);
		assert_non_null(strstr(st.what, "mode"));
		assert_string_equal(st.where, f); /* the file is where */
	}
	/* a FIFO others could open is refused too; its mode is checked
	 * before anything is read */
	snprintf(path, sizeof(path), "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_int_equal(chmod(path, 0644), 0);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(ub_secret_read_fd(fd, out, sizeof(out), &st), UB_E_POLICY);
	close(fd);
	unlink(path);
	assert_int_equal(ub_secret_read_file("/nonexistent/pin", out, sizeof(out), &st), UB_E_IO);
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	return st.st_mode & 07777;
}

static void private_files(void **state)
{
	struct ub_status st;
	char path[128], target[128], link2[128];
	int fd;

	/* ours and 0644: made 0600, by path (O_PATH) and by descriptor */
	snprintf(path, sizeof(path), "%s", file("db", "x", 1, 0644));
	assert_int_equal(ub_secret_path_private(path, false, false, &st), 0);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(chmod(path, 0664), 0);
	fd = open(path, O_RDONLY);
	assert_int_equal(ub_secret_file_private(fd, true, path, &st), 0);
	close(fd);
	assert_int_equal(mode_of(path), 0600);
	/* a missing optional file is fine, a missing required one is not */
	snprintf(target, sizeof(target), "%s/none", dir);
	assert_int_equal(ub_secret_path_private(target, true, false, &st), 0);
	assert_int_equal(ub_secret_path_private(target, false, false, &st), UB_E_IO);
	/* a symbolic link: refused, its target untouched */
	snprintf(target, sizeof(target), "%s", file("target", "keep", 4, 0644));
	snprintf(link2, sizeof(link2), "%s/link", dir);
	assert_int_equal(symlink(target, link2), 0);
	assert_int_equal(ub_secret_path_private(link2, true, false, &st), UB_E_POLICY);
	assert_non_null(strstr(st.what, "symbolic link"));
	assert_int_equal(ub_secret_create_private(link2, &st), UB_E_POLICY);
	assert_int_equal(mode_of(target), 0644);
	unlink(link2);
	/* a dangling link: not created through */
	snprintf(path, sizeof(path), "%s/created-by-link", dir);
	assert_int_equal(symlink(path, link2), 0);
	assert_int_equal(ub_secret_create_private(link2, &st), UB_E_POLICY);
	assert_int_equal(access(path, F_OK), -1);
	unlink(link2);
	/* a second name (hard link) */
	assert_int_equal(link(target, link2), 0);
	assert_int_equal(ub_secret_path_private(link2, false, false, &st), UB_E_POLICY);
	assert_non_null(strstr(st.what, "hard links"));
	unlink(link2);
	/* removed while being checked (SQLite's -wal and -shm on another
	 * connection's last close): no name left, not a hard link */
	snprintf(path, sizeof(path), "%s", file("db-wal", "x", 1, 0644));
	fd = open(path, O_PATH | O_NOFOLLOW);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(ub_secret_file_private(fd, false, path, &st), UB_E_NOT_FOUND);
	close(fd);
	/* not a regular file */
	assert_int_equal(ub_secret_path_private(dir, false, false, &st), UB_E_POLICY);
	assert_int_equal(ub_secret_create_private("/dev/null", &st), UB_E_POLICY);
	/* create: new file 0600; existing file of ours truncated and 0600 */
	snprintf(path, sizeof(path), "%s/trace", dir);
	fd = ub_secret_create_private(path, &st);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "> 00\n", 5), 5);
	close(fd);
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(chmod(path, 0644), 0);
	fd = ub_secret_create_private(path, &st);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(mode_of(path), 0600);
	{
		struct stat sb;

		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_size, 0);
	}
}

/* Another user's file: private or not, not ours to rewrite; shared, not
 * ours to keep using.  Needs root to make such a file. */
static void other_owner(void **state)
{
	struct ub_status st;
	char path[128];
	int fd;

	if (geteuid() != 0)
		skip();
	snprintf(path, sizeof(path), "%s", file("theirs", "data", 4, 0644));
	assert_int_equal(chown(path, 65534, 65534), 0);
	assert_int_equal(ub_secret_path_private(path, false, false, &st), UB_E_POLICY);
	assert_non_null(strstr(st.what, "0644"));
	assert_non_null(strstr(st.what, "uid 65534"));
	assert_int_equal(mode_of(path), 0644);
	assert_int_equal(ub_secret_create_private(path, &st), UB_E_POLICY);
	assert_int_equal(mode_of(path), 0644);
	{
		struct stat sb;

		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_size, 4); /* not truncated */
	}
	/* private but theirs: a tree may use it, a trace may not overwrite it */
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(ub_secret_path_private(path, false, false, &st), 0);
	fd = ub_secret_create_private(path, &st);
	assert_int_equal(fd, UB_E_POLICY);
}

static void harden(void **state)
{
	struct rlimit rl;
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		/* in a child: the test runner stays dumpable */
		if (ub_secret_harden_process() || getrlimit(RLIMIT_CORE, &rl) || rl.rlim_cur ||
		    rl.rlim_max || prctl(PR_GET_DUMPABLE) != 0)
			_exit(1);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lines),       cmocka_unit_test(content_torture),
		cmocka_unit_test(modes),       cmocka_unit_test(private_files),
		cmocka_unit_test(other_owner), cmocka_unit_test(harden),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
