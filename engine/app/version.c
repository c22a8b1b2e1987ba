/*
 * version.c — the engine's version line, with the versions of the libraries it runs on, each
 * asked of the layer that owns the library.
 */
#include "app/version.h"

#include <stdio.h>

#include "evidence/evidence.h"
#include "kaohe_config.h"
#include "lua/sandbox.h"
#include "report/report.h"

const char *kh_version_line(void)
{
    static char line[160];
    snprintf(line, sizeof line, "kaohe %s (%s, SQLite %s, libxlsxwriter %s)", KAOHE_VERSION,
             sandbox_lua_release(), ev_sqlite_version(), report_xlsxwriter_version());
    return line;
}
