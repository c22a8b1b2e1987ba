/*
 * meter.c — the C work of library functions, charged to the sandbox's instruction budget.
 *
 * The count hook sees VM instructions only, and one instruction can be a call into C whose
 * work grows with its input: string.find over 100 MB, string.rep of 100 MB, table.sort of
 * millions of elements (each comparison of two long strings itself a scan). A loop of such
 * calls spends minutes between two hooks while the budget barely moves. So every function of
 * the string, utf8 and table libraries is wrapped: before the call its work is estimated from
 * its arguments and charged (an over-large call is refused before it starts), after it the
 * size of what it returned is charged. One instruction is counted per METER_BYTES bytes of
 * work, roughly what an instruction costs. coroutine.resume and the functions coroutine.wrap
 * returns check the kill before and after they run, so a killed state cannot resume a
 * coroutine that has not been re-armed yet.
 */
#include "lua/meter.h"

#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <string.h>

#include "lua/sandbox.h"

/* Bytes of C work counted as one instruction. */
#define METER_BYTES 16.0

enum meter_kind {
    M_STRINGS, /* work ~ the strings it is given (sub, upper, byte, format, utf8.*) */
    M_PATTERN, /* find, match, gmatch, gsub: every position of the subject, times the pattern */
    M_REP,     /* rep: each repetition (a copy) and its bytes; a result larger than the memory
                  left is not charged: it fails as such, before any copy */
    M_SORT,    /* sort: n log n comparisons, each as long as the longest string element */
    M_TABLE,   /* concat, insert, remove, unpack: the array it works on and what it returns */
    M_MOVE,    /* move: the range it copies, however empty the table */
    M_RESUME,  /* coroutine.resume and wrapped coroutines: no work, but check the kill */
    M_WRAP     /* coroutine.wrap: its result is metered as M_RESUME */
};

static double string_args(lua_State *L, int n)
{
    double bytes = 0;
    for (int i = 1; i <= n; i++)
        if (lua_type(L, i) == LUA_TSTRING)
            bytes += (double)lua_rawlen(L, i);
    return bytes;
}

/* The longest string among t[1..n] (read raw; a sort compares each element log n times). */
static double longest_string(lua_State *L, int t, lua_Integer n)
{
    double longest = 0;
    for (lua_Integer i = 1; i <= n; i++) {
        if (lua_rawgeti(L, t, i) == LUA_TSTRING && (double)lua_rawlen(L, -1) > longest)
            longest = (double)lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    return longest;
}

static double number_arg(lua_State *L, int i, double absent)
{
    return lua_type(L, i) == LUA_TNUMBER ? lua_tonumber(L, i) : absent;
}

/* The estimated work of a call, in bytes, from its n arguments. */
static double work_before(lua_State *L, int kind, int n)
{
    double len1 = lua_type(L, 1) == LUA_TSTRING ? (double)lua_rawlen(L, 1) : 0;
    double tlen = lua_type(L, 1) == LUA_TTABLE ? (double)lua_rawlen(L, 1) : 0;
    switch (kind) {
    case M_PATTERN:
        return len1 * ((lua_type(L, 2) == LUA_TSTRING ? (double)lua_rawlen(L, 2) : 0) + 1);
    case M_REP: {
        double times = fmax(number_arg(L, 2, 0), 0);
        double sep = lua_type(L, 3) == LUA_TSTRING ? (double)lua_rawlen(L, 3) : 0;
        if ((len1 + sep) * times > (double)sandbox_memory_room(L))
            return 0;
        return (len1 + sep + METER_BYTES) * times;
    }
    case M_SORT: {
        if (tlen < 2)
            return 0;
        /* a comparison is a few instructions' worth: two reads, a compare, a write */
        double per_compare = 4 * METER_BYTES + longest_string(L, 1, (lua_Integer)tlen);
        return tlen * log2(tlen) * per_compare;
    }
    case M_TABLE:
        return METER_BYTES * tlen + string_args(L, n);
    case M_MOVE:
        return METER_BYTES * fmax(number_arg(L, 3, 0) - number_arg(L, 2, 1) + 1, 0);
    case M_RESUME:
    case M_WRAP:
        return 0;
    default:
        return string_args(L, n);
    }
}

/* The real function (upvalue 1) called with the arguments, charged before and after. */
static int metered(lua_State *L)
{
    int kind = (int)lua_tointeger(L, lua_upvalueindex(2));
    int n = lua_gettop(L);
    sandbox_charge(L, work_before(L, kind, n) / METER_BYTES);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, LUA_MULTRET);
    int results = lua_gettop(L);
    sandbox_charge(L, (string_args(L, results) + METER_BYTES * results) / METER_BYTES);
    if (kind == M_WRAP && results == 1 && lua_isfunction(L, 1)) {
        lua_pushinteger(L, M_RESUME);
        lua_pushcclosure(L, metered, 2);
    }
    return results;
}

/* Replaces t[name] (t at idx) by its metered version. */
static void meter_field(lua_State *L, int idx, const char *name, int kind)
{
    idx = lua_absindex(L, idx);
    if (lua_getfield(L, idx, name) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return;
    }
    lua_pushinteger(L, kind);
    lua_pushcclosure(L, metered, 2);
    lua_setfield(L, idx, name);
}

/* Every function of the global library `lib`, metered as `kind` unless named in `special`
 * (pairs of name and kind). */
static void meter_library(lua_State *L, const char *lib, int kind, const char *const *special,
                          const int *kinds)
{
    lua_getglobal(L, lib);
    int t = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, t)) {
        int is_fn = lua_type(L, -1) == LUA_TFUNCTION && lua_type(L, -2) == LUA_TSTRING;
        lua_pop(L, 1);
        if (!is_fn)
            continue;
        const char *name = lua_tostring(L, -1);
        int k = kind;
        for (int i = 0; special[i]; i++)
            if (strcmp(special[i], name) == 0)
                k = kinds[i];
        /* assigning an existing field during lua_next is allowed */
        lua_pushvalue(L, -1);
        lua_gettable(L, t);
        lua_pushinteger(L, k);
        lua_pushcclosure(L, metered, 2);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_settable(L, t);
    }
    lua_pop(L, 1);
}

void meter_install(lua_State *L)
{
    static const char *const STRING_SPECIAL[] = {"find", "match", "gmatch", "gsub", "rep", NULL};
    static const int STRING_KINDS[] = {M_PATTERN, M_PATTERN, M_PATTERN, M_PATTERN, M_REP};
    static const char *const TABLE_SPECIAL[] = {"sort", "move", NULL};
    static const int TABLE_KINDS[] = {M_SORT, M_MOVE};
    static const char *const NONE[] = {NULL};
    meter_library(L, "string", M_STRINGS, STRING_SPECIAL, STRING_KINDS);
    meter_library(L, "utf8", M_STRINGS, NONE, NULL);
    meter_library(L, "table", M_TABLE, TABLE_SPECIAL, TABLE_KINDS);
    lua_getglobal(L, "coroutine");
    meter_field(L, -1, "resume", M_RESUME);
    meter_field(L, -1, "wrap", M_WRAP);
    lua_pop(L, 1);
}
