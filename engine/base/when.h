/*
 * when.h — the times kaohe records (UTC, "2018-12-20T02:00:00Z", so that a results database
 * means the same wherever it is read) as people read them: local time, which for a county
 * office is Beijing time. One place, so that every listing says the same time the same way.
 */
#ifndef KAOHE_WHEN_H
#define KAOHE_WHEN_H

#include <stddef.h>

/* `utc` as local time into buf: "2018-12-20 10:00:00（北京时间）" when TZ is unset or empty
 * (China keeps UTC+8 all year), else in the zone TZ names, "2018-12-20 02:00:00（UTC）".
 * 0, or -1 when `utc` is not of that form (buf then holds it unchanged, so it is still shown). */
int kh_time_local(const char *utc, char *buf, size_t n);

#endif
