/*
 * export.c — `kaohe export`: a run's rows written as CSV or JSON Lines. See export.h.
 *
 * CSV: UTF-8 with a BOM (Excel reads a CSV without one in the system's code page, which turns
 * Chinese into mojibake), CRLF line ends (RFC 4180), a header row of the column names. A text
 * is always quoted ("" inside doubled), a number never, and NULL is an empty unquoted field:
 * so "" (an empty text) and NULL stay apart, and a reader that loads the file into SQLite gets
 * the table back (--raw; by default a text a spreadsheet would run as a formula, one starting
 * with = + - @ tab or CR, is written with an apostrophe before it, which Excel and WPS take as
 * "this is text": the file is opened by people far more often than loaded by programs, and a
 * finding's note is typed by hand). JSON Lines: one object per row, the column names as keys,
 * numbers as numbers, NULL as null; one line per row so that the large tables (deductions) can be
 * read row by row.
 */
#include "app/export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_internal.h"
#include "app/run_evidence.h"
#include "base/tmpfile.h"
#include "evidence/findings_manage.h"
#include "store/export_store.h"

const char *const KH_EXPORT_WHATS[4] = {"results", "scores", "deductions", "findings"};
static const char *const TABLES[3] = {"result", "score", "deduction"};

int kh_export_what_ok(const char *what)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(what, KH_EXPORT_WHATS[i]) == 0)
            return 1;
    return 0;
}

/* The writer's state: the stream, the format, and for JSON the column names (copied: they
 * are valid during the header call only). */
typedef struct exporter {
    FILE *f;
    kh_export_format format;
    int raw; /* CSV: texts exactly as stored (--raw) */
    char **names;
    size_t ncols;
} exporter;

/* 1 if a spreadsheet would take text s as a formula (or, after a tab or CR it drops, as one):
 * its first character is = + - @ tab or CR (OWASP's list for CSV injection). */
static int formula_like(const char *s)
{
    return *s && strchr("=+-@\t\r", *s) != NULL;
}

/* A CSV text field (app_internal.h): quoted, with quotes doubled; unless raw, a text a
 * spreadsheet would run as a formula gets an apostrophe before it. */
void app_csv_field(FILE *f, const char *s, int raw)
{
    fputc('"', f);
    if (!raw && formula_like(s))
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void app_csv_text(FILE *f, const char *s)
{
    app_csv_field(f, s, 0);
}

/* A JSON string: quotes, backslashes and control characters escaped; UTF-8 as it is. */
static void json_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int on_header(void *ud, size_t ncols, const char *const *names, kh_error *err)
{
    (void)err;
    exporter *x = ud;
    x->names = xcalloc(ncols ? ncols : 1, sizeof *x->names);
    x->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        x->names[i] = xstrdup(names[i]);
    if (x->format == KH_EXPORT_CSV) {
        fputs("\xEF\xBB\xBF", x->f);
        for (size_t i = 0; i < ncols; i++) {
            if (i)
                fputc(',', x->f);
            app_csv_text(x->f, names[i]);
        }
        fputs("\r\n", x->f);
    }
    return 0;
}

static int on_row(void *ud, size_t ncols, const export_value *v, kh_error *err)
{
    exporter *x = ud;
    int csv = x->format == KH_EXPORT_CSV;
    if (!csv)
        fputc('{', x->f);
    for (size_t i = 0; i < ncols; i++) {
        if (i)
            fputc(',', x->f);
        if (!csv) {
            json_text(x->f, x->names[i]);
            fputc(':', x->f);
        }
        if (v[i].type == EXPORT_TEXT)
            csv ? app_csv_field(x->f, v[i].text, x->raw) : json_text(x->f, v[i].text);
        else if (v[i].type != EXPORT_NULL)
            fputs(v[i].text, x->f);
        else if (!csv)
            fputs("null", x->f);
    }
    fputs(csv ? "\r\n" : "}\n", x->f);
    if (ferror(x->f)) {
        kh_seterr(err, "cannot write the export: %s", strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- findings: from the run's evidence ---------------------------------------------------- */

static const char *const FINDING_COLS[] = {"id",         "scorecard", "item",        "subject_kind",
                                           "subject_id", "period",    "answer",      "score",
                                           "note",       "inspector", "inspected_on"};
enum { NFINDING_COLS = sizeof FINDING_COLS / sizeof FINDING_COLS[0] };

/* The findings export: the writer, the run's scorecard ids (only their findings) and where a
 * failure to write is said. */
typedef struct finding_export {
    exporter *x;
    strbuf scorecards; /* "\nid\nid\n": each id between newlines */
    kh_error *err;
    int headed; /* the header is written with the first finding (or after the last): nothing
                 * is written when the evidence cannot be read */
} finding_export;

static void add_scorecard(void *ud, const char *id, const char *file, const char *sha256)
{
    (void)file, (void)sha256;
    finding_export *fx = ud;
    if (!fx->scorecards.len)
        sb_append(&fx->scorecards, "\n");
    sb_printf(&fx->scorecards, "%s\n", id);
}

/* One finding as a row, if it is about one of the run's scorecards. */
static int on_finding(void *ud, const ev_finding *f)
{
    finding_export *fx = ud;
    strbuf key = {0};
    sb_printf(&key, "\n%s\n", f->scorecard);
    int ours = strstr(sb_str(&fx->scorecards), sb_str(&key)) != NULL;
    sb_free(&key);
    if (!ours)
        return 0;
    if (!fx->headed++)
        on_header(fx->x, NFINDING_COLS, FINDING_COLS, fx->err);
    const char *texts[NFINDING_COLS] = {
        f->id,     f->scorecard, f->item, f->subject_kind, f->subject_id,  f->period,
        f->answer, f->score,     f->note, f->inspector,    f->inspected_on};
    export_value v[NFINDING_COLS];
    for (size_t i = 0; i < NFINDING_COLS; i++)
        v[i] = (export_value){EXPORT_TEXT, texts[i] ? texts[i] : ""};
    /* score: a number for 部分, else no value */
    v[7] = f->score && *f->score ? (export_value){EXPORT_REAL, f->score}
                                 : (export_value){EXPORT_NULL, NULL};
    return on_row(fx->x, NFINDING_COLS, v, fx->err);
}

/* The findings the run rests on: those of its period and scorecards, in the evidence it read
 * (or `given`). */
static int export_findings(audit_store *s, const audit_run *run, const kh_export_opts *o,
                           exporter *x, kh_error *err)
{
    finding_export fx = {x, {0}, err, 0};
    audit_run_sinks k = {.scorecard = add_scorecard, .ud = &fx};
    int rc = audit_store_records(s, run->id, &k, err);
    char *path = app_run_evidence(o->results, run->evidence_path, o->evidence);
    ev_finding filter = {.period = run->period};
    if (rc == 0)
        rc = ev_findings_list(path, &filter, on_finding, &fx, err);
    if (rc == 0 && !fx.headed)
        on_header(x, NFINDING_COLS, FINDING_COLS, err);
    free(path);
    sb_free(&fx.scorecards);
    return rc;
}

/* ---- the command ------------------------------------------------------------------------- */

/* The rows asked for, into x. */
static int export_rows(const kh_export_opts *o, exporter *x, kh_error *err)
{
    audit_store *s = audit_store_open(o->results, err);
    if (!s)
        return -1;
    audit_run run;
    int rc = audit_store_run(s, o->run, &run, err);
    if (rc == 0) {
        if (strcmp(o->what, "findings") == 0) {
            rc = export_findings(s, &run, o, x, err);
        } else {
            size_t t = 0;
            while (t < 3 && strcmp(o->what, KH_EXPORT_WHATS[t]) != 0)
                t++;
            export_sink k = {on_header, on_row, x};
            rc = t < 3 ? export_store_table(s, TABLES[t], run.id, &k, err) : -1;
        }
        audit_run_free(&run);
    }
    audit_store_close(s);
    return rc;
}

/* With --out: written under a temporary name beside it and renamed when complete. */
static int export_to_file(const kh_export_opts *o, exporter *x, kh_error *err)
{
    strbuf tmp = {0};
    if (kh_tmp_beside(&tmp, o->out, err) != 0)
        return -1;
    x->f = fopen(sb_str(&tmp), "wb");
    int rc = -1;
    if (!x->f)
        kh_seterr(err, "%s: cannot write: %s", o->out, strerror(errno));
    else if ((rc = export_rows(o, x, err)) == 0 && fclose(x->f) != 0) {
        kh_seterr(err, "%s: cannot write: %s", o->out, strerror(errno));
        rc = -1;
    } else if (rc != 0) {
        fclose(x->f);
    }
    if (rc == 0 && rename(sb_str(&tmp), o->out) != 0) {
        kh_seterr(err, "%s: cannot write: %s", o->out, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(sb_str(&tmp));
    sb_free(&tmp);
    return rc;
}

int kh_export(const kh_export_opts *o, FILE *out, kh_error *err)
{
    if (!kh_export_what_ok(o->what)) {
        kh_seterr(err, "export: --what %s: expected results, scores, deductions or findings",
                  o->what);
        return -1;
    }
    exporter x = {out, o->format, o->raw, NULL, 0};
    int rc = o->out ? export_to_file(o, &x, err) : export_rows(o, &x, err);
    if (rc == 0 && !o->out && fflush(out) != 0) {
        kh_seterr(err, "cannot write the export: %s", strerror(errno));
        rc = -1;
    }
    for (size_t i = 0; i < x.ncols; i++)
        free(x.names[i]);
    free(x.names);
    return rc;
}
