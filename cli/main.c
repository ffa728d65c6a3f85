/* uiccboot command line: global options, command dispatch, exit codes. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "dm_names.h"
#include "ub_policy.h"
#include "ub_hex.h"
#include "ub_secret.h"
#include "ub_text.h"

static const struct ub_cmd commands[] = {
	{"readers", cli_readers, "readers                     list readers and cards"},
	{"auth", cli_auth, "auth --rand HEX --autn HEX   3G AUTHENTICATE (--gsm --rand HEX: 2G)"},
	{"gba", cli_gba, "gba status|bootstrap|naf-key   GBA_U with the card (see gba --help)"},
	{"push", cli_push,
	 "push FILE --content-type STR [--transport T] [--user-pin-file F] [--dry-run]\n"
	 "  push --wsp FILE [--user-pin-file F] [--dry-run]   a WSP push PDU"},
	{"bootstrap", cli_bootstrap,
	 "bootstrap [--dry-run] [--all-readers]   power-on: the card's bootstrap -> tree"},
	{"factory", cli_factory, "factory derive|check|apply        per-device DM credentials"},
	{"sms", cli_sms,
	 "sms send FILE [--sec T] ... | decode FILE | receive [FILE] | list | pending [--apply]\n"
	 "                              WAP push over SMS"},
	{"tree", cli_tree, "tree list [URI] | get URI | export [URI] | import FILE   device tree"},
	{"lwm2m", cli_lwm2m,
	 "lwm2m list | export [--format senml-json|tlv] [--object ID]   the card's LwM2M data"},
	{"info", cli_info,
	 "info                        ICCID, IMSI, IMPI, applications, GBA state, bootstrap "
	 "objects"},
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: uiccboot [options] COMMAND [args]\n\n"
		    "options:\n"
		    "  -r, --reader R       reader by index, exact name or substring\n"
		    "      --wait S         wait up to S seconds for a reader and card\n"
		    "  -v, --verbose        APDU trace to stderr (secrets redacted)\n"
		    "      --trace FILE     APDU trace to FILE (scriptor format)\n"
		    "      --trace-secrets  do not redact secrets in traces (labs only)\n"
		    "      --json           print one JSON object\n"
		    "      --exclusive      connect to the card exclusively\n"
		    "      --reset          reset the card first (known state, fewest APDUs)\n"
		    "      --channel        use a logical channel (basic one if refused)\n"
		    "      --pin PIN        PIN1 (others see it with ps: labs only)\n"
		    "      --pin-file FILE  PIN1 from FILE (mode 0600; -: stdin), or UICCBOOT_PIN\n"
		    "      --policy FILE    policy (default /etc/uiccboot/policy.conf)\n"
		    "      --tree DB        device tree (UICCBOOT_TREE; default "
		    "/var/lib/uiccboot/dmtree.db)\n"
		    "  -h, --help           this help\n"
		    "  -V, --version        version\n\n"
		    "commands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "  %s\n", commands[i].usage);
	fprintf(fp, "\nexit codes: 0 ok, 64 usage, 65 bad data or MAC, 69 no reader/card,\n"
		    "            70 internal, 77 refused by policy\n");
}

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
	default:
		return 70;
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

void cli_fail(struct ub_cli *cli, const struct ub_status *st)
{
	const char *h = hint(st->err), *what = st->what[0] ? st->what : ub_strerror(st->err);

	/* "where" is said once: the layers put it in front of what, mostly */
	if (st->where[0] && !strstr(what, st->where))
		cli_print(stderr, "uiccboot: %s: %s%s%s [%s]\n", st->where, what, h ? "; " : "",
			  h ? h : "", ub_errname(st->err));
	else
		cli_print(stderr, "uiccboot: %s%s%s [%s]\n", what, h ? "; " : "", h ? h : "",
			  ub_errname(st->err));
	json_error(cli, st);
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
	char why[300];
	const char *v = env ? getenv(env) : NULL;
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
		n = ub_secret_copy(arg, out, max, why, sizeof(why));
		/* what ps shows from now on; it showed the secret until here */
		memset(arg, 'x', strlen(arg));
	} else if (file) {
		n = ub_secret_read_file(file, out, max, why, sizeof(why));
	} else {
		n = ub_secret_copy(v, out, max, why, sizeof(why));
	}
	if (v) {
		/* out of /proc/PID/environ, and out of reach of what we might run */
		OPENSSL_cleanse((char *)v, strlen(v));
		unsetenv(env);
	}
	if (n < 0) {
		if (!file)
			cli_error(cli, n, "%s (%s): %s", opt, arg ? "command line" : env, why);
		else
			cli_error(cli, n, "%s-file %s: %s", opt, file, why);
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
	return show ? cli_json_hex(b, n) : json_object_new_string(UB_SECRET_MASK);
}

void cli_put_secret_hex(struct ub_cli *cli, const char *key, const uint8_t *b, size_t n, bool show)
{
	json_object *o = cli_json_secret_hex(b, n, show);

	json_object_object_add(cli->out, key, o);
	if (!cli->json && o) /* our own hex, or the mask: nothing to escape */
		printf("%-10s %s\n", key, json_object_get_string(o));
}

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

static const struct option global_opts[] = {
	{"reader", required_argument, NULL, 'r'},
	{"wait", required_argument, NULL, OPT_WAIT},
	{"verbose", no_argument, NULL, 'v'},
	{"trace", required_argument, NULL, OPT_TRACE},
	{"trace-secrets", no_argument, NULL, OPT_TRACE_SECRETS},
	{"json", no_argument, NULL, OPT_JSON},
	{"exclusive", no_argument, NULL, OPT_EXCLUSIVE},
	{"reset", no_argument, NULL, OPT_RESET},
	{"channel", no_argument, NULL, OPT_CHANNEL},
	{"pin", required_argument, NULL, OPT_PIN},
	{"pin-file", required_argument, NULL, OPT_PIN_FILE},
	{"policy", required_argument, NULL, OPT_POLICY},
	{"tree", required_argument, NULL, OPT_TREE},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

#define NGLOBAL (sizeof(global_opts) / sizeof(global_opts[0]) - 1)

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
			fprintf(stderr, "uiccboot: --wait wants seconds (0-86400)\n");
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
	case 'h':
		usage(stdout);
		exit(0);
	case 'V':
		printf("uiccboot %s\n", UB_VERSION);
		exit(0);
	default:
		return 0;
	}
}

int cli_getopt(struct ub_cli *cli, int argc, char **argv, const char *optstring,
	       const struct option *opts)
{
	struct option all[64];
	char shorts[16];
	size_t n = 0, i;
	int c, r;

	while (opts && opts[n].name)
		n++;
	if (n + NGLOBAL + 1 > sizeof(all) / sizeof(all[0]))
		return '?';
	if (n)
		memcpy(all, opts, n * sizeof(all[0]));
	memcpy(all + n, global_opts, (NGLOBAL + 1) * sizeof(all[0]));
	snprintf(shorts, sizeof(shorts), "%sr:vhV", optstring);
	for (;;) {
		c = getopt_long(argc, argv, shorts, all, NULL);
		if (c == -1 || c == '?')
			return c;
		for (i = 0; i < n && opts[i].val != c; i++)
			;
		if (i < n)
			return c; /* the command's own */
		r = global_opt(cli, c, optarg);
		if (r < 0)
			return '?';
		if (r == 0)
			return c;
	}
}

static int open_trace(struct ub_cli *cli)
{
	char why[400];
	int fd = ub_secret_create_private(cli->trace_file, why, sizeof(why));

	if (fd < 0) {
		cli_error(cli, fd, "--trace %s", why);
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
	const struct ub_policy *pol;
	struct ub_status st = {0};
	int err = 0;

	if (cli->have_sess)
		return 0;
	if (!(cfg = cli_config(cli, &err)))
		return err;
	pol = cfg->policy;
	err = ub_session_open(&cli->sess, cfg, cfg->pin ? cfg->pin : ub_policy_pin1(pol), &st);
	if (err) {
		cli->apdus = cli->sess.card.apdus;
		cli_fail(cli, &st);
		return err;
	}
	cli->have_sess = true;
	return 0;
}

int main(int argc, char **argv)
{
	/* stdout's buffer holds what the command prints (keys of auth, gba
	 * naf-key, factory derive): ours, to wipe at the end */
	static char out_buf[1 << 16];
	static struct ub_cli cli;
	const struct ub_cmd *cmd = NULL;
	int err = 0, i, c;

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
	/* the global options before the command's name ('+': stop there) */
	while ((c = getopt_long(argc, argv, "+r:vhV", global_opts, NULL)) != -1)
		if (global_opt(&cli, c, optarg) <= 0) {
			if (c != OPT_WAIT)
				usage(stderr);
			return cli_exit_code(UB_E_USAGE);
		}
	if (optind >= argc) {
		usage(stderr);
		return cli_exit_code(UB_E_USAGE);
	}
	/* PIN1 now, before anything may block: argv and the environment lose it */
	if ((err = pin_source(&cli, cli.pin_arg, cli.pin_file, "UICCBOOT_PIN")) < 0) {
		OPENSSL_cleanse(cli.pin, sizeof(cli.pin));
		return cli_exit_code(err);
	}
	err = 0;
	for (i = 0; i < (int)(sizeof(commands) / sizeof(commands[0])); i++)
		if (!strcmp(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		cli_print(stderr, "uiccboot: unknown command '%s'; see --help\n", argv[optind]);
		return cli_exit_code(UB_E_USAGE);
	}
	cli.out = json_object_new_object();
	argc -= optind;
	argv += optind;
	optind = 0; /* getopt again, for the command's own options */
	err = cmd->run(&cli, argc, argv);

	if (cli.have_sess) {
		cli.apdus = ub_session_apdus(&cli.sess);
		ub_session_close(&cli.sess);
	}
	if (cli.json && !cli.streamed) {
		json_object_object_add(cli.out, "apdus", json_object_new_int((int)cli.apdus));
		printf("%s\n",
		       json_object_to_json_string_ext(
			       cli.out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(cli.out);
	if (cli.cfg.trace[1])
		fclose(cli.cfg.trace[1]);
	ub_policy_close(cli.pol);
	fflush(stdout);
	OPENSSL_cleanse(out_buf, sizeof(out_buf));
	OPENSSL_cleanse(cli.pin, sizeof(cli.pin));
	return cli_exit_code(err);
}
