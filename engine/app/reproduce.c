/*
 * reproduce.c — a past run read back and run again. See reproduce.h.
 */
#include "app/reproduce.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/run.h"
#include "app/shards.h"
#include "base/tmpfile.h"
#include "evidence/evidence.h"
#include "report/manifest_pack.h"
#include "report/xlsx_read.h"
#include "store/audit_store.h"

/* ---- a recorded run ---------------------------------------------------------------------- */

typedef struct kv {
    char *key;   /* scorecard|kind|subject|item */
    char *value; /* score: status|points_x100; deduction: table|key|points_x100 */
} kv;

typedef struct kv_list {
    kv *v;
    size_t n, cap;
} kv_list;

struct stored_run {
    char *source;  /* what it was read from, for messages */
    audit_run run; /* the run's row: from the results database, or the workbook's manifest */
    char *deadline, *language_path;
    char **sc_id, **sc_file, **sc_sha;
    size_t nsc, capsc;
    char **ev_table, **ev_sha;
    size_t nev, capev;
    kv_list scores, deductions;
    char next_sheet[32];  /* a manifest longer than a sheet goes on in this one */
    mpack_reader *packed; /* the packed scores and deductions of a format-2 manifest */
    int packed_failed;    /* reading them stopped with packed_err */
    kh_error packed_err;
    /* a merged run: its parts' evidence and its hash, in part order */
    char **part_ev, **part_sha;
    size_t nparts;
    int summary_workbook; /* a provincial summary workbook: no per-row records */
    /* shared sets (language v2 item 6): each set made, the file declaring it and its hash */
    char **set_name, **set_file, **set_sha;
    size_t nsets;
};

static char *dup0(const char *s)
{
    return xstrdup(s ? s : "");
}

/* Adds a score or deduction keyed scorecard|kind|subject|item. */
static void kv_add(kv_list *l, const char *sc, const char *kind, const char *subject,
                   const char *item, const char *value)
{
    size_t k = KH_PUSH(l->v, l->n, l->cap);
    strbuf key = {0};
    sb_printf(&key, "%s|%s|%s|%s", sc, kind, subject, item);
    l->v[k].key = sb_take(&key);
    l->v[k].value = dup0(value);
}

static int kv_cmp(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

static void kv_free(kv_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* The run's scorecard files (with their ids and hashes) and evidence tables, in parallel
 * arrays. */
static void add_scorecard(stored_run *r, const char *id, const char *file, const char *sha)
{
    size_t k = r->nsc;
    size_t cap = r->capsc;
    KH_PUSH(r->sc_id, r->nsc, r->capsc);
    if (r->capsc != cap) {
        r->sc_file = xrealloc(r->sc_file, r->capsc * sizeof *r->sc_file);
        r->sc_sha = xrealloc(r->sc_sha, r->capsc * sizeof *r->sc_sha);
    }
    r->sc_id[k] = dup0(id);
    r->sc_file[k] = dup0(file);
    r->sc_sha[k] = dup0(sha);
}

static void add_evidence_table(stored_run *r, const char *table, const char *sha)
{
    size_t k = r->nev;
    size_t cap = r->capev;
    KH_PUSH(r->ev_table, r->nev, r->capev);
    if (r->capev != cap)
        r->ev_sha = xrealloc(r->ev_sha, r->capev * sizeof *r->ev_sha);
    r->ev_table[k] = dup0(table);
    r->ev_sha[k] = dup0(sha);
}

/* Frees n strings and their array. */
static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void stored_run_free(stored_run *r)
{
    if (!r)
        return;
    free(r->source);
    audit_run_free(&r->run);
    free(r->deadline);
    free(r->language_path);
    free_strings(r->sc_id, r->nsc);
    free_strings(r->sc_file, r->nsc);
    free_strings(r->sc_sha, r->nsc);
    free_strings(r->ev_table, r->nev);
    free_strings(r->ev_sha, r->nev);
    free_strings(r->part_ev, r->nparts);
    free_strings(r->part_sha, r->nparts);
    free_strings(r->set_name, r->nsets);
    free_strings(r->set_file, r->nsets);
    free_strings(r->set_sha, r->nsets);
    kv_free(&r->scores);
    kv_free(&r->deductions);
    mpack_reader_free(r->packed);
    free(r);
}

/* Sinks of audit_store_records filling a stored_run. */
static void on_scorecard(void *ud, const char *id, const char *file, const char *sha256)
{
    add_scorecard(ud, id, file, sha256);
}

static void on_evidence_table(void *ud, const char *table, const char *sha256)
{
    add_evidence_table(ud, table, sha256);
}

static void on_score(void *ud, const audit_record *x)
{
    stored_run *r = ud;
    kv_add(&r->scores, x->scorecard, x->kind, x->subject, x->item, x->value);
}

static void on_deduction(void *ud, const audit_record *x)
{
    stored_run *r = ud;
    kv_add(&r->deductions, x->scorecard, x->kind, x->subject, x->item, x->value);
}

static void on_part(void *ud, const char *evidence_path, const char *evidence_hash)
{
    stored_run *r = ud;
    r->part_ev = xrealloc(r->part_ev, (r->nparts + 1) * sizeof *r->part_ev);
    r->part_sha = xrealloc(r->part_sha, (r->nparts + 1) * sizeof *r->part_sha);
    r->part_ev[r->nparts] = dup0(evidence_path);
    r->part_sha[r->nparts] = dup0(evidence_hash);
    r->nparts++;
}

/* A shared set the run made (audit_store_sets). */
static void on_set(void *ud, const char *name, const char *file, const char *sha256)
{
    stored_run *r = ud;
    r->set_name = xrealloc(r->set_name, (r->nsets + 1) * sizeof *r->set_name);
    r->set_file = xrealloc(r->set_file, (r->nsets + 1) * sizeof *r->set_file);
    r->set_sha = xrealloc(r->set_sha, (r->nsets + 1) * sizeof *r->set_sha);
    r->set_name[r->nsets] = dup0(name);
    r->set_file[r->nsets] = dup0(file);
    r->set_sha[r->nsets] = dup0(sha256);
    r->nsets++;
}

stored_run *stored_run_from_results(const char *results, int64_t run, kh_error *err)
{
    audit_store *s = audit_store_open(results, err);
    if (!s)
        return NULL;
    audit_run row;
    if (audit_store_run(s, run, &row, err) != 0) {
        audit_store_close(s);
        return NULL;
    }
    stored_run *r = xcalloc(1, sizeof *r);
    strbuf src = {0};
    sb_printf(&src, "%s run %lld", results, (long long)row.id);
    r->source = sb_take(&src);
    r->run = row; /* its strings move into the stored run */
    audit_run_sinks k = {on_scorecard, on_evidence_table, on_score, on_deduction, on_part, r};
    int rc = audit_store_records(s, row.id, &k, err);
    if (rc == 0)
        rc = audit_store_sets(s, row.id, on_set, r, err);
    audit_store_close(s);
    if (rc != 0) {
        stored_run_free(r);
        return NULL;
    }
    return r;
}

/* Cell i of a workbook row, "" when empty or past the row's end. */
static const char *cell(size_t n, const char *const *cells, size_t i)
{
    return i < n && cells[i] ? cells[i] : "";
}

static int manifest_row(long row, size_t n, const char *const *c, const unsigned char *number,
                        void *ud);

/* A packed cell of scores and deductions, or the row that ends them (manifest_pack.h): their
 * records go to manifest_row as the rows of format 1 did. Non-zero stops the reading, with
 * r->packed_err set. */
static int packed_row(stored_run *r, const char *type, const char *text)
{
    if (!r->packed)
        r->packed = mpack_reader_new(r->source, manifest_row, r);
    int rc = type[6] == '\0' ? mpack_reader_piece(r->packed, text, &r->packed_err)
                             : mpack_reader_end(r->packed, text, &r->packed_err);
    r->packed_failed = rc != 0;
    return rc != 0;
}

/* One row of the kaohe_manifest sheet (its first cell says what the row is) into the stored
 * run; a "continued" row names the sheet the manifest goes on in. */
static int manifest_row(long row, size_t n, const char *const *c, const unsigned char *number,
                        void *ud)
{
    (void)row;
    (void)number; /* every field is read as the text the manifest wrote */
    stored_run *r = ud;
    const char *type = cell(n, c, 0);
    if (strcmp(type, "packed") == 0 || strcmp(type, "packed_end") == 0)
        return packed_row(r, type, cell(n, c, 1));
    if (strcmp(type, "summary") == 0) {
        r->summary_workbook = 1;
    } else if (strcmp(type, "continued") == 0) {
        snprintf(r->next_sheet, sizeof r->next_sheet, "%s", cell(n, c, 1));
    } else if (strcmp(type, "run") == 0) {
        r->run.started_at = dup0(cell(n, c, 1));
        r->run.engine = dup0(cell(n, c, 3));
        r->run.period = dup0(cell(n, c, 4));
        r->run.params = dup0(cell(n, c, 5));
        r->deadline = dup0(cell(n, c, 6));
    } else if (strcmp(type, "language") == 0) {
        r->language_path = dup0(cell(n, c, 1));
        r->run.language_sha = dup0(cell(n, c, 2));
    } else if (strcmp(type, "scorecard") == 0) {
        add_scorecard(r, cell(n, c, 1), cell(n, c, 2), cell(n, c, 3));
    } else if (strcmp(type, "evidence") == 0) {
        r->run.evidence_path = dup0(cell(n, c, 1));
        r->run.evidence_hash = dup0(cell(n, c, 2));
    } else if (strcmp(type, "evidence_table") == 0) {
        add_evidence_table(r, cell(n, c, 1), cell(n, c, 3));
    } else if (strcmp(type, "score") == 0) {
        strbuf v = {0};
        sb_printf(&v, "%s|%s", cell(n, c, 5), cell(n, c, 6));
        kv_add(&r->scores, cell(n, c, 1), cell(n, c, 2), cell(n, c, 3), cell(n, c, 4), sb_str(&v));
        sb_free(&v);
    } else if (strcmp(type, "deduction") == 0) {
        strbuf v = {0};
        sb_printf(&v, "%s|%s|%s", cell(n, c, 5), cell(n, c, 6), cell(n, c, 7));
        kv_add(&r->deductions, cell(n, c, 1), cell(n, c, 2), cell(n, c, 3), cell(n, c, 4),
               sb_str(&v));
        sb_free(&v);
    }
    return 0;
}

/* The manifest sheet `part` (kaohe_manifest, then kaohe_manifest_2, _3 …: what report.c
 * writes) may go on only in the next one, and in at most MANIFEST_MAX_PARTS sheets (a billion
 * rows): a crafted workbook whose manifest is "continued" in itself or in an earlier sheet
 * would otherwise be read for ever. 0, or -1 with err. */
#define MANIFEST_MAX_PARTS 1000
static int manifest_goes_on(const char *xlsx, const char *sheet, int part, const char *next,
                            kh_error *err)
{
    if (!next[0])
        return 0;
    char want[32];
    snprintf(want, sizeof want, "kaohe_manifest_%d", part + 1);
    if (strcmp(next, want) != 0 || part + 1 > MANIFEST_MAX_PARTS) {
        kh_seterr(err,
                  "%s: sheet %s says the manifest continues in sheet '%s', not in %s (at most "
                  "%d sheets); a damaged or crafted workbook",
                  xlsx, sheet, next, want, MANIFEST_MAX_PARTS);
        return -1;
    }
    return 0;
}

stored_run *stored_run_from_workbook(const char *xlsx, kh_error *err)
{
    stored_run *r = xcalloc(1, sizeof *r);
    r->source = xstrdup(xlsx);
    char sheet[32] = "kaohe_manifest";
    for (int part = 1; sheet[0]; part++) {
        r->next_sheet[0] = '\0';
        if (xlsx_read_sheet(xlsx, sheet, manifest_row, r, err) != 0 ||
            manifest_goes_on(xlsx, sheet, part, r->next_sheet, err) != 0) {
            stored_run_free(r);
            return NULL;
        }
        if (r->packed_failed) {
            *err = r->packed_err;
            stored_run_free(r);
            return NULL;
        }
        memcpy(sheet, r->next_sheet, sizeof sheet);
    }
    if (r->packed && mpack_reader_open(r->packed)) {
        kh_seterr(err,
                  "%s: the kaohe_manifest sheet's packed records have no packed_end row (a "
                  "truncated workbook); reproduce it from its results database (--results)",
                  xlsx);
        stored_run_free(r);
        return NULL;
    }
    if (r->summary_workbook) {
        kh_seterr(err,
                  "%s: a provincial summary workbook (a run over several counties) carries no "
                  "per-row records; reproduce it from its results database (--results)",
                  xlsx);
        stored_run_free(r);
        return NULL;
    }
    if (!r->run.period || !r->nsc) {
        kh_seterr(err, "%s: the kaohe_manifest sheet holds no run (a workbook from kaohe run?)",
                  xlsx);
        stored_run_free(r);
        return NULL;
    }
    /* without the recorded language hash a re-run could not be said to use the same language */
    if (!r->run.language_sha || !r->run.language_sha[0]) {
        kh_seterr(err,
                  "%s: the kaohe_manifest sheet does not record the scorecard language (no "
                  "language row with its SHA-256); reproduce it from its results database "
                  "(--results)",
                  xlsx);
        stored_run_free(r);
        return NULL;
    }
    return r;
}

/* ---- reproduce --------------------------------------------------------------------------- */

/* A re-run's scores and deductions in the stored run's key|value format. */
static void outcome_lists(const kh_run_outcome *o, kv_list *scores, kv_list *deds)
{
    const kh_results *res = &o->results;
    char v[64];
    for (size_t i = 0; i < res->nscores; i++) {
        const kh_score *s = &res->scores[i];
        if (s->status == ST_PENDING)
            snprintf(v, sizeof v, "%s|", kh_status_code(s->status));
        else
            snprintf(v, sizeof v, "%s|%lld", kh_status_code(s->status), (long long)s->points);
        kv_add(scores, o->scs[s->sc]->id, res->sets[s->set].kind,
               res->sets[s->set].items[s->subject].id, o->scs[s->sc]->items[s->item].no, v);
    }
    for (size_t i = 0; i < res->ndeductions; i++) {
        const kh_deduction *d = &res->deductions[i];
        strbuf val = {0};
        sb_printf(&val, "%s|%s|%lld", d->table, d->key, (long long)d->points);
        kv_add(deds, o->scs[d->sc]->id, res->sets[d->set].kind,
               res->sets[d->set].items[d->subject].id, o->scs[d->sc]->items[d->item].no,
               sb_str(&val));
        sb_free(&val);
    }
}

/* "status|x100" → "扣分 -0.40" for people. */
static void show_score(const char *v, char *buf, size_t size)
{
    char status[32] = "", pts[32] = "";
    const char *bar = strchr(v, '|');
    snprintf(status, sizeof status, "%.*s", bar ? (int)(bar - v) : (int)strlen(v), v);
    if (bar && bar[1]) {
        points_t p = strtoll(bar + 1, NULL, 10);
        points_format2(p, pts, sizeof pts);
    }
    snprintf(buf, size, "%s%s%s", status, pts[0] ? " " : "", pts);
}

/* Compares two lists sorted by (key, value), key by key; prints what differs (for deductions
 * only the evidence rows removed and added); returns how many keys differ. */
static long compare(const kv_list *was, const kv_list *now, int deductions, FILE *out)
{
    long differ = 0;
    size_t i = 0, j = 0;
    while (i < was->n || j < now->n) {
        const char *key = i < was->n && (j >= now->n || strcmp(was->v[i].key, now->v[j].key) <= 0)
                              ? was->v[i].key
                              : now->v[j].key;
        size_t i0 = i, j0 = j;
        while (i < was->n && strcmp(was->v[i].key, key) == 0)
            i++;
        while (j < now->n && strcmp(now->v[j].key, key) == 0)
            j++;
        /* the values of this key on both sides, each sorted: a merge finds what changed */
        strbuf removed = {0}, added = {0};
        size_t a = i0, b = j0;
        while (a < i || b < j) {
            int c = a >= i ? 1 : b >= j ? -1 : strcmp(was->v[a].value, now->v[b].value);
            if (c < 0)
                sb_printf(&removed, "%s%s", removed.len ? "; " : "", was->v[a++].value);
            else if (c > 0)
                sb_printf(&added, "%s%s", added.len ? "; " : "", now->v[b++].value);
            else
                a++, b++;
        }
        if (removed.len || added.len) {
            differ++;
            if (differ <= 200) {
                if (deductions) {
                    fprintf(out, "  扣分证据不同 %s：", key);
                    if (removed.len)
                        fprintf(out, "原有现无 %s", sb_str(&removed));
                    if (added.len)
                        fprintf(out, "%s现有原无 %s", removed.len ? "；" : "", sb_str(&added));
                    fprintf(out, "\n");
                } else {
                    char x[64], y[64];
                    show_score(sb_str(&removed), x, sizeof x);
                    show_score(sb_str(&added), y, sizeof y);
                    fprintf(out, "  得分不同 %s：原 %s → 现 %s\n", key,
                            removed.len ? x : "（无此项）", added.len ? y : "（无此项）");
                }
            }
        }
        sb_free(&removed);
        sb_free(&added);
    }
    if (differ > 200)
        fprintf(out, "  ……另有 %ld 处不同\n", differ - 200);
    return differ;
}

/* "sc.param=value; sc.param=value" → overrides (the last dot separates scorecard id and name) */
static size_t parse_params(const char *text, kh_override **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    char *copy = xstrdup(text ? text : "");
    for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
        while (*tok == ' ')
            tok++;
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *dot = strrchr(tok, '.');
        const char *name = dot ? dot + 1 : tok;
        int dup = 0;
        for (size_t i = 0; i < n; i++)
            dup |= strcmp((*out)[i].name, name) == 0;
        if (dup)
            continue; /* two scorecards declaring one name are given one value */
        size_t k = KH_PUSH(*out, n, cap);
        (*out)[k].name = xstrdup(name);
        (*out)[k].value = xstrdup(eq + 1);
        (*out)[k].used = 0;
    }
    free(copy);
    return n;
}

static int compare_all(const stored_run *r, kv_list *scores_in, kv_list *deds_in, int changed,
                       FILE *out);

/* The recorded run's scorecards, period and parameters, to run it again. */
static void rerun_options(const stored_run *r, kh_run_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->period = r->run.period;
    opt->scorecards = (const char *const *)r->sc_file;
    opt->nscorecards = r->nsc;
    opt->noverrides = parse_params(r->run.params, &opt->overrides);
    opt->no_hash_cache = 1; /* reproduce never rests on the hash cache (app/hash_cache.h) */
}

static void rerun_options_free(kh_run_options *opt)
{
    for (size_t i = 0; i < opt->noverrides; i++) {
        free(opt->overrides[i].name);
        free(opt->overrides[i].value);
    }
    free(opt->overrides);
}

/* 1 (and says so) if the scorecard language the re-run used is not the recorded one. */
static int language_changed(const stored_run *r, const kh_run_outcome *o, FILE *out)
{
    if (strcmp(o->manifest.language_sha256, r->run.language_sha) == 0)
        return 0;
    fprintf(out, "  考核表语言文件已改动：%s\n", o->manifest.language_path);
    return 1;
}

/* The content hash of the evidence at `path`, table by table. 0, or -1 with err. */
static int hash_evidence(const char *path, ev_hash *h, kh_error *err)
{
    evidence *ev = ev_open(path, err);
    if (!ev)
        return -1;
    int rc = ev_content_hash(ev, h, err);
    ev_close(ev);
    return rc;
}

/* Each part's evidence of a merged run against the hash recorded for it: 1 if any changed
 * (each named on out), 0 if none, -1 with err. */
static int parts_changed(const stored_run *r, FILE *out, kh_error *err)
{
    int changed = 0;
    for (size_t i = 0; i < r->nparts; i++) {
        ev_hash h;
        if (hash_evidence(r->part_ev[i], &h, err) != 0)
            return -1;
        if (strcmp(h.sha256, r->part_sha[i]) != 0) {
            fprintf(out, "  证据库已改动：%s\n", r->part_ev[i]);
            changed = 1;
        }
        ev_hash_free(&h);
    }
    return changed;
}

/* The deductions (and, over several counties, the scores: when the outcome holds none) a
 * merged re-run streamed into its results database at `path`, added to the lists in the
 * stored run's format. 0, or -1 with err. */
static int read_rerun(const char *path, const kh_run_outcome *o, kv_list *scores, kv_list *deds,
                      kh_error *err)
{
    stored_run back; /* only its lists: the sinks that fill a stored run fill them */
    memset(&back, 0, sizeof back);
    back.scores = *scores;
    back.deductions = *deds;
    audit_run_sinks k = {NULL,         NULL, o->results.nscores ? NULL : on_score,
                         on_deduction, NULL, &back};
    audit_store *s = audit_store_open(path, err);
    int rc = s ? audit_store_records(s, o->run_id, &k, err) : -1;
    audit_store_close(s);
    *scores = back.scores;
    *deds = back.deductions;
    if (rc != 0)
        kh_seterr(err, "%s: cannot read the re-run's results", path);
    return rc;
}

/* A merged run (a province in shards): each part's evidence is checked against the hash
 * recorded for it, the shards are run and merged again exactly as before (into a scratch
 * results database), and the merged scores and deductions compared. */
static int reproduce_merged(const stored_run *r, const char *evidence_path, int changed, FILE *out,
                            kh_error *err)
{
    if (evidence_path) {
        kh_seterr(err,
                  "%s is a run merged from %zu parts: its evidence is the parts' (listed in "
                  "run_part); --evidence cannot replace them",
                  r->source, r->nparts);
        return -1;
    }
    int parts = parts_changed(r, out, err);
    if (parts < 0)
        return -1;
    changed |= parts;
    strbuf tmp = {0};
    if (kh_tmp_scratch(&tmp, "reproduce", err) != 0) {
        sb_free(&tmp);
        return -1;
    }
    kh_run_options opt;
    rerun_options(r, &opt);
    opt.spill_after = 200000;
    opt.results_db = sb_str(&tmp);
    kh_run_outcome o;
    int rc = kh_run_shards(&opt, r->part_ev, r->nparts, kh_default_jobs(), &o, err);
    rerun_options_free(&opt);
    kv_list scores = {0}, deds = {0};
    if (rc == 0) {
        changed |= language_changed(r, &o, out);
        outcome_lists(&o, &scores, &deds);
        rc = read_rerun(sb_str(&tmp), &o, &scores, &deds, err);
    }
    kh_run_outcome_free(&o);
    unlink(sb_str(&tmp));
    sb_free(&tmp);
    if (rc != 0) {
        kv_free(&scores);
        kv_free(&deds);
        return -1;
    }
    return compare_all(r, &scores, &deds, changed, out);
}

/* The shared files the run's sets came from (language v2 item 6) against their recorded
 * hashes, each file once with the sets it declared: 1 if any changed, 0 if none, -1 with err
 * if one is missing. Sets declared in a scorecard itself are covered by its own hash. */
static int shared_files_changed(const stored_run *r, FILE *out, kh_error *err)
{
    int changed = 0;
    for (size_t i = 0; i < r->nsets; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(r->set_file[j], r->set_file[i]) == 0;
        for (size_t j = 0; j < r->nsc; j++)
            seen |= strcmp(r->sc_file[j], r->set_file[i]) == 0;
        if (seen)
            continue;
        char sha[65];
        kh_error e2;
        if (kh_sha256_file(r->set_file[i], sha, &e2) != 0) {
            kh_seterr(err,
                      "%s: the shared file of the run's set %s is missing (run from the "
                      "directory the run was made in)",
                      r->set_file[i], r->set_name[i]);
            return -1;
        }
        if (strcmp(sha, r->set_sha[i]) == 0)
            continue;
        strbuf names = {0};
        for (size_t j = i; j < r->nsets; j++)
            if (strcmp(r->set_file[j], r->set_file[i]) == 0)
                sb_printf(&names, "%s%s", names.len ? "、" : "", r->set_name[j]);
        fprintf(out, "  共享集合文件已改动：%s（%s）\n", r->set_file[i], sb_str(&names));
        sb_free(&names);
        changed = 1;
    }
    return changed;
}

/* The run's scorecard files against their recorded hashes: 1 if any changed (each named on
 * out), 0 if none, -1 with err if one is missing. */
static int scorecards_changed(const stored_run *r, FILE *out, kh_error *err)
{
    int changed = 0;
    for (size_t i = 0; i < r->nsc; i++) {
        char sha[65];
        kh_error e2;
        if (kh_sha256_file(r->sc_file[i], sha, &e2) != 0) {
            kh_seterr(err,
                      "%s: the scorecard file of the run is missing (run from the directory "
                      "the run was made in)",
                      r->sc_file[i]);
            return -1;
        }
        if (strcmp(sha, r->sc_sha[i]) != 0) {
            fprintf(out, "  考核表文件已改动：%s（%s）\n", r->sc_file[i], r->sc_id[i]);
            changed = 1;
        }
    }
    int shared = shared_files_changed(r, out, err);
    return shared < 0 ? -1 : changed | shared;
}

/* The evidence tables changed or gone since the run, then those new (each named on out): 1 if
 * any, 0 if none. */
static int tables_changed(const stored_run *r, const ev_hash *h, FILE *out)
{
    int changed = 0;
    for (size_t i = 0; i < r->nev; i++) {
        const char *now = NULL;
        for (size_t k = 0; k < h->count; k++)
            if (strcmp(h->tables[k].table, r->ev_table[i]) == 0)
                now = h->tables[k].sha256;
        if (!now || strcmp(now, r->ev_sha[i]) != 0) {
            fprintf(out, "  证据表已改动：%s%s\n", r->ev_table[i], now ? "" : "（已不存在）");
            changed = 1;
        }
    }
    for (size_t k = 0; k < h->count; k++) {
        int known = 0;
        for (size_t i = 0; i < r->nev; i++)
            known |= strcmp(h->tables[k].table, r->ev_table[i]) == 0;
        if (!known) {
            fprintf(out, "  证据表为新增：%s\n", h->tables[k].table);
            changed = 1;
        }
    }
    return changed;
}

int kh_reproduce(const stored_run *r, const char *evidence_path, FILE *out, kh_error *err)
{
    const char *ev_path = evidence_path ? evidence_path : r->run.evidence_path;
    fprintf(out, "复核：%s（运行于 %s，考核期 %s，引擎 %s）\n", r->source, r->run.started_at,
            r->run.period, r->run.engine);
    /* what changed since: scorecard files, the language, evidence tables */
    int changed = scorecards_changed(r, out, err);
    if (changed < 0)
        return -1;
    if (r->nparts)
        return reproduce_merged(r, evidence_path, changed, out, err);
    ev_hash h;
    if (hash_evidence(ev_path, &h, err) != 0)
        return -1;
    changed |= tables_changed(r, &h, out);
    ev_hash_free(&h);
    /* the same run again */
    kh_run_options opt;
    rerun_options(r, &opt);
    opt.evidence_path = ev_path;
    kh_run_outcome o;
    int rc = kh_run(&opt, &o, err);
    rerun_options_free(&opt);
    if (rc != 0) {
        kh_run_outcome_free(&o);
        return -1;
    }
    changed |= language_changed(r, &o, out);
    kv_list scores = {0}, deds = {0};
    outcome_lists(&o, &scores, &deds);
    kh_run_outcome_free(&o);
    return compare_all(r, &scores, &deds, changed, out);
}

/* Compares the recorded scores and deductions with a re-run's (both lists are consumed). */
static int compare_all(const stored_run *r, kv_list *scores_in, kv_list *deds_in, int changed,
                       FILE *out)
{
    kv_list scores = *scores_in, deds = *deds_in;
    kv_list was_s = r->scores, was_d = r->deductions; /* sorted copies */
    kv_list ws = {xcalloc(was_s.n + 1, sizeof(kv)), was_s.n, was_s.n};
    kv_list wd = {xcalloc(was_d.n + 1, sizeof(kv)), was_d.n, was_d.n};
    memcpy(ws.v, was_s.v, was_s.n * sizeof(kv));
    memcpy(wd.v, was_d.v, was_d.n * sizeof(kv));
    qsort(ws.v, ws.n, sizeof(kv), kv_cmp);
    qsort(wd.v, wd.n, sizeof(kv), kv_cmp);
    if (scores.n)
        qsort(scores.v, scores.n, sizeof(kv), kv_cmp);
    if (deds.n) /* a re-run with no deductions has no array */
        qsort(deds.v, deds.n, sizeof(kv), kv_cmp);
    long ds = compare(&ws, &scores, 0, out);
    long dd = compare(&wd, &deds, 1, out);
    free(ws.v);
    free(wd.v);
    size_t ns = scores.n, nd = deds.n;
    kv_free(&scores);
    kv_free(&deds);
    if (ds == 0 && dd == 0) {
        fprintf(out, "结果一致：%zu 条评分、%zu 条扣分记录与原运行完全相同%s\n", ns, nd,
                changed ? "（上列改动未影响结果）" : "");
        return 0;
    }
    fprintf(out, "结果不同：%ld 项得分、%ld 项扣分证据与原运行不同\n", ds, dd);
    return 1;
}
