/*
 * home.c — where kaohe's data lives. See home.h.
 */
#include "base/home.h"

#include <stdlib.h>

#include "kaohe_config.h"

const char *kh_home(void)
{
    const char *home = getenv("KAOHE_HOME");
    return home && *home ? home : KAOHE_SOURCE_HOME;
}
