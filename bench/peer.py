#!/usr/bin/env python3
"""The peer (issue 19 item 6): the deduction table written by a plain Python sqlite3 script,
the way one would without kaohe. It runs the items' SQL as `kaohe check --print-sql` prints
it (every item and shared set, as the floor runs them, with kaohe's cadence functions loaded
from the same extension: the same work as the floor), takes every row the queries
return into Python, and writes one deduction row per returned row (form, item, subject, key,
the row's text) into a fresh SQLite database in one transaction. It scores nothing: no caps,
no totals, no workbook — less than kaohe does.
  peer.py PRINTED.sql EXTENSION.so EVIDENCE.db OUT.db
Python's sqlite3 must allow extensions (Debian's /usr/bin/python3 does; bench/run.sh uses it).
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from floor_sql import blocks  # noqa: E402


def params_and_sql(lines, params, lit):
    """Applies the `.parameter set` lines to params; returns the item's statements."""
    sql = []
    for line in lines:
        if line.startswith(".parameter set "):
            _, _, name, value = line.split(" ", 3)
            if value.startswith('"') and value.endswith('"'):
                value = value[1:-1]
            params[name[1:]] = lit.execute("SELECT " + value).fetchone()[0]
        elif line.startswith(".parameter init"):
            params.clear()
        elif not line.startswith("--") and not line.startswith("."):
            sql.append(line)
    return [s for s in "\n".join(sql).split(";\n") if s.strip()]


def main(printed, extension, evidence, out):
    forms = blocks(open(printed, encoding="utf-8").read())
    db = sqlite3.connect(f"file:{evidence}?mode=ro", uri=True)
    db.enable_load_extension(True)
    db.load_extension(extension)
    db.execute("PRAGMA mmap_size = 1073741824")
    lit = sqlite3.connect(":memory:")
    if os.path.exists(out):
        os.remove(out)
    res = sqlite3.connect(out)
    res.execute("CREATE TABLE deduction (form TEXT, item TEXT, subject TEXT, key TEXT, row TEXT)")
    rows = []
    for header, items in forms:
        params = {}
        for stmt in params_and_sql(header, params, lit):  # the shared sets, made once per form
            db.execute(stmt, {k: v for k, v in params.items() if ":" + k in stmt})
        for name, lines in items:
            p = dict(params)
            for stmt in params_and_sql(lines, p, lit):
                cur = db.execute(stmt, {k: v for k, v in p.items() if ":" + k in stmt})
                for r in cur.fetchall():
                    rows.append((header[0], name, str(r[0]), str(r[1]) if len(r) > 1 else None,
                                 repr(r)))
    with res:
        res.executemany("INSERT INTO deduction VALUES (?, ?, ?, ?, ?)", rows)
    res.close()
    print(f"{len(rows)} rows")


if __name__ == "__main__":
    main(*sys.argv[1:5])
