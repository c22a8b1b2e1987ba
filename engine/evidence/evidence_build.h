/*
 * evidence_build.h — creates an evidence database from SQL files (the schema, then fixtures).
 * For tests and hand-made fixtures only: scorecards never write evidence, and real evidence
 * arrives through import. Writes to a temporary name and renames on success, so a fixture with
 * an error leaves nothing behind.
 */
#ifndef KAOHE_EVIDENCE_BUILD_H
#define KAOHE_EVIDENCE_BUILD_H

#include <stddef.h>

#include "base/strbuf.h"

int ev_build(const char *path, const char *const *sql_files, size_t n, kh_error *err);

/* Row by row, for tests written as Lua tables (scripts/kaohe/testing.lua): creates `path`
 * from the schema file, inserts rows with bound values, and renames into place on commit. */
#include "evidence/evidence.h"

typedef struct ev_writer ev_writer;

ev_writer *ev_writer_open(const char *path, const char *schema_file, kh_error *err);
/* The schema's tables in creation order (parents before children), NULL-terminated. */
const char *const *ev_writer_tables(ev_writer *w);
int ev_writer_insert(ev_writer *w, const char *table, size_t ncols, const char *const *cols,
                     const kh_value *vals, kh_error *err);
int ev_writer_commit(ev_writer *w, kh_error *err); /* frees w */
void ev_writer_abort(ev_writer *w);                /* frees w, removes the file */

#endif
