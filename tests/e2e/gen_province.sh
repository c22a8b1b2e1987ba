#!/usr/bin/env bash
# kaohe-gen --counties: a province of 会宁县-shaped counties, in one database (--out) or one per
# county (--shards). Sharded and single-database runs of the engine are compared for identical
# results, so a shard must hold exactly its county's rows of the single database, whatever -j.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
gen() { "$KAOHE_GEN" --persons 12000 "$@" >/dev/null; } # 12000 >= 30 persons × 292 villages

# Content of one table, all columns quoted (NULL and '' differ), sorted: row order is not content.
rows() { # db table
  local cols
  cols=$(sqlite3 "$1" "SELECT group_concat('quote(\"' || name || '\")', ',') FROM pragma_table_info('$2')")
  sqlite3 "$1" "SELECT $cols FROM \"$2\"" | LC_ALL=C sort
}
tables() { sqlite3 "$1" "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"; }
digest() { # db: every table's content
  local t
  for t in $(tables "$1"); do
    echo "== $t"
    rows "$1" "$t"
  done | sha256sum
}

# 1. Deterministic: same seed → same content; another seed → other content.
gen --counties 3 --seed 11 --out "$T/a.db"
gen --counties 3 --seed 11 --out "$T/a2.db"
gen --counties 3 --seed 12 --out "$T/b.db"
da=$(digest "$T/a.db")
expect_eq "$da" "$(digest "$T/a2.db")" "same seed, same content"
if [ "$da" != "$(digest "$T/b.db")" ]; then ok; else fail "another seed gave the same content"; fi

# 2. Three counties of 28 townships and 292 villages each (fixtures/huining/villages.tsv); county
# 0 is 会宁县 in 白银市, the synthetic counties 1 and 2 are the first two of city 模拟01市 620010.
a() { sqlite3 "$T/a.db" "$1"; }
expect_eq "3|84|876" "$(a 'SELECT (SELECT count(*) FROM county), (SELECT count(*) FROM township), (SELECT count(*) FROM village)')" \
  "counties, townships, villages"
expect_eq "620010|模拟01市|甘肃省
620400|白银市|甘肃省" "$(a 'SELECT * FROM city ORDER BY id')" "cities"
expect_eq "620011|模拟001县|甘肃省|620010
620012|模拟002县|甘肃省|620010
620422|会宁县|甘肃省|620400" "$(a 'SELECT * FROM county ORDER BY id')" "counties and their cities"
expect_eq 0 "$(a 'SELECT count(*) FROM county LEFT JOIN city ON city.id = county.city_id WHERE city.id IS NULL')" \
  "every county has a city_id that exists"
expect_eq "12000|12000|12000" "$(a "SELECT county_id, count(*) FROM person p JOIN household h ON h.id = p.household_id
  JOIN village v ON v.id = h.village_id JOIN township t ON t.id = v.township_id GROUP BY county_id" | cut -d'|' -f2 | paste -sd'|')" \
  "--persons is per county"
# Ids: every row of a county carries its county code (person: the 身份证号 region), county 0's
# are the one-county generator's (H00000001, K0001), the others' have the code after the letter.
expect_eq 0 "$(a "SELECT count(*) FROM person p JOIN household h ON h.id = p.household_id
  JOIN village v ON v.id = h.village_id JOIN township t ON t.id = v.township_id
  WHERE substr(p.id, 1, 6) != t.county_id
     OR h.id != 'H' || CASE t.county_id WHEN '620422' THEN '' ELSE t.county_id END || substr(h.id, -8)")" \
  "person and household ids carry their county"
expect_eq "H00000001|K0001|H62001100000001|K6200110001|A62001200000001" \
  "$(a "SELECT (SELECT min(id) FROM household), (SELECT min(id) FROM cadre),
    (SELECT min(id) FROM household WHERE id LIKE 'H620011%'), (SELECT min(id) FROM cadre WHERE id LIKE 'K620011%'),
    (SELECT min(id) FROM admission WHERE id LIKE 'A620012%')")" "id scheme"
expect_eq 0 "$(a "SELECT count(*) FROM admission a JOIN person p ON p.id = a.person_id JOIN institution i ON i.id = a.institution_id
  WHERE i.county_id IS NOT NULL AND i.county_id != substr(p.id, 1, 6)")" "admissions stay in their county's hospitals"
# Tables without a primary key: a cadre's assignments and a person's cards stay in one county.
expect_eq "$((3 * 464))|0" "$(a "SELECT count(*), sum(substr(c.id, 2, 6) != t.county_id AND c.id NOT GLOB 'K[0-9][0-9][0-9][0-9]')
  FROM cadre_assignment ca JOIN cadre c ON c.id = ca.cadre_id JOIN township t ON t.id = ca.township_id")" \
  "cadre assignments: 464 per county (cadres.tsv), each to a cadre of its county"
expect_eq "$(a 'SELECT count(*) FROM chronic_card')" "$(a 'SELECT count(DISTINCT person_id || disease || issued_on) FROM chronic_card')" \
  "chronic cards unique"
expect_eq 0 "$(a 'SELECT count(*) FROM pragma_foreign_key_check')" "no dangling reference"

# 3. Shards: one file per county, named by its id, holding that county only, and together
# exactly the single database's rows. Every row belongs to one county except the shared ones:
# the city row and the city's hospital are in each shard of the city, 甘肃省人民医院 in every
# shard; there the union is compared.
gen --counties 3 --seed 11 --shards "$T/s1"
gen --counties 3 --seed 11 --shards "$T/s2" -j 2
expect_eq "620011.db 620012.db 620422.db" "$(cd "$T/s1" && echo *)" "shard files"
for f in 620011 620012 620422; do
  expect_eq "$f" "$(sqlite3 "$T/s1/$f.db" 'SELECT group_concat(id) FROM county')" "$f.db holds county $f only"
  expect_eq 0 "$(sqlite3 "$T/s1/$f.db" "SELECT count(*) FROM township WHERE county_id != '$f'")" "$f.db townships"
  expect_eq 0 "$(sqlite3 "$T/s1/$f.db" 'SELECT count(*) FROM pragma_foreign_key_check')" "$f.db self-contained"
  # -j changes who writes a shard, not what: the files are identical, byte for byte
  if cmp -s "$T/s1/$f.db" "$T/s2/$f.db"; then ok; else fail "$f.db differs between -j 1 and -j 2"; fi
done
for t in $(tables "$T/a.db"); do
  case $t in
  city | institution) merge() { LC_ALL=C sort -u; } ;;
  *) merge() { LC_ALL=C sort; } ;;
  esac
  expect_eq "$(rows "$T/a.db" "$t" | sha256sum)" \
    "$(for f in "$T"/s1/*.db; do rows "$f" "$t"; done | merge | sha256sum)" "shards add up to the single database: $t"
done
expect_eq "620000H001:3 620010H001:2 620400H001:1" \
  "$(for f in "$T"/s1/*.db; do sqlite3 "$f" "SELECT id FROM institution WHERE county_id IS NULL"; done |
    LC_ALL=C sort | uniq -c | awk '{print $2 ":" $1}' | paste -sd' ')" \
  "shared hospitals: the province's in every shard, 模拟01市's in its 2 counties', 白银市's in 会宁县's"

# 4. County 0 does not depend on N: the N = 1 database is 会宁县's shard of the N = 3 run, and
# 会宁县's persons and admissions in the N = 3 single database.
gen --counties 1 --seed 11 --out "$T/one.db"
expect_eq "$(digest "$T/one.db")" "$(digest "$T/s1/620422.db")" "N = 1 equals county 0 of N = 3"
expect_eq "$(rows "$T/one.db" person | sha256sum)" \
  "$(sqlite3 "$T/a.db" "SELECT quote(id), quote(household_id), quote(name), quote(sex), quote(birth_date), quote(low_income),
     quote(dibao), quote(tekun), quote(disabled), quote(away) FROM person WHERE id LIKE '620422%'" | LC_ALL=C sort | sha256sum)" \
  "会宁县's persons in the N = 3 database"
expect_eq "$(sqlite3 "$T/one.db" 'SELECT count(*), sum(total_fen) FROM admission')" \
  "$(sqlite3 "$T/a.db" "SELECT count(*), sum(total_fen) FROM admission WHERE person_id LIKE '620422%'")" \
  "会宁县's admissions in the N = 3 database"

# 5. Usage errors exit 2 naming the problem, and write nothing.
usage() { # expected-message args...
  local msg=$1 rc=0 err
  shift
  err=$("$KAOHE_GEN" "$@" 2>&1 >/dev/null) || rc=$?
  expect_eq 2 "$rc" "exit status of kaohe-gen $*"
  expect_contains "$err" "$msg" "message of kaohe-gen $*"
}
usage "--counties: expected an integer in 1..999, got '0'" --counties 0 --out "$T/bad.db"
usage "--counties: expected an integer in 1..999, got '1000'" --counties 1000 --out "$T/bad.db"
usage "--out and --shards exclude each other" --out "$T/bad.db" --shards "$T/bad"
usage "--out FILE or --shards DIR is required" --counties 2
usage "--jobs needs --shards" --out "$T/bad.db" -j 2
usage "-j: expected an integer" --shards "$T/bad" -j 0
expect_eq "" "$(ls "$T" | grep bad || true)" "nothing written on a usage error"

# A failing shard (a schema that does not load) leaves no file, final or tmp, and exit 1.
echo 'CREATE TABLE broken (' >"$T/broken.sql"
rc=0
err=$("$KAOHE_GEN" --counties 3 --persons 12000 --schema "$T/broken.sql" --shards "$T/fail" -j 2 2>&1 >/dev/null) || rc=$?
expect_eq 1 "$rc" "exit status when a shard fails"
expect_contains "$err" "620422.db (county 620422 会宁县) not written" "failed shard named"
expect_eq "" "$(ls "$T/fail")" "no file left by failed shards"
finish
