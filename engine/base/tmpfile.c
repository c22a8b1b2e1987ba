/*
 * tmpfile.c — unique temporary names for outputs and scratch files, and the sweeping of those
 * that killed runs left behind. See tmpfile.h.
 */
#include "base/tmpfile.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mode_t process_umask;
static pthread_once_t umask_once = PTHREAD_ONCE_INIT;

/* umask can only be read by setting it; done once, before any worker thread creates files. */
static void read_umask(void)
{
    process_umask = umask(022);
    umask(process_umask);
}

/* mkstemp on the template in sb (which ends in XXXXXX), then the mode. */
static int create(strbuf *sb, size_t start, mode_t mode, const char *what, kh_error *err)
{
    int fd = mkstemp(sb->data + start);
    if (fd < 0) {
        kh_seterr(err, "%s: cannot create a temporary file beside it: %s", what, strerror(errno));
        sb->len = start;
        sb->data[start] = '\0';
        return -1;
    }
    int rc = fchmod(fd, mode);
    close(fd);
    if (rc != 0) {
        kh_seterr(err, "%s: cannot set permissions: %s", sb->data + start, strerror(errno));
        unlink(sb->data + start);
        sb->len = start;
        sb->data[start] = '\0';
        return -1;
    }
    return 0;
}

/* This host's name as it goes into a temporary name: letters, digits, '.' and '_' only
 * (anything else becomes '_'), at most 40 characters. */
static void host_tag(char tag[48])
{
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "localhost");
    size_t i = 0;
    for (; host[i] && i < 40; i++) {
        char c = host[i];
        int plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_';
        tag[i] = plain ? c : '_';
    }
    tag[i] = '\0';
}

/* The pid in `name` when it is PREFIX<pid>-XXXXXX, optionally followed by what SQLite keeps
 * beside a database (-journal, -wal, -shm); else 0. */
static long stale_pid(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return 0;
    char *end;
    long pid = strtol(name + n, &end, 10);
    if (end == name + n || pid <= 0 || *end != '-' || strlen(end + 1) < 6)
        return 0;
    const char *tail = end + 7;
    return !*tail || !strcmp(tail, "-journal") || !strcmp(tail, "-wal") || !strcmp(tail, "-shm")
               ? pid
               : 0;
}

/* Empties and removes the stale scratch directory `path` (kh_tmp_scratch_dir's: a sharded
 * run's parts and county workbooks, flat). Entries are unlinked, not followed (a symlink
 * placed there loses only itself); a subdirectory, which kaohe never makes, is left, and so
 * then is the directory. */
static void remove_stale_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        strbuf p = {0};
        sb_printf(&p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(sb_str(&p), &st) == 0 && !S_ISDIR(st.st_mode))
            unlink(sb_str(&p));
        sb_free(&p);
    }
    closedir(d);
    rmdir(path);
}

/* Removes the files DIR/PREFIX<pid>-XXXXXX[-journal…] of this host whose process is gone and
 * which this user owns — and the directories so named (kh_tmp_scratch_dir), with what they
 * hold: what a run killed with SIGKILL (or a power cut) left behind. A file of
 * a process that still runs (a concurrent run writing the same output) is left alone; so is
 * every file of another host (a shared directory: its pids mean nothing here). Best effort: a
 * directory that cannot be read is not an error here (creating the new file will say so). */
static void sweep(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = stale_pid(e->d_name, prefix);
        if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        strbuf p = {0};
        sb_printf(&p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(sb_str(&p), &st) == 0 && st.st_uid == getuid()) {
            if (S_ISREG(st.st_mode))
                unlink(sb_str(&p));
            else if (S_ISDIR(st.st_mode))
                remove_stale_dir(sb_str(&p));
        }
        sb_free(&p);
    }
    closedir(d);
}

/* Appends DIR/BASE<tag>, where tag is "HOST-PID-", and sweeps DIR of BASE<HOST>- files of
 * processes that are gone. */
static void name_and_sweep(strbuf *sb, const char *dir, const char *base)
{
    char host[48];
    host_tag(host);
    strbuf prefix = {0};
    sb_printf(&prefix, "%s%s-", base, host);
    sweep(dir, sb_str(&prefix));
    sb_printf(sb, "%s/%s%ld-XXXXXX", dir, sb_str(&prefix), (long)getpid());
    sb_free(&prefix);
}

int kh_tmp_beside(strbuf *sb, const char *path, kh_error *err)
{
    pthread_once(&umask_once, read_umask);
    size_t start = sb->len;
    const char *slash = strrchr(path, '/');
    strbuf dir = {0}, base = {0};
    if (slash)
        sb_appendn(&dir, path, slash == path ? 1 : (size_t)(slash - path));
    else
        sb_append(&dir, ".");
    sb_printf(&base, "%s.tmp-", slash ? slash + 1 : path);
    name_and_sweep(sb, sb_str(&dir), sb_str(&base));
    sb_free(&dir);
    sb_free(&base);
    /* "./r.xlsx.tmp-…" stays "r.xlsx.tmp-…" when path named no directory */
    if (!slash) {
        memmove(sb->data + start, sb->data + start + 2, sb->len - start - 1);
        sb->len -= 2;
    }
    return create(sb, start, 0666 & ~process_umask, path, err);
}

/* Appends "$TMPDIR/kaohe-WHAT-HOST-PID-XXXXXX" (else /tmp/…) after sweeping stale ones of that
 * kind; returns the directory. */
static const char *scratch_name(strbuf *sb, const char *what)
{
    const char *dir = getenv("TMPDIR");
    dir = dir && *dir ? dir : "/tmp";
    strbuf base = {0};
    sb_printf(&base, "kaohe-%s-", what);
    name_and_sweep(sb, dir, sb_str(&base));
    sb_free(&base);
    return dir;
}

int kh_tmp_scratch(strbuf *sb, const char *what, kh_error *err)
{
    size_t start = sb->len;
    const char *dir = scratch_name(sb, what);
    return create(sb, start, 0600, dir, err);
}

int kh_tmp_scratch_dir(strbuf *sb, const char *what, kh_error *err)
{
    size_t start = sb->len;
    scratch_name(sb, what);
    if (mkdtemp(sb->data + start))
        return 0;
    kh_seterr(err, "%s: cannot make a working directory: %s", sb->data + start, strerror(errno));
    sb->len = start;
    sb->data[start] = '\0';
    return -1;
}
