/*
 * report_manifest.c — the hidden kaohe_manifest sheets that reproduce --workbook reads (the
 * scores and deductions packed by manifest_pack.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/manifest_pack.h"
#include "report/report_internal.h"

/* The manifest's sheets: a full sheet ends with a record naming the sheet the manifest goes
 * on in. */
typedef struct msheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row;
    int part;
} msheet;

static void msheet_row(msheet *s, size_t n, const char *const *v)
{
    if (s->row == LXW_ROW_MAX - 1) {
        char next[32];
        snprintf(next, sizeof next, "kaohe_manifest_%d", ++s->part);
        report_string(s->ws, s->row, 0, "continued", NULL);
        report_string(s->ws, s->row, 1, next, NULL);
        worksheet_hide(s->ws);
        s->ws = workbook_add_worksheet(s->wb, next);
        s->row = 0;
    }
    for (size_t c = 0; c < n; c++)
        report_string(s->ws, s->row, (lxw_col_t)c, v[c] ? v[c] : "", NULL);
    s->row++;
}

/* A packed cell of the records (manifest_pack.h) as a "packed" row. */
static int emit_packed(void *ud, const char *text)
{
    const char *v[] = {"packed", text};
    msheet_row(ud, 2, v);
    return 0;
}

/* Every score and deduction, packed (manifest_pack.h), then the packed_end row with their
 * count. The records' fields are those the rows of format 1 had. */
static int manifest_records(msheet *s, scorecard **scs, const kh_results *r, kh_error *err)
{
    mpack_writer *w = mpack_writer_new(emit_packed, s);
    char num[32];
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *sc = &r->scores[i];
        snprintf(num, sizeof num, "%lld", (long long)sc->points);
        const char *v[] = {"score",
                           scs[sc->sc]->id,
                           r->sets[sc->set].kind,
                           r->sets[sc->set].items[sc->subject].id,
                           scs[sc->sc]->items[sc->item].no,
                           kh_status_code(sc->status),
                           sc->status == ST_PENDING ? "" : num};
        mpack_add(w, sizeof v / sizeof v[0], v);
    }
    kh_iter it;
    for (const kh_deduction *d = kh_deductions_first(&it, r); d; d = kh_deductions_next(&it)) {
        snprintf(num, sizeof num, "%lld", (long long)d->points);
        const char *v[] = {"deduction",
                           scs[d->sc]->id,
                           r->sets[d->set].kind,
                           r->sets[d->set].items[d->subject].id,
                           scs[d->sc]->items[d->item].no,
                           d->table,
                           d->key,
                           num};
        mpack_add(w, sizeof v / sizeof v[0], v);
    }
    size_t records = 0;
    mpack_finish(w, &records);
    mpack_writer_free(w);
    snprintf(num, sizeof num, "%zu", records);
    const char *end[] = {"packed_end", num};
    msheet_row(s, 2, end);
    return report_walk_done(&it, err);
}

/* kaohe_manifest (hidden): the run's manifest in machine form, one record per row (its type in
 * column A, then fields), and every score and deduction packed, so that `kaohe reproduce
 * --workbook` can re-run and compare from the workbook alone. Format 2 packs the records;
 * format 1 had a row for each (reproduce reads both). */
int report_sheet_manifest(lxw_workbook *wb, const kh_manifest *m, scorecard **scs, size_t nsc,
                          const kh_results *r, int summary, kh_error *err)
{
    msheet s = {wb, workbook_add_worksheet(wb, "kaohe_manifest"), 0, 1};
    char num[32], when[32];
    snprintf(when, sizeof when, "%lld", (long long)m->started);
#define CELLS(...)                                                                                 \
    do {                                                                                           \
        const char *v_[] = {__VA_ARGS__};                                                          \
        msheet_row(&s, sizeof v_ / sizeof v_[0], v_);                                              \
    } while (0)
    CELLS("format", "kaohe-manifest-2");
    CELLS("run", m->started_at, when, m->engine_version, m->period, m->params ? m->params : "",
          m->deadline);
    CELLS("language", m->language_path, m->language_sha256);
    for (size_t i = 0; i < nsc; i++)
        CELLS("scorecard", scs[i]->id, scs[i]->path, scs[i]->sha256);
    CELLS("evidence", m->evidence_path, m->evidence.sha256);
    for (size_t i = 0; i < m->evidence.count; i++) {
        snprintf(num, sizeof num, "%lld", (long long)m->evidence.tables[i].rows);
        CELLS("evidence_table", m->evidence.tables[i].table, num, m->evidence.tables[i].sha256);
    }
    for (size_t i = 0; i < m->nimports; i++)
        CELLS("import", m->imports[i][0], m->imports[i][1], m->imports[i][2], m->imports[i][3],
              m->imports[i][4], m->imports[i][5], m->imports[i][6]);
#undef CELLS
    int rc = 0;
    if (summary) {
        /* the provincial summary carries no per-row records: the results database does */
        snprintf(num, sizeof num, "%zu", m->nparts);
        const char *v[] = {"summary", num};
        msheet_row(&s, 2, v);
    } else {
        rc = manifest_records(&s, scs, r, err);
    }
    worksheet_hide(s.ws);
    return rc;
}
