/*
 * cmd_version.c — `kaohe version`.
 */
#include <stdio.h>

#include "app/version.h"
#include "cli/cli.h"

int cmd_version(int argc, char **argv, kh_error *err)
{
    if (argc > 1) {
        kh_seterr(err, "version: unknown argument '%s'", argv[1]);
        return EXIT_USAGE;
    }
    puts(kh_version_line());
    return EXIT_OK;
}
