/* uiccboot sms send | decode: pushed bootstraps as SMS-DELIVER TPDUs. */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "sms.h"
#include "ub_hex.h"
#include "ub_kannel.h"
#include "ub_sender.h"
#include "ub_sms.h"
#include "ub_wsp.h"

#define SEND_USAGE                                                                                 \
	"uiccboot sms send FILE|- [--sec TYPE] [--keys FILE|-] [--imsi DIGITS] [--user-pin PIN]\n" \
	"       [--ks-ext-naf HEX] [--userpinmac-key DIGITS] [--networkid-key semi-octet|ascii]\n" \
	"       [--from ADDR] [--smsc ADDR | --no-smsc] [--ref N] [--ref8] [--dcs HEX]\n"          \
	"       [--tid N] [--time EPOCH] [--src-port N] [--no-app-id] [--wsp | --wbxml]\n"         \
	"       [--out FILE] [--kannel URL --to MSISDN [--kannel-auth FILE]]"
#define DECODE_USAGE "uiccboot sms decode FILE|- [--no-smsc]"
#define RECEIVE_USAGE                                                                        \
	"uiccboot sms receive [FILE|-] [--no-smsc] [--user-pin-file F | --user-pin PIN]\n"   \
	"       (the user PIN also from UICCBOOT_USER_PIN; one result a line, --json: one\n" \
	"        object a line)"
#define LIST_USAGE "uiccboot sms list"
#define PENDING_USAGE                                                                       \
	"uiccboot sms pending [--reset-pin-budget]\n"                                       \
	"       uiccboot sms pending --apply [--id N] --user-pin-file F | --user-pin PIN\n" \
	"       (--id is needed when more than one message waits)"

static const char *kind_name(enum ub_plan_kind k)
{
	return k == UB_PLAN_CP ? "cp" : k == UB_PLAN_DM11 ? "dm1.1" : "dm1.2";
}

/* A whole file (or stdin), at most max bytes. */
static int slurp(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t n;

	if (!fp)
		return UB_E_IO;
	n = fread(buf, 1, max, fp);
	if (fp != stdin)
		fclose(fp);
	*len = n;
	return n >= max ? UB_E_BAD_DATA : 0;
}

/* Secrets: argv first, then the keys file, then the environment; never
 * only argv.  They live in this struct and are wiped at the end. */
struct secrets {
	char imsi[32], pin[64], ks_hex[80], upm[32];
	char kuser[128], kpass[128];
	uint8_t ks[32];
};

static void set_once(char *dst, size_t max, const char *v)
{
	if (!dst[0] && v && strlen(v) < max)
		snprintf(dst, max, "%s", v);
}

/* "key = value" lines; '#' comments.  A file must not be readable by
 * others (as the factory key file). */
static int read_kv(struct ub_cli *cli, const char *path, struct secrets *s, bool kannel)
{
	char line[256], *eq, *k, *v, *e;
	struct stat st;
	FILE *fp;
	int err = 0, lineno = 0;

	fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!fp || fstat(fileno(fp), &st)) {
		cli_error(cli, UB_E_IO, "%s: %s", path, strerror(errno));
		if (fp && fp != stdin)
			fclose(fp);
		return UB_E_IO;
	}
	if (fp != stdin && (!S_ISREG(st.st_mode) || (st.st_mode & 077))) {
		fclose(fp);
		cli_error(cli, UB_E_POLICY, "%s: must be a regular file of mode 0600 (is %04o)",
			  path, (unsigned)(st.st_mode & 07777));
		return UB_E_POLICY;
	}
	while (!err && fgets(line, sizeof(line), fp)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		for (k = line; *k == ' ' || *k == '\t'; k++)
			;
		if (!*k || *k == '#')
			continue;
		if (!(eq = strchr(k, '='))) {
			err = UB_E_BAD_DATA;
			break;
		}
		for (e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		for (v = eq + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (kannel && !strcmp(k, "username"))
			set_once(s->kuser, sizeof(s->kuser), v);
		else if (kannel && !strcmp(k, "password"))
			set_once(s->kpass, sizeof(s->kpass), v);
		else if (!kannel && !strcmp(k, "imsi"))
			set_once(s->imsi, sizeof(s->imsi), v);
		else if (!kannel && !strcmp(k, "pin"))
			set_once(s->pin, sizeof(s->pin), v);
		else if (!kannel && !strcmp(k, "ks_ext_naf"))
			set_once(s->ks_hex, sizeof(s->ks_hex), v);
		else if (!kannel && !strcmp(k, "userpinmac_key"))
			set_once(s->upm, sizeof(s->upm), v);
		else
			err = UB_E_BAD_DATA;
	}
	OPENSSL_cleanse(line, sizeof(line));
	if (fp != stdin)
		fclose(fp);
	if (err)
		cli_error(cli, err, "%s:%d: wants %s = value", path, lineno,
			  kannel ? "username|password" : "imsi|pin|ks_ext_naf|userpinmac_key");
	return err;
}

struct send_args {
	const char *doc, *keys, *kannel, *kannel_auth, *to, *out;
	struct ub_sms_encode_opts sms;
	struct ub_send_opts send;
	bool wsp_only, wbxml_only, have_ref, have_time;
	long long t;
};

static int parse_num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return !*s || *end || errno || *v > max ? UB_E_USAGE : 0;
}

static int send_parse(struct ub_cli *cli, int argc, char **argv, struct send_args *a,
		      struct secrets *s)
{
	static const struct option opts[] = {
		{"sec", required_argument, NULL, 'S'},
		{"keys", required_argument, NULL, 'K'},
		{"imsi", required_argument, NULL, 'i'},
		{"user-pin", required_argument, NULL, 'p'},
		{"ks-ext-naf", required_argument, NULL, 'k'},
		{"userpinmac-key", required_argument, NULL, 'u'},
		{"networkid-key", required_argument, NULL, 'N'},
		{"from", required_argument, NULL, 'f'},
		{"smsc", required_argument, NULL, 'c'},
		{"no-smsc", no_argument, NULL, 'C'},
		{"ref", required_argument, NULL, 'r'},
		{"ref16", no_argument, NULL, 'R'},
		{"ref8", no_argument, NULL, '8'},
		{"dcs", required_argument, NULL, 'd'},
		{"tid", required_argument, NULL, 'T'},
		{"time", required_argument, NULL, 't'},
		{"src-port", required_argument, NULL, 'P'},
		{"no-app-id", no_argument, NULL, 'A'},
		{"wsp", no_argument, NULL, 'W'},
		{"wbxml", no_argument, NULL, 'B'},
		{"out", required_argument, NULL, 'o'},
		{"kannel", required_argument, NULL, 'G'},
		{"kannel-auth", required_argument, NULL, 'a'},
		{"to", required_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	unsigned long v;
	int c, bad = 0;

	a->sms.originator = "+10000000000";
	a->sms.smsc = "";
	a->sms.ports = true;
	a->sms.dst_port = UB_WSP_PORT_PUSH;
	a->sms.src_port = 9200; /* WAP-259: the WSP connectionless port of the sender */
	a->sms.ref_bits = 16;	/* a guessed reference 1 time in 65536 */
	a->sms.dcs = 0x04;
	a->send.tid = 0x01;
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		switch (c) {
		case 'S':
			a->send.sec = ub_sec_parse(optarg);
			bad |= !a->send.sec;
			break;
		case 'K':
			a->keys = optarg;
			break;
		case 'i':
			set_once(s->imsi, sizeof(s->imsi), optarg);
			break;
		case 'p':
			set_once(s->pin, sizeof(s->pin), optarg);
			break;
		case 'k':
			set_once(s->ks_hex, sizeof(s->ks_hex), optarg);
			break;
		case 'u':
			set_once(s->upm, sizeof(s->upm), optarg);
			break;
		case 'N':
			bad |= strcmp(optarg, "ascii") && strcmp(optarg, "semi-octet");
			a->send.keys.netid =
				strcmp(optarg, "ascii") ? UB_NETID_SEMI_OCTET : UB_NETID_ASCII;
			break;
		case 'f':
			a->sms.originator = optarg;
			break;
		case 'c':
			a->sms.smsc = optarg;
			break;
		case 'C':
			a->sms.smsc = NULL;
			break;
		case 'r':
			bad |= parse_num(optarg, 0xFFFF, &v) != 0;
			a->sms.ref = (uint16_t)v;
			a->have_ref = true;
			break;
		case 'R': /* the default; kept for scripts */
			a->sms.ref_bits = 16;
			break;
		case '8':
			a->sms.ref_bits = 8;
			break;
		case 'd':
			bad |= parse_num(optarg, 0xFF, &v) != 0;
			a->sms.dcs = (uint8_t)v;
			break;
		case 'T':
			bad |= parse_num(optarg, 0xFF, &v) != 0;
			a->send.tid = (uint8_t)v;
			break;
		case 't':
			bad |= parse_num(optarg, 0xFFFFFFFFul, &v) != 0;
			a->t = (long long)v;
			a->have_time = true;
			break;
		case 'P':
			bad |= parse_num(optarg, 0xFFFF, &v) != 0;
			a->sms.src_port = (uint16_t)v;
			break;
		case 'A':
			a->send.no_app_id = true;
			break;
		case 'W':
			a->wsp_only = true;
			break;
		case 'B':
			a->wbxml_only = true;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'G':
			a->kannel = optarg;
			break;
		case 'a':
			a->kannel_auth = optarg;
			break;
		case 'O':
			a->to = optarg;
			break;
		default:
			bad = 1;
		}
	}
	if (bad || optind + 1 != argc || (a->wsp_only && a->wbxml_only) ||
	    (a->kannel && (!a->to || a->wsp_only || a->wbxml_only)) ||
	    (a->out && !a->wsp_only && !a->wbxml_only) ||
	    (a->keys && !strcmp(a->keys, "-") && !strcmp(argv[optind], "-"))) {
		fprintf(stderr, "usage: %s\n", SEND_USAGE);
		return UB_E_USAGE;
	}
	a->doc = argv[optind];
	if (a->keys && (bad = read_kv(cli, a->keys, s, false)))
		return bad;
	if (a->kannel_auth && (bad = read_kv(cli, a->kannel_auth, s, true)))
		return bad;
	set_once(s->imsi, sizeof(s->imsi), getenv("UICCBOOT_SEND_IMSI"));
	set_once(s->pin, sizeof(s->pin), getenv("UICCBOOT_SEND_PIN"));
	set_once(s->ks_hex, sizeof(s->ks_hex), getenv("UICCBOOT_SEND_KS_EXT_NAF"));
	set_once(s->upm, sizeof(s->upm), getenv("UICCBOOT_SEND_USERPINMAC_KEY"));
	set_once(s->kuser, sizeof(s->kuser), getenv("UICCBOOT_KANNEL_USERNAME"));
	set_once(s->kpass, sizeof(s->kpass), getenv("UICCBOOT_KANNEL_PASSWORD"));
	if (s->ks_hex[0] && ub_unhex(s->ks, sizeof(s->ks), s->ks_hex) != 32) {
		cli_error(cli, UB_E_USAGE, "Ks_ext_NAF wants 32 bytes as hex");
		return UB_E_USAGE;
	}
	a->send.keys.imsi = s->imsi[0] ? s->imsi : NULL;
	a->send.keys.pin = s->pin[0] ? s->pin : NULL;
	a->send.keys.ks_ext_naf = s->ks_hex[0] ? s->ks : NULL;
	a->send.userpinmac_key = s->upm[0] ? s->upm : NULL;
	return 0;
}

static int write_out(struct ub_cli *cli, const char *path, const uint8_t *b, size_t n)
{
	FILE *fp = fopen(path, "wb");
	bool ok = fp && fwrite(b, 1, n, fp) == n;

	if (fp && fclose(fp))
		ok = false;
	if (!ok)
		cli_error(cli, UB_E_IO, "%s: %s", path, strerror(errno));
	return ok ? 0 : UB_E_IO;
}

/* Print b as one upper-case hex line (modems print PDUs so). */
static void print_hex(const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02X", b[i]);
	putchar('\n');
}

static json_object *hex_json(const uint8_t *b, size_t n)
{
	char *s = malloc(2 * n + 1);
	json_object *o;
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02X", b[i]);
	s[2 * n] = '\0';
	o = json_object_new_string(s);
	free(s);
	return o;
}

static int send_parts(struct ub_cli *cli, struct send_args *a, struct secrets *s,
		      const struct ub_send_result *r)
{
	struct ub_kannel k = {a->kannel, s->kuser, s->kpass, a->to, a->sms.originator, 0};
	json_object *list = json_object_new_array();
	struct ub_sms_part part;
	char why[400];
	int n, i, err = 0;

	json_object_object_add(cli->out, "tpdus", list);
	n = ub_sms_part_count(r->wsp_len, &a->sms);
	if (n < 0) {
		cli_error(cli, UB_E_USAGE,
			  "SMS: cannot split %zu octets (options, or over 255 parts)", r->wsp_len);
		return UB_E_USAGE;
	}
	json_object_object_add(cli->out, "parts", json_object_new_int(n));
	for (i = 0; i < n && !err; i++) {
		err = ub_sms_encode(r->wsp, r->wsp_len, &a->sms, (unsigned)i, &part);
		if (err) {
			cli_error(cli, err, "SMS part %d: originator, SMSC or DCS not encodable",
				  i + 1);
			break;
		}
		json_object_array_add(list, hex_json(part.tpdu, part.tpdu_len));
		if (!cli->json && !a->kannel)
			print_hex(part.tpdu, part.tpdu_len);
		if (a->kannel) {
			err = ub_kannel_send(&k, &part, a->sms.dcs, why, sizeof(why));
			if (err)
				cli_error(cli, err, "Kannel %s, part %d of %d: %s", a->kannel,
					  i + 1, n, why);
			else if (!cli->json)
				printf("part %d/%d: %s\n", i + 1, n, why);
		}
	}
	OPENSSL_cleanse(&part, sizeof(part));
	return err;
}

static int sms_send(struct ub_cli *cli, int argc, char **argv)
{
	static uint8_t doc[UB_DOC_MAX + 1];
	struct send_args a;
	struct secrets s;
	struct ub_send_result r;
	char err[400];
	json_object *srv;
	size_t n;
	int rc, i;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	memset(&r, 0, sizeof(r));
	if ((rc = send_parse(cli, argc, argv, &a, &s)))
		goto end;
	if ((rc = slurp(a.doc, doc, sizeof(doc), &n))) {
		cli_error(cli, rc, "%s: %s", a.doc,
			  rc == UB_E_IO ? strerror(errno) : "larger than 64 KiB");
		goto end;
	}
	if (!a.have_ref && RAND_bytes((uint8_t *)&a.sms.ref, sizeof(a.sms.ref)) != 1) {
		rc = UB_E_INTERNAL;
		goto end;
	}
	if (a.sms.ref_bits == 8)
		a.sms.ref &= 0xFF;
	ub_sms_scts(a.have_time ? a.t : (long long)time(NULL), a.sms.scts);
	rc = ub_send_build(doc, n, &a.send, &r, err, sizeof(err));
	if (rc) {
		cli_error(cli, rc, "%s: %s", a.doc, err);
		goto end;
	}
	json_object_object_add(cli->out, "kind", json_object_new_string(kind_name(r.kind)));
	srv = json_object_new_array();
	for (i = 0; i < r.nservers; i++)
		json_object_array_add(srv, json_object_new_string(r.servers[i]));
	json_object_object_add(cli->out, "servers", srv);
	json_object_object_add(cli->out, "sec", r.sec[0] ? json_object_new_string(r.sec) : NULL);
	json_object_object_add(cli->out, "mac", r.mac[0] ? json_object_new_string(r.mac) : NULL);
	json_object_object_add(cli->out, "wbxml_len", json_object_new_int((int)r.wbxml_len));
	json_object_object_add(cli->out, "wsp_len", json_object_new_int((int)r.wsp_len));
	if (r.userpin[0]) { /* the purpose of USERPINMAC: the PIN the user is told */
		json_object_object_add(cli->out, "userpin", json_object_new_string(r.userpin));
		if (!cli->json)
			fprintf(stderr, "uiccboot: USERPINMAC: the user enters PIN %s\n",
				r.userpin);
	}
	if (a.send.sec == UB_SEC_NONE)
		fprintf(stderr, "uiccboot: no SEC/MAC: a device accepts this only over a secure "
				"transport\n");
	if (a.wsp_only || a.wbxml_only) {
		const uint8_t *b = a.wsp_only ? r.wsp : r.wbxml;
		size_t len = a.wsp_only ? r.wsp_len : r.wbxml_len;

		json_object_object_add(cli->out, a.wsp_only ? "wsp" : "wbxml", hex_json(b, len));
		if (a.out)
			rc = write_out(cli, a.out, b, len);
		else if (!cli->json)
			print_hex(b, len);
		goto end;
	}
	rc = send_parts(cli, &a, &s, &r);
end:
	ub_send_result_free(&r);
	OPENSSL_cleanse(&s, sizeof(s));
	OPENSSL_cleanse(doc, sizeof(doc));
	return rc;
}

/* --- decode --- */

struct tpdu {
	uint8_t b[UB_SMS_TPDU_MAX];
	struct ub_sms_deliver d;
	bool ok, used;
	int line;
};

static const char *alphabet_name(enum ub_sms_alphabet a)
{
	switch (a) {
	case UB_SMS_8BIT:
		return "8-bit";
	case UB_SMS_UCS2:
		return "UCS2";
	case UB_SMS_COMPRESSED:
		return "compressed";
	default:
		return "GSM 7-bit";
	}
}

static void tpdu_report(struct ub_cli *cli, json_object *list, int idx, const struct tpdu *t,
			int err, const char *why)
{
	const struct ub_sms_deliver *d = &t->d;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "line", json_object_new_int(t->line));
	if (err) {
		json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(o, "message", json_object_new_string(why));
		if (!cli->json)
			printf("tpdu %d (line %d): refused: %s\n", idx, t->line, why);
		json_object_array_add(list, o);
		return;
	}
	json_object_object_add(o, "originator", json_object_new_string(d->originator));
	json_object_object_add(o, "smsc", json_object_new_string(d->smsc));
	json_object_object_add(o, "scts", json_object_new_string(d->scts_text));
	json_object_object_add(o, "dcs", json_object_new_int(d->dcs));
	json_object_object_add(o, "alphabet", json_object_new_string(alphabet_name(d->alphabet)));
	if (d->has_ports) {
		json_object_object_add(o, "dst_port", json_object_new_int(d->dst_port));
		json_object_object_add(o, "src_port", json_object_new_int(d->src_port));
	}
	if (d->concat) {
		json_object_object_add(o, "ref", json_object_new_int(d->ref));
		json_object_object_add(o, "ref_bits", json_object_new_int(d->ref_bits));
		json_object_object_add(o, "seq", json_object_new_int(d->seq));
		json_object_object_add(o, "total", json_object_new_int(d->total));
	}
	json_object_object_add(o, "user_data", json_object_new_int((int)d->payload_len));
	json_object_array_add(list, o);
	if (cli->json)
		return;
	printf("tpdu %d (line %d): SMS-DELIVER from %s, %s", idx, t->line, d->originator,
	       alphabet_name(d->alphabet));
	if (d->alphabet != UB_SMS_8BIT)
		printf(" (not 8-bit, ignored)");
	if (d->has_ports)
		printf(", ports %u<-%u", d->dst_port, d->src_port);
	if (d->concat)
		printf(", part %u/%u ref 0x%0*X (%u-bit)", d->seq, d->total, d->ref_bits / 4,
		       d->ref, d->ref_bits);
	printf(", %zu octets\n", d->payload_len);
}

static void push_report(struct ub_cli *cli, json_object *o, const struct ub_wsp_push *p)
{
	enum ub_wsp_kind k = ub_wsp_classify(p);
	char app[UB_WSP_URI_MAX + 32] = "";

	json_object_object_add(o, "kind", json_object_new_string(ub_wsp_kind_name(k)));
	json_object_object_add(o, "tid", json_object_new_int(p->tid));
	json_object_object_add(o, "media", json_object_new_string(p->ct.media));
	json_object_object_add(o, "sec", p->ct.has_sec ? json_object_new_string(p->ct.sec) : NULL);
	json_object_object_add(o, "mac", p->ct.has_mac ? json_object_new_string(p->ct.mac) : NULL);
	if (p->has_app_id) {
		if (p->app_code >= 0)
			snprintf(app, sizeof(app), "%s (%ld)", p->app_uri[0] ? p->app_uri : "?",
				 p->app_code);
		else
			snprintf(app, sizeof(app), "%s", p->app_uri);
	}
	json_object_object_add(o, "app_id", p->has_app_id ? json_object_new_string(app) : NULL);
	json_object_object_add(o, "content_type", hex_json(p->headers, p->ct_len));
	json_object_object_add(o, "body_len", json_object_new_int((int)p->body_len));
	json_object_object_add(o, "body", hex_json(p->body, p->body_len));
	if (cli->json)
		return;
	printf("  push: %s, tid %u\n  media: %s\n", ub_wsp_kind_name(k), p->tid, p->ct.media);
	if (p->ct.has_sec)
		printf("  sec: %s\n", p->ct.sec);
	if (p->ct.has_mac)
		printf("  mac: %s\n", p->ct.mac);
	if (p->has_app_id)
		printf("  app-id: %s\n", app);
	printf("  body: %zu octets\n", p->body_len);
}

/* The parts of the message t[i] belongs to, gathered; then joined and
 * read as a WAP push. */
static int message(struct ub_cli *cli, json_object *list, struct tpdu *t, size_t nt, size_t i,
		   int num)
{
	static uint8_t data[UB_SMS_PARTS_MAX * UB_SMS_UD_MAX];
	struct ub_sms_deliver parts[UB_SMS_PARTS_MAX];
	json_object *o = json_object_new_object(), *lines = json_object_new_array();
	struct ub_wsp_push p;
	char why[300];
	size_t j, n = 0;
	int len, err;

	for (j = i; j < nt && n < UB_SMS_PARTS_MAX; j++) {
		if (!t[j].ok || t[j].used)
			continue;
		if (j == i || (t[i].d.concat && ub_sms_same_message(&t[i].d, &t[j].d))) {
			t[j].used = true;
			parts[n++] = t[j].d;
			json_object_array_add(lines, json_object_new_int(t[j].line));
		}
		if (!t[i].d.concat)
			break;
	}
	json_object_object_add(o, "lines", lines);
	json_object_array_add(list, o);
	if (!cli->json)
		printf("message %d (%zu TPDU%s):\n", num, n, n == 1 ? "" : "s");
	len = ub_sms_reassemble(parts, n, data, sizeof(data), why, sizeof(why));
	if (len < 0) {
		err = len;
		json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(o, "message", json_object_new_string(why));
		if (!cli->json)
			printf("  %s: %s\n", err == UB_E_NOT_FOUND ? "incomplete" : "refused", why);
		return err;
	}
	err = ub_wsp_push_from_wdp(parts[0].has_ports, parts[0].dst_port, data, (size_t)len, &p,
				   why, sizeof(why));
	if (err) {
		json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(o, "message", json_object_new_string(why));
		if (!cli->json)
			printf("  refused: %s\n", why);
		return err;
	}
	push_report(cli, o, &p);
	return 0;
}

static bool skip_line(const char *l)
{
	return !*l || *l == '#' || *l == '+' || !strncmp(l, "OK", 2) || !strncasecmp(l, "AT", 2);
}

static int sms_decode(struct ub_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"no-smsc", no_argument, NULL, 'C'},
					     {NULL, 0, NULL, 0}};
	json_object *tl = json_object_new_array(), *ml = json_object_new_array();
	struct tpdu *t = NULL, *nt;
	size_t n = 0, cap = 0, i, lcap = 0;
	char *line = NULL, *l, why[300];
	bool smsc = true;
	int c, lineno = 0, rc = 0, err, num = 0, k;
	ssize_t got;
	FILE *fp;

	json_object_object_add(cli->out, "tpdus", tl);
	json_object_object_add(cli->out, "messages", ml);
	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c != 'C') {
			fprintf(stderr, "usage: %s\n", DECODE_USAGE);
			return UB_E_USAGE;
		}
		smsc = false;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: %s\n", DECODE_USAGE);
		return UB_E_USAGE;
	}
	fp = strcmp(argv[optind], "-") ? fopen(argv[optind], "r") : stdin;
	if (!fp) {
		cli_error(cli, UB_E_IO, "%s: %s", argv[optind], strerror(errno));
		return UB_E_IO;
	}
	while ((got = getline(&line, &lcap, fp)) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		for (l = line; *l == ' ' || *l == '\t'; l++)
			;
		if (skip_line(l))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if (cap > 4096 || !(nt = realloc(t, cap * sizeof(*t)))) {
				cli_error(cli, UB_E_NOMEM, "%s: more than 4096 TPDUs",
					  argv[optind]);
				rc = UB_E_NOMEM;
				goto end;
			}
			t = nt;
		}
		memset(&t[n], 0, sizeof(t[n]));
		t[n].line = lineno;
		k = ub_unhex(t[n].b, sizeof(t[n].b), l);
		if (k < 0) {
			snprintf(why, sizeof(why), "not hex, or longer than %d octets",
				 UB_SMS_TPDU_MAX);
			err = UB_E_BAD_DATA;
		} else {
			err = ub_sms_deliver_decode(t[n].b, (size_t)k, smsc, &t[n].d, why,
						    sizeof(why));
		}
		t[n].ok = !err;
		tpdu_report(cli, tl, (int)n + 1, &t[n], err, why);
		if (err)
			rc = err;
		n++;
	}
	for (i = 0; i < n; i++) {
		if (!t[i].ok || t[i].used)
			continue;
		if (t[i].d.alphabet != UB_SMS_8BIT) {
			t[i].used = true;
			continue; /* said so in its TPDU line */
		}
		err = message(cli, ml, t, n, i, ++num);
		if (err && !rc)
			rc = err;
	}
end:
	free(line);
	free(t);
	if (fp != stdin)
		fclose(fp);
	return rc;
}

/* --- receive, list, pending --- */

static char *utc(long long t, char out[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

static json_object *jstr(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *dropped_json(struct ub_cli *cli, const struct ub_sms_dropped *d, size_t n)
{
	json_object *arr = json_object_new_array(), *o;
	size_t i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "message", json_object_new_int64(d[i].message));
		json_object_object_add(o, "originator", json_object_new_string(d[i].originator));
		json_object_object_add(o, "held", json_object_new_int((int)d[i].held));
		json_object_object_add(o, "total", json_object_new_int((int)d[i].total));
		json_object_object_add(o, "pending", json_object_new_boolean(d[i].pending));
		json_object_object_add(o, "reason", json_object_new_string(d[i].why));
		json_object_array_add(arr, o);
		if (!cli->json)
			cli_print(stdout, "  dropped message %lld from %s (%s%u of %u parts): %s\n",
				  d[i].message, d[i].originator, d[i].pending ? "pending, " : "",
				  d[i].held, d[i].total, d[i].why);
	}
	return arr;
}

/* What one TPDU (or one message taken up again) did: a line of text, or
 * an object of the JSON list. */
static json_object *result_json(struct ub_cli *cli, const char *label, int line,
				const struct ub_sms_result *r)
{
	const struct ub_apply_result *a = &r->boot.apply;
	json_object *o = json_object_new_object(), *ren = json_object_new_array(), *x;
	bool done = r->status == UB_SMS_APPLIED || r->status == UB_SMS_UNCHANGED;
	const char *status = ub_sms_status_name(r->status);
	size_t i;

	if (line > 0)
		json_object_object_add(o, "line", json_object_new_int(line));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "originator", jstr(r->originator));
	json_object_object_add(o, "part", r->part ? json_object_new_int((int)r->part) : NULL);
	json_object_object_add(o, "total", r->total ? json_object_new_int((int)r->total) : NULL);
	json_object_object_add(o, "held", r->message ? json_object_new_int((int)r->held) : NULL);
	json_object_object_add(o, "message", r->message ? json_object_new_int64(r->message) : NULL);
	json_object_object_add(o, "kind", jstr(r->kind));
	json_object_object_add(o, "sec", jstr(r->sec));
	json_object_object_add(o, "reason", jstr(r->why.what));
	json_object_object_add(o, "error",
			       r->why.err ? json_object_new_string(ub_errname(r->why.err)) : NULL);
	if (r->status == UB_SMS_PENDING || (r->status == UB_SMS_REJECTED && r->attempts_left))
		json_object_object_add(o, "attempts_left",
				       json_object_new_int((int)r->attempts_left));
	if (r->kept)
		json_object_object_add(o, "kept", json_object_new_boolean(true));
	if (r->boot.apdus)
		json_object_object_add(o, "apdus", json_object_new_int((int)r->boot.apdus));
	if (!cli->json) {
		cli_print(stdout, "%s: %s", label, status);
		if (r->status == UB_SMS_STORED)
			cli_print(stdout, ": part %u of %u of message %lld from %s (%u held)",
				  r->part, r->total, r->message, r->originator, r->held);
		else if (r->kind && r->status != UB_SMS_IGNORED)
			cli_print(stdout, ": %s%s%s, message %lld from %s", r->kind,
				  r->sec ? ", SEC=" : "", r->sec ? r->sec : "", r->message,
				  r->originator);
		if (r->why.what[0])
			cli_print(stdout, ": %s", r->why.what);
		if (r->why.err)
			printf(" [%s]", ub_errname(r->why.err));
		if (r->status == UB_SMS_PENDING)
			cli_print(stdout,
				  ": waits for the user's PIN (uiccboot sms pending --apply --id "
				  "%lld)",
				  r->message);
		if (r->status == UB_SMS_REJECTED && r->attempts_left)
			printf(" (%u PIN attempt%s left)", r->attempts_left,
			       r->attempts_left == 1 ? "" : "s");
		if (r->kept)
			printf("; its parts are kept until [sms] expiry, for a part that may come "
			       "with other data");
		printf("\n");
	}
	if (done) {
		json_object_object_add(
			o, "accounts",
			cli_uri_list(a->accounts, a->naccounts, "  account", !cli->json));
		for (i = 0; i < a->nrenamed; i++) {
			x = json_object_new_object();
			json_object_object_add(x, "from",
					       json_object_new_string(a->renamed[i].from));
			json_object_object_add(x, "to", json_object_new_string(a->renamed[i].to));
			json_object_array_add(ren, x);
			if (!cli->json)
				cli_print(stdout, "  renamed %s -> %s\n", a->renamed[i].from,
					  a->renamed[i].to);
		}
		json_object_object_add(o, "renamed", ren);
	} else {
		json_object_put(ren);
	}
	json_object_object_add(o, "dropped", dropped_json(cli, r->dropped, r->ndropped));
	cli->apdus += r->boot.apdus;
	return o;
}

/* The exit code of several outcomes (uiccboot(1)): the first failure,
 * else the first refusal, else 0. */
struct outcome {
	int failed, rejected;
};

static void note(struct outcome *oc, const struct ub_sms_result *r)
{
	int err = r->why.err ? r->why.err : UB_E_INTERNAL;

	if (r->status == UB_SMS_FAILED && !oc->failed)
		oc->failed = err;
	if (r->status == UB_SMS_REJECTED && !oc->rejected)
		oc->rejected = err;
}

static int outcome_err(const struct outcome *oc)
{
	return oc->failed ? oc->failed : oc->rejected;
}

static void results_out(struct ub_cli *cli, json_object *list, const char *what,
			struct ub_sms_result *res, size_t n, struct outcome *oc)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_object_array_add(list, result_json(cli, what, 0, &res[i]));
		note(oc, &res[i]);
	}
}

/* The user PIN of receive and pending (as push takes it). */
struct pin_opt {
	char *arg;
	const char *file;
	char buf[UB_SECRET_MAX + 1];
	const char *pin;
};

static int rx_open(struct ub_cli *cli, struct ub_sms_rx **rx)
{
	const struct ub_boot_config *cfg;
	struct ub_status st = {0};
	struct ub_sms_dropped *d = NULL;
	size_t n = 0;
	int err = 0;

	if (!(cfg = cli_config(cli, &err)))
		return err;
	if ((err = ub_sms_open(cfg, rx, &st))) {
		cli_fail(cli, &st);
		return err;
	}
	err = ub_sms_expire(*rx, 0, &d, &n);
	json_object_object_add(cli->out, "expired", dropped_json(cli, d, n));
	free(d);
	if (err) {
		cli_error(cli, err, "SMS store: expiry");
		ub_sms_close(*rx);
		*rx = NULL;
	}
	return err;
}

/* Print one object of a streaming command (--json: one a line), flushed
 * so that a reader at the other end of a pipe sees it now; then free it. */
static void stream_out(struct ub_cli *cli, json_object *o, const char *type)
{
	if (cli->json) {
		json_object *t = json_object_new_object();

		/* "type" first: a reader can tell the lines apart at a glance */
		json_object_object_add(t, "type", json_object_new_string(type));
		json_object_object_foreach(o, k, v)
			json_object_object_add(t, k, json_object_get(v));
		printf("%s\n", json_object_to_json_string_ext(
				       t, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(t);
	}
	json_object_put(o);
	fflush(stdout);
}

/* A failure of the command itself while it streams: on stderr, and
 * with --json as an object of its own. */
static void stream_error(struct ub_cli *cli, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void stream_error(struct ub_cli *cli, int err, const char *fmt, ...)
{
	json_object *o = json_object_new_object();
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_error(cli, err, "%s", msg);
	json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
	json_object_object_add(o, "message", json_object_new_string(msg));
	stream_out(cli, o, "error");
}

/* A line of input is at most this long (a TPDU of 176 octets in hex with
 * a space between octets, and room to spare). */
#define LINE_CHARS 1024

/* One line of fp into buf (LINE_CHARS), its newline dropped: its length,
 * -1 at the end of the input.  A longer line is read to its end and thrown
 * away as it is read (never held whole): *too_long. */
static long read_line(FILE *fp, char buf[LINE_CHARS], bool *too_long)
{
	size_t n = 0;
	int c;

	*too_long = false;
	while ((c = getc_unlocked(fp)) != EOF && c != '\n') {
		if (n + 1 < LINE_CHARS)
			buf[n++] = (char)c;
		else
			*too_long = true;
	}
	buf[n] = '\0';
	if (c == EOF && !n && !*too_long)
		return -1;
	return (long)n;
}

static int sms_receive(struct ub_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"no-smsc", no_argument, NULL, 'C'},
					     {"user-pin", required_argument, NULL, 'p'},
					     {"user-pin-file", required_argument, NULL, 'P'},
					     {NULL, 0, NULL, 0}};
	struct pin_opt po = {0};
	struct ub_sms_rx *rx = NULL;
	struct ub_sms_result *res = NULL, r;
	struct outcome oc = {0, 0};
	const char *path = "-";
	char line[LINE_CHARS], *l, label[32];
	size_t n = 0, i;
	bool smsc = true, too_long;
	int c, err = 0;
	long lineno = 0;
	FILE *fp = NULL;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'C') {
			smsc = false;
		} else if (c == 'p') {
			po.arg = optarg;
		} else if (c == 'P') {
			po.file = optarg;
		} else {
			fprintf(stderr, "usage: %s\n", RECEIVE_USAGE);
			return UB_E_USAGE;
		}
	}
	if (optind + 1 == argc)
		path = argv[optind];
	if (optind + 1 < argc || (po.file && !strcmp(po.file, "-") && !strcmp(path, "-"))) {
		fprintf(stderr, "usage: %s\n", RECEIVE_USAGE);
		return UB_E_USAGE;
	}
	if ((err = cli_secret(cli, "--user-pin", po.arg, po.file, "UICCBOOT_USER_PIN", po.buf,
			      sizeof(po.buf), &po.pin)))
		goto end;
	fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!fp) {
		cli_error(cli, UB_E_IO, "%s: %s", path, strerror(errno));
		err = UB_E_IO;
		goto end;
	}
	if ((err = rx_open(cli, &rx)))
		goto end;
	/* from here on one object a line, each as it comes: nothing more at
	 * the end */
	cli->streamed = true;
	{
		json_object *ex = json_object_object_get(cli->out, "expired");
		size_t k, nex = json_object_array_length(ex);

		for (k = 0; k < nex; k++)
			stream_out(cli, json_object_get(json_object_array_get_idx(ex, k)),
				   "expired");
	}
	/* what a power loss left complete, or a failure left to try again */
	err = ub_sms_resume(rx, po.pin, 0, &res, &n);
	for (i = 0; i < n; i++) {
		stream_out(cli, result_json(cli, "taken up again", 0, &res[i]), "resumed");
		note(&oc, &res[i]);
	}
	ub_sms_results_free(res, n);
	if (err && !oc.failed && !oc.rejected) { /* the store itself */
		stream_error(cli, err, "SMS store: complete messages");
		oc.failed = err;
	}
	while (read_line(fp, line, &too_long) >= 0) {
		lineno++;
		snprintf(label, sizeof(label), "line %ld", lineno);
		memset(&r, 0, sizeof(r));
		if (too_long) {
			/* refused without being held: say which line */
			r.status = UB_SMS_REJECTED;
			ub_fail(&r.why, UB_E_BAD_DATA, 0, "TPDU",
				"line %ld is longer than %d characters: not a TPDU, refused",
				lineno, LINE_CHARS - 1);
		} else {
			line[strcspn(line, "\r")] = '\0';
			for (l = line; *l == ' ' || *l == '\t'; l++)
				;
			if (skip_line(l))
				continue;
			ub_sms_receive_hex(rx, l, smsc, po.pin, 0, &r);
		}
		stream_out(cli, result_json(cli, label, (int)lineno, &r), "tpdu");
		note(&oc, &r);
		ub_sms_result_free(&r);
		OPENSSL_cleanse(line, sizeof(line));
	}
	if (ferror(fp)) {
		stream_error(cli, UB_E_IO, "%s: %s", path, strerror(errno));
		oc.failed = oc.failed ? oc.failed : UB_E_IO;
	}
	err = outcome_err(&oc);
end:
	ub_sms_close(rx);
	OPENSSL_cleanse(line, sizeof(line));
	if (fp && fp != stdin)
		fclose(fp);
	OPENSSL_cleanse(po.buf, sizeof(po.buf));
	return err;
}

static json_object *message_json(struct ub_cli *cli, const struct ub_sms_message *m)
{
	json_object *o = json_object_new_object();
	char since[32], expires[32];

	json_object_object_add(o, "message", json_object_new_int64(m->id));
	json_object_object_add(o, "state",
			       json_object_new_string(m->pending   ? "pending"
						      : m->refused ? "refused"
								   : "incomplete"));
	json_object_object_add(o, "originator", json_object_new_string(m->originator));
	json_object_object_add(o, "held", json_object_new_int((int)m->held));
	json_object_object_add(o, "total", json_object_new_int((int)m->total));
	json_object_object_add(o, "since", json_object_new_string(utc(m->since, since)));
	json_object_object_add(o, "expires", json_object_new_string(utc(m->expires, expires)));
	if (m->pending) {
		json_object_object_add(o, "kind", jstr(m->kind));
		json_object_object_add(o, "sec", jstr(m->sec));
		json_object_object_add(o, "attempts_left",
				       json_object_new_int((int)m->attempts_left));
	}
	if (cli->json)
		return o;
	if (m->pending)
		cli_print(stdout,
			  "message %lld from %s: pending: %s, SEC=%s, complete at %s, %u PIN "
			  "attempt%s left, expires %s\n",
			  m->id, m->originator, m->kind, m->sec, since, m->attempts_left,
			  m->attempts_left == 1 ? "" : "s", expires);
	else if (m->refused)
		cli_print(stdout,
			  "message %lld from %s: refused with the %u parts held, kept for a part "
			  "that may come with other data until %s\n",
			  m->id, m->originator, m->held, expires);
	else
		cli_print(stdout, "message %lld from %s: %u of %u parts since %s, expires %s\n",
			  m->id, m->originator, m->held, m->total, since, expires);
	return o;
}

/* What pending message id would configure, UNVERIFIED (its MAC needs the
 * PIN; anyone may have sent it), into o; with text, lines too.  *which:
 * the message (id 0: the only one).  Returns 0 or the error (printed but
 * for UB_E_USAGE, which the caller explains). */
static int unverified(struct ub_cli *cli, struct ub_sms_rx *rx, long long id, json_object *o,
		      long long *which)
{
	json_object *u = json_object_new_object(), *srv = json_object_new_array();
	struct ub_status st = {0};
	struct ub_plan plan;
	const char *sv;
	size_t i;
	int err = ub_sms_pending_plan(rx, id, 0, &plan, which, &st);

	if (err) {
		json_object_put(u);
		json_object_put(srv);
		if (err != UB_E_USAGE && err != UB_E_NOT_FOUND) {
			json_object_object_add(o, "unverified_error",
					       json_object_new_string(st.what));
			if (!cli->json)
				cli_print(stdout, "  it would configure nothing: %s\n", st.what);
		}
		return err;
	}
	if (!cli->json)
		cli_print(stdout,
			  "  message %lld would configure (UNVERIFIED: its MAC needs the PIN, "
			  "anyone may have sent it):\n",
			  *which);
	for (i = 0; (sv = ub_plan_server(&plan, i)); i++) {
		json_object_array_add(srv, json_object_new_string(sv));
		if (!cli->json)
			cli_print(stdout, "  ServerID %s\n", sv);
	}
	json_object_object_add(u, "servers", srv);
	json_object_object_add(u, "nodes", cli_plan_nodes(&plan, !cli->json));
	json_object_object_add(o, "unverified", u);
	ub_plan_free(&plan);
	return 0;
}

/* The budget of wrong PINs met with a stored PIN, into cli->out and as a
 * line of text. */
static int budget_out(struct ub_cli *cli, struct ub_sms_rx *rx)
{
	json_object *o = json_object_new_object();
	unsigned failures, max;
	long long last;
	char when[32];
	int err = ub_sms_pin_budget(rx, &failures, &max, &last);

	if (err) {
		json_object_put(o);
		cli_error(cli, err, "SMS store: the count of wrong PINs");
		return err;
	}
	json_object_object_add(o, "failures", json_object_new_int((int)failures));
	json_object_object_add(o, "max", json_object_new_int((int)max));
	json_object_object_add(o, "last", last ? json_object_new_string(utc(last, when)) : NULL);
	json_object_object_add(o, "spent", json_object_new_boolean(failures >= max));
	json_object_object_add(cli->out, "pin_budget", o);
	if (cli->json)
		return 0;
	if (failures >= max)
		cli_print(stdout,
			  "wrong PINs met with the stored PIN: %u of %u, the last at %s: it is not "
			  "used any more (uiccboot sms pending --reset-pin-budget)\n",
			  failures, max, utc(last, when));
	else
		printf("wrong PINs met with the stored PIN: %u of %u\n", failures, max);
	return 0;
}

static int list_out(struct ub_cli *cli, struct ub_sms_rx *rx, bool pending_only)
{
	json_object *arr = json_object_new_array();
	struct ub_sms_message *v = NULL;
	size_t n = 0, i;
	int err;

	json_object_object_add(cli->out, "messages", arr);
	if ((err = ub_sms_list(rx, pending_only, 0, &v, &n))) {
		cli_error(cli, err, "SMS store");
		return err;
	}
	for (i = 0; i < n; i++) {
		json_object *o = message_json(cli, &v[i]);
		long long which;

		if (v[i].pending)
			unverified(cli, rx, v[i].id, o, &which);
		json_object_array_add(arr, o);
	}
	if (!n && !cli->json)
		printf("%s\n", pending_only ? "no pending message" : "no message held");
	free(v);
	return 0;
}

static int sms_list(struct ub_cli *cli, int argc, char **argv)
{
	struct ub_sms_rx *rx = NULL;
	int err;

	if (cli_getopt(cli, argc, argv, "", NULL) != -1 || optind != argc) {
		fprintf(stderr, "usage: %s\n", LIST_USAGE);
		return UB_E_USAGE;
	}
	if ((err = rx_open(cli, &rx)))
		return err;
	err = list_out(cli, rx, false);
	ub_sms_close(rx);
	return err;
}

static int sms_pending(struct ub_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"apply", no_argument, NULL, 'a'},
					     {"id", required_argument, NULL, 'i'},
					     {"user-pin", required_argument, NULL, 'p'},
					     {"user-pin-file", required_argument, NULL, 'P'},
					     {"reset-pin-budget", no_argument, NULL, 'R'},
					     {NULL, 0, NULL, 0}};
	json_object *rl = NULL, *shown = NULL;
	struct ub_sms_result *res = NULL;
	struct outcome oc = {0, 0};
	struct pin_opt po = {0};
	struct ub_sms_rx *rx = NULL;
	unsigned long id = 0;
	long long which = 0;
	bool do_apply = false, reset = false, bad = false;
	size_t n = 0;
	int c, err;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'a')
			do_apply = true;
		else if (c == 'i')
			bad |= parse_num(optarg, 0x7FFFFFFFul, &id) != 0 || !id;
		else if (c == 'p')
			po.arg = optarg;
		else if (c == 'P')
			po.file = optarg;
		else if (c == 'R')
			reset = true;
		else
			bad = true;
	}
	if (bad || optind != argc || (!do_apply && (id || po.arg || po.file)) ||
	    (do_apply && reset)) {
		fprintf(stderr, "usage: %s\n", PENDING_USAGE);
		return UB_E_USAGE;
	}
	if ((err = cli_secret(cli, "--user-pin", po.arg, po.file, "UICCBOOT_USER_PIN", po.buf,
			      sizeof(po.buf), &po.pin)))
		goto end;
	if (do_apply && !po.pin) {
		cli_error(cli, UB_E_USAGE,
			  "sms pending --apply: the user's PIN (--user-pin-file, "
			  "UICCBOOT_USER_PIN)");
		err = UB_E_USAGE;
		goto end;
	}
	if ((err = rx_open(cli, &rx)))
		goto end;
	if (reset) {
		/* the user's act: the stored PIN is used again */
		if ((err = ub_sms_pin_budget_reset(rx))) {
			cli_error(cli, err, "SMS store: the count of wrong PINs");
			goto end;
		}
		json_object_object_add(cli->out, "reset", json_object_new_boolean(true));
		if (!cli->json)
			printf("the count of wrong PINs is 0 again: the stored PIN is used\n");
	}
	if (!do_apply) {
		if (!(err = budget_out(cli, rx)))
			err = list_out(cli, rx, true);
		goto end;
	}
	/* exactly the message the user chose, shown before the PIN is tried */
	shown = json_object_new_object();
	json_object_object_add(cli->out, "shown", shown);
	err = unverified(cli, rx, (long long)id, shown, &which);
	if (err == UB_E_USAGE) {
		cli_error(cli, err,
			  "several messages wait for the PIN: choose one with --id (uiccboot sms "
			  "pending lists them, with what each would configure)");
		goto end;
	}
	if (err == UB_E_NOT_FOUND) {
		cli_error(cli, err, id ? "no pending message %lu" : "no pending message", id);
		goto end;
	}
	rl = json_object_new_array();
	json_object_object_add(cli->out, "results", rl);
	err = ub_sms_pending_apply(rx, which, po.pin, 0, &res, &n);
	results_out(cli, rl, "with the PIN", res, n, &oc);
	ub_sms_results_free(res, n);
	if (err == UB_E_NOT_FOUND)
		cli_error(cli, err, "no pending message %lld", which);
	else if (err == UB_E_POLICY && !n)
		cli_error(cli, err, "the user PIN is shorter than [push] user_pin_min");
	else
		err = outcome_err(&oc);
end:
	ub_sms_close(rx);
	OPENSSL_cleanse(po.buf, sizeof(po.buf));
	return err;
}

int cli_sms(struct ub_cli *cli, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "send"))
		return sms_send(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "decode"))
		return sms_decode(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "receive"))
		return sms_receive(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return sms_list(cli, argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "pending"))
		return sms_pending(cli, argc - 1, argv + 1);
	fprintf(stderr, "usage: %s\n       %s\n       %s\n       %s\n       %s\n", SEND_USAGE,
		DECODE_USAGE, RECEIVE_USAGE, LIST_USAGE, PENDING_USAGE);
	return UB_E_USAGE;
}
