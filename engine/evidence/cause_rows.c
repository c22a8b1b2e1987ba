/*
 * cause_rows.c — the labelled rows behind one loss, bounded. See cause_rows.h.
 */
#include "evidence/cause_rows.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/row_label.h"

/* One row, "KEY：labelled text", onto sb after a line break when sb holds rows already. */
static int put_row(evidence *ev, const char *table, const char *key, strbuf *sb, kh_error *err)
{
    char *text = NULL;
    int found = ev_row_text(ev, table, key, &text, err);
    if (found < 0)
        return -1;
    sb_printf(sb, "%s%s：%s", sb->len ? "\n" : "", key, found ? text : "证据库中无此行");
    free(text);
    return 0;
}

int ev_cause_rows(evidence *ev, const char *table, const char *keys, const char *sep, char **text,
                  kh_error *err)
{
    *text = NULL;
    strbuf sb = {0};
    /* A key that is itself a row is taken whole (an id may contain the separator), as
     * explain does. */
    char *whole = NULL;
    int found = strstr(keys, sep) ? ev_row_text(ev, table, keys, &whole, err) : 0;
    free(whole);
    if (found < 0)
        return -1;
    if (found || !strstr(keys, sep)) {
        int rc = put_row(ev, table, keys, &sb, err);
        *text = rc == 0 ? sb_take(&sb) : NULL;
        sb_free(&sb);
        return rc;
    }
    size_t n = 0, len = strlen(sep);
    char *list = xstrdup(keys);
    int rc = 0;
    for (char *k = list, *next; k && rc == 0; k = next) {
        char *at = strstr(k, sep);
        next = at ? at + len : NULL;
        if (at)
            *at = '\0';
        if (n++ < EV_CAUSE_ROWS_SHOWN)
            rc = put_row(ev, table, k, &sb, err);
    }
    free(list);
    if (rc == 0 && n > EV_CAUSE_ROWS_SHOWN)
        sb_printf(&sb, "\n等共 %zu 条", n);
    *text = rc == 0 ? sb_take(&sb) : NULL;
    sb_free(&sb);
    return rc;
}
