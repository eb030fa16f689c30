#!/usr/bin/env bash
# A sandbox for trying opskit without an AWS account: a local AWS (moto) holding a demo
# organisation, and the PostgreSQL database behind its staging environment.
#
#   eval "$(sandbox/sandbox.sh up)"   start it (or find it running) and set this shell up for it
#   sandbox/sandbox.sh env            print the export lines again
#   sandbox/sandbox.sh status         is it running, and where
#   sandbox/sandbox.sh down           stop it and forget it (the demo databases are dropped)
#
# The demo organisation: casetracker, with dev, staging and prod parameters in SSM; a temporary
# environment about to expire (demo-42) and one already expired (demo-41); a PostgreSQL
# database of made-up people behind staging's DATABASE_URL; three months of Cost Explorer
# answers and of FOCUS billing export files in s3://casetracker-billing; an SES identity for
# casetracker.example.gov; and two IAM users, dana (a developer) and bob (an approver), as AWS
# profiles. Nothing leaves this machine: the export lines point every AWS call at the sandbox
# and use credential files of its own, never ~/.aws.
#
# Needs: tests/backends.sh run once (moto and the AWS CLI in .venv, PostgreSQL on
# 127.0.0.1:5432), and the tools on PATH (./install.sh), else target/release or target/debug.
# OPSKIT_SANDBOX_DIR (default ~/.local/state/opskit-sandbox), OPSKIT_SANDBOX_PORT (default
# 5055), PGHOST/PGPORT/PGUSER (default 127.0.0.1, 5432, postgres) change where things go.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
state="${OPSKIT_SANDBOX_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/opskit-sandbox}"
port="${OPSKIT_SANDBOX_PORT:-5055}"
venv="${OPSKIT_VENV:-$root/.venv}"
pg_host="${PGHOST:-127.0.0.1}" pg_port="${PGPORT:-5432}" pg_user="${PGUSER:-postgres}"
endpoint="http://127.0.0.1:$port"
account=123456789012
domain=casetracker.example.gov

die() { echo "sandbox: error: $1" >&2; [ -z "${2:-}" ] || echo "  hint: $2" >&2; exit "${3:-1}"; }
say() { echo "sandbox: $*" >&2; }
usage() { sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; }

running() { [ -f "$state/moto.pid" ] && kill -0 "$(cat "$state/moto.pid")" 2>/dev/null; }

exports() {
  cat <<EOF
export AWS_ENDPOINT_URL=$endpoint
export AWS_REGION=us-east-1
export AWS_SHARED_CREDENTIALS_FILE=$state/aws/credentials
export AWS_CONFIG_FILE=$state/aws/config
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
export OPSKIT_CONFIG=$state/opskit.toml
export OPSKIT_SANDBOX_DIR=$state
EOF
}

psql_admin() { psql -h "$pg_host" -p "$pg_port" -U "$pg_user" -v ON_ERROR_STOP=1 -qAt "$@"; }

# The tools: on PATH (installed), else this checkout's release or debug build.
find_tools() {
  if ! command -v envctl >/dev/null 2>&1; then
    for dir in "${CARGO_TARGET_DIR:-$root/target}/release" "${CARGO_TARGET_DIR:-$root/target}/debug"; do
      if [ -x "$dir/envctl" ]; then PATH="$dir:$PATH"; return; fi
    done
    die "the opskit tools are not installed" "run ./install.sh (or cargo build) first" 69
  fi
}

up() {
  if running; then
    say "already running at $endpoint (state in $state)"
    exports
    return
  fi
  [ -x "$venv/bin/moto_server" ] ||
    die "no AWS emulator: $venv/bin/moto_server is missing" "run tests/backends.sh once: it installs moto, the AWS CLI and PostgreSQL" 69
  command -v psql >/dev/null 2>&1 || die "psql is missing" "run tests/backends.sh once: it installs PostgreSQL" 69
  psql_admin -d postgres -c "SELECT 1" >/dev/null 2>&1 ||
    die "no PostgreSQL server at $pg_host:$pg_port (user $pg_user)" "start it (tests/backends.sh does), or set PGHOST/PGPORT/PGUSER" 69
  command -v python3 >/dev/null 2>&1 || die "python3 is missing" "" 69
  find_tools
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is taken by another program" "set OPSKIT_SANDBOX_PORT to a free port" 69
  fi

  rm -rf "$state"
  mkdir -p "$state/aws" "$state/billing"
  say "starting the AWS emulator at $endpoint (log: $state/moto.log)"
  nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$state/moto.log" 2>&1 &
  echo $! >"$state/moto.pid"
  for _ in $(seq 1 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    running || die "the AWS emulator did not start" "see $state/moto.log" 69
    sleep 0.05
  done
  trap 'say "setting up failed; stopping the emulator"; down_quietly' ERR

  printf '[default]\naws_access_key_id = testing\naws_secret_access_key = testing\n' >"$state/aws/credentials"
  printf '[default]\nregion = us-east-1\n' >"$state/aws/config"
  chmod 600 "$state/aws/credentials"
  eval "$(exports)"
  aws() { "$venv/bin/aws" "$@"; }

  say "IAM: dana (developer) and bob (approver, in platform-leads)"
  aws iam create-group --group-name platform-leads >/dev/null
  for user in dana bob; do
    aws iam create-user --user-name "$user" >/dev/null
    aws iam create-access-key --user-name "$user" --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text |
      { read -r id secret
        printf '[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$user" "$id" "$secret" >>"$state/aws/credentials"; }
    printf '[profile %s]\nregion = us-east-1\n' "$user" >>"$state/aws/config"
  done
  aws iam add-user-to-group --group-name platform-leads --user-name bob

  cp "$here/opskit.toml" "$here/dbdump-rules.toml" "$state/"

  say "SSM: casetracker's dev, staging and prod parameters"
  param() { # ENV KEY TYPE VALUE
    printf %s "$4" | envctl set "$1" "$2" --type "$3" >/dev/null 2>>"$state/setup.log"
  }
  for env in dev staging prod; do
    case $env in
      dev) level=debug search=true db="postgres://$pg_user@$pg_host:$pg_port/casetracker_dev" ;;
      staging) level=info search=true db="postgres://$pg_user@$pg_host:$pg_port/casetracker_staging" ;;
      prod) level=warn search=false db="postgres://casetracker@casetracker-prod.internal:5432/casetracker" ;;
    esac
    param $env LOG_LEVEL plain "$level"
    param $env FEATURE_NEW_SEARCH plain "$search"
    param $env SMTP_HOST plain "email-smtp.us-east-1.amazonaws.com"
    param $env DATABASE_URL secure "$db"
    param $env API_TOKEN secure "$(python3 -c 'import secrets; print("tok_" + secrets.token_hex(12))')"
  done
  # dbdump's sanitising key, as a team keeps it: in SSM, outside any environment. A fixed one,
  # so every sandbox gives the same fakes (and the README's tour shows them); never do that
  # with a real key.
  printf %s "sandbox key: not a secret" >"$state/dbdump.key"
  aws ssm put-parameter --name /platform/dbdump-key --type SecureString \
    --value "file://$state/dbdump.key" >/dev/null
  rm -f "$state/dbdump.key"
  envctl copy dev demo-41 --ttl 1s >/dev/null 2>>"$state/setup.log"
  envctl copy dev demo-42 --ttl 45m >/dev/null 2>>"$state/setup.log"

  say "PostgreSQL: casetracker_staging, 2,000 made-up people and 5,000 cases"
  # casetracker_dev is where the tour restores to: it starts absent.
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS casetracker_dev" -c "DROP DATABASE IF EXISTS casetracker_staging" \
    -c "CREATE DATABASE casetracker_staging" 2>/dev/null
  psql_admin -d casetracker_staging -f "$here/staging.sql"

  say "S3 and Cost Explorer: three months of billing"
  python3 "$here/billing.py" "$state/billing" "$(date -u +%F)"
  for bucket in casetracker-dumps casetracker-billing casetracker-access-ledger; do
    aws s3api create-bucket --bucket "$bucket" >/dev/null
  done
  aws s3 cp --recursive --quiet "$state/billing/focus" s3://casetracker-billing/focus
  python3 - "$endpoint" "$account" "$state/billing/ce.json" <<'EOF'
import json, sys, urllib.request
endpoint, account, answers = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
body = json.dumps({"account_id": account, "results": answers}).encode()
urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/static/ce/cost-and-usage-results", body, {"Content-Type": "application/json"}))
EOF

  say "SES: $domain"
  # The emulator lacks some SESv2 operations; setup does every other step and exits 69.
  sesconfig setup "$domain" --yes >/dev/null 2>>"$state/setup.log" || [ $? -eq 69 ]

  trap - ERR
  say "ready: run the export lines below (or eval \"\$(sandbox/sandbox.sh env)\"); sandbox/sandbox.sh down stops it"
  exports
}

down_quietly() {
  if running; then kill "$(cat "$state/moto.pid")" 2>/dev/null || true; fi
  psql_admin -d postgres -c "DROP DATABASE IF EXISTS casetracker_staging" -c "DROP DATABASE IF EXISTS casetracker_dev" >/dev/null 2>&1 || true
  rm -rf "$state"
}

case "${1:-}" in
  up) up ;;
  env) running || die "the sandbox is not running" "sandbox/sandbox.sh up starts it"; exports ;;
  status)
    if running; then echo "running at $endpoint (pid $(cat "$state/moto.pid"), state in $state)"
    else echo "not running"; exit 1; fi ;;
  down) running || say "not running"; down_quietly; say "stopped" ;;
  -h|--help|help) usage ;;
  "") usage >&2; exit 2 ;;
  *) die "unknown command '$1'" "the commands are up, env, status, down" 2 ;;
esac
