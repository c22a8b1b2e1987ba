/*
 * tmpfile.c — unique temporary names for outputs and scratch files. See tmpfile.h.
 */
#include "base/tmpfile.h"

#include <errno.h>
#include <pthread.h>
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

int kh_tmp_beside(strbuf *sb, const char *path, kh_error *err)
{
    pthread_once(&umask_once, read_umask);
    size_t start = sb->len;
    sb_printf(sb, "%s.tmp-XXXXXX", path);
    return create(sb, start, 0666 & ~process_umask, path, err);
}

int kh_tmp_scratch(strbuf *sb, const char *what, kh_error *err)
{
    const char *dir = getenv("TMPDIR");
    size_t start = sb->len;
    sb_printf(sb, "%s/kaohe-%s-XXXXXX", dir && *dir ? dir : "/tmp", what);
    return create(sb, start, 0600, dir && *dir ? dir : "/tmp", err);
}
