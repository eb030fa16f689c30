#!/usr/bin/env bash
# dbdump create --store DIR against the engine's own dump piped through `zstd -3` into a file,
# on the same generated database, interleaved; then dbdump restore against `zstd -dc | psql`
# (or `| mariadb`). Prints median wall times, ratios and peak RSS, and the sanitiser's own
# throughput two ways: alone (benches/sanitiser.rs: the rules over the unsanitised SQL on one
# thread, nothing else), and as the CPU a sanitised create spends over an unsanitised one per
# byte of SQL (which also charges it zstd's extra work on fakes).
#
#   bench/dbdump.sh [SIZE_MB] [postgres|mysql|both]     (default 1024 both)
#   BASE=/path/to/an/older/dbdump bench/dbdump.sh …     also times that build's create, interleaved
#
# The database: people (personal columns, a realistic rule set on them) and orders (kept as
# they are), about SIZE_MB of SQL, generated with a fixed pattern (no randomness between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-1024}"
engines="${2:-both}"
runs="${RUNS:-5}"
tests/backends.sh >/dev/null
cargo build --release --quiet -p dbdump
cargo bench --quiet -p dbdump --bench sanitiser --no-run
out="$PWD/bench/out/dbdump"; mkdir -p "$out"
dbdump="${CARGO_TARGET_DIR:-$PWD/target}/release/dbdump"
export DBDUMP_KEY="bench key" OPSKIT_CONFIG="$out/opskit.toml"
printf 'app = "bench"\n[envs.bench]\ntier = "dev"\n' >"$OPSKIT_CONFIG"
cat >"$out/rules.toml" <<'TOML'
[tables.people.columns]
email = "email"
first_name = "first_name"
last_name = "last_name"
phone = "phone"
ssn = "hash"
dob = { rule = "date_shift", days = 90 }
address = "address"
TOML
# About 235 bytes of SQL a person and 60 an order, two orders a person.
people=$(( size_mb * 1024 * 1024 / 355 ))

pg() { psql -h 127.0.0.1 -U postgres -qAt -v ON_ERROR_STOP=1 "$@"; }
my() { mariadb -h 127.0.0.1 -u root --default-character-set=utf8mb4 -N -B "$@"; }

seed_postgres() { # db
  pg -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
  pg -d "$1" <<SQL
CREATE TABLE people (id int PRIMARY KEY, email varchar(80) UNIQUE NOT NULL, first_name varchar(40), last_name varchar(40),
  phone varchar(30), ssn char(11), dob date, address text, note text, balance numeric(12,2));
CREATE TABLE orders (id bigint PRIMARY KEY, person_id int REFERENCES people(id), total numeric(10,2), status varchar(12), created timestamptz);
INSERT INTO people SELECT g, 'person' || g || '@corp-mail.org', 'First' || (g % 997), 'Last' || (g % 991),
  '+1 (555) ' || lpad((g % 1000)::text, 3, '0') || '-' || lpad((g % 10000)::text, 4, '0'),
  lpad((g % 900 + 100)::text, 3, '0') || '-' || lpad((g % 90 + 10)::text, 2, '0') || '-' || lpad((g % 9000 + 1000)::text, 4, '0'),
  date '1950-01-01' + (g % 20000), g || ' Real Street, Realtown, RT ' || (g % 99999),
  repeat('note about this person, ', 3 + g % 4), (g % 100000) / 100.0
  FROM generate_series(1, $people) g;
INSERT INTO orders SELECT g, 1 + (g % $people), (g % 50000) / 100.0, (ARRAY['open','paid','shipped'])[1 + g % 3],
  timestamptz '2025-01-01' + (g % 500000) * interval '1 minute' FROM generate_series(1, 2 * $people) g;
SQL
  # Vacuumed and analysed now, as a live database is, not by autovacuum during the timed runs
  # (it takes a core for a minute after a fresh load, on a 2-core machine).
  pg -d "$1" -c "VACUUM ANALYZE"
}

seed_mysql() { # db
  my -e "DROP DATABASE IF EXISTS $1; CREATE DATABASE $1 CHARACTER SET utf8mb4"
  my -D "$1" <<SQL
CREATE TABLE people (id int PRIMARY KEY, email varchar(80) UNIQUE NOT NULL, first_name varchar(40), last_name varchar(40),
  phone varchar(30), ssn char(11), dob date, address text, note text, balance decimal(12,2));
CREATE TABLE orders (id bigint PRIMARY KEY, person_id int, total decimal(10,2), status varchar(12), created datetime,
  FOREIGN KEY (person_id) REFERENCES people(id));
INSERT INTO people SELECT seq, CONCAT('person', seq, '@corp-mail.org'), CONCAT('First', seq % 997), CONCAT('Last', seq % 991),
  CONCAT('+1 (555) ', LPAD(seq % 1000, 3, '0'), '-', LPAD(seq % 10000, 4, '0')),
  CONCAT(LPAD(seq % 900 + 100, 3, '0'), '-', LPAD(seq % 90 + 10, 2, '0'), '-', LPAD(seq % 9000 + 1000, 4, '0')),
  DATE('1950-01-01') + INTERVAL (seq % 20000) DAY, CONCAT(seq, ' Real Street, Realtown, RT ', seq % 99999),
  REPEAT('note about this person, ', 3 + seq % 4), (seq % 100000) / 100.0
  FROM seq_1_to_$people;
INSERT INTO orders SELECT seq, 1 + (seq % $people), (seq % 50000) / 100.0, ELT(1 + seq % 3, 'open', 'paid', 'shipped'),
  TIMESTAMP('2025-01-01') + INTERVAL (seq % 500000) MINUTE FROM seq_1_to_$((2 * people));
ANALYZE TABLE people, orders;
SQL
}

cpu() { # command... → user+system CPU seconds of it and its children
  /usr/bin/time -f '%U %S' "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ print $1 + $2 }'
}

bench_engine() { # postgres|mysql
  local engine=$1 db="bench_dbdump_${1}" url peer_dump peer_restore
  echo "seeding $engine ($people people, $((2 * people)) orders)…" >&2
  "seed_$engine" "$db"
  if [ "$engine" = postgres ]; then
    url="postgres://postgres@127.0.0.1:5432/$db"
    peer_dump="sh -c 'pg_dump -h 127.0.0.1 -U postgres $db | zstd -3 -q -f -o $out/peer.sql.zst'"
    peer_restore="sh -c 'psql -h 127.0.0.1 -U postgres -qAt -d postgres -c \"DROP DATABASE IF EXISTS ${db}_peer\" -c \"CREATE DATABASE ${db}_peer\" && zstd -dc $out/peer.sql.zst | psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 --single-transaction -d ${db}_peer >/dev/null'"
  else
    url="mysql://root@127.0.0.1:3306/$db"
    peer_dump="sh -c 'mariadb-dump -h 127.0.0.1 -u root --single-transaction --quick $db | zstd -3 -q -f -o $out/peer.sql.zst'"
    peer_restore="sh -c 'mariadb -h 127.0.0.1 -u root -e \"DROP DATABASE IF EXISTS ${db}_peer; CREATE DATABASE ${db}_peer\" && zstd -dc $out/peer.sql.zst | mariadb -h 127.0.0.1 -u root ${db}_peer'"
  fi
  rm -rf "$out/store"
  local ours="$dbdump --store $out/store -e bench create --url $url --rules $out/rules.toml"
  local ours_restore="$dbdump --store $out/store -e bench restore latest --to ${url}_ours --clean --yes"
  local sql_bytes cpu_sanitised cpu_raw
  sql_bytes=$($ours | python3 -c 'import json,sys; print(json.load(sys.stdin)["sql_bytes"])')
  cpu_sanitised=$(cpu $ours)
  cpu_raw=$(cpu $dbdump --store "$out/store" -e bench create --url "$url" --no-sanitise --reason bench)
  # The sanitiser alone, over the SQL an unsanitised create stored: "BYTES SECONDS".
  local raw_id alone
  raw_id=$($dbdump --store "$out/store" -e bench create --url "$url" --no-sanitise --reason bench | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  $dbdump --store "$out/store" -e bench cat "$raw_id" >"$out/raw.sql"
  alone=$(cargo bench --quiet -p dbdump --bench sanitiser -- "$url" "$out/rules.toml" "$out/raw.sql" 3)
  rm -f "$out/raw.sql"
  local base_create=() t_base=""
  [ -n "${BASE:-}" ] && base_create=("base=$BASE --store $out/store -e bench create --url $url --rules $out/rules.toml")
  read -r _ t_ours rss_ours _ t_peer rss_peer _ t_base _ < <(python3 bench/interleave.py "$runs" "dbdump=$ours" "peer=$peer_dump" "${base_create[@]}" | tr '\n' ' '; echo)
  # The restore peer on the same (sanitised) SQL too: what dbdump itself adds, apart from what
  # the fakes' order costs the server's indexes.
  local stored_file same_sql
  stored_file=$(ls -t "$out"/store/bench/bench/*/data.sql.zst | head -n 1)
  if [ "$engine" = postgres ]; then
    same_sql="sh -c 'psql -h 127.0.0.1 -U postgres -qAt -d postgres -c \"DROP DATABASE IF EXISTS ${db}_same\" -c \"CREATE DATABASE ${db}_same\" && zstd -dc $stored_file | psql -h 127.0.0.1 -U postgres -q -v ON_ERROR_STOP=1 --single-transaction -d ${db}_same >/dev/null'"
  else
    same_sql="sh -c 'mariadb -h 127.0.0.1 -u root -e \"DROP DATABASE IF EXISTS ${db}_same; CREATE DATABASE ${db}_same\" && zstd -dc $stored_file | mariadb -h 127.0.0.1 -u root ${db}_same'"
  fi
  read -r _ t_ours_r rss_ours_r _ t_peer_r rss_peer_r _ t_same_r _ < <(python3 bench/interleave.py "$runs" "dbdump=$ours_restore" "peer=$peer_restore" "same=$same_sql" | tr '\n' ' '; echo)
  local stored peer_size
  stored=$(du -b "$stored_file" | cut -f1)
  peer_size=$(du -b "$out/peer.sql.zst" | cut -f1)
  {
    echo "dbdump $engine: $((sql_bytes / 1048576)) MiB of SQL ($people people); $(nproc) cores, $(free -h | awk '/^Mem/ {print $2}') RAM; median of $runs interleaved rounds; $(date -u +%F)"
    printf '%-46s %9s %13s %12s\n' "" "median s" "peak RSS KiB" "stored MiB"
    printf '%-46s %9s %13s %12s\n' "dbdump create --store DIR (sanitised)" "$t_ours" "$rss_ours" "$((stored / 1048576))"
    printf '%-46s %9s %13s %12s\n' "dump | zstd -3 > file" "$t_peer" "$rss_peer" "$((peer_size / 1048576))"
    [ -n "$t_base" ] && printf '%-46s %9s\n' "dbdump create, BASE build" "$t_base"
    printf '%-46s %9s %13s\n' "dbdump restore --clean" "$t_ours_r" "$rss_ours_r"
    printf '%-46s %9s %13s\n' "zstd -dc | client" "$t_peer_r" "$rss_peer_r"
    printf '%-46s %9s\n' "zstd -dc | client, dbdump's sanitised SQL" "$t_same_r"
    python3 -c "import sys; o,p,orr,pr,sr,b,cs,cr,ab,at=map(float,sys.argv[1:]); print(f'create / peer = {o/p:.2f}x; restore / peer = {orr/pr:.2f}x (/ the same SQL through the pipe = {orr/sr:.2f}x)'); print(f'sanitiser alone: {ab/1e6/at:.0f} MB/s of SQL on one core ({ab/1e6:.0f} MB in {at:.2f} s, best of 3); in create: {b/1e6/max(cs-cr,1e-9):.0f} MB/s ({cs-cr:.2f} s CPU over an unsanitised create)')" \
      "$t_ours" "$t_peer" "$t_ours_r" "$t_peer_r" "$t_same_r" "$sql_bytes" "$cpu_sanitised" "$cpu_raw" $alone
  } | tee "$out/$engine-$size_mb.txt"
  [ "$engine" = postgres ] && pg -d postgres -c "DROP DATABASE IF EXISTS ${db}_ours" -c "DROP DATABASE IF EXISTS ${db}_peer" -c "DROP DATABASE IF EXISTS ${db}_same" -c "DROP DATABASE $db"
  [ "$engine" = mysql ] && my -e "DROP DATABASE IF EXISTS ${db}_ours; DROP DATABASE IF EXISTS ${db}_peer; DROP DATABASE IF EXISTS ${db}_same; DROP DATABASE $db"
  rm -rf "$out/store" "$out/peer.sql.zst"
}

case "$engines" in
  both) bench_engine postgres; bench_engine mysql ;;
  postgres | mysql) bench_engine "$engines" ;;
  *) echo "usage: bench/dbdump.sh [SIZE_MB] [postgres|mysql|both]" >&2; exit 2 ;;
esac
