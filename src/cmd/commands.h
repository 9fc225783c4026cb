/* commands.h — one entry point per `relabel COMMAND`, each in cmd_*.c.
 *
 * A command gets argv with argv[0] = the command's name and returns the
 * process exit status: 0 success, 1 runtime failure, 2 bad usage or input.
 */
#ifndef RELABEL_COMMANDS_H
#define RELABEL_COMMANDS_H

int cmd_scan(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_decide(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_commit(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif
