/* libFuzzer target: our WBXML walk against libwbxml itself.  Each input is
 * a document; the walk's verdict is what ub_plan_decode() decides before it
 * calls libwbxml (ub_wbxml_check, then the public id filter), and libwbxml
 * runs in a child process exactly as ub_plan_decode() runs it.  The oracle:
 * a document the walk accepts must not kill the child (a signal: abort,
 * segfault, or the 2 s alarm).  Disagreements that are no crash (the walk
 * accepts and libwbxml fails, or the walk refuses what libwbxml converts)
 * are counted and reported at exit; with UB_DIFF_DIR set, the first few of
 * each kind are written there as files to look at.  The child's stderr
 * goes to /dev/null unless UB_DIFF_CHILD_STDERR is set. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sanitizer/common_interface_defs.h>
#include <wbxml/wbxml.h>
#include <wbxml/wbxml_conv.h>

#include "ub_decoders.h"
#include "ub_plan.h"

#define CHILD_SECONDS 2
#define SAVE_MAX 50

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum outcome { LIB_OK, LIB_ERROR, LIB_DIED };

static struct {
	unsigned long inputs, accepted, accepted_error, refused, refused_ok, refused_died;
	unsigned saved_error, saved_ok;
} stats;

static void child_died(void)
{
	/* a sanitizer report in the child: die by a signal, as libwbxml would */
	signal(SIGABRT, SIG_DFL);
	abort();
}

/* What ub_plan_decode() does with the bytes, and nothing else. */
static void child(const uint8_t *b, size_t n)
{
	static const int sigs[] = {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGALRM};
	WBXMLConvWBXML2XML *conv = NULL;
	WB_UTINY *xml = NULL;
	WB_ULONG xml_len = 0;
	size_t i;
	int rc, null;

	/* libwbxml's assertion messages would flood the log: the parent
	 * prints the input that killed the child */
	null = open("/dev/null", O_WRONLY);
	if (null >= 0 && !getenv("UB_DIFF_CHILD_STDERR"))
		dup2(null, 2);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		signal(sigs[i], SIG_DFL); /* not libFuzzer's or the sanitizer's handlers */
	__sanitizer_set_death_callback(child_died);
	alarm(CHILD_SECONDS);
	if (wbxml_conv_wbxml2xml_create(&conv) != WBXML_OK)
		_exit(2);
	wbxml_conv_wbxml2xml_set_gen_type(conv, WBXML_GEN_XML_COMPACT);
	wbxml_conv_wbxml2xml_enable_preserve_whitespaces(conv);
	rc = wbxml_conv_wbxml2xml_run(conv, (WB_UTINY *)b, (WB_ULONG)n, &xml, &xml_len);
	wbxml_conv_wbxml2xml_destroy(conv);
	_exit(rc == WBXML_OK && xml ? 0 : 1);
}

static enum outcome run_libwbxml(const uint8_t *b, size_t n, int *sig)
{
	pid_t pid;
	int status;

	*sig = 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		abort();
	}
	if (pid == 0)
		child(b, n);
	while (waitpid(pid, &status, 0) < 0)
		;
	if (WIFSIGNALED(status)) {
		*sig = WTERMSIG(status);
		return LIB_DIED;
	}
	return WEXITSTATUS(status) == 0 ? LIB_OK : LIB_ERROR;
}

static void save(const char *kind, unsigned *count, const uint8_t *b, size_t n)
{
	const char *dir = getenv("UB_DIFF_DIR");
	char path[4096];
	uint32_t h = 2166136261u;
	FILE *f;
	size_t i;

	if (!dir || *count >= SAVE_MAX)
		return;
	for (i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	snprintf(path, sizeof(path), "%s/%s-%08x", dir, kind, h);
	f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(b, 1, n, f);
	fclose(f);
	(*count)++;
}

static void summary(void)
{
	fprintf(stderr,
		"wbxml_diff: %lu inputs; walk accepted %lu (libwbxml failed on %lu); "
		"walk refused %lu (libwbxml converted %lu, died on %lu)\n",
		stats.inputs, stats.accepted, stats.accepted_error, stats.refused, stats.refused_ok,
		stats.refused_died);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	atexit(summary);
	return 0;
}

static void dump(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%02x", b[i]);
	fprintf(stderr, "\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ub_wbxml_info info;
	struct ub_status where = {0};
	bool accepted;
	enum outcome lib;
	int sig;

	if (!size || size > UB_DOC_MAX)
		return 0;
	stats.inputs++;
	accepted = ub_wbxml_check(data, size, &info, &where) == 0 &&
		   (info.public_id == UB_WBXML_SYNCML12 || info.public_id == UB_WBXML_SYNCML11 ||
		    info.public_id == UB_WBXML_PROV10);
	lib = run_libwbxml(data, size, &sig);
	if (accepted) {
		stats.accepted++;
		if (lib == LIB_DIED) {
			fprintf(stderr,
				"wbxml_diff: walk accepted, libwbxml died by signal %d: ", sig);
			dump(data, size);
			__builtin_trap();
		}
		if (lib == LIB_ERROR) {
			stats.accepted_error++;
			save("accepted-error", &stats.saved_error, data, size);
		}
	} else {
		stats.refused++;
		if (lib == LIB_OK) {
			stats.refused_ok++;
			save("refused-ok", &stats.saved_ok, data, size);
		} else if (lib == LIB_DIED) {
			stats.refused_died++;
		}
	}
	return 0;
}
