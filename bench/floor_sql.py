#!/usr/bin/env python3
"""The SQL floor's script: `kaohe check --print-sql` output made runnable by the sqlite3 shell
with the pragmas kaohe's evidence connections use (evidence/evidence.c ev_open: mmap_size
1 GiB, temp_store MEMORY; query_only is left to the shell's -readonly, as the shell's
.parameter table is a TEMP write that query_only refuses), output discarded.

kaohe registers kh_months_missing / kh_quarters_missing (and their _list forms) in C; the
shell gets the same functions from bench/cadence_ext.c, built by bench/run.sh as a loadable
extension, so every item and every shared set runs here as it does in kaohe (before
2026-12-02 the items calling them were left out, and once a shared set called them the
floor failed).
  floor_sql.py PRINTED.sql EXTENSION.so > FLOOR.sql
"""
import re
import sys

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


if __name__ == "__main__":
    forms = blocks(open(sys.argv[1], encoding="utf-8").read())
    print(".output /dev/null")
    print(f".load {sys.argv[2]}")
    print("PRAGMA mmap_size = 1073741824;\nPRAGMA temp_store = MEMORY;")
    items = 0
    for header, form_items in forms:
        print("\n".join(header))
        for _, lines in form_items:
            print("\n".join(lines))
            items += 1
    print(f"floor and peer: all {items} items of {len(forms)} scorecards, with their shared sets "
          "(kaohe's cadence functions loaded from bench/cadence_ext.c)", file=sys.stderr)
