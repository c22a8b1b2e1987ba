/*
 * fuzz_scorecard.c — libFuzzer target: arbitrary bytes as a scorecard file, loaded in the
 * sandbox and checked against the evidence schema (kaohe check). Hostile or broken Lua must end
 * in a message: no crash, no hang past the instruction budget, no memory past the ceiling.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *db = fuzz_evidence();
    const char *card = fuzz_path("card.lua");
    fuzz_write(card, data, size);
    const char *files[] = {card};
    sandbox_limits lim = {.memory_bytes = 32u << 20, .instructions = 2000000};
    kh_error err;
    kh_check(db, files, 1, "2018", &lim, &err);
    return 0;
}
