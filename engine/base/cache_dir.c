/*
 * cache_dir.c — the cache directory kaohe's optional caches share. See cache_dir.h.
 */
#include "base/cache_dir.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

int kh_cache_dir(strbuf *sb, const char *what, int mkdir_too)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        sb_printf(sb, "%s", xdg);
    else if (home && *home)
        sb_printf(sb, "%s/.cache", home);
    else
        return -1;
    for (int i = 0; i < 3; i++) { /* the base, kaohe/, then what/ */
        if (i == 1)
            sb_append(sb, "/kaohe");
        else if (i == 2)
            sb_printf(sb, "/%s", what);
        if (mkdir_too && mkdir(sb_str(sb), 0700) != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}
