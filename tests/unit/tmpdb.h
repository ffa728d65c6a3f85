/* A name for a new SQLite file of a unit test, and the file's removal
 * with its WAL and shared-memory files.  The files live in a directory of
 * the test process's own (mode 0700, removed at exit when empty): a device
 * tree's directory must be writable by nobody else (tree.h). */
#ifndef TMPDB_H
#define TMPDB_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char tmpdb_dir_name[32];

static inline void tmpdb_rmdir(void)
{
	rmdir(tmpdb_dir_name);
}

/* path (at least 64 bytes): BASE/ub-unit-XXXXXX/STEM-XXXXXX made unique,
 * no file there; the directory is made on the first call (BASE of the
 * first call) */
static inline void tmpdb_name(char *path, size_t max, const char *base, const char *stem)
{
	int fd;

	if (!tmpdb_dir_name[0]) {
		snprintf(tmpdb_dir_name, sizeof(tmpdb_dir_name), "%s/ub-unit-XXXXXX", base);
		if (mkdtemp(tmpdb_dir_name))
			atexit(tmpdb_rmdir);
		else
			snprintf(tmpdb_dir_name, sizeof(tmpdb_dir_name), "%s", base);
	}
	snprintf(path, max, "%s/%s-XXXXXX", tmpdb_dir_name, stem);
	fd = mkstemp(path);
	if (fd >= 0)
		close(fd);
	unlink(path);
}

static inline void tmpdb_remove(const char *path)
{
	char p[300];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

#endif
