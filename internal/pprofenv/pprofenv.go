// Package pprofenv serves Go's profiling endpoints when CAMDECK_PPROF
// names a loopback address, for measuring where camdeck's CPU and memory go.
package pprofenv

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
)

// Var names the variable that turns on Go's profiling endpoints, for
// measuring where CPU and memory go (issue notes, make bench):
//
//	CAMDECK_PPROF=127.0.0.1:6060 camdeck
//	go tool pprof -top -inuse_space http://127.0.0.1:6060/debug/pprof/heap
const Var = "CAMDECK_PPROF"

// Serve serves the endpoints on addr until the process ends. Only a
// loopback address is taken: a heap profile holds the camera URLs.
func Serve(addr string) (net.Addr, error) {
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("%s=%q: want a loopback address such as 127.0.0.1:6060", Var, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Var, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go http.Serve(ln, mux) //nolint:errcheck // it ends with the process
	return ln.Addr(), nil
}

// Start starts the endpoints when the variable is set; a wrong value
// is one line on stderr and camdeck runs on without them.
func Start() {
	if addr := os.Getenv(Var); addr != "" {
		if _, err := Serve(addr); err != nil {
			fmt.Fprintln(os.Stderr, "camdeck:", err)
		}
	}
}
