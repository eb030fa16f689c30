#!/usr/bin/env bash
# envctl export vs the AWS CLI doing the same work: every SecureString of one environment,
# decrypted, from the moto server. Prints median wall times, their ratio, peak RSS, and how many
# API requests each made; also the floor (the emulator answering the pages, timed in-process).
#
#   bench/envctl-export.sh [N]        N parameters (default 500)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-500}"
runs="${RUNS:-7}"
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

read -r _ t_ours rss_ours _ t_theirs rss_theirs _ t_raw _ _ t_boto _ < <(python3 bench/interleave.py "$runs" \
  "envctl=${ours[*]}" "aws=${theirs[*]}" \
  "raw=floor:python3 bench/ssm_floor.py raw $AWS_ENDPOINT_URL /bench/dev" \
  "boto3=floor:.venv/bin/python bench/ssm_floor.py boto3 $AWS_ENDPOINT_URL /bench/dev" | tr '\n' ' '; echo)
pages=$((n / 10 + 1))
{
  echo "envctl export of $n SecureStrings from moto; $(nproc) cores, $(free -h | awk '/^Mem/ {print $2}') RAM;" \
       "median of $runs interleaved rounds; $(date -u +%F)"
  printf '%-36s %9s %9s %13s\n' "" "median s" requests "peak RSS KiB"
  printf '%-36s %9s %9s %13s\n' "envctl export --format json" "$t_ours" "$req_ours" "$rss_ours"
  printf '%-36s %9s %9s %13s\n' "aws ssm get-parameters-by-path" "$t_theirs" "$req_theirs" "$rss_theirs"
  printf '%-36s %9s %9s\n' "floor: pages alone, unsigned" "$t_raw" "$pages"
  printf '%-36s %9s %9s\n' "floor: pages alone, boto3 signed" "$t_boto" "$pages"
  python3 -c "import sys; o,t,r,b=map(float,sys.argv[1:]); print(f'envctl is {t/o:.2f}x faster than the AWS CLI; envctl / floor = {o/r:.2f} (unsigned), {o/b:.2f} (signed)')" \
    "$t_ours" "$t_theirs" "$t_raw" "$t_boto"
} | tee "$out/envctl-export-$n.txt"
