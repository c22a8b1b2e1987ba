/*
 * manifest.h — what exactly was run on what exactly: the record that makes a run reproducible.
 * It is stored in the results database and printed in the workbook's 运行信息 sheet.
 */
#ifndef KAOHE_MANIFEST_H
#define KAOHE_MANIFEST_H

#include <stdint.h>
#include <time.h>

#include "core/scorecard.h"
#include "evidence/evidence.h"

enum { KH_IMPORT_FIELDS = 7 };

typedef struct kh_manifest {
    time_t started;
    char started_at[32]; /* ISO 8601, UTC */
    const char *engine_version;
    const char *period;
    const char *params; /* as applied: "scorecard.param=value; ..." */
    const char *evidence_path;
    ev_hash evidence;
    /* 1: `evidence`'s table hashes were reused from the cache for this unchanged file
     * (app/hash_cache.h), 0: computed by this run; recorded and printed for the auditor */
    int evidence_hash_reused;
    char *language_path; /* owned */
    char *
        owned_evidence_path; /* a merged run's list of shard evidence (evidence_path points here) */
    size_t nparts;           /* a merged run: how many parts (shards); 0 for a run of its own */
    char language_sha256[65];
    char *command_line;
    char deadline[32]; /* 整改完成时限 for the ledger, YYYY-MM-DD */
    /* the imports the evidence rests on (import_log), each as its columns' text:
     * file, sha256, table, rows_read, accepted, rejected, imported_at */
    char *(*imports)[KH_IMPORT_FIELDS];
    size_t nimports;
    int64_t run_id; /* the run's number in the results database (运行信息); 0: none written */
    /* the forms' print layout: 1 (run --one-form-per-page) one form a page, for offices that
     * file one per subject; 0 as many whole forms a page as fit */
    int one_form_per_page;
} kh_manifest;

/* Sets the start time (KAOHE_RUN_TIME, seconds since the epoch, overrides the clock so a
 * reproduced run can carry the original time) and the command line. */
void manifest_init(kh_manifest *m, int argc, char **argv);
void manifest_free(kh_manifest *m);

#endif
