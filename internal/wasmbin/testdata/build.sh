#!/bin/sh
# Assembles every testdata/*.wat into the .wasm next to it, with wabt
# 1.0.32 (wat2wasm). The .wasm files are committed so that tests which
# only decode do not need wabt. Run from anywhere:
#   sh internal/wasmbin/testdata/build.sh   (or: go generate ./internal/wasmbin)
set -eu
# --enable-all would also turn on function references, under which wabt
# types ref.func as a typed reference and rejects the funcref tests.
FEATURES="--enable-exceptions --enable-threads --enable-tail-call --enable-memory64 --enable-multi-memory --enable-extended-const --enable-relaxed-simd"
cd "$(dirname "$0")"
for wat in *.wat; do
	wat2wasm $FEATURES --debug-names "$wat" -o "${wat%.wat}.wasm"
done
