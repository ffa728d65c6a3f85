/* uiccboot push: a pushed bootstrap (a document with its Content-Type, or
 * a whole WSP push PDU) verified and applied by the library
 * (ub_boot_push), and what it did, printed. */
#include <errno.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hex.h"

static int read_file(const char *path, uint8_t *buf, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return UB_E_IO;
	setvbuf(fp, NULL, _IONBF, 0); /* no stdio copy of the message to leave behind */
	n = fread(buf, 1, max, fp);
	fclose(fp);
	*len = n;
	return n >= max ? UB_E_BAD_DATA : 0; /* larger than the 64 KiB bound */
}

/* The message and the PINs: wiped before cli_push returns. */
struct push_mem {
	uint8_t body[UB_PLAN_DOC_MAX + 1];
	uint8_t wsp[512];
	char user_pin[UB_SECRET_MAX + 1];
};

static const struct cli_opt push_opts[] = {
	{"content-type", required_argument, 'c', "STR",
	 "the MIME type with its SEC and MAC parameters"},
	{"wsp-content-type", required_argument, 'w', "HEX",
	 "the WSP binary Content-Type header value instead"},
	{"transport", required_argument, 't', "T", "secure or insecure (default): how FILE came"},
	{"user-pin-file", required_argument, 'P', "FILE",
	 "the user PIN of the USERPIN SEC types (-: stdin)"},
	{"user-pin", required_argument, 'p', "PIN",
	 "the user PIN on argv (labs only); or UICCBOOT_USER_PIN"},
	{"dry-run", no_argument, 'n', NULL,
	 "verify and decide against the tree, write nothing, print the plan"},
	{"wsp", no_argument, 'W', NULL, "FILE is a WSP push PDU (an insecure transport)"},
	{NULL, 0, 0, NULL, NULL},
};

static int push_run(struct ub_cli *cli, int argc, char **argv, struct push_mem *m)
{
	struct ub_boot_config cfg;
	const struct ub_boot_config *base;
	struct ub_push_msg msg = {0};
	struct ub_boot_result r = {0};
	const char *ctype = NULL, *wsp = NULL, *transport = NULL, *pin_file = NULL;
	char *pin_arg = NULL;
	bool dry = false, pdu = false;
	int c, err = 0, n;

	while ((c = cli_getopt(cli, argc, argv)) != -1) {
		switch (c) {
		case 'c':
			ctype = optarg;
			break;
		case 'w':
			wsp = optarg;
			break;
		case 't':
			transport = optarg;
			break;
		case 'p':
			pin_arg = optarg;
			break;
		case 'P':
			pin_file = optarg;
			break;
		case 'n':
			dry = true;
			break;
		case 'W':
			pdu = true;
			break;
		default:
			return cli_usage(cli, NULL);
		}
	}
	if ((err = cli_nargs(cli, argc, argv, 1, 1)))
		return err;
	/* a WSP push came over the air: its transport is not ours to name */
	if (pdu && (ctype || wsp || transport))
		return cli_usage(cli, "--wsp takes the Content-Type and transport from the PDU");
	if (!pdu && !ctype == !wsp)
		return cli_usage(cli, "--content-type or --wsp-content-type: one of them");
	if (transport && strcmp(transport, "secure") && strcmp(transport, "insecure"))
		return cli_usage(cli, "--transport is secure or insecure");
	if ((err = cli_secret(cli, "--user-pin", pin_arg, pin_file, "UICCBOOT_USER_PIN",
			      m->user_pin, sizeof(m->user_pin), &msg.user_pin)))
		return err;
	if (!(base = cli_config(cli, &err)))
		return err;
	cfg = *base;
	cfg.dry_run = dry;
	msg.secure_transport = transport && !strcmp(transport, "secure");
	if ((err = read_file(argv[optind], m->body, sizeof(m->body), &msg.len))) {
		cli_error(cli, err, "%s: %s", argv[optind],
			  err == UB_E_IO ? strerror(errno) : "larger than 64 KiB");
		return err;
	}
	msg.body = m->body;
	if (pdu) {
		msg.wsp_pdu = m->body;
		msg.wsp_pdu_len = msg.len;
	} else if (wsp) {
		if ((n = ub_unhex(m->wsp, sizeof(m->wsp), wsp)) < 0)
			return cli_usage(cli, "--wsp-content-type wants hex (at most %zu octets)",
					 sizeof(m->wsp));
		msg.wsp_ctype = m->wsp;
		msg.wsp_ctype_len = (size_t)n;
	} else {
		msg.content_type = ctype;
	}
	err = ub_boot_push(&cfg, &msg, &r);
	json_object_object_add(cli->out, "sec", r.sec ? json_object_new_string(r.sec) : NULL);
	cli_report(cli, &r);
	if (err)
		cli_fail(cli, &r.status);
	ub_boot_result_free(&r);
	return err;
}

static int push(struct ub_cli *cli, int argc, char **argv)
{
	/* 64 KiB and more: on the heap, wiped before it is freed */
	struct push_mem *m = malloc(sizeof(*m));
	int err;

	if (!m)
		return UB_E_NOMEM;
	err = push_run(cli, argc, argv, m);
	OPENSSL_cleanse(m, sizeof(*m));
	free(m);
	return err;
}

const struct ub_cmd cli_push_cmd = {
	.name = "push",
	.run = push,
	.synopsis = "FILE --content-type STR [--transport T] [--user-pin-file F] [--dry-run]\n"
		    "--wsp FILE [--user-pin-file F] [--dry-run]",
	.summary = "a pushed bootstrap (WBXML, or a WSP push PDU) verified and applied",
	.text = "A pushed bootstrap message: FILE is its WBXML body, with its Content-Type\n"
		"(SEC, MAC); or with --wsp a WSP connectionless push PDU as a push agent hands\n"
		"it over.  Over an insecure transport it needs a MAC of a SEC type the policy\n"
		"allows; it is verified with the card's keys and applied in one transaction.\n"
		"Secret values of the plan of --dry-run show as (secret).",
	.opts = push_opts,
};
