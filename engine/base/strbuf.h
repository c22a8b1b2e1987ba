/*
 * strbuf.h — a growable string, an error slot, and allocation that never returns NULL.
 *
 * The host has one boundary where errors become messages for people (cli/main.c and the Lua
 * module's entry points). Below it, functions return -1 and fill a kh_error whose text already
 * carries the position ("scorecards/x.lua:12: item 3: ..."), so the boundary only prefixes
 * "kaohe: error: ".
 */
#ifndef KAOHE_STRBUF_H
#define KAOHE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
    char *data; /* NUL-terminated once anything was appended; NULL before */
    size_t len;
    size_t cap;
} strbuf;

void sb_append(strbuf *sb, const char *s);
void sb_appendn(strbuf *sb, const char *s, size_t n);
void sb_printf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *sb_str(const strbuf *sb); /* "" when empty */
char *sb_take(strbuf *sb);            /* caller owns the string; sb is reset */
void sb_free(strbuf *sb);

/* Appends the whole file at `path` to sb. Returns 0, or -1 with errno set (the caller names
 * the file in its own message). */
int sb_read_file(strbuf *sb, const char *path);

/* FNV-1a of a NUL-terminated string: the hash of the host's small open-addressing tables. */
uint64_t kh_hash_str(const char *s);

/* The same hash taken on over n more bytes: kh_hash_str(s) is kh_hash_more(KH_HASH_INIT, s,
 * strlen(s)), so a key made of pieces hashes without being put together. */
#define KH_HASH_INIT 1469598103934665603ULL
uint64_t kh_hash_more(uint64_t h, const char *s, size_t n);

typedef struct kh_error {
    char msg[8192];
} kh_error;

void kh_seterr(kh_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Out of memory in the host itself (not in a scorecard, whose allocator is bounded) is not
 * recoverable in any useful way; these abort with a message instead of returning NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* Appends to a dynamic array: *items grows by doubling; returns the new element's index. */
#define KH_PUSH(items, count, cap)                                                                 \
    ((count) == (cap) ? ((cap) = (cap) ? (cap)*2 : 16,                                             \
                         (items) = xrealloc((items), (cap) * sizeof *(items)), (count)++)          \
                      : (count)++)

#endif
