/* uiccboot readers: name, card present, ATR, protocol. */
#include "cli.h"

static int readers(struct ub_cli *cli, int argc, char **argv)
{
	const struct ub_boot_config *cfg;
	struct ub_status st = {0};
	struct ub_card_reader *list;
	json_object *arr;
	size_t n, i;
	int err;

	if (cli_getopt(cli, argc, argv) != -1)
		return cli_usage(cli, NULL);
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	/* the policy may name the modem's port ([modem] port) */
	if (!(cfg = cli_config(cli, &err)))
		return err;
	if ((err = ub_card_readers(cfg, &list, &n, &st))) {
		cli_error(cli, err, "%s", st.where);
		return err;
	}
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		const struct ub_card_reader *r = &list[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "index", json_object_new_int((int)i));
		json_object_object_add(o, "name", json_object_new_string(r->name));
		json_object_object_add(o, "card_present", json_object_new_boolean(r->card_present));
		json_object_object_add(o, "atr",
				       r->card_present && !r->modem ? json_object_new_string(r->atr)
								    : NULL);
		json_object_object_add(o, "protocol",
				       r->protocol ? json_object_new_string(r->protocol) : NULL);
		if (r->modem && !r->card_present)
			json_object_object_add(o, "error", json_object_new_string(r->error));
		json_object_array_add(arr, o);
		if (!cli->json && r->modem)
			cli_print(stdout, "%d: %s  %s%s\n", (int)i, r->name,
				  r->card_present ? "card AT+CSIM" : "(no card: ",
				  r->card_present ? "" : r->error);
		else if (!cli->json)
			cli_print(stdout, "%d: %s%s%s%s%s\n", (int)i, r->name,
				  r->card_present ? "  card " : "  (empty)",
				  r->card_present ? r->atr : "", r->protocol ? " " : "",
				  r->protocol ? r->protocol : "");
	}
	json_object_object_add(cli->out, "readers", arr);
	ub_card_readers_free(list);
	if (n == 0) {
		cli_error(cli, UB_E_NO_READER, "PC/SC");
		return UB_E_NO_READER;
	}
	return 0;
}

const struct ub_cmd cli_readers_cmd = {
	.name = "readers",
	.run = readers,
	.synopsis = "",
	.summary = "list readers and cards",
	.text = "The PC/SC readers: index, name, whether a card is in, its ATR and protocol;\n"
		"with -r at:DEVICE the modem too (a card when it offers AT+CSIM).\n"
		"Exit 69 when there is no reader.",
};
