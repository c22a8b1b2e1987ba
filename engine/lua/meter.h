/*
 * meter.h — charges the C work of Lua's library functions to the sandbox's budget (see
 * meter.c). Only sandbox.c includes it.
 */
#ifndef KAOHE_METER_H
#define KAOHE_METER_H

typedef struct lua_State lua_State;

/* Wraps the functions of the real string, table, utf8 and coroutine tables (the globals of
 * the state being built) in metered versions. */
void meter_install(lua_State *L);

#endif
