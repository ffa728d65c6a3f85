/* A device's init, or its own DM client, running the power-on bootstrap
 * through libuiccboot instead of the uiccboot command, then reading the
 * DM account it configured:
 *
 *   cc poweron.c $(pkg-config --cflags --libs libuiccboot) -o poweron
 *   ./poweron /var/lib/uiccboot/dmtree.db [POLICY [READER]]
 *
 * READER: a reader's index, name or part of it, or at:DEVICE (the card
 * behind a modem); without it the first reader that holds a card.
 * Exits 0 when the card's bootstrap is applied or unchanged, 1 otherwise. */
#include <stdio.h>
#include <string.h>
#include <uiccboot/boot.h>
#include <uiccboot/secret.h>

static void show_account(struct ub_tree *t, const char *acc)
{
	static const char *const leaves[] = {"ServerID", "AppAddr/1/Addr", "AppAuth/1/AAuthName",
					     "AppAuth/1/AAuthSecret"};
	struct ub_tree_node n;
	char uri[1100];
	size_t i;

	printf("account %s\n", acc);
	for (i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++) {
		snprintf(uri, sizeof(uri), "%s/%s", acc, leaves[i]);
		if (ub_tree_get(t, uri, &n))
			continue;
		/* the device itself may read its secrets; it does not print them */
		printf("  %s = %s\n", leaves[i],
		       strstr(leaves[i], "Secret") ? "(a secret)"
		       : n.value		   ? n.value
						   : "");
		ub_tree_node_free(&n);
	}
}

int main(int argc, char **argv)
{
	struct ub_policy *pol = NULL;
	struct ub_boot_config cfg = {0};
	struct ub_boot_result r = {0};
	struct ub_status st = {0};
	struct ub_tree *t;
	size_t i;
	int err;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: poweron TREE [POLICY [READER]]\n");
		return 64;
	}
	/* PINs and keys pass through this process: no core dumps, no ptrace */
	if (ub_secret_harden_process())
		return 70;
	if ((err = ub_policy_open(argc >= 3 ? argv[2] : NULL, &pol, &st))) {
		fprintf(stderr, "poweron: %s [%s]\n", st.what, ub_errname(err));
		return 1;
	}
	cfg.policy = pol;
	cfg.tree = argv[1];
	cfg.reader = argc == 4 ? argv[3] : NULL;
	cfg.wait_ms = 5000; /* a reader and a card may come a little late */
	err = ub_boot_card(&cfg, &r);
	printf("%s: %s", r.reader[0] ? r.reader : "no reader", ub_outcome_name(r.outcome));
	if (r.object)
		printf(" (%s of card %s, %u APDUs)", r.object, r.iccid, r.apdus);
	printf("\n");
	if (err)
		printf("  %s: %s [%s]\n", r.status.where, r.status.what, ub_errname(err));
	for (i = 0; i < r.apply.nrenamed; i++)
		printf("  renamed %s -> %s\n", r.apply.renamed[i].from, r.apply.renamed[i].to);
	for (i = 0; i < r.apply.nremoved; i++)
		printf("  removed %s\n", r.apply.removed[i]);
	if (!err && !ub_tree_open_mode(argv[1], UB_TREE_READ, &t, NULL)) {
		for (i = 0; i < r.apply.naccounts; i++)
			show_account(t, r.apply.accounts[i]);
		ub_tree_close(t);
	}
	ub_boot_result_free(&r);
	ub_policy_close(pol);
	return err ? 1 : 0;
}
