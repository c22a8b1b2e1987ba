/*
 * report_run.c — 运行信息: what an auditor needs to reproduce the run: its number in the
 * results database, the time in local time, each parameter with what it means, and the files
 * by their place under KAOHE_HOME or by name and hash — an absolute path of the machine that
 * ran it (a build directory, a home folder) tells the reader nothing and changes the bytes.
 */
#define _DEFAULT_SOURCE /* realpath, readlink */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/home.h"
#include "base/when.h"
#include "report/report_internal.h"

/* 运行信息: a key and its value, one per row */
static const double RUN_WIDTHS[] = {22, 100};

static void kv(lxw_worksheet *ws, const formats *f, lxw_row_t *row, const char *k, const char *v)
{
    report_string(ws, *row, 0, k, f->head);
    report_string(ws, *row, 1, v ? v : "", f->wrap);
    const char *wrapped[] = {k, v};
    report_fit_row(ws, *row, wrapped, RUN_WIDTHS, 2);
    (*row)++;
}

/* Whether `path` is `dir` or below it. */
static int under(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    return n > 0 && strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* The directory of the running binary (a build tree's kaohe runs from the build directory):
 * "" if unknown. */
static void binary_dir(char *buf, size_t n)
{
    ssize_t len = readlink("/proc/self/exe", buf, n - 1);
    buf[len > 0 ? len : 0] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    else
        buf[0] = '\0';
}

/* Whether `real` (below `home`) is in a CMake build directory of the tree: the first folder
 * of its path under home holds a CMakeCache.txt (build/, build-asan/, whatever it is named). */
static int in_build_tree(const char *real, const char *home)
{
    const char *rel = real + strlen(home) + 1;
    const char *slash = strchr(rel, '/');
    if (!slash)
        return 0;
    strbuf cache = {0};
    sb_appendn(&cache, real, (size_t)(slash - real));
    sb_append(&cache, "/CMakeCache.txt");
    int built = access(sb_str(&cache), F_OK) == 0;
    sb_free(&cache);
    return built;
}

/* A file as 运行信息 names it: "KAOHE_HOME/REL" when it is under KAOHE_HOME (and not in a
 * build directory: the binary's, or one CMake made), else its file name alone — the hash
 * printed beside it identifies it. */
/* `path` resolved through its directory when the file itself does not exist (yet): an output
 * named on the command line is shown alike whether or not a previous run left it there, so the
 * same command writes the same 运行信息. 1 when resolved. */
static int real_path(const char *path, char real[PATH_MAX])
{
    if (realpath(path, real))
        return 1;
    const char *slash = strrchr(path, '/');
    char dir[PATH_MAX];
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if (slash == path)
        snprintf(dir, sizeof dir, "/");
    else if ((size_t)(slash - path) < sizeof dir)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        return 0;
    const char *base = slash ? slash + 1 : path;
    if (!*dir || !realpath(dir, real) || strlen(real) + 1 + strlen(base) >= PATH_MAX)
        return 0;
    strcat(real, "/");
    strcat(real, base);
    return 1;
}

static void shown_path(strbuf *sb, const char *path)
{
    char real[PATH_MAX], bin[PATH_MAX];
    const char *home = kh_home();
    binary_dir(bin, sizeof bin);
    if (real_path(path, real) && home && under(real, home) && strcmp(real, home) != 0 &&
        !(*bin && under(real, bin)) && !in_build_tree(real, home)) {
        sb_printf(sb, "KAOHE_HOME%s", real + strlen(home));
        return;
    }
    const char *slash = strrchr(path, '/');
    sb_append(sb, slash ? slash + 1 : path);
}

/* Each "; "-separated path of `list` (a merged run's evidence lists its shards) shown. */
static void shown_paths(strbuf *sb, const char *list)
{
    for (const char *p = list ? list : ""; *p;) {
        const char *end = strstr(p, "; ");
        char *one = xstrdup(p);
        if (end)
            one[end - p] = '\0';
        shown_path(sb, one);
        free(one);
        if (!end)
            break;
        sb_append(sb, "; ");
        p = end + 2;
    }
}

/* The command line with the program as "kaohe" and every word naming a file (alone or after
 * "--option=") shown as shown_path does. Words are split at spaces: a quoted word with a space
 * (manifest_init quotes those) is kept as it is. */
/* Whether `opt` ("--out" or "--out=…") names a file the run writes: it may not exist yet, and is
 * shown as one all the same (else its absolute path would be printed on a first run). */
static int output_option(const char *opt)
{
    static const char *const outs[] = {"--out", "--results", "--county-workbooks"};
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        size_t n = strlen(outs[i]);
        if (strncmp(opt, outs[i], n) == 0 && (opt[n] == '\0' || opt[n] == '='))
            return 1;
    }
    return 0;
}

static void shown_command(strbuf *sb, const char *line)
{
    const char *p = line ? line : "";
    int after_out = 0;
    for (int first = 1; *p; first = 0) {
        size_t n = strcspn(p, " ");
        char *word = xstrdup(p);
        word[n] = '\0';
        char *eq = word[0] == '-' ? strchr(word, '=') : NULL;
        const char *file = eq ? eq + 1 : word;
        int written = after_out || (eq && output_option(word));
        if (!first)
            sb_append(sb, " ");
        if (first) {
            sb_append(sb, "kaohe");
        } else if (*file && word[0] != '\'' && (written || access(file, F_OK) == 0)) {
            sb_appendn(sb, word, (size_t)(file - word));
            shown_path(sb, file);
        } else {
            sb_append(sb, word);
        }
        after_out = !eq && output_option(word);
        free(word);
        p += n;
        p += *p == ' ';
    }
}

/* The value `scorecard.name` was run with, from the manifest's "sc.name=value; ..." into sb;
 * 0 if it is not there. */
static int applied_value(strbuf *sb, const char *params, const char *sc, const char *name)
{
    strbuf key = {0};
    sb_printf(&key, "%s.%s=", sc, name);
    const char *p = params ? params : "", *hit = NULL;
    while ((hit = strstr(p, sb_str(&key))) && hit != params && strncmp(hit - 2, "; ", 2) != 0)
        p = hit + 1;
    if (hit) {
        hit += key.len;
        const char *end = strstr(hit, "; ");
        sb_appendn(sb, hit, end ? (size_t)(end - hit) : strlen(hit));
    }
    sb_free(&key);
    return hit != NULL;
}

/* A parameter's declared default as the manifest writes values. */
static void default_value(strbuf *sb, const sc_param *p)
{
    if (p->value.type == KH_INT)
        sb_printf(sb, "%lld", (long long)p->value.i);
    else if (p->value.type == KH_REAL)
        sb_printf(sb, "%.15g", p->value.r);
    else
        sb_append(sb, p->value.s ? p->value.s : "");
}

/* 参数: one line per declared parameter — what it means (the scorecard's description), its
 * name, the value run with, and the default when --param changed it. */
static void params_text(strbuf *sb, const kh_manifest *m, scorecard **scs, size_t nsc)
{
    for (size_t i = 0; i < nsc; i++)
        for (size_t j = 0; j < scs[i]->nparams; j++) {
            const sc_param *p = &scs[i]->params[j];
            strbuf run = {0}, def = {0};
            default_value(&def, p);
            if (!applied_value(&run, m->params, scs[i]->id, p->name))
                sb_append(&run, sb_str(&def));
            sb_printf(sb, "%s%s（%s.%s）：%s", sb->len ? "\n" : "",
                      p->desc && *p->desc ? p->desc : "（未说明）", scs[i]->id, p->name,
                      sb_str(&run));
            if (strcmp(sb_str(&run), sb_str(&def)) != 0)
                sb_printf(sb, "（本次设定；默认 %s）", sb_str(&def));
            sb_free(&run);
            sb_free(&def);
        }
    if (!sb->len)
        sb_append(sb, "（考核表未声明参数）");
}

/* 运行编号, 运行时间 (local) and 参数, the rows people look up first. */
static void run_rows(lxw_worksheet *ws, const formats *f, lxw_row_t *row, const kh_manifest *m,
                     scorecard **scs, size_t nsc)
{
    char buf[128];
    if (m->run_id > 0)
        snprintf(buf, sizeof buf, "运行 %lld（结果库中的编号，用于 --run %lld）",
                 (long long)m->run_id, (long long)m->run_id);
    else
        snprintf(buf, sizeof buf, "（未写入结果库）");
    kv(ws, f, row, "运行编号", buf);
    kh_time_local(m->started_at, buf, sizeof buf);
    kv(ws, f, row, "运行时间", buf);
    kv(ws, f, row, "运行时间(UTC)", m->started_at);
    kv(ws, f, row, "考核期", m->period);
    kv(ws, f, row, "整改完成时限", m->deadline);
    strbuf v = {0};
    params_text(&v, m, scs, nsc);
    kv(ws, f, row, "参数", sb_str(&v));
    sb_free(&v);
    shown_command(&v, m->command_line);
    kv(ws, f, row, "命令行", sb_str(&v));
    sb_free(&v);
}

/* A row whose value is a file (or files) named as shown_paths does. */
static void kv_path(lxw_worksheet *ws, const formats *f, lxw_row_t *row, const char *k,
                    const char *path)
{
    strbuf v = {0};
    shown_paths(&v, path);
    kv(ws, f, row, k, sb_str(&v));
    sb_free(&v);
}

void report_sheet_run(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                      size_t nsc, const kh_results *r, int summary)
{
    static const char *const heads[] = {"项目", "内容"};

    lxw_worksheet *ws =
        report_table_sheet(wb, f, "运行信息", "运行信息（复核本次考核所需的全部信息）", heads,
                           RUN_WIDTHS, NCOLS(heads, RUN_WIDTHS));
    lxw_row_t row = 2;
    char buf[128];
    kv(ws, f, &row, "引擎版本", m->engine_version);
    run_rows(ws, f, &row, m, scs, nsc);
    if (summary) {
        if (m->nparts > 1)
            snprintf(buf, sizeof buf, "%zu 个证据库（分片）合并运行：", m->nparts);
        else
            snprintf(buf, sizeof buf, "多县运行：");
        strbuf v = {0};
        sb_printf(&v, "%s省级汇总版，不含各对象考核表和逐条明细（见结果库与各县工作簿）", buf);
        kv(ws, f, &row, "工作簿内容", sb_str(&v));
        sb_free(&v);
    }
    kv_path(ws, f, &row, "证据库", m->evidence_path);
    kv(ws, f, &row, "证据内容哈希(SHA-256)", m->evidence.sha256);
    if (m->nparts == 0) /* a merge: each shard's own workbook and results say it */
        kv(ws, f, &row, "证据哈希",
           m->evidence_hash_reused
               ? "沿用缓存（证据文件未变：同一文件、大小、修改与状态变更时间、SQLite 变更计数均与"
                 "上次计算时相同；kaohe hash 与 reproduce 总是重新计算）"
               : "本次计算（逐表读取全部行）");
    kv_path(ws, f, &row, "考核表语言文件", m->language_path);
    kv(ws, f, &row, "考核表语言SHA-256", m->language_sha256);
    for (size_t i = 0; i < nsc; i++) {
        strbuf sb = {0}, file = {0};
        shown_path(&file, scs[i]->path);
        sb_printf(&sb, "%s（%s，%s）\n文件：%s\nSHA-256：%s", scs[i]->title, scs[i]->id,
                  sc_mode_name(scs[i]->mode), sb_str(&file), scs[i]->sha256);
        sb_free(&file);
        if (scs[i]->source)
            sb_printf(&sb, "\n依据：%s", scs[i]->source);
        snprintf(buf, sizeof buf, "考核表 %zu", i + 1);
        kv(ws, f, &row, buf, sb_str(&sb));
        sb_free(&sb);
        if (scs[i]->reading) { /* issue 14: where each computed item's reading is stated */
            snprintf(buf, sizeof buf, "考核表 %zu 解读表", i + 1);
            kv(ws, f, &row, buf, scs[i]->reading);
        }
    }
    for (size_t i = 0; i < m->nimports; i++) {
        char *const *part = m->imports[i]; /* file, sha256, table, read, accepted, rejected, time */
        strbuf v = {0};
        shown_path(&v, part[0]);
        sb_printf(&v, " → %s：读入 %s 行，导入 %s 行，拒收 %s 行；%s；SHA-256 %s", part[2], part[3],
                  part[4], part[5], part[6], part[1]);
        snprintf(buf, sizeof buf, "证据导入 %zu", i + 1);
        kv(ws, f, &row, buf, sb_str(&v));
        sb_free(&v);
    }
    snprintf(buf, sizeof buf, "%zu 条评分，%zu 条扣分记录", kh_results_nscores(r),
             kh_results_ndeductions(r));
    kv(ws, f, &row, "结果规模", buf);
    for (size_t i = 0; i < m->evidence.count; i++) {
        char key[160], val[160];
        snprintf(key, sizeof key, "证据表 %s", m->evidence.tables[i].table);
        snprintf(val, sizeof val, "%lld 行，SHA-256 %s", (long long)m->evidence.tables[i].rows,
                 m->evidence.tables[i].sha256);
        kv(ws, f, &row, key, val);
    }
}
