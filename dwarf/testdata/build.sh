#!/bin/sh
# Rebuilds the committed test modules of package dwarf. Each program is
# compiled with -c and linked in a second step, so that no wasm-opt pass runs
# and strips the DWARF line tables. Run from dwarf/testdata:  sh build.sh
set -eu
CC=${CC:-clang-22}
CXX=${CXX:-clang++-22}
FLAGS="--target=wasm32-wasi --sysroot=/usr -g -Wno-deprecated"
mkdir -p out
for dw in 4 5; do
  for opt in O0 O2; do
    # types is two compile units: types.c declares a struct types_b.c defines.
    for src in types.c types_b.c opt.c; do
      $CC $FLAGS -gdwarf-$dw -$opt -c src/$src -o out/${src%.c}.o
    done
    $CC $FLAGS out/types.o out/types_b.o -o types.dwarf$dw.$opt.wasm
    $CC $FLAGS out/opt.o -o opt.dwarf$dw.$opt.wasm
    rm out/*.o
    $CXX $FLAGS -gdwarf-$dw -$opt -fno-exceptions -fno-rtti -c src/cpp.cpp -o out/cpp.dwarf$dw.$opt.o
    $CC $FLAGS out/cpp.dwarf$dw.$opt.o -o cpp.dwarf$dw.$opt.wasm
    rm out/cpp.dwarf$dw.$opt.o
  done
done
# tiny has no libc: its debug sections are small fuzzing seeds.
for dw in 4 5; do
  $CC $FLAGS -gdwarf-$dw -O2 -c src/tiny.c -o out/tiny.o
  $CC $FLAGS -nostdlib -Wl,--no-entry out/tiny.o -o tiny.dwarf$dw.O2.wasm
  rm out/tiny.o
done
rmdir out
