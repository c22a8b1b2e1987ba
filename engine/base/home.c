/*
 * home.c — where kaohe's data lives. See home.h.
 *
 * An installed kaohe must work from any directory after the source and build trees are gone,
 * and from a copy of its prefix moved elsewhere: so the data is looked up relative to the
 * binary itself (bin/ → share/kaohe, the relative path CMake computed from GNUInstallDirs),
 * and for the Lua module relative to kaohe.so. The build tree's binary finds none there and
 * falls back to the source tree it was built from, as it always did.
 */
#define _GNU_SOURCE /* dladdr */
#include "base/home.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kaohe_config.h"

/* The file every home has: the scorecard language. */
#define KH_HOME_MARK "scripts/kaohe/dsl.lua"

static char found_home[PATH_MAX];
static pthread_once_t found_once = PTHREAD_ONCE_INIT;

/* If DIR(image)/rel holds the language, its canonical path into found_home; 1 if so. */
static int try_beside(const char *image, const char *rel)
{
    char path[PATH_MAX], real[PATH_MAX];
    const char *slash = strrchr(image, '/');
    if (!slash || image[0] != '/')
        return 0;
    int n = snprintf(path, sizeof path, "%.*s/%s/" KH_HOME_MARK, (int)(slash - image), image, rel);
    if (n <= 0 || (size_t)n >= sizeof path || access(path, R_OK) != 0)
        return 0;
    path[n - sizeof KH_HOME_MARK] = '\0'; /* cut "/scripts/kaohe/dsl.lua" */
    if (!realpath(path, real))
        return 0;
    snprintf(found_home, sizeof found_home, "%s", real);
    return 1;
}

static int has_language(const char *home)
{
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/" KH_HOME_MARK, home);
    return n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0;
}

/* Once per process: beside the binary, beside the Lua module, the source tree, the install
 * prefix it was configured for (named in the error if none of them has the language). */
static void find_home(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    if (try_beside(exe, KAOHE_BIN_TO_HOME))
        return;
    Dl_info info;
    if (dladdr((void *)kh_home, &info) && info.dli_fname && strcmp(info.dli_fname, exe) != 0 &&
        try_beside(info.dli_fname, KAOHE_LUAMOD_TO_HOME))
        return;
    const char *home = has_language(KAOHE_SOURCE_HOME) ? KAOHE_SOURCE_HOME : KAOHE_INSTALL_HOME;
    snprintf(found_home, sizeof found_home, "%s", home);
}

const char *kh_home(void)
{
    const char *home = getenv("KAOHE_HOME");
    if (home && *home)
        return home;
    pthread_once(&found_once, find_home);
    return found_home;
}
