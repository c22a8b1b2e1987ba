/*
 * help.c — help made from the options table (options.c): `kaohe CMD --help` and `kaohe help
 * CMD` (usage, summary, one line per option), the man page's commands section (`kaohe help
 * --scdoc`), the words bash completion offers (`kaohe help --complete [CMD]`), and "did you
 * mean" for a mistyped command or option.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "cli/cli.h"

/* "-j, --jobs N": the left column of an option's help line. */
static void option_words(const cli_opt *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s%s%s%s%s", o->alias ? o->alias : "", o->alias ? ", " : "", o->name,
             o->arg ? " " : "", o->arg ? o->arg : "");
}

void cli_print_help(const cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: %s\n\n%s\n", cmd->usage, cmd->summary);
    const cli_opt *o = cli_options_of(cmd->name);
    fprintf(out, "\noptions:\n");
    for (; o && o->name; o++) {
        char words[96];
        option_words(o, words, sizeof words);
        fprintf(out, "  %-26s%s%s\n", words, strlen(words) >= 26 ? "  " : "", o->help);
    }
    fprintf(out, "  %-26s%s\n", "-h, --help", "show this help");
}

/* Text for scdoc: its markup characters escaped. */
static void scdoc_text(const char *s, FILE *out)
{
    for (; *s; s++) {
        if (*s == '_' || *s == '*' || *s == '\\')
            fputc('\\', out);
        fputc(*s, out);
    }
}

void cli_print_scdoc(const cli_command *cmds, size_t n, FILE *out)
{
    fprintf(out, "# COMMANDS\n\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "## %s\n\n```\n%s\n```\n\n", cmds[i].name, cmds[i].usage);
        scdoc_text(cmds[i].summary, out);
        fprintf(out, "\n\n");
        for (const cli_opt *o = cli_options_of(cmds[i].name); o && o->name; o++) {
            if (o->name[0] != '-') { /* an operand: underlined, like a value */
                fprintf(out, "_");
                scdoc_text(o->name, out);
                fprintf(out, "_");
            } else {
                fprintf(out, "%s%s%s*%s*", o->alias ? "*" : "", o->alias ? o->alias : "",
                        o->alias ? "*, " : "", o->name);
            }
            if (o->arg) {
                fprintf(out, " _");
                scdoc_text(o->arg, out);
                fprintf(out, "_");
            }
            fprintf(out, "\n\t");
            scdoc_text(o->help, out);
            fprintf(out, "\n\n");
        }
    }
}

void cli_print_complete(const cli_command *cmds, size_t n, const char *command, FILE *out)
{
    if (!command) {
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%s\n", cmds[i].name);
        return;
    }
    /* "--evidence DB" for an option that takes a value, "--quiet" for a flag, "SCORECARD..."
     * for the operands: bash chooses file completion from it. */
    for (const cli_opt *o = cli_options_of(command); o && o->name; o++) {
        fprintf(out, "%s%s%s\n", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (o->alias)
            fprintf(out, "%s%s%s\n", o->alias, o->arg ? " " : "", o->arg ? o->arg : "");
    }
    fprintf(out, "--help\n");
}

int cli_unknown_option(const char *command, const char *arg, kh_error *err)
{
    if (arg[0] != '-' || arg[1] == '\0') {
        kh_seterr(err, "%s: unknown argument '%s'", command, arg);
        return -1;
    }
    const char *known[64];
    size_t n = 0;
    char typed[64];
    snprintf(typed, sizeof typed, "%.*s", (int)strcspn(arg, "="), arg); /* "--outt=x" */
    for (const cli_opt *o = cli_options_of(command); o && o->name && n < 62; o++)
        if (o->name[0] == '-')
            known[n++] = o->name;
    known[n++] = "--help";
    const char *near = kh_suggest(typed, known, n);
    kh_seterr(err, "%s: unknown option '%s'%s%s%s", command, arg, near ? " (did you mean '" : "",
              near ? near : "", near ? "'?)" : "");
    return -1;
}
