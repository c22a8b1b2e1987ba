/*
 * schema_check.h — what `kaohe check` asks of the evidence layer: an evidence connection on
 * the bundled schema alone (so that check needs no evidence database at all), and the result
 * columns of a scorecard query, prepared and bound but never run.
 */
#ifndef KAOHE_SCHEMA_CHECK_H
#define KAOHE_SCHEMA_CHECK_H

#include <stddef.h>

#include "base/strbuf.h"
#include "evidence/evidence.h"

/* An empty evidence database in memory, made from the schema file (fixtures/evidence-schema.sql)
 * and then given every defence of ev_open: read-only, the authorizer, the step budget. Queries
 * prepare against it exactly as against a real evidence database of that schema. */
evidence *ev_open_schema(const char *schema_file, kh_error *err);

/* The names of a query's result columns, in order. */
typedef struct ev_columns {
    char **names;
    size_t n;
} ev_columns;

/* Prepares `sql` and binds `params` as ev_query does (the same refusals and messages, prefixed
 * by `where`), reads the names of its result columns into `out` and runs nothing. */
int ev_columns_of(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
                  const char *where, ev_columns *out, kh_error *err);

/* The index of the column `name` (exact, as ev_colindex compares), or -1. */
int ev_columns_find(const ev_columns *c, const char *name);

void ev_columns_free(ev_columns *c);

#endif
