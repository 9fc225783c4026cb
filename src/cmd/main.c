/* main.c — `relabel COMMAND ...`: finds the command and hands over argv.
 *
 * The command table is the one place that lists every command; `relabel
 * --help` is generated from it.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "sanitize.h"
#include "util.h"
#include "version.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "review", cmd_review, "open the review screen on the flagged examples" },
	{ "scan", cmd_scan, "print the flagged examples, worst label first" },
	{ "stats", cmd_stats, "dataset health: per-class quality, overlaps, joint" },
	{ "decide", cmd_decide, "record one decision in the corrections log" },
	{ "log", cmd_log, "show versions and decisions" },
	{ "diff", cmd_diff, "examples whose label differs between two versions" },
	{ "commit", cmd_commit, "seal the decisions made so far into a version" },
	{ "export", cmd_export, "write the cleaned dataset of a version" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: relabel COMMAND [OPTIONS] DATA.csv\n\n"
		   "Find and fix wrong labels in a labelled dataset.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'relabel COMMAND --help' describes a command's options.\n"
		   "Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n");
}

int main(int argc, char **argv)
{
	util_set_die_writer(san_vfprintf);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		version_print(stdout);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	opterr = 0;   /* getopt would echo argv unescaped; commands report bad options */
	cli_argv = argv + 1;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	san_fprintf(stderr, "relabel: unknown command '%s'\n"
			"Try 'relabel --help'.\n", argv[1]);
	return 2;
}
