/*
 * test_evidence.c — read-only means read-only: every way of writing or escaping through the
 * query API is refused with a message; bad files give clear errors; the content hash depends
 * on content only.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "evidence/evidence.h"
#include "evidence/sqlite_heap.h"

static char db_path[256];

static void make_db(const char *path)
{
    sqlite3 *db;
    unlink(path);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(
              db,
              /* the schema's columns and types (evidence/ev_columns_guard.c checks them) */
              "CREATE TABLE county (id TEXT PRIMARY KEY, name TEXT NOT NULL, province TEXT NOT "
              "NULL, city_id TEXT);"
              "INSERT INTO county(id, name, province) VALUES ('C2', '乙县', '省'), ('C1', '甲县', "
              "'省');",
              NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
}

static kh_param PERIOD = {"period", {.type = KH_TEXT, .s = "2018"}};

/* The query must be refused at ev_query with a message containing `expect`. */
static void refused(evidence *ev, const char *sql, const char *expect, int line)
{
    kh_error err;
    err.msg[0] = '\0';
    ev_cursor *c = NULL;
    int rc = ev_query(ev, sql, &PERIOD, 1, "card.lua:7: item 3:", &c, &err);
    if (rc == 0) {
        /* some refusals happen at the first step */
        rc = ev_step(c, &err) < 0 ? -1 : 0;
        ev_done(c);
    }
    if (rc == 0) {
        checks_failed++;
        fprintf(stderr, "test_evidence.c:%d: query ran but should be refused: %s\n", line, sql);
        return;
    }
    CHECK_CONTAINS(err.msg, "card.lua:7: item 3:");
    CHECK_CONTAINS(err.msg, expect);
}

#define REFUSED(sql, expect) refused(ev, sql, expect, __LINE__)

static int count_rows(evidence *ev, const char *sql)
{
    kh_error err;
    ev_cursor *c = NULL;
    if (ev_query(ev, sql, &PERIOD, 1, "t:", &c, &err) != 0)
        return -1;
    int n = 0;
    while (ev_step(c, &err) == 1)
        n++;
    ev_done(c);
    return n;
}

int main(void)
{
    CHECK(ev_heap_install() == 0); /* as main does, before any database is opened */
    snprintf(db_path, sizeof db_path, "/tmp/kaohe_test_evidence_%ld.db", (long)getpid());
    make_db(db_path);
    /* the file's bytes, to show that nothing below written through the query API changed it */
    strbuf before = {0}, after = {0};
    CHECK(sb_read_file(&before, db_path) == 0 && before.len > 0);
    kh_error err;
    evidence *ev = ev_open(db_path, &err);
    CHECK(ev != NULL);
    if (!ev)
        return CHECK_REPORT();

    /* reading works, values are bound by name, the cache serves a repeated query */
    CHECK(count_rows(ev, "SELECT id FROM county") == 2);
    CHECK(count_rows(ev, "SELECT id FROM county WHERE :period = '2018'") == 2);
    CHECK(count_rows(ev, "SELECT id FROM county WHERE :period = '2018'") == 2);

    /* writing in any form is refused */
    REFUSED("INSERT INTO county(id, name, province) VALUES ('C3', 'x', 'y')", "read-only");
    REFUSED("UPDATE county SET name = 'x'", "read-only");
    REFUSED("DELETE FROM county", "read-only");
    REFUSED("DROP TABLE county", "read-only");
    REFUSED("CREATE TABLE x (a)", "read-only");
    REFUSED("CREATE TEMP TABLE x (a)", "read-only");
    REFUSED("ATTACH '/tmp/other.db' AS other", "read-only");
    REFUSED("VACUUM INTO '/tmp/kaohe_copy.db'", "read-only");
    REFUSED("PRAGMA query_only = 0", "read-only");
    REFUSED("PRAGMA writable_schema = 1", "read-only");
    REFUSED("SELECT load_extension('/tmp/x.so')", "read-only");
    REFUSED("SELECT randomblob(1000000000)", "read-only");
    REFUSED("SELECT zeroblob(1000000000)", "read-only");
    /* one statement per call */
    REFUSED("SELECT 1; DELETE FROM county", "exactly one statement");
    /* parameters: named and declared only */
    REFUSED("SELECT id FROM county WHERE id = ?", "positional");
    REFUSED("SELECT id FROM county WHERE id = :nope", "unknown parameter :nope (known: :period)");
    /* schema errors name what is unknown */
    REFUSED("SELECT id FROM nosuch", "no such table: nosuch");
    REFUSED("SELECT nosuch FROM county", "no such column: nosuch");
    /* the evidence is still there */
    CHECK(count_rows(ev, "SELECT id FROM county") == 2);

    /* huge SQL is refused by sqlite3_limit(SQLITE_LIMIT_SQL_LENGTH, 1 MiB), not parsed */
    {
        size_t n = 2u << 20;
        char *huge = malloc(n + 64);
        strcpy(huge, "SELECT '");
        memset(huge + 8, 'x', n);
        strcpy(huge + 8 + n, "'");
        REFUSED(huge, "string or blob too big");
        free(huge);
    }
    /* deep expressions are refused by SQLite's own depth limit */
    {
        strbuf deep = {0};
        sb_append(&deep, "SELECT 1 WHERE 1 = 1");
        for (int i = 0; i < 5000; i++)
            sb_append(&deep, " AND 1=1");
        REFUSED(sb_str(&deep), "too large");
        sb_free(&deep);
    }

    /* a runaway query stops at its step budget */
    ev_set_query_steps(ev, 100000);
    REFUSED("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM n",
            "exceeded its budget");
    ev_set_query_steps(ev, EV_DEFAULT_QUERY_STEPS);
    /* … and at its time limit, however many steps it has left (issue 18 item 2) */
    ev_set_query_seconds(ev, 1);
    REFUSED("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT count(*) FROM n",
            "query stopped: it ran longer than its time limit of 1 s");
    /* a watchdog's interrupt (core/item_watch.c) that lands between two queries is not lost:
     * every query after it is refused with the time-limit message until it is cleared */
    ev_interrupt(ev);
    REFUSED("SELECT 1", "query stopped: it ran longer than its time limit of 1 s");
    REFUSED("SELECT 2", "query stopped: it ran longer than its time limit of 1 s");
    ev_interrupt_clear(ev);
    CHECK(count_rows(ev, "SELECT id FROM county") == 2);
    ev_set_query_seconds(ev, 0);
    /* temporary storage stays in memory under the ceiling on SQLite's memory (2 GiB, kept by
     * kaohe's allocator, evidence/sqlite_heap.c, installed at the top of main; lowered to
     * 32 MiB here): sorting 200,000 rows of 1000 bytes (~200 MB) fails with a message naming
     * that limit instead of filling TMPDIR with sorter files */
    {
        long long was = ev_heap_limit(32 << 20);
        CHECK(was == (2LL << 30));
        long long held = ev_heap_used();
        CHECK(held > 0 && held < (32 << 20)); /* the connections open now, counted */
        REFUSED("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200000) "
                "SELECT i, printf('%.1000c', 'x') AS pad FROM n ORDER BY pad, i DESC",
                "query stopped: its temporary storage (sorting, grouping) exceeded the limit of "
                "32 MiB");
        /* the refused sort gave back what it took */
        CHECK(ev_heap_used() < held + (1 << 20));
        CHECK(ev_heap_limit(was) == (32 << 20));
    }
    /* printf/format: width and precision at most 1000, literal or from an argument; within
     * that the output is SQLite's own */
    REFUSED("SELECT printf('%.*c', 2147483647, 'x')",
            "printf/format: a width or precision of 2147483647 is larger than 1000");
    REFUSED("SELECT format('%2147483647d', 1)", "a width or precision of 2147483647");
    REFUSED("SELECT printf('%-*d', -5000, 1)", "a width or precision of 5000");
    REFUSED("SELECT printf('%.1001f', 1.5)", "a width or precision of 1001");
    {
        ev_cursor *c = NULL;
        CHECK(ev_query(ev,
                       "SELECT printf('%d.%02d|%5s|%-3d|%.*c|%%|%q', 12, 5, 'ab', 7, 3, 'z', "
                       "'it''s'), printf(NULL), printf('%.1000c', 'y')",
                       &PERIOD, 1, "t:", &c, &err) == 0);
        CHECK(ev_step(c, &err) == 1);
        CHECK(strcmp(ev_text(c, 0), "12.05|   ab|7  |zzz|%|it''s") == 0);
        CHECK(strcmp(ev_text(c, 1), "") == 0); /* NULL */
        CHECK(ev_text(c, 2) && strlen(ev_text(c, 2)) == 1000);
        ev_done(c);
    }

    /* none of the refused statements reached the file */
    CHECK(sb_read_file(&after, db_path) == 0 && after.len == before.len &&
          memcmp(after.data, before.data, before.len) == 0);
    sb_free(&before);
    sb_free(&after);

    /* the content hash: stable, independent of row order and VACUUM, sensitive to content */
    ev_hash h1, h2;
    CHECK(ev_content_hash(ev, &h1, &err) == 0);
    CHECK(h1.count == 1 && strcmp(h1.tables[0].table, "county") == 0 && h1.tables[0].rows == 2);
    ev_close(ev);
    sqlite3 *db;
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    /* same rows inserted in the other order, then VACUUM */
    CHECK(sqlite3_exec(db,
                       "DELETE FROM county; INSERT INTO county(id, name, province) VALUES ('C1', "
                       "'甲县', '省'), ('C2', '乙县', '省'); VACUUM;",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    ev = ev_open(db_path, &err);
    CHECK(ev_content_hash(ev, &h2, &err) == 0);
    CHECK(strcmp(h1.sha256, h2.sha256) == 0);
    ev_hash_free(&h2);
    ev_close(ev);
    CHECK(sqlite3_open(db_path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE county SET name = '丙县' WHERE id = 'C2'", NULL, NULL, NULL) ==
          SQLITE_OK);
    sqlite3_close(db);
    ev = ev_open(db_path, &err);
    CHECK(ev_content_hash(ev, &h2, &err) == 0);
    CHECK(strcmp(h1.sha256, h2.sha256) != 0);
    CHECK(strcmp(h1.tables[0].sha256, h2.tables[0].sha256) != 0);
    ev_hash_free(&h1);
    ev_hash_free(&h2);
    ev_close(ev);

    /* bad files */
    CHECK(ev_open("/nonexistent/evidence.db", &err) == NULL);
    CHECK_CONTAINS(err.msg, "/nonexistent/evidence.db: cannot open evidence database");
    char text_path[256];
    snprintf(text_path, sizeof text_path, "/tmp/kaohe_test_text_%ld.db", (long)getpid());
    FILE *f = fopen(text_path, "w");
    fputs("this is not a database, just some text that is long enough to have a header\n"
          "and more text so that SQLite reads a whole page of it ..............................\n",
          f);
    fclose(f);
    CHECK(ev_open(text_path, &err) == NULL);
    CHECK_CONTAINS(err.msg, "not an evidence database");
    unlink(text_path);
    /* a truncated database file */
    char trunc_path[256];
    snprintf(trunc_path, sizeof trunc_path, "/tmp/kaohe_test_trunc_%ld.db", (long)getpid());
    make_db(trunc_path);
    CHECK(truncate(trunc_path, 100) == 0);
    err.msg[0] = '\0'; /* not the previous check's message */
    CHECK(ev_open(trunc_path, &err) == NULL);
    CHECK_CONTAINS(err.msg, trunc_path);
    CHECK_CONTAINS(err.msg, ": cannot read evidence database: database disk image is malformed");
    unlink(trunc_path);
    CHECK(ev_open("/tmp", &err) == NULL);
    CHECK_CONTAINS(err.msg, "not a regular file");

    /* a database locked by a writer (an import in progress) gives a clear message */
    char locked_path[256];
    snprintf(locked_path, sizeof locked_path, "/tmp/kaohe_test_locked_%ld.db", (long)getpid());
    make_db(locked_path);
    sqlite3 *writer;
    CHECK(sqlite3_open(locked_path, &writer) == SQLITE_OK);
    CHECK(sqlite3_exec(
              writer,
              "BEGIN EXCLUSIVE; INSERT INTO county(id, name, province) VALUES ('C9', 'x', 'y')",
              NULL, NULL, NULL) == SQLITE_OK);
    CHECK(ev_open(locked_path, &err) == NULL);
    CHECK_CONTAINS(err.msg, "locked by a writer");
    CHECK(sqlite3_exec(writer, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(writer);
    unlink(locked_path);

    unlink(db_path);
    return CHECK_REPORT();
}
