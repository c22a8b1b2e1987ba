/*
 * cache_dir.c — the cache directory kaohe's optional caches share. See cache_dir.h.
 */
#include "base/cache_dir.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

/* The directory sb names made, when mkdir_too and it is not there: 0, or -1. */
static int made(const strbuf *sb, int mkdir_too)
{
    return mkdir_too && mkdir(sb_str(sb), 0700) != 0 && errno != EEXIST ? -1 : 0;
}

int kh_cache_dir(strbuf *sb, const char *what, int mkdir_too)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        sb_printf(sb, "%s", xdg);
    else if (home && *home)
        sb_printf(sb, "%s/.cache", home);
    else
        return -1;
    if (made(sb, mkdir_too) != 0)
        return -1;
    sb_append(sb, "/kaohe");
    if (made(sb, mkdir_too) != 0)
        return -1;
    sb_printf(sb, "/%s", what);
    return made(sb, mkdir_too);
}
