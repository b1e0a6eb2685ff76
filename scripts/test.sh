#!/usr/bin/env bash
# Runs every wdbg test. Installs the tools the end-to-end tests need when
# they are missing (clang-22 and wasi-libc to check fixtures, wabt, lldb-22,
# tmux, FileCheck, python3 and its lldb module, gcc and gdb for the comparison
# with a native gdb, and jco from npm), then runs vet and the whole test suite with the
# end-to-end tests required: a missing tool fails them, it never skips them.
#
#   bash scripts/test.sh            everything
#   bash scripts/test.sh ./engine/  one package (still installs tools)
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
have clang-22        || need_apt+=(clang-22 lld-22)
[ -e /usr/lib/wasm32-wasi/libc.a ] || need_apt+=(wasi-libc)
[ -e /usr/lib/llvm-22/lib/clang/22/lib/wasm32-unknown-wasi/libclang_rt.builtins.a ] || \
  ls /usr/lib/llvm-22/lib/clang/22/lib/wasi* >/dev/null 2>&1 || need_apt+=(libclang-rt-22-dev-wasm32)
have lldb-22         || need_apt+=(lldb-22)
/usr/bin/python3 -c 'import lldb' 2>/dev/null || need_apt+=(python3-lldb-22) # the interrupt test drives LLDB's SB API
have wasm-validate   || need_apt+=(wabt)
have tmux            || need_apt+=(tmux)
have gdb             || need_apt+=(gdb)   # the native reference for TestSameAsGDB
have gcc             || need_apt+=(gcc)
have python3         || need_apt+=(python3) # runs the spec's definitions.py for component/abi
[ -x /usr/lib/llvm-22/bin/FileCheck ] || need_apt+=(llvm-22-tools)
have llvm-dwarfdump-22 || need_apt+=(llvm-22)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need_apt[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# jco builds the component fixtures and assembles the Component Model spec
# tests (pinned: its output is compared with goldens).
if ! have jco; then
  have npm || { SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo; $SUDO apt-get install -y -qq nodejs npm >/dev/null; }
  echo "scripts/test.sh: installing @bytecodealliance/jco"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO npm install -g -s @bytecodealliance/jco@1.35.0 >/dev/null
fi

if ! have go; then
  echo "scripts/test.sh: Go 1.26 is required (https://go.dev/dl/)" >&2
  exit 1
fi

export WDBG_E2E=required
go vet ./...
go test -count=1 -timeout 60m "${@:-./...}"
