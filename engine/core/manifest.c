/*
 * manifest.c — start time and command line of a run.
 */
#include "core/manifest.h"

#include <stdlib.h>
#include <string.h>

#include "kaohe_config.h"

void manifest_init(kh_manifest *m, int argc, char **argv)
{
    memset(m, 0, sizeof *m);
    const char *fixed = getenv("KAOHE_RUN_TIME");
    m->started = fixed && *fixed ? (time_t)strtoll(fixed, NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&m->started, &tm);
    strftime(m->started_at, sizeof m->started_at, "%Y-%m-%dT%H:%M:%SZ", &tm);
    m->engine_version = KAOHE_VERSION;
    strbuf sb = {0};
    for (int i = 0; i < argc; i++) {
        int plain = argv[i][0] != '\0' && strpbrk(argv[i], " \t'\"\\$") == NULL;
        if (i)
            sb_append(&sb, " ");
        if (plain) {
            sb_append(&sb, argv[i]);
        } else {
            sb_append(&sb, "'");
            for (const char *p = argv[i]; *p; p++)
                sb_append(&sb, *p == '\'' ? "'\\''" : (char[]){*p, 0});
            sb_append(&sb, "'");
        }
    }
    m->command_line = sb_take(&sb);
}

void manifest_free(kh_manifest *m)
{
    ev_hash_free(&m->evidence);
    free(m->language_path);
    free(m->owned_evidence_path);
    for (size_t i = 0; i < m->nimports; i++)
        for (int k = 0; k < KH_IMPORT_FIELDS; k++)
            free(m->imports[i][k]);
    free(m->imports);
    free(m->command_line);
}
