// Package wasi is wdbg's WASI 0.2 host for components: wasi:cli, wasi:io,
// wasi:clocks, wasi:random and wasi:filesystem (over --dir preopens),
// implementing component.Host. WASI preview 1 for core modules comes from
// wazero and is not here.
//
// Imports of any 0.2.x version resolve here, as semver-compatible component
// runtimes match them (jco's preview 1 adapter imports @0.2.12 and
// wasi:filesystem/preopens@0.2.6). A function of a known interface that
// wdbg does not implement yet still links, and traps with its name when
// called, so a program that never calls it runs.
//
// The guest sees only what Config grants: its arguments, its environment,
// the three standard streams, and the preopened directories (read-only
// ones refuse writes). Paths never leave a preopen: ".." and absolute
// paths are refused, and symlinks are not followed out of it.
//
// # Concurrency
//
// A Host serves one component instance tree and is used from the goroutine
// running it (see package component).
package wasi
