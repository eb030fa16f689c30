#!/usr/bin/env bash
# costq reading a legacy CUR export against DuckDB doing the same work (read_csv / read_parquet,
# the same grouping, exact decimals; both DuckDB's native CLI and its Python module, whose
# start-up is part of its time), and against the fastest plain decompression on the machine
# (pigz -dc, libdeflate-gunzip -c: the floor no CSV.gz reader beats). Groups by service and by
# tag:env, on a generated CSV.gz and the same data as Parquet, at each size given.
# Prints medians of interleaved rounds, ratios and peak RSS; writes bench/out/costq-<size>g.txt.
#
#   bench/costq.sh [SIZE_GB...]      uncompressed CSV sizes, default: 1 4
#   RUNS=5 bench/costq.sh 1          rounds counted after one warm-up round (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1 4}")
[ $# -gt 0 ] || sizes=(1 4)
runs="${RUNS:-5}"
out="bench/out"; mkdir -p "$out"
tests/backends.sh >/dev/null
for tool in pigz libdeflate-gunzip; do
  command -v "$tool" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pigz libdeflate-tools >/dev/null; }
done
[ -x .venv/bin/duckdb ] || .venv/bin/pip install -q duckdb-cli==1.5.6
cargo build --release --quiet -p costq
costq="${CARGO_TARGET_DIR:-$PWD/target}/release/costq"
py="$PWD/.venv/bin/python"
duckdb_cli="$PWD/.venv/bin/duckdb"

for size in "${sizes[@]}"; do
  base="$out/cur-${size}g"
  if [ ! -f "$base.csv.gz" ] || [ ! -f "$base.parquet" ]; then
    rows=$(python3 -c "print(int($size * 1e9 / 818) + 1)")
    echo "generating $rows line items ($size GB of CSV)…" >&2
    "$py" bench/costq_gen.py "$base.csv" "$rows" --parquet "$base.parquet"
    csv_bytes=$(stat -c %s "$base.csv")
    pigz -6 -f "$base.csv"   # leaves only the .csv.gz
    echo "$csv_bytes $rows" > "$base.size"
  fi
  read -r csv_bytes rows < "$base.size"

  # Same answer first: costq's groups equal DuckDB's (module and CLI), to the cent.
  for file in "$base.csv.gz" "$base.parquet"; do
    for dim in service tag:env; do
      sql="$out/duckdb-${size}g-${file##*.}-${dim%%:*}.sql"
      "$py" bench/costq_duckdb.py "$file" "$dim" --sql > "$sql"
      "$costq" --source "$file" --by "$dim" -o tsv | "$py" bench/costq_groups.py costq > "$out/costq.groups"
      "$py" bench/costq_duckdb.py "$file" "$dim" | "$py" bench/costq_groups.py duckdb > "$out/duckdb.groups"
      "$duckdb_cli" -f "$sql" | "$py" bench/costq_groups.py duckdb > "$out/duckdb-cli.groups"
      for peer in duckdb duckdb-cli; do
        cmp -s "$out/costq.groups" "$out/$peer.groups" || { echo "costq and $peer differ on $file --by $dim" >&2; diff "$out/costq.groups" "$out/$peer.groups" | head >&2; exit 1; }
      done
    done
  done

  results=$("$py" bench/interleave.py "$runs" \
    "costq-gz-service=$costq --source $base.csv.gz --by service -o ndjson" \
    "duckdb-gz-service=$duckdb_cli -f $out/duckdb-${size}g-gz-service.sql" \
    "duckdbpy-gz-service=$py bench/costq_duckdb.py $base.csv.gz service" \
    "costq-gz-tag=$costq --source $base.csv.gz --by tag:env -o ndjson" \
    "duckdb-gz-tag=$duckdb_cli -f $out/duckdb-${size}g-gz-tag.sql" \
    "duckdbpy-gz-tag=$py bench/costq_duckdb.py $base.csv.gz tag:env" \
    "pigz=pigz -dc $base.csv.gz" \
    "libdeflate=libdeflate-gunzip -c $base.csv.gz" \
    "costq-pq-service=$costq --source $base.parquet --by service -o ndjson" \
    "duckdb-pq-service=$duckdb_cli -f $out/duckdb-${size}g-parquet-service.sql" \
    "duckdbpy-pq-service=$py bench/costq_duckdb.py $base.parquet service" \
    "costq-pq-tag=$costq --source $base.parquet --by tag:env -o ndjson" \
    "duckdb-pq-tag=$duckdb_cli -f $out/duckdb-${size}g-parquet-tag.sql" \
    "duckdbpy-pq-tag=$py bench/costq_duckdb.py $base.parquet tag:env")
  {
    echo "costq on a legacy CUR export: $size GB CSV ($csv_bytes bytes, $rows line items);" \
         "CSV.gz $(stat -c %s "$base.csv.gz") bytes; Parquet $(stat -c %s "$base.parquet") bytes"
    echo "$(nproc) cores, $(free -h | awk '/^Mem/ {print $2}') RAM; median of $runs interleaved rounds; $(date -u +%F)"
    "$py" - "$results" <<'PY'
import sys
rows = {}
for line in sys.argv[1].splitlines():
    name, median, rss = line.split()
    rows[name] = (float(median), rss)
floor = min(rows["pigz"][0], rows["libdeflate"][0])
print(f"{'':22} {'median s':>9} {'peak RSS KiB':>13} {'vs DuckDB':>10} {'vs floor':>9}")
for name, (median, rss) in rows.items():
    peers = [rows[p][0] for p in (name.replace("costq", "duckdb"), name.replace("costq", "duckdbpy")) if p in rows]
    vs_duck = f"{min(peers) / median:.2f}x" if name.startswith("costq") else ""
    vs_floor = f"{median / floor:.2f}" if name.startswith("costq-gz") else ""
    print(f"{name:22} {median:9.3f} {rss:>13} {vs_duck:>10} {vs_floor:>9}")
print(f"floor: the faster of pigz -dc and libdeflate-gunzip -c = {floor:.3f} s; "
      "'vs DuckDB' is how many times faster costq is than the faster of DuckDB's CLI (duckdb-*) and "
      "its Python module (duckdbpy-*); 'vs floor' is costq's time over the floor's")
PY
  } | tee "$out/costq-${size}g.txt"
done
