/* uiccboot command line: global options, command dispatch, help, exit
 * codes, and the helpers every command uses (cli.h).  The commands
 * themselves come from main.c as a list, so that no command file and this
 * one call each other in a circle. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "hex.h"
#include "text.h"
#include "version.h"

/* The commands, in the order of the help (cli_main's list). */
static const struct ub_cmd *const *commands;
static size_t ncommands;

enum {
	OPT_WAIT = 0x1000,
	OPT_CHANNEL,
	OPT_RESET,
	OPT_TRACE,
	OPT_TRACE_SECRETS,
	OPT_JSON,
	OPT_PIN,
	OPT_PIN_FILE,
	OPT_POLICY,
	OPT_TREE,
	OPT_EXCLUSIVE
};

/* The global options, before or after the command's name; the short
 * forms are the vals that are letters. */
static const struct cli_opt global_opts[] = {
	{"reader", required_argument, 'r', "R", "reader by index, exact name or substring"},
	{"wait", required_argument, OPT_WAIT, "S", "wait up to S seconds for a reader and card"},
	{"verbose", no_argument, 'v', NULL, "APDU trace to stderr (secrets redacted)"},
	{"trace", required_argument, OPT_TRACE, "FILE", "APDU trace to FILE (scriptor format)"},
	{"trace-secrets", no_argument, OPT_TRACE_SECRETS, NULL,
	 "do not redact secrets in traces (labs only)"},
	{"json", no_argument, OPT_JSON, NULL,
	 "print one JSON object (streams: one a line), errors too"},
	{"exclusive", no_argument, OPT_EXCLUSIVE, NULL, "connect to the card exclusively"},
	{"reset", no_argument, OPT_RESET, NULL, "reset the card first (known state, fewest APDUs)"},
	{"channel", no_argument, OPT_CHANNEL, NULL, "use a logical channel (basic one if refused)"},
	{"pin", required_argument, OPT_PIN, "PIN", "PIN1 (others see it with ps: labs only)"},
	{"pin-file", required_argument, OPT_PIN_FILE, "FILE",
	 "PIN1 from FILE (mode 0600; -: stdin), or UICCBOOT_PIN"},
	{"policy", required_argument, OPT_POLICY, "FILE", "policy (default " UB_POLICY_DEFAULT ")"},
	{"tree", required_argument, OPT_TREE, "DB",
	 "device tree (UICCBOOT_TREE; default " UB_TREE_DEFAULT ")"},
	{"help", no_argument, 'h', NULL, "this help; COMMAND --help: the command's"},
	{"version", no_argument, 'V', NULL, "version"},
	{NULL, 0, 0, NULL, NULL},
};

#define NGLOBAL (sizeof(global_opts) / sizeof(global_opts[0]) - 1)

/* The options' lines of a help: "  --name ARG    what it does". */
static void print_opts(FILE *fp, const struct cli_opt *o, bool shorts)
{
	char left[64];

	for (; o && o->name; o++) {
		if (shorts && o->val < 128)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->val, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "%s--%s%s%s", shorts ? "    " : "", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		if (strlen(left) < 26)
			fprintf(fp, "  %-25s %s\n", left, o->help);
		else
			fprintf(fp, "  %s\n  %-25s %s\n", left, "", o->help);
	}
}

/* "usage: uiccboot [options] tree list [URI]" once per form of the
 * synopsis (forms are lines; a line that starts with a space goes on the
 * one before). */
static void print_synopsis(FILE *fp, const char *path, const char *syn)
{
	const char *nl;
	bool first = true;
	int n;

	do {
		nl = strchr(syn, '\n');
		n = nl ? (int)(nl - syn) : (int)strlen(syn);
		if (*syn == ' ')
			fprintf(fp, "      %.*s\n", n, syn);
		else
			fprintf(fp, "%s uiccboot [options] %s%s%.*s\n", first ? "usage:" : "      ",
				path, n ? " " : "", n, syn);
		first = false;
		syn = nl + 1;
	} while (nl);
}

/* --json anywhere (for -V and the errors met before the options are
 * parsed) */
static bool json_asked;

static void usage(FILE *fp)
{
	size_t i;
	const struct ub_cmd *c, *s;
	char names[80];
	int n;

	fprintf(fp, "usage: uiccboot [options] COMMAND [args]\n"
		    "       uiccboot COMMAND --help\n\n"
		    "options (before or after the command):\n");
	print_opts(fp, global_opts, true);
	fprintf(fp, "\ncommands:\n");
	for (i = 0; i < ncommands; i++) {
		c = commands[i];
		n = snprintf(names, sizeof(names), "%s", c->name);
		for (s = c->subs; s && s->name && n > 0 && (size_t)n < sizeof(names); s++)
			n += snprintf(names + n, sizeof(names) - (size_t)n, "%s%s",
				      s == c->subs ? " " : "|", s->name);
		if (strlen(names) < 28)
			fprintf(fp, "  %-28s %s\n", names, c->summary);
		else
			fprintf(fp, "  %s\n  %-28s %s\n", names, "", c->summary);
	}
	fprintf(fp,
		"\nexit codes (sysexits): 0 ok, 64 usage, 65 bad data or MAC,\n"
		"  66 no input (a file or the tree not there or not readable),\n"
		"  69 no service, reader, card or node, 70 internal, 73 cannot create or write,\n"
		"  74 I/O error, 77 refused (policy, PIN), 78 configuration (the policy file)\n");
}

/* The help of a command or a group, on stdout. */
static void cmd_help(const struct ub_cli *cli, const struct ub_cmd *c)
{
	const struct ub_cmd *s;

	if (c->subs) {
		print_synopsis(stdout, cli->path, "COMMAND [args]");
		printf("\n%s\n\ncommands:\n", c->text ? c->text : c->summary);
		for (s = c->subs; s->name; s++)
			printf("  %-12s %s\n", s->name, s->summary);
		printf("\n'uiccboot %s COMMAND --help' gives a command's options.\n", cli->path);
		return;
	}
	print_synopsis(stdout, cli->path, c->synopsis);
	printf("\n%s\n", c->text ? c->text : c->summary);
	if (c->opts && c->opts->name) {
		printf("\noptions:\n");
		print_opts(stdout, c->opts, false);
	}
	printf("\nThe global options ('uiccboot --help') may come before or after the "
	       "command.\n");
}

/* Every error to its sysexits(3) code, here and nowhere else (uiccboot(1),
 * EXIT STATUS). */
int cli_exit_code(int err)
{
	switch (err) {
	case UB_OK:
		return 0;
	case UB_E_USAGE:
		return 64;
	case UB_E_BAD_DATA:
	case UB_E_MAC:
	case UB_E_AUTH_MAC:
	case UB_E_AUTH_SYNC:
	case UB_E_KEY_EXPIRED:
	case UB_E_PROTO:
	case UB_E_SW:
		return 65;
	case UB_E_NO_SERVICE:
	case UB_E_NO_READER:
	case UB_E_NO_CARD:
	case UB_E_CARD_REMOVED:
	case UB_E_CARD_RESET:
	case UB_E_TIMEOUT:
	case UB_E_NOT_FOUND:
	case UB_E_NO_GBA:
	case UB_E_AUTH_CONTEXT:
	case UB_E_NOT_SUPPORTED:
		return 69;
	case UB_E_POLICY:
	case UB_E_SECURITY:
	case UB_E_PIN_REQUIRED:
	case UB_E_PIN_WRONG:
	case UB_E_PIN_BLOCKED:
	case UB_E_PIN_LAST:
		return 77;
	case UB_E_NO_INPUT:
		return 66; /* EX_NOINPUT */
	case UB_E_CANT_CREATE:
		return 73; /* EX_CANTCREAT */
	case UB_E_IO:
		return 74; /* EX_IOERR */
	case UB_E_CONFIG:
		return 78; /* EX_CONFIG */
	case UB_E_NOMEM:
	case UB_E_INTERNAL:
	default:
		return 70; /* EX_SOFTWARE */
	}
}

/* fmt and its arguments escaped for the terminal (ub_text), except a
 * final newline: the arguments are reader names, URIs, reasons and values
 * that came from a card, a message or the tree. */
static void vprint(FILE *fp, const char *fmt, va_list ap)
{
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	bool nl;

	if (n < 0)
		return;
	nl = n > 0 && s[n - 1] == '\n';
	ub_text_putn(fp, s, (size_t)n - nl);
	if (nl)
		fputc('\n', fp);
	OPENSSL_cleanse(s, (size_t)n); /* it may be a key the command prints */
	free(s);
}

void cli_print(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fp, fmt, ap);
	va_end(ap);
}

/* What the command line adds to the library's message: how to go on. */
static const char *hint(int err)
{
	switch (err) {
	case UB_E_USAGE:
		return "see --help";
	case UB_E_NO_SERVICE:
		return "is pcscd running?";
	case UB_E_NO_READER:
		return "check -r and 'uiccboot readers'";
	case UB_E_NO_CARD:
		return "insert a card or use --wait";
	case UB_E_CARD_REMOVED:
		return "reinsert it and retry";
	case UB_E_CARD_RESET:
		return "retry";
	case UB_E_PIN_REQUIRED:
		return "give it with --pin-file, UICCBOOT_PIN or [pin] pin1";
	case UB_E_PIN_WRONG:
		return "check the PIN before trying again";
	case UB_E_PIN_BLOCKED:
		return "unblock it with the PUK";
	case UB_E_PIN_LAST:
		return "verify it by hand with a PIN tool";
	case UB_E_AUTH_SYNC:
		return "give the AUTS to the network to resynchronise";
	case UB_E_KEY_EXPIRED:
		return "re-bootstrap with 'uiccboot gba bootstrap'";
	case UB_E_INTERNAL:
		return "a bug: please report it";
	case UB_E_CONFIG:
		return "fix the policy file (uiccboot-policy(5)), or leave --policy out for "
		       "the default one";
	default:
		return NULL;
	}
}

static void json_error(struct ub_cli *cli, const struct ub_status *st)
{
	if (!cli->json || !cli->out)
		return;
	json_object_object_add(cli->out, "error", json_object_new_string(ub_errname(st->err)));
	json_object_object_add(
		cli->out, "message",
		json_object_new_string(st->what[0] ? st->what : ub_strerror(st->err)));
	json_object_object_add(cli->out, "where",
			       st->where[0] ? json_object_new_string(st->where) : NULL);
	if (st->sw)
		json_object_object_add(cli->out, "sw", json_object_new_int(st->sw));
}

/* How much of where to say before what: each place once.  The layers put
 * the innermost place in front of what, mostly ("x.db: not a database",
 * where "--tree: x.db"): that tail of where is left out. */
static int where_len(const char *where, const char *what)
{
	size_t n = strlen(where), k;
	const char *p;

	if (!n || strstr(what, where))
		return 0;
	for (p = where; (p = strstr(p, ": ")); p += 2) {
		k = strlen(p + 2);
		if (!strncmp(what, p + 2, k) && (what[k] == ':' || what[k] == '\0'))
			return (int)(p - where);
	}
	return (int)n;
}

void cli_fail(struct ub_cli *cli, const struct ub_status *st)
{
	const char *h = hint(st->err), *what = st->what[0] ? st->what : ub_strerror(st->err);
	int n = where_len(st->where, what);

	if (n)
		cli_print(stderr, "uiccboot: %.*s: %s%s%s [%s]\n", n, st->where, what,
			  h ? "; " : "", h ? h : "", ub_errname(st->err));
	else
		cli_print(stderr, "uiccboot: %s%s%s [%s]\n", what, h ? "; " : "", h ? h : "",
			  ub_errname(st->err));
	json_error(cli, st);
}

void cli_fail_at(struct ub_cli *cli, int err, struct ub_status *st, const char *fmt, ...)
{
	char place[sizeof(st->where)];
	va_list ap;

	if (st->err != err)
		ub_fail(st, err, 0, NULL, NULL);
	va_start(ap, fmt);
	vsnprintf(place, sizeof(place), fmt, ap);
	va_end(ap);
	ub_status_at(st, "%s", place);
	cli_fail(cli, st);
}

void cli_error(struct ub_cli *cli, int err, const char *fmt, ...)
{
	struct ub_status st = {err, 0, "", ""};
	char what[sizeof(st.what)];
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(what, sizeof(what), fmt, ap);
		va_end(ap);
		snprintf(st.what, sizeof(st.what), "%.200s: %s", what, ub_strerror(err));
	}
	cli_fail(cli, &st);
}

int cli_secret(struct ub_cli *cli, const char *opt, char *arg, const char *file, const char *env,
	       char *out, size_t max, const char **dst)
{
	const char *v = env ? getenv(env) : NULL;
	struct ub_status st = {0};
	int n;

	if (arg && file) {
		fprintf(stderr, "uiccboot: %s and %s-file: give one\n", opt, opt);
		return UB_E_USAGE;
	}
	if (file && !strcmp(file, "-")) {
		if (cli->stdin_taken) {
			fprintf(stderr, "uiccboot: %s-file -: standard input is taken already\n",
				opt);
			return UB_E_USAGE;
		}
		cli->stdin_taken = true;
	}
	if (!arg && !file && !v)
		return 0;
	if (arg) {
		n = ub_secret_copy(arg, out, max, &st);
		/* what ps shows from now on; it showed the secret until here */
		memset(arg, 'x', strlen(arg));
	} else if (file) {
		n = ub_secret_read_file(file, out, max, &st);
	} else {
		n = ub_secret_copy(v, out, max, &st);
	}
	if (v) {
		/* out of /proc/PID/environ, and out of reach of what we might run */
		OPENSSL_cleanse((char *)v, strlen(v));
		unsetenv(env);
	}
	if (n < 0) {
		if (!file)
			cli_fail_at(cli, n, &st, "%s (%s)", opt, arg ? "command line" : env);
		else
			cli_fail_at(cli, n, &st, "%s-file", opt);
		return n;
	}
	*dst = out;
	return 0;
}

json_object *cli_json_hex(const uint8_t *b, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_object *o;

	if (!s)
		return NULL;
	o = json_object_new_string(ub_hex(s, b, n));
	OPENSSL_cleanse(s, 2 * n + 1); /* a key, perhaps */
	free(s);
	return o;
}

json_object *cli_json_secret_hex(const uint8_t *b, size_t n, bool show)
{
	return show ? cli_json_hex(b, n) : json_object_new_string(UB_TREE_SECRET_MASK);
}

void cli_put_secret_hex(struct ub_cli *cli, const char *key, const uint8_t *b, size_t n, bool show)
{
	json_object *o = cli_json_secret_hex(b, n, show);

	json_object_object_add(cli->out, key, o);
	if (!cli->json && o) /* our own hex, or the mask: nothing to escape */
		printf("%-10s %s\n", key, json_object_get_string(o));
}

/* PIN1 from one source (the variable UICCBOOT_PIN is read and wiped too) */
static int pin_source(struct ub_cli *cli, char *arg, const char *file, const char *env)
{
	const char *pin = NULL;
	int err = cli_secret(cli, "--pin", arg, file, env, cli->pin, sizeof(cli->pin), &pin);

	cli->pin_read = true;
	if (pin)
		cli->cfg.pin = pin; /* else the policy's pin1 */
	return err ? err : 1;
}

/* A global option: 1 taken, 0 not one, < 0 a bad value (said). */
static int global_opt(struct ub_cli *cli, int c, char *arg)
{
	char *end;
	long v;

	switch (c) {
	case 'r':
		cli->cfg.reader = arg;
		return 1;
	case OPT_WAIT:
		v = strtol(arg, &end, 10);
		if (*end || !*arg || v < 0 || v > 86400) {
			snprintf(cli->usage_why, sizeof(cli->usage_why),
				 "--wait wants seconds (0-86400)");
			return UB_E_USAGE;
		}
		cli->cfg.wait_ms = v * 1000;
		return 1;
	case 'v':
		cli->verbose = true;
		return 1;
	case OPT_TRACE:
		cli->trace_file = arg;
		return 1;
	case OPT_TRACE_SECRETS:
		cli->cfg.trace_secrets = true;
		return 1;
	case OPT_JSON:
		cli->json = true;
		return 1;
	case OPT_EXCLUSIVE:
		cli->cfg.exclusive = true;
		return 1;
	case OPT_RESET:
		cli->cfg.reset = true;
		return 1;
	case OPT_CHANNEL:
		cli->cfg.channel = true;
		return 1;
	case OPT_PIN:
	case OPT_PIN_FILE:
		/* read (and the argv copy overwritten) at once: ps shows argv */
		if (cli->pin_read)
			return pin_source(cli, c == OPT_PIN ? arg : NULL, c == OPT_PIN ? NULL : arg,
					  NULL);
		if (c == OPT_PIN)
			cli->pin_arg = arg;
		else
			cli->pin_file = arg;
		return 1;
	case OPT_POLICY:
		cli->policy = arg;
		return 1;
	case OPT_TREE:
		cli->cfg.tree = arg;
		return 1;
	case 'h': /* after the command: main saw "--help", this is "--he" */
		if (cli->cmd)
			cmd_help(cli, cli->cmd);
		else
			usage(stdout);
		exit(0);
	case 'V':
		if (json_asked)
			printf("{\"version\":\"%s\"}\n", ub_version());
		else
			printf("uiccboot %s\n", ub_version());
		exit(0);
	default:
		return 0;
	}
}

/* getopt_long's table: the n options of opts, then the global ones;
 * all has room for n + NGLOBAL + 1. */
static void to_options(struct option *all, const struct cli_opt *opts, size_t n)
{
	size_t i;

	for (i = 0; i < n + NGLOBAL; i++) {
		const struct cli_opt *o = i < n ? &opts[i] : &global_opts[i - n];

		all[i] = (struct option){o->name, o->has_arg, NULL, o->val};
	}
	memset(&all[i], 0, sizeof(all[i]));
}

/* What getopt_long found wrong with argv[optind - 1]: c is '?' or ':'. */
static void bad_option(struct ub_cli *cli, char **argv, int c)
{
	const char *o = argv[optind - 1];

	if (c == ':')
		snprintf(cli->usage_why, sizeof(cli->usage_why), "option %.60s wants an argument",
			 o);
	else if (optopt && !strncmp(o, "--", 2) && strchr(o, '='))
		snprintf(cli->usage_why, sizeof(cli->usage_why), "option %.*s takes no argument",
			 (int)(strchr(o, '=') - o), o);
	else if (optopt && optopt < 128 && strncmp(o, "--", 2))
		snprintf(cli->usage_why, sizeof(cli->usage_why), "unknown option -%c", optopt);
	else
		snprintf(cli->usage_why, sizeof(cli->usage_why), "unknown option %.60s", o);
}

int cli_getopt(struct ub_cli *cli, int argc, char **argv)
{
	const struct cli_opt *opts = cli->cmd ? cli->cmd->opts : NULL;
	struct option all[64];
	size_t n = 0;
	int c, r, li;

	while (opts && opts[n].name)
		n++;
	if (n + NGLOBAL + 1 > sizeof(all) / sizeof(all[0])) {
		snprintf(cli->usage_why, sizeof(cli->usage_why), "too many options (a bug)");
		return '?';
	}
	to_options(all, opts, n);
	opterr = 0; /* said here, and kept for --json */
	for (;;) {
		/* '-': positional arguments come back in order (1), whatever
		 * POSIXLY_CORRECT says; ':': a missing argument is ':' */
		li = -1;
		c = getopt_long(argc, argv, "-:r:vhV", all, &li);
		if (c == 1) {
			cli->pos[cli->npos++] = optarg;
			continue;
		}
		if (c == -1) {
			/* the positional arguments at the end of argv, in order:
			 * the slots before optind were taken by them and by options */
			optind -= cli->npos;
			for (r = 0; r < cli->npos; r++)
				argv[optind + r] = cli->pos[r];
			return -1;
		}
		if (c == '?' || c == ':') {
			bad_option(cli, argv, c);
			fprintf(stderr, "uiccboot: %s: %s\n", cli->path, cli->usage_why);
			return '?';
		}
		/* the command's own: a long option of its table (the short
		 * options are the global ones, whatever the vals say) */
		if (li >= 0 && (size_t)li < n)
			return c;
		r = global_opt(cli, c, optarg);
		if (r < 0 && cli->usage_why[0])
			fprintf(stderr, "uiccboot: %s: %s\n", cli->path, cli->usage_why);
		if (r < 0)
			return '?';
		if (r == 0)
			return c;
	}
}

int cli_nargs(struct ub_cli *cli, int argc, char **argv, int min, int max)
{
	int n = argc - optind;

	if (n > max)
		return cli_usage(cli, "unexpected argument '%.60s'", argv[optind + max]);
	if (n < min)
		return cli_usage(cli, "missing argument");
	return 0;
}

int cli_usage(struct ub_cli *cli, const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(cli->usage_why, sizeof(cli->usage_why), fmt, ap);
		va_end(ap);
		cli_print(stderr, "uiccboot: %s: %s\n", cli->path, cli->usage_why);
	}
	if (cli->cmd && cli->cmd->synopsis)
		print_synopsis(stderr, cli->path, cli->cmd->synopsis);
	fprintf(stderr, "see 'uiccboot %s --help'\n", cli->path);
	return UB_E_USAGE;
}

static int open_trace(struct ub_cli *cli)
{
	struct ub_status st = {0};
	int fd = ub_secret_create_private(cli->trace_file, &st);

	if (fd < 0) {
		cli_fail_at(cli, fd, &st, "--trace");
		return fd;
	}
	cli->cfg.trace[1] = fdopen(fd, "w");
	if (!cli->cfg.trace[1]) {
		close(fd);
		cli_error(cli, UB_E_IO, "--trace %s: %s", cli->trace_file, strerror(errno));
		return UB_E_IO;
	}
	return 0;
}

const struct ub_policy *cli_policy(struct ub_cli *cli, int *err)
{
	struct ub_status st = {0};

	if (!cli->pol && (*err = ub_policy_open(cli->policy, &cli->pol, &st))) {
		cli_fail(cli, &st);
		return NULL;
	}
	return cli->pol;
}

const struct ub_boot_config *cli_config(struct ub_cli *cli, int *err)
{
	if (!(cli->cfg.policy = cli_policy(cli, err)))
		return NULL;
	if (cli->verbose)
		cli->cfg.trace[0] = stderr;
	if (cli->trace_file && !cli->cfg.trace[1] && (*err = open_trace(cli)))
		return NULL;
	return &cli->cfg;
}

int cli_connect(struct ub_cli *cli)
{
	const struct ub_boot_config *cfg;
	struct ub_session *s;
	struct ub_status st = {0};
	const char *note;
	int err = 0;

	if (cli->sess)
		return 0;
	if (!(cfg = cli_config(cli, &err)))
		return err;
	if (!(s = ub_card_session_new())) {
		cli_error(cli, UB_E_NOMEM, "card session");
		return UB_E_NOMEM;
	}
	err = ub_card_session_open(s, cfg, &st);
	if (err) {
		cli->apdus = ub_card_session_apdus(s);
		ub_card_session_free(s);
		cli_fail(cli, &st);
		return err;
	}
	cli->sess = s;
	if ((note = ub_card_session_reset_note(s)))
		fprintf(stderr, "uiccboot: note: %s: %s\n", ub_card_session_reader(s), note);
	return 0;
}

/* "--json" among the arguments, before any "--": for the errors met
 * before the options are parsed (an unknown command, a bad option before
 * --json), which are JSON too then. */
static bool has_json(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--json"))
			return true;
	return false;
}

/* -h, --help, or an abbreviation of it that getopt_long would take. */
static bool is_help(const char *a)
{
	return !strcmp(a, "-h") || (strlen(a) >= 4 && !strncmp("--help", a, strlen(a)));
}

static bool help_asked(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (is_help(argv[i]))
			return true;
	return false;
}

static const struct ub_cmd *find_cmd(const struct ub_cmd *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i]->name, name))
			return list[i];
	return NULL;
}

static const struct ub_cmd *find_sub(const struct ub_cmd *group, const char *name)
{
	const struct ub_cmd *s;

	for (s = group->subs; s->name; s++)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* A usage error met before the command ran (no command, an unknown one, a
 * group without its command): said on stderr, and in the JSON output. */
static int early_usage(struct ub_cli *cli, const struct ub_cmd *group, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int early_usage(struct ub_cli *cli, const struct ub_cmd *group, const char *fmt, ...)
{
	const struct ub_cmd *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cli->usage_why, sizeof(cli->usage_why), fmt, ap);
	va_end(ap);
	cli_print(stderr, "uiccboot: %s\n", cli->usage_why);
	if (group) {
		fprintf(stderr, "commands of %s:", group->name);
		for (s = group->subs; s->name; s++)
			fprintf(stderr, " %s", s->name);
		fprintf(stderr, "\nsee 'uiccboot %s --help'\n", group->name);
	} else {
		fprintf(stderr, "see 'uiccboot --help'\n");
	}
	return UB_E_USAGE;
}

/* The command's output, and on failure its error (the stable name, the
 * message, where) when the command did not give one itself. */
static void json_out(struct ub_cli *cli, int err)
{
	if (err && !json_object_object_get_ex(cli->out, "error", NULL)) {
		json_object_object_add(cli->out, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(cli->out, "message",
				       json_object_new_string(err == UB_E_USAGE && cli->usage_why[0]
								      ? cli->usage_why
								      : ub_strerror(err)));
		json_object_object_add(cli->out, "where",
				       cli->path[0] ? json_object_new_string(cli->path) : NULL);
	}
	json_object_object_add(cli->out, "apdus", json_object_new_int((int)cli->apdus));
	printf("%s\n", json_object_to_json_string_ext(
			       cli->out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

/* The global options, the command (and a group's command), then the
 * command's run with argv[0] its name. */
static int dispatch(struct ub_cli *cli, int argc, char **argv)
{
	const struct ub_cmd *cmd, *sub;
	struct option all[NGLOBAL + 1];
	int c, err;

	/* the global options before the command's name ('+': stop there) */
	to_options(all, NULL, 0);
	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "+:r:vhV", all, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 1;
		}
		if (c == '?' || c == ':')
			bad_option(cli, argv, c);
		if (c == '?' || c == ':' || global_opt(cli, c, optarg) <= 0)
			return early_usage(cli, NULL, "%s", cli->usage_why);
	}
	if (optind >= argc)
		return early_usage(cli, NULL, "no command given");
	cmd = find_cmd(commands, ncommands, argv[optind]);
	if (!cmd)
		return early_usage(cli, NULL, "unknown command '%s'", argv[optind]);
	argc -= optind;
	argv += optind;
	snprintf(cli->path, sizeof(cli->path), "%s", cmd->name);
	if (cmd->subs) {
		if (argc < 2 || !(sub = find_sub(cmd, argv[1]))) {
			if (argc >= 2 && is_help(argv[1])) {
				cmd_help(cli, cmd);
				return 1;
			}
			return early_usage(cli, cmd,
					   argc < 2 ? "%s: which command?"
						    : "%s: unknown command '%s'",
					   cmd->name, argc < 2 ? "" : argv[1]);
		}
		snprintf(cli->path, sizeof(cli->path), "%s %s", cmd->name, sub->name);
		cmd = sub;
		argc--;
		argv++;
	}
	cli->cmd = cmd;
	if (help_asked(argc, argv)) { /* before anything is read or opened */
		cmd_help(cli, cmd);
		return 1;
	}
	/* PIN1 now, before anything may block: argv and the environment lose it */
	if ((err = pin_source(cli, cli->pin_arg, cli->pin_file, "UICCBOOT_PIN")) < 0)
		return err;
	optind = 0; /* getopt again, for the command's own options */
	cli->npos = 0;
	return cmd->run(cli, argc, argv);
}

/* Wipe what a page-aligned buffer held, only the pages that were ever
 * touched (mincore: resident): stdout's buffer is filled from its start,
 * and a command that prints a line should not end owning all 64 KiB of
 * it.  Anything unexpected: all of it. */
static void wipe_written(char *b, size_t n)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char in[64];
	size_t i;

	if (pg <= 0 || (uintptr_t)b % (size_t)pg || n % (size_t)pg || n / (size_t)pg > sizeof(in) ||
	    mincore(b, n, in)) {
		OPENSSL_cleanse(b, n);
		return;
	}
	for (i = 0; i < n / (size_t)pg; i++)
		if (in[i] & 1)
			OPENSSL_cleanse(b + i * (size_t)pg, (size_t)pg);
}

int cli_main(const struct ub_cmd *const *list, size_t n, int argc, char **argv)
{
	/* stdout's buffer holds what the command prints (keys of auth, gba
	 * naf-key, factory derive): ours, to wipe at the end */
	static char out_buf[1 << 16] __attribute__((aligned(4096)));
	static struct ub_cli cli;
	int err;

	commands = list;
	ncommands = n;

	/* OpenSSL's error strings are never printed (our errors say what
	 * failed): not loading them (nor letting openssl.cnf load them) keeps
	 * about 52 KiB of heap clean; the configuration is still read */
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL);

	/* before anything holds a secret: no core file, not dumpable */
	if (ub_secret_harden_process()) {
		fprintf(stderr, "uiccboot: cannot turn core dumps off: %s [internal]\n",
			strerror(errno));
		return cli_exit_code(UB_E_INTERNAL);
	}
	setvbuf(stdout, out_buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof(out_buf));
	/* the tree: --tree, else UICCBOOT_TREE, else the library's default */
	if (getenv("UICCBOOT_TREE") && *getenv("UICCBOOT_TREE"))
		cli.cfg.tree = getenv("UICCBOOT_TREE");
	/* the reader: -r, else UICCBOOT_READER, else the first with a card */
	if (getenv("UICCBOOT_READER") && *getenv("UICCBOOT_READER"))
		cli.cfg.reader = getenv("UICCBOOT_READER");
	json_asked = has_json(argc, argv);
	cli.out = json_object_new_object();
	cli.pos = calloc((size_t)argc + 1, sizeof(*cli.pos));
	if (!cli.out || !cli.pos) {
		fprintf(stderr, "uiccboot: out of memory [nomem]\n");
		return cli_exit_code(UB_E_NOMEM);
	}
	err = dispatch(&cli, argc, argv);
	if (err == 1) { /* a help was printed */
		err = 0;
	} else {
		if (cli.sess) {
			cli.apdus = ub_card_session_apdus(cli.sess);
			ub_card_session_free(cli.sess);
		}
		/* a usage error printed nothing on stdout: its JSON is wanted
		 * even when the parse stopped before --json */
		if (err == UB_E_USAGE && json_asked)
			cli.json = true;
		/* a stream printed its objects, failures too, as it went */
		if (cli.json && !cli.streamed)
			json_out(&cli, err);
	}
	json_object_put(cli.out);
	free(cli.pos);
	if (cli.cfg.trace[1])
		fclose(cli.cfg.trace[1]);
	ub_policy_close(cli.pol);
	fflush(stdout);
	wipe_written(out_buf, sizeof(out_buf));
	OPENSSL_cleanse(cli.pin, sizeof(cli.pin));
	return cli_exit_code(err);
}
