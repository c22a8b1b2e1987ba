/*
 * test_when.c — recorded UTC times shown as local time: Beijing time when TZ is unset, the
 * zone TZ names otherwise, and anything else shown as it is. Expected values by hand.
 */
#include <stdlib.h>

#include "base/when.h"
#include "check.h"

int main(void)
{
    char buf[96];
    unsetenv("TZ");
    /* 02:00 UTC is 10:00 in Beijing (UTC+8) */
    CHECK(kh_time_local("2018-12-20T02:00:00Z", buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "2018-12-20 10:00:00（北京时间）") == 0);
    /* 16:30 UTC on the last day of a leap February is 00:30 on 1 March in Beijing */
    CHECK(kh_time_local("2020-02-29T16:30:00Z", buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "2020-03-01 00:30:00（北京时间）") == 0);
    /* and across a year's end: 2018-12-31 20:00 UTC is 2019-01-01 04:00 */
    CHECK(kh_time_local("2018-12-31T20:00:00Z", buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "2019-01-01 04:00:00（北京时间）") == 0);
    /* 1970-01-01T00:00:00Z, the epoch, is 08:00 in Beijing */
    CHECK(kh_time_local("1970-01-01T00:00:00Z", buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "1970-01-01 08:00:00（北京时间）") == 0);

    setenv("TZ", "UTC", 1);
    CHECK(kh_time_local("2018-12-20T02:00:00Z", buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "2018-12-20 02:00:00（UTC）") == 0);
    setenv("TZ", "", 1); /* empty TZ: as if unset */
    CHECK(kh_time_local("2018-12-20T02:00:00Z", buf, sizeof buf) == 0);
    CHECK(strcmp(buf, "2018-12-20 10:00:00（北京时间）") == 0);

    /* not the recorded form: shown unchanged, -1 */
    const char *bad[] = {"2018-12-20 02:00:00",
                         "2018-12-20T02:00:00",
                         "2018-13-20T02:00:00Z",
                         "2018-12-20T02:00:00Z ",
                         "",
                         "昨天"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(kh_time_local(bad[i], buf, sizeof buf) == -1);
        CHECK(strcmp(buf, bad[i]) == 0);
    }
    CHECK(kh_time_local(NULL, buf, sizeof buf) == -1 && buf[0] == '\0');
    return CHECK_REPORT();
}
