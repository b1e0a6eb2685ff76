;; Control flow, calls and locals: multi-value blocks with type-index block
;; types, br_table, typed and untyped select, call_indirect over two tables,
;; tail calls, unreachable code, extended constant expressions.
;; Assembled by build.sh.
(module $control
  (type $pair (func (param i32 i32) (result i32 i32)))
  (type $i2i (func (param i32) (result i32)))
  (type $void (func))
  (import "env" "log" (func $log (param i32)))
  (import "env" "base" (global $base i32))
  (table $t0 4 funcref)
  (table $t1 2 8 funcref)
  (memory 1)
  (global $sp (mut i32) (i32.const 1024))
  (global $ext i64 (i64.add (i64.const 1) (i64.mul (i64.const 2) (i64.const 3))))
  (global $ext32 i32 (i32.sub (global.get $base) (i32.const 8)))
  (elem (table $t0) (i32.const 0) func $id $swap)
  (elem (table $t1) (i32.const 0) funcref (ref.func $id))
  (export "id" (func $id))
  (export "sp" (global $sp))
  (export "table" (table $t0))
  (start $init)

  (func $init (global.set $sp (i32.add (global.get $sp) (global.get $base))))
  (func $id (type $i2i) (local.get 0))
  (func $swap (type $pair) (local.get 1) (local.get 0))

  (func $blocks (param $x i32) (result i32)
    (local $y i64) (local $f f32) (local $d f64) (local $v v128)
    (i32.const 1) (i32.const 2)
    (block $b (type $pair)
      (call $swap))
    (i32.add)
    (loop $l (param i32) (result i32)
      (local.set $x)
      (br_if $l (local.get $x) (i32.eqz (local.get $x)))
      (drop)
      (local.set $y (i64.extend_i32_u (local.get $x)))
      (local.get $x))
    (if (param i32) (result i32) (local.get $x)
      (then (i32.const 1) (i32.add))
      (else (i32.const 2) (i32.sub)))
    (if (i32.const 0) (then (nop)))
    (drop (f32.convert_i32_s (local.get $x)))
    (local.set $f (f32.const 0.5))
    (drop (local.tee $y (i64.const 3)))
    (local.set $d (f64.promote_f32 (local.get $f)))
    (local.set $v (f64x2.splat (local.get $d))))

  (func $branch (param i32) (result i32)
    (block $a (result i32)
      (block $b
        (block $c
          (br_table $c $b (local.get 0)))
        (return (i32.const 1)))
      (block $d (result i32)
        (br_table $d $a $d (i32.const 7) (local.get 0)))))

  (func $select (param i32 externref externref) (result i32 externref)
    i32.const 1
    i32.const 2
    local.get 0
    select
    local.get 1
    local.get 2
    local.get 0
    select (result externref))

  (func $calls (param i32) (result i32)
    (call $log (local.get 0))
    (call_indirect $t0 (type $i2i) (local.get 0) (i32.const 0))
    (call_indirect $t1 (type $i2i) (i32.const 0))
    (return_call_indirect $t1 (type $i2i) (i32.const 0)))

  (func $tail (param i32) (result i32)
    (return_call $id (local.get 0)))

  (func $dead (result i32)
    (block $out (result i32)
      (unreachable)
      (i32.add)
      (drop)
      (select)
      (br $out))
    (block (result i32 i64)
      (br 0 (i32.const 1) (i64.const 2)))
    (drop)
    (return)
    (i64.const 0)
    (i32.wrap_i64))
)
