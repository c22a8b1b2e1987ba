/*
 * tmpfile.h — the one way kaohe names a file it writes before the file is complete.
 *
 * Every output (workbook, results database, rejects CSV, built evidence, scratch databases) is
 * written under a name made by mkstemp and renamed over its final path only when complete, so
 * a failed or interrupted command never leaves a half-written output under the real name, and
 * two runs (or two threads of one run) never share a temporary name: a predictable name such
 * as PATH.tmp-PID could be pre-created or symlinked by someone else in a shared directory.
 *
 * A run killed with SIGKILL cannot remove its temporary files, so each name also says whose it
 * is — "PATH.tmp-HOST-PID-XXXXXX" — and making a new one first removes the files of that output
 * (or that scratch kind, directories included) left by processes of this host that no longer run
 * and that belong to this user. A concurrent run's file is kept (its pid runs); another host's too
 * (its pids mean nothing here, and a pid namespace of its own would make them look dead). Not a
 * lock file: nothing waits on it, and a pid reused since only means a stale file is kept a while
 * longer.
 */
#ifndef KAOHE_TMPFILE_H
#define KAOHE_TMPFILE_H

#include "base/strbuf.h"

/* Creates an empty file "PATH.tmp-HOST-PID-XXXXXX" beside `path` (same directory, so the final
 * rename is atomic) with the permissions a new file gets (0666 less the umask), and appends its
 * name to sb. 0, or -1 with err naming path. The caller writes it, then renames it over path or
 * unlinks it. */
int kh_tmp_beside(strbuf *sb, const char *path, kh_error *err);

/* Creates an empty scratch file "DIR/kaohe-WHAT-HOST-PID-XXXXXX" in $TMPDIR (else /tmp), readable
 * by its owner only, and appends its name to sb. 0, or -1 with err. The caller unlinks it. */
int kh_tmp_scratch(strbuf *sb, const char *what, kh_error *err);

/* Creates a scratch directory "DIR/kaohe-WHAT-HOST-PID-XXXXXX" in $TMPDIR (else /tmp), readable
 * by its owner only (mkdtemp), and appends its name to sb; stale ones of the same kind (their
 * process gone) are removed first with the files they hold. 0, or -1 with err. The caller
 * empties and removes it. */
int kh_tmp_scratch_dir(strbuf *sb, const char *what, kh_error *err);

#endif
