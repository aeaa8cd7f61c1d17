#!/usr/bin/env bash
# A private MariaDB instance that lives entirely inside one directory: the one
# implementation used by the demo and by the integration tests.
#
#   mariadb-private.sh start DIR [--port P] [-- MARIADBD_OPTION...]
#       Initialises DIR/data on first use, starts the server in the background
#       on 127.0.0.1:P (default: the port of the last run if free, else a
#       random free one), waits until it answers, and prints the instance's
#       MARIADB_* lines without the passwords. Idempotent: when DIR's server
#       already runs it only prints them. Options after `--` are added to the
#       server's command line and override the defaults (e.g.
#       -- --binlog-format=STATEMENT); pass them again on every start.
#   mariadb-private.sh stop DIR      SIGTERM, SIGKILL after 30 s; fine if not running
#   mariadb-private.sh status DIR    exit 0 when running, 1 when not
#   mariadb-private.sh destroy DIR   stop and delete DIR (refused when DIR holds
#                                    files this script did not create)
#
# DIR holds everything: data/ (the data directory), tmp/, mysqld.sock, mysqld.pid,
# mysqld.err (the server's error log) and instance.env (mode 0600), which
# holds shell-sourceable lines: MARIADB_DIR, MARIADB_HOST, MARIADB_PORT,
# MARIADB_SOCKET, MARIADB_PID, MARIADB_DATABASE, MARIADB_STORE_USER,
# MARIADB_STORE_PASSWORD, MARIADB_REPL_USER, MARIADB_REPL_PASSWORD.
#
# The server never reads /etc/mysql: every server binary gets --no-defaults as
# its first option, and so does every client. It is configured the way the
# replication engine needs a source to be (row-based binary log with full row
# images and full row metadata) and listens on 127.0.0.1 only.
#
# On first start it creates the database `ecommerce` and two TCP users with
# random passwords that are never printed:
#   store_app@127.0.0.1   ALL on ecommerce.* (the simulator and tests write data)
#   dms_remote@127.0.0.1  REPLICATION SLAVE, BINLOG MONITOR, SELECT on
#                         ecommerce.* (least privilege for replication)
# The OS user that runs this script (root in the tests) is the server's admin,
# through the socket only (unix_socket authentication, no password):
#   mariadb --no-defaults --socket=DIR/mysqld.sock --user=root
#
# Environment:
#   MARIADB_PRIVATE_TIMEOUT  seconds to wait for the server to be ready (60)
set -euo pipefail

readonly prog="mariadb-private.sh"
readonly start_timeout="${MARIADB_PRIVATE_TIMEOUT:-60}"
readonly stop_timeout=30
readonly database="ecommerce"
readonly store_user="store_app"
readonly repl_user="dms_remote"
# The account the server runs as and that the socket-authenticated admin
# connection uses: unix_socket authentication maps the OS user to the
# MariaDB user of the same name (root when run as root, as the tests do).
os_user="$(id -un)"
readonly os_user

die() {
  echo "$prog: $*" >&2
  exit 1
}

usage() {
  cat >&2 <<EOF
usage: $prog start DIR [--port P] [-- MARIADBD_OPTION...]
       $prog stop DIR
       $prog status DIR
       $prog destroy DIR
EOF
  exit 2
}

# Sets the paths of everything inside DIR (made absolute, so the script works
# from any cwd and the server never depends on its own cwd).
set_paths() {
  [ -n "$1" ] || usage
  dir="$(realpath -m -- "$1")"
  data="$dir/data"
  sock="$dir/mysqld.sock"
  pidf="$dir/mysqld.pid"
  errlog="$dir/mysqld.err"
  envf="$dir/instance.env"
  initialised="$dir/.initialised"
  tmpdir="$dir/tmp"
}

# True when PID is a live process (a zombie is not: a reparented server that
# nobody reaps stays a zombie forever, and kill -0 still succeeds on it).
alive() {
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null)" || return 1
  [ -n "$state" ] && [ "$state" != "Z" ] && [ "$state" != "X" ]
}

# Prints the PID of the server running on DIR's data directory, or fails. The
# command line is checked too, so a stale pid file whose PID was reused by an
# unrelated process is not mistaken for the server.
running_pid() {
  local pid
  [ -s "$pidf" ] || return 1
  pid="$(tr -dc '0-9' <"$pidf")"
  [ -n "$pid" ] && alive "$pid" || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$data" || return 1
  echo "$pid"
}

# Single-quotes a value for a shell-sourceable line.
shell_quote() {
  local s="${1//\'/\'\\\'\'}"
  printf "'%s'" "$s"
}

# Runs SQL from stdin as the socket-authenticated admin user. SQL goes through
# stdin, never argv, so passwords in it do not show up in `ps`.
admin_sql() {
  mariadb --no-defaults --protocol=socket --socket="$sock" --user="$os_user" \
    --batch --skip-column-names --connect-timeout=10 "$@"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# A random loopback port below Linux's ephemeral range (32768+), so it does not
# collide with outgoing connections' local ports. A race with another process
# is still possible; start_server reports it and the caller retries.
pick_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 12000))
    if ! port_in_use "$p"; then
      echo "$p"
      return 0
    fi
  done
  die "could not find a free port on 127.0.0.1"
}

# Initialises the data directory unless done before. Returns 0 when it made a
# fresh one (whose users must be provisioned), 1 when one was already there.
init_datadir() {
  [ -e "$initialised" ] && [ -d "$data/mysql" ] && return 1
  # A data directory without the marker is from an interrupted initialisation
  # (or was deleted): it is ours and incomplete, so start over.
  rm -rf -- "$data" "$initialised"
  mkdir -p -- "$data" "$tmpdir"
  # A private tmpdir: instances initialised at the same time in a shared /tmp
  # collide on internal temporary table names and fail at random.
  if ! mariadb-install-db --no-defaults --datadir="$data" --user="$os_user" \
    --auth-root-authentication-method=socket --skip-test-db --tmpdir="$tmpdir" \
    >"$dir/install.log" 2>&1; then
    grep -iE "error|fail|can't|cannot|denied" "$dir/install.log" | head -n 10 >&2 || true
    rm -rf -- "$data"
    die "mariadb-install-db failed for $data (log: $dir/install.log)"
  fi
  touch "$initialised"
  return 0
}

# Serialises start, stop and destroy on one DIR (e.g. two test processes or
# a demo started twice). The lock is on fd 9, which the server must not
# inherit, or it would hold the lock for as long as it runs.
lock_dir() {
  exec 9>"$dir/.lock"
  flock -w 120 9 || die "another $prog is working on $dir (lock: $dir/.lock)"
}

# Starts mariadbd on port $1 with extra options "${extra[@]}" and waits until
# it answers on its socket. Returns 0 when ready, 3 when the port was taken
# (the caller may retry on another port); dies on any other failure.
start_server() {
  local port="$1" log_offset pid deadline
  rm -f -- "$sock" "$sock.lock" "$pidf"
  mkdir -p -- "$tmpdir"
  touch "$errlog"
  log_offset="$(($(stat -c %s "$errlog") + 1))"
  # Small-footprint settings: several instances may run at once on a 2-core
  # test machine. Durability is relaxed only against an OS crash
  # (flush_log_at_trx_commit=2, sync_binlog=0): a killed server loses nothing.
  mariadbd --no-defaults \
    --datadir="$data" --socket="$sock" --port="$port" --bind-address=127.0.0.1 \
    --pid-file="$pidf" --log-error="$errlog" --user="$os_user" --tmpdir="$tmpdir" \
    --log-bin=mysql-bin --binlog-format=ROW --binlog-row-image=FULL \
    --binlog-row-metadata=FULL --server-id=1 \
    --binlog-expire-logs-seconds=604800 --max-binlog-size=256M \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --default-time-zone=+00:00 --skip-name-resolve --local-infile=1 \
    --innodb-buffer-pool-size=128M --innodb-log-file-size=64M \
    --innodb-buffer-pool-dump-at-shutdown=0 --innodb-buffer-pool-load-at-startup=0 \
    --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
    --max-connections=200 --max-allowed-packet=64M \
    --performance-schema=OFF \
    "${extra[@]}" \
    </dev/null >>"$errlog" 2>&1 9>&- &
  pid=$!
  deadline=$((SECONDS + start_timeout))
  while :; do
    if ! alive "$pid"; then
      wait "$pid" 2>/dev/null || true
      if tail -c "+$log_offset" "$errlog" | grep -qiE "bind on tcp/ip port|address already in use"; then
        return 3
      fi
      tail -c "+$log_offset" "$errlog" | tail -n 20 >&2 || true
      die "mariadbd exited during startup (log: $errlog)"
    fi
    if mariadb-admin --no-defaults --protocol=socket --socket="$sock" --user="$os_user" \
      --connect-timeout=2 ping >/dev/null 2>&1; then
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -c "+$log_offset" "$errlog" | tail -n 20 >&2 || true
      kill -KILL "$pid" 2>/dev/null || true
      die "mariadbd was not ready within ${start_timeout}s (log: $errlog)"
    fi
    sleep 0.1
  done
}

# Creates the database and the two users with fresh random passwords, then
# records them in instance.env. Runs on first start, and again if instance.env
# was lost (CREATE OR REPLACE makes the passwords match the file again).
provision() {
  local store_pw repl_pw
  # 192 random bits each, hex so they need no quoting anywhere.
  store_pw="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  repl_pw="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  # sql_log_bin=0: CREATE USER ... IDENTIFIED BY would otherwise put the
  # passwords in clear text into the binary log that replication reads.
  admin_sql <<SQL
SET SESSION sql_log_bin = 0;
CREATE DATABASE IF NOT EXISTS \`$database\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE OR REPLACE USER '$store_user'@'127.0.0.1' IDENTIFIED BY '$store_pw';
GRANT ALL PRIVILEGES ON \`$database\`.* TO '$store_user'@'127.0.0.1';
CREATE OR REPLACE USER '$repl_user'@'127.0.0.1' IDENTIFIED BY '$repl_pw';
GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO '$repl_user'@'127.0.0.1';
GRANT SELECT ON \`$database\`.* TO '$repl_user'@'127.0.0.1';
SQL
  MARIADB_STORE_PASSWORD="$store_pw"
  MARIADB_REPL_PASSWORD="$repl_pw"
}

# Writes instance.env atomically with mode 0600 (it holds passwords).
write_env() {
  local port="$1" pid="$2" tmp="$envf.tmp.$$"
  (
    umask 077
    {
      echo "MARIADB_DIR=$(shell_quote "$dir")"
      echo "MARIADB_HOST='127.0.0.1'"
      echo "MARIADB_PORT=$port"
      echo "MARIADB_SOCKET=$(shell_quote "$sock")"
      echo "MARIADB_PID=$pid"
      echo "MARIADB_DATABASE=$(shell_quote "$database")"
      echo "MARIADB_STORE_USER=$(shell_quote "$store_user")"
      echo "MARIADB_STORE_PASSWORD=$(shell_quote "$MARIADB_STORE_PASSWORD")"
      echo "MARIADB_REPL_USER=$(shell_quote "$repl_user")"
      echo "MARIADB_REPL_PASSWORD=$(shell_quote "$MARIADB_REPL_PASSWORD")"
    } >"$tmp"
  )
  chmod 600 "$tmp"
  mv -f -- "$tmp" "$envf"
}

print_info() {
  grep -v '_PASSWORD=' "$envf"
}

cmd_start() {
  local port="" pid want_port="" attempt rc
  extra=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --port) [ $# -ge 2 ] || usage; want_port="$2"; shift 2 ;;
      --port=*) want_port="${1#--port=}"; shift ;;
      --) shift; extra=("$@"); break ;;
      *) usage ;;
    esac
  done
  if [ -n "$want_port" ]; then
    if ! [[ "$want_port" =~ ^[0-9]+$ ]] || [ "$want_port" -lt 1 ] || [ "$want_port" -gt 65535 ]; then
      die "--port must be a number from 1 to 65535, got '$want_port'"
    fi
  fi

  mkdir -p -- "$dir"
  chmod 700 "$dir"
  # Unix socket paths are limited to 107 bytes.
  [ "${#sock}" -le 107 ] || die "socket path $sock is too long (${#sock} bytes, at most 107): use a shorter DIR"
  lock_dir

  MARIADB_STORE_PASSWORD=""
  MARIADB_REPL_PASSWORD=""
  local prev_port=""
  if [ -s "$envf" ]; then
    # shellcheck disable=SC1090
    . "$envf"
    prev_port="${MARIADB_PORT:-}"
  fi

  if pid="$(running_pid)"; then
    port="$(admin_sql -e 'SELECT @@port')" || die "a server runs on $data (pid $pid) but does not answer on $sock"
    if [ -n "$want_port" ] && [ "$want_port" != "$port" ]; then
      die "already running on port $port (pid $pid); stop it before starting on port $want_port"
    fi
    if [ -z "$MARIADB_STORE_PASSWORD" ] || [ -z "$MARIADB_REPL_PASSWORD" ]; then
      provision  # instance.env was lost: new passwords
      write_env "$port" "$pid"
    fi
    print_info
    return 0
  fi

  # A port asked for by number (a restart keeps its port) may still be held
  # for a moment by the server just stopped on it or a client's connection
  # to it: wait up to 10 s before calling it taken.
  if [ -n "$want_port" ]; then
    for _ in $(seq 1 50); do port_in_use "$want_port" || break; sleep 0.2; done
  fi
  if [ -n "$want_port" ] && port_in_use "$want_port"; then
    die "port $want_port on 127.0.0.1 is already in use"
  fi
  if init_datadir; then
    MARIADB_STORE_PASSWORD=""
    MARIADB_REPL_PASSWORD=""
  fi

  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if [ -n "$want_port" ]; then
      port="$want_port"
    elif [ "$attempt" = 1 ] && [ -n "$prev_port" ] && ! port_in_use "$prev_port"; then
      # Prefer the port of the last run, so clients' settings keep working.
      port="$prev_port"
    else
      port="$(pick_port)"
    fi
    rc=0
    start_server "$port" || rc=$?
    [ "$rc" = 0 ] && break
    [ -n "$want_port" ] && die "port $port on 127.0.0.1 is already in use (log: $errlog)"
  done
  [ "$rc" = 0 ] || die "could not bind a free port after 10 attempts (log: $errlog)"

  pid="$(running_pid)" || die "mariadbd answered but its pid file $pidf is missing"
  if [ -z "$MARIADB_STORE_PASSWORD" ] || [ -z "$MARIADB_REPL_PASSWORD" ]; then
    provision
  fi
  write_env "$port" "$pid"
  print_info
}

cmd_stop() {
  local pid deadline
  [ -d "$dir" ] && lock_dir
  if ! pid="$(running_pid)"; then
    rm -f -- "$pidf" "$sock" "$sock.lock"
    echo "not running: $dir"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + stop_timeout))
  while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  if alive "$pid"; then
    echo "$prog: mariadbd (pid $pid) did not stop within ${stop_timeout}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
    alive "$pid" && die "mariadbd (pid $pid) survived SIGKILL"
  fi
  rm -f -- "$pidf" "$sock" "$sock.lock"
  echo "stopped: $dir"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running: $dir (pid $pid)"
    return 0
  fi
  echo "not running: $dir"
  return 1
}

cmd_destroy() {
  [ -e "$dir" ] || return 0
  [ -d "$dir" ] || die "$dir is not a directory"
  # Refuse to delete a directory this script did not make: a wrong DIR must
  # not cost anyone their files.
  local entry name
  for entry in "$dir"/* "$dir"/.[!.]*; do
    [ -e "$entry" ] || [ -L "$entry" ] || continue
    name="${entry##*/}"
    case "$name" in
      data | mysqld.sock | mysqld.sock.lock | mysqld.pid | mysqld.err | instance.env | \
        instance.env.tmp.* | install.log | tmp | .initialised | .lock) ;;
      *) die "refusing to delete $dir: it holds '$name', which $prog did not create" ;;
    esac
  done
  cmd_stop >/dev/null
  rm -rf -- "$dir"
  echo "destroyed: $dir"
}

main() {
  [ $# -ge 2 ] || usage
  local cmd="$1"
  set_paths "$2"
  shift 2
  case "$cmd" in
    start) cmd_start "$@" ;;
    stop) [ $# -eq 0 ] || usage; cmd_stop ;;
    status) [ $# -eq 0 ] || usage; cmd_status ;;
    destroy) [ $# -eq 0 ] || usage; cmd_destroy ;;
    *) usage ;;
  esac
}

main "$@"
