/* The uiccboot command line: parses arguments, calls the library, prints
 * the results.  The work is in the library (src/boot/, src/tree/, ...). */
#ifndef UB_CLI_H
#define UB_CLI_H

#include <getopt.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "boot.h"
#include "card.h"
#include "secret.h"

struct ub_cmd;

struct ub_cli {
	/* the global options (before or after the command's name) */
	bool verbose, json;
	const char *trace_file;
	char *pin_arg;	      /* --pin (overwritten once copied) */
	const char *pin_file; /* --pin-file */
	const char *policy;   /* --policy */
	struct ub_boot_config cfg;

	const struct ub_cmd *cmd; /* the command running: its options and help */
	char path[64];		  /* its name as typed: "tree list" */
	char **pos;		  /* cli_getopt: the positional arguments met */
	int npos;
	char usage_why[200]; /* what was wrong with the command line */

	char pin[UB_SECRET_MAX + 1]; /* PIN1 once read (wiped at the end) */
	bool pin_read;
	struct ub_policy *pol;	 /* loaded on first use */
	struct ub_session *sess; /* the card session of a lab command, once open */
	json_object *out;	 /* the one JSON object printed with --json */
	bool streamed;		 /* the command printed its objects one a line as they
				    came (sms receive): out is not printed */
	bool stdin_taken;	 /* a secret was read from standard input */
	unsigned apdus;		 /* of the command, for "apdus" */
};

/* One option of a command: its parsing and its help come from this one
 * row, so that --help lists exactly what is accepted. */
struct cli_opt {
	const char *name; /* the long name, without "--" */
	int has_arg;	  /* no_argument or required_argument */
	int val;	  /* what cli_getopt returns for it */
	const char *arg;  /* the argument's name in the help ("FILE"), NULL: none */
	const char *help; /* what it does, in a line */
};

/* A command ("push"), or a group of commands ("tree": list, get, ...).
 * main.c dispatches on these and prints their help; a new command is one
 * entry in its group's table (a new group, one in main.c's list). */
struct ub_cmd {
	const char *name;
	int (*run)(struct ub_cli *cli, int argc, char **argv); /* NULL: a group */
	/* what follows "uiccboot NAME" in a usage line; several forms are
	 * separated by newlines */
	const char *synopsis;
	const char *summary;	    /* a line, in the list of its group */
	const char *text;	    /* what it does, for its --help; NULL: the summary */
	const struct cli_opt *opts; /* its options, ending with {NULL}; NULL: none */
	const struct ub_cmd *subs;  /* a group's commands, ending with {NULL} */
};

/* The commands and groups, one per cli_*.c file. */
extern const struct ub_cmd cli_readers_cmd, cli_info_cmd, cli_auth_cmd, cli_gba_cmd, cli_push_cmd,
	cli_bootstrap_cmd, cli_factory_cmd, cli_sms_cmd, cli_tree_cmd, cli_lwm2m_cmd,
	cli_policy_cmd;

/* getopt_long over the running command's options (cli->cmd->opts) and
 * the global ones, which may follow the command's name ("uiccboot readers
 * --json"); those are taken here and not returned.  Options and
 * positional arguments come in any order, POSIXLY_CORRECT or not: at the
 * end (-1) the positional arguments are argv[optind..argc-1], in the
 * order given; "--" ends the options.  Returns the option's val, -1 at
 * the end, '?' for a bad one (said on stderr and kept for --json; the
 * caller returns cli_usage(cli, NULL)).  main resets optind before the
 * command runs. */
int cli_getopt(struct ub_cli *cli, int argc, char **argv);

/* After cli_getopt's -1: min to max positional arguments
 * (argv[optind..argc-1]), else a usage error that says which is extra or
 * that one is missing.  Returns 0 or UB_E_USAGE. */
int cli_nargs(struct ub_cli *cli, int argc, char **argv, int min, int max);

/* A usage error of the running command: "uiccboot: <path>: <why>" (why
 * from fmt; NULL: what cli_getopt said, if anything), its usage lines and
 * where its help is, on stderr; the message goes into --json's "message".
 * Returns UB_E_USAGE. */
int cli_usage(struct ub_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The policy of --policy (or the default file), loaded once; NULL after
 * printing what failed (*err says it). */
const struct ub_policy *cli_policy(struct ub_cli *cli, int *err);

/* Open the card session (cli->sess) on the chosen reader's card, with
 * PIN1 from --pin, --pin-file, UICCBOOT_PIN or the policy.  Prints what
 * failed. */
int cli_connect(struct ub_cli *cli);

/* The configuration for a library call: the global options, PIN1 and the
 * policy resolved.  NULL after printing what failed (*err). */
const struct ub_boot_config *cli_config(struct ub_cli *cli, int *err);

/* Print a failure on stderr ("uiccboot: <where>: <what>; <hint> [name]")
 * and into the JSON output (error, message, where, sw). */
void cli_fail(struct ub_cli *cli, const struct ub_status *st);

/* cli_fail for a call that returned err with st: the place fmt (the option,
 * say) put in front of st's where; st says err when the call did not. */
void cli_fail_at(struct ub_cli *cli, int err, struct ub_status *st, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Print an error for err: "uiccboot: <what>: <message>; <hint> [name]". */
void cli_error(struct ub_cli *cli, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* printf to fp for text output: everything but a final newline goes
 * through ub_text_putn, so control characters in the arguments (card,
 * message, tree and reader data) are shown as \xNN, never sent raw. */
void cli_print(FILE *fp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The secret of option opt ("--user-pin") into out (max bytes), from the
 * one source given: arg (its value on argv, overwritten with 'x' once
 * copied, since ps shows argv), file (opt-file FILE; "-" is standard
 * input, once per command; see ub_secret_read_file), else the variable
 * env (NULL: none; wiped and unset once copied).  *dst = out when one
 * was given, untouched otherwise.  Prints what failed.  Returns 0,
 * UB_E_USAGE (both arg and file; stdin twice), UB_E_POLICY (a file others
 * may read), UB_E_BAD_DATA (empty, too long, control characters),
 * UB_E_IO.  The caller wipes out with OPENSSL_cleanse. */
int cli_secret(struct ub_cli *cli, const char *opt, char *arg, const char *file, const char *env,
	       char *out, size_t max, const char **dst);

/* Lowercase hex string as a JSON value. */
json_object *cli_json_hex(const uint8_t *b, size_t n);

/* A secret (CK, IK, Kc, Ks_ext_NAF) as a JSON value: its hex with show
 * (the command's --secrets), else UB_SECRET_MASK, "(secret)", as tree get
 * shows a secret leaf: the key stays, the value is masked. */
json_object *cli_json_secret_hex(const uint8_t *b, size_t n, bool show);

/* cli_json_secret_hex into cli->out under key, and without --json the
 * line "<key> <hex or (secret)>" on stdout. */
void cli_put_secret_hex(struct ub_cli *cli, const char *key, const uint8_t *b, size_t n, bool show);

/* The exit code of an ub_err (uiccboot(1): 0, 64, 65, 69, 70, 77). */
int cli_exit_code(int err);
/* The whole command line: global options, the command of list (n of them,
 * in the order of the help) and its run; returns the exit code. */
int cli_main(const struct ub_cmd *const *list, size_t n, int argc, char **argv);

/* The nodes of a plan (secrets masked) as a JSON array; with text, a line
 * each too. */
struct ub_plan;
json_object *cli_plan_nodes(const struct ub_plan *plan, bool text);

/* What the library's result says: status, reason, accounts, renamed,
 * removed (and with a plan, its nodes, secrets masked). */
void cli_report(struct ub_cli *cli, const struct ub_boot_result *r);
/* status, accounts[], renamed[], removed[] of an apply. */
void cli_report_apply(struct ub_cli *cli, const struct ub_apply_result *r);
/* uris as a JSON array; with text, a line "<label> <uri>" each too. */
json_object *cli_uri_list(char *const *uris, size_t n, const char *label, bool text);

/* Open the tree of --tree (default UB_TREE_DEFAULT); prints what failed. */
int cli_tree_open(struct ub_cli *cli, enum ub_tree_mode mode, struct ub_tree **t);

#endif
