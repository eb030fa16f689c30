#!/usr/bin/env bash
# envctl export vs the AWS CLI doing the same work: every SecureString of one environment,
# decrypted, from the moto server. Prints median wall times, their ratio, peak RSS, and how many
# API requests each made; also the floor (the emulator answering the pages, timed in-process).
#
#   bench/envctl-export.sh [N]        N parameters (default 500)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-500}"
runs="${RUNS:-10}"
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 69; }
tests/backends.sh >/dev/null
cargo build --release --quiet -p envctl
out="bench/out"; mkdir -p "$out"

envctl="$PWD/target/release/envctl"
aws="$PWD/.venv/bin/aws"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log="$out/moto-$port.log"
.venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null' EXIT
until curl -s -o /dev/null "http://127.0.0.1:$port/"; do sleep 0.1; done

export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
  AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null OPSKIT_CONFIG="$PWD/$out/opskit.toml"
printf 'app = "bench"\n[envs.dev]\ntier = "dev"\n' >"$out/opskit.toml"
# Seed: N SecureStrings under /bench/dev, in a small hierarchy.
python3 - "$n" >"$out/seed.json" <<'PY'
import json, random, sys
random.seed(42)
n = int(sys.argv[1])
print(json.dumps({f"svc{i % 5}/KEY_{i:05d}": "v" * random.randint(8, 200) for i in range(n)}))
PY
"$envctl" import dev "$out/seed.json" --yes >/dev/null

requests() { # command... → API requests it made, from moto's request log
  local before after
  before=$(grep -c '"POST / ' "$log" || true)
  "$@" >/dev/null
  after=$(grep -c '"POST / ' "$log" || true)
  echo $((after - before))
}
ours=("$envctl" export dev --format json)
theirs=("$aws" ssm get-parameters-by-path --path /bench/dev --recursive --with-decryption --output json)
req_ours=$(requests "${ours[@]}")
req_theirs=$(requests "${theirs[@]}")
[ "$("${ours[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = "$n" ] || { echo "envctl exported the wrong count" >&2; exit 1; }

hyperfine -N -w 2 -r "$runs" --export-json "$out/envctl-export-$n.json" \
  -n envctl "${ours[*]}" -n aws-cli "${theirs[*]}" >/dev/null
floors=(); for _ in $(seq 5); do floors+=("$(python3 bench/ssm_floor.py "$AWS_ENDPOINT_URL" /bench/dev | cut -d' ' -f1)"); done
floor=$(printf '%s\n' "${floors[@]}" | sort -n | sed -n 3p)
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
rss_ours=$(rss "${ours[@]}"); rss_theirs=$(rss "${theirs[@]}")

python3 - "$out/envctl-export-$n.json" "$floor" "$req_ours" "$req_theirs" "$rss_ours" "$rss_theirs" "$n" <<'PY'
import json, sys, statistics, os
res = {r["command"]: statistics.median(r["times"]) for r in json.load(open(sys.argv[1]))["results"]}
floor = float(sys.argv[2]); ro, rt, mo, mt, n = sys.argv[3:8]
e, a = res["envctl"], res["aws-cli"]
print(f"envctl export of {n} SecureStrings from moto; {os.cpu_count()} cores; medians of interleaved runs")
print(f"{'':<26}{'median s':>10}{'requests':>10}{'peak RSS KiB':>14}")
print(f"{'envctl export --format json':<26}{e:>10.3f}{ro:>10}{mo:>14}")
print(f"{'aws ssm get-parameters-by-path':<26}{a:>10.3f}{rt:>10}{mt:>14}")
print(f"{'floor (pages, in-process)':<26}{floor:>10.3f}")
print(f"aws-cli / envctl = {a / e:.2f}x faster;  envctl / floor = {e / floor:.2f}x")
PY
