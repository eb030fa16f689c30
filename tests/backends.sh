#!/usr/bin/env bash
# Make sure the real backends the tests use are here and running; install what is missing.
# Idempotent: on a machine that already has them it only checks.
#
#   - .venv: the moto server (AWS emulator), the AWS CLI, python-dotenv, checkdmarc and DuckDB
#     (the independent engine costq's sums are checked against), pinned in tests/requirements.txt;
#     .venv/node: Node's dotenv, pinned in tests/node/package-lock.json
#   - NSD, the authoritative DNS server sesconfig's tests start (one per test, on port 53 of a
#     loopback address of its own: the tests run as root)
#   - jq, for the pipelines the tests run through sh; Chromium, to open costq's HTML report
#   - PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth)
#   - MariaDB on 127.0.0.1:3306 (user root, no password)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "backends: $*" >&2; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# --- Python virtualenv: moto server and AWS CLI -------------------------------------------
venv="${OPSKIT_TEST_VENV:-.venv}"
stamp="$venv/.requirements.txt"
if ! cmp -s tests/requirements.txt "$stamp" || [ ! -x "$venv/bin/moto_server" ] || [ ! -x "$venv/bin/aws" ]; then
  say "installing moto and the AWS CLI into $venv"
  if ! python3 -m venv "$venv" 2>/dev/null; then
    apt_install python3-venv
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q --disable-pip-version-check -r tests/requirements.txt
  cp tests/requirements.txt "$stamp"
fi

# --- Node's dotenv: a second dotenv reader the export tests check against ---------------------
command -v npm >/dev/null || apt_install nodejs npm
if ! cmp -s tests/node/package-lock.json "$venv/node/package-lock.json" || [ ! -d "$venv/node/node_modules/dotenv" ]; then
  say "installing Node's dotenv into $venv/node"
  mkdir -p "$venv/node"
  cp tests/node/package.json tests/node/package-lock.json "$venv/node/"
  (cd "$venv/node" && npm ci --silent --no-audit --no-fund >/dev/null)
fi

command -v jq >/dev/null || apt_install jq
# examples/Makefile's targets are run by make.
command -v make >/dev/null || apt_install make
# costq's report is opened in a real headless browser.
command -v chromium >/dev/null || apt_install chromium

# --- NSD: the tests start their own servers; the package's own service must not hold port 53 ---
if [ ! -x /usr/sbin/nsd ]; then
  say "installing NSD"
  apt_install nsd
  service nsd stop >/dev/null 2>&1 || true
fi

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- PostgreSQL -----------------------------------------------------------------------------
# The tests use the psql client; a server already on :5432 is used as it is.
command -v psql >/dev/null || apt_install postgresql-client
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
if ! listening 5432; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    say "installing PostgreSQL"
    apt_install postgresql
  fi
  # A test-only server: trust local TCP connections, as the harness expects.
  for hba in /etc/postgresql/*/main/pg_hba.conf; do
    sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
  done
  say "starting PostgreSQL"
  for version in $(ls /etc/postgresql); do
    # restart, not start: a cluster the package already started must reread pg_hba.conf.
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart ||
      pg_ctlcluster --skip-systemctl-redirect "$version" main start
  done
fi
for _ in $(seq 60); do pg_up && break; sleep 0.5; done
pg_up || { say "PostgreSQL did not come up on 127.0.0.1:5432"; exit 1; }

# --- MariaDB --------------------------------------------------------------------------------
command -v mariadb >/dev/null || apt_install mariadb-client
maria_up() { mariadb-admin -h 127.0.0.1 -P 3306 -u root --connect-timeout=2 ping >/dev/null 2>&1; }
if ! listening 3306; then
  if [ ! -x /usr/sbin/mariadbd ]; then
    say "installing MariaDB"
    apt_install mariadb-server
  fi
  say "starting MariaDB"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 60); do
    mariadb-admin --protocol=socket -u root ping >/dev/null 2>&1 && break
    sleep 0.5
  done
fi
# Debian's root uses socket auth; the tests connect over TCP as root without a password.
maria_up || mariadb --protocol=socket -u root -e \
  "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('')" || true
for _ in $(seq 20); do maria_up && break; sleep 0.5; done
maria_up || { say "MariaDB did not come up on 127.0.0.1:3306"; exit 1; }

say "ready: moto + AWS CLI + checkdmarc in $venv, NSD, PostgreSQL :5432, MariaDB :3306"
