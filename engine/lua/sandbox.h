/*
 * sandbox.h — one Lua state per run, with the limits a shared scorecard must live within.
 *
 * Scorecards are trusted to be honest, not to be correct, and a shared one may come from
 * anywhere. The sandbox gives them: an allow-listed standard library (no io, os, debug,
 * package, load, string.dump, collectgarbage, math.random); library tables that are read-only
 * proxies; a protected string metatable; an _ENV of their own in which reading or writing an
 * undeclared global is an error; a memory ceiling enforced by a counting allocator; and an
 * instruction budget and a wall-clock limit enforced by a count hook (on every coroutine: Lua
 * copies the hook to each new thread) and by charges for library functions whose C work grows
 * with their input (lua/meter.c). Once the budget is spent the hook fires on every instruction
 * of every thread that runs again, and resuming a coroutine raises, so neither `pcall` nor a
 * coroutine can swallow the kill. Metatables with __gc are refused: finalizers run with hooks
 * off. A state serves one scorecard (app/run.c makes one per file), so one cannot poison the
 * language tables of the next, and each has budget and time of its own. The host's own work in the
 * state runs inside one protected call (sandbox_run); a panic handler names any error that escapes
 * one anyway.
 *
 * Only the lua/ layer includes lua.h.
 */
#ifndef KAOHE_SANDBOX_H
#define KAOHE_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

typedef struct lua_State lua_State;

typedef struct sandbox_limits {
    size_t memory_bytes;   /* allocator ceiling for the whole state; 0 = default */
    uint64_t instructions; /* VM instruction budget of the state; 0 = default */
    unsigned seconds;      /* wall-clock limit of the state from its creation; 0 = default */
} sandbox_limits;

#define SANDBOX_DEFAULT_MEMORY       ((size_t)256 << 20)
#define SANDBOX_DEFAULT_INSTRUCTIONS ((uint64_t)200000000)
#define SANDBOX_DEFAULT_SECONDS      180

typedef struct sandbox sandbox;

/* Creates a state with the safe library installed in the registry. NULL only if the state
 * itself cannot be created (err says so). */
sandbox *sandbox_new(const sandbox_limits *limits, kh_error *err);
void sandbox_free(sandbox *sb);
lua_State *sandbox_lua(sandbox *sb);

/* [-0, +1] Pushes a new environment table for one chunk. Reads fall through to the safe
 * globals and to `exports` (the table at stack index exports_idx, or none if 0); any other read
 * or any write of a global raises "undeclared global". */
void sandbox_push_env(sandbox *sb, int exports_idx);

/* [-0, +1] Pushes a new table holding the safe globals only (for host Lua files, which may
 * set their own globals). */
void sandbox_push_host_env(sandbox *sb);

/* The largest scorecard (or language) source sandbox_load_file reads. */
#define SANDBOX_MAX_SOURCE      (16 << 20)
#define SANDBOX_MAX_SOURCE_TEXT "16 MiB"

/* [-0, +1 on success] Reads a text chunk from `path` and pushes it as a function whose _ENV is
 * the table at env_idx. Binary chunks, files that are not regular and files larger than
 * SANDBOX_MAX_SOURCE are refused. The chunk is named by `display` (the path as the user wrote
 * it) so that every error says "display:LINE:" (or "display: " when Lua gives no position).
 * Returns 0 or -1 with err set. */
int sandbox_load_file(sandbox *sb, const char *path, const char *display, int env_idx,
                      kh_error *err);

/* As sandbox_load_file, for code already in memory. */
int sandbox_load_buffer(sandbox *sb, const char *code, size_t len, const char *display, int env_idx,
                        kh_error *err);

/* [-(nargs+1), +nresults on success, -(nargs+1) on failure] Calls the function below nargs
 * arguments in protected mode. On failure fills err with the message; a spent instruction
 * budget or memory ceiling is reported as such (naming `what`, e.g. the scorecard's file),
 * whatever the script did with the original error. */
int sandbox_pcall(sandbox *sb, int nargs, int nresults, const char *what, kh_error *err);

/* Runs body(L) with `ud` (a light userdata) as its only argument inside ONE protected call, in
 * the style of lua.c's pmain: every Lua error body raises, or a scorecard it calls raises,
 * comes back as -1 with err filled as by sandbox_pcall, and the stack is as it was. `what`
 * (the file being loaded) names the run in the budget and memory messages and, should an
 * error ever escape a protected call, in the panic handler's message. body reports failures of
 * its own through `ud`. */
int sandbox_run(sandbox *sb, int (*body)(lua_State *L), void *ud, const char *what, kh_error *err);

/* Bytes currently allocated and instructions executed so far (approximate: counted in steps of
 * the hook interval). */
size_t sandbox_memory_used(const sandbox *sb);
uint64_t sandbox_instructions_used(const sandbox *sb);

/* Charges `units` instructions' worth of work done in C (library functions whose work grows
 * with their input: lua/meter.c) to the budget; raises, and makes every later instruction
 * raise, when the budget or the time is spent or the state was interrupted. A charge of 0 only
 * checks. Call only from a lua_CFunction of the state. */
void sandbox_charge(lua_State *L, double units);

/* Bytes the state may still allocate under its memory ceiling. */
size_t sandbox_memory_room(lua_State *L);

/* 1 once the state was killed (budget, time, interrupt). */
int sandbox_killed(lua_State *L);

/* From another thread (a watchdog): stop the state. The main thread raises at its next
 * instruction, any other at its next hook; sandbox_pcall then reports the time limit. */
void sandbox_interrupt(sandbox *sb);

/* The wall-clock limit of the state, in seconds. */
unsigned sandbox_seconds(const sandbox *sb);

/* "Lua 5.4.4", for the version line. */
const char *sandbox_lua_release(void);

#endif
