/*
 * fuzz_common.h — a small evidence database the fuzz targets share: the schema and a county,
 * two townships, villages and households, created once per process in a temporary directory.
 */
#ifndef KAOHE_FUZZ_COMMON_H
#define KAOHE_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/evidence_build.h"
#include "app/run.h"

static char fuzz_dir[256];

/* A path in the fuzz directory. Each call returns its own copy (kept for the process's life:
 * the targets ask for a handful of names), so one path never overwrites another. */
static inline const char *fuzz_path(const char *name)
{
    static char paths[8][512];
    static int next;
    char *path = paths[next++ % 8];
    snprintf(path, 512, "%s/%s", fuzz_dir, name);
    return path;
}

/* Creates $TMPDIR/kaohe-fuzz-PID/evidence.db once. */
static inline const char *fuzz_evidence(void)
{
    static int done;
    static char db[512];
    if (!done) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/kaohe-fuzz-%ld", (long)getpid());
        char cmd[600];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", fuzz_dir);
        if (system(cmd) != 0)
            abort();
        char schema[4096], fixture[4096];
        snprintf(schema, sizeof schema, "%s/fixtures/evidence-schema.sql", kh_home());
        snprintf(fixture, sizeof fixture, "%s/fixtures/small/post_assessment.sql", kh_home());
        const char *files[] = {schema, fixture};
        kh_error err;
        snprintf(db, sizeof db, "%s", fuzz_path("evidence.db"));
        if (ev_build(db, files, 2, &err) != 0) {
            fprintf(stderr, "fuzz: %s\n", err.msg);
            abort();
        }
        done = 1;
    }
    return db;
}

static inline void fuzz_write(const char *path, const unsigned char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
}

#endif
