/* uiccboot auth and uiccboot gba {status,bootstrap,naf-key,push}: the lab
 * commands for AKA and GBA_U (TS 31.102 7.1.2, TS 33.220), as
 * osmo-sim-auth is for AKA. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "gba.h"
#include "hex.h"
#include "policy.h"

#define MAX_RANDS 16
/* the most bytes --gpi reads: a GPI fits an SMS (TS 24.109 J.3.1).  A
 * layout with large fixed or lv2 fields can describe a longer one (up to
 * 16 x 65537 octets), which ub_gba_gpi_decode takes and --gpi refuses,
 * said (bad-data: longer than 4096 bytes) */
#define GPI_MAX 4096

struct gba_args {
	const char *rand, *autn, *bsf, *lifetime, *naf, *ua, *app, *ptid, *gpi;
	const char *rands[MAX_RANDS]; /* auth --gsm: one AUTHENTICATE each */
	int nrand;
	bool gsm, allow_me, imsi;
	bool secrets; /* --secrets: print CK, IK, Kc, Ks_ext_NAF, else masked */
};

/* The options of auth and gba; each command's table lists its own. */
#define O_RAND                                                          \
	{                                                               \
		"rand", required_argument, 'r', "HEX", "RAND, 16 bytes" \
	}
#define O_AUTN                                                          \
	{                                                               \
		"autn", required_argument, 'a', "HEX", "AUTN, 16 bytes" \
	}
#define O_APP                                                        \
	{                                                            \
		"app", required_argument, 'p', "APP", "usim or isim" \
	}
#define O_SECRETS                                                                  \
	{                                                                          \
		"secrets", no_argument, 'x', NULL, "show the keys (else (secret))" \
	}
#define O_NAF                                                           \
	{                                                               \
		"naf", required_argument, 'n', "FQDN", "the NAF's FQDN" \
	}
#define O_UA                                                                                \
	{                                                                                   \
		"ua", required_argument, 'u', "HEX", "the Ua security protocol id, 5 bytes" \
	}
#define O_LIFETIME                                                                \
	{                                                                         \
		"lifetime", required_argument, 'l', "T",                          \
			"key lifetime: xs:dateTime, or +SECONDS (default +86400)" \
	}
#define O_END                          \
	{                              \
		NULL, 0, 0, NULL, NULL \
	}

static const struct cli_opt auth_opts[] = {
	{"rand", required_argument, 'r', "HEX", "RAND, 16 bytes (with --gsm: up to 16 of them)"},
	O_AUTN,
	O_APP,
	{"gsm", no_argument, 'g', NULL, "the 2G AUTHENTICATE (SRES, Kc)"},
	{"imsi", no_argument, 'i', NULL, "with --gsm: the IMSI too"},
	O_SECRETS,
	O_END,
};
static const struct cli_opt status_opts[] = {O_APP, O_END};
static const struct cli_opt bootstrap_opts[] = {
	O_RAND,
	O_AUTN,
	{"bsf", required_argument, 'b', "FQDN", "the BSF's FQDN (for the B-TID)"},
	O_LIFETIME,
	{"allow-gba-me", no_argument, 'm', NULL, "GBA_ME when the card has no GBA_U"},
	O_APP,
	O_END,
};
static const struct cli_opt naf_key_opts[] = {O_NAF, O_UA, O_APP, O_SECRETS, O_END};
static const struct cli_opt gba_push_opts[] = {
	O_RAND,
	O_AUTN,
	O_NAF,
	O_UA,
	{"ptid", required_argument, 't', "STR", "the P-TID of the GBA Push Info"},
	O_LIFETIME,
	{"gpi", required_argument, 'G', "FILE",
	 "the GBA Push Info's bytes (-: stdin), in the policy's [gba] gpi_layout"},
	O_APP,
	O_SECRETS,
	O_END,
};

static int parse_args(struct ub_cli *cli, int argc, char **argv, struct gba_args *a)
{
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		switch (c) {
		case 'r':
			a->rand = optarg;
			if (a->nrand == MAX_RANDS)
				return cli_usage(cli, "at most %d --rand", MAX_RANDS);
			a->rands[a->nrand++] = optarg;
			break;
		case 'i':
			a->imsi = true;
			break;
		case 'a':
			a->autn = optarg;
			break;
		case 'b':
			a->bsf = optarg;
			break;
		case 'l':
			a->lifetime = optarg;
			break;
		case 'n':
			a->naf = optarg;
			break;
		case 'u':
			a->ua = optarg;
			break;
		case 'p':
			a->app = optarg;
			break;
		case 'g':
			a->gsm = true;
			break;
		case 'm':
			a->allow_me = true;
			break;
		case 't':
			a->ptid = optarg;
			break;
		case 'G':
			a->gpi = optarg;
			break;
		case 'x':
			a->secrets = true;
			break;
		default:
			return cli_usage(cli, NULL);
		}
	}
	if ((c = cli_nargs(cli, argc, argv, 0, 0)))
		return c;
	if (a->app && strcmp(a->app, "usim") && strcmp(a->app, "isim"))
		return cli_usage(cli, "--app is usim or isim");
	return 0;
}

/* Exactly n bytes of hex for option name, or a usage error. */
static int hexarg(struct ub_cli *cli, const char *name, const char *hex, uint8_t *out, size_t n)
{
	if (!hex || ub_unhex(out, n, hex) != (int)n)
		return cli_usage(cli, "--%s wants %zu bytes of hex", name, n);
	return 0;
}

/* A value that is no secret (RES, SRES, AUTS, a NAF_Id); secrets go
 * through cli_put_secret_hex. */
static void put_hex(struct ub_cli *cli, const char *key, const uint8_t *b, size_t n)
{
	json_object *o = cli_json_hex(b, n);

	json_object_object_add(cli->out, key, o);
	if (!cli->json && o) /* our own hex: nothing to escape */
		printf("%-10s %s\n", key, json_object_get_string(o));
}

static void put_str(struct ub_cli *cli, const char *key, const char *v)
{
	json_object_object_add(cli->out, key, v ? json_object_new_string(v) : NULL);
	if (!cli->json && v)
		cli_print(stdout, "%-10s %s\n", key, v);
}

/* auth --gsm: the IMSI (--imsi) and one AUTHENTICATE per --rand, in one
 * session, as an EAP-SIM peer does. */
static int auth_gsm(struct ub_cli *cli, bool isim, const struct gba_args *a)
{
	json_object *arr = json_object_new_array(), *o;
	uint8_t rand[16], sres[4], kc[8];
	char imsi[16], s[40];
	bool show = a->secrets; /* Kc */
	struct ub_status st = {0};
	int i, mnc, err;

	json_object_object_add(cli->out, "triplets", arr);
	if (a->imsi) {
		if ((err = ub_card_imsi(cli->sess, isim, imsi, &mnc, &st))) {
			cli_fail(cli, &st);
			return err;
		}
		put_str(cli, "imsi", imsi);
	}
	for (i = 0; i < a->nrand; i++) {
		ub_unhex(rand, sizeof(rand), a->rands[i]);
		err = ub_card_auth_gsm(cli->sess, isim, rand, sres, kc, &st);
		if (err) {
			cli_fail(cli, &st);
			return err;
		}
		if (i == 0) { /* the single-RAND form */
			json_object_object_add(cli->out, "sres", cli_json_hex(sres, 4));
			json_object_object_add(cli->out, "kc", cli_json_secret_hex(kc, 8, show));
		}
		o = json_object_new_object();
		json_object_object_add(o, "rand", cli_json_hex(rand, 16));
		json_object_object_add(o, "sres", cli_json_hex(sres, 4));
		json_object_object_add(o, "kc", cli_json_secret_hex(kc, 8, show));
		json_object_array_add(arr, o);
		if (!cli->json) {
			printf("%-10s %s\n", "sres", ub_hex(s, sres, 4));
			printf("%-10s %s\n", "kc", show ? ub_hex(s, kc, 8) : UB_TREE_SECRET_MASK);
		}
		OPENSSL_cleanse(kc, sizeof(kc));
	}
	OPENSSL_cleanse(s, sizeof(s));
	return 0;
}

static int auth(struct ub_cli *cli, int argc, char **argv)
{
	struct ub_status st = {0};
	struct gba_args a;
	struct ub_card_auth3g r;
	bool isim;
	uint8_t rand[16], autn[16];
	int err, i;

	err = parse_args(cli, argc, argv, &a);
	for (i = 0; !err && i < a.nrand; i++)
		err = hexarg(cli, "rand", a.rands[i], rand, 16);
	if (!err && !a.nrand)
		err = hexarg(cli, "rand", NULL, rand, 16);
	if (!err && !a.gsm && (a.nrand > 1 || a.imsi))
		err = cli_usage(cli, "several --rand, and --imsi, are for --gsm");
	if (!err && !a.gsm)
		err = hexarg(cli, "autn", a.autn, autn, 16);
	if (err || (err = cli_connect(cli)))
		return err;
	isim = a.app && !strcmp(a.app, "isim");
	if ((err = ub_card_has_app(cli->sess, isim, &st))) {
		cli_fail(cli, &st);
		return err;
	}
	if (a.gsm)
		return auth_gsm(cli, isim, &a);
	err = ub_card_auth_3g(cli->sess, isim, rand, autn, &r, &st);
	if (err == UB_E_AUTH_SYNC)
		put_hex(cli, "auts", r.auts, 14);
	if (err) {
		OPENSSL_cleanse(&r, sizeof(r));
		cli_fail(cli, &st);
		return err;
	}
	/* RES is no secret; CK, IK and Kc are, shown only with --secrets */
	put_hex(cli, "res", r.res, r.res_len);
	cli_put_secret_hex(cli, "ck", r.ck, 16, a.secrets);
	cli_put_secret_hex(cli, "ik", r.ik, 16, a.secrets);
	if (r.has_kc)
		cli_put_secret_hex(cli, "kc", r.kc, 8, a.secrets);
	OPENSSL_cleanse(&r, sizeof(r));
	return 0;
}

/* The application GBA chose, once chosen. */
static void put_app(struct ub_cli *cli, const char *app)
{
	if (app)
		json_object_object_add(cli->out, "app", json_object_new_string(app));
}

static int gba_bootstrap(struct ub_cli *cli, struct gba_args *a)
{
	struct ub_card_gba_boot r;
	uint8_t rand[16], autn[16];
	char btid[300], lifetime[64];
	struct ub_status st = {0};
	int err;

	if ((err = hexarg(cli, "rand", a->rand, rand, 16)) ||
	    (err = hexarg(cli, "autn", a->autn, autn, 16)))
		return err;
	if (ub_gba_btid(rand, a->bsf, btid, sizeof(btid)) ||
	    ub_gba_lifetime(a->lifetime, (long long)time(NULL), lifetime, sizeof(lifetime))) {
		return cli_usage(cli, "gba bootstrap needs --bsf FQDN and a --lifetime "
				      "(xs:dateTime or +SECONDS)");
	}
	if ((err = cli_connect(cli)))
		return err;
	err = ub_card_gba_bootstrap(cli->sess, a->app, a->allow_me, rand, autn, a->bsf, lifetime,
				    &r, &st);
	put_app(cli, r.app);
	if (r.app)
		json_object_object_add(cli->out, "mode",
				       json_object_new_string(r.service ? "gba_u" : "gba_me"));
	if (err == UB_E_AUTH_SYNC)
		put_hex(cli, "auts", r.auts, 14); /* for the BSF to resynchronise */
	if (err) {
		cli_fail(cli, &st);
		return err;
	}
	put_hex(cli, "res", r.res, r.res_len);
	put_str(cli, "btid", r.btid);
	put_str(cli, "lifetime", r.lifetime);
	if (!cli->json)
		cli_print(stdout, "%-10s %s\n", "mode",
			  r.service ? "GBA_U" : "GBA_ME (no key stored)");
	return 0;
}

/* A NAF key call failed: k wiped, and the card without GBA_U said so. */
static int key_fail(struct ub_cli *cli, int err, struct ub_card_gba_key *k, struct ub_status *st,
		    const char *why)
{
	if (err == UB_E_NO_GBA && k->app && !k->service)
		cli_error(cli, UB_E_NO_GBA, "reader \"%s\": %s", ub_card_session_reader(cli->sess),
			  why);
	else
		cli_fail(cli, st);
	ub_card_gba_key_wipe(k);
	return err;
}

static int gba_naf_key(struct ub_cli *cli, struct gba_args *a)
{
	struct ub_card_gba_key k;
	uint8_t ua[UB_GBA_UA_LEN], naf_id[300];
	struct ub_status st = {0};
	int n, err;

	if ((err = hexarg(cli, "ua", a->ua, ua, UB_GBA_UA_LEN)))
		return err;
	n = ub_gba_naf_id(a->naf, ua, naf_id, 250);
	if (n < 0) {
		return cli_usage(cli, "gba naf-key needs --naf FQDN --ua HEX");
	}
	if ((err = cli_connect(cli)))
		return err;
	err = ub_card_gba_naf_key(cli->sess, a->app, naf_id, (size_t)n, (long long)time(NULL), &k,
				  &st);
	put_app(cli, k.app);
	if (err)
		return key_fail(cli, err, &k, &st,
				"GBA_ME keeps no key between commands; use GBA_U");
	put_hex(cli, "naf_id", naf_id, (size_t)n);
	put_str(cli, "btid", k.btid);
	put_str(cli, "lifetime", k.lifetime);
	put_str(cli, "impi", k.impi);
	cli_put_secret_hex(cli, "ks_ext_naf", k.ks_ext_naf, 32, a->secrets);
	ub_card_gba_key_wipe(&k);
	return 0;
}

static int gba_status(struct ub_cli *cli, struct gba_args *a)
{
	struct ub_card_gba_status *r = malloc(sizeof(*r));
	json_object *arr;
	char hex[520];
	struct ub_status st = {0};
	int i, err;

	if (!r) {
		cli_error(cli, UB_E_NOMEM, "gba status");
		return UB_E_NOMEM;
	}
	if ((err = cli_connect(cli))) {
		free(r);
		return err;
	}
	err = ub_card_gba_status(cli->sess, a->app, (long long)time(NULL), r, &st);
	put_app(cli, r->app);
	if (err) {
		free(r);
		cli_fail(cli, &st);
		return err;
	}
	json_object_object_add(cli->out, "service", json_object_new_boolean(r->service));
	put_str(cli, "btid", r->btid[0] ? r->btid : NULL);
	put_str(cli, "lifetime", r->lifetime[0] ? r->lifetime : NULL);
	json_object_object_add(cli->out, "expired", json_object_new_boolean(r->expired));
	arr = json_object_new_array();
	for (i = 0; i < r->nnafs; i++) {
		const struct ub_card_gba_naf *nl = &r->nafs[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "naf_id", cli_json_hex(nl->naf_id, nl->naf_id_len));
		json_object_object_add(o, "btid", json_object_new_string(nl->btid));
		json_object_array_add(arr, o);
		if (!cli->json)
			cli_print(stdout, "%-10s %s %s\n", "naf",
				  ub_hex(hex, nl->naf_id, nl->naf_id_len), nl->btid);
	}
	json_object_object_add(cli->out, "nafs", arr);
	if (!cli->json)
		cli_print(stdout, "%-10s %s, %s\n", "gba", r->app,
			  r->service ? "GBA_U" : "no GBA_U service");
	free(r);
	return 0;
}

/* The GPI file's bytes (or stdin's), at most max - 1 of them. */
static int read_gpi(struct ub_cli *cli, const char *path, uint8_t *buf, size_t max, size_t *n)
{
	FILE *fp;

	if (!strcmp(path, "-")) {
		if (cli->stdin_taken)
			return cli_usage(cli, "--gpi -: standard input is taken already");
		cli->stdin_taken = true;
		fp = stdin;
	} else if (!(fp = fopen(path, "rb"))) {
		cli_error(cli, UB_E_NO_INPUT, "--gpi %s: %s", path, strerror(errno));
		return UB_E_NO_INPUT;
	}
	*n = fread(buf, 1, max, fp);
	if (ferror(fp)) {
		if (fp != stdin)
			fclose(fp);
		cli_error(cli, UB_E_IO, "--gpi %s: read error", path);
		return UB_E_IO;
	}
	if (fp != stdin)
		fclose(fp);
	if (*n >= max) {
		cli_error(cli, UB_E_BAD_DATA, "--gpi %s: longer than %zu bytes", path, max - 1);
		return UB_E_BAD_DATA;
	}
	return 0;
}

/* The GBA Push Info of --gpi, decoded with the policy's layout, before
 * the card is asked anything. */
static int gpi_fields(struct ub_cli *cli, const struct gba_args *a, struct ub_gba_push_info *pi)
{
	const struct ub_policy *pol;
	uint8_t buf[GPI_MAX + 1];
	struct ub_status st = {0};
	size_t n = 0;
	int err;

	if (a->rand || a->autn || a->naf || a->ua || a->ptid || a->lifetime)
		return cli_usage(cli,
				 "--gpi carries RAND, AUTN, the NAF, the P-TID and the "
				 "lifetime: not with --rand --autn --naf --ua --ptid --lifetime");
	if (!(pol = cli_policy(cli, &err)))
		return err;
	if ((err = read_gpi(cli, a->gpi, buf, sizeof(buf), &n)))
		return err;
	if ((err = ub_gba_gpi_decode(ub_policy_gpi_layout(pol), buf, n, pi, &st)))
		cli_fail_at(cli, err, &st, "--gpi %s", a->gpi);
	return err;
}

/* The GBA Push Info's fields from the options (--rand ... --lifetime). */
static int push_fields(struct ub_cli *cli, const struct gba_args *a, struct ub_gba_push_info *pi)
{
	uint8_t ua[UB_GBA_UA_LEN];
	int n, err;

	if ((err = hexarg(cli, "rand", a->rand, pi->rand, 16)) ||
	    (err = hexarg(cli, "autn", a->autn, pi->autn, 16)) ||
	    (err = hexarg(cli, "ua", a->ua, ua, UB_GBA_UA_LEN)))
		return err;
	n = ub_gba_naf_id(a->naf, ua, pi->naf_id, sizeof(pi->naf_id));
	if (n < 0 || !a->ptid || strlen(a->ptid) >= sizeof(pi->ptid) || !*a->ptid ||
	    ub_gba_lifetime(a->lifetime, (long long)time(NULL), pi->lifetime,
			    sizeof(pi->lifetime))) {
		return cli_usage(cli, "gba push needs --rand --autn --naf FQDN --ua HEX --ptid STR"
				      " [--lifetime T]");
	}
	pi->naf_id_len = (size_t)n;
	snprintf(pi->ptid, sizeof(pi->ptid), "%s", a->ptid);
	return 0;
}

/* GBA_U push from a GBA Push Info (--gpi) or from its fields. */
static int gba_push(struct ub_cli *cli, struct gba_args *a)
{
	struct ub_gba_push_info pi;
	struct ub_card_gba_key k;
	struct ub_status st = {0};
	int err;

	memset(&pi, 0, sizeof(pi));
	if ((err = a->gpi ? gpi_fields(cli, a, &pi) : push_fields(cli, a, &pi)))
		return err;
	if ((err = cli_connect(cli)))
		return err;
	err = ub_card_gba_push(cli->sess, a->app, &pi, (long long)time(NULL), &k, &st);
	put_app(cli, k.app);
	if (err == UB_E_AUTH_SYNC)
		put_hex(cli, "auts", k.auts, 14);
	if (err)
		return key_fail(cli, err, &k, &st, "GBA push needs GBA_U");
	put_str(cli, "ptid", pi.ptid);
	put_hex(cli, "naf_id", pi.naf_id, pi.naf_id_len);
	put_str(cli, "lifetime", pi.lifetime);
	cli_put_secret_hex(cli, "ks_ext_naf", k.ks_ext_naf, 32, a->secrets);
	ub_card_gba_key_wipe(&k);
	return 0;
}

/* Each gba command: its options, then its work. */
#define GBA_RUN(name, fn)                                          \
	static int name(struct ub_cli *cli, int argc, char **argv) \
	{                                                          \
		struct gba_args a;                                 \
		int err = parse_args(cli, argc, argv, &a);         \
		return err ? err : fn(cli, &a);                    \
	}
GBA_RUN(status_run, gba_status)
GBA_RUN(bootstrap_run, gba_bootstrap)
GBA_RUN(naf_key_run, gba_naf_key)
GBA_RUN(push_run, gba_push)

const struct ub_cmd cli_auth_cmd = {
	.name = "auth",
	.run = auth,
	.synopsis = "--rand HEX --autn HEX [--app usim|isim] [--secrets]\n"
		    "--gsm [--imsi] --rand HEX [--rand HEX]... [--secrets]",
	.summary = "3G AUTHENTICATE (--gsm: 2G), as osmo-sim-auth",
	.text = "AUTHENTICATE on the card's USIM (or ISIM): RES, CK, IK, Kc, or the AUTS of a\n"
		"synchronisation failure (exit 65).  --gsm runs the 2G one, once per --rand,\n"
		"in one session: SRES and Kc.  CK, IK and Kc show as (secret) unless --secrets.",
	.opts = auth_opts,
};

static const struct ub_cmd gba_cmds[] = {
	{.name = "status",
	 .run = status_run,
	 .synopsis = "[--app usim|isim]",
	 .summary = "B-TID, key lifetime and the NAFs of EF_GBANL",
	 .opts = status_opts},
	{.name = "bootstrap",
	 .run = bootstrap_run,
	 .synopsis = "--rand HEX --autn HEX --bsf FQDN [--lifetime T] [--allow-gba-me]",
	 .summary = "GBA_U bootstrapping on the card: RES and the B-TID",
	 .opts = bootstrap_opts},
	{.name = "naf-key",
	 .run = naf_key_run,
	 .synopsis = "--naf FQDN --ua HEX [--secrets]",
	 .summary = "Ks_ext_NAF for a NAF, derived by the card",
	 .text = "Ks_ext_NAF for a NAF, derived by the card, with the NAF_Id, B-TID, lifetime\n"
		 "and IMPI; the key shows as (secret) unless --secrets.",
	 .opts = naf_key_opts},
	{.name = "push",
	 .run = push_run,
	 .synopsis = "--rand HEX --autn HEX --naf FQDN --ua HEX --ptid STR [--lifetime T]\n"
		     "    [--secrets]\n"
		     "--gpi FILE [--secrets]",
	 .summary = "GBA_U push from a GBA Push Info, or from its fields",
	 .text = "GBA_U push (TS 33.223): the card's bootstrapping with the GPI's RAND and\n"
		 "AUTN*, the P-TID and lifetime in EF_GBABP, then Ks_ext_NAF for its NAF_Id.\n"
		 "--gpi FILE (-: stdin) gives the GPI's bytes, decoded with the policy's\n"
		 "[gba] gpi_layout (TS 33.223 5.3.5 was not available to us: the default\n"
		 "layout is an assumption); a GPI that does not decode is refused (exit 65)\n"
		 "before the card is asked.  The key shows as (secret) unless --secrets.",
	 .opts = gba_push_opts},
	{.name = NULL},
};

const struct ub_cmd cli_gba_cmd = {
	.name = "gba",
	.synopsis = "COMMAND",
	.summary = "GBA_U with the card (TS 33.220)",
	.subs = gba_cmds,
};
