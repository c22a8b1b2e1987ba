/*
 * home.h — where kaohe's data lives (the scorecard language, bundled scorecards, the evidence
 * schema, the import header mapping).
 */
#ifndef KAOHE_HOME_H
#define KAOHE_HOME_H

/* $KAOHE_HOME if set; else share/kaohe beside an installed binary (or Lua module), wherever
 * its prefix was moved; else the source tree the binary was built from; else the install
 * prefix it was configured for. Thread-safe; the lookup is done once. */
const char *kh_home(void);

#endif
