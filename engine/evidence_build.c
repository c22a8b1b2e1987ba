/*
 * evidence_build.c — evidence databases from SQL files, for fixtures. See evidence_build.h.
 */
#include "evidence_build.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int read_file(const char *path, strbuf *out, kh_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kh_seterr(err, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_appendn(out, buf, n);
    fclose(f);
    return 0;
}

int ev_build(const char *path, const char *const *sql_files, size_t n, kh_error *err)
{
    strbuf tmp = {0};
    sb_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
    unlink(sb_str(&tmp));
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open(sb_str(&tmp), &db) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot create: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    sqlite3_exec(db, "PRAGMA foreign_keys = ON; BEGIN", NULL, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        strbuf sql = {0};
        if (read_file(sql_files[i], &sql, err) != 0)
            goto done;
        char *msg = NULL;
        if (sqlite3_exec(db, sb_str(&sql), NULL, NULL, &msg) != SQLITE_OK) {
            kh_seterr(err, "%s: %s", sql_files[i], msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sb_free(&sql);
            goto done;
        }
        sb_free(&sql);
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_close(db);
    if (rc == 0 && rename(sb_str(&tmp), path) != 0) {
        kh_seterr(err, "%s: cannot write: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(sb_str(&tmp));
    sb_free(&tmp);
    return rc;
}
