/* uiccboot policy check: the policy file read as every command reads it
 * (ub_policy_open), as `sshd -t` checks sshd_config. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static int policy_check(struct ub_cli *cli, int argc, char **argv)
{
	const char *path;
	struct ub_policy *p = NULL;
	struct ub_status st = {0};
	bool exists;
	int c, err;

	while ((c = cli_getopt(cli, argc, argv)) != -1)
		return cli_usage(cli, NULL);
	if ((err = cli_nargs(cli, argc, argv, 0, 1)))
		return err;
	/* FILE, else --policy, else the default (absent: the defaults) */
	path = optind < argc ? argv[optind] : cli->policy;
	exists = path || access(UB_POLICY_DEFAULT, F_OK) == 0 || errno != ENOENT;
	err = ub_policy_open(path, &p, &st);
	json_object_object_add(cli->out, "file",
			       json_object_new_string(path ? path : UB_POLICY_DEFAULT));
	json_object_object_add(cli->out, "exists", json_object_new_boolean(exists));
	json_object_object_add(cli->out, "valid", json_object_new_boolean(!err));
	if (err) {
		cli_fail(cli, &st);
	} else if (!cli->json) {
		if (exists)
			cli_print(stdout, "%s: valid\n", path ? path : UB_POLICY_DEFAULT);
		else
			cli_print(stdout, "%s: absent; the built-in defaults apply\n",
				  UB_POLICY_DEFAULT);
	}
	ub_policy_close(p);
	return err;
}

static const struct ub_cmd policy_cmds[] = {
	{.name = "check",
	 .run = policy_check,
	 .synopsis = "[FILE]",
	 .summary = "check a policy file (default: --policy, else the default file)",
	 .text = "Reads FILE (else --policy's, else " UB_POLICY_DEFAULT ") as every command\n"
		 "reads it: exit 0 when it is valid (or the default file is absent: the built-in\n"
		 "defaults apply), else the error with file:line and [section] key (exit 78;\n"
		 "77 when others may change the file).  See uiccboot-policy(5).",
	 .opts = NULL},
	{.name = NULL},
};

const struct ub_cmd cli_policy_cmd = {
	.name = "policy",
	.summary = "the device owner's policy file: check",
	.subs = policy_cmds,
};
