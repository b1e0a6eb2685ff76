package main

import (
	"fmt"
	"io"
	"net"
	"strings"

	"wdbg/gdbstub"
	"wdbg/gdbstub/sessiontarget"
	"wdbg/session"
)

// gdbAddress resolves --gdb / --gdb-port to a listen address, refusing a
// non-loopback one unless --gdb-allow-remote was given: the stub gives
// whoever connects full control of the guest.
func gdbAddress(o *options) (string, error) {
	addr := o.gdb
	if o.gdbPort != "" {
		addr = net.JoinHostPort("127.0.0.1", o.gdbPort)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		if !strings.Contains(addr, ":") {
			host, port, err = "127.0.0.1", addr, nil // --gdb PORT
		} else {
			return "", fmt.Errorf("--gdb %q: want HOST:PORT", addr)
		}
	}
	if host == "" || host == "localhost" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if (ip == nil || !ip.IsLoopback()) && !o.gdbAllowRemote {
		return "", fmt.Errorf("--gdb %s is not a loopback address: anyone who can connect controls the guest; add --gdb-allow-remote to allow it", addr)
	}
	return net.JoinHostPort(host, port), nil
}

// serveGDB runs the gdb remote stub until the program ends; it returns the
// process exit status.
func serveGDB(o *options, s *session.Session, stdout, stderr io.Writer) int {
	addr, err := gdbAddress(o)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 2
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 1
	}
	defer l.Close()
	t, err := sessiontarget.New(s)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 1
	}
	srv := &gdbstub.Server{Target: t}
	if o.logOutput == "gdbwire" {
		srv.Log = stderr
	}
	fmt.Fprintf(stderr, "wdbg: waiting for a debugger on %s (lldb: process connect --plugin wasm connect://%s)\n", l.Addr(), l.Addr())
	st, err := srv.Serve(l)
	if err != nil {
		fmt.Fprintf(stderr, "wdbg: %v\n", err)
		return 1
	}
	switch st.Kind {
	case gdbstub.StopExited:
		return st.ExitCode
	case gdbstub.StopTerminated:
		if st.Description != "" {
			fmt.Fprintf(stderr, "wdbg: %s\n", st.Description)
			return 134
		}
		fmt.Fprintln(stderr, "wdbg: the debugger killed the program")
		return 137
	}
	return 0
}
