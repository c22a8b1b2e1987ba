/*
 * loader.c — runs a scorecard file in the sandbox and converts its declaration to C data.
 *
 * Loading and converting a scorecard is one protected call (sandbox_run): whatever the file
 * does, or whatever shape its declaration has, comes back as a message naming the file, never
 * as a crash. A declaration counts only if scorecard { … } made it: the language seals it
 * (host.seal) and the file gets a token standing for it; the declaration itself stays in a
 * registry table no scorecard can reach, so it can be neither forged nor changed after the
 * language checked it. The conversion still reads it without metamethods and checks every
 * type it relies on, so that a broken language file is reported, not trusted.
 */
#include "lua/loader.h"
#include "lua/syntax_hint.h"

#include <ctype.h>
#include <lauxlib.h>
#include <lua.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
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

/* Subjects v2: the words of a space- or '|'-separated list as a Lua array on the stack. */
static void push_words(lua_State *L, const char *list, char sep)
{
    lua_newtable(L);
    lua_Integer n = 0;
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, sep);
        size_t len = end ? (size_t)(end - p) : strlen(p);
        lua_pushlstring(L, p, len);
        lua_seti(L, -2, ++n);
        p = end ? end + 1 : NULL;
    }
}

/* Subjects v2: a kind's `filters` (column → list of its values, or true: any value) and
 * `parents` (the kinds a scorecard may declare as its parent), for the language's checks. */
static void push_kind_listing(lua_State *L, const kh_kind *k)
{
    if (!k->rows_sql)
        return;
    lua_newtable(L);
    for (const char *p = k->filters; p && *p;) {
        const char *end = strchr(p, ' ');
        char column[64], values[256];
        snprintf(column, sizeof column, "%.*s", (int)(end ? end - p : (long)strlen(p)), p);
        if (kh_kind_values(k, column, values, sizeof values))
            push_words(L, values, '|');
        else
            lua_pushboolean(L, 1);
        lua_setfield(L, -2, column);
        p = end ? end + 1 : NULL;
    }
    lua_setfield(L, -2, "filters");
    push_words(L, k->parents, ' ');
    lua_setfield(L, -2, "parents");
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
        push_kind_listing(L, &KH_KINDS[i]); /* subjects v2 */
        lua_seti(L, -2, i + 1);
    }
}

/* Registry keys: the weak-keyed table token -> sealed declaration, and the tokens' metatable
 * (addresses of these statics are unique light userdata). */
static const char SEALED_KEY = 'D';
static const char TOKEN_MT_KEY = 'T';

/* host.suggest(word, list) / kaohe.suggest: see loader.h. */
int sc_lua_suggest(lua_State *L)
{
    const char *typed = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    size_t n = (size_t)lua_rawlen(L, 2), k = 0;
    /* a userdata, so that the array is collected even if anything below raises */
    const char **known = lua_newuserdatauv(L, (n ? n : 1) * sizeof *known, 0);
    for (size_t i = 1; i <= n; i++) {
        if (lua_rawgeti(L, 2, (lua_Integer)i) == LUA_TSTRING)
            known[k++] = lua_tostring(L, -1); /* anchored in the list */
        lua_pop(L, 1);
    }
    const char *near = kh_suggest(typed, known, k);
    if (near)
        lua_pushstring(L, near);
    else
        lua_pushnil(L);
    return 1;
}

/* Any use of a token but returning it: the declaration it stands for is final. */
static int token_touched(lua_State *L)
{
    return luaL_error(L, "a scorecard declaration cannot be read or changed after scorecard { "
                         "... } has checked it: return it as it is");
}

/* host.seal(decl) -> token: keeps the declaration where only the loader can reach it and
 * returns an empty, protected table standing for it. */
static int host_seal(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SEALED_KEY);
    lua_newtable(L); /* the token */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &TOKEN_MT_KEY);
    lua_setmetatable(L, -2);
    lua_pushvalue(L, -1);
    lua_pushvalue(L, 1);
    lua_rawset(L, -4);
    return 1;
}

/* The registry tables host.seal uses: declarations by token (weak keys: a token nobody holds
 * frees its declaration) and the tokens' protected metatable. */
static void install_seal(lua_State *L)
{
    lua_newtable(L);
    lua_createtable(L, 0, 1);
    lua_pushliteral(L, "k");
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SEALED_KEY);
    static const luaL_Reg TOKEN_MT[] = {
        {"__index", token_touched}, {"__newindex", token_touched}, {NULL, NULL}};
    lua_createtable(L, 0, 3);
    luaL_setfuncs(L, TOKEN_MT, 0);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &TOKEN_MT_KEY);
}

/* [-1, +1] Replaces the value on top (what a scorecard file returned) with the declaration
 * its token stands for, or with nil when it is no token of host.seal. */
static void unseal(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SEALED_KEY);
    lua_pushvalue(L, -2);
    lua_rawget(L, -2);
    lua_replace(L, -3);
    lua_pop(L, 1);
}

/* What sc_loader_new's protected call works on. */
typedef struct new_ctx {
    sc_loader *ld;
    kh_error *err;
    int failed; /* err says why */
} new_ctx;

/* The body of sc_loader_new's protected call: runs dsl.lua with the host table and keeps the
 * vocabulary it returns. */
static int loader_body(lua_State *L)
{
    new_ctx *c = lua_touserdata(L, 1);
    install_seal(L);
    sandbox_push_host_env(c->ld->sb);
    if (sandbox_load_file(c->ld->sb, c->ld->dsl_path, c->ld->dsl_path, -1, c->err) != 0) {
        c->failed = 1;
        return 0;
    }
    lua_createtable(L, 0, 4);
    lua_pushcfunction(L, host_line);
    lua_setfield(L, -2, "line");
    sc_push_kinds(L);
    lua_setfield(L, -2, "kinds");
    lua_pushcfunction(L, sc_lua_suggest);
    lua_setfield(L, -2, "suggest");
    lua_pushcfunction(L, host_seal);
    lua_setfield(L, -2, "seal");
    lua_call(L, 1, 1);
    if (!lua_istable(L, -1)) {
        kh_seterr(c->err, "%s: the scorecard language must return a table", c->ld->dsl_path);
        c->failed = 1;
        return 0;
    }
    c->ld->exports_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

sc_loader *sc_loader_new(sandbox *sb, const char *home, kh_error *err)
{
    strbuf path = {0};
    sb_printf(&path, "%s/scripts/kaohe/dsl.lua", home);
    sc_loader *ld = xcalloc(1, sizeof *ld);
    ld->sb = sb;
    ld->exports_ref = LUA_NOREF;
    ld->dsl_path = sb_take(&path);
    new_ctx c = {ld, err, 0};
    if (sandbox_run(sb, loader_body, &c, ld->dsl_path, err) != 0 || c.failed ||
        kh_sha256_file(ld->dsl_path, ld->dsl_sha256, err) != 0) {
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

/* What converting one declaration carries from list to list: the scorecard being filled, where
 * problems go (and the line they default to), and the items' points as they are added up. */
typedef struct decl_ctx {
    scorecard *sc;
    int decl_line;
    strbuf *problems;
    points_t sum;
    strbuf terms; /* "5+10+…", shown when the sum is not the declared total */
    /* loader robustness: what the declaration lacks that the language always gives it */
    const char *dsl_path;
    strbuf malformed;
    const char *list; /* the list read_list walks ("items"), and the element's index in it */
    size_t at;
    int refused_points; /* some points were refused (decimals): the sum means nothing */
    /* shared sets (language v2 item 6): the loader (includes run in its sandbox), the file a
     * list of sets is read from (the scorecard or a shared file), its hash ("" for the
     * scorecard) and the line of its `sets` */
    sc_loader *ld;
    const char *set_file;
    const char *set_sha;
    int sets_line;
} decl_ctx;

/* [-0, +1] Pushes t[field] of the table at idx without metamethods (nil when idx holds no
 * table), and returns its type: converting never runs scorecard code and never fails on a
 * value of the wrong type, whatever the declaration holds. */
static int raw_field(lua_State *L, int idx, const char *field)
{
    idx = lua_absindex(L, idx);
    if (!lua_istable(L, idx)) {
        lua_pushnil(L);
        return LUA_TNIL;
    }
    lua_pushstring(L, field);
    return lua_rawget(L, idx);
}

/* Field readers for the table at `idx`: they copy what has the right type and ignore the rest
 * (the language checked the types; check_shape and friends report what it did not give). */
static char *get_str(lua_State *L, int idx, const char *field)
{
    char *s = NULL;
    if (raw_field(L, idx, field) == LUA_TSTRING)
        s = xstrdup(lua_tostring(L, -1));
    lua_pop(L, 1);
    return s;
}

static int get_int(lua_State *L, int idx, const char *field)
{
    int v = 0;
    if (raw_field(L, idx, field) == LUA_TNUMBER)
        v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* 1 if t[field] is the text `value`, compared in place (nothing is copied, so nothing can be
 * left to free). */
static int field_is(lua_State *L, int idx, const char *field, const char *value)
{
    int is = raw_field(L, idx, field) == LUA_TSTRING && strcmp(lua_tostring(L, -1), value) == 0;
    lua_pop(L, 1);
    return is;
}

/* Reads an optional number of points; -1 if absent. Adds a problem if not whole hundredths. */
static points_t get_points(lua_State *L, int idx, const char *field, const char *path, int line,
                           const char *what, strbuf *problems)
{
    points_t p = -1;
    if (raw_field(L, idx, field) == LUA_TNUMBER) {
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

/* Records that the declaration is not as the language makes it: "FILE:LINE: malformed
 * declaration from DSL: items[2].rule is missing (a table)". Only a language file that is not
 * the one kaohe ships can cause it; the message names both files. */
static void malformed(decl_ctx *x, const char *field, const char *problem)
{
    sb_printf(&x->malformed, "%s:%d: malformed declaration from %s: ", x->sc->path, x->decl_line,
              x->dsl_path);
    if (x->list)
        sb_printf(&x->malformed, "%s[%zu]%s%s", x->list, x->at, *field ? "." : "", field);
    else
        sb_append(&x->malformed, field);
    sb_printf(&x->malformed, " %s\n", problem);
}

/* 1 if the value at idx has type `want`; else records `field` as malformed. */
static int expect_type(lua_State *L, int idx, int want, decl_ctx *x, const char *field)
{
    int t = lua_type(L, idx);
    if (t == want)
        return 1;
    char why[96];
    if (t == LUA_TNIL || t == LUA_TNONE)
        snprintf(why, sizeof why, "is missing (a %s)", lua_typename(L, want));
    else
        snprintf(why, sizeof why, "is a %s, not a %s", lua_typename(L, t), lua_typename(L, want));
    malformed(x, field, why);
    return 0;
}

/* As expect_type, for t[field] of the table at idx. */
static int expect_field(lua_State *L, int idx, const char *field, int want, decl_ctx *x)
{
    raw_field(L, idx, field);
    int ok = expect_type(L, -1, want, x, field);
    lua_pop(L, 1);
    return ok;
}

/* ---- scorecard language v2: amounts named by parameter, caps and floors, time windows ---- */

/* The parameters a rule's amounts are bound from (the amounts themselves hold the defaults). */
static void read_rule_params(lua_State *L, int idx, sc_rule *r)
{
    r->each_param = get_str(L, idx, "each_param");
    r->cap_param = get_str(L, idx, "cap_param");
    r->yes_param = get_str(L, idx, "yes_param");
    r->no_param = get_str(L, idx, "no_param");
}

static void read_rule(lua_State *L, int idx, sc_item *it, const char *path, strbuf *problems)
{
    sc_rule *r = &it->rule;
    char what[160];
    snprintf(what, sizeof what, "item %s", it->no);
    static const struct {
        const char *name;
        sc_rule_kind kind;
    } KINDS[] = {{"per_case", RULE_PER_CASE},
                 {"deduct_if", RULE_DEDUCT_IF},
                 {"check", RULE_DEDUCT_IF},
                 {"finding", RULE_FINDING},
                 {"rate_at_least", RULE_RATE}};
    r->kind = 0; /* none: check_rule_shape reports it */
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        if (field_is(L, idx, "kind", KINDS[i].name)) {
            r->kind = KINDS[i].kind;
            r->written = KINDS[i].name;
        }
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
    read_rule_params(L, idx, r);
    if (raw_field(L, idx, "threshold") == LUA_TNUMBER)
        r->threshold = lua_tonumber(L, -1);
    lua_pop(L, 1);
    r->when_none = field_is(L, idx, "when_none", "pending") ? NONE_PENDING : NONE_NA;
    /* subjects v2: a finding about a related subject; one linked to none is 待核实 unless "na" */
    r->of = get_str(L, idx, "of");
    r->via = get_str(L, idx, "via");
    if (r->of)
        r->when_none = field_is(L, idx, "when_none", "na") ? NONE_NA : NONE_PENDING;
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

/* What evaluation relies on in a rule: a kind it knows, the query of every kind but finding,
 * the table per_case's keys name, and the points it awards or deducts. */
static void check_rule_shape(lua_State *L, int rule, const sc_item *it, decl_ctx *x)
{
    const sc_rule *r = &it->rule;
    if (!r->kind) {
        malformed(x, "rule.kind",
                  "is not a rule kind (finding, check, rate_at_least, per_case, deduct_if)");
        return;
    }
    if (r->kind != RULE_FINDING && raw_field(L, rule, "sql") != LUA_TSTRING)
        expect_type(L, -1, LUA_TSTRING, x, "rule.sql");
    lua_settop(L, rule);
    if (r->kind == RULE_PER_CASE && raw_field(L, rule, "evidence_table") != LUA_TSTRING)
        expect_type(L, -1, LUA_TSTRING, x, "rule.evidence_table");
    lua_settop(L, rule);
    if ((r->kind == RULE_FINDING || r->kind == RULE_RATE) && it->points < 0)
        malformed(x, "points", "is missing (a number: the rule awards the item's points)");
    else if (r->each < 0 && (r->kind == RULE_PER_CASE || r->kind == RULE_DEDUCT_IF))
        malformed(x, "rule.each", "is missing (a number: the points the rule deducts)");
}

/* A parameter: its name, its default (a number or text) and what it means. */
static void read_param(lua_State *L, int idx, sc_param *p, decl_ctx *x)
{
    p->name = get_str(L, idx, "name");
    p->desc = get_str(L, idx, "desc");
    expect_field(L, idx, "name", LUA_TSTRING, x);
    raw_field(L, idx, "value");
    if (lua_isinteger(L, -1)) {
        p->value.type = KH_INT;
        p->value.i = lua_tointeger(L, -1);
    } else if (lua_type(L, -1) == LUA_TNUMBER) {
        p->value.type = KH_REAL;
        p->value.r = lua_tonumber(L, -1);
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        p->value.type = KH_TEXT;
        p->value.s = xstrdup(lua_tostring(L, -1));
    } else {
        malformed(x, "value", "is neither a number nor text");
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

typedef void (*list_fn)(lua_State *L, int elem, decl_ctx *x);

/* The number of elements of the list t[field] of the table at idx (0 when absent). */
static size_t list_len(lua_State *L, int idx, const char *field)
{
    size_t n = raw_field(L, idx, field) == LUA_TTABLE ? (size_t)lua_rawlen(L, -1) : 0;
    lua_pop(L, 1);
    return n;
}

/* The one walk over a list of the declaration (problems, subjects, roll-ups, params, grades,
 * items): each element in order is pushed, handed to `each` by its stack index, and popped.
 * x->list and x->at say which element it is, for the messages about its shape. */
static void read_list(lua_State *L, int idx, const char *field, list_fn each, decl_ctx *x)
{
    size_t n = list_len(L, idx, field);
    if (raw_field(L, idx, field) != LUA_TNIL)
        expect_type(L, -1, LUA_TTABLE, x, field);
    int list = lua_gettop(L);
    x->list = field;
    for (size_t i = 1; i <= n; i++) {
        x->at = i;
        lua_rawgeti(L, list, (lua_Integer)i);
        each(L, lua_gettop(L), x);
        lua_settop(L, list);
    }
    x->list = NULL;
    lua_pop(L, 1);
}

/* Scorecard language v2: cap and floor of a section or of the form (the table at idx), each a
 * number of points: the default of the parameter named by cap_param / floor_param when one is. */
static void read_limits(lua_State *L, int idx, const char *path, int line, const char *what,
                        strbuf *problems, sc_limits *lim)
{
    lim->cap = get_points(L, idx, "cap", path, line, what, problems);
    lim->has_cap = lim->cap >= 0;
    lim->cap_param = get_str(L, idx, "cap_param");
    lim->floor = get_points(L, idx, "floor", path, line, what, problems);
    lim->has_floor = lim->floor >= 0;
    lim->floor_param = get_str(L, idx, "floor_param");
}

/* Scorecard language v2: a section, its title, line and limits. */
static void read_section(lua_State *L, int elem, decl_ctx *x)
{
    sc_section *sec = &x->sc->sections[x->sc->nsections++];
    sec->title = get_str(L, elem, "title");
    sec->line = get_int(L, elem, "line");
    char what[300];
    snprintf(what, sizeof what, "section \"%s\"", sec->title ? sec->title : "?");
    read_limits(L, elem, x->sc->path, sec->line, what, x->problems, &sec->limits);
}

/* Scorecard language v2: an item's section number, its window dates (or the parameters naming them)
 * and its years. */
static void read_item_window(lua_State *L, int elem, sc_item *it)
{
    it->section_no = (size_t)get_int(L, elem, "section_no");
    it->from = get_str(L, elem, "from");
    it->until = get_str(L, elem, "until");
    it->by = get_str(L, elem, "by");
    size_t n = list_len(L, elem, "years");
    if (!n)
        return;
    it->years = xcalloc(n, sizeof *it->years);
    raw_field(L, elem, "years");
    for (size_t i = 1; i <= n; i++) {
        /* raw: converting never runs scorecard code; the language checked they are years */
        if (lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TNUMBER)
            it->years[it->nyears++] = (int)lua_tointeger(L, -1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A problem the language found: "FILE:LINE: message", at the declaration's line if it has none. */
static void read_problem(lua_State *L, int elem, decl_ctx *x)
{
    if (!expect_type(L, elem, LUA_TTABLE, x, "") ||
        !expect_field(L, elem, "message", LUA_TSTRING, x))
        return;
    int line = get_int(L, elem, "line");
    char *msg = get_str(L, elem, "message");
    sb_printf(x->problems, "%s:%d: %s\n", x->sc->path, line > 0 ? line : x->decl_line, msg);
    free(msg);
}

/* A kind of subject (or of roll-up) named in `names`: one of core/kinds.h, listed once. */
static int read_kind_name(lua_State *L, int elem, char **names, int *n, decl_ctx *x)
{
    if (!expect_type(L, elem, LUA_TSTRING, x, ""))
        return -1;
    const char *name = lua_tostring(L, elem);
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], name) == 0) {
            malformed(x, "", "names a kind listed before");
            return -1;
        }
    if (!kh_kind_find(name) || *n >= SC_MAX_KINDS) {
        malformed(x, "", "is not a kind of subject (core/kinds.c)");
        return -1;
    }
    names[(*n)++] = xstrdup(name);
    return 0;
}

static void read_kind(lua_State *L, int elem, decl_ctx *x)
{
    read_kind_name(L, elem, x->sc->kinds, &x->sc->nkinds, x);
}

/* Subjects v2: one value of a filter (text, or an integer such as in_county = 1). */
static void read_filter_value(lua_State *L, int elem, sc_filter *f)
{
    kh_value *v = &f->values[f->nvalues];
    if (lua_type(L, elem) == LUA_TSTRING)
        *v = (kh_value){.type = KH_TEXT, .s = xstrdup(lua_tostring(L, elem))};
    else if (lua_isinteger(L, elem))
        *v = (kh_value){.type = KH_INT, .i = lua_tointeger(L, elem)};
    else
        return; /* the language refused it */
    f->nvalues++;
}

/* Subjects v2: one filter { column = "kind", values = { "村卫生室" } } of a listing. */
static void read_filter(lua_State *L, int elem, sc_listing *l)
{
    sc_filter *f = &l->filters[l->nfilters++];
    f->column = get_str(L, elem, "column");
    size_t n = list_len(L, elem, "values");
    f->values = xcalloc(n + 1, sizeof *f->values);
    raw_field(L, elem, "values");
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        read_filter_value(L, lua_gettop(L), f);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Subjects v2: how the scorecard lists one of its kinds, { kind, parent, filters = {...} }. */
static void read_listing(lua_State *L, int elem, decl_ctx *x)
{
    if (!expect_type(L, elem, LUA_TTABLE, x, ""))
        return;
    char *kind = get_str(L, elem, "kind");
    int k = 0;
    while (kind && k < x->sc->nkinds && strcmp(x->sc->kinds[k], kind) != 0)
        k++;
    free(kind);
    if (k >= x->sc->nkinds || x->sc->listing[k].parent || x->sc->listing[k].nfilters) {
        malformed(x, "kind", "is not one of the scorecard's subjects, or is listed twice");
        return;
    }
    sc_listing *l = &x->sc->listing[k];
    l->parent = get_str(L, elem, "parent");
    size_t n = list_len(L, elem, "filters");
    l->filters = xcalloc(n + 1, sizeof *l->filters);
    raw_field(L, elem, "filters");
    for (size_t i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)i) == LUA_TTABLE)
            read_filter(L, lua_gettop(L), l);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_rollup(lua_State *L, int elem, decl_ctx *x)
{
    read_kind_name(L, elem, x->sc->rollups, &x->sc->nrollups, x);
}

static void read_param_entry(lua_State *L, int elem, decl_ctx *x)
{
    if (expect_type(L, elem, LUA_TTABLE, x, ""))
        read_param(L, elem, &x->sc->params[x->sc->nparams++], x);
}

static void read_grade(lua_State *L, int elem, decl_ctx *x)
{
    if (!expect_type(L, elem, LUA_TTABLE, x, "") ||
        !expect_field(L, elem, "name", LUA_TSTRING, x) ||
        !expect_field(L, elem, "min", LUA_TNUMBER, x))
        return;
    sc_grade *g = &x->sc->grades[x->sc->ngrades++];
    g->name = get_str(L, elem, "name");
    g->min = get_points(L, elem, "min", x->sc->path, x->decl_line, "scorecard grades", x->problems);
    g->min_param = get_str(L, elem, "min_param");
}

/* ---- language v2: linked items, mixed levels, roll-up policies ------------------------- */

/* One link { kind = "veto"|"zero"|"na", no = "1" } of the item being read (the last one);
 * its source index is resolved once every item is in (resolve_links). */
static void read_link(lua_State *L, int elem, decl_ctx *x)
{
    sc_item *it = &x->sc->items[x->sc->nitems - 1];
    char *kind = get_str(L, elem, "kind");
    sc_link *l = &it->links[it->nlinks++];
    l->kind = !kind                       ? LINK_VETO
              : strcmp(kind, "na") == 0   ? LINK_NA
              : strcmp(kind, "zero") == 0 ? LINK_ZERO
                                          : LINK_VETO;
    l->no = get_str(L, elem, "no");
    if (!l->no)
        l->no = xstrdup("?");
    free(kind);
}

/* One kind of the item's `subjects`, as a bit of for_kinds (its index in scorecard.kinds). */
static void read_for_kind(lua_State *L, int elem, decl_ctx *x)
{
    sc_item *it = &x->sc->items[x->sc->nitems - 1];
    const char *kind = lua_type(L, elem) == LUA_TSTRING ? lua_tostring(L, elem) : NULL;
    for (int k = 0; kind && k < x->sc->nkinds; k++)
        if (strcmp(x->sc->kinds[k], kind) == 0)
            it->for_kinds |= 1u << k;
}

/* The item's links and the kinds it is scored for. The item's own place in "items" is put
 * back for the messages about its later fields. */
static void read_item_links(lua_State *L, int elem, decl_ctx *x, sc_item *it)
{
    const char *list = x->list;
    size_t at = x->at;
    it->links = xcalloc(list_len(L, elem, "links") + 1, sizeof *it->links);
    read_list(L, elem, "links", read_link, x);
    read_list(L, elem, "for_kinds", read_for_kind, x);
    x->list = list;
    x->at = at;
}

/* Each link's source item by number. The language has refused links to unknown items; one
 * left here would be a language bug, and is reported rather than followed. */
static void resolve_links(decl_ctx *x)
{
    scorecard *sc = x->sc;
    for (size_t i = 0; i < sc->nitems; i++)
        for (size_t l = 0; l < sc->items[i].nlinks; l++) {
            sc_link *link = &sc->items[i].links[l];
            size_t j = 0;
            while (j < sc->nitems && strcmp(sc->items[j].no, link->no) != 0)
                j++;
            link->source = j;
            if (j == sc->nitems && !x->problems->len)
                sb_printf(x->problems,
                          "%s:%d: item %s: links to item %s, which this scorecard "
                          "does not have\n",
                          sc->path, sc->items[i].line, sc->items[i].no, link->no);
        }
}

/* The roll-up policy: by = mean | mean_of_means | sum | min, pending = exclude | pending. */
static void read_rollup_policy(lua_State *L, int idx, scorecard *sc)
{
    static const char *const BY[] = {"mean", "mean_of_means", "sum", "min"};
    char *by = get_str(L, idx, "rollup_by"), *pending = get_str(L, idx, "rollup_pending");
    for (size_t i = 0; by && i < sizeof BY / sizeof BY[0]; i++)
        if (strcmp(by, BY[i]) == 0)
            sc->rollup_by = (sc_rollup_by)i;
    sc->rollup_pending = pending && strcmp(pending, "pending") == 0;
    free(by);
    free(pending);
}

/* An item and its rule; its points are added to the sum checked against the declared total. */
static void read_item(lua_State *L, int elem, decl_ctx *x)
{
    if (!expect_type(L, elem, LUA_TTABLE, x, ""))
        return;
    expect_field(L, elem, "no", LUA_TSTRING, x);
    expect_field(L, elem, "text", LUA_TSTRING, x);
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
    /* scorecard and section notes (考核评价): the section's note, carried by its items */
    it->section_note = get_str(L, elem, "section_note");
    char what[160];
    snprintf(what, sizeof what, "item %s", it->no);
    size_t had = x->problems->len;
    it->points = get_points(L, elem, "points", x->sc->path, it->line, what, x->problems);
    x->refused_points |= x->problems->len != had;
    if (it->points >= 0) {
        char buf[32];
        x->sum += it->points;
        sb_printf(&x->terms, "%s%s", x->terms.len ? "+" : "", points_format(it->points, buf, 32));
    }
    if (raw_field(L, elem, "rule") == LUA_TTABLE) {
        read_rule(L, lua_gettop(L), it, x->sc->path, x->problems);
        check_rule_shape(L, lua_gettop(L), it, x);
    } else {
        expect_type(L, -1, LUA_TTABLE, x, "rule");
    }
    lua_pop(L, 1);
    read_item_window(L, elem, it);
    read_item_links(L, elem, x, it);
    it->finding_clause = get_str(L, elem, "finding_clause"); /* issue 14 */
}

/* The declaration's single fields: id, titles, mode, total, veto grade. */
static void read_header(lua_State *L, int idx, decl_ctx *x)
{
    scorecard *sc = x->sc;
    expect_field(L, idx, "id", LUA_TSTRING, x);
    expect_field(L, idx, "title", LUA_TSTRING, x);
    sc->id = get_str(L, idx, "id");
    sc->title = get_str(L, idx, "title");
    sc->source = get_str(L, idx, "source");
    sc->period = get_str(L, idx, "period");
    sc->short_title = get_str(L, idx, "short");
    if (!sc->short_title)
        sc->short_title = xstrdup(sc->id ? sc->id : "考核表");
    if (!field_is(L, idx, "mode", "points") && !field_is(L, idx, "mode", "deduction"))
        malformed(x, "mode", "is neither \"points\" nor \"deduction\"");
    sc->mode = field_is(L, idx, "mode", "deduction") ? MODE_DEDUCTION : MODE_POINTS;
    sc->total = get_points(L, idx, "total", sc->path, x->decl_line, "scorecard", x->problems);
    /* scorecard and section notes (考核评价): the scorecard's own */
    sc->note = get_str(L, idx, "note");
    sc->reading = get_str(L, idx, "reading"); /* issue 14: the reading table */
}

/* Fills x->sc from the normalised declaration at idx. Problems (the language's own, then those
 * found here) go to x->problems, one per line; -1 if there are any. */
static int convert(lua_State *L, int idx, decl_ctx *x)
{
    scorecard *sc = x->sc;
    strbuf *problems = x->problems;
    x->decl_line = get_int(L, idx, "line");
    if (x->decl_line <= 0)
        x->decl_line = find_decl_line(sc->path);
    read_list(L, idx, "problems", read_problem, x);
    int language_found = problems->len > 0;
    read_header(L, idx, x);
    read_list(L, idx, "subjects", read_kind, x);
    read_list(L, idx, "rollup", read_rollup, x);
    read_list(L, idx, "listings", read_listing, x); /* subjects v2 */
    sc->veto_grade = get_str(L, idx, "veto_grade");
    if (!sc->veto_grade)
        sc->veto_grade = xstrdup("差");
    sc->params = xcalloc(list_len(L, idx, "params") + 1, sizeof *sc->params);
    read_list(L, idx, "params", read_param_entry, x);
    sc->grades = xcalloc(list_len(L, idx, "grades") + 1, sizeof *sc->grades);
    read_list(L, idx, "grades", read_grade, x);
    sc->grade_source = get_str(L, idx, "grade_source");
    sc->items = xcalloc(list_len(L, idx, "items") + 1, sizeof *sc->items);
    read_list(L, idx, "items", read_item, x);
    if (sc->nkinds == 0)
        malformed(x, "subjects", "lists no kind of subject");
    if (sc->nitems == 0)
        malformed(x, "items", "lists no item");
    /* scorecard language v2: sections and the form's own cap and floor */
    sc->sections = xcalloc(list_len(L, idx, "sections") + 1, sizeof *sc->sections);
    read_list(L, idx, "sections", read_section, x);
    read_limits(L, idx, sc->path, x->decl_line, "scorecard", x->problems, &sc->limits);
    sc->line = x->decl_line;
    resolve_links(x);
    read_rollup_policy(L, idx, sc);

    /* The printed 五督 form adds up to 95, not 100: a scorecard must state what its items add
     * up to, and a wrong claim is refused with the arithmetic shown. */
    if (sc->mode == MODE_POINTS && sc->total >= 0 && !x->refused_points && x->sum != sc->total) {
        char a[32], b[32];
        sb_printf(problems,
                  "%s:%d: scorecard: item points add up to %s (%s), not the declared "
                  "total %s\n",
                  sc->path, x->decl_line, points_format(x->sum, a, 32), sb_str(&x->terms),
                  points_format(sc->total, b, 32));
    }
    /* the language's own message says it better than the shape of what it left behind */
    if (!language_found)
        sb_append(problems, sb_str(&x->malformed));
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
    raw_field(L, elem, "index");
    for (size_t i = 0; i < set->nindex; i++) {
        /* raw, and text only: converting never runs scorecard code (the language checked) */
        lua_rawgeti(L, -1, (lua_Integer)i + 1);
        const char *col = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        set->index[i] = xstrdup(col ? col : "?");
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
    if (!lua_istable(L, -1) || raw_field(L, -1, "kaohe_sets") != LUA_TBOOLEAN) {
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
        /* the same context, pointed at the shared file for its sets (a copy would fork the
         * context's buffers), then put back */
        const char *set_file = x->set_file, *set_sha = x->set_sha;
        int sets_line = x->sets_line;
        x->set_file = sb_str(&file);
        x->set_sha = sha;
        x->sets_line = find_word_line(x->set_file, "sets", "{(", 0);
        read_list(L, lua_gettop(L), "problems", read_set_problem, x);
        read_list(L, lua_gettop(L), "sets", read_set, x);
        lua_pop(L, 1);
        x->set_file = set_file;
        x->set_sha = set_sha;
        x->sets_line = sets_line;
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
static void read_sets(lua_State *L, int idx, decl_ctx *x)
{
    x->set_file = x->sc->path;
    x->set_sha = "";
    x->sets_line = find_word_line(x->sc->path, "sets", "=", 0);
    if (x->sets_line <= 0)
        x->sets_line = find_decl_line(x->sc->path);
    read_list(L, idx, "set_problems", read_set_problem, x);
    read_list(L, idx, "sets", read_set, x);
    read_list(L, idx, "includes", read_include, x);
    sort_sets(x->sc);
    kh_sets_check_refs(x->sc, x->problems);
}

/* What sc_load's one protected call works on; sc_load owns and frees all of it, so that an
 * error raised anywhere inside leaves nothing behind. */
typedef struct load_ctx {
    sc_loader *ld;
    const char *path;
    kh_error *err;
    int failed; /* err says why */
    strbuf problems;
    decl_ctx x; /* x.sc: the scorecard being filled */
} load_ctx;

/* The body of sc_load's protected call: run the file in its own environment, find the
 * declaration its token stands for, and convert it. */
static int load_body(lua_State *L)
{
    load_ctx *c = lua_touserdata(L, 1);
    sandbox *sb = c->ld->sb;
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->ld->exports_ref);
    sandbox_push_env(sb, -1);
    if (sandbox_load_file(sb, c->path, c->path, -1, c->err) != 0) {
        sc_syntax_hint(c->path, c->err); /* "(in item 3?)" */
        c->failed = 1;
        return 0;
    }
    lua_call(L, 0, 1);
    unseal(L);
    if (!lua_istable(L, -1)) {
        kh_seterr(c->err,
                  "%s: does not return a scorecard (the file must end with "
                  "`return scorecard { ... }`)",
                  c->path);
        c->failed = 1;
        return 0;
    }
    /* a form has tens of items; a declaration of thousands is a generated or hostile file,
     * refused with one line rather than converted (and reported on) item by item */
    size_t nitems = list_len(L, lua_gettop(L), "items");
    if (nitems > SC_MAX_ITEMS) {
        kh_seterr(c->err, "%s: declares %zu items, more than the %d a scorecard may hold", c->path,
                  nitems, SC_MAX_ITEMS);
        c->failed = 1;
        return 0;
    }
    int failed = convert(L, lua_gettop(L), &c->x) != 0;
    read_sets(L, lua_gettop(L), &c->x); /* shared sets (language v2 item 6) */
    if (failed || c->problems.len) {
        /* drop the final newline: the boundary prints one message per line */
        if (c->problems.data[c->problems.len - 1] == '\n')
            c->problems.data[--c->problems.len] = '\0';
        kh_seterr(c->err, "%s", sb_str(&c->problems));
        c->failed = 1;
    }
    return 0;
}

int sc_load(sc_loader *ld, const char *path, scorecard **out, kh_error *err)
{
    *out = NULL;
    load_ctx c = {ld, path, err, 0, {0}, {0}};
    c.x.sc = xcalloc(1, sizeof *c.x.sc);
    c.x.sc->path = xstrdup(path);
    c.x.problems = &c.problems;
    c.x.dsl_path = ld->dsl_path;
    c.x.ld = ld; /* shared sets: includes run in the loader's sandbox */
    int rc = sandbox_run(ld->sb, load_body, &c, path, err) != 0 || c.failed ? -1 : 0;
    if (rc == 0)
        rc = kh_sha256_file(path, c.x.sc->sha256, err);
    sb_free(&c.problems);
    sb_free(&c.x.terms);
    sb_free(&c.x.malformed);
    if (rc != 0) {
        scorecard_free(c.x.sc);
        return -1;
    }
    *out = c.x.sc;
    return 0;
}
