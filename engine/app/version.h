/* version.h — "kaohe 0.1.0 (Lua 5.4.4, SQLite 3.40.1, libxlsxwriter 1.1.4)". */
#ifndef KAOHE_VERSION_H
#define KAOHE_VERSION_H
const char *kh_version_line(void);
#endif
