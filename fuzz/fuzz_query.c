/*
 * fuzz_query.c — libFuzzer target: arbitrary text as a scorecard's SQL through the read-only
 * evidence API. Nothing may write, attach, load, or run past the step budget; every refusal is
 * a message. The database's content hash is compared at exit to prove it was never changed.
 */
#include "fuzz_common.h"

static char initial_hash[65];

static void check_unchanged(void)
{
    kh_error err;
    evidence *ev = ev_open(fuzz_evidence(), &err);
    ev_hash h;
    if (!ev || ev_content_hash(ev, &h, &err) != 0)
        abort();
    if (strcmp(h.sha256, initial_hash) != 0) {
        fprintf(stderr, "fuzz_query: the evidence changed\n");
        abort();
    }
    ev_hash_free(&h);
    ev_close(ev);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static evidence *ev;
    kh_error err;
    if (!ev) {
        ev = ev_open(fuzz_evidence(), &err);
        if (!ev)
            abort();
        ev_set_query_steps(ev, 2000000);
        ev_hash h;
        ev_content_hash(ev, &h, &err);
        memcpy(initial_hash, h.sha256, sizeof initial_hash);
        ev_hash_free(&h);
        atexit(check_unchanged);
    }
    char *sql = malloc(size + 1);
    memcpy(sql, data, size);
    sql[size] = '\0';
    kh_param params[] = {{"period", {.type = KH_TEXT, .s = "2018"}},
                         {"period_start", {.type = KH_TEXT, .s = "2018-01-01"}},
                         {"period_end", {.type = KH_TEXT, .s = "2018-12-31"}},
                         {"year", {.type = KH_INT, .i = 2018}}};
    ev_cursor *c = NULL;
    if (ev_query(ev, sql, params, 4, "fuzz:", &c, &err) == 0) {
        for (int rows = 0; rows < 10000 && ev_step(c, &err) == 1; rows++)
            for (int i = 0; i < ev_ncols(c); i++)
                (void)ev_text(c, i);
        ev_done(c);
    }
    free(sql);
    return 0;
}
