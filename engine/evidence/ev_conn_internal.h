/*
 * ev_conn_internal.h — what evidence/sets.c reaches of the read-only evidence connection
 * (evidence.c), for the files of evidence/ only (tests/check_layers.sh refuses it elsewhere).
 *
 * The shared sets are the one thing the host writes on that connection: TEMP tables it builds
 * from the sets' SELECTs and then publishes, read-only, as the attached schema `sets`. Writing
 * is allowed only while the host prepares a statement of its own (ev_conn_host_writes), never
 * while a scorecard's query is prepared, and only into TEMP and the in-memory `sets` schema:
 * the evidence file itself is opened read-only.
 */
#ifndef KAOHE_EV_CONN_INTERNAL_H
#define KAOHE_EV_CONN_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "evidence/evidence.h"

struct ev_sets; /* evidence/sets.c */

sqlite3 *ev_conn_db(evidence *ev);
/* The file the connection reads, as the user named it (for messages). */
const char *ev_conn_path(const evidence *ev);
/* The connection's shared-sets state (NULL until the first set); freed by ev_close. */
struct ev_sets **ev_conn_sets(evidence *ev);
void ev_sets_free(struct ev_sets *s);

/* on = 1 while the host prepares and runs one of its own statements on the sets: the
 * authorizer then also allows TEMP tables and indexes, attaching ":memory:" and the
 * query_only / page_count pragmas (evidence.c host_may); 0 = reading only again. */
void ev_conn_host_writes(evidence *ev, int on);

/* on = 1 while the host runs a read of its own that no scorecard wrote (the coverage of the
 * dated tables): the scorecard queries' step budget does not count it; 0 = counted again. */
void ev_conn_host_reads(evidence *ev, int on);

/* The step budget of scorecard queries, for the host's statements that run a set's SELECT:
 * start counting afresh; afterwards, the budget in steps if it ran out (0 if not). */
void ev_conn_budget_start(evidence *ev);
uint64_t ev_conn_budget_spent(const evidence *ev);
/* The query started by ev_conn_budget_start is over: no time limit until the next start. */
void ev_conn_budget_end(evidence *ev);
/* The time limit, when the last query was stopped by it; else 0. */
unsigned ev_conn_time_spent(const evidence *ev);

/* Binds params by name as ev_query does (unknown or positional parameters are errors). */
int ev_bind_params(sqlite3_stmt *stmt, const kh_param *params, size_t nparams, const char *where,
                   kh_error *err);

#endif
