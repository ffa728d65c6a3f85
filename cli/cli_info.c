/* uiccboot info: what the card is and holds (R-FILES 7).
 * The order is chosen for the fewest APDUs: the USIM first (IMSI within
 * 4 APDUs of power-on), then the rest of EF_DIR and the ICCID in the MF,
 * then ISIM and PKCS#15. */
#include <string.h>

#include "cli.h"
#include "ub_hex.h"
#include "ub_cardboot.h"
#include "ub_uicc.h"

struct info {
	char iccid[21], imsi[16], impi[256], impi_source[16];
	int mnc_len;
	uint8_t ust[256], ist[256];
	int ust_len, ist_len;
	struct ub_gbabp gba_usim, gba_isim;
	json_object *impu, *bootstrap;
};

/* Report err for the file u->where; returns err. */
static int fail(struct ub_cli *cli, struct ub_uicc *u, int err)
{
	if (err == UB_E_SW || err == UB_E_BAD_DATA)
		cli_error(cli, err, "reader \"%s\": %s (SW %04X)", cli->card.reader,
			  u->where ? u->where : "card", u->last_sw);
	else
		cli_error(cli, err, "reader \"%s\": %s", cli->card.reader,
			  u->where ? u->where : "card");
	return err;
}

static int read_gbabp(struct ub_uicc *u, const struct ub_ef *ef, struct ub_gbabp *g)
{
	uint8_t b[256];
	int n = ub_uicc_read(u, ef, 0, b, sizeof(b));

	if (n < 0)
		return n;
	return ub_gbabp_decode(b, (size_t)n, g) ? UB_E_BAD_DATA : 0;
}

static int usim_part(struct ub_uicc *u, const struct ub_app *usim, struct info *in)
{
	int n, err;

	err = ub_uicc_read_imsi(u, usim, in->imsi, &in->mnc_len);
	if (err)
		return err;
	n = ub_uicc_read(u, &UB_EF_UST, 0, in->ust, sizeof(in->ust));
	if (n < 0)
		return n;
	in->ust_len = n;
	if (ub_service(in->ust, (size_t)n, 68))
		return read_gbabp(u, &UB_EF_USIM_GBABP, &in->gba_usim);
	return 0;
}

static int isim_part(struct ub_uicc *u, const struct ub_app *isim, struct info *in)
{
	uint8_t b[256];
	char s[256];
	unsigned rec;
	int n, err;

	err = ub_uicc_select(u, isim);
	if (err)
		return err;
	n = ub_uicc_read(u, &UB_EF_IMPI, 0, b, sizeof(b));
	if (n < 0)
		return n;
	if (ub_tlv80_text(b, (size_t)n, in->impi, sizeof(in->impi)))
		return UB_E_BAD_DATA;
	snprintf(in->impi_source, sizeof(in->impi_source), "isim");
	for (rec = 1; rec < 16; rec++) {
		n = ub_uicc_read_record(u, &UB_EF_IMPU, rec, b, sizeof(b));
		if (n == UB_E_NOT_FOUND)
			break;
		if (n < 0)
			return n;
		if (b[0] == 0xFF)
			continue; /* empty record */
		if (ub_tlv80_text(b, (size_t)n, s, sizeof(s)))
			return UB_E_BAD_DATA;
		json_object_array_add(in->impu, json_object_new_string(s));
	}
	n = ub_uicc_read(u, &UB_EF_IST, 0, in->ist, sizeof(in->ist));
	if (n < 0)
		return n;
	in->ist_len = n;
	if (ub_service(in->ist, (size_t)n, 2))
		return read_gbabp(u, &UB_EF_ISIM_GBABP, &in->gba_isim);
	return 0;
}

static void oid_hex(const uint8_t *o, size_t n, char *out, size_t max)
{
	size_t i, k;

	for (k = 0, i = 0; i < n && k + 3 < max; i++)
		k += (size_t)snprintf(out + k, max - k, "%02x", o[i]);
}

static int pkcs15_part(struct ub_uicc *u, const struct ub_app *p15, struct info *in)
{
	struct ub_p15_oid_do objs[16];
	char path[40], oid[40];
	int n, j, x;

	n = ub_uicc_p15_objects(u, p15, objs, 16);
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
		json_object_array_add(in->bootstrap, o);
	}
	return 0;
}

static int legacy_part(struct ub_uicc *u, struct info *in)
{
	static const struct ub_ef imsi = {0x6F07, 0, "EF_IMSI"}, ad = {0x6FAD, 0, "EF_AD"},
				  iccid = {0x2FE2, 0, "EF_ICCID"};
	uint8_t b[64];
	int n, err;

	err = ub_uicc_select_fid(u, 0x3F00);
	if (!err)
		n = ub_uicc_read(u, &iccid, 10, b, sizeof(b));
	if (err || n < 0)
		return err ? err : n;
	if (ub_iccid_decode(b, (size_t)n, in->iccid))
		return UB_E_BAD_DATA;
	err = ub_uicc_select_fid(u, 0x7F20); /* DF_GSM */
	if (err)
		return err;
	n = ub_uicc_read(u, &imsi, 9, b, sizeof(b));
	if (n < 0)
		return n;
	if (ub_imsi_decode(b, (size_t)n, in->imsi))
		return UB_E_BAD_DATA;
	n = ub_uicc_read(u, &ad, 4, b, sizeof(b));
	if (n < 0)
		return n;
	return ub_ad_mnc_len(b, (size_t)n, &in->mnc_len) ? UB_E_BAD_DATA : 0;
}

static json_object *gba_json(struct info *in, bool has_isim)
{
	json_object *g = json_object_new_object();
	bool usim_svc = ub_service(in->ust, (size_t)in->ust_len, 68);
	bool isim_svc = has_isim && ub_service(in->ist, (size_t)in->ist_len, 2);
	struct ub_gbabp *bp = isim_svc ? &in->gba_isim : &in->gba_usim;

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

int cli_info(struct ub_cli *cli, int argc, char **argv)
{
	const struct ub_app *usim = NULL, *isim = NULL, *p15 = NULL;
	struct info in;
	json_object *apps, *o = cli->out;
	uint8_t b[64];
	char aid[33];
	int n, err, i;

	(void)argv;
	if (argc > 1) {
		fprintf(stderr, "usage: uiccboot info\n");
		return UB_E_USAGE;
	}
	err = cli_connect(cli);
	if (err)
		return err;
	memset(&in, 0, sizeof(in));
	in.impu = json_object_new_array();
	in.bootstrap = json_object_new_array();
	json_object_object_add(o, "reader", json_object_new_string(cli->card.reader));
	err = cli_uicc_start(cli);
	if (err)
		return err;

	err = ub_uicc_find_app(&cli->uicc, UB_APP_USIM, &usim);
	if (err == UB_E_NOT_FOUND && cli->uicc.legacy) {
		err = legacy_part(&cli->uicc, &in);
	} else if (!err || err == UB_E_NOT_FOUND) {
		err = usim ? usim_part(&cli->uicc, usim, &in) : 0;
		if (!err)
			err = ub_uicc_all_apps(&cli->uicc);
		if (err > 0)
			err = 0; /* the number of applications */
		if (!err)
			err = ub_uicc_select(&cli->uicc, NULL);
		if (!err) {
			n = ub_uicc_read(&cli->uicc, &UB_EF_ICCID, 10, b, sizeof(b));
			err = n < 0 ? n : ub_iccid_decode(b, (size_t)n, in.iccid);
		}
		if (!err) {
			ub_uicc_find_app(&cli->uicc, UB_APP_ISIM, &isim);
			ub_uicc_find_app(&cli->uicc, UB_APP_PKCS15, &p15);
		}
		if (!err && isim)
			err = isim_part(&cli->uicc, isim, &in);
		if (!err && p15)
			err = pkcs15_part(&cli->uicc, p15, &in);
	}
	if (err) {
		json_object_put(in.impu);
		json_object_put(in.bootstrap);
		return fail(cli, &cli->uicc, err);
	}
	if (!in.impi[0] && in.imsi[0] && in.mnc_len &&
	    !ub_impi_from_imsi(in.imsi, in.mnc_len, in.impi, sizeof(in.impi)))
		snprintf(in.impi_source, sizeof(in.impi_source), "derived");

	json_object_object_add(o, "iccid", json_object_new_string(in.iccid));
	json_object_object_add(o, "imsi", in.imsi[0] ? json_object_new_string(in.imsi) : NULL);
	json_object_object_add(o, "mnc_len", json_object_new_int(in.mnc_len));
	json_object_object_add(o, "impi", in.impi[0] ? json_object_new_string(in.impi) : NULL);
	json_object_object_add(o, "impi_source",
			       in.impi[0] ? json_object_new_string(in.impi_source) : NULL);
	json_object_object_add(o, "impu", in.impu);
	json_object_object_add(o, "legacy", json_object_new_boolean(cli->uicc.legacy));
	apps = json_object_new_array();
	for (i = 0; i < cli->uicc.napps; i++) {
		json_object *a = json_object_new_object();

		json_object_object_add(a, "aid",
				       json_object_new_string(ub_hex(aid, cli->uicc.apps[i].aid,
								     cli->uicc.apps[i].aid_len)));
		json_object_object_add(a, "label", json_object_new_string(cli->uicc.apps[i].label));
		json_object_object_add(
			a, "kind",
			json_object_new_string(ub_app_kind_name(cli->uicc.apps[i].kind)));
		json_object_array_add(apps, a);
	}
	json_object_object_add(o, "apps", apps);
	json_object_object_add(o, "gba", gba_json(&in, isim != NULL));
	json_object_object_add(o, "bootstrap", in.bootstrap);
	if (!cli->json)
		print_text(o);
	return 0;
}
