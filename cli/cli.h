/* Shared state of the uiccboot command line. */
#ifndef UB_CLI_H
#define UB_CLI_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "ub_pcsc.h"
#include "ub_uicc.h"

struct ub_cli {
	const char *reader; /* -r */
	long wait_s;	    /* --wait */
	bool verbose;	    /* -v: trace to stderr */
	const char *trace_file;
	bool trace_secrets;
	bool json;
	bool exclusive;
	bool reset;
	const char *pin;    /* --pin, --pin-file, UICCBOOT_PIN or the policy's pin1 */
	const char *policy; /* --policy */
	const char *tree;   /* --tree */

	struct ub_trace trace;
	SCARDCONTEXT ctx;
	bool have_ctx;
	struct ub_card card;
	bool have_card;
	bool in_tx;
	bool channel;	     /* --channel: work on a logical channel */
	struct ub_uicc uicc; /* the card session of the command */
	bool have_uicc;
	json_object *out; /* the one JSON object printed with --json */
	bool stdin_taken; /* a secret was read from standard input */
};

struct ub_cmd {
	const char *name;
	int (*run)(struct ub_cli *cli, int argc, char **argv);
	const char *usage;
};

/* Open the PC/SC context and connect to the chosen reader's card
 * (waiting up to --wait seconds).  Messages name the reader. */
int cli_connect(struct ub_cli *cli);

/* End the card session, the transaction, the connection and the context. */
void cli_session_end(struct ub_cli *cli);

/* Start the card session (cli->uicc) on the connected card: on a logical
 * channel with --channel (the basic one when the card refuses). */
int cli_uicc_start(struct ub_cli *cli);

/* Print an error line for err on stderr: "uiccboot: <where>: <message>",
 * escaped as cli_print does. */
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

/* Exit code of PRODUCT.md for an ub_err. */
int cli_exit_code(int err);

int cli_readers(struct ub_cli *cli, int argc, char **argv);
int cli_info(struct ub_cli *cli, int argc, char **argv);
int cli_auth(struct ub_cli *cli, int argc, char **argv);
int cli_gba(struct ub_cli *cli, int argc, char **argv);
int cli_push(struct ub_cli *cli, int argc, char **argv);
int cli_bootstrap(struct ub_cli *cli, int argc, char **argv);
int cli_factory(struct ub_cli *cli, int argc, char **argv);
int cli_tree(struct ub_cli *cli, int argc, char **argv);
int cli_sms(struct ub_cli *cli, int argc, char **argv);

struct ub_tree;
struct ub_apply_result;
/* Open --tree (default /var/lib/uiccboot/dmtree.db); says what failed. */
int cli_tree_open(struct ub_cli *cli, struct ub_tree **t);
/* status, accounts[], renamed[], removed[] of an apply. */
void cli_report_apply(struct ub_cli *cli, const struct ub_apply_result *r);

#endif
