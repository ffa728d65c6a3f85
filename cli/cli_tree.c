/* uiccboot tree list|get|export|import: the device tree that push,
 * bootstrap and factory apply write. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "ub_apply.h"
#include "ub_workflow.h"

int cli_tree_open(struct ub_cli *cli, enum ub_tree_mode mode, struct ub_tree **t)
{
	struct ub_status st = {0};
	int err = ub_wf_tree_open(&cli->cfg, mode, t, &st);

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
	char acl[UB_ACL_MAX + 1];
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
	if (n.value && ub_dm_is_secret(uri) && !secrets)
		v[3] = UB_SECRET_MASK; /* --secrets shows it */
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

/* The whole file, up to what an import reads (one byte more says it is
 * too long); the buffer grows by doubling, each old one wiped. */
static int read_doc(FILE *fp, char **out, size_t *len)
{
	size_t cap = 64 * 1024, n = 0, got;
	char *b = malloc(cap), *nb;

	*out = NULL;
	*len = 0;
	while (b) {
		got = fread(b + n, 1, cap - n, fp);
		n += got;
		if (n > UB_TNDS_MAX)
			break;
		if (n < cap) {
			if (ferror(fp))
				break;
			*out = b;
			*len = n;
			return 0;
		}
		nb = malloc(cap * 2);
		if (nb)
			memcpy(nb, b, n);
		OPENSSL_cleanse(b, n);
		free(b);
		b = nb;
		cap *= 2;
	}
	if (!b)
		return UB_E_NOMEM;
	OPENSSL_cleanse(b, n);
	free(b);
	return n > UB_TNDS_MAX ? UB_E_BAD_DATA : UB_E_IO;
}

static int tree_import(struct ub_cli *cli, struct ub_tree *t, const char *file, const char *source)
{
	struct ub_apply_opts o = {.source = source};
	struct ub_apply_result *res = calloc(1, sizeof(*res));
	struct ub_policy pol;
	struct ub_plan plan;
	char reason[400], *xml = NULL;
	size_t len = 0;
	FILE *fp = fopen(file, "rb");
	int err;

	ub_policy_defaults(&pol); /* the device's own data: no server rules */
	if (!fp || !res) {
		free(res);
		if (fp)
			fclose(fp);
		cli_error(cli, UB_E_IO, "%s: %s", file, strerror(errno));
		return UB_E_IO;
	}
	setvbuf(fp, NULL, _IONBF, 0); /* no stdio copy of the document to leave behind */
	err = read_doc(fp, &xml, &len);
	fclose(fp);
	if (!err)
		err = ub_plan_from_tnds(xml, len, &plan, reason, sizeof(reason));
	else if (err == UB_E_BAD_DATA)
		snprintf(reason, sizeof(reason),
			 "larger than %zu bytes (the export of a full tree)", (size_t)UB_TNDS_MAX);
	else
		snprintf(reason, sizeof(reason), "%s", strerror(errno));
	if (xml)
		OPENSSL_cleanse(xml, len); /* a backup holds the accounts' secrets */
	free(xml);
	if (err) {
		free(res);
		cli_error(cli, err, "%s: %s", file, reason);
		return err;
	}
	err = ub_tree_apply(t, &plan, &pol, &o, res, reason, sizeof(reason));
	ub_plan_free(&plan);
	if (err)
		cli_error(cli, err, "%s: %s", file, reason);
	else
		cli_report_apply(cli, res);
	ub_apply_result_free(res);
	free(res);
	return err;
}

int cli_tree(struct ub_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
					     {"source", required_argument, NULL, 's'},
					     {"secrets", no_argument, NULL, 'S'},
					     {NULL, 0, NULL, 0}};
	static const char *usage =
		"uiccboot tree list [URI] | get [--secrets] URI | export [--secrets] [URI] |\n"
		"       import [--source factory|import] FILE.xml";
	const char *format = "tnds", *source = "import", *sub, *arg;
	struct ub_tree *t;
	bool secrets = false;
	int c, err;

	if (argc < 2) {
		fprintf(stderr, "usage: %s\n", usage);
		return UB_E_USAGE;
	}
	sub = argv[1];
	optind = 2;
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 's':
			source = optarg;
			break;
		case 'S':
			secrets = true;
			break;
		default:
			fprintf(stderr, "usage: %s\n", usage);
			return UB_E_USAGE;
		}
	}
	arg = optind < argc ? argv[optind] : NULL;
	if (optind + 1 < argc || strcmp(format, "tnds") ||
	    (strcmp(source, "import") && strcmp(source, "factory")) ||
	    (!arg && (!strcmp(sub, "get") || !strcmp(sub, "import"))) ||
	    (strcmp(sub, "list") && strcmp(sub, "get") && strcmp(sub, "export") &&
	     strcmp(sub, "import"))) {
		fprintf(stderr, "usage: %s\n", usage);
		return UB_E_USAGE;
	}
	/* only import writes: a mistyped --tree is an error, not a new tree */
	if ((err = cli_tree_open(cli, strcmp(sub, "import") ? UB_TREE_READ : UB_TREE_CREATE, &t)))
		return err;
	if (!strcmp(sub, "list")) {
		err = tree_list(cli, t, arg ? arg : ".");
	} else if (!strcmp(sub, "get")) {
		err = tree_get(cli, t, arg, secrets);
	} else if (!strcmp(sub, "import")) {
		err = tree_import(cli, t, arg, source);
	} else {
		cli->json = false; /* the document is the output */
		err = ub_tree_export_tnds(t, arg ? arg : ".", secrets, stdout);
		if (err)
			cli_error(cli, err, "exporting %s", arg ? arg : ".");
	}
	ub_tree_close(t);
	return err;
}
