/*
 * lesson_check: the lesson front ends without a screen.
 * lessons_list prints number, name, title and [sandbox] for one language.
 * lessons_check runs lessons unattended (both languages unless lang is
 * given; only the named or numbered ones when names are given) through the
 * stepper the screen plays them with, each from a clean table
 * (stepper_begin: a fresh namespace in the sandbox), and reports per lesson
 * which expectations held.  Both return an exit status: 0, 1 when a lesson
 * failed, 2 when no lessons were found.
 */
#ifndef SOCKPLAY_LESSON_CHECK_H
#define SOCKPLAY_LESSON_CHECK_H

#include <stdio.h>

#include "run/runner.h"

int lessons_list(FILE *out, FILE *errout, const char *lang);
int lessons_check(struct runner *run, const char *lang, char *const *names, int nnames,
		  FILE *out, FILE *errout);

#endif
