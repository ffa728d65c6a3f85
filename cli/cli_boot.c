/* uiccboot push and uiccboot bootstrap: verify the bootstrap, then apply
 * it to the device tree in one transaction (R-BOOT 1-9), or only show the
 * plan (--dry-run). */
#include <errno.h>
#include <getopt.h>
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ub_apply.h"
#include "ub_hex.h"
#include "ub_push.h"
#include "ub_secret.h"

#define UB_MAX_READERS 64

static const char *kind_name(enum ub_plan_kind k)
{
	return k == UB_PLAN_CP ? "cp" : k == UB_PLAN_DM11 ? "dm1.1" : "dm1.2";
}

static int load_policy(struct ub_cli *cli, struct ub_policy *pol)
{
	char err[400];
	int rc = ub_policy_load(pol, cli->policy ? cli->policy : UB_POLICY_DEFAULT, !!cli->policy,
				err, sizeof(err));

	if (rc)
		cli_error(cli, rc, "policy %s", err);
	return rc;
}

static void report(struct ub_cli *cli, const char *status, const char *reason,
		   const struct ub_plan *plan)
{
	json_object *arr, *nodes;
	size_t i;
	int k;

	json_object_object_add(cli->out, "status", json_object_new_string(status));
	json_object_object_add(cli->out, "reason",
			       reason && *reason ? json_object_new_string(reason) : NULL);
	if (!cli->json)
		cli_print(stdout, "status    %s%s%s\n", status, reason && *reason ? ": " : "",
			  reason ? reason : "");
	if (!plan)
		return;
	json_object_object_add(cli->out, "kind", json_object_new_string(kind_name(plan->kind)));
	json_object_object_add(cli->out, "source",
			       plan->source[0] ? json_object_new_string(plan->source) : NULL);
	arr = json_object_new_array();
	for (k = 0; ub_plan_server(plan, (size_t)k); k++) {
		json_object *a = json_object_new_object();
		const char *s = ub_plan_server(plan, (size_t)k);

		json_object_object_add(a, "server_id", json_object_new_string(s));
		json_object_array_add(arr, a);
		if (!cli->json)
			cli_print(stdout, "account   %s\n", s);
	}
	json_object_object_add(cli->out, "accounts", arr);
	json_object_object_add(cli->out, "renamed", json_object_new_array());
	nodes = json_object_new_array();
	for (i = 0; i < plan->nnodes; i++) {
		const struct ub_plan_node *n = &plan->nodes[i];
		json_object *o = json_object_new_object();
		/* AAuthSecret and friends are never printed */
		const char *v = n->value && ub_plan_node_secret(n) ? UB_SECRET_MASK : n->value;

		json_object_object_add(o, "uri", json_object_new_string(n->uri));
		json_object_object_add(o, "format", json_object_new_string(n->format));
		json_object_object_add(o, "type", n->type ? json_object_new_string(n->type) : NULL);
		json_object_object_add(o, "value", v ? json_object_new_string(v) : NULL);
		json_object_object_add(o, "acl", n->acl ? json_object_new_string(n->acl) : NULL);
		json_object_array_add(nodes, o);
		if (!cli->json)
			cli_print(stdout, "  %s%s%s\n", n->uri, v ? " = " : "/", v ? v : "");
	}
	json_object_object_add(cli->out, "nodes", nodes);
}

static json_object *uri_list(char *const *uris, size_t n, const char *label, bool text)
{
	json_object *arr = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object_array_add(arr, json_object_new_string(uris[i]));
		if (text)
			cli_print(stdout, "%-9s %s\n", label, uris[i]);
	}
	return arr;
}

void cli_report_apply(struct ub_cli *cli, const struct ub_apply_result *r)
{
	json_object *ren = json_object_new_array(), *o;
	size_t i;

	json_object_object_add(cli->out, "status",
			       json_object_new_string(r->unchanged ? "unchanged" : "applied"));
	if (!cli->json)
		cli_print(stdout, "status    %s\n", r->unchanged ? "unchanged" : "applied");
	json_object_object_add(cli->out, "accounts",
			       uri_list(r->accounts, r->naccounts, "account", !cli->json));
	for (i = 0; i < r->nrenamed; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "from", json_object_new_string(r->renamed[i].from));
		json_object_object_add(o, "to", json_object_new_string(r->renamed[i].to));
		json_object_array_add(ren, o);
		if (!cli->json)
			cli_print(stdout, "renamed   %s -> %s\n", r->renamed[i].from,
				  r->renamed[i].to);
	}
	json_object_object_add(cli->out, "renamed", ren);
	json_object_object_add(cli->out, "removed",
			       uri_list(r->removed, r->nremoved, "removed", !cli->json));
}

/* Apply plan (NULL: removals only) under the options; report the result. */
static int apply(struct ub_cli *cli, const struct ub_policy *pol, struct ub_plan *plan,
		 const struct ub_apply_opts *o)
{
	struct ub_apply_result *res = calloc(1, sizeof(*res));
	struct ub_tree *t = NULL;
	char reason[400];
	int err;

	if (!res)
		err = UB_E_NOMEM;
	else if (!(err = cli_tree_open(cli, &t)))
		err = ub_tree_apply(t, plan, pol, o, res, reason, sizeof(reason));
	ub_tree_close(t);
	if (!err)
		cli_report_apply(cli, res);
	else if (t)
		report(cli, "rejected", reason, NULL), cli_error(cli, err, "%s", reason);
	if (res)
		ub_apply_result_free(res);
	free(res);
	return err;
}

static int finish(struct ub_cli *cli, int err, const char *reason, struct ub_plan *plan)
{
	if (!err) {
		report(cli, "verified", NULL, plan);
		json_object_object_add(cli->out, "dry_run", json_object_new_boolean(true));
		ub_plan_free(plan);
		return 0;
	}
	report(cli, "rejected", reason, NULL);
	cli_error(cli, err, "%s", reason);
	return err;
}

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
	uint8_t body[UB_DOC_MAX + 1];
	char user_pin[UB_SECRET_MAX + 1];
	struct ub_policy pol; /* pin1 */
};

static int push_run(struct ub_cli *cli, int argc, char **argv, struct push_mem *m)
{
	static const struct option opts[] = {{"content-type", required_argument, NULL, 'c'},
					     {"wsp-content-type", required_argument, NULL, 'w'},
					     {"transport", required_argument, NULL, 't'},
					     {"user-pin", required_argument, NULL, 'p'},
					     {"user-pin-file", required_argument, NULL, 'P'},
					     {"dry-run", no_argument, NULL, 'n'},
					     {NULL, 0, NULL, 0}};
	static const char *usage =
		"uiccboot push FILE --content-type STR [--transport secure|insecure] "
		"[--user-pin-file F | --user-pin PIN] [--dry-run]\n"
		"       (--wsp-content-type HEX: the WSP binary header value instead;\n"
		"        the user PIN also from UICCBOOT_USER_PIN)";
	struct ub_push_req r;
	struct ub_plan plan;
	const char *ctype = NULL, *wsp = NULL, *transport = "insecure", *pin_file = NULL;
	char *pin_arg = NULL;
	uint8_t wbuf[512];
	char reason[400];
	bool dry = false;
	int c, err, n;

	memset(&r, 0, sizeof(r));
	/* FILE may come before or after the options (GNU permutation) */
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
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
		default:
			fprintf(stderr, "usage: %s\n", usage);
			return UB_E_USAGE;
		}
	}
	if (optind + 1 != argc || (!ctype == !wsp) ||
	    (strcmp(transport, "secure") && strcmp(transport, "insecure"))) {
		fprintf(stderr, "usage: %s\n", usage);
		return UB_E_USAGE;
	}
	if ((err = cli_secret(cli, "--user-pin", pin_arg, pin_file, "UICCBOOT_USER_PIN",
			      m->user_pin, sizeof(m->user_pin), &r.user_pin)))
		return err;
	r.secure_transport = !strcmp(transport, "secure");
	if ((err = load_policy(cli, &m->pol)))
		return err;
	err = read_file(argv[optind], m->body, sizeof(m->body), &r.len);
	if (err) {
		snprintf(reason, sizeof(reason), "%s: %s", argv[optind],
			 err == UB_E_IO ? strerror(errno) : "larger than 64 KiB");
		return finish(cli, err, reason, NULL);
	}
	r.body = m->body;
	if (wsp) {
		n = ub_unhex(wbuf, sizeof(wbuf), wsp);
		err = n < 0 ? UB_E_USAGE : ub_ctype_parse_wsp(wbuf, (size_t)n, &r.ct);
	} else {
		err = ub_ctype_parse(ctype, &r.ct);
	}
	if (err)
		return finish(cli, UB_E_BAD_DATA, "malformed Content-Type", NULL);
	/* the card is needed for the NETWORKID and GBA keys only */
	if (r.ct.sec & (UB_SEC_NETWORKID | UB_SEC_USERPIN_NETWORKID | UB_SEC_USERNETWPIN |
			UB_SEC_NETWORKID_GBA | UB_SEC_USERPIN_NETWORKID_GBA)) {
		if (!cli->pin && m->pol.pin1[0])
			cli->pin = m->pol.pin1;
		if ((err = cli_connect(cli)) || (err = cli_uicc_start(cli)))
			return err;
	}
	json_object_object_add(cli->out, "sec",
			       r.ct.sec ? json_object_new_string(ub_sec_name(r.ct.sec)) : NULL);
	err = ub_push_verify(&m->pol, cli->have_uicc ? &cli->uicc : NULL, &r, &plan, reason,
			     sizeof(reason));
	if (err || dry)
		return finish(cli, err, reason, &plan);
	{
		struct ub_apply_opts o = {.source = "push"};

		if (r.naf_fqdn[0])
			o.naf_host = r.naf_fqdn; /* a GBA-keyed push replaces only its NAF's */
		err = apply(cli, &m->pol, &plan, &o);
		ub_plan_free(&plan);
		return err;
	}
}

int cli_push(struct ub_cli *cli, int argc, char **argv)
{
	/* 64 KiB and more: on the heap, wiped before it is freed */
	struct push_mem *m = malloc(sizeof(*m));
	int err;

	if (!m)
		return UB_E_NOMEM;
	err = push_run(cli, argc, argv, m);
	if (cli->pin == m->pol.pin1)
		cli->pin = cli->uicc.pin = NULL; /* it is about to be wiped and freed */
	OPENSSL_cleanse(m, sizeof(*m));
	free(m);
	return err;
}

/* The ICCID names the card in the tree's provenance. */
static int card_iccid(struct ub_cli *cli, char iccid[21])
{
	uint8_t b[16];
	int n, err;

	if ((err = ub_uicc_select(&cli->uicc, NULL)))
		return err;
	n = ub_uicc_read(&cli->uicc, &UB_EF_ICCID, 10, b, sizeof(b));
	return n < 0 ? n : ub_iccid_decode(b, (size_t)n, iccid);
}

/* One card: its bootstrap object applied under its ICCID (src). */
static int boot_card(struct ub_cli *cli, const struct ub_policy *pol, bool dry,
		     const struct ub_apply_opts *base, char src[32])
{
	struct ub_apply_opts o = *base;
	struct ub_plan plan, *pp = &plan;
	const char *which = NULL;
	char reason[400], iccid[21], digest[65];
	uint8_t d[32];
	int err;

	if ((err = cli_uicc_start(cli)) || (err = card_iccid(cli, iccid))) {
		if (err && cli->have_card)
			cli_error(cli, err, "reader \"%s\": ICCID", cli->card.reader);
		return err;
	}
	snprintf(src, 32, "iccid:%s", iccid);
	json_object_object_add(cli->out, "iccid", json_object_new_string(iccid));
	err = ub_cardboot_plan(pol, &cli->uicc, &plan, &which, d, reason, sizeof(reason));
	json_object_object_add(cli->out, "object", which ? json_object_new_string(which) : NULL);
	if (dry) {
		if (err == UB_E_NOT_FOUND) {
			report(cli, "unchanged", reason, NULL);
			return 0;
		}
		return finish(cli, err, reason, &plan);
	}
	if (err && err != UB_E_NOT_FOUND) {
		report(cli, "rejected", reason, NULL);
		cli_error(cli, err, "reader \"%s\": %s", cli->card.reader, reason);
		return err;
	}
	o.source = src;
	o.supersede = pol->remove_stale || err != UB_E_NOT_FOUND;
	if (err == UB_E_NOT_FOUND) {
		pp = NULL; /* the card's data is gone */
	} else {
		ub_hex(digest, d, sizeof(d));
		o.digest = digest;
	}
	err = apply(cli, pol, pp, &o);
	if (pp)
		ub_plan_free(pp);
	return err;
}

struct reader_job {
	struct ub_cli cli; /* a copy per thread: its own PC/SC context and card */
	const struct ub_policy *pol;
	char src[32];
	int err;
	pthread_t thread;
};

static void *reader_thread(void *arg)
{
	struct reader_job *j = arg;
	struct ub_apply_opts o = {0};

	j->err = cli_connect(&j->cli);
	if (!j->err)
		j->err = boot_card(&j->cli, j->pol, false, &o, j->src);
	json_object_object_add(j->cli.out, "apdus",
			       json_object_new_int(j->cli.have_card ? (int)j->cli.card.apdus : 0));
	cli_session_end(&j->cli);
	return NULL;
}

/* --all-readers: every reader's card at once, a thread and a tree
 * transaction each; then, when every card answered, one transaction that
 * removes the data of cards no longer inserted. */
static int boot_all(struct ub_cli *cli, const struct ub_policy *pol)
{
	struct ub_reader_info list[UB_MAX_READERS];
	struct reader_job *jobs;
	const char *present[UB_MAX_READERS];
	json_object *arr = json_object_new_array();
	SCARDCONTEXT ctx;
	int n, i, k = 0, err = 0, nfail = 0;

	json_object_object_add(cli->out, "readers", arr);
	if ((err = ub_ctx_open(&ctx))) {
		cli_error(cli, err, "PC/SC");
		return err;
	}
	/* --wait: until a reader holds a card (a USB reader may come late) */
	if (cli->wait_s > 0 && (err = ub_wait_card(ctx, NULL, cli->wait_s * 1000L, list[0].name)) &&
	    err != UB_E_TIMEOUT && err != UB_E_NO_CARD) {
		ub_ctx_close(ctx);
		cli_error(cli, err, "waiting %lds for a card", cli->wait_s);
		return err;
	}
	err = 0; /* no card in time: what absent cards wrote is removed below */
	n = ub_readers_list(ctx, list, UB_MAX_READERS);
	ub_ctx_close(ctx);
	if (n <= 0) {
		cli_error(cli, n ? n : UB_E_NO_READER, "listing readers");
		return n ? n : UB_E_NO_READER;
	}
	jobs = calloc((size_t)n, sizeof(*jobs));
	if (!jobs)
		return UB_E_NOMEM;
	for (i = 0; i < n; i++) {
		if (!list[i].card_present)
			continue;
		jobs[k].cli = *cli;
		jobs[k].cli.reader = list[i].name;
		jobs[k].cli.wait_s = 0;
		jobs[k].cli.json = true; /* quiet: the summary is printed below */
		jobs[k].cli.have_ctx = jobs[k].cli.have_card = jobs[k].cli.have_uicc = false;
		jobs[k].cli.in_tx = false;
		jobs[k].cli.out = json_object_new_object();
		jobs[k].pol = pol;
		json_object_object_add(jobs[k].cli.out, "reader",
				       json_object_new_string(list[i].name));
		if (pthread_create(&jobs[k].thread, NULL, reader_thread, &jobs[k])) {
			json_object_put(jobs[k].cli.out);
			err = UB_E_INTERNAL;
			break;
		}
		k++;
	}
	for (i = 0; i < k; i++) {
		pthread_join(jobs[i].thread, NULL);
		if (jobs[i].err) {
			nfail++;
			err = err ? err : jobs[i].err;
			json_object_object_add(jobs[i].cli.out, "status",
					       json_object_new_string("failed"));
		} else {
			present[i - nfail] = jobs[i].src;
		}
		if (!cli->json) {
			json_object *st = json_object_object_get(jobs[i].cli.out, "status");

			cli_print(stdout, "%s: %s%s%s%s\n",
				  json_object_get_string(
					  json_object_object_get(jobs[i].cli.out, "reader")),
				  st ? json_object_get_string(st) : "?", jobs[i].err ? " (" : "",
				  jobs[i].err ? ub_errname(jobs[i].err) : "",
				  jobs[i].err ? ")" : "");
		}
		json_object_array_add(arr, jobs[i].cli.out);
	}
	if (!err && pol->remove_stale) {
		/* only when every card is known: otherwise a card that failed to
		 * answer would lose its data */
		struct ub_apply_opts o = {.source = "iccid:", .remove_absent_cards = true};

		o.present = present;
		o.npresent = k - nfail;
		err = apply(cli, pol, NULL, &o);
	}
	if (!err && !k) {
		err = UB_E_NO_CARD;
		cli_error(cli, err, "no reader holds a card%s",
			  pol->remove_stale ? "; data of earlier cards removed" : "");
	}
	free(jobs);
	return err;
}

static int bootstrap_run(struct ub_cli *cli, int argc, char **argv, struct ub_policy *pol)
{
	struct ub_apply_opts o = {0};
	bool dry = false, all = false;
	char src[32];
	int err, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run")) {
			dry = true;
		} else if (!strcmp(argv[i], "--all-readers")) {
			all = true;
		} else {
			fprintf(stderr, "usage: uiccboot bootstrap [--dry-run | --all-readers]\n");
			return UB_E_USAGE;
		}
	}
	if (dry && all) {
		fprintf(stderr, "usage: uiccboot bootstrap [--dry-run | --all-readers]\n");
		return UB_E_USAGE;
	}
	if ((err = load_policy(cli, pol)))
		return err;
	if (!pol->smartcard_enabled)
		return finish(cli, UB_E_POLICY, "smartcard bootstrap is disabled by policy", NULL);
	if (!cli->pin && pol->pin1[0])
		cli->pin = pol->pin1;
	if (all)
		return boot_all(cli, pol);
	o.remove_absent_cards = pol->remove_stale;
	err = cli_connect(cli);
	if (err == UB_E_NO_CARD && !dry && pol->remove_stale) {
		/* no card: what cards wrote goes; the exit code still says 69 */
		o.source = "iccid:";
		if (!apply(cli, pol, NULL, &o))
			cli_error(cli, err, "no card; data of earlier cards removed");
		return err;
	}
	return err ? err : boot_card(cli, pol, dry, &o, src);
}

/* Power-on (R-BOOT 1a, 7): the card's bootstrap object applied to the
 * tree under the card's ICCID; what an absent card, or a card whose object
 * is gone, had written is removed (policy remove_stale). */
int cli_bootstrap(struct ub_cli *cli, int argc, char **argv)
{
	struct ub_policy pol;
	int err = bootstrap_run(cli, argc, argv, &pol);

	if (cli->pin == pol.pin1)
		cli->pin = cli->uicc.pin = NULL; /* pin1 is wiped now */
	OPENSSL_cleanse(&pol, sizeof(pol));
	return err;
}
