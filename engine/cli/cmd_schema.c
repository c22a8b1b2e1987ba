/*
 * cmd_schema.c — `kaohe schema`: a new, empty evidence database with the bundled schema.
 */
#include <stdio.h>

#include "base/home.h"
#include "cli/cli.h"
#include "evidence/import.h"

int cmd_schema(int argc, char **argv, kh_error *err)
{
    const char *path = NULL;
    if (cli_evidence_only(argc, argv, &path, err) != 0)
        return EXIT_USAGE;
    if (!path) {
        kh_seterr(err, "schema: --evidence DB is required (the database to create)");
        return EXIT_USAGE;
    }
    char schema[4096];
    snprintf(schema, sizeof schema, "%s/fixtures/evidence-schema.sql", kh_home());
    return kh_schema_create(path, schema, err) == 0 ? EXIT_OK : EXIT_FAILED;
}
