package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// pprofEnv names the variable that turns on Go's profiling endpoints, for
// measuring where CPU and memory go (issue notes, make bench):
//
//	CAMDECK_PPROF=127.0.0.1:6060 camdeck
//	go tool pprof -top -inuse_space http://127.0.0.1:6060/debug/pprof/heap
const pprofEnv = "CAMDECK_PPROF"

// servePprof serves the endpoints on addr until the process ends. Only a
// loopback address is taken: a heap profile holds the camera URLs.
func servePprof(addr string) (net.Addr, error) {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s=%q: want a loopback address such as 127.0.0.1:6060", pprofEnv, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pprofEnv, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(ln, mux) //nolint:errcheck // it ends with the process
	return ln.Addr(), nil
}

// pprofFromEnv starts the endpoints when the variable is set; a wrong value
// is one line on stderr and camdeck runs on without them.
func pprofFromEnv() {
	if addr := os.Getenv(pprofEnv); addr != "" {
		if _, err := servePprof(addr); err != nil {
			fmt.Fprintln(os.Stderr, "camdeck:", err)
		}
	}
}
