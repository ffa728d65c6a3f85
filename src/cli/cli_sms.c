/* uiccboot sms send | decode: pushed bootstraps as SMS-DELIVER TPDUs. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sms.h"
#include "hex.h"

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

/* The secrets of send and decode: an option, or its -file form (as the
 * device side takes secrets: cli_secret), else the keys file, else the
 * environment (wiped and unset in any case).  They live in this struct
 * and are wiped at the end. */
struct secrets {
	char imsi[32], pin[UB_SECRET_MAX + 1], ks_hex[80], upm[32];
	char kuser[UB_SECRET_MAX + 1], kpass[UB_SECRET_MAX + 1];
	uint8_t ks[32];
	bool imsi_f, pin_f, ks_f, upm_f, kuser_f, kpass_f; /* from a keys file */
};

/* One value of a keys file; a second one for the same key is refused. */
static int kv_set(char *dst, size_t max, bool *from_file, const char *v)
{
	if (*from_file || ub_secret_copy(v, dst, max, NULL) < 0)
		return UB_E_BAD_DATA;
	*from_file = true;
	return 0;
}

/* "key = value" lines; '#' comments.  A file must not be readable by
 * others (as the factory key file); "-" is standard input. */
static int read_kv(struct ub_cli *cli, const char *path, struct secrets *s, bool kannel)
{
	char line[UB_SECRET_MAX + 64], *eq, *k, *v, *e;
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
	setvbuf(fp, NULL, _IONBF, 0); /* no stdio copy of the keys to leave behind */
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
			err = kv_set(s->kuser, sizeof(s->kuser), &s->kuser_f, v);
		else if (kannel && !strcmp(k, "password"))
			err = kv_set(s->kpass, sizeof(s->kpass), &s->kpass_f, v);
		else if (!kannel && !strcmp(k, "imsi"))
			err = kv_set(s->imsi, sizeof(s->imsi), &s->imsi_f, v);
		else if (!kannel && !strcmp(k, "pin"))
			err = kv_set(s->pin, sizeof(s->pin), &s->pin_f, v);
		else if (!kannel && !strcmp(k, "ks_ext_naf"))
			err = kv_set(s->ks_hex, sizeof(s->ks_hex), &s->ks_f, v);
		else if (!kannel && !strcmp(k, "userpinmac_key"))
			err = kv_set(s->upm, sizeof(s->upm), &s->upm_f, v);
		else
			err = UB_E_BAD_DATA;
	}
	OPENSSL_cleanse(line, sizeof(line));
	if (fp != stdin)
		fclose(fp);
	if (err) /* the line is a secret: never quoted */
		cli_error(cli, err, "%s:%d: wants one '%s = value' a key, at most once each", path,
			  lineno,
			  kannel ? "username|password" : "imsi|pin|ks_ext_naf|userpinmac_key");
	return err;
}

/* One secret of send: the option (argv, overwritten) or its -file form
 * wins over the keys file, which wins over the environment; the variable
 * is wiped and unset whichever is used. */
static int take_secret(struct ub_cli *cli, const char *opt, char *arg, const char *file,
		       const char *env, char *buf, size_t max, bool from_keys)
{
	char scratch[UB_SECRET_MAX + 1];
	const char *got = NULL;
	int err;

	if (arg || file || !from_keys)
		return cli_secret(cli, opt, arg, file, env, buf, max, &got);
	err = cli_secret(cli, opt, NULL, NULL, env, scratch, sizeof(scratch), &got);
	OPENSSL_cleanse(scratch, sizeof(scratch));
	return err;
}

enum send_format { FMT_DELIVER, FMT_SUBMIT, FMT_PARTS };

struct send_args {
	const char *doc, *keys, *kannel, *kannel_auth, *to, *out;
	struct ub_sms_send_opts o; /* the push and its SMS */
	enum send_format format;
	bool wsp_only, wbxml_only, have_ref, have_time, unsigned_ok, format_given;
	long long t;
	/* the secret options, read by take_secret */
	char *imsi, *pin, *ks, *upm;
	const char *imsi_file, *pin_file, *ks_file, *upm_file;
};

static int parse_num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	return !*s || *end || errno || *v > max ? UB_E_USAGE : 0;
}

enum {
	S_SEC = 0x100,
	S_UNSIGNED,
	S_KEYS,
	S_IMSI,
	S_IMSI_FILE,
	S_PIN,
	S_PIN_FILE,
	S_PIN_MIN,
	S_KS,
	S_KS_FILE,
	S_UPM,
	S_UPM_FILE,
	S_NETID,
	S_FROM,
	S_SMSC,
	S_NO_SMSC,
	S_REF,
	S_REF16,
	S_REF8,
	S_DCS,
	S_TID,
	S_TIME,
	S_SRC_PORT,
	S_NO_APP_ID,
	S_WSP,
	S_WBXML,
	S_OUT,
	S_FORMAT,
	S_KANNEL,
	S_KANNEL_AUTH,
	S_TO,
	S_NO_SMSC_D,
};

static const struct cli_opt send_opts[] = {
	{"sec", required_argument, S_SEC, "TYPE", "the SEC type of the MAC (see uiccboot(1))"},
	{"unsigned", no_argument, S_UNSIGNED, NULL,
	 "no SEC/MAC: a push for a secure transport only"},
	{"keys", required_argument, S_KEYS, "FILE",
	 "keys: imsi =, pin =, ks_ext_naf =, userpinmac_key = (0600; -: stdin)"},
	{"imsi-file", required_argument, S_IMSI_FILE, "FILE",
	 "the IMSI (-: stdin); or UICCBOOT_SEND_IMSI"},
	{"user-pin-file", required_argument, S_PIN_FILE, "FILE",
	 "the user PIN (-: stdin); or UICCBOOT_SEND_PIN"},
	{"ks-ext-naf-file", required_argument, S_KS_FILE, "FILE",
	 "Ks_ext_NAF, 32 bytes of hex (-: stdin); or UICCBOOT_SEND_KS_EXT_NAF"},
	{"userpinmac-key-file", required_argument, S_UPM_FILE, "FILE",
	 "USERPINMAC's key, 5-20 digits; or UICCBOOT_SEND_USERPINMAC_KEY"},
	{"imsi", required_argument, S_IMSI, "DIGITS", "the IMSI on argv (labs only)"},
	{"user-pin", required_argument, S_PIN, "PIN", "the user PIN on argv (labs only)"},
	{"ks-ext-naf", required_argument, S_KS, "HEX", "Ks_ext_NAF on argv (labs only)"},
	{"userpinmac-key", required_argument, S_UPM, "DIGITS",
	 "USERPINMAC's key on argv (labs only)"},
	{"user-pin-min", required_argument, S_PIN_MIN, "N",
	 "the device's [push] user_pin_min (default 4): shorter PINs refused"},
	{"networkid-key", required_argument, S_NETID, "K",
	 "semi-octet (default) or ascii: how the IMSI keys NETWORKID"},
	{"from", required_argument, S_FROM, "ADDR",
	 "originator: digits, +digits or up to 11 letters"},
	{"smsc", required_argument, S_SMSC, "ADDR", "the SMSC address in front of each TPDU"},
	{"no-smsc", no_argument, S_NO_SMSC, NULL, "TPDUs without the SMSC field"},
	{"ref", required_argument, S_REF, "N", "the concatenation reference (random by default)"},
	{"ref16", no_argument, S_REF16, NULL, "a 16-bit concatenation reference (the default)"},
	{"ref8", no_argument, S_REF8, NULL, "an 8-bit concatenation reference"},
	{"dcs", required_argument, S_DCS, "HEX", "TP-DCS, 8-bit data (default 0x04)"},
	{"tid", required_argument, S_TID, "N", "the WSP transaction id (default 1)"},
	{"time", required_argument, S_TIME, "EPOCH", "TP-SCTS (default: now)"},
	{"src-port", required_argument, S_SRC_PORT, "N", "WDP source port (default 9200)"},
	{"no-app-id", no_argument, S_NO_APP_ID, NULL, "no X-Wap-Application-Id (DM: syncml.dm)"},
	{"format", required_argument, S_FORMAT, "F",
	 "deliver (SMS-DELIVER hex), submit (SMS-SUBMIT hex), parts (JSON lines)"},
	{"to", required_argument, S_TO, "MSISDN", "the destination (--format submit, --kannel)"},
	{"wsp", no_argument, S_WSP, NULL, "only the WSP push PDU (hex, or --out)"},
	{"wbxml", no_argument, S_WBXML, NULL, "only the WBXML document (hex, or --out)"},
	{"out", required_argument, S_OUT, "FILE",
	 "--wsp/--wbxml octets into FILE (mode 0600, atomic, no link)"},
	{"kannel", required_argument, S_KANNEL, "URL", "hand each part to Kannel's sendsms"},
	{"kannel-auth", required_argument, S_KANNEL_AUTH, "FILE",
	 "username =, password = (0600); or UICCBOOT_KANNEL_USERNAME and"
	 " UICCBOOT_KANNEL_PASSWORD"},
	{NULL, 0, 0, NULL, NULL},
};

/* --networkid-key of send and decode */
static int netid_opt(struct ub_cli *cli, const char *v, bool *ascii)
{
	if (strcmp(v, "ascii") && strcmp(v, "semi-octet"))
		return cli_usage(cli, "--networkid-key is semi-octet or ascii");
	*ascii = !strcmp(v, "ascii");
	return 0;
}

static int send_opt(struct ub_cli *cli, int c, struct send_args *a)
{
	unsigned long v;

	switch (c) {
	case S_SEC:
		if (!(a->o.sec = ub_sms_sec_name(optarg)))
			return cli_usage(cli, "--sec: unknown SEC type '%.40s'", optarg);
		return 0;
	case S_UNSIGNED:
		a->unsigned_ok = true;
		return 0;
	case S_KEYS:
		a->keys = optarg;
		return 0;
	case S_IMSI:
		a->imsi = optarg;
		return 0;
	case S_IMSI_FILE:
		a->imsi_file = optarg;
		return 0;
	case S_PIN:
		a->pin = optarg;
		return 0;
	case S_PIN_FILE:
		a->pin_file = optarg;
		return 0;
	case S_KS:
		a->ks = optarg;
		return 0;
	case S_KS_FILE:
		a->ks_file = optarg;
		return 0;
	case S_UPM:
		a->upm = optarg;
		return 0;
	case S_UPM_FILE:
		a->upm_file = optarg;
		return 0;
	case S_PIN_MIN:
		if (parse_num(optarg, 32, &v) || !v)
			return cli_usage(cli, "--user-pin-min wants 1 to 32");
		a->o.user_pin_min = (unsigned)v;
		return 0;
	case S_NETID:
		return netid_opt(cli, optarg, &a->o.netid_ascii);
	case S_FROM:
		a->o.originator = optarg;
		return 0;
	case S_SMSC:
		a->o.smsc = optarg;
		return 0;
	case S_NO_SMSC:
		a->o.smsc = NULL;
		return 0;
	case S_REF:
		if (parse_num(optarg, 0xFFFF, &v))
			return cli_usage(cli, "--ref wants 0 to 65535");
		a->o.ref = (uint16_t)v;
		a->have_ref = true;
		return 0;
	case S_REF16:
		a->o.ref_bits = 16;
		return 0;
	case S_REF8:
		a->o.ref_bits = 8;
		return 0;
	case S_DCS:
		if (parse_num(optarg, 0xFF, &v))
			return cli_usage(cli, "--dcs wants an octet");
		a->o.dcs = (uint8_t)v;
		return 0;
	case S_TID:
		if (parse_num(optarg, 0xFF, &v))
			return cli_usage(cli, "--tid wants an octet");
		a->o.tid = (uint8_t)v;
		return 0;
	case S_TIME:
		if (parse_num(optarg, 0xFFFFFFFFul, &v))
			return cli_usage(cli, "--time wants seconds since the epoch");
		a->t = (long long)v;
		a->have_time = true;
		return 0;
	case S_SRC_PORT:
		if (parse_num(optarg, 0xFFFF, &v))
			return cli_usage(cli, "--src-port wants 0 to 65535");
		a->o.src_port = (uint16_t)v;
		return 0;
	case S_NO_APP_ID:
		a->o.no_app_id = true;
		return 0;
	case S_WSP:
		a->wsp_only = true;
		return 0;
	case S_WBXML:
		a->wbxml_only = true;
		return 0;
	case S_OUT:
		a->out = optarg;
		return 0;
	case S_FORMAT:
		a->format_given = true;
		if (!strcmp(optarg, "deliver"))
			a->format = FMT_DELIVER;
		else if (!strcmp(optarg, "submit"))
			a->format = FMT_SUBMIT;
		else if (!strcmp(optarg, "parts"))
			a->format = FMT_PARTS;
		else
			return cli_usage(cli, "--format is deliver, submit or parts");
		return 0;
	case S_KANNEL:
		a->kannel = optarg;
		return 0;
	case S_KANNEL_AUTH:
		a->kannel_auth = optarg;
		return 0;
	case S_TO:
		a->to = optarg;
		return 0;
	default:
		return cli_usage(cli, NULL);
	}
}

/* The combinations that make no sense, each said. */
static int send_check_args(struct ub_cli *cli, const struct send_args *a)
{
	bool push = !a->wbxml_only; /* anything but the bare document is a push */

	if (a->wsp_only && a->wbxml_only)
		return cli_usage(cli, "--wsp or --wbxml, not both");
	if (a->out && !a->wsp_only && !a->wbxml_only)
		return cli_usage(cli, "--out is for --wsp or --wbxml");
	if (a->kannel && (!a->to || a->wsp_only || a->wbxml_only || a->format_given))
		return cli_usage(cli, "--kannel wants --to, and no --wsp, --wbxml or --format");
	if (a->format_given && (a->wsp_only || a->wbxml_only))
		return cli_usage(cli, "--format is for the SMS parts, not --wsp or --wbxml");
	if (a->format == FMT_SUBMIT && !a->to)
		return cli_usage(cli, "--format submit wants --to MSISDN");
	if (a->o.sec && a->unsigned_ok)
		return cli_usage(cli, "--sec or --unsigned, not both");
	/* over SMS a device refuses a bootstrap without SEC and MAC
	 * (OMA DM Security 5.7.2): sent by mistake, it only fails there */
	if (push && !a->o.sec && !a->unsigned_ok)
		return cli_usage(cli, "no --sec: a device refuses an unsigned bootstrap over SMS; "
				      "give --sec TYPE and its keys (or --unsigned, for a secure "
				      "transport)");
	return 0;
}

/* How to give a missing key, for the message. */
static const char *key_how(unsigned key)
{
	return key & UB_SMS_KEY_IMSI  ? "--imsi-file FILE, 'imsi =' in --keys FILE, or "
					"UICCBOOT_SEND_IMSI"
	       : key & UB_SMS_KEY_PIN ? "--user-pin-file FILE, 'pin =' in --keys FILE, or "
					"UICCBOOT_SEND_PIN"
	       : key & UB_SMS_KEY_KS_EXT_NAF
		       ? "--ks-ext-naf-file FILE, 'ks_ext_naf =' in --keys FILE, or "
			 "UICCBOOT_SEND_KS_EXT_NAF ('uiccboot gba naf-key --secrets' on the card)"
		       : "--userpinmac-key-file FILE, 'userpinmac_key =' in --keys FILE, or "
			 "UICCBOOT_SEND_USERPINMAC_KEY";
}

/* The secrets: the keys files first, then each option (which wins),
 * every UICCBOOT_SEND_* and UICCBOOT_KANNEL_* variable wiped. */
static int send_secrets(struct ub_cli *cli, struct send_args *a, struct secrets *s)
{
	unsigned missing;
	int err;

	if (a->keys && !strcmp(a->keys, "-")) {
		if (cli->stdin_taken)
			return cli_usage(cli, "--keys -: standard input is taken already");
		cli->stdin_taken = true;
	}
	if ((a->keys && (err = read_kv(cli, a->keys, s, false))) ||
	    (a->kannel_auth && (err = read_kv(cli, a->kannel_auth, s, true))))
		return err;
	if ((err = take_secret(cli, "--imsi", a->imsi, a->imsi_file, "UICCBOOT_SEND_IMSI", s->imsi,
			       sizeof(s->imsi), s->imsi_f)) ||
	    (err = take_secret(cli, "--user-pin", a->pin, a->pin_file, "UICCBOOT_SEND_PIN", s->pin,
			       sizeof(s->pin), s->pin_f)) ||
	    (err = take_secret(cli, "--ks-ext-naf", a->ks, a->ks_file, "UICCBOOT_SEND_KS_EXT_NAF",
			       s->ks_hex, sizeof(s->ks_hex), s->ks_f)) ||
	    (err = take_secret(cli, "--userpinmac-key", a->upm, a->upm_file,
			       "UICCBOOT_SEND_USERPINMAC_KEY", s->upm, sizeof(s->upm), s->upm_f)) ||
	    (err = take_secret(cli, "the Kannel username", NULL, NULL, "UICCBOOT_KANNEL_USERNAME",
			       s->kuser, sizeof(s->kuser), s->kuser_f)) ||
	    (err = take_secret(cli, "the Kannel password", NULL, NULL, "UICCBOOT_KANNEL_PASSWORD",
			       s->kpass, sizeof(s->kpass), s->kpass_f)))
		return err;
	if (s->ks_hex[0] && ub_unhex(s->ks, sizeof(s->ks), s->ks_hex) != 32)
		return cli_usage(cli, "Ks_ext_NAF wants 32 bytes as hex");
	a->o.imsi = s->imsi[0] ? s->imsi : NULL;
	a->o.user_pin = s->pin[0] ? s->pin : NULL;
	a->o.ks_ext_naf = s->ks_hex[0] ? s->ks : NULL;
	a->o.userpinmac_key = s->upm[0] ? s->upm : NULL;
	if ((missing = ub_sms_send_keys_missing(&a->o))) {
		struct ub_status st;

		missing &= ~(missing - 1); /* the first one */
		ub_fail(&st, UB_E_USAGE, 0, NULL, "SEC=%s needs %s: give it with %s", a->o.sec,
			ub_sms_send_key_name(missing), key_how(missing));
		cli_fail(cli, &st);
		return UB_E_USAGE;
	}
	return 0;
}

static int send_parse(struct ub_cli *cli, int argc, char **argv, struct send_args *a,
		      struct secrets *s)
{
	int c, err;

	a->o.originator = "+10000000000";
	a->o.smsc = "";
	a->o.src_port = 9200; /* WAP-259: the WSP connectionless port of the sender */
	a->o.ref_bits = 16;   /* a guessed reference 1 time in 65536 */
	a->o.dcs = 0x04;
	a->o.tid = 0x01;
	while ((c = cli_getopt(cli, argc, argv)) != -1)
		if ((err = send_opt(cli, c, a)))
			return err;
	if ((err = cli_nargs(cli, argc, argv, 1, 1)) || (err = send_check_args(cli, a)))
		return err;
	a->doc = argv[optind];
	if (!strcmp(a->doc, "-"))
		cli->stdin_taken = true;
	if (a->format == FMT_SUBMIT)
		a->o.submit_to = a->to;
	/* before the document is read, which may block: argv and the
	 * environment lose the secrets */
	return send_secrets(cli, a, s);
}

/* --out: a new file of mode 0600, put in place atomically, never through
 * a link (it holds the push, and a push holds an AAuthSecret). */
static int write_out(struct ub_cli *cli, const char *path, const uint8_t *b, size_t n)
{
	struct ub_secret_out o;
	struct ub_status st = {0};
	size_t off = 0;
	ssize_t w;
	int err = ub_secret_out_open(&o, path, &st);

	while (!err && off < n) {
		w = write(o.fd, b + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			err = UB_E_IO;
		else
			off += (size_t)w;
	}
	if (err == UB_E_IO && o.fd >= 0)
		ub_fail(&st, err, 0, path, "%s: %s", path, strerror(errno));
	if (!err)
		err = ub_secret_out_commit(&o, &st);
	ub_secret_out_abort(&o);
	if (err)
		cli_fail_at(cli, err, &st, "--out");
	return err;
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
	OPENSSL_cleanse(s, 2 * n + 1); /* a bootstrap's body: its secrets */
	free(s);
	return o;
}

/* One part for a gateway: its UDH (with the UDHL octet) and the user data
 * after it, as an SMPP submit_sm (esm_class UDHI, data_coding) or an HTTP
 * gateway takes them. */
static json_object *part_json(const struct send_args *a, int i, int n,
			      const struct ub_sms_part_out *part)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "part", json_object_new_int(i + 1));
	json_object_object_add(o, "parts", json_object_new_int(n));
	json_object_object_add(o, "to", a->to ? json_object_new_string(a->to) : NULL);
	json_object_object_add(o, "from", json_object_new_string(a->o.originator));
	json_object_object_add(o, "dcs", json_object_new_int(a->o.dcs));
	json_object_object_add(o, "udh", hex_json(part->udh, part->udh_len));
	json_object_object_add(o, "ud", hex_json(part->data, part->data_len));
	return o;
}

static int send_parts(struct ub_cli *cli, struct send_args *a, struct secrets *s,
		      const struct ub_sms_push *r)
{
	struct ub_sms_kannel k = {a->kannel, s->kuser, s->kpass, a->to, a->o.originator, 0};
	json_object *list = json_object_new_array(), *segs = json_object_new_array(), *o;
	struct ub_sms_part_out part;
	struct ub_status st = {0};
	int n, i, err = 0;

	json_object_object_add(cli->out, "format",
			       json_object_new_string(a->format == FMT_SUBMIT  ? "submit"
						      : a->format == FMT_PARTS ? "parts"
									       : "deliver"));
	json_object_object_add(cli->out, "tpdus", list);
	json_object_object_add(cli->out, "segments", segs);
	n = ub_sms_push_parts(r, &a->o);
	if (n < 0) {
		cli_error(cli, UB_E_USAGE,
			  "SMS: cannot split %zu octets (options, or over 255 parts)", r->wsp_len);
		return UB_E_USAGE;
	}
	json_object_object_add(cli->out, "parts", json_object_new_int(n));
	for (i = 0; i < n && !err; i++) {
		err = ub_sms_push_part(r, &a->o, (unsigned)i, &part);
		if (err) {
			cli_error(cli, err, "SMS part %d: %s, SMSC or DCS not encodable", i + 1,
				  a->o.submit_to ? "destination" : "originator");
			break;
		}
		json_object_array_add(list, hex_json(part.tpdu, part.tpdu_len));
		o = part_json(a, i, n, &part);
		json_object_array_add(segs, o);
		if (!cli->json && !a->kannel && a->format != FMT_PARTS)
			print_hex(part.tpdu, part.tpdu_len);
		else if (!cli->json && !a->kannel) /* JSON lines: ours, nothing to escape */
			printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		if (a->kannel) {
			err = ub_sms_kannel_send(&k, &part, a->o.dcs, &st);
			if (err)
				cli_error(cli, err, "Kannel %s, part %d of %d: %s", a->kannel,
					  i + 1, n, st.what);
			else if (!cli->json)
				printf("part %d/%d: %s\n", i + 1, n, st.what);
		}
	}
	OPENSSL_cleanse(&part, sizeof(part));
	return err;
}

static int sms_send(struct ub_cli *cli, int argc, char **argv)
{
	static uint8_t doc[UB_PLAN_DOC_MAX + 1];
	struct send_args a;
	struct secrets s;
	struct ub_sms_push r;
	struct ub_status st = {0};
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
	if (!a.have_ref && RAND_bytes((uint8_t *)&a.o.ref, sizeof(a.o.ref)) != 1) {
		rc = UB_E_INTERNAL;
		goto end;
	}
	if (a.o.ref_bits == 8)
		a.o.ref &= 0xFF;
	a.o.time = a.have_time ? a.t : (long long)time(NULL);
	rc = ub_sms_push_build(doc, n, &a.o, &r, &st);
	if (rc == UB_E_POLICY) /* the PIN's length: say how to go on */
		cli_error(cli, rc, "%s: %s; --user-pin-min N when the device's is N", a.doc,
			  st.what);
	else if (rc)
		cli_error(cli, rc, "%s: %s", a.doc, st.what);
	if (rc)
		goto end;
	json_object_object_add(cli->out, "kind", json_object_new_string(r.kind));
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
	if (!a.o.sec && !a.wbxml_only)
		fprintf(stderr, "uiccboot: no SEC/MAC (--unsigned): a device accepts this only "
				"over a secure transport\n");
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
	ub_sms_push_free(&r);
	OPENSSL_cleanse(&s, sizeof(s));
	OPENSSL_cleanse(doc, sizeof(doc));
	return rc;
}

/* --- decode --- */

/* One TPDU line: its octets, or why they are not hex. */
struct tpdu_line {
	uint8_t b[UB_SMS_DECODE_TPDU_MAX];
	size_t n;
	int line;
	bool hex_ok;
};

static void tpdu_report(struct ub_cli *cli, json_object *list, int idx, int line,
			const struct ub_sms_decoded_tpdu *d, int err, const char *why)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "line", json_object_new_int(line));
	if (err) {
		json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(o, "message", json_object_new_string(why));
		if (!cli->json)
			cli_print(stdout, "tpdu %d (line %d): refused: %s\n", idx, line, why);
		json_object_array_add(list, o);
		return;
	}
	json_object_object_add(o, "originator", json_object_new_string(d->originator));
	json_object_object_add(o, "smsc", json_object_new_string(d->smsc));
	json_object_object_add(o, "scts", json_object_new_string(d->scts));
	json_object_object_add(o, "dcs", json_object_new_int(d->dcs));
	json_object_object_add(o, "alphabet", json_object_new_string(d->alphabet));
	if (d->has_ports) {
		json_object_object_add(o, "dst_port", json_object_new_int(d->dst_port));
		json_object_object_add(o, "src_port", json_object_new_int(d->src_port));
	}
	if (d->concat) {
		json_object_object_add(o, "ref", json_object_new_int(d->ref));
		json_object_object_add(o, "ref_bits", json_object_new_int((int)d->ref_bits));
		json_object_object_add(o, "seq", json_object_new_int((int)d->seq));
		json_object_object_add(o, "total", json_object_new_int((int)d->total));
	}
	json_object_object_add(o, "user_data", json_object_new_int((int)d->user_data_len));
	json_object_array_add(list, o);
	if (cli->json)
		return;
	printf("tpdu %d (line %d): SMS-DELIVER from %s, %s", idx, line, d->originator, d->alphabet);
	if (!d->data_8bit)
		printf(" (not 8-bit, ignored)");
	if (d->has_ports)
		printf(", ports %u<-%u", d->dst_port, d->src_port);
	if (d->concat)
		printf(", part %u/%u ref 0x%0*X (%u-bit)", d->seq, d->total, (int)d->ref_bits / 4,
		       d->ref, d->ref_bits);
	printf(", %zu octets\n", d->user_data_len);
}

static void push_report(struct ub_cli *cli, json_object *o, const struct ub_sms_decoded_message *m)
{
	char app[sizeof(m->app_uri) + 32] = "";

	json_object_object_add(o, "kind", json_object_new_string(m->kind));
	json_object_object_add(o, "tid", json_object_new_int(m->tid));
	json_object_object_add(o, "media", json_object_new_string(m->media));
	json_object_object_add(o, "sec", m->has_sec ? json_object_new_string(m->sec) : NULL);
	json_object_object_add(o, "mac", m->has_mac ? json_object_new_string(m->mac) : NULL);
	if (m->has_app_id) {
		if (m->app_code >= 0)
			snprintf(app, sizeof(app), "%s (%ld)", m->app_uri[0] ? m->app_uri : "?",
				 m->app_code);
		else
			snprintf(app, sizeof(app), "%s", m->app_uri);
	}
	json_object_object_add(o, "app_id", m->has_app_id ? json_object_new_string(app) : NULL);
	json_object_object_add(o, "content_type", hex_json(m->content_type, m->content_type_len));
	json_object_object_add(o, "body_len", json_object_new_int((int)m->body_len));
	if (cli->json) { /* the body (its secrets) only into JSON that is printed */
		json_object_object_add(o, "body", hex_json(m->body, m->body_len));
		return;
	}
	/* the push's text, the sender's: escaped for the terminal */
	cli_print(stdout, "  push: %s, tid %u\n", m->kind, m->tid);
	cli_print(stdout, "  media: %s\n", m->media);
	if (m->has_sec)
		cli_print(stdout, "  sec: %s\n", m->sec);
	if (m->has_mac)
		cli_print(stdout, "  mac: %s\n", m->mac);
	if (m->has_app_id)
		cli_print(stdout, "  app-id: %s\n", app);
	printf("  body: %zu octets\n", m->body_len);
}

/* --keys: the MAC checked offline with the sender's keys. */
static int mac_report(struct ub_cli *cli, json_object *o, const struct ub_sms_decoded_message *m)
{
	char verified[64];
	int err = m->mac_err;
	const char *said = err ? m->mac_why.what : verified;

	snprintf(verified, sizeof(verified), "SEC=%s: the MAC verifies",
		 m->mac_sec ? m->mac_sec : "");
	json_object_object_add(o, "mac_verified", json_object_new_boolean(!err));
	json_object_object_add(o, "mac_check", json_object_new_string(said));
	if (err) {
		json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(o, "message", json_object_new_string(said));
	}
	if (!cli->json)
		cli_print(stdout, "  mac check: %s%s\n", err ? "FAILED: " : "", said);
	return err;
}

/* One message: the lines of its TPDUs, then its push or why there is none. */
static int message(struct ub_cli *cli, json_object *list, const struct ub_sms_decoded_message *m,
		   int num, const int *lines)
{
	json_object *o = json_object_new_object(), *ls = json_object_new_array();
	size_t j;

	for (j = 0; j < m->ntpdus; j++)
		json_object_array_add(ls, json_object_new_int(lines[m->tpdus[j]]));
	json_object_object_add(o, "lines", ls);
	json_object_array_add(list, o);
	json_object_object_add(o, "parts_limit", json_object_new_boolean(m->parts_limit));
	if (!cli->json)
		printf("message %d (%zu TPDU%s):\n", num, m->ntpdus, m->ntpdus == 1 ? "" : "s");
	if (m->parts_limit && !cli->json) /* the bound said, never silent */
		printf("  parts limit: more than %d TPDUs of it; those after start another "
		       "message\n",
		       UB_SMS_DECODE_PARTS_MAX);
	if (m->err) {
		json_object_object_add(o, "error", json_object_new_string(ub_errname(m->err)));
		json_object_object_add(o, "message", json_object_new_string(m->why.what));
		if (!cli->json)
			cli_print(stdout, "  %s: %s\n", m->incomplete ? "incomplete" : "refused",
				  m->why.what);
		return m->err;
	}
	push_report(cli, o, m);
	return m->mac_checked ? mac_report(cli, o, m) : 0;
}

static bool skip_line(const char *l)
{
	return !*l || *l == '#' || *l == '+' || !strncmp(l, "OK", 2) || !strncasecmp(l, "AT", 2);
}

static const struct cli_opt decode_opts[] = {
	{"no-smsc", no_argument, S_NO_SMSC, NULL, "TPDUs without the SMSC field"},
	{"keys", required_argument, S_KEYS, "FILE",
	 "check each MAC with these keys (sms send's format; -: stdin)"},
	{"networkid-key", required_argument, S_NETID, "K",
	 "semi-octet (default) or ascii: how the IMSI keys NETWORKID"},
	{NULL, 0, 0, NULL, NULL},
};

/* --keys of decode: the sender's keys file, for ub_sms_decode. */
static int decode_keys(struct ub_cli *cli, const char *path, struct secrets *s,
		       struct ub_sms_decode_keys *k)
{
	int err;

	if (!strcmp(path, "-")) {
		if (cli->stdin_taken)
			return cli_usage(cli, "--keys -: standard input is taken already");
		cli->stdin_taken = true;
	}
	if ((err = read_kv(cli, path, s, false)))
		return err;
	if (s->ks_hex[0] && ub_unhex(s->ks, sizeof(s->ks), s->ks_hex) != 32)
		return cli_usage(cli, "%s: ks_ext_naf wants 32 bytes as hex", path);
	k->imsi = s->imsi[0] ? s->imsi : NULL;
	k->user_pin = s->pin[0] ? s->pin : NULL;
	k->ks_ext_naf = s->ks_hex[0] ? s->ks : NULL;
	k->userpinmac_key = s->upm[0] ? s->upm : NULL;
	return 0;
}

/* The TPDU lines of fp into *t (at most UB_SMS_DECODE_MAX: *over when
 * there were more), each as octets when it is hex. */
static int read_tpdus(FILE *fp, struct tpdu_line **t, size_t *n, bool *over)
{
	struct tpdu_line *nt;
	size_t cap = 0, lcap = 1024; /* a TPDU's line fits: getline moves it no more */
	char *line = malloc(lcap), *l;
	int lineno = 0, k, err = 0;

	*over = false;
	if (!line)
		return UB_E_NOMEM;
	while (getline(&line, &lcap, fp) >= 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		for (l = line; *l == ' ' || *l == '\t'; l++)
			;
		if (skip_line(l))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			if (cap > UB_SMS_DECODE_MAX) {
				*over = true;
				break;
			}
			/* grown by hand: realloc would leave the old copy unwiped */
			if (!(nt = malloc(cap * sizeof(**t)))) {
				err = UB_E_NOMEM;
				break;
			}
			if (*t) {
				memcpy(nt, *t, *n * sizeof(**t));
				OPENSSL_cleanse(*t, *n * sizeof(**t));
				free(*t);
			}
			*t = nt;
		}
		memset(&(*t)[*n], 0, sizeof(**t));
		(*t)[*n].line = lineno;
		k = ub_unhex((*t)[*n].b, sizeof((*t)[*n].b), l);
		(*t)[*n].hex_ok = k >= 0;
		(*t)[*n].n = k >= 0 ? (size_t)k : 0;
		(*n)++;
	}
	OPENSSL_cleanse(line, lcap);
	free(line);
	return err;
}

/* The lines read, decoded (ub_sms_decode, the hex lines only), reported:
 * each TPDU, then each message.  The exit code: the last TPDU refused,
 * else the first message refused. */
static int decode_report(struct ub_cli *cli, const char *path, struct tpdu_line *t, size_t n,
			 bool over, const struct ub_sms_decode_opts *o)
{
	json_object *tl = json_object_object_get(cli->out, "tpdus");
	json_object *ml = json_object_object_get(cli->out, "messages");
	struct ub_sms_tpdu_in *in = calloc(n + 1, sizeof(*in));
	int *lines = calloc(n + 1, sizeof(*lines));
	struct ub_sms_decoded r = {0};
	struct ub_status st = {0};
	char not_hex[64];
	size_t i, k = 0;
	int rc = 0, err;

	if (!in || !lines) {
		rc = UB_E_NOMEM;
		cli_error(cli, rc, "%s", path);
		goto end;
	}
	for (i = 0; i < n; i++) {
		if (!t[i].hex_ok)
			continue;
		in[k].b = t[i].b;
		in[k].n = t[i].n;
		lines[k++] = t[i].line;
	}
	if ((rc = ub_sms_decode(in, k, o, &r, &st))) {
		cli_error(cli, rc, "%s: %s", path, st.what);
		goto end;
	}
	snprintf(not_hex, sizeof(not_hex), "not hex, or longer than %d octets",
		 UB_SMS_DECODE_TPDU_MAX);
	for (i = 0, k = 0; i < n; i++) {
		const struct ub_sms_decoded_tpdu *d = t[i].hex_ok ? &r.tpdus[k++] : NULL;

		err = d ? d->err : UB_E_BAD_DATA;
		tpdu_report(cli, tl, (int)i + 1, t[i].line, d, err, d ? d->why.what : not_hex);
		if (err)
			rc = err;
	}
	if (over) {
		cli_error(cli, UB_E_NOMEM, "%s: more than %d TPDUs", path, UB_SMS_DECODE_MAX);
		rc = UB_E_NOMEM;
		goto end;
	}
	for (i = 0; i < r.nmessages; i++) {
		err = message(cli, ml, &r.messages[i], (int)i + 1, lines);
		if (err && !rc)
			rc = err;
	}
end:
	ub_sms_decoded_free(&r);
	free(in);
	free(lines);
	return rc;
}

static int decode_run(struct ub_cli *cli, int argc, char **argv, struct secrets *s)
{
	struct ub_sms_decode_keys keys = {0};
	struct ub_sms_decode_opts o = {.has_smsc = true};
	const char *keys_file = NULL;
	struct tpdu_line *t = NULL;
	char iobuf[BUFSIZ];
	size_t n = 0;
	bool over = false;
	int c, rc, err;
	FILE *fp;

	json_object_object_add(cli->out, "tpdus", json_object_new_array());
	json_object_object_add(cli->out, "messages", json_object_new_array());
	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		if (c == S_NO_SMSC)
			o.has_smsc = false;
		else if (c == S_KEYS)
			keys_file = optarg;
		else if (c != S_NETID)
			return cli_usage(cli, NULL);
		else if ((err = netid_opt(cli, optarg, &keys.netid_ascii)))
			return err;
	}
	if ((err = cli_nargs(cli, argc, argv, 1, 1)))
		return err;
	if (!strcmp(argv[optind], "-"))
		cli->stdin_taken = true;
	if (keys_file && (err = decode_keys(cli, keys_file, s, &keys)))
		return err;
	o.keys = keys_file ? &keys : NULL;
	fp = strcmp(argv[optind], "-") ? fopen(argv[optind], "r") : stdin;
	if (!fp) {
		cli_error(cli, UB_E_IO, "%s: %s", argv[optind], strerror(errno));
		return UB_E_IO;
	}
	if (fp != stdin) /* stdio's copy of the file's lines: ours, wiped below */
		setvbuf(fp, iobuf, _IOFBF, sizeof(iobuf));
	rc = read_tpdus(fp, &t, &n, &over);
	if (fp != stdin)
		fclose(fp);
	OPENSSL_cleanse(iobuf, sizeof(iobuf));
	if (rc)
		cli_error(cli, rc, "%s", argv[optind]);
	else
		rc = decode_report(cli, argv[optind], t, n, over, &o);
	if (t)
		OPENSSL_cleanse(t, n * sizeof(*t));
	free(t);
	return rc;
}

static int sms_decode(struct ub_cli *cli, int argc, char **argv)
{
	struct secrets s;
	int err;

	memset(&s, 0, sizeof(s));
	err = decode_run(cli, argc, argv, &s);
	OPENSSL_cleanse(&s, sizeof(s));
	return err;
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

/* The store, for reading only (the lists: nothing written, no tree made,
 * nothing expired) or to receive. */
static int rx_open(struct ub_cli *cli, bool read_only, struct ub_sms_rx **rx)
{
	const struct ub_boot_config *cfg;
	struct ub_status st = {0};
	struct ub_sms_dropped *d = NULL;
	size_t n = 0;
	int err = 0;

	if (!(cfg = cli_config(cli, &err)))
		return err;
	if ((err = (read_only ? ub_sms_open_ro : ub_sms_open)(cfg, rx, &st))) {
		cli_fail(cli, &st);
		return err;
	}
	if (!read_only)
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

/* The user PIN of receive and pending, as push takes it. */
#define O_USER_PIN_FILE                                                     \
	{                                                                   \
		"user-pin-file", required_argument, 'P', "FILE",            \
			"the user PIN for the USERPIN SEC types (-: stdin)" \
	}
#define O_USER_PIN                                                               \
	{                                                                        \
		"user-pin", required_argument, 'p', "PIN",                       \
			"the user PIN on argv (labs only); or UICCBOOT_USER_PIN" \
	}

static const struct cli_opt receive_opts[] = {
	{"no-smsc", no_argument, 'C', NULL, "TPDUs without the SMSC field"},
	O_USER_PIN_FILE,
	O_USER_PIN,
	{NULL, 0, 0, NULL, NULL},
};

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

/* The last object of the stream: how many lines were read and, when the
 * exit code is not 0, why, as every command's failure says it (error,
 * message, where: the first line that was rejected or failed). */
static void end_out(struct ub_cli *cli, long lines, long first_bad, int err)
{
	json_object *o = json_object_new_object();
	char where[32];

	json_object_object_add(o, "lines", json_object_new_int64(lines));
	if (err) {
		snprintf(where, sizeof(where), first_bad ? "line %ld" : "sms receive", first_bad);
		json_object_object_add(o, "error", json_object_new_string(ub_errname(err)));
		json_object_object_add(o, "message",
				       json_object_new_string(first_bad ? "a message was rejected "
									  "or failed: see its line"
									: ub_strerror(err)));
		json_object_object_add(o, "where", json_object_new_string(where));
	}
	stream_out(cli, o, "end");
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
	struct pin_opt po = {0};
	struct ub_sms_rx *rx = NULL;
	struct ub_sms_result *res = NULL, r;
	struct outcome oc = {0, 0};
	const char *path = "-";
	char line[LINE_CHARS], *l, label[32];
	size_t n = 0, i;
	bool smsc = true, too_long;
	int c, err = 0;
	long lineno = 0, first_bad = 0;
	FILE *fp = NULL;

	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		if (c == 'C') {
			smsc = false;
		} else if (c == 'p') {
			po.arg = optarg;
		} else if (c == 'P') {
			po.file = optarg;
		} else {
			return cli_usage(cli, NULL);
		}
	}
	if ((err = cli_nargs(cli, argc, argv, 0, 1)))
		return err;
	if (optind + 1 == argc)
		path = argv[optind];
	if (po.file && !strcmp(po.file, "-") && !strcmp(path, "-"))
		return cli_usage(cli, "the TPDUs and the PIN cannot both come from standard input");
	if ((err = cli_secret(cli, "--user-pin", po.arg, po.file, "UICCBOOT_USER_PIN", po.buf,
			      sizeof(po.buf), &po.pin)))
		goto end;
	fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!fp) {
		cli_error(cli, UB_E_IO, "%s: %s", path, strerror(errno));
		err = UB_E_IO;
		goto end;
	}
	if ((err = rx_open(cli, false, &rx)))
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
		if (!first_bad && (r.status == UB_SMS_FAILED || r.status == UB_SMS_REJECTED))
			first_bad = lineno;
		ub_sms_result_free(&r);
		OPENSSL_cleanse(line, sizeof(line));
	}
	if (ferror(fp)) {
		stream_error(cli, UB_E_IO, "%s: %s", path, strerror(errno));
		oc.failed = oc.failed ? oc.failed : UB_E_IO;
	}
	err = outcome_err(&oc);
	end_out(cli, lineno, first_bad, err);
end:
	ub_sms_close(rx);
	OPENSSL_cleanse(line, sizeof(line));
	if (fp && fp != stdin)
		fclose(fp);
	OPENSSL_cleanse(po.buf, sizeof(po.buf));
	return err;
}

/* --- sms listen: the SMS of a modem --- */

static const struct cli_opt listen_opts[] = {
	{"exit-idle", required_argument, 'e', "S",
	 "end after S seconds (0.5: half a second) without a message"},
	O_USER_PIN_FILE,
	O_USER_PIN,
	{NULL, 0, 0, NULL, NULL},
};

static volatile int listen_stop;

/* "S" or "S.F" seconds (at most a year, to the millisecond) into *ms.
 * Returns 0, or -1 for anything else. */
static int parse_seconds(const char *v, long *ms)
{
	unsigned long whole = 0, frac = 0, scale = 1000;
	const char *p = v;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if ((whole = whole * 10 + (unsigned long)(*p - '0')) > 86400UL * 365)
			return -1;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			if (scale > 1)
				frac += (unsigned long)(*p - '0') * (scale /= 10);
	if (*p || p[-1] == '.')
		return -1;
	*ms = (long)(whole * 1000 + frac);
	return 0;
}

static void listen_signal(int sig)
{
	(void)sig;
	listen_stop = 1;
}

struct listen_state {
	struct ub_cli *cli;
	struct outcome oc;
	long n;
};

static void listen_result(void *arg, const char *label, const struct ub_sms_result *r)
{
	struct listen_state *ls = arg;
	json_object *o = result_json(ls->cli, label, 0, r);

	json_object_object_add(o, "from", json_object_new_string(label));
	ls->n++;
	note(&ls->oc, r);
	if (!ls->cli->json)
		cli_print(stdout, "%s: %s%s%s\n", label, ub_sms_status_name(r->status),
			  r->why.what[0] ? ": " : "", r->why.what);
	stream_out(ls->cli, o, "tpdu");
}

static void listen_ready(void *arg, const char *how)
{
	struct listen_state *ls = arg;
	json_object *o = json_object_new_object();

	json_object_object_add(o, "new_messages", json_object_new_string(how));
	stream_out(ls->cli, o, "listening");
}

static int sms_listen(struct ub_cli *cli, int argc, char **argv)
{
	struct listen_state ls = {cli, {0, 0}, 0};
	struct ub_sms_listen o = {0};
	struct ub_status st = {0};
	struct pin_opt po = {0};
	struct ub_sms_rx *rx = NULL;
	struct ub_sms_result *res = NULL;
	const struct ub_boot_config *cfg;
	const char *modem;
	char mspec[UB_POLICY_MODEM_SPEC_MAX];
	long idle_ms = 0;
	size_t n = 0, i;
	int c, err = 0;

	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		if (c == 'e' && !parse_seconds(optarg, &idle_ms)) {
			continue;
		} else if (c == 'p') {
			po.arg = optarg;
		} else if (c == 'P') {
			po.file = optarg;
		} else {
			return cli_usage(cli, c == 'e' ? "--exit-idle takes seconds" : NULL);
		}
	}
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	if (!(cfg = cli_config(cli, &err)))
		return err;
	/* without -r, the modem the policy names ([modem] port) */
	modem = cfg->reader ? cfg->reader : ub_policy_modem(cfg->policy, mspec, sizeof(mspec));
	if (!modem || strncmp(modem, "at:", 3))
		return cli_usage(cli, "sms listen needs the modem: -r at:DEVICE or [modem] port");
	if ((err = cli_secret(cli, "--user-pin", po.arg, po.file, "UICCBOOT_USER_PIN", po.buf,
			      sizeof(po.buf), &po.pin)))
		goto end;
	if ((err = rx_open(cli, false, &rx)))
		goto end;
	cli->streamed = true;
	err = ub_sms_resume(rx, po.pin, 0, &res, &n);
	for (i = 0; i < n; i++) {
		stream_out(cli, result_json(cli, "taken up again", 0, &res[i]), "resumed");
		note(&ls.oc, &res[i]);
	}
	ub_sms_results_free(res, n);
	signal(SIGTERM, listen_signal);
	signal(SIGINT, listen_signal);
	o.exit_idle_ms = idle_ms;
	o.lock_wait_ms = cfg->wait_ms > 0 ? cfg->wait_ms : 10000;
	o.user_pin = po.pin;
	o.stop = &listen_stop;
	o.on_result = listen_result;
	o.on_ready = listen_ready;
	o.arg = &ls;
	err = ub_sms_listen(rx, modem, &o, &st);
	if (err) {
		stream_error(cli, err, "%s", st.what);
		ls.oc.failed = ls.oc.failed ? ls.oc.failed : err;
	}
	err = outcome_err(&ls.oc);
	end_out(cli, ls.n, 0, err);
end:
	ub_sms_close(rx);
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

	if (cli_getopt(cli, argc, argv) != -1)
		return cli_usage(cli, NULL);
	if ((err = cli_nargs(cli, argc, argv, 0, 0)))
		return err;
	if ((err = rx_open(cli, true, &rx)))
		return err;
	err = list_out(cli, rx, false);
	ub_sms_close(rx);
	return err;
}

static const struct cli_opt pending_opts[] = {
	{"apply", no_argument, 'a', NULL, "give them the user PIN: verify and apply"},
	{"id", required_argument, 'i', "N", "message N (needed when more than one waits)"},
	{"reset-pin-budget", no_argument, 'R', NULL,
	 "the count of wrong PINs met with a stored PIN back to 0"},
	O_USER_PIN_FILE,
	O_USER_PIN,
	{NULL, 0, 0, NULL, NULL},
};

static int sms_pending(struct ub_cli *cli, int argc, char **argv)
{
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

	while ((c = cli_getopt(cli, argc, argv)) != -1) {
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
		return cli_usage(cli, bad || optind != argc ? NULL
				      : do_apply && reset
					      ? "--apply or --reset-pin-budget, not both"
					      : "--id and the PIN are for --apply");
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
	if ((err = rx_open(cli, !do_apply, &rx)))
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

static const struct ub_cmd sms_cmds[] = {
	{.name = "send",
	 .run = sms_send,
	 .synopsis = "FILE|- --sec TYPE [--keys FILE|-] [--format deliver|submit|parts]\n"
		     "    [--from ADDR] [--to MSISDN] [--wsp | --wbxml [--out FILE]] [options]\n"
		     "FILE|- --sec TYPE --keys FILE --kannel URL --to MSISDN [--kannel-auth FILE]\n"
		     "FILE|- --unsigned ...",
	 .summary = "a bootstrap document as a signed push, in SMS parts",
	 .text = "For DM server teams: a SyncML DM 1.2/1.1 or OMA CP bootstrap document (XML,\n"
		 "or WBXML) becomes WBXML, checked with the device's own decoder, gets the MAC\n"
		 "of its SEC type (NETWORKID, USERPIN, USERPIN_NETWORKID, NETWORKID_GBA,\n"
		 "USERPIN_NETWORKID_GBA, USERNETWPIN, USERPINMAC), is wrapped in a WSP push PDU\n"
		 "and split into SMS parts: SMS-DELIVER TPDUs (hex lines, as a modem prints\n"
		 "them), SMS-SUBMIT TPDUs (for a modem's AT+CMGS or a gateway that takes PDUs),\n"
		 "or the UDH and user data of each part as JSON lines (an SMPP or HTTP gateway);\n"
		 "or handed to Kannel.  Without --sec it refuses (a device refuses an unsigned\n"
		 "bootstrap over SMS) unless --unsigned.  Secrets come from their -file option,\n"
		 "the --keys file or the environment (argv: labs only); a user PIN shorter than\n"
		 "--user-pin-min is refused.",
	 .opts = send_opts},
	{.name = "decode",
	 .run = sms_decode,
	 .synopsis = "FILE|- [--no-smsc] [--keys FILE|-]",
	 .summary = "TPDU hex lines decoded: the TPDUs, each message's WAP push",
	 .text = "SMS-DELIVER TPDUs in hex, one a line (modem PDU mode; +CMGL:/+CMT: and OK lines\n"
		 "are skipped), decoded: each TPDU, then each complete message's WAP push (kind,\n"
		 "media, SEC, MAC, application id; with --json the Content-Type and body as hex).\n"
		 "--keys FILE checks each bootstrap's MAC offline with the keys of sms send's\n"
		 "--keys format (exit 65 when one does not verify).",
	 .opts = decode_opts},
	{.name = "receive",
	 .run = sms_receive,
	 .synopsis = "[FILE|-] [--no-smsc] [--user-pin-file F]",
	 .summary = "TPDUs into the fragment store; complete bootstraps verified, applied",
	 .text = "SMS-DELIVER TPDUs in hex, one a line, from FILE or standard input: each WAP\n"
		 "push part is kept in the tree database until its message is complete; a\n"
		 "complete DM or CP bootstrap is verified and applied as push does.  One line\n"
		 "(or JSON object) per TPDU with its status.",
	 .opts = receive_opts},
	{.name = "listen",
	 .run = sms_listen,
	 .synopsis = "[-r at:DEVICE] [--exit-idle S] [--user-pin-file F]",
	 .summary = "the SMS of a modem, stored and new, into the fragment store",
	 .text = "The modem's messages in PDU mode (3GPP TS 27.005): those it holds (AT+CMGL=4),\n"
		 "then new ones as they come (+CMT, acknowledged with AT+CNMA, where the modem\n"
		 "offers AT+CSMS=1; else +CMTI and AT+CMGR), each as sms receive takes a TPDU.\n"
		 "A message is deleted from the modem (AT+CMGD) or acknowledged only after its\n"
		 "part is committed to the tree database.  Runs until stopped (SIGTERM) or,\n"
		 "with --exit-idle, until S seconds pass without a message.  Without -r, the\n"
		 "modem of the policy's [modem] port.",
	 .opts = listen_opts},
	{.name = "list",
	 .run = sms_list,
	 .synopsis = "",
	 .summary = "the messages held: incomplete and pending"},
	{.name = "pending",
	 .run = sms_pending,
	 .synopsis = "[--apply [--id N] --user-pin-file F]",
	 .summary = "bootstraps that wait for the user's PIN; --apply gives it",
	 .opts = pending_opts},
	{.name = NULL},
};

const struct ub_cmd cli_sms_cmd = {
	.name = "sms",
	.summary = "WAP push over SMS: send, decode, receive, listen, list, pending",
	.subs = sms_cmds,
};
