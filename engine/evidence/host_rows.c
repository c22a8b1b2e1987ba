/*
 * host_rows.c — the host's own reads of the evidence, for the report rather than for a score
 * (a cadre's 包抓村 under the title of the cadre's form, core/subject_detail.c). They run
 * through the same defences as a scorecard's query, but outside its step budget: `--query-limit`
 * bounds what a scorecard asks, and a printed line must not make a run fail in its place.
 */
#include "evidence/ev_conn_internal.h"
#include "evidence/evidence.h"

int ev_host_rows(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
                 const char *where, int (*row)(void *ud, ev_cursor *c), void *ud, kh_error *err)
{
    ev_cursor *c = NULL;
    ev_conn_host_reads(ev, 1);
    int rc = ev_query(ev, sql, params, nparams, where, &c, err);
    if (rc == 0) {
        while ((rc = ev_step(c, err)) == 1)
            if (row(ud, c) != 0)
                break;
        ev_done(c);
    }
    ev_conn_host_reads(ev, 0);
    return rc < 0 ? -1 : 0;
}
