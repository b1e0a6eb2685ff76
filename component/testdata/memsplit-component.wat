;; A component whose core module has two memories: a seed for
;; FuzzInstantiate, so that the fuzzer reaches the memory splitter.
(component
  (core module $M
    (memory $a 1)
    (memory $b 1)
    (data (memory $b) (i32.const 8) "\2a")
    (func (export "run") (result i32)
      (i32.store8 $b (i32.const 7) (i32.load8_u $b (i32.const 8)))
      (drop (memory.grow $b (i32.const 1)))
      (i32.add (i32.load8_u $b (i32.const 7)) (memory.size $b)))
    (export "mem-b" (memory $b)))
  (core instance $m (instantiate $M))
  (func (export "run") (result u32) (canon lift (core func $m "run"))))
