/*
 * cmd_hash.c — `kaohe hash`: the evidence database's content hash, table by table, as a run
 * records it. The database is named by --evidence or KAOHE_EVIDENCE, as for run: a hash of the
 * bundled demo database, taken silently, would be compared with a run's and mislead.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "evidence/evidence.h"

int cmd_hash(int argc, char **argv, kh_error *err)
{
    const char *path = NULL;
    if (cli_evidence_only(argc, argv, &path, err) != 0)
        return EXIT_USAGE;
    const char *env = getenv("KAOHE_EVIDENCE");
    if (!path && env && *env)
        path = env;
    if (!path) {
        kh_seterr(err, "hash: no evidence given: --evidence DB (or KAOHE_EVIDENCE) is required");
        return EXIT_USAGE;
    }
    evidence *ev = ev_open(path, err);
    if (!ev)
        return EXIT_FAILED;
    ev_hash h;
    int rc = ev_content_hash(ev, &h, err);
    ev_close(ev);
    if (rc != 0)
        return EXIT_FAILED;
    for (size_t i = 0; i < h.count; i++)
        printf("%s\t%lld\t%s\n", h.tables[i].table, (long long)h.tables[i].rows,
               h.tables[i].sha256);
    printf("evidence\t-\t%s\n", h.sha256);
    ev_hash_free(&h);
    return EXIT_OK;
}
