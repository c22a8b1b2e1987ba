/*
 * version.c — the engine's version line, with the versions of the libraries it runs on. The
 * one file outside their modules that names lua.h, sqlite3.h and xlsxwriter.h, and only for
 * their version strings.
 */
#include <lua.h>
#include <sqlite3.h>
#include <stdio.h>
#include <xlsxwriter.h>

#include "kaohe_config.h"
#include "version.h"

const char *kh_version_line(void)
{
    static char line[160];
    snprintf(line, sizeof line, "kaohe %s (%s, SQLite %s, libxlsxwriter %s)", KAOHE_VERSION,
             LUA_RELEASE, sqlite3_libversion(), LXW_VERSION);
    return line;
}
