/*
 * check.h — a minimal test harness: CHECK records a failure with file and line and goes on;
 * main returns the failure count. Each test binary ends with "N passed, N failed".
 */
#ifndef KAOHE_TEST_CHECK_H
#define KAOHE_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int checks_passed, checks_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (cond) {                                                                                \
            checks_passed++;                                                                       \
        } else {                                                                                   \
            checks_failed++;                                                                       \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);               \
        }                                                                                          \
    } while (0)

#define CHECK_CONTAINS(haystack, needle)                                                           \
    do {                                                                                           \
        const char *h_ = (haystack), *n_ = (needle);                                               \
        if (h_ && strstr(h_, n_)) {                                                                \
            checks_passed++;                                                                       \
        } else {                                                                                   \
            checks_failed++;                                                                       \
            fprintf(stderr, "%s:%d: expected \"%s\" in \"%s\"\n", __FILE__, __LINE__, n_,          \
                    h_ ? h_ : "(null)");                                                           \
        }                                                                                          \
    } while (0)

#define CHECK_REPORT()                                                                             \
    (printf("%d passed, %d failed\n", checks_passed, checks_failed), checks_failed ? 1 : 0)

#endif
