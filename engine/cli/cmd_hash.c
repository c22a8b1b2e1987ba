/*
 * cmd_hash.c — `kaohe hash`: the evidence database's content hash, table by table, as a run
 * records it.
 */
#include <stdio.h>

#include "app/run.h"
#include "cli/cli.h"
#include "evidence/evidence.h"

int cmd_hash(int argc, char **argv, kh_error *err)
{
    const char *path = NULL;
    if (cli_evidence_only(argc, argv, &path, err) != 0)
        return EXIT_USAGE;
    evidence *ev = ev_open(path ? path : kh_default_evidence(), err);
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
