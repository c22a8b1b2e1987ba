/*
 * hash_cache.c — the evidence's per-table content hashes kept between runs, keyed on the
 * evidence file's identity, so a repeated `kaohe run` on unchanged evidence does not read every
 * row again (issue 19 item 3; bench/README.md "The content hash").
 *
 * Why a reused hash is the hash of the file the run read ("racy clean", as git's index):
 *
 * - The key is the file's realpath, device, inode, size, mtime and ctime (ns), SQLite's header
 *   "file change counter" (offset 24) and "schema cookie" (offset 40), the engine version and
 *   EV_HASH_VERSION. Any write to the file through the file system sets its ctime to the
 *   current time, and no user program can set ctime back (utimensat sets mtime and atime only,
 *   and itself sets ctime to now). Replacing the file (cp, rename, restore from a backup) gives
 *   another inode or at least a new ctime. So a file changed in any way after its entry was
 *   written has another key and misses the cache.
 * - An entry is written only when the file's mtime and ctime are more than 2 s older than the
 *   moment hashing began. A file system stamps times with a coarse clock; a write landing in
 *   the same tick as the stat taken before hashing, after it, could otherwise leave mtime and
 *   ctime unchanged and the entry would describe bytes the hash never saw. Two seconds exceed
 *   any timestamp granularity kaohe will meet (FAT's 2 s included). The file is also stat'ed
 *   again after hashing, and its header read again: any difference and nothing is kept.
 * - Never with a -wal, -shm or -journal file beside it: the database's content is then not the
 *   file's alone (a WAL's frames change what is read without touching the main file).
 *
 * What it does NOT protect against: someone who can set the system clock (root) changing the
 * file, setting the clock back and restoring size and mtime can reproduce the old ctime; and
 * someone who can write the user's cache directory can plant an entry. Both need more than
 * write access to the evidence. `kaohe hash` and `kaohe reproduce` never use the cache — an
 * auditor's proof never rests on it, and reproduce recomputing is what exposes a cache that
 * lied (its tables would show as changed). Whether a run's hash was reused is recorded
 * (run.evidence_hash_reused, the workbook's 运行信息, --verbose).
 *
 * Entries live in $XDG_CACHE_HOME/kaohe/evidence-hash/<sha256 of the key> (else ~/.cache/...),
 * written under a temporary name and renamed. Reading one is bounded (ENTRY_MAX); a missing,
 * truncated or malformed entry, or one for another key, just means "compute".
 */
#define _DEFAULT_SOURCE /* realpath, lstat, strtok_r, st_mtim */
#include "app/hash_cache.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/cache_dir.h"
#include "base/tmpfile.h"
#include "kaohe_config.h"

#define ENTRY_HEADER "kaohe-evidence-hash-1"
#define ENTRY_MAX    (1 << 20) /* an evidence database has tens of tables: far less than this */
#define SETTLE_NS    2000000000LL

/* What identifies the file's bytes: its stat and two fields of SQLite's header. */
typedef struct file_id {
    struct stat st;
    unsigned counter, cookie; /* header offsets 24 and 40, big-endian */
} file_id;

static long long ns_of(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* The file's identity: 0, or -1 when it is not a regular SQLite file that can be read. */
static int identify(const char *path, file_id *id)
{
    memset(id, 0, sizeof *id);
    if (stat(path, &id->st) != 0 || !S_ISREG(id->st.st_mode))
        return -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    unsigned char h[100];
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    if (n != sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
        return -1;
    id->counter = (unsigned)h[24] << 24 | (unsigned)h[25] << 16 | (unsigned)h[26] << 8 | h[27];
    id->cookie = (unsigned)h[40] << 24 | (unsigned)h[41] << 16 | (unsigned)h[42] << 8 | h[43];
    return 0;
}

static int same_id(const file_id *a, const file_id *b)
{
    return a->st.st_dev == b->st.st_dev && a->st.st_ino == b->st.st_ino &&
           a->st.st_size == b->st.st_size && ns_of(a->st.st_mtim) == ns_of(b->st.st_mtim) &&
           ns_of(a->st.st_ctim) == ns_of(b->st.st_ctim) && a->counter == b->counter &&
           a->cookie == b->cookie;
}

/* 1 when a -wal, -shm or -journal file is beside path (or beside its real path). */
static int has_sidecar(const char *path, const char *real)
{
    static const char *const SUFFIX[] = {"-wal", "-shm", "-journal"};
    const char *paths[] = {path, real};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < 3; i++) {
            strbuf s = {0};
            sb_printf(&s, "%s%s", paths[p], SUFFIX[i]);
            struct stat st;
            int there = lstat(sb_str(&s), &st) == 0 || errno != ENOENT;
            sb_free(&s);
            if (there)
                return 1;
        }
    return 0;
}

static void key_of(strbuf *key, const char *real, const file_id *id)
{
    sb_printf(key,
              "kaohe %s hash %d path %s dev %ju ino %ju size %jd mtime %lld ctime %lld"
              " counter %u cookie %u",
              KAOHE_VERSION, EV_HASH_VERSION, real, (uintmax_t)id->st.st_dev,
              (uintmax_t)id->st.st_ino, (intmax_t)id->st.st_size, ns_of(id->st.st_mtim),
              ns_of(id->st.st_ctim), id->counter, id->cookie);
}

/* The settling time: 2 s, or $KAOHE_HASH_CACHE_SETTLE_MS — for the tests only, which must
 * not wait 2 s for each file they make. */
static long long settle_ns(void)
{
    const char *s = getenv("KAOHE_HASH_CACHE_SETTLE_MS");
    char *end;
    long long v;
    if (!s || !*s ||
        (errno = 0, v = strtoll(s, &end, 10), errno || *end || v < 0 || v > 3600LL * 1000))
        return SETTLE_NS;
    return v * 1000000LL;
}

static int is_hex64(const char *s)
{
    for (int i = 0; i < 64; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return s[64] == '\0';
}

/* A table name or key that a line of the entry can hold (no tab, newline or NUL). */
static int line_safe(const char *s)
{
    return strpbrk(s, "\t\n\r") == NULL;
}

/* Reads the entry at path for key into out: 1 when it is whole and for this key, else 0 (out
 * left empty). Format: the header line, "key\t<key>", one "<table>\t<rows>\t<sha256>" line per
 * table in ev_content_hash's order, then "end\t<tables>". */
static int read_entry(const char *path, const char *key, ev_hash *out)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char *buf = malloc(ENTRY_MAX + 1);
    size_t n = buf ? fread(buf, 1, ENTRY_MAX + 1, f) : 0;
    fclose(f);
    if (!buf || n == 0 || n > ENTRY_MAX || memchr(buf, '\0', n)) {
        free(buf);
        return 0;
    }
    buf[n] = '\0';
    int ok = 0;
    size_t cap = 0;
    char *save = NULL, *line = strtok_r(buf, "\n", &save);
    if (!line || strcmp(line, ENTRY_HEADER) != 0)
        goto done;
    line = strtok_r(NULL, "\n", &save);
    if (!line || strncmp(line, "key\t", 4) != 0 || strcmp(line + 4, key) != 0)
        goto done;
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        char *t1 = strchr(line, '\t');
        if (!t1)
            goto done;
        *t1 = '\0';
        if (strcmp(line, "end") == 0) {
            char *end;
            errno = 0;
            unsigned long long k = strtoull(t1 + 1, &end, 10);
            ok = !errno && *end == '\0' && end != t1 + 1 && k == out->count &&
                 strtok_r(NULL, "\n", &save) == NULL;
            goto done;
        }
        char *t2 = strchr(t1 + 1, '\t');
        if (!t2 || !*line)
            goto done;
        *t2 = '\0';
        char *end;
        errno = 0;
        long long rows = strtoll(t1 + 1, &end, 10);
        if (errno || *end || end == t1 + 1 || rows < 0 || !is_hex64(t2 + 1))
            goto done;
        size_t k = KH_PUSH(out->tables, out->count, cap);
        out->tables[k].table = xstrdup(line);
        out->tables[k].rows = rows;
        memcpy(out->tables[k].sha256, t2 + 1, 65);
    }
done:
    free(buf);
    if (!ok)
        ev_hash_free(out);
    else
        ev_hash_total(out);
    return ok;
}

/* Writes the entry for key atomically (temporary name, rename). 0, or -1 (nothing kept). */
static int write_entry(const char *path, const char *key, const ev_hash *h)
{
    if (!line_safe(key))
        return -1;
    for (size_t i = 0; i < h->count; i++)
        if (!*h->tables[i].table || !line_safe(h->tables[i].table))
            return -1;
    strbuf tmp = {0};
    kh_error err;
    int ok = kh_tmp_beside(&tmp, path, &err) == 0;
    if (ok) {
        FILE *f = fopen(sb_str(&tmp), "wb");
        ok = f && fprintf(f, "%s\nkey\t%s\n", ENTRY_HEADER, key) > 0;
        for (size_t i = 0; ok && i < h->count; i++)
            ok = fprintf(f, "%s\t%" PRId64 "\t%s\n", h->tables[i].table, h->tables[i].rows,
                         h->tables[i].sha256) > 0;
        ok = ok && fprintf(f, "end\t%zu\n", h->count) > 0;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok || rename(sb_str(&tmp), path) != 0) {
            unlink(sb_str(&tmp));
            ok = 0;
        }
    }
    sb_free(&tmp);
    return ok ? 0 : -1;
}

static int compute(const char *path, ev_hash *out, kh_error *err)
{
    evidence *ev = ev_open(path, err);
    int rc = ev ? ev_content_hash(ev, out, err) : -1;
    ev_close(ev);
    return rc;
}

int app_evidence_hash(const char *path, int use_cache, ev_hash *out, app_hash_how *how,
                      kh_error *err)
{
    memset(how, 0, sizeof *how);
    const char *off = getenv("KAOHE_NO_HASH_CACHE");
    if (off && *off && strcmp(off, "0") != 0)
        use_cache = 0;
    if (!use_cache) {
        snprintf(how->note, sizeof how->note, "computed (cache off)");
        return compute(path, out, err);
    }
    struct timespec began;
    clock_gettime(CLOCK_REALTIME, &began);
    file_id before, after;
    char *real = realpath(path, NULL);
    strbuf dir = {0}, key = {0}, entry = {0};
    const char *why = NULL;
    int rc = 0;
    if (!real || identify(path, &before) != 0)
        why = "not a readable SQLite file to key on";
    else if (has_sidecar(path, real))
        why = "a -wal, -shm or -journal file is beside it";
    else if (kh_cache_dir(&dir, "evidence-hash", 0) != 0)
        why = "no cache directory ($XDG_CACHE_HOME, $HOME)";
    if (!why) {
        key_of(&key, real, &before);
        char name[65];
        kh_sha256_hex(sb_str(&key), key.len, name);
        sb_printf(&entry, "%s/%s", sb_str(&dir), name);
        if (read_entry(sb_str(&entry), sb_str(&key), out)) {
            how->reused = 1;
            snprintf(how->note, sizeof how->note,
                     "reused from the cache (file unchanged: inode, size, mtime, ctime, "
                     "SQLite change counter %u)",
                     before.counter);
            goto done;
        }
    }
    rc = compute(path, out, err);
    if (rc != 0)
        goto done;
    long long settle = settle_ns(), t0 = ns_of(began);
    if (why) {
        /* nothing to key on or nowhere to keep it: computed, as before the cache */
    } else if (identify(path, &after) != 0 || !same_id(&before, &after) || has_sidecar(path, real))
        why = "the file changed while it was hashed";
    else if (t0 - ns_of(before.st.st_mtim) <= settle || t0 - ns_of(before.st.st_ctim) <= settle)
        why = "the file changed less than 2 s before the hash began";
    else {
        sb_free(&dir);
        if (kh_cache_dir(&dir, "evidence-hash", 1) != 0 ||
            write_entry(sb_str(&entry), sb_str(&key), out) != 0)
            why = "the cache entry could not be written";
    }
    snprintf(how->note, sizeof how->note, "computed (%s)", why ? why : "cache entry written");
done:
    free(real);
    sb_free(&dir);
    sb_free(&key);
    sb_free(&entry);
    return rc;
}
