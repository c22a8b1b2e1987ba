/*
 * lmodule.c — the engine as a Lua C module, so busted specs (and inspectors testing their own
 * scorecards) can `require "kaohe"`:
 *
 *   local kaohe = require "kaohe"
 *   kaohe.build_evidence(db, { "fixtures/evidence-schema.sql", "fixtures/small/x.sql" })
 *   local r = assert(kaohe.run { evidence = db, scorecards = { "scorecards/x.lua" },
 *                                period = "2018", params = { name = "value" },
 *                                out = "r.xlsx", results = "r.db",
 *                                jobs = 2 })   -- optional: items on 2 worker threads
 *   r.scores[scorecard_id][kind][subject_id][item_no]  -> { points, points_x100, status,
 *                                                          reason, cases, max_x100 }
 *   r.totals[scorecard_id][kind][subject_id]           -> { total, total_x100, rank, grade,
 *                                                          pending }
 *   r.deductions                                        -> array of { scorecard, kind, subject,
 *                                                          item, points_x100, table, key, reason }
 *   r.sets_materialised, r.sets[name] -> { rows, file } -- the shared sets the run made, once each
 *   kaohe.check { evidence = db, scorecards = { ... } } -> true | nil, message
 *                (without evidence: checked against the bundled schema, as `kaohe check`)
 *   kaohe.kinds  -> the kinds of subject, as the scorecard language gets them (host.kinds)
 *   kaohe.suggest(word, list) -> the entry of list nearest a mistyped word, or nil: the same
 *                   "did you mean" the language uses (host.suggest), for kaohe.testing's keys
 *
 * Errors in the scorecard or the evidence come back as nil, message (the same text the CLI
 * prints after "kaohe: error: "); misuse of the API raises.
 */
#include <lauxlib.h>
#include <lua.h>
#include <stdlib.h>
#include <string.h>

#include "app/run.h"
#include "core/sets.h"
#include "evidence/evidence_build.h"
#include "evidence/sqlite_heap.h"
#include "lua/loader.h"

/* ---- arguments ---------------------------------------------------------------------------
 * Every value the API reads is checked for its type before use, and read raw (no __index or
 * __len can run Lua code between the check and the use). C memory a call needs lives in Lua
 * userdata, and the strings it points to stay on the stack, so a raise at any point (a bad
 * entry halfway down a list) leaks nothing: the collector takes the block. The evidence writer,
 * which owns a temporary file, sits in a to-be-closed box (writer_box below). */

/* [-0, +1] `size` zeroed bytes owned by a new userdata on the stack. */
static void *lua_block(lua_State *L, size_t size)
{
    void *p = lua_newuserdatauv(L, size ? size : 1, 0);
    memset(p, 0, size ? size : 1);
    return p;
}

/* [-0, +1] t[field] (t an absolute index), left on the stack so that the string stays
 * anchored: NULL when nil; a string, or a number (converted in its stack slot); anything else
 * raises naming the field. */
static const char *opt_field(lua_State *L, int t, const char *field)
{
    lua_pushstring(L, field);
    int type = lua_rawget(L, t);
    if (type == LUA_TNIL)
        return NULL;
    if (type != LUA_TSTRING && type != LUA_TNUMBER)
        luaL_argerror(L, t,
                      lua_pushfstring(L, "field %s: a string expected, got %s", field,
                                      lua_typename(L, type)));
    return lua_tostring(L, -1);
}

/* t[field] as an integer: 0 when nil; anything but an integer raises naming the field. */
static lua_Integer opt_int(lua_State *L, int t, const char *field)
{
    lua_pushstring(L, field);
    int type = lua_rawget(L, t);
    if (type != LUA_TNIL && !lua_isinteger(L, -1))
        luaL_argerror(L, t,
                      lua_pushfstring(L, "field %s: an integer expected, got %s", field,
                                      luaL_typename(L, -1)));
    lua_Integer v = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* t[field] as a flag: 0 when nil; anything but a boolean raises naming the field. */
static int opt_bool(lua_State *L, int t, const char *field)
{
    lua_pushstring(L, field);
    int type = lua_rawget(L, t);
    if (type != LUA_TNIL && type != LUA_TBOOLEAN)
        luaL_argerror(L, t,
                      lua_pushfstring(L, "field %s: a boolean expected, got %s", field,
                                      lua_typename(L, type)));
    int v = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return v;
}

/* [-0, +1] The strings of list (an absolute index of a table), in a userdata block left on the
 * stack; the strings are anchored in the list. Raises naming `what` and the entry that is not
 * a string. */
static const char **list_strings(lua_State *L, int list, int arg, const char *what, size_t *n)
{
    *n = (size_t)lua_rawlen(L, list);
    const char **v = lua_block(L, *n * sizeof *v);
    for (size_t i = 0; i < *n; i++) {
        int type = lua_rawgeti(L, list, (lua_Integer)i + 1);
        if (type != LUA_TSTRING)
            luaL_argerror(L, arg,
                          lua_pushfstring(L, "%s[%d]: a file name expected, got %s", what,
                                          (int)i + 1, lua_typename(L, type)));
        v[i] = lua_tostring(L, -1);
        lua_pop(L, 1); /* anchored in the list */
    }
    return v;
}

/* [-0, +2] t[field]: one file name or a list of them, as an array in a userdata block. The
 * field's value and the block stay on the stack. */
static const char **string_list(lua_State *L, int t, const char *field, size_t *n)
{
    lua_pushstring(L, field);
    int type = lua_rawget(L, t);
    if (type == LUA_TSTRING) {
        const char **v = lua_block(L, sizeof *v);
        v[0] = lua_tostring(L, -2);
        *n = 1;
        return v;
    }
    if (type != LUA_TTABLE)
        luaL_argerror(L, t,
                      lua_pushfstring(L, "field %s: a file name or a list of them expected, got %s",
                                      field, lua_typename(L, type)));
    return list_strings(L, lua_gettop(L), t, field, n);
}

/* [-0, +3] The parameter overrides of t.params: an array in a userdata block, the names
 * anchored in params and the values in a table beside it, all three left on the stack. Names
 * must be strings; values are taken as text (tostring). */
static kh_override *overrides(lua_State *L, int t, size_t *n)
{
    *n = 0;
    lua_pushstring(L, "params");
    int type = lua_rawget(L, t);
    if (type == LUA_TNIL)
        return NULL;
    if (type != LUA_TTABLE)
        luaL_argerror(L, t,
                      lua_pushfstring(L, "field params: a table of name = value expected, got %s",
                                      lua_typename(L, type)));
    int params = lua_gettop(L);
    size_t count = 0;
    for (lua_pushnil(L); lua_next(L, params); lua_pop(L, 1))
        count++;
    kh_override *ov = lua_block(L, count * sizeof *ov);
    lua_newtable(L); /* anchors the values' strings */
    int anchor = lua_gettop(L);
    for (lua_pushnil(L); lua_next(L, params) && *n < count; lua_pop(L, 1)) {
        if (lua_type(L, -2) != LUA_TSTRING) /* never lua_tostring on a key lua_next reads */
            luaL_argerror(L, t,
                          lua_pushfstring(L, "field params: a parameter name expected, got %s",
                                          luaL_typename(L, -2)));
        ov[*n].name = (char *)lua_tostring(L, -2); /* anchored in params */
        ov[*n].value = (char *)luaL_tolstring(L, -1, NULL);
        lua_rawseti(L, anchor, (lua_Integer)*n + 1);
        (*n)++;
    }
    return ov;
}

/* [-0, +1] t[k1][k2]..., creating tables on the way */
static void sub_table(lua_State *L, const char *key)
{
    if (lua_getfield(L, -1, key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, key);
    }
    lua_remove(L, -2);
}

static void push_points(lua_State *L, const char *name, points_t p)
{
    char key[64];
    lua_pushnumber(L, points_to_double(p));
    lua_setfield(L, -2, name);
    snprintf(key, sizeof key, "%s_x100", name);
    lua_pushinteger(L, p);
    lua_setfield(L, -2, key);
}

/* shared sets (language v2 item 6): r.sets_materialised, how many sets the run made (each
 * once, however many items and scorecards read it), and r.sets[name] = { rows, file }. */
static void push_sets(lua_State *L, const kh_results *r)
{
    lua_pushinteger(L, (lua_Integer)r->nset_runs);
    lua_setfield(L, -2, "sets_materialised");
    lua_createtable(L, 0, (int)r->nset_runs);
    for (size_t i = 0; i < r->nset_runs; i++) {
        lua_createtable(L, 0, 2);
        lua_pushinteger(L, r->set_runs[i].rows);
        lua_setfield(L, -2, "rows");
        lua_pushstring(L, r->set_runs[i].file);
        lua_setfield(L, -2, "file");
        lua_setfield(L, -2, r->set_runs[i].name);
    }
    lua_setfield(L, -2, "sets");
}

static void push_outcome(lua_State *L, const kh_run_outcome *o)
{
    const kh_results *r = &o->results;
    lua_newtable(L);
    lua_pushstring(L, r->period);
    lua_setfield(L, -2, "period");
    lua_pushinteger(L, o->run_id);
    lua_setfield(L, -2, "run_id");
    lua_pushstring(L, o->manifest.evidence.sha256);
    lua_setfield(L, -2, "evidence_hash");

    lua_newtable(L);
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        const kh_subject_set *set = &r->sets[s->set];
        lua_pushvalue(L, -1);
        sub_table(L, o->scs[s->sc]->id);
        sub_table(L, set->kind);
        sub_table(L, set->items[s->subject].id);
        lua_newtable(L);
        if (s->status != ST_PENDING)
            push_points(L, "points", s->points);
        if (s->max >= 0)
            push_points(L, "max", s->max);
        lua_pushstring(L, kh_status_code(s->status));
        lua_setfield(L, -2, "status");
        lua_pushstring(L, s->reason);
        lua_setfield(L, -2, "reason");
        lua_pushinteger(L, s->cases);
        lua_setfield(L, -2, "cases");
        lua_pushboolean(L, s->veto);
        lua_setfield(L, -2, "veto");
        lua_setfield(L, -2, o->scs[s->sc]->items[s->item].no);
        lua_pop(L, 1);
    }
    lua_setfield(L, -2, "scores");

    lua_newtable(L);
    for (size_t i = 0; i < r->ntotals; i++) {
        const kh_total *t = &r->totals[i];
        const kh_subject_set *set = &r->sets[t->set];
        lua_pushvalue(L, -1);
        sub_table(L, o->scs[t->sc]->id);
        sub_table(L, set->kind);
        lua_newtable(L);
        push_points(L, "total", t->total);
        lua_pushinteger(L, t->rank);
        lua_setfield(L, -2, "rank");
        lua_pushinteger(L, t->pending);
        lua_setfield(L, -2, "pending");
        lua_pushinteger(L, t->vetoed);
        lua_setfield(L, -2, "vetoed");
        lua_pushinteger(L, t->members);
        lua_setfield(L, -2, "members");
        lua_pushboolean(L, t->rollup);
        lua_setfield(L, -2, "rollup");
        lua_pushinteger(L, t->members_total);
        lua_setfield(L, -2, "members_total");
        if (t->grade) {
            lua_pushstring(L, t->grade);
            lua_setfield(L, -2, "grade");
        }
        lua_setfield(L, -2, set->items[t->subject].id);
        lua_pop(L, 1);
    }
    lua_setfield(L, -2, "totals");

    lua_createtable(L, (int)r->ndeductions, 0);
    for (size_t i = 0; i < r->ndeductions; i++) {
        const kh_deduction *d = &r->deductions[i];
        const kh_subject_set *set = &r->sets[d->set];
        lua_createtable(L, 0, 8);
        lua_pushstring(L, o->scs[d->sc]->id);
        lua_setfield(L, -2, "scorecard");
        lua_pushstring(L, set->kind);
        lua_setfield(L, -2, "kind");
        lua_pushstring(L, set->items[d->subject].id);
        lua_setfield(L, -2, "subject");
        lua_pushstring(L, o->scs[d->sc]->items[d->item].no);
        lua_setfield(L, -2, "item");
        push_points(L, "points", d->points);
        lua_pushstring(L, d->table);
        lua_setfield(L, -2, "table");
        lua_pushstring(L, d->key);
        lua_setfield(L, -2, "key");
        lua_pushstring(L, d->reason);
        lua_setfield(L, -2, "reason");
        lua_seti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "deductions");
    push_sets(L, r);
}

/* [-0, +1|2] The module's convention for a call that can fail on bad input: true, or nil and
 * the message (the same text the CLI prints after "kaohe: error: "). */
static int push_outcome_status(lua_State *L, int rc, const kh_error *err)
{
    if (rc != 0) {
        lua_pushnil(L);
        lua_pushstring(L, err->msg);
        return 2;
    }
    lua_pushboolean(L, 1);
    return 1;
}

static int l_run(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkstack(L, 40, "kaohe.run"); /* the fields stay on the stack while kh_run reads them */
    kh_run_options opt;
    memset(&opt, 0, sizeof opt);
    opt.evidence_path = opt_field(L, 1, "evidence");
    luaL_argcheck(L, opt.evidence_path != NULL, 1, "field evidence (a database path) is required");
    opt.period = opt_field(L, 1, "period");
    opt.out_xlsx = opt_field(L, 1, "out");
    opt.results_db = opt_field(L, 1, "results");
    opt.limits.memory_bytes = (size_t)opt_int(L, 1, "memory_limit");
    opt.limits.instructions = (uint64_t)opt_int(L, 1, "instruction_limit");
    opt.query_steps = (uint64_t)opt_int(L, 1, "query_limit");
    opt.item_jobs = (int)opt_int(L, 1, "jobs");      /* > 1: items on that many worker threads */
    opt.allow_empty = opt_bool(L, 1, "allow_empty"); /* as --allow-empty */
    /* overrides: kh_run sorts them by name, so a run never depends on table order */
    opt.overrides = overrides(L, 1, &opt.noverrides);
    opt.scorecards = string_list(L, 1, "scorecards", &opt.nscorecards);
    kh_run_outcome out;
    kh_error err;
    err.msg[0] = '\0';
    int rc = kh_run(&opt, &out, &err);
    if (rc != 0) {
        kh_run_outcome_free(&out);
        return push_outcome_status(L, rc, &err);
    }
    push_outcome(L, &out);
    kh_run_outcome_free(&out);
    return 1;
}

static int l_check(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    /* no evidence: against the bundled schema in memory, as `kaohe check` without --evidence */
    const char *evidence_path = opt_field(L, 1, "evidence");
    const char *period = opt_field(L, 1, "period");
    size_t n = 0;
    const char **files = string_list(L, 1, "scorecards", &n);
    kh_error err;
    err.msg[0] = '\0';
    int rc = kh_check(evidence_path, files, n, period, NULL, &err);
    return push_outcome_status(L, rc, &err);
}

static int l_build_evidence(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TSTRING);
    luaL_checktype(L, 2, LUA_TTABLE);
    size_t n = 0;
    const char **files = list_strings(L, 2, 2, "files", &n);
    kh_error err;
    err.msg[0] = '\0';
    int rc = ev_build(lua_tostring(L, 1), files, n, &err);
    return push_outcome_status(L, rc, &err);
}

/* The evidence writer of evidence_from_tables, in a to-be-closed box: a raise anywhere (a row
 * that is not a table, a value of no column type) closes the box, which aborts the writer:
 * its memory freed and its temporary file removed at once, not at some later collection. */
typedef struct writer_box {
    ev_writer *w;
} writer_box;

static int writer_box_close(lua_State *L)
{
    writer_box *b = luaL_checkudata(L, 1, "kaohe.writer");
    if (b->w)
        ev_writer_abort(b->w);
    b->w = NULL;
    return 0;
}

/* [-0, +1] A new, empty writer box on the stack, marked to be closed. */
static writer_box *writer_box_new(lua_State *L)
{
    writer_box *b = lua_block(L, sizeof *b);
    if (luaL_newmetatable(L, "kaohe.writer")) {
        lua_pushcfunction(L, writer_box_close);
        lua_setfield(L, -2, "__close");
        lua_pushcfunction(L, writer_box_close);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
    lua_toclose(L, -1);
    return b;
}

/* One value of a row as a kh_value (strings anchored in the row): integers, numbers, booleans
 * (1/0) and strings; anything else raises naming table, row and column. */
static kh_value row_value(lua_State *L, const char *table, lua_Integer r, const char *col)
{
    kh_value v;
    memset(&v, 0, sizeof v);
    int type = lua_type(L, -1);
    if (lua_isinteger(L, -1)) {
        v.type = KH_INT;
        v.i = lua_tointeger(L, -1);
    } else if (type == LUA_TNUMBER) {
        v.type = KH_REAL;
        v.r = lua_tonumber(L, -1);
    } else if (type == LUA_TBOOLEAN) {
        v.type = KH_INT;
        v.i = lua_toboolean(L, -1);
    } else if (type == LUA_TSTRING) {
        v.type = KH_TEXT;
        v.s = lua_tostring(L, -1);
    } else {
        luaL_error(L,
                   "evidence_from_tables: %s row %d column %s: a %s, not a number, string or "
                   "boolean",
                   table, (int)r, col, lua_typename(L, type));
    }
    return v;
}

#define ROW_MAX_COLUMNS 64

/* Inserts row r of `table` (the row table at the top of the stack): its columns in name order,
 * so that the insert does not depend on table order. 0, or -1 with err. Raises on a row that is
 * not a table, more than ROW_MAX_COLUMNS columns, a key that is not a column name. */
static int insert_row(lua_State *L, ev_writer *w, const char *table, lua_Integer r, kh_error *err)
{
    int row = lua_gettop(L);
    if (!lua_istable(L, row))
        luaL_error(L, "evidence_from_tables: %s row %d: a %s, not a table of column = value", table,
                   (int)r, luaL_typename(L, row));
    const char *cols[ROW_MAX_COLUMNS];
    kh_value vals[ROW_MAX_COLUMNS];
    size_t n = 0;
    for (lua_pushnil(L); lua_next(L, row); lua_pop(L, 1)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "evidence_from_tables: %s row %d: a key of type %s, not a column name",
                       table, (int)r, luaL_typename(L, -2));
        if (n == ROW_MAX_COLUMNS)
            luaL_error(L, "evidence_from_tables: %s row %d: more than %d columns", table, (int)r,
                       ROW_MAX_COLUMNS);
        const char *col = lua_tostring(L, -2); /* anchored in the row table */
        size_t j = n++;
        for (; j > 0 && strcmp(cols[j - 1], col) > 0; j--) {
            cols[j] = cols[j - 1];
            vals[j] = vals[j - 1];
        }
        cols[j] = col;
        vals[j] = row_value(L, table, r, col);
    }
    if (ev_writer_insert(w, table, n, cols, vals, err) == 0)
        return 0;
    strbuf msg = {0};
    sb_printf(&msg, "%s row %lld: %s", table, (long long)r, err->msg);
    kh_seterr(err, "%s", sb_str(&msg));
    sb_free(&msg);
    return -1;
}

/* kaohe.evidence_from_tables(path, { county = { {id = "C1", ...}, ... }, ... } [, schema])
 * Creates an evidence database from Lua tables, for tests an inspector writes by hand. Tables
 * are filled in schema order (parents first); columns in name order. Booleans become 1/0. */
static int l_evidence_from_tables(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TSTRING);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (!lua_isnoneornil(L, 3))
        luaL_checktype(L, 3, LUA_TSTRING);
    lua_settop(L, 3);
    lua_pushfstring(L, "%s/fixtures/evidence-schema.sql", kh_home());
    const char *schema = lua_isnil(L, 3) ? lua_tostring(L, -1) : lua_tostring(L, 3);
    kh_error err;
    err.msg[0] = '\0';
    writer_box *box = writer_box_new(L);
    box->w = ev_writer_open(lua_tostring(L, 1), schema, &err);
    if (!box->w)
        return push_outcome_status(L, -1, &err);
    /* every given table must exist in the schema */
    for (lua_pushnil(L); lua_next(L, 2); lua_pop(L, 1)) {
        int known = 0;
        for (const char *const *t = ev_writer_tables(box->w); *t; t++)
            known |= lua_type(L, -2) == LUA_TSTRING && strcmp(*t, lua_tostring(L, -2)) == 0;
        if (!known) {
            /* luaL_tolstring pushes the name: taken before nil and the message go on top */
            const char *name = luaL_tolstring(L, -2, NULL);
            lua_pushnil(L);
            lua_pushfstring(L, "unknown evidence table '%s'", name);
            return 2; /* the box closes on return: the writer is aborted */
        }
    }
    int rc = 0;
    for (const char *const *t = ev_writer_tables(box->w); rc == 0 && *t; t++) {
        lua_pushstring(L, *t);
        if (lua_rawget(L, 2) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        int rows = lua_gettop(L);
        lua_Integer nrows = (lua_Integer)lua_rawlen(L, rows);
        for (lua_Integer r = 1; rc == 0 && r <= nrows; r++) {
            lua_rawgeti(L, rows, r);
            rc = insert_row(L, box->w, *t, r, &err);
            lua_settop(L, rows);
        }
        lua_pop(L, 1);
    }
    if (rc == 0) {
        ev_writer *w = box->w;
        box->w = NULL; /* commit frees it, whatever the outcome */
        rc = ev_writer_commit(w, &err);
    }
    return push_outcome_status(L, rc, &err);
}

int luaopen_kaohe(lua_State *L)
{
    static const luaL_Reg fns[] = {{"run", l_run},
                                   {"check", l_check},
                                   {"build_evidence", l_build_evidence},
                                   {"evidence_from_tables", l_evidence_from_tables},
                                   {"suggest", sc_lua_suggest},
                                   {NULL, NULL}};
    /* kaohe's SQLite allocator, as the command has it, unless this process already used SQLite
     * (then SQLite's own ceiling applies: evidence/sqlite_heap.c) */
    (void)ev_heap_install();
    luaL_newlib(L, fns);
    lua_pushstring(L, kh_home());
    lua_setfield(L, -2, "home");
    sc_push_kinds(L);
    lua_setfield(L, -2, "kinds");
    return 1;
}
