/* uiccboot readers: name, card present, ATR, protocol. */
#include <string.h>

#include "cli.h"
#include "ub_at.h"
#include "ub_hex.h"
#include "ub_policy.h"

/* The active protocol is only known once connected; a shared connect that
 * leaves the card alone is enough to learn it. */
static const char *probe_protocol(SCARDCONTEXT ctx, const char *reader)
{
	SCARDHANDLE h;
	DWORD proto;
	const char *name = NULL;

	if (SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &h,
			 &proto) != SCARD_S_SUCCESS)
		return NULL;
	name = ub_proto_name(proto);
	SCardDisconnect(h, SCARD_LEAVE_CARD);
	return name;
}

/* The modem named with -r at:...: listed after the PC/SC readers, with a
 * card when it offers generic SIM access (it has no ATR to show). */
static void modem_entry(struct ub_cli *cli, json_object *arr, int index, const char *spec)
{
	json_object *r = json_object_new_object();
	struct ub_status st = {0};
	struct ub_card c;
	int err = ub_modem_open(&c, spec, 0, NULL, &st);

	if (!err)
		ub_card_disconnect(&c);
	json_object_object_add(r, "index", json_object_new_int(index));
	json_object_object_add(r, "name", json_object_new_string(spec));
	json_object_object_add(r, "card_present", json_object_new_boolean(!err));
	json_object_object_add(r, "atr", NULL);
	json_object_object_add(r, "protocol", err ? NULL : json_object_new_string("AT+CSIM"));
	if (err)
		json_object_object_add(r, "error", json_object_new_string(st.what));
	json_object_array_add(arr, r);
	if (!cli->json)
		cli_print(stdout, "%d: %s  %s%s\n", index, spec,
			  err ? "(no card: " : "card AT+CSIM", err ? st.what : "");
}

static int readers(struct ub_cli *cli, int argc, char **argv)
{
	struct ub_reader_info list[64];
	json_object *arr;
	char atr[2 * UB_ATR_MAX + 1];
	const char *proto;
	const char *modem = ub_at_spec(cli->cfg.reader) ? cli->cfg.reader : NULL;
	const struct ub_boot_config *cfg;
	char port[UB_POLICY_MODEM_SPEC_MAX];
	SCARDCONTEXT ctx = 0;
	bool have_ctx;
	int n, i, err;

	if (cli_getopt(cli, argc, argv) != -1)
		return cli_usage(cli, NULL);
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	/* the policy may name the modem's port ([modem] port) */
	if (!modem) {
		if (!(cfg = cli_config(cli, &err)))
			return err;
		modem = ub_policy_modem(cfg->policy, port, sizeof(port));
	}
	err = ub_ctx_open(&ctx);
	if (err && !modem) {
		cli_error(cli, err, "PC/SC");
		return err;
	}
	n = err ? 0 : ub_readers_list(ctx, list, 64);
	if (n < 0) {
		ub_ctx_close(ctx);
		cli_error(cli, n, "listing readers");
		return n;
	}
	have_ctx = !err;
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		json_object *r = json_object_new_object();

		proto = list[i].card_present ? probe_protocol(ctx, list[i].name) : NULL;
		ub_hex(atr, list[i].atr, list[i].atr_len);
		json_object_object_add(r, "index", json_object_new_int(i));
		json_object_object_add(r, "name", json_object_new_string(list[i].name));
		json_object_object_add(r, "card_present",
				       json_object_new_boolean(list[i].card_present));
		json_object_object_add(r, "atr",
				       list[i].card_present ? json_object_new_string(atr) : NULL);
		json_object_object_add(r, "protocol", proto ? json_object_new_string(proto) : NULL);
		json_object_array_add(arr, r);
		if (!cli->json)
			cli_print(stdout, "%d: %s%s%s%s%s\n", i, list[i].name,
				  list[i].card_present ? "  card " : "  (empty)",
				  list[i].card_present ? atr : "", proto ? " " : "",
				  proto ? proto : "");
	}
	if (modem)
		modem_entry(cli, arr, n, modem);
	json_object_object_add(cli->out, "readers", arr);
	if (have_ctx)
		ub_ctx_close(ctx);
	if (n == 0 && !modem) {
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
