/*
 * sandbox.c — the Lua state a scorecard runs in. See sandbox.h for the rules and why.
 */
#include "lua/sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/suggest.h"
#include "lua/meter.h"

/* Instructions between two calls of the count hook: small enough that a budget overrun is
 * caught promptly, large enough that the hook costs nothing measurable. */
#define HOOK_INTERVAL 1000

struct sandbox {
    lua_State *L;
    size_t mem_used;
    size_t mem_limit;
    int mem_refused; /* the allocator refused a request because of the ceiling */
    uint64_t ins_used;
    uint64_t ins_limit;
    int killed;     /* the budget or the time is spent: every further instruction raises */
    int timed_out;  /* killed because the wall-clock limit passed (else: the budget) */
    double started; /* CLOCK_MONOTONIC seconds at sandbox_new */
    unsigned seconds;
    volatile int interrupted; /* sandbox_interrupt (another thread): the hook kills */
    int charging;             /* allocations are charged to the budget (not while building or
                                 closing the state) */
    uint64_t allocated;       /* bytes of growth allocated since charging began */
    uint64_t alloc_charged;   /* of which this many were charged (a multiple of ALLOC_CHUNK) */
    char kill_where[512];
    const char *doing; /* what sandbox_run is running (a file), for the panic message */
};

/* Registry keys (addresses of these statics are unique light userdata). */
static const char SAFE_KEY = 'S';
static const char SANDBOX_KEY = 'B';

static void count_hook(lua_State *L, lua_Debug *ar);

/* Allocation is work the count hook cannot see: `s .. s`, table growth and the like are one
 * instruction whatever their size, so a loop of huge concatenations whose results are
 * discarded stays under the memory ceiling and spends seconds per hook interval. Every byte a
 * scorecard's state allocates past ALLOC_FREE is charged, ALLOC_CHUNK_INSTRUCTIONS per
 * ALLOC_CHUNK: 64 per KiB, i.e. 16 bytes an instruction as lua/meter.c counts C work, so the
 * default budget (2×10^8) is spent after ~3 GiB of allocation (about a second of copying).
 * ALLOC_FREE lets the language file and an honest scorecard load without a charge (a bundled
 * card allocates 0.2–0.4 MiB in all, the language included), so for them a budget set by
 * --instruction-limit still counts instructions only. The allocator must not raise: when a charge
 * spends the budget it arms the count hook of the main thread for its next instruction (as
 * sandbox_interrupt does); a coroutine is stopped at its own next hook, within HOOK_INTERVAL
 * instructions.
 * Comparisons (`<` of two huge strings) allocate nothing and are not charged: one comparison
 * is bounded by the memory ceiling (two strings of at most 256 MiB: well under a second), and
 * a loop of them by the time limit, whose watchdog interrupt stops the main thread at its next
 * instruction (app/run.c). */
#define ALLOC_FREE               ((uint64_t)16 << 20)
#define ALLOC_CHUNK              1024
#define ALLOC_CHUNK_INSTRUCTIONS 64

static void charge_allocation(sandbox *sb, size_t grown)
{
    sb->allocated += grown;
    if (sb->allocated < ALLOC_FREE + sb->alloc_charged + ALLOC_CHUNK)
        return;
    uint64_t chunks = (sb->allocated - ALLOC_FREE - sb->alloc_charged) / ALLOC_CHUNK;
    sb->alloc_charged += chunks * ALLOC_CHUNK;
    sb->ins_used += chunks * ALLOC_CHUNK_INSTRUCTIONS;
    if (sb->ins_used > sb->ins_limit && !sb->killed)
        lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, 1);
}

static void *counting_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        sb->mem_used -= old;
        free(ptr);
        return NULL;
    }
    if (nsize > old && sb->mem_used - old + nsize > sb->mem_limit) {
        sb->mem_refused = 1;
        return NULL; /* Lua raises LUA_ERRMEM; the boundary reports the ceiling */
    }
    void *q = realloc(ptr, nsize);
    if (q)
        sb->mem_used = sb->mem_used - old + nsize;
    if (q && sb->charging && nsize > old)
        charge_allocation(sb, nsize - old);
    return q;
}

static sandbox *sandbox_of(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_KEY);
    sandbox *sb = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return sb;
}

static double monotonic_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int past_deadline(sandbox *sb)
{
    return sb->interrupted || monotonic_now() - sb->started > sb->seconds;
}

/* The state is spent (budget, time or interrupt): remember where, and make L raise at every
 * instruction. Threads other than L are re-armed the same way the next time their own hook
 * fires, and coroutine.resume refuses to start one (sandbox_killed). */
static void kill_state(sandbox *sb, lua_State *L)
{
    if (!sb->killed) {
        sb->killed = 1;
        sb->timed_out = sb->ins_used <= sb->ins_limit;
        /* the innermost Lua line (a charge is made inside a C function), by its whole name */
        lua_Debug here;
        for (int level = 0; lua_getstack(L, level, &here); level++)
            if (lua_getinfo(L, "Sl", &here) && here.currentline > 0) {
                snprintf(sb->kill_where, sizeof sb->kill_where,
                         "%s:%d:", here.source[0] == '@' ? here.source + 1 : here.short_src,
                         here.currentline);
                break;
            }
    }
    /* From now on raise at every instruction, so that a pcall or an error handler that
     * catches the kill cannot run any further code of its own. */
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
}

static int raise_killed(lua_State *L, const sandbox *sb)
{
    return luaL_error(L, sb->timed_out ? "time limit exceeded" : "instruction budget exceeded");
}

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    sandbox *sb = sandbox_of(L);
    if (!sb->killed) {
        sb->ins_used += HOOK_INTERVAL;
        if (sb->ins_used <= sb->ins_limit && !past_deadline(sb))
            return;
    }
    kill_state(sb, L);
    raise_killed(L, sb);
}

void sandbox_charge(lua_State *L, double units)
{
    sandbox *sb = sandbox_of(L);
    if (!sb->killed) {
        sb->ins_used += units < (double)UINT64_MAX / 2 ? (uint64_t)units : UINT64_MAX / 2;
        if (sb->ins_used <= sb->ins_limit && !past_deadline(sb))
            return;
    }
    kill_state(sb, L);
    raise_killed(L, sb);
}

size_t sandbox_memory_room(lua_State *L)
{
    const sandbox *sb = sandbox_of(L);
    return sb->mem_limit > sb->mem_used ? sb->mem_limit - sb->mem_used : 0;
}

int sandbox_killed(lua_State *L)
{
    return sandbox_of(L)->killed;
}

void sandbox_interrupt(sandbox *sb)
{
    sb->interrupted = 1;
    /* as lua.c does on SIGINT: the main thread stops at its next instruction; a coroutine at
     * its next hook (interrupted makes that hook kill) */
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT | LUA_MASKCALL | LUA_MASKRET, 1);
}

unsigned sandbox_seconds(const sandbox *sb)
{
    return sb->seconds;
}

/* [-0, +1] A read-only proxy for a library table: reads go to the real table, writes raise,
 * and getmetatable() cannot reach the real table. */
static int readonly_newindex(lua_State *L)
{
    luaL_where(L, 2);
    return luaL_error(L, "%sattempt to modify a read-only library table", lua_tostring(L, -1));
}

static void push_readonly_proxy(lua_State *L, int lib_idx)
{
    lib_idx = lua_absindex(L, lib_idx);
    lua_newtable(L);          /* proxy */
    lua_createtable(L, 0, 3); /* its metatable */
    lua_pushvalue(L, lib_idx);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* xpcall(f, msgh, ...) for scorecards. Lua runs a message handler while it is still raising
 * the error, and an error raised by the count hook leaves hooks disabled until the protected
 * call returns: a handler of the scorecard's own would run unbounded. This version catches the
 * error first, then calls the handler as an ordinary function, under the instruction budget.
 * (There is no debug library, so the handler loses nothing it could have seen.) */
static int safe_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 1);
    for (int i = 3; i <= n; i++)
        lua_pushvalue(L, i);
    int status = lua_pcall(L, n - 2 < 0 ? 0 : n - 2, LUA_MULTRET, 0);
    if (status == LUA_OK) {
        lua_pushboolean(L, 1);
        lua_replace(L, n); /* reuse slot n for `true` before the results */
        return lua_gettop(L) - n + 1;
    }
    lua_pushvalue(L, 2);
    lua_insert(L, -2);
    lua_call(L, 1, 1);
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
}

/* setmetatable for scorecards: a metatable with a __gc field is refused. Lua runs finalizers
 * with hooks off (during a collection, between scorecards, at lua_close), so a __gc that loops
 * would escape the budget and the time limit. Lua 5.4 marks an object for finalization only
 * when its metatable has __gc at setmetatable time (adding the field later does nothing), and
 * a scorecard can make no userdata, so refusing it here leaves no finalizer of the
 * scorecard's: closing the state after a kill runs none of its code. */
static int safe_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        int has_gc = lua_rawget(L, 2) != LUA_TNIL;
        lua_pop(L, 1);
        if (has_gc)
            return luaL_error(L, "setmetatable: a metatable with __gc is not allowed (finalizers "
                                 "would run outside the scorecard's limits)");
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* Lua's pattern matcher backtracks inside one C function, where the count hook never runs: a
 * pattern such as ("a*"):rep(20) .. "b" against a long run of a's would hang the host. Each
 * repetition item (*, +, -, ?) can multiply the work by the subject's length, and find, match,
 * gmatch and gsub try every starting position, so the work is bounded by n^(k+1) for a subject
 * of n bytes and k repetition items. Calls whose bound exceeds PATTERN_WORK are refused before
 * they start. */
#define PATTERN_WORK       1e9
#define PATTERN_MAX_LENGTH 1000

static int pattern_repetitions(const char *p, size_t len)
{
    int k = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '%') {
            i++; /* an escaped character is never a quantifier */
        } else if (p[i] == '[') {
            /* a set: skip to its closing ] (a ] right after [ or [^ belongs to the set) */
            size_t j = i + 1;
            if (j < len && p[j] == '^')
                j++;
            if (j < len && p[j] == ']')
                j++;
            while (j < len && p[j] != ']')
                j += p[j] == '%' ? 2 : 1;
            i = j;
        } else if ((p[i] == '*' || p[i] == '+' || p[i] == '-' || p[i] == '?') && i > 0) {
            k++;
        }
    }
    return k;
}

static int guarded_pattern(lua_State *L)
{
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    int plain = strcmp(name, "find") == 0 && lua_toboolean(L, 4);
    if (!plain && lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING) {
        size_t n = 0, plen = 0;
        lua_tolstring(L, 1, &n);
        const char *p = lua_tolstring(L, 2, &plen);
        int k = pattern_repetitions(p, plen);
        if (plen > PATTERN_MAX_LENGTH)
            return luaL_error(L, "string.%s: pattern of %d characters is too long (limit %d)", name,
                              (int)plen, PATTERN_MAX_LENGTH);
        if (k > 0 && pow((double)n + 1, k + 1) > PATTERN_WORK)
            return luaL_error(L,
                              "string.%s: a pattern with %d repetition items on a %d-byte string "
                              "could backtrack for too long (limit: (length+1)^(items+1) <= 10^9); "
                              "simplify the pattern or shorten the string",
                              name, k, (int)n);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* The base functions a scorecard may call. Everything not named here is absent: print (would
 * corrupt the CLI's output), load/loadfile/dofile/require (code loading), collectgarbage,
 * rawset/rawget (would bypass the undeclared-global guard). */
static const char *const SAFE_BASE[] = {
    "assert",   "error", "ipairs", "next",     "pairs",  "pcall",        "select",       "tonumber",
    "tostring", "type",  "xpcall", "rawequal", "rawlen", "setmetatable", "getmetatable", NULL};

static const char *const SAFE_LIBS[] = {"string", "table", "math", "utf8", "coroutine", NULL};

static void build_safe_table(lua_State *L)
{
    luaL_openlibs(L);

    /* Remove what must not exist even inside the real tables (reachable via ("").method). */
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    static const char *const PATTERN_FUNCTIONS[] = {"find", "match", "gmatch", "gsub", NULL};
    for (const char *const *f = PATTERN_FUNCTIONS; *f; f++) {
        lua_getfield(L, -1, *f);
        lua_pushstring(L, *f);
        lua_pushcclosure(L, guarded_pattern, 2);
        lua_setfield(L, -2, *f);
    }
    lua_pop(L, 1);
    meter_install(L); /* sizes charged to the budget: lua/meter.c */
    /* math.random is seeded per state from the clock: a scorecard must be deterministic. */
    lua_getglobal(L, "math");
    lua_pushnil(L);
    lua_setfield(L, -2, "random");
    lua_pushnil(L);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);

    /* Protect the shared string metatable: getmetatable("") returns false, so a scorecard
     * cannot replace string methods under later scorecards. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_newtable(L); /* safe */
    for (const char *const *name = SAFE_BASE; *name; name++) {
        lua_getglobal(L, *name);
        lua_setfield(L, -2, *name);
    }
    for (const char *const *name = SAFE_LIBS; *name; name++) {
        lua_getglobal(L, *name);
        push_readonly_proxy(L, -1);
        lua_setfield(L, -3, *name);
        lua_pop(L, 1);
    }
    lua_pushcfunction(L, safe_xpcall);
    lua_setfield(L, -2, "xpcall");
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, safe_setmetatable, 1);
    lua_setfield(L, -2, "setmetatable");
    lua_pushliteral(L, LUA_VERSION);
    lua_setfield(L, -2, "_VERSION");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SAFE_KEY);

    /* Nothing outside the sandbox's own tables should keep the real globals reachable: empty
     * the global table (host code never runs in it). */
    lua_pushglobaltable(L);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, -4);
    }
    lua_pop(L, 1);
    /* package.loaded still references the libraries; clear the registry's copy too. */
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
}

/* The state's panic function. Every call the host makes into Lua runs inside one protected
 * call (sandbox_run, in the style of lua.c's pmain), so an error that escapes is a bug in the
 * host, not in a scorecard. Without this handler Lua would abort() silently (lua_newstate
 * installs none); with it the error's text and the file being run are printed first. Lua
 * aborts when this returns: after an unprotected error the state cannot be trusted. */
static int at_panic(lua_State *L)
{
    void *ud = NULL;
    lua_getallocf(L, &ud); /* the sandbox, without touching the stack or the registry */
    const sandbox *sb = ud;
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    fprintf(stderr, "kaohe: internal error: unprotected error in the Lua state%s%s: %s\n",
            sb && sb->doing ? " while running " : "", sb && sb->doing ? sb->doing : "",
            msg ? msg : "(error object is not a string)");
    fflush(stderr);
    return 0;
}

/* The body of sandbox_new's one protected call: the safe library table. */
static int build_safe_body(lua_State *L)
{
    build_safe_table(L);
    return 0;
}

sandbox *sandbox_new(const sandbox_limits *limits, kh_error *err)
{
    sandbox *sb = xcalloc(1, sizeof *sb);
    sb->mem_limit = limits && limits->memory_bytes ? limits->memory_bytes : SANDBOX_DEFAULT_MEMORY;
    sb->ins_limit =
        limits && limits->instructions ? limits->instructions : SANDBOX_DEFAULT_INSTRUCTIONS;
    sb->seconds = limits && limits->seconds ? limits->seconds : SANDBOX_DEFAULT_SECONDS;
    sb->started = monotonic_now();
    /* The standard library itself needs room to load: count it, but never refuse it. */
    size_t limit = sb->mem_limit;
    sb->mem_limit = (size_t)-1;
    sb->L = lua_newstate(counting_alloc, sb);
    if (!sb->L) {
        kh_seterr(err, "cannot create a Lua state");
        free(sb);
        return NULL;
    }
    lua_atpanic(sb->L, at_panic);
    lua_pushcfunction(sb->L, build_safe_body);
    if (lua_pcall(sb->L, 0, 0, 0) != LUA_OK) {
        kh_seterr(err, "cannot create a Lua state: %s", lua_tostring(sb->L, -1));
        lua_close(sb->L);
        free(sb);
        return NULL;
    }
    lua_pushlightuserdata(sb->L, sb);
    lua_rawsetp(sb->L, LUA_REGISTRYINDEX, &SANDBOX_KEY);
    sb->mem_limit = limit > sb->mem_used ? limit : sb->mem_used + 1;
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_INTERVAL);
    sb->charging = 1;
    return sb;
}

void sandbox_free(sandbox *sb)
{
    if (!sb)
        return;
    sb->charging = 1;
    lua_close(sb->L);
    free(sb);
}

lua_State *sandbox_lua(sandbox *sb)
{
    return sb->L;
}

size_t sandbox_memory_used(const sandbox *sb)
{
    return sb->mem_used;
}

uint64_t sandbox_instructions_used(const sandbox *sb)
{
    return sb->ins_used;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The name a scorecard most likely meant by the undeclared `typed`, for "did you mean": the
 * nearest of the language's vocabulary (upvalue 2, the table dsl.lua returns: a rule kind
 * spelt `findng`), then of the safe globals (upvalue 1); NULL when none is near. Each group is
 * sorted so that a tie never depends on the hash order of a table. */
static const char *nearest_global(lua_State *L, const char *typed)
{
    enum { MAX_NAMES = 128 };
    const char *names[MAX_NAMES];
    size_t n = 0;
    for (int up = 2; up >= 1; up--) {
        size_t first = n;
        if (!lua_istable(L, lua_upvalueindex(up)))
            continue;
        lua_pushnil(L);
        while (lua_next(L, lua_upvalueindex(up))) {
            if (lua_type(L, -2) == LUA_TSTRING && n < MAX_NAMES)
                names[n++] = lua_tostring(L, -2); /* anchored in the table */
            lua_pop(L, 1);
        }
        qsort(names + first, n - first, sizeof *names, compare_names);
    }
    return kh_suggest(typed, names, n);
}

/* __index of a scorecard environment: upvalue 1 = safe globals, upvalue 2 = exports. */
static int env_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (lua_istable(L, lua_upvalueindex(2))) {
        lua_pushvalue(L, 2);
        if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL)
            return 1;
        lua_pop(L, 1);
    }
    luaL_where(L, 2);
    if (lua_type(L, 2) == LUA_TSTRING) {
        const char *near = nearest_global(L, lua_tostring(L, 2));
        return luaL_error(L,
                          "%sundeclared global '%s' (not a rule kind or function of the scorecard "
                          "language; declare your own variables with 'local')%s%s%s",
                          lua_tostring(L, -1), lua_tostring(L, 2), near ? "; did you mean '" : "",
                          near ? near : "", near ? "'?" : "");
    }
    return luaL_error(L, "%sundeclared global", lua_tostring(L, -1));
}

static int env_newindex(lua_State *L)
{
    luaL_where(L, 2);
    if (lua_type(L, 2) == LUA_TSTRING)
        return luaL_error(L, "%sassignment to undeclared global '%s' (declare it with 'local')",
                          lua_tostring(L, -1), lua_tostring(L, 2));
    return luaL_error(L, "%sassignment to undeclared global", lua_tostring(L, -1));
}

void sandbox_push_env(sandbox *sb, int exports_idx)
{
    lua_State *L = sb->L;
    if (exports_idx)
        exports_idx = lua_absindex(L, exports_idx);
    lua_newtable(L);          /* env */
    lua_createtable(L, 0, 3); /* metatable */
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SAFE_KEY);
    if (exports_idx)
        lua_pushvalue(L, exports_idx);
    else
        lua_pushnil(L);
    lua_pushcclosure(L, env_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

void sandbox_push_host_env(sandbox *sb)
{
    lua_State *L = sb->L;
    lua_newtable(L);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SAFE_KEY);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
}

/* A message from Lua that does not name the file already gets it in front: "C stack overflow"
 * (deeply nested source, or C calls nested too deep at run time), "error in error handling",
 * error("x", 0), carry no position of their own, and a message must say which scorecard. */
static void set_named(kh_error *err, const char *file, const char *msg)
{
    if (!msg)
        msg = "(no error message)";
    if (strstr(msg, file))
        kh_seterr(err, "%s", msg);
    else
        kh_seterr(err, "%s: %s", file, msg);
}

int sandbox_load_file(sandbox *sb, const char *path, const char *display, int env_idx,
                      kh_error *err)
{
    env_idx = lua_absindex(sb->L, env_idx);
    /* the text is read into the host's memory, outside the scorecard's ceiling: a device
     * (/dev/zero) or a huge file is refused before it is read */
    struct stat st;
    if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size > SANDBOX_MAX_SOURCE)) {
        kh_seterr(err, "%s: %s", display,
                  !S_ISREG(st.st_mode) ? "not a regular file"
                                       : "larger than " SANDBOX_MAX_SOURCE_TEXT
                                         " (a scorecard is a text of a few hundred lines)");
        return -1;
    }
    strbuf text = {0};
    if (sb_read_file(&text, path) != 0) {
        kh_seterr(err, "%s: cannot open: %s", display, strerror(errno));
        sb_free(&text);
        return -1;
    }
    int rc = sandbox_load_buffer(sb, sb_str(&text), text.len, display, env_idx, err);
    sb_free(&text);
    return rc;
}

int sandbox_load_buffer(sandbox *sb, const char *code, size_t len, const char *display, int env_idx,
                        kh_error *err)
{
    lua_State *L = sb->L;
    env_idx = lua_absindex(L, env_idx);
    if (len > 0 && code[0] == LUA_SIGNATURE[0]) {
        kh_seterr(err, "%s: is a precompiled (binary) chunk; scorecards must be Lua text", display);
        return -1;
    }
    strbuf name = {0};
    sb_printf(&name, "@%s", display);
    int rc = luaL_loadbufferx(L, code, len, sb_str(&name), "t");
    sb_free(&name);
    if (rc != LUA_OK) {
        set_named(err, display, lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    lua_pushvalue(L, env_idx);
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1); /* a chunk always has _ENV as its first upvalue; be safe anyway */
    return 0;
}

/* Message handler: keeps the message as it is. An error object that is not a string is not
 * converted through its __tostring, which would call back into the scorecard while the host
 * is formatting its error (a __tostring that loops or fails would then hang or hide the
 * error); it is named by its type, at the innermost line of Lua code on the stack, which is
 * where it was raised: "card.lua:3: (error object is a table value)". */
static int message_handler(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING)
        return 1;
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++)
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            /* the whole file name (short_src would cut a long one to its last 60 bytes) */
            const char *file = ar.source[0] == '@' ? ar.source + 1 : ar.short_src;
            lua_pushfstring(L, "%s:%d: (error object is a %s value)", file, ar.currentline,
                            luaL_typename(L, 1));
            return 1;
        }
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    return 1;
}

int sandbox_pcall(sandbox *sb, int nargs, int nresults, const char *what, kh_error *err)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, message_handler);
    lua_insert(L, base);
    sb->mem_refused = 0;
    int rc = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (sb->killed) {
        if (rc == LUA_OK)
            lua_pop(L, nresults == LUA_MULTRET ? 0 : nresults);
        else
            lua_pop(L, 1);
        /* the line the kill hit, after the scorecard's name when that line is elsewhere (the
         * language file, running on the scorecard's behalf) */
        const char *line = sb->kill_where[0] ? sb->kill_where : "";
        const char *sep = strstr(line, what) ? "" : line[0] ? ": " : ":";
        if (strstr(line, what))
            what = "";
        if (sb->timed_out)
            kh_seterr(err, "%s%s%s time limit exceeded (limit %u s per scorecard)", what, sep, line,
                      sb->seconds);
        else
            kh_seterr(err, "%s%s%s instruction budget exceeded (limit %llu instructions)", what,
                      sep, line, (unsigned long long)sb->ins_limit);
        return -1;
    }
    if (rc == LUA_OK)
        return 0;
    if (rc == LUA_ERRMEM || sb->mem_refused) {
        kh_seterr(err, "%s: memory limit exceeded (limit %zu MiB)", what, sb->mem_limit >> 20);
    } else {
        set_named(err, what, lua_tostring(L, -1));
    }
    lua_pop(L, 1);
    return -1;
}

int sandbox_run(sandbox *sb, int (*body)(lua_State *L), void *ud, const char *what, kh_error *err)
{
    lua_State *L = sb->L;
    int top = lua_gettop(L);
    const char *outer = sb->doing;
    sb->doing = what;
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, ud);
    int rc = sandbox_pcall(sb, 1, 0, what, err);
    lua_settop(L, top);
    sb->doing = outer;
    return rc;
}

const char *sandbox_lua_release(void)
{
    return LUA_RELEASE;
}
