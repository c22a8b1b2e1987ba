/*
 * evidence_build.h — creates an evidence database from SQL files (the schema, then fixtures).
 * For tests and hand-made fixtures only: scorecards never write evidence, and real evidence
 * arrives through import. Writes to a temporary name and renames on success, so a fixture with
 * an error leaves nothing behind.
 */
#ifndef KAOHE_EVIDENCE_BUILD_H
#define KAOHE_EVIDENCE_BUILD_H

#include <stddef.h>

#include "strbuf.h"

int ev_build(const char *path, const char *const *sql_files, size_t n, kh_error *err);

#endif
