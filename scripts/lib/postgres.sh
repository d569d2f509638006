# Start and stop a throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in
# its own directory, loopback only, a free port, durability off (test data only), stopped by
# the postmaster's PID. As root, initdb and the server run as the `postgres` user (PostgreSQL
# refuses to run as root); otherwise as the caller. Modelled on
# ../shared/reference/pg/start-pg.sh.
#
# Source this file; start_postgres DIR sets PG_PID, PG_PORT, PG_DIR, PG_DB and PG_URI
# (postgresql://postgres:PASSWORD@127.0.0.1:PORT/ferry_test); stop_postgres stops the server by
# PID (tests call it from their EXIT trap) and leaves DIR to the caller. TCP logins need the
# password (scram-sha-256), so the drivers' password handling is exercised by every test;
# the unix socket in DIR is trusted, for psql in scripts.

source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

PG_PID=""
PG_PORT=""
PG_DIR=""
PG_DB=ferry_test
PG_URI=""

# pg_bindir: the newest installed server's bin directory (initdb, pg_ctl, psql).
pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [[ -z $d || ! -x $d/initdb ]]; then
    echo "PostgreSQL server not installed: run scripts/install-deps.sh" >&2
    return 1
  fi
  echo "$d"
}

# _as_pg CMD...: runs CMD as the cluster owner.
_as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_postgres DIR: cluster in DIR/data, log in DIR/server.log, socket in DIR; returns once
# the server accepts connections and the database $PG_DB exists.
start_postgres() {
  local dir=$1 bin password
  bin=$(pg_bindir) || return 1
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir"
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  echo "$password" >"$dir/pwfile"
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$dir/pwfile"
  _as_pg "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync \
    --no-instructions >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    return 1
  }
  rm -f "$dir/pwfile"
  for _ in 1 2 3; do
    PG_PORT=$(free_tcp_ports 1) || return 1
    if _as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -s \
      -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$dir \
          -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
          -c max_connections=100 -c shared_buffers=64MB" start; then
      PG_PID=$(head -1 "$dir/data/postmaster.pid")
      PG_DIR=$dir
      break
    fi # lost the port race: try another
  done
  if [[ -z $PG_PID ]]; then
    echo "PostgreSQL did not start; its log:" >&2
    cat "$dir/server.log" >&2
    return 1
  fi
  "$bin/psql" -h "$dir" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $PG_DB" >/dev/null || {
    stop_postgres
    return 1
  }
  PG_URI="postgresql://postgres:$password@127.0.0.1:$PG_PORT/$PG_DB"
}

# psql_postgres ARGS...: psql as the superuser over the cluster's socket, on $PG_DB.
psql_postgres() {
  "$(pg_bindir)/psql" -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$PG_DB" -qAt \
    -v ON_ERROR_STOP=1 "$@"
}

# postgres_restart_command: a command line that restarts the cluster in place (same port,
# same data; `pg_ctl restart -m fast`), for tests of reconnection. The new server's PID is in
# $PG_DIR/data/postmaster.pid, where stop_postgres looks first.
postgres_restart_command() {
  local pg_ctl
  pg_ctl="$(pg_bindir)/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -w -t 60 -s -m fast restart"
  if [[ $(id -u) == 0 ]]; then echo "runuser -u postgres -- $pg_ctl"; else echo "$pg_ctl"; fi
}

# stop_postgres: immediate shutdown of the server started by start_postgres, by its PID (the
# one in its postmaster.pid when it was restarted since).
stop_postgres() {
  [[ -n $PG_PID ]] || return 0
  if [[ -f $PG_DIR/data/postmaster.pid ]]; then
    PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
  fi
  kill -QUIT "$PG_PID" 2>/dev/null || true # SIGQUIT: PostgreSQL's immediate shutdown
  for _ in $(seq 1 100); do
    kill -0 "$PG_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$PG_PID" 2>/dev/null || true
  PG_PID=""
}
