#!/usr/bin/env bash
# Install the opskit tools with their man pages and shell completions.
#
#   ./install.sh                      build release binaries, install all five under ~/.local
#   ./install.sh --prefix /usr/local  somewhere else
#   ./install.sh --tools envctl,costq a subset
#   ./install.sh --from DIR           install binaries already built in DIR (packaging, tests)
#
# Running it again replaces what it installed, atomically, file by file.
set -euo pipefail

ALL_TOOLS="dbdump envctl costq accessgrant sesconfig"
prefix="${HOME:-}/.local"
tools="$ALL_TOOLS"
from=""

die() { echo "install.sh: error: $1" >&2; [ -n "${2:-}" ] && echo "  hint: $2" >&2; exit "${3:-1}"; }
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory" "" 2; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --tools) [ $# -ge 2 ] || die "--tools needs a list, e.g. envctl,costq" "" 2; tools="${2//,/ }"; shift 2 ;;
    --tools=*) tools="${1#--tools=}"; tools="${tools//,/ }"; shift ;;
    --from) [ $# -ge 2 ] || die "--from needs a directory" "" 2; from="$2"; shift 2 ;;
    --from=*) from="${1#--from=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown argument '$1'" "see ./install.sh --help" 2 ;;
  esac
done

[ -n "$prefix" ] || die "no prefix: HOME is not set" "pass --prefix DIR" 2
for t in $tools; do
  case " $ALL_TOOLS " in *" $t "*) ;; *) die "unknown tool '$t'" "the tools are: ${ALL_TOOLS// /, }" 2 ;; esac
done
[ -n "$tools" ] || die "--tools is empty" "the tools are: ${ALL_TOOLS// /, }" 2

src="$(cd "$(dirname "$0")" && pwd)"
if [ -z "$from" ]; then
  command -v cargo >/dev/null 2>&1 ||
    die "cargo not found: opskit is built from source with Rust's cargo" \
        "install Rust with rustup (https://rustup.rs), open a new shell, and run ./install.sh again" 69
  packages=()
  for t in $tools; do packages+=(-p "$t"); done
  echo "building ${tools// /, } (release)..." >&2
  (cd "$src" && cargo build --release --locked "${packages[@]}") || die "cargo build failed" "see the compiler output above" 70
  from="${CARGO_TARGET_DIR:-$src/target}/release"
fi
[ -d "$from" ] || die "no such directory: $from" "" 66

bin="$prefix/bin"
man="$prefix/share/man/man1"
bash_dir="$prefix/share/bash-completion/completions"
zsh_dir="$prefix/share/zsh/site-functions"
fish_dir="$prefix/share/fish/vendor_completions.d"
mkdir -p "$bin" "$man" "$bash_dir" "$zsh_dir" "$fish_dir" || die "cannot create directories under $prefix" "" 73

# Copy to a temporary name in the target directory, then rename over the old file: a running
# binary is never overwritten in place and a failed copy never leaves half a file.
put() { # mode source destination
  [ -f "$2" ] || die "missing $2" "build it first, or run ./install.sh without --from" 66
  install -m "$1" "$2" "$3.tmp.$$" && mv -f "$3.tmp.$$" "$3" || { rm -f "$3.tmp.$$"; die "cannot write $3" "" 73; }
  echo "  $3"
}

echo "installing into $prefix:"
for t in $tools; do
  put 755 "$from/$t" "$bin/$t"
  for page in "$src/man/$t.1" "$src/man/$t"-*.1; do
    [ -e "$page" ] && put 644 "$page" "$man/$(basename "$page")"
  done
  put 644 "$src/completions/$t.bash" "$bash_dir/$t"
  put 644 "$src/completions/_$t" "$zsh_dir/_$t"
  put 644 "$src/completions/$t.fish" "$fish_dir/$t.fish"
done

echo "installed: ${tools// /, }"
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "note: $bin is not on your PATH; add this to your shell's profile:"
     echo "  export PATH=\"$bin:\$PATH\"" ;;
esac
