/*
 * syntax_hint.c — the item a Lua syntax error is in. See syntax_hint.h.
 */
#include "lua/syntax_hint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The word the line starts with (after blanks): 1 if it is `word` followed by a blank, '{' or
 * '(' — an item or section being opened there. */
static int opens(const char *line, const char *word)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(word);
    return strncmp(line, word, n) == 0 &&
           (line[n] == ' ' || line[n] == '\t' || line[n] == '{' || line[n] == '(');
}

/* 1 if text + i starts the word `word`. */
static int word_at(const char *text, size_t i, const char *word)
{
    return strncmp(text + i, word, strlen(word)) == 0 &&
           (i == 0 || !(isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_'));
}

/* The item number written as `no = "3"` (or '3', or 3) in text[0..len) before its rule (whose
 * finding { no = 0 } is not the item's number), into no; 0 if none. */
static int find_no(const char *text, size_t len, char *no, size_t size)
{
    for (size_t i = 0; i + 2 < len && !word_at(text, i, "rule"); i++) {
        if (!word_at(text, i, "no"))
            continue;
        size_t j = i + 2;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        if (j >= len || text[j] != '=')
            continue;
        j++;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        char quote = j < len && (text[j] == '"' || text[j] == '\'') ? text[j++] : 0;
        size_t k = 0;
        while (j < len && k + 1 < size && text[j] != '\n' &&
               (quote ? text[j] != quote : (isdigit((unsigned char)text[j]) || text[j] == '.')))
            no[k++] = text[j++];
        no[k] = '\0';
        return k > 0;
    }
    return 0;
}

void sc_syntax_hint(const char *path, kh_error *err)
{
    size_t plen = strlen(path);
    char *end = NULL;
    if (strncmp(err->msg, path, plen) != 0 || err->msg[plen] != ':')
        return;
    long line = strtol(err->msg + plen + 1, &end, 10);
    if (end == err->msg + plen + 1 || *end != ':' || line <= 0)
        return;
    strbuf text = {0};
    if (sb_read_file(&text, path) != 0) {
        sb_free(&text);
        return;
    }
    /* the nearest item or section opened at or above the line, and where that line ends */
    const char *item = NULL, *stop = NULL, *p = sb_str(&text);
    long item_line = 0;
    for (long n = 1; *p && n <= line; n++) {
        const char *eol = strchr(p, '\n');
        if (opens(p, "item"))
            item = p, item_line = n;
        else if (opens(p, "section"))
            item = NULL;
        stop = eol ? eol : p + strlen(p);
        p = eol ? eol + 1 : stop;
    }
    char no[64], hint[128];
    if (item && find_no(item, (size_t)(stop - item), no, sizeof no))
        snprintf(hint, sizeof hint, " (in item %s?)", no);
    else if (item)
        snprintf(hint, sizeof hint, " (in the item at line %ld?)", item_line);
    if (item && strlen(err->msg) + strlen(hint) < sizeof err->msg)
        strcat(err->msg, hint);
    sb_free(&text);
}
