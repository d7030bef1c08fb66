#ifndef MKCSR_COMMANDS_H
#define MKCSR_COMMANDS_H

/*
 * One function per verb, each in its own cmd_<verb>.c.  argv[0] is the verb
 * (or the program, for options without a verb) and is not read.
 */

int cmd_new(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_pfx(int argc, char **argv);
int cmd_templates(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_batch(int argc, char **argv);
int cmd_probe(int argc, char **argv);

#endif
