/* A DM client's view of the tree that uiccboot fills, through libuiccboot:
 *
 *   cc dmclient.c $(pkg-config --cflags --libs libuiccboot) -o dmclient
 *   ./dmclient /var/lib/uiccboot/dmtree.db operator-dm
 *
 * Lists the accounts, then reads ServerID and changes Name as the given
 * ServerID, under the ACLs in the tree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uiccboot/secret.h>
#include <uiccboot/tree.h>
#include <uiccboot/ub_error.h>

static void show(const char *name, void *arg)
{
	(void)arg;
	printf("account %s\n", name);
}

int main(int argc, char **argv)
{
	struct ub_tree *t;
	struct ub_tree_node n;
	struct ub_status st;
	char uri[1100];
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: dmclient TREE SERVERID ACCOUNT\n");
		return 64;
	}
	/* it holds the accounts' secrets: no core dumps, no ptrace */
	if (ub_secret_harden_process())
		return 70;
	/* the tree must be there (a mistyped path is not a new, empty tree);
	 * WRITE: the client replaces values as its servers ask */
	if ((err = ub_tree_open_mode(argv[1], UB_TREE_WRITE, &t, &st))) {
		fprintf(stderr, "dmclient: %s [%s]\n", st.what, ub_errname(err));
		return 1;
	}
	ub_tree_list(t, "./DMAcc", show, NULL);
	snprintf(uri, sizeof(uri), "./DMAcc/%s/ServerID", argv[3]);
	err = ub_tree_get_as(t, argv[2], uri, &n);
	if (!err) {
		printf("get %s = %s\n", uri, n.value ? n.value : "");
		ub_tree_node_free(&n);
	} else {
		printf("get %s: %s\n", uri, ub_errname(err));
	}
	snprintf(uri, sizeof(uri), "./DMAcc/%s/Name", argv[3]);
	err = ub_tree_replace_as(t, argv[2], uri, "renamed by its server");
	printf("replace %s: %s\n", uri, err ? ub_errname(err) : "ok");
	ub_tree_close(t);
	return 0;
}
