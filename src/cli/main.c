/* uiccboot: the command line's entry point and its list of commands;
 * cli.c parses, dispatches and prints. */
#include <stddef.h>

#include "cli.h"

/* The commands, in the order of the help. */
static const struct ub_cmd *const commands[] = {
	&cli_readers_cmd,   &cli_info_cmd,    &cli_auth_cmd,   &cli_gba_cmd,
	&cli_bootstrap_cmd, &cli_push_cmd,    &cli_sms_cmd,    &cli_tree_cmd,
	&cli_lwm2m_cmd,	    &cli_factory_cmd, &cli_policy_cmd,
};

int main(int argc, char **argv)
{
	return cli_main(commands, sizeof(commands) / sizeof(commands[0]), argc, argv);
}
