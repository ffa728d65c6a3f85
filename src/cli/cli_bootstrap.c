/* uiccboot bootstrap: the power-on bootstrap of the library (one card, or
 * every reader's at once), and what it did, printed. */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hex.h"

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
		if (ub_boot_failure(r)->err)
			json_object_object_add(
				o, "error",
				json_object_new_string(ub_errname(ub_boot_failure(r)->err)));
		json_object_object_add(o, "apdus", json_object_new_int((int)r->apdus));
		cli->out = save;
		cli->json = json;
		json_object_array_add(arr, o);
		if (!cli->json)
			cli_print(stdout, "%s: %s%s%s%s%s%s\n", r->reader,
				  ub_outcome_name(r->outcome), r->status.err ? " (" : "",
				  r->status.err ? ub_errname(r->status.err) : "",
				  r->status.err ? ")" : "", r->nobjects > 1 ? ", lwm2m " : "",
				  r->nobjects > 1 ? ub_outcome_name(r->objects[1].outcome) : "");
	}
	if (all.removal_done && !cli->json)
		for (i = 0; i < all.removal.nremoved; i++)
			cli_print(stdout, "removed   %s\n", all.removal.removed[i]);
	json_object_object_add(cli->out, "removed",
			       cli_uri_list(all.removal.removed, all.removal.nremoved, "", false));
	if (err) {
		if (err == UB_E_NO_CARD && all.removal_done)
			snprintf(all.status.what, sizeof(all.status.what),
				 "no reader holds a card; data of earlier cards removed");
		cli_fail(cli, &all.status);
	}
	ub_boot_all_free(&all);
	return err;
}

static const struct cli_opt bootstrap_opts[] = {
	{"dry-run", no_argument, 'n', NULL,
	 "verify and decide against the tree, write nothing, print the plan"},
	{"all-readers", no_argument, 'a', NULL, "every reader's card, in parallel (power-on)"},
	{NULL, 0, 0, NULL, NULL},
};

/* Power-on: the card's bootstrap objects (DM or CP, and LwM2M) applied to
 * the tree under the card's ICCID; what an absent card, or a card whose
 * object is gone, had written is removed ([smartcard] remove_stale). */
static int bootstrap(struct ub_cli *cli, int argc, char **argv)
{
	const struct ub_boot_config *base;
	struct ub_boot_config cfg;
	struct ub_boot_result r = {0};
	bool all = false;
	int c, err = 0;

	memset(&cfg, 0, sizeof(cfg));
	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		if (c == 'n')
			cfg.dry_run = true;
		else if (c == 'a')
			all = true;
		else
			return cli_usage(cli, NULL);
	}
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	if (cfg.dry_run && all)
		return cli_usage(cli, "--dry-run or --all-readers, not both");
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
		cli_fail(cli, ub_boot_failure(&r));
	ub_boot_result_free(&r);
	return err;
}

const struct ub_cmd cli_bootstrap_cmd = {
	.name = "bootstrap",
	.run = bootstrap,
	.synopsis = "[--dry-run | --all-readers]",
	.summary = "power-on: the card's bootstrap objects -> tree",
	.text = "The power-on bootstrap: every bootstrap object the card's PKCS#15 application\n"
		"lists (DM or CP, and LwM2M) is verified and applied to the device tree under\n"
		"the card's ICCID, each in one transaction; what an absent card, or a card\n"
		"whose object is gone, wrote is removed ([smartcard] remove_stale).",
	.opts = bootstrap_opts,
};
