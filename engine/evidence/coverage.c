/*
 * coverage.c — which dates the evidence holds, table by table. See coverage.h.
 *
 * One scan per table (min, max, count and the count in the window together), on the reading
 * connection, so the read-only defences stand; the host's own read, outside the scorecard
 * queries' step budget (a --query-limit is for scorecards, and names the item that ran out).
 */
#include "evidence/coverage.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "evidence/ev_conn_internal.h"
#include "evidence/ev_sql_internal.h"

/* The records of what was done, by the date they were done on (fixtures/evidence-schema.sql),
 * and the inspectors' findings by the period they are for (a form of findings only has no
 * other evidence). Diagnoses and cards are not here: they are dated by when they were made,
 * which may lie years before the period they count in. */
static const char *const DATED[EV_NSPANS][2] = {
    {"admission", "admitted_on"},  {"contract", "signed_on"}, {"followup", "visited_on"},
    {"cadre_visit", "visited_on"}, {"survey", "surveyed_on"}, {"finding", "period"},
};

static void copy_date(char dst[11], sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, 11, "%s", t ? (const char *)t : "");
}

int ev_coverage(evidence *ev, const char *period, const char *start, const char *end,
                ev_span spans[EV_NSPANS], kh_error *err)
{
    sqlite3 *db = ev_conn_db(ev);
    for (int i = 0; i < EV_NSPANS; i++) {
        ev_span *s = &spans[i];
        memset(s, 0, sizeof *s);
        s->table = DATED[i][0];
        s->column = DATED[i][1];
        char sql[256];
        if (strcmp(s->column, "period") == 0) /* a finding counts in the period it is for */
            snprintf(sql, sizeof sql,
                     "SELECT min(period), max(period), count(*), total(period = ?3) FROM %s",
                     s->table);
        else
            snprintf(sql, sizeof sql,
                     "SELECT min(%s), max(%s), count(*), total(%s BETWEEN ?1 AND ?2) FROM %s",
                     s->column, s->column, s->column, s->table);
        sqlite3_stmt *st = NULL;
        if (ev_sql(db, ev_conn_path(ev), sql, &st, err) != 0)
            return -1;
        int rc = sqlite3_bind_text(st, 1, start, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_text(st, 2, end, -1, SQLITE_STATIC);
        if (rc == SQLITE_OK && sqlite3_bind_parameter_count(st) == 3)
            rc = sqlite3_bind_text(st, 3, period, -1, SQLITE_STATIC);
        ev_conn_host_reads(ev, 1);
        if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            copy_date(s->first, st, 0);
            copy_date(s->last, st, 1);
            s->rows = sqlite3_column_int64(st, 2);
            s->in_window = (int64_t)sqlite3_column_double(st, 3);
            rc = SQLITE_OK;
        }
        ev_conn_host_reads(ev, 0);
        if (rc != SQLITE_OK)
            kh_seterr(err, "%s: cannot read the dates of %s: %s", ev_conn_path(ev), s->table,
                      sqlite3_errmsg(db));
        sqlite3_finalize(st);
        if (rc != SQLITE_OK)
            return -1;
    }
    return 0;
}

void ev_coverage_text(const ev_span spans[EV_NSPANS], const char *indent, strbuf *out)
{
    for (int i = 0; i < EV_NSPANS; i++) {
        const ev_span *s = &spans[i];
        if (s->rows == 0)
            sb_printf(out, "%s%s.%s 无记录\n", indent, s->table, s->column);
        else
            sb_printf(out, "%s%s.%s %s..%s（%lld 行，期内 %lld）\n", indent, s->table, s->column,
                      s->first, s->last, (long long)s->rows, (long long)s->in_window);
    }
}
