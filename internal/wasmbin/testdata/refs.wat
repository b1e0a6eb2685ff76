;; Reference types and table operations: externref/funcref tables, every
;; element segment form (active with and without a table index, passive,
;; declarative, function indices and expressions), table.* and ref.*.
;; Assembled by build.sh.
(module $refs
  (import "env" "ext" (table $imp 1 externref))
  (table $f 2 10 funcref)
  (table $x 1 externref)
  (elem $act0 (table $f) (i32.const 0) func $a)
  (elem $act1 (table $f) (i32.const 1) func $a $b)
  (elem $actx (table $x) (i32.const 0) externref (ref.null extern))
  (elem $pas funcref (ref.func $a) (ref.null func))
  (elem $pasf func $b)
  (elem $dec declare func $b)

  (func $a)
  (func $b (result funcref) (ref.func $b))

  (func $ops (param externref) (result i32)
    (table.set $x (i32.const 0) (local.get 0))
    (drop (table.get $imp (i32.const 0)))
    (drop (table.grow $f (ref.null func) (i32.const 1)))
    (table.fill $f (i32.const 0) (ref.func $a) (i32.const 1))
    (table.copy $f $f (i32.const 0) (i32.const 1) (i32.const 1))
    (table.copy $x $imp (i32.const 0) (i32.const 0) (i32.const 1))
    (table.init $f $pas (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop $pas)
    (drop (ref.is_null (local.get 0)))
    (drop (ref.is_null (ref.null func)))
    (table.size $f))
)
