/*
 * sets_internal.h — an image of shared sets between evidence/sets.c (which takes it from a
 * connection's TEMP schema and publishes it) and evidence/sets_merge.c (which combines the
 * images that several connections made into one). For the files of evidence/ only.
 */
#ifndef KAOHE_EV_SETS_INTERNAL_H
#define KAOHE_EV_SETS_INTERNAL_H

#include <sqlite3.h>
#include <stddef.h>

#include "evidence/sets.h"

struct ev_sets_image {
    unsigned char *data; /* an SQLite database image, sqlite3_malloc'd */
    sqlite3_int64 size;
};

/* One image holding every table and index of images[0..n) in out. The images stay the
 * caller's to free, but their data may have been taken over (then NULL). 0, or -1 with err. */
int ev_sets_merge(ev_sets_image **images, size_t n, ev_sets_image *out, kh_error *err);

#endif
