#!/usr/bin/env bash
# The province on a real scheduler: a single-node Slurm cluster (slurmctld + slurmd + munged,
# every file of it in this test's scratch directory, on free loopback ports) runs the README's
# array-job recipe — taken from the README itself, only its data directory replaced — over three
# county shards, then the dependent merge job. The merged results must equal one run over the
# same shards as a directory (the shards test shows that run equals one database holding all
# three counties), and the array must have made one part and one county workbook per shard.
#
# Needs root (slurmd starts job steps as the submitting user) and Debian's slurm-wlm and munge,
# which scripts/setup.sh installs. A machine that cannot run them fails here with the reason:
# a province recipe nobody has run is not a recipe.
source "$(dirname "$0")/lib.bash"
: "${BUILD:?}" "${KAOHE_GEN:?}"
cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
if [ "$(cache KAOHE_SANITIZE)" = ON ]; then
  echo "slurm: not run from a sanitizer build (the release build's test covers the recipe)"
  exit 0
fi
for tool in munged slurmctld slurmd sbatch scontrol sinfo; do
  command -v "$tool" >/dev/null || PATH=$PATH:/usr/sbin
  command -v "$tool" >/dev/null || {
    echo "FAIL: $tool is missing (apt-get install slurm-wlm munge; scripts/setup.sh does)" >&2
    exit 1
  }
done
[ "$(id -u)" -eq 0 ] || {
  echo "FAIL: slurmd must run as root to start jobs; run this test as root" >&2
  exit 1
}

# ---- the cluster, all of it under $T/cluster ------------------------------------------------
C=$T/cluster
chmod 755 "$T" # munged wants its socket reachable by every user (the jobs run as them)
mkdir -p "$C/state" "$C/spool" "$C/log"
stop_cluster() {
  for p in slurmd slurmctld munged; do
    [ -s "$C/$p.pid" ] && kill "$(cat "$C/$p.pid")" 2>/dev/null || true
  done
  sleep 0.5
}
trap 'stop_cluster; rm -rf "$T"' EXIT
free_port() { # a TCP port nothing listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -ltn 2>/dev/null | grep -q ":$p " || { echo $p; return; }
  done
}
head -c 1024 /dev/urandom >"$C/munge.key"
chmod 400 "$C/munge.key"
munged --key-file="$C/munge.key" --socket="$C/munge.socket" --pid-file="$C/munged.pid" \
  --log-file="$C/log/munged.log" --seed-file="$C/munge.seed" || {
  echo "FAIL: munged did not start: $(tail -3 "$C/log/munged.log" 2>/dev/null)" >&2
  exit 1
}
node=$(hostname -s)
cat >"$C/slurm.conf" <<EOF
ClusterName=kaohetest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/log/slurmctld.log
SlurmdLogFile=$C/log/slurmd.log
AuthType=auth/munge
AuthInfo=socket=$C/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=kaohe Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$C/slurm.conf
slurmctld -f "$SLURM_CONF" -i || {
  echo "FAIL: slurmctld did not start: $(tail -5 "$C/log/slurmctld.log" 2>/dev/null)" >&2
  exit 1
}
slurmd -f "$SLURM_CONF" -N "$node" || {
  echo "FAIL: slurmd did not start: $(tail -5 "$C/log/slurmd.log" 2>/dev/null)" >&2
  exit 1
}
for _ in $(seq 60); do
  [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && break
  sleep 0.5
done
state=$(sinfo -h -o %t 2>&1 || true)
[ "$state" = idle ] || {
  echo "FAIL: the node did not come up (sinfo: '$state'): $(tail -5 "$C/log/slurmd.log")" >&2
  exit 1
}

# ---- the province: three county shards --------------------------------------------------------
W=$T/work # the office's working directory, as the README has it
mkdir -p "$W"
"$KAOHE_GEN" --counties 3 --persons 9000 --shards "$T/prov" -j 2 >/dev/null
ln -s "$KAOHE_HOME/scorecards" "$W/scorecards"
export PATH=$(dirname "$KAOHE"):$PATH # `kaohe` on the PATH the jobs inherit

# ---- the README's recipe, as printed ------------------------------------------------------------
recipe=$(awk '/^# Slurm: /{on=1} on&&/^```/{exit} on' "$KAOHE_HOME/README.md")
expect_contains "$recipe" "sbatch --parsable --array=" "the README has the Slurm recipe"
expect_eq 1 "$(grep -c '/data/prov' <<<"$recipe")" "the recipe names its data directory once"
recipe=${recipe//\/data\/prov/$T\/prov}
(cd "$W" && eval "$recipe" && echo "$mid" >"$T/merge.jobid") || fail "the recipe failed to submit"
mid=$(cat "$T/merge.jobid" 2>/dev/null || true)
[ -n "$mid" ] || {
  finish
  exit 1
}
# the merge job waits on the array (afterok); give both up to five minutes
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
for _ in $(seq 600); do
  s=$(job_state "$mid")
  case "$s" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
  sleep 0.5
done
expect_eq COMPLETED "$(job_state "$mid")" "the merge job ($(cat "$W"/slurm-*.out 2>/dev/null | tail -3))"

# one part and one county workbook per shard, made by the array tasks
expect_eq "620011.db 620012.db 620422.db" "$(cd "$W/parts" 2>/dev/null && echo *.db)" "parts"
expect_eq "620011.xlsx 620012.xlsx 620422.xlsx" "$(cd "$W/各县" 2>/dev/null && echo *.xlsx)" "county workbooks"
[ -s "$W/考核结果.xlsx" ] && ok || fail "the merge job wrote no 考核结果.xlsx"

# the merged results equal one run over the same shards
"$KAOHE" run --quiet --evidence "$T/prov" --results "$T/single.db" "$W"/scorecards/*.lua
dump() { # db: every results table row for row, without the run id
  for t in subject item score deduction result; do
    echo "== $t"
    sqlite3 "$1" "SELECT * FROM $t ORDER BY rowid" | cut -d'|' -f2-
  done
}
dump "$T/single.db" >"$T/single.txt"
dump "$W/results.db" >"$T/merged.txt" 2>&1 || true
if cmp -s "$T/single.txt" "$T/merged.txt"; then ok; else
  fail "merged results differ from one run over the shards: $(diff "$T/single.txt" "$T/merged.txt" | head -5)"
fi
# and the comparison compares something: 3 counties' subjects, scores and deductions
expect_eq 3 "$(sqlite3 "$W/results.db" 'SELECT count(*) FROM run_part')" "the merged run records 3 parts"
expect_eq 1 "$(sqlite3 "$W/results.db" 'SELECT count(*) > 1000 FROM score')" "scores present"
finish
