/* uiccboot info: what the card is and holds: the identity inventory of
 * the card (ub_card_info of uiccboot/card.h), the GBA state it records, and
 * the bootstrap objects its PKCS#15 application lists. */
#include <stdlib.h>

#include "cli.h"

static json_object *gba_json(const struct ub_card_info *ci)
{
	json_object *g = json_object_new_object();

	json_object_object_add(g, "service", json_object_new_boolean(ci->gba.service));
	json_object_object_add(g, "usim_service", json_object_new_boolean(ci->gba.usim_service));
	json_object_object_add(g, "isim_service", json_object_new_boolean(ci->gba.isim_service));
	json_object_object_add(g, "app", ci->gba.app ? json_object_new_string(ci->gba.app) : NULL);
	json_object_object_add(g, "btid",
			       ci->gba.btid[0] ? json_object_new_string(ci->gba.btid) : NULL);
	json_object_object_add(g, "lifetime",
			       ci->gba.lifetime[0] ? json_object_new_string(ci->gba.lifetime)
						   : NULL);
	json_object_object_add(
		g, "rand", ci->gba.rand_len ? cli_json_hex(ci->gba.rand, ci->gba.rand_len) : NULL);
	return g;
}

static void print_text(json_object *o)
{
	json_object *apps = json_object_object_get(o, "apps"), *g, *v;
	size_t i;

	cli_print(stdout, "ICCID     %s\n",
		  json_object_get_string(json_object_object_get(o, "iccid")));
	cli_print(stdout, "IMSI      %s (MNC length %d)\n",
		  json_object_get_string(json_object_object_get(o, "imsi")),
		  json_object_get_int(json_object_object_get(o, "mnc_len")));
	v = json_object_object_get(o, "impi");
	if (v)
		cli_print(stdout, "IMPI      %s (%s)\n", json_object_get_string(v),
			  json_object_get_string(json_object_object_get(o, "impi_source")));
	for (i = 0; apps && i < json_object_array_length(apps); i++) {
		json_object *a = json_object_array_get_idx(apps, i);

		cli_print(stdout, "app       %-6s %s %s\n",
			  json_object_get_string(json_object_object_get(a, "kind")),
			  json_object_get_string(json_object_object_get(a, "aid")),
			  json_object_get_string(json_object_object_get(a, "label")));
	}
	g = json_object_object_get(o, "gba");
	if (g) {
		v = json_object_object_get(g, "btid");
		cli_print(stdout, "GBA       %s%s%s%s%s\n",
			  json_object_get_boolean(json_object_object_get(g, "service"))
				  ? "service available"
				  : "no service",
			  v ? ", B-TID " : "", v ? json_object_get_string(v) : "",
			  json_object_object_get(g, "lifetime") ? ", lifetime " : "",
			  json_object_object_get(g, "lifetime")
				  ? json_object_get_string(json_object_object_get(g, "lifetime"))
				  : "");
	}
	v = json_object_object_get(o, "bootstrap");
	for (i = 0; v && i < json_object_array_length(v); i++) {
		json_object *b = json_object_array_get_idx(v, i);

		cli_print(stdout, "bootstrap %s (%s) in EF %s\n",
			  json_object_get_string(json_object_object_get(b, "name")),
			  json_object_get_string(json_object_object_get(b, "oid")),
			  json_object_get_string(json_object_object_get(b, "path")));
	}
}

static int info(struct ub_cli *cli, int argc, char **argv)
{
	struct ub_status st = {0};
	struct ub_card_info *ci;
	json_object *apps, *impu, *boot, *o = cli->out;
	int err, i;

	if (cli_getopt(cli, argc, argv) != -1)
		return cli_usage(cli, NULL);
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	if ((err = cli_connect(cli)))
		return err;
	json_object_object_add(o, "reader",
			       json_object_new_string(ub_card_session_reader(cli->sess)));
	if (!(ci = malloc(sizeof(*ci)))) {
		cli_error(cli, UB_E_NOMEM, "info");
		return UB_E_NOMEM;
	}
	if ((err = ub_card_info(cli->sess, ci, &st))) {
		free(ci);
		cli_fail(cli, &st);
		return err;
	}
	json_object_object_add(o, "iccid", json_object_new_string(ci->iccid));
	json_object_object_add(o, "imsi", ci->imsi[0] ? json_object_new_string(ci->imsi) : NULL);
	json_object_object_add(o, "mnc_len", json_object_new_int(ci->mnc_len));
	json_object_object_add(o, "impi", ci->impi[0] ? json_object_new_string(ci->impi) : NULL);
	json_object_object_add(o, "impi_source",
			       ci->impi_source ? json_object_new_string(ci->impi_source) : NULL);
	impu = json_object_new_array();
	for (i = 0; i < ci->nimpu; i++)
		json_object_array_add(impu, json_object_new_string(ci->impu[i]));
	json_object_object_add(o, "impu", impu);
	json_object_object_add(o, "legacy", json_object_new_boolean(ci->legacy));
	apps = json_object_new_array();
	for (i = 0; i < ci->napps; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "aid", json_object_new_string(ci->apps[i].aid));
		json_object_object_add(a, "label", json_object_new_string(ci->apps[i].label));
		json_object_object_add(a, "kind", json_object_new_string(ci->apps[i].kind));
		json_object_array_add(apps, a);
	}
	json_object_object_add(o, "apps", apps);
	json_object_object_add(o, "gba", gba_json(ci));
	boot = json_object_new_array();
	for (i = 0; i < ci->nobjects; i++) {
		json_object *b = json_object_new_object();

		json_object_object_add(b, "oid", json_object_new_string(ci->objects[i].oid));
		json_object_object_add(b, "name", json_object_new_string(ci->objects[i].name));
		json_object_object_add(b, "path", json_object_new_string(ci->objects[i].path));
		json_object_array_add(boot, b);
	}
	json_object_object_add(o, "bootstrap", boot);
	free(ci);
	if (!cli->json)
		print_text(o);
	return 0;
}

const struct ub_cmd cli_info_cmd = {
	.name = "info",
	.run = info,
	.synopsis = "",
	.summary = "ICCID, IMSI, IMPI, applications, GBA state, bootstrap objects",
	.text = "What the card is and holds: ICCID, IMSI, IMPI and IMPUs, its applications,\n"
		"the GBA state it records and the bootstrap objects its PKCS#15 application\n"
		"lists.",
};
