/* cmd_decide.c — `relabel decide`. Not written yet: it exits 1 and says so. */
#include <stdio.h>

#include "commands.h"

int cmd_decide(int argc, char **argv)
{
	(void)argc;
	fprintf(stderr, "relabel: '%s' is not available in this build yet\n", argv[0]);
	return 1;
}
