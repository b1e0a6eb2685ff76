;; Memories: multi-memory (memarg with a memory index), memory64 (i64
;; addresses and limits), a shared memory with atomics, bulk memory with
;; active (memory 0 and memory n) and passive data segments.
;; Assembled by build.sh. (wabt 1.0.32 crashes on atomics that name their
;; memory, hence the numeric memory index 2 there.)
(module $memory
  (import "env" "mem" (memory $imp 1))
  (memory $m1 i64 1 100)
  (memory $m2 2 4 shared)
  (memory $m3 i64 0)
  (data $d0 (memory $imp) (i32.const 0) "hello")
  (data $d1 "passive")
  (data $d2 (memory $m1) (i64.const 16) "sixty-four")

  (func $mem (param i32 i64) (result i32)
    (i32.store $m1 offset=8 (local.get 1) (i32.load $imp offset=4 align=2 (local.get 0)))
    (i64.store32 $m2 offset=4294967295 (i32.const 0) (i64.const 9))
    (memory.init $imp $d1 (i32.const 0) (i32.const 0) (i32.const 3))
    (data.drop $d1)
    (memory.copy $imp $m2 (i32.const 0) (i32.const 0) (i32.const 1))
    (memory.copy $m1 $m3 (i64.const 0) (i64.const 0) (i64.const 1))
    (memory.fill $m1 (i64.const 0) (i32.const 0) (i64.const 1))
    (drop (memory.grow $m1 (i64.const 1)))
    (drop (memory.size $m3))
    (drop (memory.size))
    (drop (i32.atomic.rmw.add 2 (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify 2 (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.wait64 2 (i32.const 0) (i64.const 1) (i64.const -1)))
    (atomic.fence)
    (drop (v128.load16_lane 1 3 (i64.const 0) (v128.const i64x2 1 2)))
    (drop (i64.atomic.load32_u 2 offset=8 (i32.const 0)))
    (drop (v128.load $m1 offset=32 align=1 (i64.const 0)))
    
    (i32.wrap_i64 (i64.load32_u $m1 (local.get 1))))
)
