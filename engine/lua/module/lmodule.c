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
#include "lua/loader.h"

/* Reads the array at t[field] as strings. The returned array (and strings) are owned by Lua
 * userdata-free memory: the strings stay valid while the table is on the stack. */
static const char **string_list(lua_State *L, int t, const char *field, size_t *n)
{
    lua_getfield(L, t, field);
    if (lua_type(L, -1) == LUA_TSTRING) {
        const char **v = calloc(1, sizeof *v);
        v[0] = lua_tostring(L, -1);
        *n = 1;
        lua_pop(L, 1);
        /* the string is anchored in the options table */
        return v;
    }
    luaL_argexpected(L, lua_istable(L, -1), 1, "a list of file names in field scorecards");
    *n = (size_t)luaL_len(L, -1);
    const char **v = calloc(*n ? *n : 1, sizeof *v);
    for (size_t i = 0; i < *n; i++) {
        lua_geti(L, -1, (lua_Integer)i + 1);
        v[i] = luaL_checkstring(L, -1);
        lua_pop(L, 1); /* anchored in the list */
    }
    lua_pop(L, 1);
    return v;
}

static const char *opt_field(lua_State *L, int t, const char *field)
{
    lua_getfield(L, t, field);
    const char *s = lua_tostring(L, -1);
    lua_pop(L, 1); /* anchored in the options table */
    return s;
}

static lua_Integer opt_int(lua_State *L, int t, const char *field)
{
    lua_getfield(L, t, field);
    lua_Integer v = lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
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
    opt.item_jobs = (int)opt_int(L, 1, "jobs"); /* > 1: items on that many worker threads */
    lua_getfield(L, 1, "allow_empty");          /* as --allow-empty */
    opt.allow_empty = lua_toboolean(L, -1);
    lua_pop(L, 1);

    /* overrides, sorted by name so a run never depends on table order */
    size_t nover = 0;
    kh_override *ov = NULL;
    lua_getfield(L, 1, "params");
    if (lua_istable(L, -1)) {
        size_t cap = 0;
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            size_t k = KH_PUSH(ov, nover, cap);
            ov[k].name = xstrdup(luaL_checkstring(L, -2));
            ov[k].value = xstrdup(luaL_tolstring(L, -1, NULL));
            ov[k].used = 0;
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
    opt.overrides = ov;
    opt.noverrides = nover;

    size_t n = 0;
    const char **files = string_list(L, 1, "scorecards", &n);
    opt.scorecards = files;
    opt.nscorecards = n;
    kh_run_outcome out;
    kh_error err;
    err.msg[0] = '\0';
    int rc = kh_run(&opt, &out, &err);
    free(files);
    for (size_t i = 0; i < nover; i++) {
        free(ov[i].name);
        free(ov[i].value);
    }
    free(ov);
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
    free(files);
    return push_outcome_status(L, rc, &err);
}

static int l_build_evidence(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    size_t n = (size_t)luaL_len(L, 2);
    const char **files = calloc(n ? n : 1, sizeof *files);
    for (size_t i = 0; i < n; i++) {
        lua_geti(L, 2, (lua_Integer)i + 1);
        files[i] = luaL_checkstring(L, -1);
        lua_pop(L, 1);
    }
    kh_error err;
    err.msg[0] = '\0';
    int rc = ev_build(path, files, n, &err);
    free(files);
    return push_outcome_status(L, rc, &err);
}

/* kaohe.evidence_from_tables(path, { county = { {id = "C1", ...}, ... }, ... } [, schema])
 * Creates an evidence database from Lua tables, for tests an inspector writes by hand. Tables
 * are filled in schema order (parents first); columns in name order. Booleans become 1/0. */
static int l_evidence_from_tables(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushfstring(L, "%s/fixtures/evidence-schema.sql", kh_home());
    const char *schema = luaL_optstring(L, 3, lua_tostring(L, -1));
    kh_error err;
    err.msg[0] = '\0';
    ev_writer *w = ev_writer_open(path, schema, &err);
    if (!w)
        return push_outcome_status(L, -1, &err);
    /* every given table must exist in the schema */
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        int known = 0;
        for (const char *const *t = ev_writer_tables(w); *t; t++)
            known |= lua_type(L, -2) == LUA_TSTRING && strcmp(*t, lua_tostring(L, -2)) == 0;
        if (!known) {
            ev_writer_abort(w);
            lua_pushnil(L);
            lua_pushfstring(L, "unknown evidence table '%s'", luaL_tolstring(L, -2, NULL));
            return 2;
        }
        lua_pop(L, 1);
    }
    int rc = 0;
    for (const char *const *t = ev_writer_tables(w); rc == 0 && *t; t++) {
        if (lua_getfield(L, 2, *t) != LUA_TTABLE) {
            lua_pop(L, 1);
            continue;
        }
        lua_Integer nrows = luaL_len(L, -1);
        for (lua_Integer r = 1; rc == 0 && r <= nrows; r++) {
            lua_geti(L, -1, r);
            int row = lua_gettop(L);
            /* column names, sorted, so the insert does not depend on table order */
            const char *cols[64];
            kh_value vals[64];
            size_t n = 0;
            lua_pushnil(L);
            while (lua_next(L, row) && n < 64) {
                if (lua_type(L, -2) == LUA_TSTRING) {
                    size_t j = n++;
                    while (j > 0 && strcmp(cols[j - 1], lua_tostring(L, -2)) > 0) {
                        cols[j] = cols[j - 1];
                        vals[j] = vals[j - 1];
                        j--;
                    }
                    cols[j] = lua_tostring(L, -2); /* anchored in the row table */
                    memset(&vals[j], 0, sizeof vals[j]);
                    if (lua_isinteger(L, -1)) {
                        vals[j].type = KH_INT;
                        vals[j].i = lua_tointeger(L, -1);
                    } else if (lua_type(L, -1) == LUA_TNUMBER) {
                        vals[j].type = KH_REAL;
                        vals[j].r = lua_tonumber(L, -1);
                    } else if (lua_type(L, -1) == LUA_TBOOLEAN) {
                        vals[j].type = KH_INT;
                        vals[j].i = lua_toboolean(L, -1);
                    } else if (lua_type(L, -1) == LUA_TSTRING) {
                        vals[j].type = KH_TEXT;
                        vals[j].s = lua_tostring(L, -1); /* anchored in the row table */
                    }
                }
                lua_pop(L, 1);
            }
            if (ev_writer_insert(w, *t, n, cols, vals, &err) != 0) {
                strbuf msg = {0};
                sb_printf(&msg, "%s row %lld: %s", *t, (long long)r, err.msg);
                kh_seterr(&err, "%s", sb_str(&msg));
                sb_free(&msg);
                rc = -1;
            }
            lua_settop(L, row - 1);
        }
        lua_pop(L, 1);
    }
    if (rc != 0)
        ev_writer_abort(w);
    else
        rc = ev_writer_commit(w, &err);
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
    luaL_newlib(L, fns);
    lua_pushstring(L, kh_home());
    lua_setfield(L, -2, "home");
    sc_push_kinds(L);
    lua_setfield(L, -2, "kinds");
    return 1;
}
