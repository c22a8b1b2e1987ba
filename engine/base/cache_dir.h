/*
 * cache_dir.h — where kaohe keeps what it may forget: $XDG_CACHE_HOME/kaohe/<what> (else
 * $HOME/.cache/kaohe/<what>). Used by the items' cost estimates (app/item_cost.c) and the
 * evidence hash cache (app/hash_cache.c); both treat a missing directory as "no cache".
 */
#ifndef KAOHE_CACHE_DIR_H
#define KAOHE_CACHE_DIR_H

#include "base/strbuf.h"

/* Appends the cache directory for `what` (one path component, e.g. "item-cost") to sb, made
 * with its parents (mode 0700) when mkdir_too. 0, or -1 when there is none: neither variable
 * set, or a directory that could not be made. Never an error message: a cache is optional. */
int kh_cache_dir(strbuf *sb, const char *what, int mkdir_too);

#endif
