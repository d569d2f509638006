# Start and stop a private single-node Slurm cluster (Debian slurm-wlm 22.05 + munge) for tests
# and benchmarks: munged with its own key and socket, slurmctld and slurmd on 127.0.0.1 at free
# high ports, every file (config, state, spool, logs, pid files) under one directory, run as root
# with SlurmUser=root, no cgroups (proctrack/linuxproc, task/none), no accounting (sacct has no
# data: the executor works from squeue/scontrol). Two clusters can run side by side (their own
# directory, key, socket and ports).
#
# Source this file; it defines
#   slurm_check                  0 when the commands are installed and we are root, else says why
#   slurm_require_or_skip        exits 77 (ctest skip) saying why when slurm_check fails, or 1
#                                when CI or FERRY_REQUIRE_SLURM=1 is set (CI must not skip)
#   slurm_start DIR              starts the cluster under DIR; exports SLURM_CONF, sets
#                                SLURM_DIR, SLURM_NODE, SLURM_PARTITION and SLURM_PIDS
#   slurm_stop                   cancels its jobs, stops the daemons by PID (never by name)
#   slurm_logs                   prints the tail of each daemon's log
# SLURM_SCHEDULER_PARAMETERS (e.g. batch_sched_delay=0) and SLURM_MIN_JOB_AGE (default 3600)
# change the generated slurm.conf.
# The daemons run in the foreground (-D/-F) as background jobs of the sourcing shell, so their
# PIDs come from $! and not from pid files; call slurm_stop from the test's EXIT trap.

source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

SLURM_DIR=""
SLURM_NODE=""
SLURM_PARTITION=ferry
SLURM_PIDS=()
SLURM_MUNGE_SOCKET_DIR=""
# MinJobAge: finished jobs stay visible to squeue/scontrol this long (the executor reads their
# final state and exit code there; there is no accounting database).
SLURM_MIN_JOB_AGE=${SLURM_MIN_JOB_AGE:-3600}

slurm_check() {
  local missing=() c
  for c in munged mungekey munge unmunge slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
    command -v "$c" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin command -v "$c" >/dev/null 2>&1 ||
      missing+=("$c")
  done
  if ((${#missing[@]})); then
    echo "Slurm is not installed (missing ${missing[*]}; ./scripts/install-deps.sh installs slurm-wlm and munge)"
    return 1
  fi
  if [[ $(id -u) -ne 0 ]]; then
    echo "the test Slurm cluster runs its daemons as root (SlurmUser=root); run as root"
    return 1
  fi
}

slurm_require_or_skip() {
  local why
  why=$(slurm_check) && return 0
  if [[ -n ${CI:-} || ${FERRY_REQUIRE_SLURM:-0} == 1 ]]; then
    echo "FAIL: $why (CI / FERRY_REQUIRE_SLURM=1: Slurm tests must not skip)" >&2
    exit 1
  fi
  echo "SKIP: $why" >&2
  exit 77
}

# _slurm_write_conf DIR CTLD_PORT SLURMD_PORT: DIR/slurm.conf for this machine's one node.
_slurm_write_conf() {
  local dir=$1 node_line
  # The node as slurmd sees it (CPUs, sockets, cores, RealMemory), so it is never drained for
  # a configuration larger than the machine; NodeName is `hostname -s`.
  node_line=$(PATH=$PATH:/usr/sbin slurmd -C | grep -m 1 "^NodeName=" || true)
  [[ $node_line == NodeName=* ]] || {
    echo "slurmd -C printed no node line: $node_line" >&2
    return 1
  }
  SLURM_NODE=${node_line%% *}
  SLURM_NODE=${SLURM_NODE#NodeName=}
  cat >"$dir/slurm.conf" <<CONF
# Written by scripts/lib/slurm.sh: a private single-node cluster for tests.
ClusterName=ferrytest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$2
SlurmdPort=$3
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SLURM_MUNGE_SOCKET_DIR/munge.socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SchedulerType=sched/backfill
${SLURM_SCHEDULER_PARAMETERS:+SchedulerParameters=$SLURM_SCHEDULER_PARAMETERS}
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
# A job that can never fit (more CPUs or memory than the node) is refused by sbatch, not queued.
EnforcePartLimits=ALL
MinJobAge=$SLURM_MIN_JOB_AGE
KillWait=5
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=$SLURM_PARTITION Nodes=$SLURM_NODE Default=YES MaxTime=INFINITE State=UP
CONF
}

# _slurm_start_munge DIR: munged with a fresh key. munged wants every directory above its socket
# searchable by all, which a test's mktemp directory is not: the socket gets its own directory
# under /tmp (SLURM_MUNGE_SOCKET_DIR, removed by slurm_stop).
_slurm_start_munge() {
  local dir=$1 socket=$SLURM_MUNGE_SOCKET_DIR/munge.socket
  install -d -m 0700 "$dir/munge"
  mungekey --create --keyfile="$dir/munge/munge.key" 2>>"$dir/log/munged.log" || return 1
  chmod 0400 "$dir/munge/munge.key"
  PATH=$PATH:/usr/sbin munged -F --socket="$socket" \
    --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" </dev/null \
    >>"$dir/log/munged.out" 2>&1 &
  SLURM_PIDS+=($!)
  for _ in $(seq 1 100); do
    munge -n -S "$socket" 2>/dev/null | unmunge -S "$socket" >/dev/null 2>&1 && return 0
    kill -0 "${SLURM_PIDS[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "munged did not answer" >&2
  return 1
}

# _slurm_wait_idle DEADLINE_SECONDS: until sinfo shows our node idle.
_slurm_wait_idle() {
  local state="" pid
  for _ in $(seq 1 $(($1 * 5))); do
    state=$(sinfo -h -n "$SLURM_NODE" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && return 0
    for pid in "${SLURM_PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || {
        echo "a Slurm daemon (pid $pid) exited during start-up" >&2
        return 1
      }
    done
    sleep 0.2
  done
  echo "node $SLURM_NODE not idle after $1 s (sinfo: ${state:-no answer})" >&2
  return 1
}

# slurm_start DIR: returns 0 once the node is idle; otherwise prints why and the daemons' logs,
# stops what it started and returns 1. A port lost to another process is retried with new ports.
slurm_start() {
  local dir attempt ports
  dir=$(mkdir -p "$1" && cd "$1" && pwd) || return 1
  [[ -z $SLURM_DIR ]] || {
    echo "slurm_start: a cluster is already running under $SLURM_DIR" >&2
    return 1
  }
  SLURM_DIR=$dir
  chmod 0755 "$dir"
  for attempt in 1 2 3; do
    rm -rf "${dir:?}"/{log,run,state,spool,munge}
    install -d -m 0755 "$dir/log" "$dir/run" "$dir/state" "$dir/spool"
    SLURM_MUNGE_SOCKET_DIR=$(mktemp -d /tmp/ferry-munge-XXXXXX) && chmod 0755 "$SLURM_MUNGE_SOCKET_DIR" ||
      break
    ports=$(free_tcp_ports 2) || {
      echo "no free ports" >&2
      break
    }
    _slurm_write_conf "$dir" $ports || break
    export SLURM_CONF=$dir/slurm.conf
    if _slurm_start_munge "$dir"; then
      PATH=$PATH:/usr/sbin slurmctld -D -f "$SLURM_CONF" </dev/null >>"$dir/log/slurmctld.out" 2>&1 &
      SLURM_PIDS+=($!)
      PATH=$PATH:/usr/sbin slurmd -D -N "$SLURM_NODE" -f "$SLURM_CONF" </dev/null \
        >>"$dir/log/slurmd.out" 2>&1 &
      SLURM_PIDS+=($!)
      _slurm_wait_idle 30 && return 0
    fi
    echo "slurm_start: attempt $attempt under $dir failed (ports $ports)" >&2
    slurm_logs >&2
    _slurm_kill_daemons
  done
  SLURM_DIR=""
  unset SLURM_CONF
  return 1
}

# The daemons' own logs (*.log), and their console output (*.out) when they wrote no log.
slurm_logs() {
  local f
  [[ -n $SLURM_DIR ]] || return 0
  for f in "$SLURM_DIR"/log/*; do
    [[ -s $f ]] || continue
    [[ $f == *.out && -s ${f%.out}.log ]] && continue
    echo "----- $f (last 20 lines)"
    tail -n 20 "$f"
  done
}

# Stops the daemons in reverse start order (slurmd, slurmctld, munged): TERM, up to 10 s, KILL.
_slurm_kill_daemons() {
  local i pid
  for ((i = ${#SLURM_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${SLURM_PIDS[i]}
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SLURM_PIDS=()
  [[ -n $SLURM_MUNGE_SOCKET_DIR ]] && rm -rf "$SLURM_MUNGE_SOCKET_DIR"
  SLURM_MUNGE_SOCKET_DIR=""
}

# slurm_stop: cancels every job of the cluster first (a job's slurmstepd outlives slurmd),
# waits up to 15 s for them to leave the node, then stops the daemons and kills by PID any
# job process left behind.
slurm_stop() {
  [[ -n $SLURM_DIR ]] || return 0
  local ids=()
  mapfile -t ids < <(squeue -h -t pending,running,suspended,completing -o %i 2>/dev/null || true)
  if ((${#ids[@]})); then
    scancel "${ids[@]}" 2>/dev/null || true
    for _ in $(seq 1 60); do
      [[ -z $(squeue -h -t pending,running,suspended,completing -o %i 2>/dev/null) ]] && break
      sleep 0.25
    done
  fi
  _slurm_kill_daemons
  unset SLURM_CONF
  _slurm_kill_leftovers "$SLURM_DIR"
  SLURM_DIR=""
}

# _slurm_kill_leftovers DIR: job processes that outlived their slurmstepd (a loaded machine
# may not have reaped them yet) carry this cluster's SLURM_CONF in their environment: kill
# them by PID, for up to 5 s. Call with SLURM_CONF unset, so grep does not find itself.
_slurm_kill_leftovers() {
  local pattern left f pid
  pattern=$(mktemp)
  printf '%s\n' "$1" >"$pattern"
  for _ in $(seq 1 20); do
    left=$(grep -lsF -f "$pattern" /proc/[0-9]*/environ 2>/dev/null || true)
    [[ -z $left ]] && break
    for f in $left; do
      pid=${f#/proc/}
      pid=${pid%%/*}
      [[ $pid == "$$" || $pid == "$BASHPID" ]] || kill -9 "$pid" 2>/dev/null || true
    done
    sleep 0.25
  done
  rm -f "$pattern"
}
