/*
 * grade: --grade, a lesson played unattended with one student's answers,
 * judged by the stepper as the screen judges a class, and the result
 * written for a course system: JSON, CSV or JUnit XML.
 *
 * The answers are a text file from the student, so untrusted: at most
 * GRADE_FILE_MAX bytes and GRADE_ANSWERS_MAX answers, one per line in the
 * order the lesson asks (blank lines and # comments skipped), each a
 * choice's number or its words ("EADDRINUSE", "ok", "2", a label);
 * anything else, or no answer at all, is judged wrong and said so.  Every
 * text that reaches the result (the lesson's, the student's) is cleaned of
 * control bytes and invalid UTF-8 and escaped for its format.
 */
#ifndef SOCKPLAY_GRADE_H
#define SOCKPLAY_GRADE_H

#include <stdbool.h>
#include <stdio.h>

#include "run/lesson.h"
#include "run/runner.h"

#define GRADE_FILE_MAX (64 * 1024)
#define GRADE_ANSWERS_MAX 1000

enum grade_format { GRADE_JSON, GRADE_CSV, GRADE_JUNIT };

/*
 * The format a results path asks for: by its ending (.json, .csv, .xml),
 * JSON for "-" or anything else.
 */
enum grade_format grade_format_of(const char *path);

/*
 * Play l with the answers in answers_path; write the result to results
 * ("-": standard output) in its format, created or replaced, never through
 * a symbolic link.  student: an identifier to carry into the result (may
 * be NULL).  Returns the exit status: 0 every answer right, 1 one or more
 * wrong, 2 the grading could not be done (the answers unreadable or too
 * big, the lesson not playable here, its own expectations not holding on
 * this kernel); errors go to errout in one line.
 */
/* A JSON string, escaped; a CSV cell, quoted, a formula's first byte guarded (the class's results use them too). */
void grade_json_str(FILE *f, const char *s);
void grade_csv_cell(FILE *f, const char *s, bool last);

int lesson_grade(struct runner *run, const struct lesson *l, const char *lang, const char *answers_path,
		 const char *results, const char *student, FILE *errout);

#endif
