/*
 * home.h — where kaohe's data lives (the scorecard language, bundled scorecards, the evidence
 * schema, the import header mapping).
 */
#ifndef KAOHE_HOME_H
#define KAOHE_HOME_H

/* $KAOHE_HOME, else the source tree the binary was built from. */
const char *kh_home(void);

#endif
