/*
 * accountability.h — `kaohe accountability`: the 问责名单 a run recorded (core/wenze.h), printed
 * for people (text) or other systems (CSV), each cadre with the condition and the evidence.
 */
#ifndef KAOHE_ACCOUNTABILITY_H
#define KAOHE_ACCOUNTABILITY_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

typedef struct kh_accountability_opts {
    const char *results; /* the results database */
    int64_t run;         /* 0: the latest */
    int csv;             /* 1: CSV (UTF-8 with BOM), 0: text */
} kh_accountability_opts;

/* Prints run o->run's list to out (a merge: its parts' lists, with the county when they span
 * several, and its note on parts that kept none). A run without the 包抓 card, or a merge by a
 * kaohe that carried no list, is an error saying so. 0, or -1 with err. */
int kh_accountability(const kh_accountability_opts *o, FILE *out, kh_error *err);

#endif
