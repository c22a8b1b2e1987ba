/*
 * test_loader.c — the scorecard loader cannot be crashed: whatever a file returns or raises,
 * and whatever shape the declaration it converts has, sc_load comes back with a message that
 * names the file. The first half runs scorecards through the real language (scripts/kaohe/
 * dsl.lua); the second through a stand-in language that seals whatever it is given, which is
 * the only way to hand the C conversion a declaration the real language would never make.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/home.h"
#include "check.h"
#include "lua/loader.h"

static char dir[256]; /* scratch directory: the stand-in home and the scorecard files */

/* Writes `text` to dir/name and returns the path (static storage, overwritten per call). */
static const char *write_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(text, f);
    fclose(f);
    return path;
}

/* Loads the scorecard `text` (written as `name`) with the language of `home`, under small
 * limits. Returns the scorecard, or NULL with the message in err. */
static scorecard *load(const char *home, const char *name, const char *text, kh_error *err)
{
    err->msg[0] = '\0';
    sandbox_limits lim = {.memory_bytes = 32u << 20, .instructions = 5000000};
    sandbox *sb = sandbox_new(&lim, err);
    sc_loader *ld = sb ? sc_loader_new(sb, home, err) : NULL;
    scorecard *sc = NULL;
    if (ld)
        sc_load(ld, write_file(name, text), &sc, err);
    sc_loader_free(ld);
    sandbox_free(sb);
    return sc;
}

/* The scorecard must be refused with a message containing `expect`. */
static void refused(const char *home, const char *name, const char *text, const char *expect,
                    int line)
{
    kh_error err;
    scorecard *sc = load(home, name, text, &err);
    if (sc) {
        checks_failed++;
        fprintf(stderr, "test_loader.c:%d: loaded but should be refused: %s\n", line, text);
        scorecard_free(sc);
        return;
    }
    CHECK_CONTAINS(err.msg, expect);
}

#define REFUSED(name, text, expect) refused(kh_home(), name, text, expect, __LINE__)

/* A scorecard the real language accepts: one section with a note, one item. */
static const char VALID[] =
    "return scorecard { id = 't', title = '测试', mode = 'deduction', subjects = { 'county' },\n"
    "  note = '年度考核', section '甲' { note = '按季度核查',\n"
    "  item { no = '1', text = 'x', note = '如“是”扣1分', rule = deduct_if { deduct = 1,\n"
    "    sql = 'SELECT 1' } } } }\n";

static void real_language(void)
{
    kh_error err;
    scorecard *sc = load(kh_home(), "valid.lua", VALID, &err);
    CHECK(sc != NULL);
    if (sc) {
        /* the notes of the declaration reach the C data */
        CHECK(sc->note && strcmp(sc->note, "年度考核") == 0);
        CHECK(sc->nitems == 1 && sc->items[0].section_note &&
              strcmp(sc->items[0].section_note, "按季度核查") == 0);
        CHECK(sc->items[0].note && strcmp(sc->items[0].note, "如“是”扣1分") == 0);
        scorecard_free(sc);
    } else {
        fprintf(stderr, "  error: %s\n", err.msg);
    }

    /* the old marker is just a field now: nothing but scorecard { … } makes a declaration
     * (this used to reach evaluation with no id and abort) */
    REFUSED("forged.lua", "return { kaohe_scorecard = true }\n",
            "/forged.lua: does not return a scorecard (the file must end with `return "
            "scorecard { ... }`)");
    /* a returned table's metamethods are never run: not even to look for the declaration */
    REFUSED("trap.lua", "return setmetatable({}, { __index = function() while true do end end })\n",
            "/trap.lua: does not return a scorecard");
    /* an error object is named by its type where it was raised: its __tostring, which could
     * loop or fail, is not called */
    REFUSED("loops.lua",
            "error(setmetatable({}, {__tostring = function() while true do end end}))\n",
            "/loops.lua:1: (error object is a table value)");
    REFUSED("fails.lua", "\nerror(setmetatable({}, {__tostring = function() error('x') end}))\n",
            "/fails.lua:2: (error object is a table value)");
    /* a message Lua gives without a position still names the file: error(x, 0), a C stack
     * overflow while parsing (300 nested parentheses) or while running (gsub callbacks
     * nested in C) */
    REFUSED("level0.lua", "error('plain', 0)\n", "/level0.lua: plain");
    {
        char deep[1024] = "return ";
        for (int i = 0; i < 300; i++)
            strcat(deep, "(");
        strcat(deep, "1");
        for (int i = 0; i < 300; i++)
            strcat(deep, ")");
        REFUSED("deep.lua", deep, "/deep.lua: C stack overflow");
    }
    REFUSED("gsub.lua",
            "local s = ('x'):rep(10)\n"
            "local function f() return s:gsub('x', function() return f() end) end\nf()\n",
            "/gsub.lua: C stack overflow");
    /* the source is read into the host's memory: a huge one is refused before it is read (a
     * 17 MiB file of zero bytes, past the 16 MiB a scorecard may be) */
    {
        const char *big = write_file("big.lua", "");
        CHECK(truncate(big, 17 << 20) == 0);
        scorecard *huge = NULL;
        sandbox_limits lim = {.memory_bytes = 32u << 20, .instructions = 5000000};
        sandbox *sb = sandbox_new(&lim, &err);
        sc_loader *ld = sc_loader_new(sb, kh_home(), &err);
        CHECK(sc_load(ld, big, &huge, &err) != 0);
        CHECK_CONTAINS(err.msg, "/big.lua: larger than 16 MiB");
        sc_loader_free(ld);
        sandbox_free(sb);
        unlink(big);
    }
    /* the declaration is final once checked: changing it afterwards is refused */
    REFUSED("tamper.lua",
            "local d = scorecard { id = 't', title = 't', mode = 'deduction',\n"
            "  subjects = { 'county' }, item { no = '1', text = 'x',\n"
            "    rule = deduct_if { deduct = 1, sql = 'SELECT 1' } } }\n"
            "d.items = 5\nreturn d\n",
            "/tamper.lua:4: a scorecard declaration cannot be read or changed after scorecard");
    /* a rule forged by hand is no rule */
    REFUSED(
        "forgedrule.lua",
        "return scorecard { id = 't', title = 't', mode = 'deduction',\n"
        "  subjects = { 'county' }, item { no = '1', text = 'x', rule = { kind = 'finding' } } }\n",
        "/forgedrule.lua:2: item 1: rule is missing or is not a rule");
    /* the limits hold while loading, and name the file */
    REFUSED("spin.lua", "\nwhile true do end\n", "/spin.lua:2: instruction budget exceeded");
    REFUSED("bomb.lua", "local t = {} for i = 1, 1e8 do t[i] = i end\n",
            "/bomb.lua: memory limit exceeded");
}

/* A language that checks nothing: scorecard(spec) seals spec as the declaration. */
static const char STAND_IN[] = "local host = ...\n"
                               "return { scorecard = function(spec) return host.seal(spec) end }\n";

#define FORGED(name, text, expect) refused(home, name, text, expect, __LINE__)

static void stand_in_language(void)
{
    char home[300];
    snprintf(home, sizeof home, "%s/home", dir);
    char scripts[400];
    snprintf(scripts, sizeof scripts, "mkdir -p '%s/scripts/kaohe'", home);
    CHECK(system(scripts) == 0);
    write_file("home/scripts/kaohe/dsl.lua", STAND_IN);

    /* list entries of the wrong type: a number where an item table belongs */
    FORGED("numbers.lua",
           "return scorecard { id = 'x', title = 't', mode = 'deduction',\n"
           "  subjects = { 'county' }, items = { 1, 2 } }\n",
           "/numbers.lua:1: malformed declaration from ");
    FORGED("numbers.lua",
           "return scorecard { id = 'x', title = 't', mode = 'deduction',\n"
           "  subjects = { 'county' }, items = { 1, 2 } }\n",
           "/home/scripts/kaohe/dsl.lua: items[1] is a number, not a table\n");
    FORGED("numbers.lua",
           "return scorecard { id = 'x', title = 't', mode = 'deduction',\n"
           "  subjects = { 'county' }, items = { 1, 2 } }\n",
           "items[2] is a number, not a table\n");
    /* a rule forged by hand: {kind = "finding"} on an item without points */
    FORGED("rule.lua",
           "return scorecard { id = 'x', title = 't', mode = 'points', subjects = { 'county' },\n"
           "  items = { { no = '1', text = 'x', rule = { kind = 'finding' } } } }\n",
           "items[1].points is missing (a number: the rule awards the item's points)");
    FORGED("kind.lua",
           "return scorecard { id = 'x', title = 't', mode = 'points', subjects = { 'county' },\n"
           "  items = { { no = '1', text = 'x', points = 1, rule = { kind = 'findng' } } } }\n",
           "items[1].rule.kind is not a rule kind");
    FORGED(
        "sql.lua",
        "return scorecard { id = 'x', title = 't', mode = 'deduction', subjects = { 'county' },\n"
        "  items = { { no = '1', text = 'x', rule = { kind = 'per_case', each = 1 } } } }\n",
        "items[1].rule.sql is missing (a string)");
    /* wrong types deep inside and at the top */
    FORGED(
        "deep.lua",
        "return scorecard { id = 5, title = 't', mode = 'deduction', subjects = 'county',\n"
        "  items = { { no = {}, text = 5, rule = 7 } }, params = { { name = 'p', value = {} } },\n"
        "  grades = { { name = '好' } }, problems = { 5 } }\n",
        "id is a number, not a string");
    FORGED(
        "deep.lua",
        "return scorecard { id = 5, title = 't', mode = 'deduction', subjects = 'county',\n"
        "  items = { { no = {}, text = 5, rule = 7 } }, params = { { name = 'p', value = {} } },\n"
        "  grades = { { name = '好' } }, problems = { 5 } }\n",
        "subjects is a string, not a table");
    FORGED(
        "deep.lua",
        "return scorecard { id = 'x', title = 't', mode = 'deduction', subjects = { 'county' },\n"
        "  items = { { no = {}, text = 5, rule = 7 } } }\n",
        "items[1].no is a table, not a string");
    FORGED(
        "deep.lua",
        "return scorecard { id = 'x', title = 't', mode = 'deduction', subjects = { 'county' },\n"
        "  items = { { no = '1', text = 'x', rule = 7 } } }\n",
        "items[1].rule is a number, not a table");
    FORGED(
        "param.lua",
        "return scorecard { id = 'x', title = 't', mode = 'deduction', subjects = { 'county' },\n"
        "  params = { { name = 'p', value = {} } } }\n",
        "params[1].value is neither a number nor text");
    FORGED(
        "grade.lua",
        "return scorecard { id = 'x', title = 't', mode = 'deduction', subjects = { 'county' },\n"
        "  grades = { { name = '好' } } }\n",
        "grades[1].min is missing (a number)");
    FORGED(
        "problem.lua",
        "return scorecard { id = 'x', title = 't', mode = 'deduction', subjects = { 'county' },\n"
        "  problems = { 5 } }\n",
        "problems[1] is a number, not a table");
    FORGED("kinds.lua",
           "return scorecard { id = 'x', title = 't', mode = 'deduction',\n"
           "  subjects = { 'county', 'county', 'province' } }\n",
           "subjects[2] names a kind listed before");
    FORGED("kinds.lua",
           "return scorecard { id = 'x', title = 't', mode = 'deduction',\n"
           "  subjects = { 'county', 'county', 'province' } }\n",
           "subjects[3] is not a kind of subject");
    /* the declaration's metamethods are never run while converting it */
    FORGED("meta.lua",
           "return scorecard(setmetatable({ title = 't' },\n"
           "  { __index = function() while true do end end }))\n",
           "id is missing (a string)");
    /* the language's own problems come first, and alone: the shape of what it left behind is
     * not reported on top of them */
    kh_error err;
    scorecard *sc =
        load(home, "own.lua",
             "return scorecard { id = 5, problems = { { line = 1, message = 'mine' } } }\n", &err);
    CHECK(sc == NULL);
    CHECK(strstr(err.msg, "/own.lua:1: mine") != NULL && !strstr(err.msg, "malformed"));
    scorecard_free(sc);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_loader.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror(dir);
        return 2;
    }
    real_language();
    stand_in_language();
    char rm[300];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0)
        fprintf(stderr, "test_loader.c: could not remove %s\n", dir);
    return CHECK_REPORT();
}
