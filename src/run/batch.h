/*
 * batch: run a script of the command language without a screen.
 *
 * The transcript goes to `out`; errors in the script (FILE:LINE: message)
 * and failed expectations go to `errout` as well.  A script read from a
 * file is parsed whole first and refused, unrun, if any line is malformed;
 * standard input ("-") runs line by line so a person can type at it.
 *
 * Exit status, as DESIGN.md fixes it: 0 when every expectation held, 1 when
 * one did not, 2 on a usage or parse error.
 */
#ifndef SOCKPLAY_BATCH_H
#define SOCKPLAY_BATCH_H

#include <stdio.h>

#include "run/runner.h"

struct batch_stats {
	unsigned commands, expectations, failed;
};

/*
 * Run path ("-" for in) through run; the batch's sink is pushed on the
 * runner for the run.  Returns the exit status.
 */
int batch_run(struct runner *run, const char *path, FILE *in, FILE *out, FILE *errout,
	      struct batch_stats *st);

#endif
