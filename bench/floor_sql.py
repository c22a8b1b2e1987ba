#!/usr/bin/env python3
"""The SQL floor's script: `kaohe check --print-sql` output made runnable by the sqlite3 shell
with the pragmas kaohe's evidence connections use (evidence/evidence.c ev_open: mmap_size
1 GiB, temp_store MEMORY; query_only is left to the shell's -readonly, as the shell's
.parameter table is a TEMP write that query_only refuses), output discarded.

The shell has no kh_months_missing / kh_quarters_missing (kaohe registers them in C), so an
item whose SQL calls them is left out; the count of items left out goes to stderr, and the
same items are left out of the peer (peer.py) so that the two do the same work.
  floor_sql.py PRINTED.sql > FLOOR.sql
"""
import re
import sys

HOST_FUNCTIONS = ("kh_months_missing", "kh_quarters_missing")


FORM_TITLE = re.compile(r"^-- .* \(.*\.lua\)$")


def blocks(text):
    """(header lines, [(item name, lines)]) per form, in order."""
    forms, form, item = [], None, None
    for line in text.split("\n"):
        if line.startswith("-- item "):
            item = (line[8:], [line])
            form[1].append(item)
        elif FORM_TITLE.match(line):  # not "-- shared sets: ..." nor "-- set NAME (FILE:LINE)"
            form = ([line], [])
            forms.append(form)
            item = None
        elif item is not None:
            item[1].append(line)
        elif form is not None:
            form[0].append(line)
    return forms


def runnable(text):
    """The forms with the items the shell can run, and how many were left out."""
    out, skipped = [], []
    for header, items in blocks(text):
        kept = []
        for name, lines in items:
            if any(f in "\n".join(lines) for f in HOST_FUNCTIONS):
                skipped.append(f"{header[0][3:].split(' (')[0]} {name}")
            else:
                kept.append((name, lines))
        out.append((header, kept))
    return out, skipped


if __name__ == "__main__":
    forms, skipped = runnable(open(sys.argv[1], encoding="utf-8").read())
    print(".output /dev/null")
    print("PRAGMA mmap_size = 1073741824;\nPRAGMA temp_store = MEMORY;")
    for header, items in forms:
        print("\n".join(header))
        for _, lines in items:
            print("\n".join(lines))
    print(f"floor: {len(skipped)} items left out (kh_months_missing/kh_quarters_missing): "
          + ", ".join(skipped), file=sys.stderr)
