/*
 * fuzz_csv.c — libFuzzer target: arbitrary bytes as a CSV file imported into the person table
 * (with --partial, so that good rows go in and bad ones are rejected). Must never crash, leak
 * or corrupt the database; every outcome is a clean import or a message.
 */
#include "fuzz_common.h"
#include "evidence/import.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    const char *db = fuzz_evidence();
    const char *csv = fuzz_path("person.csv");
    fuzz_write(csv, data, size);
    const char *files[] = {csv};
    for (int partial = 0; partial <= 1; partial++) {
        kh_import_options opt = {.evidence_path = db,
                                 .files = files,
                                 .nfiles = 1,
                                 .partial = partial,
                                 .rejects_path = fuzz_path("rejects.csv")};
        kh_import_report rep;
        kh_error err;
        kh_import(&opt, &rep, &err);
        kh_import_report_free(&rep);
    }
    unlink(fuzz_path("rejects.csv"));
    return 0;
}
