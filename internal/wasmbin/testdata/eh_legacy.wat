;; Legacy exception handling: try/catch/catch_all/delegate/rethrow/throw,
;; with defined and imported tags (tag section, id 13).
;; Assembled by build.sh.
(module $eh_legacy
  (import "env" "ext" (tag $ext (param i64)))
  (tag $e0 (param i32))
  (tag $e1)
  (export "e0" (tag $e0))

  (func $thrower (param i32)
    (throw $e0 (local.get 0)))

  (func $catcher (param i32) (result i32)
    (try (result i32)
      (do
        (call $thrower (local.get 0))
        (i32.const 0))
      (catch $e0)
      (catch $ext (drop) (i32.const 3))
      (catch $e1 (i32.const 1))
      (catch_all (i32.const 2))))

  (func $rethrower
    (try
      (do (throw $e1))
      (catch_all (rethrow 0))))

  (func $delegator (result i32)
    (block $outer (result i32)
      (try (result i32)
        (do
          (try
            (do (throw $e1))
            (delegate 1))
          (i32.const 0))
        (catch $e1 (i32.const 5)))))
)
