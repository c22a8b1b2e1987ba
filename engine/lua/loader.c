/*
 * loader.c — runs a scorecard file in the sandbox and converts its declaration to C data.
 */
#include "lua/loader.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sets.h"

struct sc_loader {
    sandbox *sb;
    int exports_ref; /* registry reference to the table dsl.lua returned */
    char *dsl_path;
    char dsl_sha256[65];
};

/* host.line(level): the current line of the function `level` levels up, or 0. */
static int host_line(lua_State *L)
{
    lua_Debug ar;
    int level = (int)luaL_checkinteger(L, 1);
    if (lua_getstack(L, level, &ar) && lua_getinfo(L, "l", &ar))
        lua_pushinteger(L, ar.currentline);
    else
        lua_pushinteger(L, 0);
    return 1;
}

/* host.kinds / kaohe.kinds from core/kinds.h: see loader.h. */
void sc_push_kinds(lua_State *L)
{
    lua_createtable(L, KH_NKINDS, 0);
    for (int i = 0; i < KH_NKINDS; i++) {
        lua_createtable(L, 0, 3);
        lua_pushstring(L, KH_KINDS[i].name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, KH_KINDS[i].label);
        lua_setfield(L, -2, "label");
        if (KH_KINDS[i].parent) {
            lua_pushstring(L, KH_KINDS[i].parent);
            lua_setfield(L, -2, "parent");
        }
        lua_seti(L, -2, i + 1);
    }
}

sc_loader *sc_loader_new(sandbox *sb, const char *home, kh_error *err)
{
    lua_State *L = sandbox_lua(sb);
    strbuf path = {0};
    sb_printf(&path, "%s/scripts/kaohe/dsl.lua", home);
    sandbox_push_host_env(sb);
    if (sandbox_load_file(sb, sb_str(&path), sb_str(&path), -1, err) != 0) {
        lua_pop(L, 1);
        sb_free(&path);
        return NULL;
    }
    lua_remove(L, -2); /* env */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, host_line);
    lua_setfield(L, -2, "line");
    sc_push_kinds(L);
    lua_setfield(L, -2, "kinds");
    if (sandbox_pcall(sb, 1, 1, sb_str(&path), err) != 0) {
        sb_free(&path);
        return NULL;
    }
    if (!lua_istable(L, -1)) {
        kh_seterr(err, "%s: the scorecard language must return a table", sb_str(&path));
        lua_pop(L, 1);
        sb_free(&path);
        return NULL;
    }
    sc_loader *ld = xcalloc(1, sizeof *ld);
    ld->sb = sb;
    ld->exports_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    ld->dsl_path = sb_take(&path);
    if (kh_sha256_file(ld->dsl_path, ld->dsl_sha256, err) != 0) {
        sc_loader_free(ld);
        return NULL;
    }
    return ld;
}

void sc_loader_free(sc_loader *ld)
{
    if (!ld)
        return;
    luaL_unref(sandbox_lua(ld->sb), LUA_REGISTRYINDEX, ld->exports_ref);
    free(ld->dsl_path);
    free(ld);
}

const char *sc_loader_dsl_path(const sc_loader *ld)
{
    return ld->dsl_path;
}

const char *sc_loader_dsl_sha256(const sc_loader *ld)
{
    return ld->dsl_sha256;
}

/* ---- reading the normalised declaration ------------------------------------------------ */

/* Field readers for the table at `idx`. The DSL has already checked types; these only copy. */
static char *get_str(lua_State *L, int idx, const char *field)
{
    char *s = NULL;
    if (lua_getfield(L, idx, field) == LUA_TSTRING)
        s = xstrdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return s;
}

static int get_int(lua_State *L, int idx, const char *field)
{
    int v = 0;
    if (lua_getfield(L, idx, field) == LUA_TNUMBER)
        v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Reads an optional number of points; -1 if absent. Adds a problem if not whole hundredths. */
static points_t get_points(lua_State *L, int idx, const char *field, const char *path, int line,
                           const char *what, strbuf *problems)
{
    points_t p = -1;
    if (lua_getfield(L, idx, field) == LUA_TNUMBER) {
        double d = lua_tonumber(L, -1);
        if (points_from_double(d, &p) != 0) {
            sb_printf(problems, "%s:%d: %s: %s %.10g has more than two decimals\n", path, line,
                      what, field, d);
            p = -1;
        }
    }
    lua_pop(L, 1);
    return p;
}

static void read_rule(lua_State *L, int idx, sc_item *it, const char *path, strbuf *problems)
{
    sc_rule *r = &it->rule;
    char what[160];
    snprintf(what, sizeof what, "item %s", it->no);
    char *kind = get_str(L, idx, "kind");
    static const struct {
        const char *name;
        sc_rule_kind kind;
    } KINDS[] = {{"per_case", RULE_PER_CASE},
                 {"deduct_if", RULE_DEDUCT_IF},
                 {"check", RULE_DEDUCT_IF},
                 {"finding", RULE_FINDING},
                 {"rate_at_least", RULE_RATE}};
    r->kind = RULE_DEDUCT_IF;
    for (size_t i = 0; kind && i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (strcmp(kind, KINDS[i].name) == 0)
            r->kind = KINDS[i].kind;
    free(kind);
    r->line = get_int(L, idx, "line");
    r->each = get_points(L, idx, "each", path, r->line, what, problems);
    r->cap = get_points(L, idx, "cap", path, r->line, what, problems);
    r->sql = get_str(L, idx, "sql");
    r->evidence_table = get_str(L, idx, "evidence_table");
    r->evidence_sql = get_str(L, idx, "evidence_sql");
    r->reason = get_str(L, idx, "reason");
    r->ok_reason = get_str(L, idx, "ok_reason");
    r->na_reason = get_str(L, idx, "na_reason");
    r->yes_points = get_points(L, idx, "yes", path, r->line, what, problems);
    r->no_points = get_points(L, idx, "no", path, r->line, what, problems);
    r->allow_partial = get_int(L, idx, "partial");
    r->threshold_param = get_str(L, idx, "threshold_param");
    if (lua_getfield(L, idx, "threshold") == LUA_TNUMBER)
        r->threshold = lua_tonumber(L, -1);
    lua_pop(L, 1);
    char *none = get_str(L, idx, "when_none");
    r->when_none = none && strcmp(none, "pending") == 0 ? NONE_PENDING : NONE_NA;
    free(none);
    /* rules that award the item's points: their amounts default to the item's */
    if (r->kind == RULE_DEDUCT_IF && r->each < 0)
        r->each = it->points;
    if (r->kind == RULE_RATE)
        r->each = it->points;
    if (r->kind == RULE_FINDING) {
        if (r->yes_points < 0)
            r->yes_points = it->points;
        if (r->no_points < 0)
            r->no_points = 0;
        if (it->points >= 0 && (r->yes_points > it->points || r->no_points > it->points))
            sb_printf(problems, "%s:%d: item %s: finding: yes/no points exceed the item's %s\n",
                      path, r->line, it->no, "分值");
    }
}

static void read_param(lua_State *L, int idx, sc_param *p)
{
    p->name = get_str(L, idx, "name");
    p->desc = get_str(L, idx, "desc");
    lua_getfield(L, idx, "value");
    if (lua_isinteger(L, -1)) {
        p->value.type = KH_INT;
        p->value.i = lua_tointeger(L, -1);
    } else if (lua_type(L, -1) == LUA_TNUMBER) {
        p->value.type = KH_REAL;
        p->value.r = lua_tonumber(L, -1);
    } else {
        p->value.type = KH_TEXT;
        p->value.s = xstrdup(lua_tostring(L, -1));
    }
    lua_pop(L, 1);
}

/* The first line of `path` from line `from` on, comment lines aside, where `word` is written
 * as a word followed (after blanks) by one of the characters of `next` ('=' not as part of
 * '=='); 0 if none. */
static int find_word_line(const char *path, const char *word, const char *next, int from)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    size_t wlen = strlen(word);
    int n = 0, found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        n++;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (n < from || (p[0] == '-' && p[1] == '-'))
            continue;
        for (const char *q = strstr(line, word); q && !found; q = strstr(q + 1, word)) {
            const char *r = q + wlen;
            while (*r == ' ' || *r == '\t')
                r++;
            int word_start = q == line || !(isalnum((unsigned char)q[-1]) || q[-1] == '_');
            if (word_start && *r && strchr(next, *r) && !(r[0] == '=' && r[1] == '='))
                found = n;
        }
    }
    fclose(f);
    return found;
}

/* `return scorecard { ... }` is a tail call, so Lua cannot tell the declaration's line; find
 * the first line of the file where `scorecard {` or `scorecard(` is written instead. */
static int find_decl_line(const char *path)
{
    return find_word_line(path, "scorecard", "{(", 0);
}

/* What converting one declaration carries from list to list: the scorecard being filled, where
 * problems go (and the line they default to), and the items' points as they are added up. */
typedef struct decl_ctx {
    scorecard *sc;
    int decl_line;
    strbuf *problems;
    points_t sum;
    strbuf terms; /* "5+10+…", shown when the sum is not the declared total */
    /* shared sets (language v2 item 6): the file a list of sets is read from (the scorecard
     * or a shared file), its hash ("" for the scorecard) and the line of its `sets` */
    sc_loader *ld;
    const char *set_file;
    const char *set_sha;
    int sets_line;
} decl_ctx;

typedef void (*list_fn)(lua_State *L, int elem, decl_ctx *x);

/* The number of elements of the list t[field] of the table at idx (0 when absent). */
static size_t list_len(lua_State *L, int idx, const char *field)
{
    size_t n = lua_getfield(L, idx, field) == LUA_TTABLE ? (size_t)luaL_len(L, -1) : 0;
    lua_pop(L, 1);
    return n;
}

/* The one walk over a list of the declaration (problems, subjects, roll-ups, params, grades,
 * items): each element in order is pushed, handed to `each` by its stack index, and popped. */
static void read_list(lua_State *L, int idx, const char *field, list_fn each, decl_ctx *x)
{
    size_t n = list_len(L, idx, field);
    lua_getfield(L, idx, field);
    int list = lua_gettop(L);
    for (size_t i = 1; i <= n; i++) {
        lua_geti(L, list, (lua_Integer)i);
        each(L, lua_gettop(L), x);
        lua_settop(L, list);
    }
    lua_pop(L, 1);
}

/* A problem the language found: "FILE:LINE: message", at the declaration's line if it has none. */
static void read_problem(lua_State *L, int elem, decl_ctx *x)
{
    int line = get_int(L, elem, "line");
    char *msg = get_str(L, elem, "message");
    sb_printf(x->problems, "%s:%d: %s\n", x->sc->path, line > 0 ? line : x->decl_line,
              msg ? msg : "?");
    free(msg);
}

static void read_kind(lua_State *L, int elem, decl_ctx *x)
{
    if (x->sc->nkinds < SC_MAX_KINDS)
        x->sc->kinds[x->sc->nkinds++] = xstrdup(lua_tostring(L, elem));
}

static void read_rollup(lua_State *L, int elem, decl_ctx *x)
{
    if (x->sc->nrollups < SC_MAX_KINDS)
        x->sc->rollups[x->sc->nrollups++] = xstrdup(lua_tostring(L, elem));
}

static void read_param_entry(lua_State *L, int elem, decl_ctx *x)
{
    read_param(L, elem, &x->sc->params[x->sc->nparams++]);
}

static void read_grade(lua_State *L, int elem, decl_ctx *x)
{
    sc_grade *g = &x->sc->grades[x->sc->ngrades++];
    g->name = get_str(L, elem, "name");
    g->min = get_points(L, elem, "min", x->sc->path, x->decl_line, "scorecard grades", x->problems);
}

/* An item and its rule; its points are added to the sum checked against the declared total. */
static void read_item(lua_State *L, int elem, decl_ctx *x)
{
    sc_item *it = &x->sc->items[x->sc->nitems++];
    it->no = get_str(L, elem, "no");
    if (!it->no)
        it->no = xstrdup("?");
    it->text = get_str(L, elem, "text");
    it->per = get_str(L, elem, "per");
    it->accountable = get_str(L, elem, "accountable");
    it->note = get_str(L, elem, "note");
    it->section = get_str(L, elem, "section");
    it->line = get_int(L, elem, "line");
    it->veto = get_int(L, elem, "veto");
    char what[160];
    snprintf(what, sizeof what, "item %s", it->no);
    it->points = get_points(L, elem, "points", x->sc->path, it->line, what, x->problems);
    if (it->points >= 0) {
        char buf[32];
        x->sum += it->points;
        sb_printf(&x->terms, "%s%s", x->terms.len ? "+" : "", points_format(it->points, buf, 32));
    }
    if (lua_getfield(L, elem, "rule") == LUA_TTABLE)
        read_rule(L, lua_gettop(L), it, x->sc->path, x->problems);
    lua_pop(L, 1);
}

/* The declaration's single fields: id, titles, mode, total, veto grade. */
static void read_header(lua_State *L, int idx, decl_ctx *x)
{
    scorecard *sc = x->sc;
    sc->id = get_str(L, idx, "id");
    sc->title = get_str(L, idx, "title");
    sc->source = get_str(L, idx, "source");
    sc->period = get_str(L, idx, "period");
    sc->short_title = get_str(L, idx, "short");
    if (!sc->short_title)
        sc->short_title = xstrdup(sc->id ? sc->id : "考核表");
    char *mode = get_str(L, idx, "mode");
    sc->mode = mode && strcmp(mode, "deduction") == 0 ? MODE_DEDUCTION : MODE_POINTS;
    free(mode);
    sc->total = get_points(L, idx, "total", sc->path, x->decl_line, "scorecard", x->problems);
}

/* Fills sc from the normalised declaration at idx. Problems (the language's own, then those
 * found here) go to `problems`, one per line; -1 if there are any. */
static int convert(lua_State *L, int idx, scorecard *sc, strbuf *problems)
{
    decl_ctx x = {.sc = sc, .decl_line = get_int(L, idx, "line"), .problems = problems};
    if (x.decl_line <= 0)
        x.decl_line = find_decl_line(sc->path);
    read_list(L, idx, "problems", read_problem, &x);
    read_header(L, idx, &x);
    read_list(L, idx, "subjects", read_kind, &x);
    read_list(L, idx, "rollup", read_rollup, &x);
    sc->veto_grade = get_str(L, idx, "veto_grade");
    if (!sc->veto_grade)
        sc->veto_grade = xstrdup("差");
    sc->params = xcalloc(list_len(L, idx, "params"), sizeof *sc->params);
    read_list(L, idx, "params", read_param_entry, &x);
    sc->grades = xcalloc(list_len(L, idx, "grades"), sizeof *sc->grades);
    read_list(L, idx, "grades", read_grade, &x);
    sc->items = xcalloc(list_len(L, idx, "items"), sizeof *sc->items);
    read_list(L, idx, "items", read_item, &x);

    /* The printed 五督 form adds up to 95, not 100: a scorecard must state what its items add
     * up to, and a wrong claim is refused with the arithmetic shown. */
    if (sc->mode == MODE_POINTS && sc->total >= 0 && x.sum != sc->total) {
        char a[32], b[32];
        sb_printf(problems,
                  "%s:%d: scorecard: item points add up to %s (%s), not the declared "
                  "total %s\n",
                  sc->path, x.decl_line, points_format(x.sum, a, 32), sb_str(&x.terms),
                  points_format(sc->total, b, 32));
    }
    sb_free(&x.terms);
    return problems->len ? -1 : 0;
}

/* ---- shared sets (language v2 item 6) ---------------------------------------------------
 * The declaration's `sets` (the scorecard's own, in name order), the problems the language
 * found in them, and its includes: each shared file is read by the host and run in the
 * sandbox like a scorecard, and must return `sets { ... }`. See core/sets.h. */

static void read_set(lua_State *L, int elem, decl_ctx *x)
{
    scorecard *sc = x->sc;
    sc->sets = xrealloc(sc->sets, (sc->nsets + 1) * sizeof *sc->sets);
    sc_set *set = &sc->sets[sc->nsets++];
    memset(set, 0, sizeof *set);
    set->name = get_str(L, elem, "name");
    set->sql = get_str(L, elem, "sql");
    set->nindex = list_len(L, elem, "index");
    set->index = xcalloc(set->nindex + 1, sizeof *set->index);
    lua_getfield(L, elem, "index");
    for (size_t i = 0; i < set->nindex; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        set->index[i] = xstrdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    set->file = xstrdup(x->set_file);
    set->line = find_word_line(x->set_file, set->name, "=", x->sets_line);
    if (set->line <= 0)
        set->line = x->sets_line;
    snprintf(set->sha256, sizeof set->sha256, "%s", x->set_sha);
}

/* A problem in a set: at the line given, or where the set's name is written. */
static void read_set_problem(lua_State *L, int elem, decl_ctx *x)
{
    int line = get_int(L, elem, "line");
    char *set = get_str(L, elem, "set");
    char *msg = get_str(L, elem, "message");
    if (line <= 0 && set)
        line = find_word_line(x->set_file, set, "=", x->sets_line);
    sb_printf(x->problems, "%s:%d: %s\n", x->set_file, line > 0 ? line : x->sets_line,
              msg ? msg : "?");
    free(set);
    free(msg);
}

/* [-0, +0] Runs the shared file `file` in its own environment; on success its `sets { ... }`
 * table is left at the top (1), else a message is in err (-1). */
static int run_shared(sc_loader *ld, const char *file, kh_error *err)
{
    lua_State *L = sandbox_lua(ld->sb);
    int top = lua_gettop(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ld->exports_ref);
    sandbox_push_env(ld->sb, -1);
    if (sandbox_load_file(ld->sb, file, file, -1, err) != 0 ||
        sandbox_pcall(ld->sb, 0, 1, file, err) != 0) {
        lua_settop(L, top);
        return -1;
    }
    if (!lua_istable(L, -1) || lua_getfield(L, -1, "kaohe_sets") != LUA_TBOOLEAN) {
        kh_seterr(err, "%s does not return sets (a shared file ends with `return sets { ... }`)",
                  file);
        lua_settop(L, top);
        return -1;
    }
    lua_pop(L, 1);
    lua_replace(L, top + 1); /* the sets table over the exports */
    lua_settop(L, top + 1);
    return 0;
}

/* One `include "shared/x.lua"`: the file beside the scorecard, its problems and its sets. */
static void read_include(lua_State *L, int elem, decl_ctx *x)
{
    char *path = get_str(L, elem, "path");
    int line = get_int(L, elem, "line");
    const char *slash = strrchr(x->sc->path, '/');
    strbuf file = {0};
    sb_printf(&file, "%.*s%s", slash ? (int)(slash - x->sc->path + 1) : 0, x->sc->path, path);
    kh_error err;
    char sha[65] = "";
    if (run_shared(x->ld, sb_str(&file), &err) != 0 ||
        kh_sha256_file(sb_str(&file), sha, &err) != 0) {
        sb_printf(x->problems, "%s:%d: include \"%s\": %s\n", x->sc->path, line, path, err.msg);
    } else {
        decl_ctx shared = *x;
        shared.set_file = sb_str(&file);
        shared.set_sha = sha;
        shared.sets_line = find_word_line(shared.set_file, "sets", "{(", 0);
        read_list(L, lua_gettop(L), "problems", read_set_problem, &shared);
        read_list(L, lua_gettop(L), "sets", read_set, &shared);
        lua_pop(L, 1);
    }
    sb_free(&file);
    free(path);
}

static int cmp_set(const void *a, const void *b)
{
    const sc_set *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    c = c ? c : strcmp(x->file, y->file);
    return c ? c : x->line - y->line;
}

/* The scorecard's sets in name order, a set declared twice alike kept once (two different
 * SQLs under one name are reported when the sets are made, naming both places). */
static void sort_sets(scorecard *sc)
{
    if (sc->nsets > 1)
        qsort(sc->sets, sc->nsets, sizeof *sc->sets, cmp_set);
    size_t kept = 0;
    for (size_t i = 0; i < sc->nsets; i++) {
        sc_set *s = &sc->sets[i];
        if (kept && strcmp(sc->sets[kept - 1].name, s->name) == 0 &&
            strcmp(sc->sets[kept - 1].sql, s->sql) == 0) {
            sc_set_free(s);
            continue;
        }
        sc->sets[kept++] = *s;
    }
    sc->nsets = kept;
}

/* Reads the sets of the declaration at idx into sc (problems appended, one per line). */
static void read_sets(sc_loader *ld, lua_State *L, int idx, scorecard *sc, strbuf *problems)
{
    decl_ctx x = {.sc = sc, .problems = problems, .ld = ld, .set_file = sc->path, .set_sha = ""};
    x.sets_line = find_word_line(sc->path, "sets", "=", 0);
    if (x.sets_line <= 0)
        x.sets_line = find_decl_line(sc->path);
    read_list(L, idx, "set_problems", read_set_problem, &x);
    read_list(L, idx, "sets", read_set, &x);
    read_list(L, idx, "includes", read_include, &x);
    sort_sets(sc);
    kh_sets_check_refs(sc, problems);
}

int sc_load(sc_loader *ld, const char *path, scorecard **out, kh_error *err)
{
    lua_State *L = sandbox_lua(ld->sb);
    int top = lua_gettop(L);
    *out = NULL;
    lua_rawgeti(L, LUA_REGISTRYINDEX, ld->exports_ref);
    sandbox_push_env(ld->sb, -1);
    if (sandbox_load_file(ld->sb, path, path, -1, err) != 0) {
        lua_settop(L, top);
        return -1;
    }
    if (sandbox_pcall(ld->sb, 0, 1, path, err) != 0) {
        lua_settop(L, top);
        return -1;
    }
    if (!lua_istable(L, -1) || (lua_getfield(L, -1, "kaohe_scorecard"), !lua_toboolean(L, -1))) {
        kh_seterr(err,
                  "%s: does not return a scorecard (the file must end with "
                  "`return scorecard { ... }`)",
                  path);
        lua_settop(L, top);
        return -1;
    }
    lua_pop(L, 1);
    scorecard *sc = xcalloc(1, sizeof *sc);
    sc->path = xstrdup(path);
    strbuf problems = {0};
    int rc = convert(L, lua_gettop(L), sc, &problems);
    read_sets(ld, L, lua_gettop(L), sc, &problems); /* shared sets (language v2 item 6) */
    rc = problems.len ? -1 : rc;
    lua_settop(L, top);
    if (rc == 0 && kh_sha256_file(path, sc->sha256, err) != 0) {
        scorecard_free(sc);
        sb_free(&problems);
        return -1;
    }
    if (rc != 0) {
        /* drop the final newline: the boundary prints one message per line */
        if (problems.len && problems.data[problems.len - 1] == '\n')
            problems.data[--problems.len] = '\0';
        kh_seterr(err, "%s", sb_str(&problems));
        sb_free(&problems);
        scorecard_free(sc);
        return -1;
    }
    sb_free(&problems);
    *out = sc;
    return 0;
}
