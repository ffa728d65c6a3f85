/* uiccboot command line: global options, command dispatch, exit codes. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ub_hex.h"
#include "ub_secret.h"
#include "ub_text.h"

static const struct ub_cmd commands[] = {
	{"readers", cli_readers, "readers                     list readers and cards"},
	{"auth", cli_auth, "auth --rand HEX --autn HEX   3G AUTHENTICATE (--gsm --rand HEX: 2G)"},
	{"gba", cli_gba, "gba status|bootstrap|naf-key   GBA_U with the card (see gba --help)"},
	{"push", cli_push,
	 "push FILE --content-type STR [--transport T] [--user-pin-file F] [--dry-run]"},
	{"bootstrap", cli_bootstrap,
	 "bootstrap [--dry-run] [--all-readers]   power-on: the card's bootstrap -> tree"},
	{"factory", cli_factory,
	 "factory derive|check|apply        per-device DM credentials (R-FACTORY)"},
	{"sms", cli_sms, "sms send FILE [--sec T] ... | sms decode FILE   WAP push over SMS"},
	{"tree", cli_tree, "tree list [URI] | get URI | export [URI] | import FILE   device tree"},
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
		    "      --tree DB        device tree (default /var/lib/uiccboot/dmtree.db)\n"
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

void cli_error(struct ub_cli *cli, int err, const char *fmt, ...)
{
	va_list ap;

	fputs("uiccboot: ", stderr);
	if (fmt) {
		va_start(ap, fmt);
		vprint(stderr, fmt, ap);
		va_end(ap);
		fputs(": ", stderr);
	}
	fprintf(stderr, "%s [%s]\n", ub_strerror(err), ub_errname(err));
	if (cli->json && cli->out) {
		json_object_object_add(cli->out, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(cli->out, "message",
				       json_object_new_string(ub_strerror(err)));
	}
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
	free(s);
	return o;
}

int cli_connect(struct ub_cli *cli)
{
	struct ub_reader_info list[64];
	char name[UB_READER_NAME_MAX];
	int err, n, idx;

	if (!cli->have_ctx) {
		err = ub_ctx_open(&cli->ctx);
		if (err) {
			cli_error(cli, err, "PC/SC");
			return err;
		}
		cli->have_ctx = true;
	}
	if (cli->wait_s > 0) {
		err = ub_wait_card(cli->ctx, cli->reader, cli->wait_s * 1000L, name);
		if (err) {
			cli_error(cli, err, "waiting %lds for %s%s", cli->wait_s,
				  cli->reader ? "reader " : "a card",
				  cli->reader ? cli->reader : "");
			return err;
		}
	} else {
		n = ub_readers_list(cli->ctx, list, 64);
		idx = n < 0 ? n : ub_reader_pick(list, (size_t)n, cli->reader);
		if (idx < 0) {
			cli_error(cli, idx, "reader %s", cli->reader ? cli->reader : "(any)");
			return idx;
		}
		if (!list[idx].card_present) {
			cli_error(cli, UB_E_NO_CARD, "reader \"%s\"", list[idx].name);
			return UB_E_NO_CARD;
		}
		snprintf(name, sizeof(name), "%s", list[idx].name);
	}
	err = ub_card_connect(&cli->card, cli->ctx, name, cli->exclusive, &cli->trace);
	if (err) {
		cli_error(cli, err, "reader \"%s\": connect", name);
		return err;
	}
	cli->have_card = true;
	if (cli->reset) {
		err = ub_card_reset(&cli->card);
		if (err) {
			cli_error(cli, err, "reader \"%s\": reset", name);
			return err;
		}
	}
	/* R-PCSC 7: the whole command is one transaction on the card */
	err = ub_card_begin(&cli->card);
	if (err) {
		cli_error(cli, err, "reader \"%s\": begin transaction", name);
		return err;
	}
	cli->in_tx = true;
	return 0;
}

void cli_session_end(struct ub_cli *cli)
{
	if (cli->have_uicc && cli->uicc.chan)
		ub_uicc_close_channel(&cli->uicc);
	if (cli->in_tx)
		ub_card_end(&cli->card);
	if (cli->have_card)
		ub_card_disconnect(&cli->card);
	if (cli->have_ctx)
		ub_ctx_close(cli->ctx);
	cli->have_uicc = cli->in_tx = cli->have_card = cli->have_ctx = false;
}

int cli_uicc_start(struct ub_cli *cli)
{
	int err;

	ub_uicc_init(&cli->uicc, &cli->card, cli->pin);
	cli->have_uicc = true;
	if (!cli->channel)
		return 0;
	err = ub_uicc_open_channel(&cli->uicc);
	if (err)
		cli_error(cli, err, "reader \"%s\": MANAGE CHANNEL", cli->card.reader);
	return err;
}

enum {
	OPT_WAIT = 256,
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

/* PIN1: --pin, --pin-file or UICCBOOT_PIN; the policy's pin1 comes later */
static char pin1[UB_SECRET_MAX + 1];

static int parse_global(struct ub_cli *cli, int argc, char **argv)
{
	char *end, *pin_arg = NULL;
	const char *pin_file = NULL;
	int c;

	/* '+': stop at the command name; its own options follow it. */
	while ((c = getopt_long(argc, argv, "+r:vhV", global_opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			cli->reader = optarg;
			break;
		case OPT_WAIT:
			cli->wait_s = strtol(optarg, &end, 10);
			if (*end || cli->wait_s < 0 || cli->wait_s > 86400) {
				fprintf(stderr, "uiccboot: --wait wants seconds (0-86400)\n");
				return UB_E_USAGE;
			}
			break;
		case 'v':
			cli->verbose = true;
			break;
		case OPT_TRACE:
			cli->trace_file = optarg;
			break;
		case OPT_TRACE_SECRETS:
			cli->trace_secrets = true;
			break;
		case OPT_JSON:
			cli->json = true;
			break;
		case OPT_EXCLUSIVE:
			cli->exclusive = true;
			break;
		case OPT_RESET:
			cli->reset = true;
			break;
		case OPT_CHANNEL:
			cli->channel = true;
			break;
		case OPT_PIN:
			pin_arg = optarg;
			break;
		case OPT_PIN_FILE:
			pin_file = optarg;
			break;
		case OPT_POLICY:
			cli->policy = optarg;
			break;
		case OPT_TREE:
			cli->tree = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("uiccboot %s\n", UB_VERSION);
			exit(0);
		default:
			usage(stderr);
			return UB_E_USAGE;
		}
	}
	return cli_secret(cli, "--pin", pin_arg, pin_file, "UICCBOOT_PIN", pin1, sizeof(pin1),
			  &cli->pin);
}

static int open_trace(struct ub_cli *cli)
{
	char why[400];
	int fd = ub_secret_create_private(cli->trace_file, why, sizeof(why));

	if (fd < 0) {
		cli_error(cli, fd, "--trace %s", why);
		return fd;
	}
	cli->trace.fp[1] = fdopen(fd, "w");
	if (!cli->trace.fp[1]) {
		close(fd);
		cli_error(cli, UB_E_IO, "--trace %s: %s", cli->trace_file, strerror(errno));
		return UB_E_IO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* stdout's buffer holds what the command prints (keys of auth, gba
	 * naf-key, factory derive): ours, to wipe at the end */
	static char out_buf[1 << 16];
	struct ub_cli cli;
	const struct ub_cmd *cmd = NULL;
	int err, i;

	/* before anything holds a secret: no core file, not dumpable */
	if (ub_secret_harden_process()) {
		fprintf(stderr, "uiccboot: cannot turn core dumps off: %s [internal]\n",
			strerror(errno));
		return cli_exit_code(UB_E_INTERNAL);
	}
	setvbuf(stdout, out_buf, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, sizeof(out_buf));
	memset(&cli, 0, sizeof(cli));
	err = parse_global(&cli, argc, argv);
	if (err)
		return cli_exit_code(err);
	if (optind >= argc) {
		usage(stderr);
		OPENSSL_cleanse(pin1, sizeof(pin1));
		return cli_exit_code(UB_E_USAGE);
	}
	for (i = 0; i < (int)(sizeof(commands) / sizeof(commands[0])); i++)
		if (!strcmp(argv[optind], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		cli_print(stderr, "uiccboot: unknown command '%s'; see --help\n", argv[optind]);
		OPENSSL_cleanse(pin1, sizeof(pin1));
		return cli_exit_code(UB_E_USAGE);
	}

	cli.trace.secrets = cli.trace_secrets;
	if (cli.verbose)
		cli.trace.fp[0] = stderr;
	if (cli.trace_file && (err = open_trace(&cli))) {
		OPENSSL_cleanse(pin1, sizeof(pin1));
		return cli_exit_code(err);
	}
	cli.out = json_object_new_object();

	argc -= optind;
	argv += optind;
	optind = 0; /* reset getopt for the command's own options */
	err = cmd->run(&cli, argc, argv);

	if (cli.json) {
		json_object_object_add(
			cli.out, "apdus",
			json_object_new_int(cli.have_card ? (int)cli.card.apdus : 0));
		printf("%s\n",
		       json_object_to_json_string_ext(
			       cli.out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	}
	json_object_put(cli.out);
	cli_session_end(&cli);
	if (cli.trace.fp[1])
		fclose(cli.trace.fp[1]);
	fflush(stdout);
	OPENSSL_cleanse(out_buf, sizeof(out_buf));
	OPENSSL_cleanse(pin1, sizeof(pin1));
	return cli_exit_code(err);
}
