;; A component that lifts a function the runtime makes: its own lowering of
;; an import, re-exported as is.
(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $fl (canon lower (func $f)))
  (func (export "g") (param "x" u32) (result u32) (canon lift (core func $fl))))
