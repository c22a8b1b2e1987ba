/*
 * app_internal.h — helpers shared by the commands of app/ (run and merge), not part of the
 * engine's interface.
 */
#ifndef KAOHE_APP_INTERNAL_H
#define KAOHE_APP_INTERNAL_H

#include <stdio.h>

#include "core/eval.h"
#include "core/manifest.h"
#include "lua/sandbox.h"
#include "store/results.h"

/* Writes the workbook of the run just added to the results transaction, its deductions (and a
 * merge's streamed scores) read back from the transaction rather than from memory: the store
 * gives the read-back sources, the report reads them. */
int app_report_from_store(results_tx *tx, int64_t run_id, const char *path, const char *display,
                          const kh_manifest *m, scorecard **scs, size_t nsc, kh_results *r,
                          kh_error *err);

/* Loads the scorecards `paths` (every problem of every file reported at once; two files with
 * one id refused). On success *out holds n scorecards, each to be freed with scorecard_free,
 * and the array with free. 0, or -1 with err. (lua/loader.h's sc_loader.) */
struct sc_loader;
/* Loads one scorecard in a Lua state of its own (its own memory ceiling, instruction budget
 * and time limit, from `limits`, NULL: the defaults), under a watchdog; see run.c. */
int app_load_one(const sandbox_limits *limits, const char *path, scorecard **out, kh_error *err);

int app_load_scorecards(const sandbox_limits *limits, const char *const *paths, size_t n,
                        scorecard ***out, kh_error *err);

/* 整改完成时限 into m->deadline: `given` (--deadline) read as a date people type and written
 * YYYY-MM-DD, or by default 31 March of the year after `period`. 0, or -1 with err. */
int app_deadline(const char *given, const char *period, kh_manifest *m, kh_error *err);

/* A CSV text field: quoted, with quotes doubled; unless raw, a text starting with = + - @ tab
 * or CR (a formula to Excel and WPS) has an apostrophe put before it (export.c). */
void app_csv_field(FILE *f, const char *s, int raw);

/* app_csv_field for people: protected (the 问责名单's CSV, export's header). */
void app_csv_text(FILE *f, const char *s);

#endif
