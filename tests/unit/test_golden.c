/* Golden power-on traces (libosmocore's .ok style): every scenario in
 * tests/unit/golden/NAME.script is a card, scripted as the APDU trace of
 * uiccboot --trace --trace-secrets (what the card answered in the lab),
 * played through the PC/SC seam to ub_boot_card.  What the power-on
 * printed -- its redacted APDU trace, what it returned, each object's
 * outcome and the tree's nodes -- must equal NAME.ok byte for byte; a
 * difference fails and is shown as a diff.  UB_GOLDEN_UPDATE=1 writes the
 * .ok files instead; the expect lines of a script are checked either way.
 *
 * A script, line by line ('#' lines and blank ones are skipped):
 *   call boot | all-readers | identity | info
 *                              ub_boot_card (the default), ub_boot_all_readers,
 *                              a session's ub_uicc_identity, or the public
 *                              ub_card_session_open and ub_card_info (info)
 *   proto T=0 | T=1            the protocol (default T=1)
 *   pin DIGITS                 the PIN the caller gives (default: none)
 *   config reset|channel|dry_run   that field of struct ub_boot_config set
 *   reader empty               the one reader holds no card
 *   policy KEY yes|no          smartcard_enabled, logical_channel,
 *                              lwm2m_enabled, remove_stale,
 *                              remove_absent
 *   before NAME                play NAME.script first, on the same tree
 *   expect rc ERRNAME          what ub_boot_card returns ("ok": 0)
 *   expect dm|lwm2m OUTCOME    an object's outcome ("applied", "failed", ...)
 *   expect node|no-node URI    a node the tree holds, or does not
 *   > HEX                      the command the host must send ('..' any
 *                              byte, a final '*' the rest)
 *   < HEX                      the card's answer to it, SW included
 *   ! SCARD_NAME               or the PC/SC error it ends in */
#include <ctype.h>
#include <glob.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot.h"
#include "card.h"
#include "scard_fake.h"
#include "tmpdb.h"
#include "ub_policy.h"
#include "ub_session.h"

#define MAX_STEPS 96
#define MAX_EXPECT 16

struct expect {
	char kind[8], arg[200];
};

enum call { CALL_BOOT, CALL_ALL, CALL_IDENTITY, CALL_INFO };

struct scenario {
	enum call call;
	struct ub_boot_config cfg; /* reset, channel, dry_run */
	bool empty;
	DWORD proto;
	char pin[16], before[64];
	bool pin_set;
	struct ub_policy pol;
	struct fake_step steps[MAX_STEPS];
	size_t n;
	struct expect exp[MAX_EXPECT];
	size_t nexp;
};

static const char *golden_dir(void)
{
	const char *d = getenv("UB_GOLDEN_DIR");

	return d ? d : "tests/unit/golden";
}

static const struct {
	const char *name;
	LONG rv;
} pcsc_errors[] = {
	{"SCARD_W_REMOVED_CARD", SCARD_W_REMOVED_CARD},
	{"SCARD_E_NO_SMARTCARD", SCARD_E_NO_SMARTCARD},
	{"SCARD_W_RESET_CARD", SCARD_W_RESET_CARD},
	{"SCARD_E_READER_UNAVAILABLE", SCARD_E_READER_UNAVAILABLE},
	{"SCARD_F_COMM_ERROR", SCARD_F_COMM_ERROR},
};

static const struct {
	const char *key;
	size_t off;
} policy_keys[] = {
	{"smartcard_enabled", offsetof(struct ub_policy, smartcard_enabled)},
	{"logical_channel", offsetof(struct ub_policy, logical_channel)},
	{"lwm2m_enabled", offsetof(struct ub_policy, lwm2m_enabled)},
	{"remove_stale", offsetof(struct ub_policy, remove_stale)},
	{"remove_absent", offsetof(struct ub_policy, remove_absent)},
};

/* "00 A4 .." -> "00a4.." (a copy the scenario owns), NULL when not hex. */
static char *hex_of(const char *s)
{
	char *o = malloc(strlen(s) + 1), *p = o;

	for (; o && *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n')
			continue;
		if (!isxdigit((unsigned char)*s) && *s != '.' && *s != '*') {
			free(o);
			return NULL;
		}
		*p++ = (char)tolower((unsigned char)*s);
	}
	if (o)
		*p = '\0';
	return o;
}

static bool policy_line(struct scenario *sc, const char *key, const char *v)
{
	size_t i;

	for (i = 0; i < sizeof(policy_keys) / sizeof(policy_keys[0]); i++)
		if (!strcmp(key, policy_keys[i].key) && (!strcmp(v, "yes") || !strcmp(v, "no"))) {
			*(bool *)((char *)&sc->pol + policy_keys[i].off) = !strcmp(v, "yes");
			return true;
		}
	return false;
}

static bool config_line(struct scenario *sc, const char *what)
{
	static const char *const calls[] = {"boot", "all-readers", "identity", "info"};
	size_t i;

	if (!strcmp(what, "reset"))
		return sc->cfg.reset = true;
	if (!strcmp(what, "channel"))
		return sc->cfg.channel = true;
	if (!strcmp(what, "dry_run"))
		return sc->cfg.dry_run = true;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(what, calls[i])) {
			sc->call = (enum call)i;
			return true;
		}
	return false;
}

static bool answer_line(struct scenario *sc, char c, const char *rest)
{
	struct fake_step *s = &sc->steps[sc->n - 1];
	size_t i;

	if (!sc->n || s->rsp || s->rv)
		return false; /* an answer without its command */
	if (c == '<')
		return (s->rsp = hex_of(rest)) != NULL;
	for (i = 0; i < sizeof(pcsc_errors) / sizeof(pcsc_errors[0]); i++)
		if (!strcmp(rest, pcsc_errors[i].name))
			s->rv = pcsc_errors[i].rv;
	return s->rv != 0;
}

static bool script_line(struct scenario *sc, char *l)
{
	char a[64], b[200];

	l[strcspn(l, "\r\n")] = '\0';
	if (!l[0] || l[0] == '#')
		return true;
	if (l[0] == '>') {
		if (sc->n == MAX_STEPS)
			return false;
		sc->steps[sc->n].rsp = NULL;
		sc->steps[sc->n].rv = 0;
		return (sc->steps[sc->n++].cmd = hex_of(l + 1)) != NULL;
	}
	if (l[0] == '<' || l[0] == '!')
		return answer_line(sc, l[0], l + 1 + strspn(l + 1, " "));
	if (sscanf(l, "proto T=%1[01]", a) == 1)
		sc->proto = a[0] == '0' ? SCARD_PROTOCOL_T0 : SCARD_PROTOCOL_T1;
	else if (sscanf(l, "pin %15s", sc->pin) == 1)
		sc->pin_set = true;
	else if (sscanf(l, "policy %63s %199s", a, b) == 2)
		return policy_line(sc, a, b);
	else if (sscanf(l, "before %63s", sc->before) == 1)
		return true;
	else if (sscanf(l, "config %63s", a) == 1 || sscanf(l, "call %63s", a) == 1)
		return config_line(sc, a);
	else if (!strcmp(l, "reader empty"))
		sc->empty = true;
	else if (sc->nexp < MAX_EXPECT &&
		 sscanf(l, "expect %7s %199s", sc->exp[sc->nexp].kind, sc->exp[sc->nexp].arg) == 2)
		sc->nexp++;
	else
		return false;
	return true;
}

static void scenario_free(struct scenario *sc)
{
	size_t i;

	for (i = 0; i < sc->n; i++) {
		free((char *)sc->steps[i].cmd);
		free((char *)sc->steps[i].rsp);
	}
	free(sc);
}

static struct scenario *scenario_load(const char *name)
{
	struct scenario *sc = calloc(1, sizeof(*sc));
	char path[300], line[1200];
	FILE *fp;
	int no = 0;

	snprintf(path, sizeof(path), "%s/%s.script", golden_dir(), name);
	assert_non_null(sc);
	if (!(fp = fopen(path, "r")))
		fail_msg("%s: cannot open", path);
	sc->proto = SCARD_PROTOCOL_T1;
	ub_policy_defaults(&sc->pol);
	while (fgets(line, sizeof(line), fp)) {
		no++;
		if (!strchr(line, '\n') && !feof(fp))
			fail_msg("%s:%d: line too long", path, no);
		if (!script_line(sc, line))
			fail_msg("%s:%d: not understood: %s", path, no, line);
	}
	fclose(fp);
	return sc;
}

/* --- what the power-on did, printed --- */

static void print_list(FILE *fp, const char *what, char *const *v, size_t n)
{
	size_t i;

	if (!n)
		return;
	fprintf(fp, "=   %s:", what);
	for (i = 0; i < n; i++)
		fprintf(fp, " %s", v[i]);
	fputc('\n', fp);
}

static void print_status(FILE *fp, const char *indent, const struct ub_status *st)
{
	if (st->err)
		fprintf(fp, "=%s%s, SW %04X, at %s: %s\n", indent, ub_errname(st->err), st->sw,
			st->where, st->what);
}

static void print_result(FILE *fp, const char *what, int err, const struct ub_boot_result *r)
{
	static const char *const kinds[] = {"dm", "lwm2m"};
	size_t i;

	fprintf(fp, "= %s: %s; %s, object %s, iccid %s, %s channel", what, ub_errname(err),
		ub_outcome_name(r->outcome), r->object ? r->object : "(none)",
		r->iccid[0] ? r->iccid : "(none)", r->logical_channel ? "logical" : "basic");
	if (r->channel_refused)
		fprintf(fp, " (a logical one refused: SW %04X)", r->channel_sw);
	fprintf(fp, ", %u APDUs\n", r->apdus);
	print_status(fp, " ", &r->status);
	if (!r->nobjects) /* no card: what cards wrote, removed */
		print_list(fp, "removed", r->apply.removed, r->apply.nremoved);
	for (i = 0; i < r->nobjects && i < UB_BOOT_KINDS; i++) {
		const struct ub_boot_object *o = &r->objects[i];

		fprintf(fp, "= %s: %s%s, source %s\n", kinds[i], ub_outcome_name(o->outcome),
			o->present ? "" : " (not on the card)", o->source);
		print_status(fp, "   ", &o->status);
		if (r->outcome == UB_OUT_VERIFIED)
			fprintf(fp, "=   plan: %zu nodes\n", i ? o->plan.nnodes : r->plan.nnodes);
		print_list(fp, "accounts", o->apply.accounts, o->apply.naccounts);
		print_list(fp, "removed", o->apply.removed, o->apply.nremoved);
	}
}

static void print_names(const char *name, void *arg)
{
	FILE *fp = arg;

	fprintf(fp, "%s\n", name);
}

/* The nodes under uri; the root of what a source wrote (a node with a
 * source under one without) printed with it and the count of its nodes. */
static int print_tree(FILE *fp, struct ub_tree *t, const char *uri, bool in_mo)
{
	struct ub_tree_node n;
	char *names = NULL, *p, *nl, child[600];
	size_t len = 0;
	FILE *list = open_memstream(&names, &len);
	int count = 0, below;
	bool mo;

	assert_non_null(list);
	ub_tree_list(t, uri, print_names, list);
	fclose(list);
	for (p = names; p && (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		snprintf(child, sizeof(child), "%s/%s", uri, p);
		assert_int_equal(ub_tree_get(t, child, &n), 0);
		mo = !in_mo && n.source;
		if (fp && !mo)
			fprintf(fp, "= %s\n", child);
		below = print_tree(mo ? NULL : fp, t, child, in_mo || mo);
		if (mo && fp)
			fprintf(fp, "= %s  %s, %d nodes\n", child, n.source, below + 1);
		ub_tree_node_free(&n);
		count += below + 1;
	}
	free(names);
	return count;
}

static void print_identity(FILE *fp, int err, const struct ub_identity *id,
			   const struct ub_status *st)
{
	int i;

	fprintf(fp, "= ub_uicc_identity: %s\n", ub_errname(err));
	print_status(fp, " ", st);
	if (err)
		return;
	fprintf(fp, "=   iccid %s, imsi %s, MNC length %d%s%s\n", id->iccid, id->imsi, id->mnc_len,
		id->legacy ? ", a 2G SIM" : "", id->has_isim ? ", an ISIM" : "");
	fprintf(fp, "=   impi %s (%s)\n", id->impi, id->impi_source ? id->impi_source : "none");
	for (i = 0; i < id->nimpu; i++)
		fprintf(fp, "=   impu %s\n", id->impu[i]);
	fprintf(fp, "=   UST %zu bytes, IST %zu bytes, GBA RAND %zu (USIM) %zu (ISIM)\n",
		id->ust_len, id->ist_len, id->gba_usim.rand_len, id->gba_isim.rand_len);
}

/* A session and the card's identity (what info reads). */
static int identity(const struct ub_boot_config *cfg, FILE *out)
{
	struct ub_session s;
	struct ub_identity id = {0};
	struct ub_status st = {0};
	int err = ub_session_open(&s, cfg, cfg->pin, &st);

	if (!err) {
		err = ub_uicc_identity(&s.uicc, &id, &st);
		ub_session_close(&s);
	}
	if (out)
		print_identity(out, err, &id, &st);
	return err;
}

static void print_card_info(FILE *fp, int err, const struct ub_card_info *ci,
			    const struct ub_status *st)
{
	int i;

	fprintf(fp, "= ub_card_info: %s\n", ub_errname(err));
	print_status(fp, " ", st);
	if (err)
		return;
	fprintf(fp, "=   reader %s, iccid %s, imsi %s, MNC length %d%s\n", ci->reader, ci->iccid,
		ci->imsi, ci->mnc_len, ci->legacy ? ", a 2G SIM" : "");
	fprintf(fp, "=   impi %s (%s)\n", ci->impi, ci->impi_source ? ci->impi_source : "none");
	for (i = 0; i < ci->nimpu; i++)
		fprintf(fp, "=   impu %s\n", ci->impu[i]);
	for (i = 0; i < ci->napps; i++)
		fprintf(fp, "=   app %s %s %s\n", ci->apps[i].kind, ci->apps[i].aid,
			ci->apps[i].label);
	fprintf(fp, "=   gba %s (usim %d, isim %d, app %s), btid %s, lifetime %s, RAND %zu\n",
		ci->gba.service ? "service" : "no service", ci->gba.usim_service,
		ci->gba.isim_service, ci->gba.app ? ci->gba.app : "none", ci->gba.btid,
		ci->gba.lifetime, ci->gba.rand_len);
	for (i = 0; i < ci->nobjects; i++)
		fprintf(fp, "=   object %s %s in EF %s\n", ci->objects[i].name, ci->objects[i].oid,
			ci->objects[i].path);
}

/* The public calls of info: a card session and ub_card_info. */
static int card_info(const struct ub_boot_config *cfg, FILE *out)
{
	struct ub_session *s = ub_card_session_new();
	struct ub_card_info *ci = calloc(1, sizeof(*ci));
	struct ub_status st = {0};
	int err;

	assert_non_null(s);
	assert_non_null(ci);
	err = ub_card_session_open(s, cfg, &st);
	if (!err) {
		assert_int_equal(ub_card_session_open(s, cfg, NULL), UB_E_USAGE); /* open already */
		err = ub_card_info(s, ci, &st);
	}
	ub_card_session_free(s);
	if (out)
		print_card_info(out, err, ci, &st);
	free(ci);
	return err;
}

/* Every reader (the one): the card's result moved into r. */
static int all_readers(const struct ub_boot_config *cfg, FILE *out, struct ub_boot_result *r)
{
	struct ub_boot_all all;
	int err = ub_boot_all_readers(cfg, &all);

	if (out) {
		fprintf(out, "= ub_boot_all_readers: %s, %zu cards, removal %s\n", ub_errname(err),
			all.ncards, all.removal_done ? "done" : "not done");
		print_status(out, " ", &all.status);
		print_list(out, "removed", all.removal.removed, all.removal.nremoved);
		if (all.ncards)
			print_result(out, "card 0", err, &all.cards[0]);
	}
	if (all.ncards) {
		*r = all.cards[0];
		memset(&all.cards[0], 0, sizeof(all.cards[0]));
	}
	ub_boot_all_free(&all);
	return err;
}

/* Play sc on tree; with out, the trace and the result printed there. */
static int play(const struct scenario *sc, const char *tree, FILE *out, struct ub_boot_result *r)
{
	struct ub_boot_config cfg = sc->cfg;
	char why[800];
	int err;

	cfg.policy = &sc->pol;
	cfg.tree = tree;
	cfg.pin = sc->pin_set ? sc->pin : NULL;
	cfg.trace[0] = out;
	fake_readers("golden reader\0", sizeof("golden reader\0"), sc->empty ? 0 : 1, -1, 0);
	fake_script(sc->steps, sc->n, sc->proto);
	fake_soft(why, sizeof(why));
	err = sc->call == CALL_IDENTITY ? identity(&cfg, out)
	      : sc->call == CALL_INFO	? card_info(&cfg, out)
	      : sc->call == CALL_ALL	? all_readers(&cfg, out, r)
					: ub_boot_card(&cfg, r);
	fake_soft(NULL, 0);
	if (!out)
		return err;
	if (why[0])
		fprintf(out, "# OFF THE SCRIPT: %s\n", why);
	else if (fake_pos() != sc->n)
		fprintf(out, "# OFF THE SCRIPT: %zu of its %zu steps used\n", fake_pos(), sc->n);
	if (sc->call == CALL_BOOT)
		print_result(out, "ub_boot_card", err, r);
	return err;
}

static void print_tree_file(FILE *fp, const char *path)
{
	struct ub_tree *t;

	/* ub_tree_open would make one */
	if (access(path, F_OK) || ub_tree_open(path, &t)) {
		fprintf(fp, "= tree: none\n");
		return;
	}
	fprintf(fp, "= tree: %d nodes\n", ub_tree_count(t));
	print_tree(fp, t, ".", false);
	ub_tree_close(t);
}

/* --- the golden file --- */

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	char *b = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && !fseek(fp, 0, SEEK_SET) &&
	    (b = malloc((size_t)n + 1)) && fread(b, 1, (size_t)n, fp) == (size_t)n) {
		b[n] = '\0';
		*len = (size_t)n;
	} else {
		free(b);
		b = NULL;
	}
	fclose(fp);
	return b;
}

/* 0 when out equals ok_path's text, else 1 (and a diff on stdout, unless
 * quiet). */
static int golden_compare(const char *ok_path, const char *out, size_t len, bool quiet)
{
	char tmp[] = "/tmp/ub-golden-XXXXXX", cmd[700];
	size_t oklen = 0;
	char *ok = slurp(ok_path, &oklen);
	int fd, same = ok && oklen == len && !memcmp(ok, out, len);
	FILE *fp;

	free(ok);
	if (same || quiet)
		return !same;
	if ((fd = mkstemp(tmp)) < 0 || !(fp = fdopen(fd, "w")))
		fail_msg("a file for the diff");
	fwrite(out, 1, len, fp);
	fclose(fp);
	printf("golden: %s differs (UB_GOLDEN_UPDATE=1 writes it):\n", ok_path);
	fflush(stdout);
	snprintf(cmd, sizeof(cmd), "diff -u '%s' '%s'", ok ? ok_path : "/dev/null", tmp);
	if (system(cmd) == -1)
		printf("(diff did not run)\n");
	unlink(tmp);
	return 1;
}

static void golden_write(const char *ok_path, const char *out, size_t len)
{
	FILE *fp = fopen(ok_path, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(out, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	printf("golden: %s written\n", ok_path);
}

static void check_expect(const struct expect *e, int err, const struct ub_boot_result *r,
			 const char *tree)
{
	struct ub_tree *t = NULL;
	struct ub_tree_node n;
	int got = UB_E_NOT_FOUND;

	if (!strcmp(e->kind, "rc")) {
		assert_string_equal(ub_errname(err), e->arg);
	} else if (!strcmp(e->kind, "dm") || !strcmp(e->kind, "lwm2m")) {
		size_t i = e->kind[0] == 'd' ? UB_BOOT_DM : UB_BOOT_LWM2M;

		assert_true(i < r->nobjects);
		assert_string_equal(ub_outcome_name(r->objects[i].outcome), e->arg);
	} else if (!strcmp(e->kind, "node") || !strcmp(e->kind, "no-node")) {
		if (!access(tree, F_OK) && !ub_tree_open(tree, &t))
			got = ub_tree_get(t, e->arg, &n);
		if (!got)
			ub_tree_node_free(&n);
		ub_tree_close(t);
		if (!strcmp(e->kind, "no-node"))
			assert_int_equal(got, UB_E_NOT_FOUND);
		else
			assert_int_equal(got, 0);
	} else {
		fail_msg("expect %s: not a check", e->kind);
	}
}

/* Run scenario name on a new tree: its output in *out (the caller frees). */
static int run_scenario(const char *name, char tree[128], char **out, size_t *len,
			struct ub_boot_result *r)
{
	struct scenario *sc = scenario_load(name), *pre;
	FILE *fp;
	int err;

	tmpdb_name(tree, 128, "/tmp", "golden");
	if (sc->before[0]) {
		pre = scenario_load(sc->before);
		play(pre, tree, NULL, r);
		ub_boot_result_free(r);
		scenario_free(pre);
	}
	fp = open_memstream(out, len);
	assert_non_null(fp);
	err = play(sc, tree, fp, r);
	print_tree_file(fp, tree);
	fclose(fp);
	scenario_free(sc);
	return err;
}

static void golden_test(void **state)
{
	const char *name = *state;
	struct ub_boot_result r = {0};
	struct scenario *sc = scenario_load(name);
	char tree[128], ok_path[300], *out = NULL;
	size_t len = 0, i;
	int err, differs = 0;

	err = run_scenario(name, tree, &out, &len, &r);
	snprintf(ok_path, sizeof(ok_path), "%s/%s.ok", golden_dir(), name);
	if (getenv("UB_GOLDEN_UPDATE") && !strcmp(getenv("UB_GOLDEN_UPDATE"), "1"))
		golden_write(ok_path, out, len);
	else
		differs = golden_compare(ok_path, out, len, false);
	free(out);
	for (i = 0; i < sc->nexp; i++)
		check_expect(&sc->exp[i], err, &r, tree);
	ub_boot_result_free(&r);
	tmpdb_remove(tree);
	scenario_free(sc);
	assert_int_equal(differs, 0);
}

/* The runner itself: a changed byte of the output is a difference, and a
 * command the script does not expect is said in the output. */
static void runner_sees_differences(void **state)
{
	struct ub_boot_result r = {0};
	struct scenario *sc = scenario_load("t1_demo");
	char tree[128], ok_path[300], *out = NULL;
	size_t len = 0, nsteps;

	(void)state;
	run_scenario("t1_demo", tree, &out, &len, &r);
	ub_boot_result_free(&r);
	tmpdb_remove(tree);
	snprintf(ok_path, sizeof(ok_path), "%s/t1_demo.ok", golden_dir());
	assert_int_equal(golden_compare(ok_path, out, len, true), 0);
	out[len / 2] ^= 1;
	assert_int_equal(golden_compare(ok_path, out, len, true), 1);
	free(out);

	/* the card's script ends after the first SELECT */
	nsteps = sc->n;
	sc->n = 1;
	out = NULL;
	tmpdb_name(tree, sizeof(tree), "/tmp", "golden");
	{
		FILE *fp = open_memstream(&out, &len);

		assert_int_not_equal(play(sc, tree, fp, &r), 0);
		fclose(fp);
	}
	assert_non_null(strstr(out, "# OFF THE SCRIPT: the script ended (1 steps); the host "
				    "sent > 00b082000a"));
	sc->n = nsteps;
	free(out);
	ub_boot_result_free(&r);
	tmpdb_remove(tree);
	scenario_free(sc);
}

int main(void)
{
	struct CMUnitTest *tests;
	char pattern[300];
	glob_t g;
	size_t n;
	int rc;

	snprintf(pattern, sizeof(pattern), "%s/*.script", golden_dir());
	if (glob(pattern, 0, NULL, &g) || !g.gl_pathc) {
		fprintf(stderr, "golden: no scenario in %s\n", golden_dir());
		return 1;
	}
	tests = calloc(g.gl_pathc + 1, sizeof(*tests));
	for (n = 0; tests && n < g.gl_pathc; n++) {
		char *base = strrchr(g.gl_pathv[n], '/') + 1;

		base[strlen(base) - strlen(".script")] = '\0';
		tests[n].name = base;
		tests[n].test_func = golden_test;
		tests[n].initial_state = base;
	}
	if (!tests)
		return 1;
	tests[n].name = "runner_sees_differences";
	tests[n].test_func = runner_sees_differences;
	rc = _cmocka_run_group_tests("golden", tests, n + 1, NULL, NULL);
	free(tests);
	globfree(&g);
	return rc;
}
