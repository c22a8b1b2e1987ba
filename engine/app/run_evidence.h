/*
 * run_evidence.h — where the evidence of a recorded run is now, for the commands that read a
 * past run's evidence (explain, export of findings): the run recorded the path as it was given,
 * often relative to the folder it was started from, which is not the folder a later command
 * runs in.
 */
#ifndef KAOHE_RUN_EVIDENCE_H
#define KAOHE_RUN_EVIDENCE_H

/* `given` (--evidence) when not NULL; else the `recorded` path: when relative, beside the
 * results database (DIR-OF-RESULTS/recorded) if a file is there — a run started in the folder
 * holding both — else as recorded. The caller frees it. */
char *app_run_evidence(const char *results, const char *recorded, const char *given);

#endif
