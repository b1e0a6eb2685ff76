;; Hand-written component exercising the type section, aliases, nested
;; components, imports/exports with annotated names, and the value-level
;; canon definitions (lift, lower, resources). Assembled with `jco parse`
;; at test time.
(component $types
  ;; every defined value type
  (type $point (record (field "x" s32) (field "y" s32)))
  (type $shape (variant (case "circle" f64) (case "none") (case "pt" $point)))
  (type $bytes (list u8))
  (type $vec3 (list f32 3))
  (type $pair (tuple string char))
  (type $perm (flags "read" "write" "exec"))
  (type $color (enum "red" "green" "blue"))
  (type $maybe (option u64))
  (type $res (result $point (error string)))
  (type $res-ok (result u32))
  (type $res-err (result (error u8)))
  (type $res-empty (result))
  (type $prims (tuple bool s8 u8 s16 u16 s32 u32 s64 u64 f32 f64 char string))
  (type $bstream (stream u8))
  (type $estream (stream))
  (type $sfuture (future string))
  (type $efuture (future))
  (type $ec error-context)

  ;; a resource with a destructor
  (core module $dtor-mod (func (export "dtor") (param i32)))
  (core instance $dtor-inst (instantiate $dtor-mod))
  (alias core export $dtor-inst "dtor" (core func $dtor))
  (type $file (resource (rep i32) (dtor (core func $dtor))))
  (type $own-file (own $file))
  (type $borrow-file (borrow $file))
  (type $bare (resource (rep i32)))

  ;; function types, sync and async
  (type $f-sync (func (param "p" $point) (param "s" $shape) (result $res)))
  (type $f-async (func async (param "n" u32) (result $bstream)))
  (type $f-method (func (param "self" $borrow-file) (result u32)))
  (type $f-empty (func))

  ;; an instance type and a component type with declarations
  (type $logger (instance
    (export "level" (type $lvl (sub resource)))
    (type $msg (record (field "text" string) (field "line" u32)))
    (export "msg" (type (eq $msg)))
    (type $b (borrow $lvl))
    (export "[method]level.name" (func (param "self" $b) (result string)))
    (export "log" (func (param "m" $msg)))
    (export "[async]flush" (func async))
    (core type (module (import "" "f" (func)) (export "m" (memory 1))))
  ))
  (type $plugin (component
    (import "host" (instance (type $logger)))
    (type $ft (func (param "x" u32) (result u32)))
    (export "run" (func (type $ft)))
    (alias outer $types $point (type))
  ))

  ;; imports with interface names, versions and annotations
  (import "wasi:logging/log@0.2.0" (instance $log (type $logger)))
  (import "get-point" (func $get-point (type $f-sync)))
  (import "[async]fetch" (func $fetch (type $f-async)))
  (import "file" (type $file-imp (sub resource)))
  (import "plugin" (component $plugin-c (type $plugin)))
  (alias export $log "log" (func $log-fn))
  (alias export $log "level" (type $level))

  ;; core types: a module type and a function type
  (core type $ct-f (func (param i32 i64) (result f32)))
  (core type $ct-m (module
    (import "env" "mem" (memory 1 2))
    (import "env" "tbl" (table 1 funcref))
    (import "env" "g" (global (mut i32)))
    (type (func (param i32)))
    (export "f" (func (type 0)))
  ))

  ;; a core module with memory and realloc, and lift/lower with options
  (core module $m
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0)
    (func (export "compute") (param i32) (result i32) local.get 0)
    (func (export "post") (param i32))
  )
  (core instance $mi (instantiate $m))
  (alias core export $mi "mem" (core memory $mem))
  (alias core export $mi "realloc" (core func $realloc))
  (alias core export $mi "post" (core func $post))
  (core func $compute (alias core export $mi "compute"))
  (core func $lowered (canon lower (func $get-point) (memory $mem) (realloc $realloc) string-encoding=utf16))
  (core func $lowered-log (canon lower (func $log-fn) (memory $mem) string-encoding=latin1+utf16))
  (core func $rnew (canon resource.new $file))
  (core func $rdrop (canon resource.drop $file))
  (core func $rrep (canon resource.rep $file))
  (type $ft-u32 (func (param "x" u32) (result u32)))
  (func $run (type $ft-u32) (canon lift (core func $compute) (memory $mem) (post-return $post) string-encoding=utf8))

  ;; a bag-of-exports core instance and a component instance
  (core instance $bag (export "lowered" (func $lowered)) (export "mem" (memory $mem)) (export "rnew" (func $rnew)))

  ;; a nested component, instantiated twice
  (component $inner
    (import "x" (func $x (type $ft-u32-inner)))
    (type $ft-u32-inner (func (param "x" u32) (result u32)))
    (export "y" (func $x))
  )
  (instance $i1 (instantiate $inner (with "x" (func $run))))
  (instance $i2 (instantiate $inner (with "x" (func $run))))
  (alias export $i1 "y" (func $y))
  (instance $bag2 (export "run" (func $run)) (export "point" (type $point)))

  (export "run" (func $run))
  (export "[method]file.size" (func $y))
  (export "point" (type $point))
  (export "nested" (instance $bag2))
  (export "inner" (component $inner))
  (export "m" (core module $m))
  (export "typed-run" (func $run) (func (type $ft-u32)))
)
