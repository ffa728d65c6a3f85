/* uiccboot push and uiccboot bootstrap: the library's push and power-on
 * bootstrap (boot.h), and what they did, printed. */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ub_hex.h"
#include "ub_plan.h"

static const char *kind_name(enum ub_plan_kind k)
{
	return k == UB_PLAN_CP ? "cp" : k == UB_PLAN_DM11 ? "dm1.1" : "dm1.2";
}

static json_object *uri_list(char *const *uris, size_t n, const char *label, bool text)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object_array_add(arr, json_object_new_string(uris[i]));
		if (text)
			cli_print(stdout, "%-9s %s\n", label, uris[i]);
	}
	return arr;
}

static void report_lists(struct ub_cli *cli, const struct ub_apply_result *r)
{
	json_object *ren = json_object_new_array(), *o;
	size_t i;

	json_object_object_add(cli->out, "accounts",
			       uri_list(r->accounts, r->naccounts, "account", !cli->json));
	for (i = 0; i < r->nrenamed; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "from", json_object_new_string(r->renamed[i].from));
		json_object_object_add(o, "to", json_object_new_string(r->renamed[i].to));
		json_object_array_add(ren, o);
		if (!cli->json)
			cli_print(stdout, "renamed   %s -> %s\n", r->renamed[i].from,
				  r->renamed[i].to);
	}
	json_object_object_add(cli->out, "renamed", ren);
	json_object_object_add(cli->out, "removed",
			       uri_list(r->removed, r->nremoved, "removed", !cli->json));
}

void cli_report_apply(struct ub_cli *cli, const struct ub_apply_result *r)
{
	const char *status = r->unchanged ? "unchanged" : "applied";

	json_object_object_add(cli->out, "status", json_object_new_string(status));
	if (!cli->json)
		cli_print(stdout, "status    %s\n", status);
	report_lists(cli, r);
}

/* The plan of a dry run: its kind, accounts and nodes, secrets masked. */
static void report_plan(struct ub_cli *cli, const struct ub_plan *plan)
{
	json_object *arr = json_object_new_array(), *nodes = json_object_new_array();
	const char *s;
	size_t i;

	json_object_object_add(cli->out, "kind", json_object_new_string(kind_name(plan->kind)));
	json_object_object_add(cli->out, "source",
			       plan->source[0] ? json_object_new_string(plan->source) : NULL);
	for (i = 0; (s = ub_plan_server(plan, i)); i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "server_id", json_object_new_string(s));
		json_object_array_add(arr, a);
		if (!cli->json)
			cli_print(stdout, "account   %s\n", s);
	}
	json_object_object_add(cli->out, "accounts", arr);
	json_object_object_add(cli->out, "renamed", json_object_new_array());
	for (i = 0; i < plan->nnodes; i++) {
		const struct ub_plan_node *n = &plan->nodes[i];
		json_object *o = json_object_new_object();
		/* AAuthSecret, ConnMO passwords and the like are never printed */
		const char *v = n->value && ub_dm_is_secret(n->uri) ? UB_SECRET_MASK : n->value;

		json_object_object_add(o, "uri", json_object_new_string(n->uri));
		json_object_object_add(o, "format", json_object_new_string(n->format));
		json_object_object_add(o, "type", n->type ? json_object_new_string(n->type) : NULL);
		json_object_object_add(o, "value", v ? json_object_new_string(v) : NULL);
		json_object_object_add(o, "acl", n->acl ? json_object_new_string(n->acl) : NULL);
		json_object_array_add(nodes, o);
		if (!cli->json)
			cli_print(stdout, "  %s%s%s\n", n->uri, v ? " = " : "/", v ? v : "");
	}
	json_object_object_add(cli->out, "nodes", nodes);
	json_object_object_add(cli->out, "dry_run", json_object_new_boolean(true));
}

void cli_report(struct ub_cli *cli, const struct ub_boot_result *r)
{
	const char *reason = r->outcome >= UB_OUT_REJECTED ? r->status.what : NULL;
	const char *status = ub_outcome_name(r->outcome);

	json_object_object_add(cli->out, "status", json_object_new_string(status));
	json_object_object_add(cli->out, "reason",
			       reason && *reason ? json_object_new_string(reason) : NULL);
	if (!cli->json)
		cli_print(stdout, "status    %s%s%s\n", status, reason && *reason ? ": " : "",
			  reason ? reason : "");
	if (r->iccid[0])
		json_object_object_add(cli->out, "iccid", json_object_new_string(r->iccid));
	if (r->iccid[0] || r->object)
		json_object_object_add(cli->out, "object",
				       r->object ? json_object_new_string(r->object) : NULL);
	if (r->outcome == UB_OUT_VERIFIED)
		report_plan(cli, &r->plan);
	else if (r->outcome <= UB_OUT_UNCHANGED || r->apply.nremoved)
		report_lists(cli, &r->apply);
	cli->apdus += r->apdus;
}

static int read_file(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return UB_E_IO;
	setvbuf(fp, NULL, _IONBF, 0); /* no stdio copy of the message to leave behind */
	n = fread(buf, 1, max, fp);
	fclose(fp);
	*len = n;
	return n >= max ? UB_E_BAD_DATA : 0; /* larger than the 64 KiB bound */
}

/* The message and the PINs: wiped before cli_push returns. */
struct push_mem {
	uint8_t body[UB_DOC_MAX + 1];
	uint8_t wsp[512];
	char user_pin[UB_SECRET_MAX + 1];
};

static int push_run(struct ub_cli *cli, int argc, char **argv, struct push_mem *m)
{
	static const struct option opts[] = {{"content-type", required_argument, NULL, 'c'},
					     {"wsp-content-type", required_argument, NULL, 'w'},
					     {"transport", required_argument, NULL, 't'},
					     {"user-pin", required_argument, NULL, 'p'},
					     {"user-pin-file", required_argument, NULL, 'P'},
					     {"dry-run", no_argument, NULL, 'n'},
					     {NULL, 0, NULL, 0}};
	static const char *usage =
		"uiccboot push FILE --content-type STR [--transport secure|insecure] "
		"[--user-pin-file F | --user-pin PIN] [--dry-run]\n"
		"       (--wsp-content-type HEX: the WSP binary header value instead;\n"
		"        the user PIN also from UICCBOOT_USER_PIN)";
	struct ub_boot_config cfg;
	const struct ub_boot_config *base;
	struct ub_push_msg msg = {0};
	struct ub_boot_result r = {0};
	const char *ctype = NULL, *wsp = NULL, *transport = "insecure", *pin_file = NULL;
	char *pin_arg = NULL;
	bool dry = false;
	int c, err = 0, n;

	/* FILE may come before or after the options (GNU permutation) */
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'c':
			ctype = optarg;
			break;
		case 'w':
			wsp = optarg;
			break;
		case 't':
			transport = optarg;
			break;
		case 'p':
			pin_arg = optarg;
			break;
		case 'P':
			pin_file = optarg;
			break;
		case 'n':
			dry = true;
			break;
		default:
			fprintf(stderr, "usage: %s\n", usage);
			return UB_E_USAGE;
		}
	}
	if (optind + 1 != argc || (!ctype == !wsp) ||
	    (strcmp(transport, "secure") && strcmp(transport, "insecure"))) {
		fprintf(stderr, "usage: %s\n", usage);
		return UB_E_USAGE;
	}
	if ((err = cli_secret(cli, "--user-pin", pin_arg, pin_file, "UICCBOOT_USER_PIN",
			      m->user_pin, sizeof(m->user_pin), &msg.user_pin)))
		return err;
	if (!(base = cli_config(cli, &err)))
		return err;
	cfg = *base;
	cfg.dry_run = dry;
	msg.secure_transport = !strcmp(transport, "secure");
	if ((err = read_file(argv[optind], m->body, sizeof(m->body), &msg.len))) {
		cli_error(cli, err, "%s: %s", argv[optind],
			  err == UB_E_IO ? strerror(errno) : "larger than 64 KiB");
		return err;
	}
	msg.body = m->body;
	if (wsp) {
		if ((n = ub_unhex(m->wsp, sizeof(m->wsp), wsp)) < 0) {
			fprintf(stderr, "usage: %s\n", usage);
			return UB_E_USAGE;
		}
		msg.wsp_ctype = m->wsp;
		msg.wsp_ctype_len = (size_t)n;
	} else {
		msg.content_type = ctype;
	}
	err = ub_boot_push(&cfg, &msg, &r);
	json_object_object_add(cli->out, "sec", r.sec ? json_object_new_string(r.sec) : NULL);
	cli_report(cli, &r);
	if (err)
		cli_fail(cli, &r.status);
	ub_boot_result_free(&r);
	return err;
}

int cli_push(struct ub_cli *cli, int argc, char **argv)
{
	/* 64 KiB and more: on the heap, wiped before it is freed */
	struct push_mem *m = malloc(sizeof(*m));
	int err;

	if (!m)
		return UB_E_NOMEM;
	err = push_run(cli, argc, argv, m);
	OPENSSL_cleanse(m, sizeof(*m));
	free(m);
	return err;
}

/* --all-readers: a line (or a JSON object) per reader, then the removal. */
static int boot_all(struct ub_cli *cli, const struct ub_boot_config *cfg)
{
	json_object *arr = json_object_new_array();
	struct ub_boot_all all;
	size_t i;
	int err = ub_boot_all_readers(cfg, &all);

	json_object_object_add(cli->out, "readers", arr);
	for (i = 0; i < all.ncards; i++) {
		const struct ub_boot_result *r = &all.cards[i];
		json_object *o = json_object_new_object(), *save = cli->out;
		bool json = cli->json;

		json_object_object_add(o, "reader", json_object_new_string(r->reader));
		cli->out = o;
		cli->json = true; /* the summary line below, not the details */
		cli_report(cli, r);
		if (r->outcome == UB_OUT_FAILED)
			json_object_object_add(o, "error",
					       json_object_new_string(ub_errname(r->status.err)));
		json_object_object_add(o, "apdus", json_object_new_int((int)r->apdus));
		cli->out = save;
		cli->json = json;
		json_object_array_add(arr, o);
		if (!cli->json)
			cli_print(stdout, "%s: %s%s%s%s\n", r->reader, ub_outcome_name(r->outcome),
				  r->status.err ? " (" : "",
				  r->status.err ? ub_errname(r->status.err) : "",
				  r->status.err ? ")" : "");
	}
	if (all.removal_done && !cli->json)
		for (i = 0; i < all.removal.nremoved; i++)
			cli_print(stdout, "removed   %s\n", all.removal.removed[i]);
	json_object_object_add(cli->out, "removed",
			       uri_list(all.removal.removed, all.removal.nremoved, "", false));
	if (err) {
		if (err == UB_E_NO_CARD && all.removal_done)
			snprintf(all.status.what, sizeof(all.status.what),
				 "no reader holds a card; data of earlier cards removed");
		cli_fail(cli, &all.status);
	}
	ub_boot_all_free(&all);
	return err;
}

/* Power-on: the card's bootstrap object applied to the tree under the
 * card's ICCID; what an absent card, or a card whose object is gone, had
 * written is removed ([smartcard] remove_stale). */
int cli_bootstrap(struct ub_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
					     {"all-readers", no_argument, NULL, 'a'},
					     {NULL, 0, NULL, 0}};
	static const char *usage = "uiccboot bootstrap [--dry-run | --all-readers]";
	const struct ub_boot_config *base;
	struct ub_boot_config cfg;
	struct ub_boot_result r = {0};
	bool all = false;
	int c, err = 0;

	memset(&cfg, 0, sizeof(cfg));
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'n') {
			cfg.dry_run = true;
		} else if (c == 'a') {
			all = true;
		} else {
			fprintf(stderr, "usage: %s\n", usage);
			return UB_E_USAGE;
		}
	}
	if (optind != argc || (cfg.dry_run && all)) {
		fprintf(stderr, "usage: %s\n", usage);
		return UB_E_USAGE;
	}
	if (!(base = cli_config(cli, &err)))
		return err;
	c = cfg.dry_run;
	cfg = *base;
	cfg.dry_run = c;
	if (all)
		return boot_all(cli, &cfg);
	err = ub_boot_card(&cfg, &r);
	cli_report(cli, &r);
	if (err == UB_E_NO_CARD && r.outcome == UB_OUT_APPLIED) {
		char what[sizeof(r.status.what)];

		snprintf(what, sizeof(what), "%s", r.status.what);
		snprintf(r.status.what, sizeof(r.status.what),
			 "%.300s; data of earlier cards removed", what);
	}
	if (err)
		cli_fail(cli, &r.status);
	ub_boot_result_free(&r);
	return err;
}
