/*
 * deadline.c — 整改完成时限 (the ledger's deadline) of run and merge, read with the one date
 * parser every date people type goes through (base/parse.c), so that `run --deadline
 * 2019-02-31` and `merge --deadline nonsense` are refused as import would refuse them, instead of
 * being printed in 运行信息 and the ledger.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/app_internal.h"
#include "base/parse.h"

int app_deadline(const char *given, const char *period, kh_manifest *m, kh_error *err)
{
    if (!given) {
        /* 31 March of the year after the period (4 digits: checked by the caller) */
        snprintf(m->deadline, sizeof m->deadline, "%04d-03-31", (atoi(period) + 1) % 10000);
        return 0;
    }
    char date[11];
    if (kh_parse_date(given, date) != 0) {
        kh_seterr(err, "--deadline %s: expected a date such as 2019-03-31", given);
        return -1;
    }
    snprintf(m->deadline, sizeof m->deadline, "%s", date);
    return 0;
}
