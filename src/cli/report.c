/* Printing what the library did: a bootstrap's outcome, an apply's
 * accounts, renames and removals, a dry run's plan (secrets masked). */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hex.h"

json_object *cli_uri_list(char *const *uris, size_t n, const char *label, bool text)
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

static void report_renames(struct ub_cli *cli, const struct ub_apply_result *r)
{
	json_object *ren = json_object_new_array(), *o;
	size_t i;

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
}

static void report_removed(struct ub_cli *cli, const struct ub_apply_result *r)
{
	json_object_object_add(cli->out, "removed",
			       cli_uri_list(r->removed, r->nremoved, "removed", !cli->json));
}

static void report_lists(struct ub_cli *cli, const struct ub_apply_result *r)
{
	json_object_object_add(cli->out, "accounts",
			       cli_uri_list(r->accounts, r->naccounts, "account", !cli->json));
	report_renames(cli, r);
	report_removed(cli, r);
}

void cli_report_apply(struct ub_cli *cli, const struct ub_apply_result *r)
{
	const char *status = r->unchanged ? "unchanged" : "applied";

	json_object_object_add(cli->out, "status", json_object_new_string(status));
	if (!cli->json)
		cli_print(stdout, "status    %s\n", status);
	report_lists(cli, r);
}

json_object *cli_plan_nodes(const struct ub_plan *plan, bool text)
{
	json_object *nodes = json_object_new_array();
	size_t i;

	for (i = 0; i < plan->nnodes; i++) {
		const struct ub_plan_node *n = &plan->nodes[i];
		json_object *o = json_object_new_object();
		/* AAuthSecret, ConnMO passwords, LwM2M keys are never printed */
		const char *v =
			n->value && ub_tree_is_secret(n->uri) ? UB_TREE_SECRET_MASK : n->value;

		json_object_object_add(o, "uri", json_object_new_string(n->uri));
		json_object_object_add(o, "format", json_object_new_string(n->format));
		json_object_object_add(o, "type", n->type ? json_object_new_string(n->type) : NULL);
		json_object_object_add(o, "value", v ? json_object_new_string(v) : NULL);
		json_object_object_add(o, "acl", n->acl ? json_object_new_string(n->acl) : NULL);
		json_object_array_add(nodes, o);
		if (text)
			cli_print(stdout, "  %s%s%s\n", n->uri, v ? " = " : "/", v ? v : "");
	}
	return nodes;
}

/* The plan of a dry run: its kind, accounts (and where the tree would
 * put them) and nodes, secrets masked. */
static void report_plan(struct ub_cli *cli, const struct ub_boot_result *r)
{
	const struct ub_plan *plan = &r->plan;
	const struct ub_apply_result *res = &r->apply;
	json_object *arr = json_object_new_array();
	const char *s, *uri;
	size_t i;

	json_object_object_add(cli->out, "kind",
			       json_object_new_string(ub_plan_kind_name(plan->kind)));
	json_object_object_add(cli->out, "source",
			       plan->source[0] ? json_object_new_string(plan->source) : NULL);
	json_object_object_add(cli->out, "tree_checked", json_object_new_boolean(r->tree_checked));
	for (i = 0; (s = ub_plan_server(plan, i)); i++) {
		json_object *a = json_object_new_object();

		/* apply lists the accounts in the plan's order */
		uri = r->tree_checked && i < res->naccounts ? res->accounts[i] : NULL;
		json_object_object_add(a, "server_id", json_object_new_string(s));
		json_object_object_add(a, "uri", uri ? json_object_new_string(uri) : NULL);
		json_object_array_add(arr, a);
		if (!cli->json)
			cli_print(stdout, "account   %s%s%s\n", s, uri ? " -> " : "",
				  uri ? uri : "");
	}
	json_object_object_add(cli->out, "accounts", arr);
	if (r->tree_checked) {
		report_renames(cli, res);
		report_removed(cli, res);
		json_object_object_add(cli->out, "unchanged",
				       json_object_new_boolean(res->unchanged));
	} else {
		json_object_object_add(cli->out, "renamed", json_object_new_array());
	}
	json_object_object_add(cli->out, "nodes", cli_plan_nodes(plan, !cli->json));
	json_object_object_add(cli->out, "dry_run", json_object_new_boolean(true));
}

/* One bootstrap object of the power-on.  In text only the LwM2M one: the
 * DM object's lines are the result's own. */
static json_object *report_object(struct ub_cli *cli, const struct ub_boot_object *ob)
{
	const char *status = ub_outcome_name(ob->outcome);
	const char *reason = ob->outcome >= UB_OUT_REJECTED ? ob->status.what : NULL;
	bool lw = ob->kind == UB_BOOT_LWM2M, text = !cli->json && lw;
	json_object *o = json_object_new_object(), *ren = json_object_new_array();
	size_t i;

	json_object_object_add(o, "kind", json_object_new_string(lw ? "lwm2m" : "dm"));
	json_object_object_add(o, "object", ob->name ? json_object_new_string(ob->name) : NULL);
	json_object_object_add(o, "present", json_object_new_boolean(ob->present));
	json_object_object_add(o, "source", json_object_new_string(ob->source));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "reason",
			       reason && *reason ? json_object_new_string(reason) : NULL);
	if (ob->status.err)
		json_object_object_add(o, "error",
				       json_object_new_string(ub_errname(ob->status.err)));
	if (text)
		cli_print(stdout, "lwm2m     %s%s%s\n", status, reason && *reason ? ": " : "",
			  reason ? reason : "");
	json_object_object_add(o, lw ? "instances" : "accounts",
			       cli_uri_list(ob->apply.accounts, ob->apply.naccounts,
					    lw ? "instance" : "account", text));
	for (i = 0; i < ob->apply.nrenamed; i++) {
		json_object *x = json_object_new_object();

		json_object_object_add(x, "from",
				       json_object_new_string(ob->apply.renamed[i].from));
		json_object_object_add(x, "to", json_object_new_string(ob->apply.renamed[i].to));
		json_object_array_add(ren, x);
	}
	json_object_object_add(o, "renamed", ren);
	json_object_object_add(
		o, "removed", cli_uri_list(ob->apply.removed, ob->apply.nremoved, "removed", text));
	if (ob->outcome == UB_OUT_VERIFIED && lw)
		json_object_object_add(o, "nodes", cli_plan_nodes(&ob->plan, text));
	return o;
}

/* The power-on's objects, and the channel the PKCS#15 application was
 * read on (LwM2M Core G.2.1 wants a logical one). */
static void report_objects(struct ub_cli *cli, const struct ub_boot_result *r)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < r->nobjects; i++)
		json_object_array_add(arr, report_object(cli, &r->objects[i]));
	json_object_object_add(cli->out, "objects", arr);
	json_object_object_add(cli->out, "channel",
			       json_object_new_string(r->logical_channel ? "logical" : "basic"));
	json_object_object_add(cli->out, "channel_refused",
			       json_object_new_boolean(r->channel_refused));
	if (r->channel_refused) {
		json_object_object_add(cli->out, "channel_sw", json_object_new_int(r->channel_sw));
		if (!cli->json)
			cli_print(stdout,
				  "channel   basic: the card refused a logical channel (SW %04X)\n",
				  r->channel_sw);
	}
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
		report_plan(cli, r);
	else if (r->outcome <= UB_OUT_UNCHANGED || r->apply.nremoved)
		report_lists(cli, &r->apply);
	if (r->nobjects)
		report_objects(cli, r);
	cli->apdus += r->apdus;
}
