/*
 * cmd_version.c — `kaohe version`.
 */
#include <stdio.h>

#include "app/version.h"
#include "cli/cli.h"

int cmd_version(int argc, char **argv, kh_error *err)
{
    (void)argc;
    (void)argv;
    (void)err;
    puts(kh_version_line());
    return EXIT_OK;
}
