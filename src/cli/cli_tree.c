/* uiccboot tree list|get|export|import|forget: the device tree that
 * push, bootstrap and factory apply write. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_tree_open(struct ub_cli *cli, enum ub_tree_mode mode, struct ub_tree **t)
{
	struct ub_status st = {0};
	int err = ub_boot_tree_open(&cli->cfg, mode, t, &st);

	if (err)
		cli_fail(cli, &st);
	return err;
}

static void list_cb(const char *name, void *arg)
{
	struct ub_cli *cli = arg;
	json_object *kids = json_object_object_get(cli->out, "children");

	json_object_array_add(kids, json_object_new_string(name));
	if (!cli->json)
		cli_print(stdout, "%s\n", name);
}

static int tree_list(struct ub_cli *cli, struct ub_tree *t, const char *uri)
{
	struct ub_tree_node n;
	int err = ub_tree_get(t, uri, &n);

	if (err) {
		cli_error(cli, err, "device tree node %s", uri);
		return err;
	}
	ub_tree_node_free(&n);
	json_object_object_add(cli->out, "uri", json_object_new_string(uri));
	json_object_object_add(cli->out, "children", json_object_new_array());
	err = ub_tree_list(t, uri, list_cb, cli);
	return err < 0 ? err : 0;
}

static int tree_get(struct ub_cli *cli, struct ub_tree *t, const char *uri, bool secrets)
{
	static const char *const keys[] = {"uri", "format", "type",  "value",
					   "acl", "server", "source"};
	struct ub_tree_node n;
	char acl[UB_TREE_ACL_MAX + 1];
	const char *v[7];
	int err, i;

	if ((err = ub_tree_get(t, uri, &n)) ||
	    (err = ub_tree_effective_acl(t, uri, acl, sizeof(acl)))) {
		if (!err)
			ub_tree_node_free(&n);
		cli_error(cli, err, "device tree node %s", uri);
		return err;
	}
	v[0] = n.uri, v[1] = n.format, v[2] = n.type, v[3] = n.value, v[4] = n.acl;
	v[5] = n.server, v[6] = n.source;
	if (n.value && ub_tree_is_secret(uri) && !secrets)
		v[3] = UB_TREE_SECRET_MASK; /* --secrets shows it */
	for (i = 0; i < 7; i++) {
		json_object_object_add(cli->out, keys[i],
				       v[i] ? json_object_new_string(v[i]) : NULL);
		if (!cli->json && v[i] && (i != 4 || *v[i]))
			cli_print(stdout, "%-8s %s\n", keys[i], v[i]);
	}
	json_object_object_add(cli->out, "effective_acl", json_object_new_string(acl));
	if (!cli->json && !n.acl[0])
		cli_print(stdout, "%-8s %s (inherited)\n", "acl", acl);
	if (n.value)
		OPENSSL_cleanse(n.value, strlen(n.value)); /* an AAuthSecret, perhaps */
	ub_tree_node_free(&n);
	return 0;
}

static int tree_import(struct ub_cli *cli, struct ub_tree *t, const char *file, const char *source)
{
	struct ub_apply_result *res = calloc(1, sizeof(*res));
	struct ub_status st = {0};
	bool std = !strcmp(file, "-");
	FILE *fp = std ? stdin : fopen(file, "rb");
	int err;

	if (!fp || !res) {
		free(res);
		if (fp && !std)
			fclose(fp);
		cli_error(cli, UB_E_IO, "%s: %s", file, strerror(errno));
		return UB_E_IO;
	}
	setvbuf(fp, NULL, _IONBF, 0); /* no stdio copy of the document to leave behind */
	err = ub_tree_import_tnds(t, fp, source, res, &st);
	if (!std)
		fclose(fp);
	if (err)
		cli_error(cli, err, "%s: %s", std ? "standard input" : file, st.what);
	else
		cli_report_apply(cli, res);
	ub_apply_result_free(res);
	free(res);
	return err;
}

static int tree_forget(struct ub_cli *cli, struct ub_tree *t, const char *source)
{
	struct ub_apply_result res = {0};
	struct ub_status st = {0};
	int err = ub_tree_forget_source(t, source, &res, &st);

	json_object_object_add(cli->out, "source", json_object_new_string(source));
	if (err)
		cli_error(cli, err, "tree forget: %s", st.what);
	else
		cli_report_apply(cli, &res);
	ub_apply_result_free(&res);
	return err;
}

/* The document of an export: to --out (a new file of mode 0600 put in
 * place atomically), into the JSON object (--json), or on stdout. */
static int tree_export(struct ub_cli *cli, struct ub_tree *t, const char *uri, bool secrets,
		       const char *out)
{
	struct ub_secret_out o = {.fd = -1};
	struct ub_status st = {0};
	char *doc = NULL;
	size_t len = 0;
	FILE *fp = stdout;
	int err = 0;

	if (out) {
		if ((err = ub_secret_out_open(&o, out, &st))) {
			cli_fail_at(cli, err, &st, "--out");
			return err;
		}
		fp = fdopen(dup(o.fd), "w");
	} else if (cli->json) {
		fp = open_memstream(&doc, &len);
	}
	if (!fp) {
		ub_secret_out_abort(&o);
		cli_error(cli, UB_E_NOMEM, "exporting %s: %s", uri, strerror(errno));
		return UB_E_NOMEM;
	}
	err = ub_tree_export_tnds(t, uri, secrets, fp);
	if (fp != stdout && fclose(fp) && !err)
		err = UB_E_IO;
	if (!err && out && (err = ub_secret_out_commit(&o, &st))) {
		cli_fail_at(cli, err, &st, "--out");
		return err;
	}
	ub_secret_out_abort(&o); /* after a failure: the new file goes */
	if (err) {
		cli_error(cli, err, "exporting %s", uri);
	} else {
		json_object_object_add(cli->out, "uri", json_object_new_string(uri));
		json_object_object_add(cli->out, "format", json_object_new_string("tnds"));
		json_object_object_add(cli->out, "secrets", json_object_new_boolean(secrets));
		json_object_object_add(cli->out, out ? "out" : "document",
				       json_object_new_string_len(
					       out ? out : doc, out ? (int)strlen(out) : (int)len));
	}
	if (doc)
		OPENSSL_cleanse(doc, len); /* a backup holds the accounts' secrets */
	free(doc);
	return err;
}

enum { TREE_SECRETS = 'S', TREE_SOURCE = 's', TREE_FORMAT = 'f', TREE_OUT = 'o' };

static const struct cli_opt get_opts[] = {
	{"secrets", no_argument, TREE_SECRETS, NULL, "show a secret value (else (secret))"},
	{NULL, 0, 0, NULL, NULL},
};
static const struct cli_opt export_opts[] = {
	{"secrets", no_argument, TREE_SECRETS, NULL,
	 "secret values as they are (a backup), else (secret)"},
	{"out", required_argument, TREE_OUT, "FILE",
	 "write FILE (mode 0600, replaced atomically, never through a link)"},
	{"format", required_argument, TREE_FORMAT, "F", "tnds, the only one (OMA DM-TNDS 1.2)"},
	{NULL, 0, 0, NULL, NULL},
};
static const struct cli_opt forget_opts[] = {
	{"source", required_argument, TREE_SOURCE, "S",
	 "what to remove: iccid:<ICCID> (a card), push, import or factory"},
	{NULL, 0, 0, NULL, NULL},
};
static const struct cli_opt import_opts[] = {
	{"source", required_argument, TREE_SOURCE, "S",
	 "import (default) or factory: what the accounts came from"},
	{NULL, 0, 0, NULL, NULL},
};

/* Each tree command: its options and arguments, the tree, its work. */
static int tree_run(struct ub_cli *cli, int argc, char **argv)
{
	const char *sub = cli->cmd->name, *source = NULL, *format = "tnds", *out = NULL, *arg;
	enum ub_source kind;
	bool named;
	bool secrets = false, list = !strcmp(sub, "list"), get = !strcmp(sub, "get"),
	     import = !strcmp(sub, "import"), forget = !strcmp(sub, "forget");
	struct ub_tree *t;
	int c, err;

	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		if (c == TREE_SECRETS)
			secrets = true;
		else if (c == TREE_SOURCE)
			source = optarg;
		else if (c == TREE_FORMAT)
			format = optarg;
		else if (c == TREE_OUT)
			out = optarg;
		else
			return cli_usage(cli, NULL);
	}
	if ((err = cli_nargs(cli, argc, argv, get || import ? 1 : 0, forget ? 0 : 1)))
		return err;
	arg = optind < argc ? argv[optind] : NULL;
	if (strcmp(format, "tnds"))
		return cli_usage(cli, "--format: tnds is the only one");
	if (!forget && !source)
		source = ub_source_name(UB_SRC_IMPORT);
	named = ub_source_parse(source, &kind);
	if (forget && !named)
		return cli_usage(cli, "--source is iccid:<ICCID>, push, import or factory");
	if (!forget && kind != UB_SRC_IMPORT && kind != UB_SRC_FACTORY)
		return cli_usage(cli, "--source is import or factory");
	if (import && !strcmp(arg, "-")) {
		if (cli->stdin_taken)
			return cli_usage(cli, "standard input is taken already");
		cli->stdin_taken = true;
	}
	/* import creates the tree, forget writes an existing one: a mistyped
	 * --tree is an error, not a new tree */
	if ((err = cli_tree_open(cli,
				 import	  ? UB_TREE_CREATE
				 : forget ? UB_TREE_WRITE
					  : UB_TREE_READ,
				 &t)))
		return err;
	if (list)
		err = tree_list(cli, t, arg ? arg : ".");
	else if (get)
		err = tree_get(cli, t, arg, secrets);
	else if (import)
		err = tree_import(cli, t, arg, source);
	else if (forget)
		err = tree_forget(cli, t, source);
	else
		err = tree_export(cli, t, arg ? arg : ".", secrets, out);
	ub_tree_close(t);
	return err;
}

static const struct ub_cmd tree_cmds[] = {
	{.name = "list",
	 .run = tree_run,
	 .synopsis = "[URI]",
	 .summary = "the child names of a node (default .)"},
	{.name = "get",
	 .run = tree_run,
	 .synopsis = "[--secrets] URI",
	 .summary = "a node: format, type, value, ACL, owner, source",
	 .text = "A node's format, type, value, ACL (its own or the inherited one), owner and\n"
		 "source.  A secret value shows as (secret) unless --secrets.",
	 .opts = get_opts},
	{.name = "export",
	 .run = tree_run,
	 .synopsis = "[--secrets] [--out FILE] [URI]",
	 .summary = "the tree or a subtree as TNDS XML",
	 .text = "The tree, or the subtree at URI, as TNDS XML (OMA DM-TNDS 1.2), on standard\n"
		 "output, or into FILE (--out), or with --json as the \"document\" member of\n"
		 "the JSON object.  Secret values show as (secret) unless --secrets; only such\n"
		 "an export is a backup that 'tree import' restores: write it with --out,\n"
		 "which creates FILE with mode 0600 and never writes through a link.",
	 .opts = export_opts},
	{.name = "import",
	 .run = tree_run,
	 .synopsis = "[--source import|factory] FILE|-",
	 .summary = "a TNDS XML document (a backup) applied in one transaction",
	 .text = "A TNDS XML document (FILE, or - for standard input) applied in one\n"
		 "transaction; --source factory marks factory-provisioned accounts.  A secret\n"
		 "leaf holding (secret), from an export without --secrets, is refused (exit\n"
		 "65, naming the node): nothing is imported.",
	 .opts = import_opts},
	{.name = "forget",
	 .run = tree_run,
	 .synopsis = "--source iccid:<ICCID>|push|import|factory",
	 .summary = "remove everything one source wrote (a card no longer used)",
	 .text = "Removes, in one transaction, every node that the source wrote and what the\n"
		 "tree remembers of it: for a card (iccid:<ICCID>, as 'tree get' shows a\n"
		 "node's source) its DM, CP and LwM2M data.  A card taken out leaves its data\n"
		 "(its operator's account is how a lost device is reached) unless the policy's\n"
		 "[smartcard] remove_absent says otherwise; this is the owner's way to remove\n"
		 "it.  Nothing of the source in the tree: exit 69.  A node of another source\n"
		 "below one of its nodes: nothing removed, exit 65.",
	 .opts = forget_opts},
	{.name = NULL},
};

const struct ub_cmd cli_tree_cmd = {
	.name = "tree",
	.summary = "the device tree: list, get, export, import, forget",
	.subs = tree_cmds,
};
