/*
 * ev_printf.c — SQL printf() and format() for scorecard queries, with width and precision
 * bounded (issue 18 item 2).
 *
 * SQLite's printf takes its width and precision from the format or from arguments (`*`), up
 * to 2^31: printf('%.*c', 2147483647, 'x') builds a string as long as SQLITE_LIMIT_LENGTH
 * allows (16 MB here) for every row, and a per-case query over many rows spends minutes and
 * gigabytes on it. The evidence connection overrides both names with a function that reads
 * the format first — every width and precision, literal or `*`, at most EV_PRINTF_MAX — and
 * refuses a call past it with a message; a call within it is formatted by SQLite's own printf
 * on a private in-memory connection, so every output is byte for byte SQLite's.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_open_internal.h"

/* The widest width or precision a scorecard query may ask of printf. A cell of a form holds a
 * few dozen characters; 1000 leaves room for any padding or decimals a reason needs. */
#define EV_PRINTF_MAX 1000
/* Statements cached by argument count (printf with more arguments is prepared each time). */
#define CACHED_ARITY 16

typedef struct ev_printf {
    sqlite3 *aux;                             /* where SQLite's own printf runs */
    sqlite3_stmt *by_arity[CACHED_ARITY + 1]; /* "SELECT printf(?1, …, ?n)" */
} ev_printf;

/* The integer value of argument i, or 0 when there is none (as SQLite's printf takes it). */
static sqlite3_int64 int_arg(int argc, sqlite3_value **argv, int i)
{
    return i < argc ? sqlite3_value_int64(argv[i]) : 0;
}

/* Reads a width or precision at *f: digits, or `*` taking the next argument. */
static sqlite3_int64 read_count(const char **f, int argc, sqlite3_value **argv, int *next)
{
    if (**f == '*') {
        (*f)++;
        sqlite3_int64 v = int_arg(argc, argv, (*next)++);
        return v < 0 ? -v : v; /* a negative width left-justifies: its size counts */
    }
    sqlite3_int64 v = 0;
    while (**f >= '0' && **f <= '9') {
        if (v < 1000000000000LL) /* saturates: any such width is refused anyway */
            v = v * 10 + (**f - '0');
        (*f)++;
    }
    return v;
}

/* The largest width or precision the format asks for (arguments after the format start at
 * index 1). */
static sqlite3_int64 widest(const char *f, int argc, sqlite3_value **argv)
{
    sqlite3_int64 most = 0;
    int next = 1;
    while (f && *f) {
        if (*f++ != '%')
            continue;
        while (*f && strchr("-+ #!0,", *f))
            f++;
        sqlite3_int64 w = read_count(&f, argc, argv, &next);
        sqlite3_int64 p = 0;
        if (*f == '.') {
            f++;
            p = read_count(&f, argc, argv, &next);
        }
        most = w > most ? w : most;
        most = p > most ? p : most;
        while (*f == 'l')
            f++;
        if (*f && *f++ != '%')
            next++; /* the conversion takes an argument */
    }
    return most;
}

/* The statement that formats n arguments on the private connection (cached up to
 * CACHED_ARITY; *owned set when the caller must finalize it). */
static sqlite3_stmt *statement(ev_printf *p, int n, int *owned)
{
    *owned = n > CACHED_ARITY;
    if (!*owned && p->by_arity[n])
        return p->by_arity[n];
    char sql[32 + 8 * 128];
    size_t len = (size_t)snprintf(sql, 32, "SELECT printf(");
    for (int i = 1; i <= n && len < sizeof sql - 16; i++)
        len += (size_t)snprintf(sql + len, sizeof sql - len, "%s?%d", i > 1 ? "," : "", i);
    snprintf(sql + len, sizeof sql - len, ")");
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(p->aux, sql, -1, &st, NULL) != SQLITE_OK)
        return NULL;
    if (!*owned)
        p->by_arity[n] = st;
    return st;
}

static void bounded_printf(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    ev_printf *p = sqlite3_user_data(ctx);
    if (argc < 1)
        return; /* NULL, as SQLite's */
    const char *f = (const char *)sqlite3_value_text(argv[0]);
    sqlite3_int64 w = widest(f, argc, argv);
    if (w > EV_PRINTF_MAX) {
        char msg[160];
        snprintf(msg, sizeof msg,
                 "printf/format: a width or precision of %lld is larger than %d (the most a "
                 "scorecard query may ask for)",
                 (long long)w, EV_PRINTF_MAX);
        sqlite3_result_error(ctx, msg, -1);
        return;
    }
    int owned = 0;
    sqlite3_stmt *st = argc <= 128 ? statement(p, argc, &owned) : NULL;
    if (!st) {
        sqlite3_result_error(ctx, "printf/format: too many arguments", -1);
        return;
    }
    for (int i = 0; i < argc; i++)
        sqlite3_bind_value(st, i + 1, argv[i]);
    if (sqlite3_step(st) == SQLITE_ROW)
        sqlite3_result_value(ctx, sqlite3_column_value(st, 0));
    else
        sqlite3_result_error(ctx, sqlite3_errmsg(p->aux), -1);
    if (owned)
        sqlite3_finalize(st);
    else
        sqlite3_reset(st);
}

static void free_printf(void *ud)
{
    ev_printf *p = ud;
    for (int i = 0; i <= CACHED_ARITY; i++)
        sqlite3_finalize(p->by_arity[i]);
    sqlite3_close(p->aux);
    free(p);
}

int ev_register_printf(sqlite3 *db)
{
    ev_printf *p = xcalloc(1, sizeof *p);
    int rc =
        sqlite3_open_v2(":memory:", &p->aux, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(p->aux);
        free(p);
        return rc;
    }
    sqlite3_limit(p->aux, SQLITE_LIMIT_LENGTH, sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1));
    /* printf owns p (its destructor frees it); format shares it */
    rc = sqlite3_create_function_v2(db, "printf", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, p,
                                    bounded_printf, NULL, NULL, free_printf);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "format", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, p,
                                        bounded_printf, NULL, NULL, NULL);
    return rc;
}
