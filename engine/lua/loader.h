/*
 * loader.h — runs a scorecard file in the sandbox and turns the declaration it returns into
 * the plain C data of core/scorecard.h, so that evaluation never touches Lua. Every problem
 * is reported as "FILE:LINE: item N: what is wrong", one per line of the error text.
 */
#ifndef KAOHE_LOADER_H
#define KAOHE_LOADER_H

#include "base/strbuf.h"
#include "core/scorecard.h"
#include "lua/sandbox.h"

typedef struct sc_loader sc_loader;

/* The most items one scorecard may declare (the bundled forms have at most a few dozen). */
#define SC_MAX_ITEMS 1000

/* Loads the scorecard language from `home`/scripts/kaohe/dsl.lua into the sandbox. */
sc_loader *sc_loader_new(sandbox *sb, const char *home, kh_error *err);
void sc_loader_free(sc_loader *ld);
const char *sc_loader_dsl_path(const sc_loader *ld);
const char *sc_loader_dsl_sha256(const sc_loader *ld);

/* [-0, +1] The kinds of subject of core/kinds.h as the scorecard language receives them
 * (host.kinds): an array, in KH_KINDS order, of { name = "township", label = "乡镇",
 * parent = "county" } (parent absent where the kind has none). The Lua module hands the same
 * array to specs as kaohe.kinds, so a spec can check the language against it. */
void sc_push_kinds(lua_State *L);

/* suggest(word, list) -> the entry of the array `list` nearest to `word`, or nil when none is
 * near enough to be a likely typo (base/suggest.h's kh_suggest, for Lua). The language gets it
 * as host.suggest, for "unknown field 'pionts' (did you mean 'points'?)"; the Lua module as
 * kaohe.suggest, for kaohe.testing's own keys. A lua_CFunction. */
int sc_lua_suggest(lua_State *L);

/* Runs `path` in its own environment and converts the declaration, all in one protected call.
 * Only a declaration scorecard { … } made counts (the language seals it; the file returns a
 * token for it). On failure err holds one or more lines, each "FILE:LINE: ...". */
int sc_load(sc_loader *ld, const char *path, scorecard **out, kh_error *err);

#endif
