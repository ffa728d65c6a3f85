/* uiccboot factory derive | check | apply: per-device DM credentials. */
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "factory.h"

struct fargs {
	const char *key_file, *server_id, *device_id, *format, *client_name;
	char *client_secret, *server_secret; /* on argv: wiped once copied */
	const char *client_secret_file, *server_secret_file;
	bool secrets; /* derive --secrets: print the derived secrets, else masked */
	bool format_given;
};

#define O_KEY                                                       \
	{                                                           \
		"key-file", required_argument, 'k', "FILE",         \
			"the master key (hex, mode 0600; -: stdin)" \
	}
#define O_SERVER                                                                     \
	{                                                                            \
		"server-id", required_argument, 's', "S", "the DM server's ServerID" \
	}
#define O_DEVICE                                                                            \
	{                                                                                   \
		"device-id", required_argument, 'd', "ID", "the device's id (an IMEI, ...)" \
	}
#define O_END                          \
	{                              \
		NULL, 0, 0, NULL, NULL \
	}

static const struct cli_opt derive_opts[] = {
	O_KEY,
	O_SERVER,
	{"format", required_argument, 'f', "F", "csv (default) or json: one object a line"},
	{"secrets", no_argument, 'x', NULL, "print the derived secrets (else (secret))"},
	O_END,
};
static const struct cli_opt check_opts[] = {
	O_KEY,
	O_SERVER,
	O_DEVICE,
	{"client-name", required_argument, 'n', "N", "the presented client name"},
	{"client-secret-file", required_argument, 'C', "FILE",
	 "the presented client secret (-: stdin); or UICCBOOT_CLIENT_SECRET"},
	{"server-secret-file", required_argument, 'F', "FILE",
	 "the presented server secret; or UICCBOOT_SERVER_SECRET"},
	{"client-secret", required_argument, 'c', "X", "the client secret on argv (labs only)"},
	{"server-secret", required_argument, 'S', "Y", "the server secret on argv (labs only)"},
	O_END,
};
static const struct cli_opt apply_opts[] = {O_KEY, O_DEVICE, O_END};

static int fparse(struct ub_cli *cli, int argc, char **argv, struct fargs *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	a->format = "csv";
	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		switch (c) {
		case 'k':
			a->key_file = optarg;
			break;
		case 's':
			a->server_id = optarg;
			break;
		case 'd':
			a->device_id = optarg;
			break;
		case 'f':
			a->format = optarg;
			a->format_given = true;
			break;
		case 'n':
			a->client_name = optarg;
			break;
		case 'c':
			a->client_secret = optarg;
			break;
		case 'S':
			a->server_secret = optarg;
			break;
		case 'C':
			a->client_secret_file = optarg;
			break;
		case 'F':
			a->server_secret_file = optarg;
			break;
		case 'x':
			a->secrets = true;
			break;
		default:
			return cli_usage(cli, NULL);
		}
	}
	if ((c = cli_nargs(cli, argc, argv, 0, 0)))
		return c;
	if (!a->key_file)
		return cli_usage(cli, "--key-file is needed");
	if (strcmp(a->format, "csv") && strcmp(a->format, "json"))
		return cli_usage(cli, "--format is csv or json");
	return 0;
}

/* The master key: a file only its owner can read, holding 16-64 bytes in
 * hex on one line ("-": standard input).  Its contents are never echoed. */
static struct ub_factory *load_key(struct ub_cli *cli, const char *path, int *err)
{
	char text[UB_SECRET_MAX + 1];
	const char *got = NULL;
	struct ub_factory *f = NULL;
	struct ub_status st = {0};

	*err = cli_secret(cli, "--key", NULL, path, NULL, text, sizeof(text), &got);
	if (*err)
		return NULL;
	*err = ub_factory_from_hex(text, &f, &st);
	OPENSSL_cleanse(text, sizeof(text));
	if (*err)
		cli_error(cli, *err, "key file %s: %s", path, st.what);
	return f;
}

static void json_str(FILE *o, const char *k, const char *v, bool last)
{
	fprintf(o, "\"%s\":\"%s\"%s", k, v, last ? "" : ",");
}

static int derive(struct ub_cli *cli, struct fargs *a)
{
	struct ub_factory_creds c;
	struct ub_factory *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0, good = 0, bad = 0;
	bool csv = !strcmp(a->format, "csv");
	const char *csec, *ssec;
	int err = 0;

	if (!a->server_id)
		return cli_usage(cli, "--server-id is needed");
	/* --json: a stream, one object a line (main adds the summary line) */
	if (cli->json && csv && a->format_given)
		return cli_usage(cli, "--json prints JSON lines: not with --format csv");
	csv = csv && !cli->json;
	/* the server id goes into every line: CSV and JSON as they are */
	if (strchr(a->server_id, ',') || strchr(a->server_id, '"') || strchr(a->server_id, '\\'))
		return cli_usage(cli, "--server-id: no ',' '\"' '\\' in a server id");
	cli->stdin_taken = true; /* the device ids */
	if (!(f = load_key(cli, a->key_file, &err)))
		return err;
	if (csv)
		printf("device_id,server_id,client_name,client_secret,server_secret\n");
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		lineno++;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			continue; /* blank lines are not devices */
		if (strchr(line, ',') || strchr(line, '"') || strchr(line, '\\') ||
		    ub_factory_derive(f, line, a->server_id, &c)) {
			fprintf(stderr,
				"uiccboot: stdin:%lu: not a device id (1-128 printable "
				"characters, no ',' '\"' '\\\\'); skipped\n",
				lineno);
			if (cli->json) /* the stream says it too, in its place */
				printf("{\"line\":%lu,\"error\":\"%s\",\"message\":\"not a device "
				       "id "
				       "(1-128 printable characters, no ',' '\\\"' "
				       "'\\\\'); skipped\"}\n",
				       lineno, ub_errname(UB_E_BAD_DATA));
			bad++;
			continue;
		}
		/* ids are printable ASCII (ub_factory_derive refuses others) and
		 * the credentials ours: nothing to escape on this fast path.  The
		 * secrets only with --secrets, else masked as tree get masks them */
		csec = a->secrets ? c.client_secret : UB_TREE_SECRET_MASK;
		ssec = a->secrets ? c.server_secret : UB_TREE_SECRET_MASK;
		if (csv) {
			printf("%s,%s,%s,%s,%s\n", line, a->server_id, c.client_name, csec, ssec);
		} else {
			putchar('{');
			json_str(stdout, "device_id", line, false);
			json_str(stdout, "server_id", a->server_id, false);
			json_str(stdout, "client_name", c.client_name, false);
			json_str(stdout, "client_secret", csec, false);
			json_str(stdout, "server_secret", ssec, true);
			puts("}");
		}
		good++;
	}
	OPENSSL_cleanse(&c, sizeof(c));
	free(line);
	ub_factory_free(f);
	fflush(stdout); /* main wipes stdout's buffer at the end; --json: the summary follows */
	json_object_object_add(cli->out, "derived", json_object_new_int64((int64_t)good));
	json_object_object_add(cli->out, "bad_lines", json_object_new_int64((int64_t)bad));
	if (bad) {
		cli_error(cli, UB_E_BAD_DATA, "%lu of %lu lines skipped", bad, bad + good);
		return UB_E_BAD_DATA;
	}
	return 0;
}

/* The presented secrets: --client-secret[-file] or UICCBOOT_CLIENT_SECRET,
 * --server-secret[-file] or UICCBOOT_SERVER_SECRET (optional). */
static int check_run(struct ub_cli *cli, struct fargs *a, char *csec, char *ssec, size_t max)
{
	struct ub_factory_creds c;
	struct ub_factory *f;
	const char *client_secret = NULL, *server_secret = NULL;
	int err = 0;

	if ((err = cli_secret(cli, "--client-secret", a->client_secret, a->client_secret_file,
			      "UICCBOOT_CLIENT_SECRET", csec, max, &client_secret)) ||
	    (err = cli_secret(cli, "--server-secret", a->server_secret, a->server_secret_file,
			      "UICCBOOT_SERVER_SECRET", ssec, max, &server_secret)))
		return err;
	if (!a->server_id || !a->device_id || !a->client_name || !client_secret)
		return cli_usage(cli, "--server-id, --device-id, --client-name and the client "
				      "secret are needed");
	if (!(f = load_key(cli, a->key_file, &err)))
		return err;
	err = ub_factory_derive(f, a->device_id, a->server_id, &c);
	ub_factory_free(f);
	if (!err)
		err = ub_factory_check(&c, a->client_name, client_secret, server_secret);
	OPENSSL_cleanse(&c, sizeof(c));
	json_object_object_add(cli->out, "valid", json_object_new_boolean(!err));
	if (err) {
		cli_error(cli, err, "device %s", a->device_id);
		return err;
	}
	if (!cli->json)
		printf("valid\n");
	return 0;
}

static int check(struct ub_cli *cli, struct fargs *a)
{
	char csec[UB_SECRET_MAX + 1], ssec[UB_SECRET_MAX + 1];
	int err = check_run(cli, a, csec, ssec, sizeof(csec));

	OPENSSL_cleanse(csec, sizeof(csec));
	OPENSSL_cleanse(ssec, sizeof(ssec));
	return err;
}

/* Device side: the factory-provisioned accounts of the tree filled. */
static int apply(struct ub_cli *cli, struct fargs *a)
{
	struct ub_apply_result *res = calloc(1, sizeof(*res));
	struct ub_factory *f;
	struct ub_tree *t = NULL;
	struct ub_status st = {0};
	int err = 0;

	if (!a->device_id) {
		free(res);
		return cli_usage(cli, "--device-id is needed (the ServerIDs come from the tree)");
	}
	if (!res || !(f = load_key(cli, a->key_file, &err))) {
		free(res);
		return res ? err : UB_E_NOMEM;
	}
	if (!(err = cli_tree_open(cli, UB_TREE_CREATE, &t)))
		err = ub_factory_apply(t, f, a->device_id, res, &st);
	ub_factory_free(f);
	ub_tree_close(t);
	if (!err)
		cli_report_apply(cli, res);
	else if (t)
		cli_error(cli, err, "factory apply: %s", st.what);
	ub_apply_result_free(res);
	free(res);
	return err;
}

#define FACTORY_RUN(name, fn)                                      \
	static int name(struct ub_cli *cli, int argc, char **argv) \
	{                                                          \
		struct fargs a;                                    \
		int err = fparse(cli, argc, argv, &a);             \
		return err ? err : fn(cli, &a);                    \
	}
FACTORY_RUN(derive_run, derive)
FACTORY_RUN(check_run_cmd, check)
FACTORY_RUN(apply_run, apply)

static const struct ub_cmd factory_cmds[] = {
	{.name = "derive",
	 .run = derive_run,
	 .synopsis = "--key-file F --server-id S [--format csv|json] [--secrets] < ids",
	 .summary = "per-device credentials for the device ids on stdin",
	 .text = "Per-device DM credentials (client name, client and server secret; algorithm\n"
		 "uiccboot-factory-v1, HKDF-SHA-256) for each device id on standard input, one\n"
		 "a line, streamed: CSV with a header, or JSON, one object a line (--format\n"
		 "json, or --json, which ends the stream with a summary object).  The secrets\n"
		 "show as (secret) unless --secrets.  Bad lines are said and skipped (exit 65).",
	 .opts = derive_opts},
	{.name = "check",
	 .run = check_run_cmd,
	 .synopsis = "--key-file F --server-id S --device-id ID --client-name N\n"
		     "    --client-secret-file F [--server-secret-file F]",
	 .summary = "verify presented credentials (constant time)",
	 .opts = check_opts},
	{.name = "apply",
	 .run = apply_run,
	 .synopsis = "--key-file F --device-id ID",
	 .summary = "fill the factory-provisioned accounts of the tree",
	 .text = "Fills the credentials of the factory-provisioned accounts of the tree (the\n"
		 "ServerIDs come from the tree).",
	 .opts = apply_opts},
	{.name = NULL},
};

const struct ub_cmd cli_factory_cmd = {
	.name = "factory",
	.summary = "per-device DM credentials: derive, check, apply",
	.subs = factory_cmds,
};
