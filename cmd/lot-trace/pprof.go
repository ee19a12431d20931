package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
)

// startProfiling serves Go's profiles (net/http/pprof) on addr, a listener of its own apart
// from the API, when LOT_TRACE_PPROF_ADDR names one: the profiles behind docs/performance.md
// were taken from it. It is off by default; bind it to localhost, since it has no keys.
func startProfiling(addr string, logger *slog.Logger) error {
	if addr == "" {
		return nil
	}
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	logger.Info("serving Go profiles", "url", "http://"+listener.Addr().String()+"/debug/pprof/")
	go func() { _ = http.Serve(listener, mux) }()
	return nil
}
