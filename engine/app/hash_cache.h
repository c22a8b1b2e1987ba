/*
 * hash_cache.h — the evidence's content hash for `kaohe run`, reused from a cache while the
 * evidence FILE has not changed (issue 19 item 3). The argument for why that is sound, and
 * what it does not cover, is at the top of hash_cache.c. `kaohe hash`, `reproduce` and
 * `explain` never use it: they call ev_content_hash themselves.
 */
#ifndef KAOHE_APP_HASH_CACHE_H
#define KAOHE_APP_HASH_CACHE_H

#include "base/strbuf.h"
#include "evidence/evidence.h"

typedef struct app_hash_how {
    int reused;     /* 1: the per-table hashes came from the cache; 0: computed now */
    char note[200]; /* why, for --verbose: "cache entry written", "-wal beside the file", ... */
} app_hash_how;

/* The content hash of the evidence at path into out (ev_content_hash's, table for table):
 * from the cache when use_cache, $KAOHE_NO_HASH_CACHE is unset or "0", and an entry for this
 * very file exists; else computed, and kept for the next run when the file qualifies. Every
 * fault of the cache (no $HOME, unwritable, damaged entry) means "compute", never an error.
 * 0, or -1 with err (the evidence could not be opened or read). */
int app_evidence_hash(const char *path, int use_cache, ev_hash *out, app_hash_how *how,
                      kh_error *err);

#endif
