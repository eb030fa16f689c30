#!/usr/bin/env bash
# The test command: real backends first (installed when missing), then every test.
# Extra arguments go to `cargo test` (e.g. `tests/run.sh doctor` runs the doctor tests).
set -euo pipefail
cd "$(dirname "$0")/.."
tests/backends.sh
cargo test --workspace --locked -- "$@"
