#!/usr/bin/env python3
"""The scan bound (issue 19 item 6): one pass over every evidence table, every value read
once (the total of its length), in the sqlite3 shell with kaohe's pragmas — what any
evaluation of the evidence must at least do.
  scan_sql.py EVIDENCE.db > SCAN.sql
"""
import sqlite3
import sys

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
print(".output /dev/null")
print("PRAGMA mmap_size = 1073741824;\nPRAGMA temp_store = MEMORY;")
for (t,) in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                       "'sqlite%' AND name NOT IN ('import_log', 'finding_removed') ORDER BY name"):
    cols = [r[1] for r in db.execute(f'PRAGMA table_info("{t}")')]
    print(f'SELECT {" + ".join(f"total(length({chr(34)}{c}{chr(34)}))" for c in cols)} FROM "{t}";')
