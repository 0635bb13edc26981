#!/usr/bin/env bash
# Key Account Management for Odoo 18: one entry point for the local workflow.
#   scripts/ka.sh run     start (or reuse) PostgreSQL, build the demo database once, serve Odoo on :8069
#   scripts/ka.sh test    fresh test database, every key-account module installed with its tests,
#                         then the cross-module pytest-odoo suite under tests/, then a second
#                         database that adds mrp and stock_picking_batch (addons overriding the
#                         stock hooks key_account_order batches) for the order tests and tests/with_mrp/
#   scripts/ka.sh bench   benchmarks of the hot paths on a scratch database
#   scripts/ka.sh db      only make sure a database server is reachable
# Odoo is found as `${ODOO_PYTHON:-python3} -m odoo`. A database server is used as configured by the
# usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD); when PGHOST is unset, a private cluster
# is started under .local/ (ignored by git).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PY=${ODOO_PYTHON:-python3}
LOCAL=${KA_LOCAL_DIR:-$ROOT/.local}
DEMO_DB=${KA_DEMO_DB:-key_account_demo}
TEST_DB=${KA_TEST_DB:-key_account_test}
# The second test install: addons that override the stock hooks the order engine batches.
HOOK_ADDONS=${KA_HOOK_ADDONS:-mrp,sale_mrp,stock_picking_batch}
BENCH_DB=${KA_BENCH_DB:-key_account_bench}
HTTP_PORT=${KA_HTTP_PORT:-8069}
TEST_HTTP_PORT=${KA_TEST_HTTP_PORT:-8169}
PRIVATE_PGPORT=${KA_PGPORT:-54329}
CONF=$LOCAL/odoo.conf
LOGS=$LOCAL/logs

say() { printf '[ka] %s\n' "$*"; }
die() { printf '[ka] ERROR: %s\n' "$*" >&2; exit "${2:-1}"; }

modules() { ls -d key_account_*/ 2>/dev/null | tr -d / | paste -sd, -; }

check_odoo() {
  local ver
  if ! ver=$("$PY" -c 'import odoo.release as r; print(r.series)' 2>/dev/null); then
    cat >&2 <<MSG
[ka] ERROR: Odoo 18 is not importable as '$PY -m odoo'.
     Install Odoo 18.0 Community first, one of:
       - Docker: 'docker compose up' in this folder (see README.md), no local install needed;
       - from source: the steps in README.md, 'Odoo from source' (setuptools<81 for the builds,
         Odoo installed non-editable or with --config-settings editable_mode=compat),
         or point ODOO_PYTHON at a Python that has Odoo 18.
MSG
    exit 2
  fi
  [ "$ver" = "18.0" ] || die "Odoo $ver found, Odoo 18.0 is required (set ODOO_PYTHON to a Python that has Odoo 18)." 2
}

addons_path() {
  "$PY" - "$ROOT" <<'PYEOF'
import os, sys, odoo
pkg = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(pkg, "addons")]
src_addons = os.path.join(os.path.dirname(pkg), "addons")
if os.path.isdir(src_addons):
    paths.append(src_addons)
extra = os.environ.get("KA_EXTRA_ADDONS")
if extra:
    paths.extend(p for p in extra.split(",") if p)
paths.append(sys.argv[1])
print(",".join(paths))
PYEOF
}

pg_bin() {
  if [ -n "${PG_BINDIR:-}" ]; then echo "$PG_BINDIR"; return; fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$d" ]; then echo "$d"; return; fi
  command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return
  die "PostgreSQL server binaries not found: install PostgreSQL (Debian: apt-get install postgresql) or set PGHOST to a running server."
}

as_pg() {  # run a PostgreSQL server command as a non-root user (PostgreSQL refuses root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_db_server() {
  if [ -n "${PGHOST:-}" ]; then
    DB_HOST=$PGHOST; DB_PORT=${PGPORT:-5432}; DB_USER=${PGUSER:-odoo}; DB_PASSWORD=${PGPASSWORD:-}
    for _ in $(seq 1 30); do
      "$PY" -c "import psycopg2; psycopg2.connect(host='$DB_HOST', port=$DB_PORT, user='$DB_USER', password='$DB_PASSWORD', dbname='postgres').close()" 2>/dev/null && return 0
      sleep 2
    done
    die "cannot connect to PostgreSQL at $DB_HOST:$DB_PORT as $DB_USER (PGHOST/PGPORT/PGUSER/PGPASSWORD)."
  fi
  local bin data run
  bin=$(pg_bin)
  data=$LOCAL/pgdata; run=$LOCAL/pgrun
  mkdir -p "$LOCAL" "$run"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (apt-get install postgresql)."
    chmod 755 "$LOCAL"
    if ! runuser -u postgres -- test -x "$LOCAL"; then
      die "the postgres user cannot reach $LOCAL; set KA_LOCAL_DIR to a folder it can reach."
    fi
    mkdir -p "$data"; chown postgres: "$data" "$run"; chmod 700 "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a private PostgreSQL cluster in $data"
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOCAL/initdb.log" 2>&1 \
      || { cat "$LOCAL/initdb.log" >&2; die "initdb failed"; }
  fi
  if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "starting the private PostgreSQL cluster (socket in $run, port $PRIVATE_PGPORT)"
    as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$run' -p $PRIVATE_PGPORT -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { tail -n 20 "$data/server.log" >&2; die "PostgreSQL did not start"; }
    STARTED_PG=$data
  fi
  "$bin/psql" -h "$run" -p "$PRIVATE_PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_roles WHERE rolname='odoo'" | grep -q 1 \
    || "$bin/psql" -h "$run" -p "$PRIVATE_PGPORT" -U postgres -d postgres -qc "CREATE ROLE odoo SUPERUSER LOGIN"
  DB_HOST=$run; DB_PORT=$PRIVATE_PGPORT; DB_USER=odoo; DB_PASSWORD=
}

write_conf() {
  mkdir -p "$LOGS" "$LOCAL/filestore"
  cat >"$CONF" <<CONFEOF
[options]
addons_path = $(addons_path)
data_dir = $LOCAL/filestore
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = ${DB_PASSWORD:-False}
http_interface = ${KA_HTTP_INTERFACE:-127.0.0.1}
http_port = $HTTP_PORT
CONFEOF
}

# The served instance also runs OCA queue_job's job runner (large confirmations and imports run
# as jobs): queue_job is loaded server-wide and the runner works through the 'root' channel.
write_run_conf() {
  write_conf
  cat >>"$CONF" <<CONFEOF
server_wide_modules = base,web,queue_job
workers = ${KA_WORKERS:-0}

[queue_job]
channels = ${KA_JOB_CHANNELS:-root:2}
CONFEOF
}

odoo() { "$PY" -m odoo -c "$CONF" "$@"; }

drop_db() {
  "$PY" - "$CONF" "$1" <<'PYEOF'
import sys, odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]])
import odoo.service.db as db
if sys.argv[2] in db.list_dbs(force=True):
    db.exp_drop(sys.argv[2])
PYEOF
}

db_exists() {
  "$PY" - "$CONF" "$1" <<'PYEOF'
import sys, odoo
from odoo.tools import config
config.parse_config(["-c", sys.argv[1]])
import odoo.service.db as db
sys.exit(0 if sys.argv[2] in db.list_dbs(force=True) else 1)
PYEOF
}

check_log() {  # $1 log file: fail on any ERROR/CRITICAL line
  local bad
  bad=$(grep -nE '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) ' "$1" | head -n 20 || true)
  if [ -n "$bad" ]; then
    say "ERROR-level log lines in $1:"; printf '%s\n' "$bad"
    return 1
  fi
}

cmd_run() {
  check_odoo; ensure_db_server; write_run_conf
  if ! db_exists "$DEMO_DB"; then
    say "building the demo database '$DEMO_DB' with $(modules) (a few minutes, once)"
    odoo -d "$DEMO_DB" -i "$(modules)" --load-language=zh_CN --stop-after-init \
      --logfile="$LOGS/demo-install.log" || die "installation failed, see $LOGS/demo-install.log"
  fi
  say "serving http://localhost:$HTTP_PORT (database $DEMO_DB, login admin / admin), with the queue_job runner"
  exec "$PY" -m odoo -c "$CONF" -d "$DEMO_DB" --db-filter="^${DEMO_DB}\$" --http-port="$HTTP_PORT"
}

# Stop the private cluster this run started (tests and benchmarks leave no server behind).
stop_started_pg() {
  [ -n "${STARTED_PG:-}" ] || return 0
  say "stopping the private PostgreSQL cluster"
  as_pg "$(pg_bin)/pg_ctl" -D "$STARTED_PG" -m fast -w stop >/dev/null 2>&1 || true
}

# Odoo logs a skipped test at INFO on the test module's logger: let those loggers through.
skip_log_handlers() {
  local m
  for m in ${1//,/ }; do printf -- '--log-handler=odoo.addons.%s.tests:INFO ' "$m"; done
}

# $1 log, $2 label: parse Odoo's test result line; sets T_RUN T_BAD T_SKIPPED, returns 1 on trouble
odoo_results() {
  local log=$1 label=$2 summary failed errors rc=0
  grep -E 'odoo\.tests\.(result|stats)|FAIL:|ERROR:' "$log" | tail -n 40 || true
  summary=$(grep -E 'odoo\.tests\.result: ' "$log" | tail -n 1 || true)
  if [ -z "$summary" ]; then say "$label: no test result line in $log"; tail -n 40 "$log"; rc=1; fi
  failed=$(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1/p' <<<"$summary")
  errors=$(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\2/p' <<<"$summary")
  T_RUN=$(sed -nE 's/.*odoo\.tests\.result: ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\3/p' <<<"$summary")
  : "${failed:=0}" "${errors:=0}" "${T_RUN:=0}"
  T_BAD=$((failed + errors))
  T_SKIPPED=$(grep -cE '^[0-9-]+ [0-9:,]+ [0-9]+ INFO [^ ]+ odoo\.addons\.[a-z_]+\.tests[^ ]*: skipped ' "$log" || true)
  if [ "$T_SKIPPED" -gt 0 ]; then
    say "$label: skipped tests (a skip fails the suite: install what they need):"
    grep -E ' INFO [^ ]+ odoo\.addons\.[a-z_]+\.tests[^ ]*: skipped ' "$log" | sed -E 's/^.*: skipped /  skipped /' | head -n 20
    rc=1
  fi
  [ "$T_RUN" -gt 0 ] || { say "$label: Odoo ran no test"; rc=1; }
  check_log "$log" || rc=1
  say "$label: $T_RUN run, $failed failed, $errors errors, $T_SKIPPED skipped"
  return "$rc"
}

# $1 label, $2 database, rest: pytest arguments; sets P_PASSED P_BAD P_SKIPPED
pytest_results() {
  local label=$1 db=$2 plog=$LOGS/pytest-$1.log prc last n rc=0
  shift 2
  say "$label: pytest-odoo on $* against '$db'"
  set +e
  "$PY" -m pytest "$@" -p no:cacheprovider -rs --odoo-config="$CONF" --odoo-database="$db" \
    --odoo-log-level=warn --odoo-extra=test-enable 2>&1 | tee "$plog"
  prc=${PIPESTATUS[0]}
  set -e
  [ "$prc" = 5 ] && say "$label: pytest collected no test"
  last=$(grep -E '^=+ .* in [0-9.]+s' "$plog" | tail -n 1 || true)
  n=$(grep -oE '[0-9]+ passed' <<<"$last" | grep -oE '[0-9]+' || true); P_PASSED=${n:-0}
  n=$(grep -oE '[0-9]+ skipped' <<<"$last" | grep -oE '[0-9]+' || true); P_SKIPPED=${n:-0}
  P_BAD=0
  for n in $(grep -oE '[0-9]+ (failed|errors?)' <<<"$last" | grep -oE '^[0-9]+' || true); do
    P_BAD=$((P_BAD + n))
  done
  [ "$prc" = 0 ] || rc=1
  [ "$P_SKIPPED" = 0 ] || { say "$label: $P_SKIPPED skipped (a skip fails the suite)"; rc=1; }
  return "$rc"
}

cmd_test() {
  check_odoo; ensure_db_server; write_conf
  trap stop_started_pg EXIT
  local mods tags log rc=0 passed=0 bad=0 skipped=0 hook_db=${TEST_DB}_hooks
  mods=$(modules)
  [ -n "$mods" ] || die "no key_account_* module found in $ROOT"
  tags=$(printf '/%s,' ${mods//,/ }); tags=${tags%,}

  # 1. every module's Odoo tests on a fresh database
  log=$LOGS/odoo-tests.log
  drop_db "$TEST_DB"
  : >"$log"  # Odoo appends to its log file: keep only this run
  say "installing $mods into a fresh '$TEST_DB' with their tests (log: $log)"
  # shellcheck disable=SC2046
  odoo -d "$TEST_DB" -i "$mods" --test-enable --test-tags "$tags" \
    --http-port="$TEST_HTTP_PORT" --stop-after-init --log-level=test $(skip_log_handlers "$mods") \
    --logfile="$log" || { say "Odoo exited with $?"; rc=1; }
  odoo_results "$log" "module tests" || rc=1
  passed=$((T_RUN - T_BAD)); bad=$((bad + T_BAD)); skipped=$((skipped + T_SKIPPED))

  # 2. the cross-module suite (pytest-odoo) on the same database
  pytest_results cross-module "$TEST_DB" tests --ignore=tests/with_mrp || rc=1
  passed=$((passed + P_PASSED)); bad=$((bad + P_BAD)); skipped=$((skipped + P_SKIPPED))

  # 3. a second install with addons that override the stock hooks the order engine batches
  log=$LOGS/odoo-tests-hooks.log
  drop_db "$hook_db"
  : >"$log"
  say "installing $mods with $HOOK_ADDONS into '$hook_db': key_account_order's tests (log: $log)"
  # shellcheck disable=SC2046
  odoo -d "$hook_db" -i "$mods,$HOOK_ADDONS" --test-enable --test-tags /key_account_order \
    --http-port="$TEST_HTTP_PORT" --stop-after-init --log-level=test \
    $(skip_log_handlers key_account_order) --logfile="$log" || { say "Odoo exited with $?"; rc=1; }
  odoo_results "$log" "order tests with $HOOK_ADDONS" || rc=1
  passed=$((passed + T_RUN - T_BAD)); bad=$((bad + T_BAD)); skipped=$((skipped + T_SKIPPED))
  if [ -d tests/with_mrp ]; then
    pytest_results with-hooks "$hook_db" tests/with_mrp || rc=1
    passed=$((passed + P_PASSED)); bad=$((bad + P_BAD)); skipped=$((skipped + P_SKIPPED))
  fi

  [ "$rc" = 0 ] || [ "$bad" -gt 0 ] || [ "$skipped" -gt 0 ] || bad=1
  printf 'key-account: %d passed, %d failed, %d skipped\n' "$passed" "$bad" "$skipped"
  return "$rc"
}

cmd_bench() {
  check_odoo; ensure_db_server; write_conf
  trap stop_started_pg EXIT
  drop_db "$BENCH_DB"
  say "building the scratch database '$BENCH_DB' (no demo data)"
  odoo -d "$BENCH_DB" -i "$(modules)" --without-demo=all --stop-after-init --logfile="$LOGS/bench-install.log" \
    || die "installation failed, see $LOGS/bench-install.log"
  local f log=$LOGS/bench-portal-scale.log out=$LOGS/bench.out
  : >"$out"
  for f in tests/perf/bench_*.py; do
    say "running $f"
    "$PY" "$f" -c "$CONF" -d "$BENCH_DB" "$@" | tee -a "$out"
  done
  # The issues' summary lines, joined from the benchmarks that measure their parts
  local w s fa fim
  w=$(grep -E '^bench waybills N=' "$out" | tail -1)
  s=$(grep -oE 'slips_1000_s=[0-9.]+' "$out" | tail -1)
  [ -n "$w" ] && echo "$w${s:+ $s}"
  fa=$(grep -E '^bench fapiao lines=' "$out" | tail -1)
  fim=$(grep -oE 'import_1000_s=[0-9.]+' "$out" | tail -1)
  [ -n "$fa" ] && echo "$fa${fim:+ $fim}"
  # Odoo tests too long for `make test` (tagged -standard): the 10,000-row recipient upload
  # through the portal, in the request and in the background. They roll back what they write.
  : >"$log"
  say "running the portal's scale tests (--test-tags key_account_portal_scale, about 5 minutes, log: $log)"
  odoo -d "$BENCH_DB" --test-enable --test-tags key_account_portal_scale \
    --http-port="$TEST_HTTP_PORT" --stop-after-init --log-level=test --logfile="$log" \
    || die "the portal's scale tests did not run, see $log"
  grep -E 'odoo\.addons\.key_account_portal\.tests\.test_portal_recipients_scale: [^S]' "$log" \
    | sed -E 's/^.*test_portal_recipients_scale: /bench_portal_scale /' || true
  odoo_results "$log" "portal scale tests" || die "the portal's scale tests failed, see $log"
}

case "${1:-}" in
  run) shift; cmd_run "$@" ;;
  test) shift; cmd_test "$@" ;;
  bench) shift; cmd_bench "$@" ;;
  db) check_odoo; ensure_db_server; write_conf; say "database server: $DB_HOST:$DB_PORT as $DB_USER; config $CONF" ;;
  *) echo "usage: scripts/ka.sh run|test|bench|db" >&2; exit 64 ;;
esac
