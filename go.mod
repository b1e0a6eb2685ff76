module wdbg

go 1.26.0

require (
	github.com/go-delve/liner v1.2.2-1
	github.com/tetratelabs/wazero v1.12.0
)

require (
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/mattn/go-runewidth v0.0.30 // indirect
	golang.org/x/sys v0.47.0 // indirect
)
