#!/usr/bin/env bash
# The test command: real backends first (installed when missing), then every test.
# Extra arguments go to `cargo test` (e.g. `tests/run.sh doctor` runs the doctor tests).
set -euo pipefail
cd "$(dirname "$0")/.."
tests/backends.sh
# The process tests run the tools' binaries, which `cargo test` alone does not (re)build.
cargo build --workspace --locked --bins
cargo test --workspace --locked -- "$@"
