/* uiccboot info: what the card is and holds: the identity inventory of
 * uicc-files (ub_uicc_identity), the GBA state it records, and the
 * bootstrap objects its PKCS#15 application lists. */
#include <string.h>

#include "cli.h"
#include "ub_cardboot.h"
#include "ub_hex.h"
#include "ub_uicc.h"

static void oid_hex(const uint8_t *o, size_t n, char *out, size_t max)
{
	size_t i, k;

	for (k = 0, i = 0; i < n && k + 3 < max; i++)
		k += (size_t)snprintf(out + k, max - k, "%02x", o[i]);
}

static int pkcs15_part(struct ub_uicc *u, json_object *list, struct ub_status *st)
{
	const struct ub_app *p15;
	struct ub_p15_oid_do objs[16];
	char path[40], oid[40];
	int n, j, x;

	if (ub_uicc_find_app(u, UB_APP_PKCS15, &p15, st))
		return 0; /* no PKCS#15 application: no objects */
	n = ub_uicc_p15_objects(u, p15, objs, 16, st);
	if (n < 0)
		return n;
	for (j = 0; j < n; j++) {
		json_object *o = json_object_new_object();

		x = ub_boot_oid_index(&objs[j]);
		if (x >= 0)
			snprintf(oid, sizeof(oid), "%s", ub_boot_oids[x].dotted);
		else
			oid_hex(objs[j].oid, objs[j].oid_len, oid, sizeof(oid));
		json_object_object_add(o, "oid", json_object_new_string(oid));
		json_object_object_add(
			o, "name", json_object_new_string(x >= 0 ? ub_boot_oids[x].name : "other"));
		json_object_object_add(
			o, "path",
			json_object_new_string(ub_hex(path, objs[j].path.path, objs[j].path.len)));
		json_object_array_add(list, o);
	}
	return 0;
}

static json_object *gba_json(const struct ub_identity *id)
{
	json_object *g = json_object_new_object();
	bool usim_svc = ub_service(id->ust, id->ust_len, 68);
	bool isim_svc = id->has_isim && ub_service(id->ist, id->ist_len, 2);
	const struct ub_gbabp *bp = isim_svc ? &id->gba_isim : &id->gba_usim;

	json_object_object_add(g, "service", json_object_new_boolean(usim_svc || isim_svc));
	json_object_object_add(g, "usim_service", json_object_new_boolean(usim_svc));
	json_object_object_add(g, "isim_service", json_object_new_boolean(isim_svc));
	json_object_object_add(
		g, "app",
		(usim_svc || isim_svc) ? json_object_new_string(isim_svc ? "isim" : "usim") : NULL);
	json_object_object_add(g, "btid", bp->btid[0] ? json_object_new_string(bp->btid) : NULL);
	json_object_object_add(g, "lifetime",
			       bp->lifetime[0] ? json_object_new_string(bp->lifetime) : NULL);
	json_object_object_add(g, "rand",
			       bp->rand_len ? cli_json_hex(bp->rand, bp->rand_len) : NULL);
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
	struct ub_identity id;
	struct ub_uicc *u;
	json_object *apps, *impu, *boot, *o = cli->out;
	char aid[33];
	int err, i;

	if (cli_getopt(cli, argc, argv) != -1)
		return cli_usage(cli, NULL);
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	if ((err = cli_connect(cli)))
		return err;
	u = &cli->sess.uicc;
	json_object_object_add(o, "reader", json_object_new_string(cli->sess.card.reader));
	boot = json_object_new_array();
	err = ub_uicc_identity(u, &id, &st);
	if (!err && !id.legacy)
		err = pkcs15_part(u, boot, &st);
	if (err) {
		json_object_put(boot);
		ub_status_at(&st, "reader \"%s\"", cli->sess.card.reader);
		cli_fail(cli, &st);
		return err;
	}
	json_object_object_add(o, "iccid", json_object_new_string(id.iccid));
	json_object_object_add(o, "imsi", id.imsi[0] ? json_object_new_string(id.imsi) : NULL);
	json_object_object_add(o, "mnc_len", json_object_new_int(id.mnc_len));
	json_object_object_add(o, "impi", id.impi[0] ? json_object_new_string(id.impi) : NULL);
	json_object_object_add(o, "impi_source",
			       id.impi_source ? json_object_new_string(id.impi_source) : NULL);
	impu = json_object_new_array();
	for (i = 0; i < id.nimpu; i++)
		json_object_array_add(impu, json_object_new_string(id.impu[i]));
	json_object_object_add(o, "impu", impu);
	json_object_object_add(o, "legacy", json_object_new_boolean(id.legacy));
	apps = json_object_new_array();
	for (i = 0; i < u->napps; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(
			a, "aid",
			json_object_new_string(ub_hex(aid, u->apps[i].aid, u->apps[i].aid_len)));
		json_object_object_add(a, "label", json_object_new_string(u->apps[i].label));
		json_object_object_add(a, "kind",
				       json_object_new_string(ub_app_kind_name(u->apps[i].kind)));
		json_object_array_add(apps, a);
	}
	json_object_object_add(o, "apps", apps);
	json_object_object_add(o, "gba", gba_json(&id));
	json_object_object_add(o, "bootstrap", boot);
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
