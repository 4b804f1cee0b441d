/*
 * export_int: what the C emitters share.  An emitter (one per verb, beside
 * its handler in verb_*.c) writes one record as C through these helpers,
 * which keep the generated program's names and strings right: a socket's
 * C variable, declared once; string literals with every byte escaped; the
 * call line the transcript printed.  For the command language only.
 */
#ifndef SOCKPLAY_EXPORT_INT_H
#define SOCKPLAY_EXPORT_INT_H

#include <stdbool.h>
#include <stdio.h>

#include "lang/export.h"
#include "lang/history.h"

/* What the emitters share: the file, and which variables are declared. */
struct export_ctx {
	FILE *f;
	char **declared;	/* C names of the socket variables declared so far */
	size_t ndeclared, cap;
	bool oom;
};

/*
 * A C identifier for a socket name, one to one: sk_NAME when the name has
 * no '-'; else skh_ with '_' as _1 and '-' as _0, so "a-b" and "a_b" differ.
 */
void export_cname(const char *name, char *buf, size_t len);
/* "int " when the variable is new, else "" (a name used again after close). */
const char *export_declare(struct export_ctx *x, const char *var);
/* A C string literal of len bytes (every control byte escaped, no trigraph). */
void export_cstr_n(FILE *f, const char *text, size_t len);
void export_cstr(FILE *f, const char *text);
/* The call part of the record's call line: "bind(s1, 0.0.0.0:8888)". */
void export_call_part(const struct record *r, char *buf, size_t len);
/* `\tFN("call", ` : the opening most emitters share. */
void export_open_result(struct export_ctx *x, const struct record *r, const char *fn);
/* The C variable of the socket the record was about. */
void export_var(const struct record *r, char *buf, size_t len);
const char *export_family(int family);
const char *export_type(int type);
/* FAMILY, "HOST", PORT of the address the call had (text parsed when the record has none). */
void export_endpoint(FILE *f, const struct record *r, const char *text);
/* result("call", FN(var, FAMILY, "HOST", PORT)); */
void export_addr_call(struct export_ctx *x, const struct record *r, const char *fn);
/* argv[from..] joined with single spaces (malloc'd), as send and sendto send it. */
char *export_joined(const struct record *r, int from);
/* A record that is not exported: a comment, and a line saying so when run. */
void export_none(struct export_ctx *x, const struct record *r);

#endif
