/*
 * shards.h — a run over several evidence databases (one per county: the shards of a province)
 * on one machine: each shard is run on its own by a pool of worker threads, each with its own
 * Lua state and its own read-only connection (kh_run shares nothing mutable), into a results
 * database of its own; the parts are then merged (merge.h) into one run and one workbook.
 * Across machines, a batch scheduler runs `kaohe run` per shard and `kaohe merge` at the end:
 * the same two steps.
 */
#ifndef KAOHE_SHARDS_H
#define KAOHE_SHARDS_H

#include "app/run.h"

/* Evidence paths: files, or directories whose *.db files are taken in name order. Returns
 * the list (owned; free each and the array), or NULL with err set. */
char **kh_shard_list(const char *const *given, size_t n, size_t *count, kh_error *err);

/* Runs opt over every shard with `jobs` workers and merges. opt->evidence_path is ignored.
 * Progress, when asked for, is reported per shard finished. */
int kh_run_shards(const kh_run_options *opt, char *const *shards, size_t nshards, int jobs,
                  kh_run_outcome *out, kh_error *err);

#endif
