#!/usr/bin/env python3
"""The import peer (issue 19 item 6): a sqlite3-shell script that loads the CSV exports into
an evidence database made by `kaohe schema`, the way one would by hand: `.import` each file
into a staging table (text), then INSERT … SELECT into the real table with conversion — empty
fields to NULL, numbers and dates by the columns' affinity — and drop the staging table.
No validation, no parent-key checks, no import log: less than kaohe import does.
Amounts (columns *_fen) are exported in yuan ("2534.00") and stored in fen, as kaohe import
does; an empty field of a NOT NULL column with a default takes the default.
  shell_import.py EVIDENCE.db FILE.csv... > IMPORT.sql   (table = the file's name without .csv)
"""
import csv
import os
import sqlite3
import sys


def conversion(col, info):
    """The SELECT expression converting the staging table's text of column `col`."""
    v = f"NULLIF(\"{col}\", '')"
    if col.endswith("_fen"):
        v = f"CAST(round({v} * 100) AS INTEGER)"
    notnull, default = info.get(col, (0, None))
    return f"coalesce({v}, {default})" if notnull and default is not None else v


db = sqlite3.connect(sys.argv[1])
print(".bail on")
for path in sys.argv[2:]:
    table = os.path.basename(path)[:-4]
    with open(path, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    stage = f"_stage_{table}"
    cols = ", ".join(f'"{c}"' for c in header)
    info = {r[1]: (r[3], r[4]) for r in db.execute(f'PRAGMA table_info("{table}")')}
    conv = ", ".join(conversion(c, info) for c in header)
    print(f".import --csv '{path}' {stage}")
    print(f"BEGIN; INSERT INTO \"{table}\" ({cols}) SELECT {conv} FROM {stage}; "
          f"DROP TABLE {stage}; COMMIT;")
