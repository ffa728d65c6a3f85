/* A name for a new SQLite file of a unit test, and the file's removal
 * with its WAL and shared-memory files. */
#ifndef TMPDB_H
#define TMPDB_H
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* path (at least 64 bytes): DIR/STEM-XXXXXX made unique, no file there */
static inline void tmpdb_name(char *path, size_t max, const char *dir, const char *stem)
{
	int fd;

	snprintf(path, max, "%s/%s-XXXXXX", dir, stem);
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
