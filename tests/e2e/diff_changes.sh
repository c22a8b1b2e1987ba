#!/usr/bin/env bash
# `kaohe diff` (回头看) says what changed between two runs besides rectification — period,
# parameters, scorecard files, the language, the evidence — before its list, and an item whose
# outcome changed while its scorecard's rules or parameters changed is 规则/参数变化, never
# 已销号 or new, in the list, the counts, the exit code and the 整改台账.
source "$(dirname "$0")/lib.bash"
cd "$T"
cp "$KAOHE_HOME/fixtures/small/post_assessment_param.lua" post.lua # a card with a parameter
small_evidence ev.db
h1=$("$KAOHE" hash --evidence ev.db | awk '$1 == "evidence" { print substr($3, 1, 12) }')
run() { "$KAOHE" run --evidence ev.db --results r.db "$@" >/dev/null; }
# code ARGS...: runs kaohe; exit code in $rc, stdout in out.txt, stderr in err.txt
code() {
  rc=0
  "$KAOHE" "$@" >out.txt 2>err.txt || rc=$?
}

# fixtures/small/post_assessment.sql loses county 1 2 3 4, 甲镇 1 2, 乙乡 2 3 (worked out there).
run post.lua # run 1
# A4's deposit refunded: 乙乡 item 2 is rectified (the county keeps A2 for its item 2)
sqlite3 ev.db "UPDATE admission SET deposit_fen = 0 WHERE id = 'A4'"
h2=$("$KAOHE" hash --evidence ev.db | awk '$1 == "evidence" { print substr($3, 1, 12) }')
run post.lua # run 2
# the same evidence, with big4_followups raised from 4 to 5: P1 (甲镇, 高血压, a 四大慢病, 4 随访
# in 2018) now has too few, so 甲镇 loses item 3 — because of the parameter, not the village
run --param big4_followups=5 post.lua # run 3
# the scorecard file edited in a comment only: its hash changes, no outcome does
sha_a=$(sha256sum post.lua | cut -c1-12)
echo "-- 注释" >>post.lua
sha_b=$(sha256sum post.lua | cut -c1-12)
run --param big4_followups=5 post.lua # run 4

# 1 → 2: only the evidence changed; 乙乡 2 rectified, 7 persisting; summary first, kinds in Chinese
code diff --results r.db 1 2
expect_eq "3|回头看：运行 1 → 2：已整改（已销号）1 项，仍存在 7 项，新发现 0 项
两次运行的差别：
  证据库内容已更新（内容哈希 $h1 → $h2）
未整改	县 测试县（C1）第1项
未整改	县 测试县（C1）第2项
未整改	县 测试县（C1）第3项
未整改	县 测试县（C1）第4项
未整改	乡镇 甲镇（T1）第1项
未整改	乡镇 甲镇（T1）第2项
已销号	乡镇 乙乡（T2）第2项
未整改	乡镇 乙乡（T2）第3项" "$rc|$(cat out.txt)" "evidence only: rectified"

# 2 → 3: only the parameter changed; 甲镇 3 is 规则/参数变化, not 新发现
code diff --results r.db 2 3 --out ledger.xlsx
expect_eq "3|回头看：运行 2 → 3：已整改（已销号）0 项，仍存在 7 项，新发现 0 项，规则/参数变化 1 项（不计为已整改或新发现）
两次运行的差别：
  参数 post-assessment-deductions.big4_followups：4 → 5" "$rc|$(head -3 out.txt)" "a parameter changed"
expect_eq "规则/参数变化	乡镇 甲镇（T1）第3项" "$(grep -v '^未整改' out.txt | tail -1)" "… the item it changed"
ledger=$("$PY" -c "
import openpyxl; ws = openpyxl.load_workbook('ledger.xlsx')['整改台账']
print([(r[1], r[3], r[6], r[7]) for r in ws.iter_rows(min_row=3, values_only=True) if r[6] != '未整改'])")
expect_eq "[('甲镇', '3', '规则/参数变化', '回头看：考核表规则或参数已改，新出现的问题可能来自改动')]" "$ledger" \
  "the 整改台账 marks it the same"

# 1 → 3: evidence and parameter changed: 乙乡 2, rectified by the evidence, is not counted as
# 已销号 either (the parameter belongs to its scorecard: the change cannot be told apart).
# Persisting: county 1-4 (county 3 gains P1's case but was lost already), 甲镇 1 2, 乙乡 3 = 7.
code diff --results r.db 1 3
expect_eq "3|回头看：运行 1 → 3：已整改（已销号）0 项，仍存在 7 项，新发现 0 项，规则/参数变化 2 项（不计为已整改或新发现）" \
  "$rc|$(head -1 out.txt)" "evidence and parameter: nothing counted as rectified"
expect_eq "规则/参数变化	乡镇 甲镇（T1）第3项|规则/参数变化	乡镇 乙乡（T2）第2项" \
  "$(grep '^规则' out.txt | tr '\n' '|' | sed 's/|$//')" "… both changed items"

# 3 → 4: the scorecard file changed, no outcome did: listed, exit 0
code diff --results r.db 3 4
expect_eq "0|回头看：运行 3 → 4：已整改（已销号）0 项，仍存在 8 项，新发现 0 项
两次运行的差别：
  考核表 post-assessment-deductions 的文件已修改（$sha_a → $sha_b）" "$rc|$(head -3 out.txt)" \
  "a scorecard file changed"

# 2 → 2: nothing differs: no 差别 block at all
code diff --results r.db 2 2
expect_eq "0|0" "$rc|$(grep -c '两次运行的差别' out.txt)" "a run with itself"
finish
