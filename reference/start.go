package reference

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// Start serves a new reference on addr ("127.0.0.1:0" picks a free loopback port) until stop
// is called, and returns its base URL. It is the embedded default of `conform run` and
// `conform load`.
func Start(ctx context.Context, opts Options, addr string) (url string, stop func(), err error) {
	srv, err := New(opts)
	if err != nil {
		return "", nil, err
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		srv.Close()
		return "", nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	ln = srv.WrapListener(ln)
	hs := HTTPServer(srv.Handler())
	// A serve error after this point shows up as failed requests to the caller.
	go func() { _ = hs.Serve(ln) }()
	stop = func() {
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		srv.Close()
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// The limits of the reference's HTTP server. Every documented request carries its token, API
// key or company key in a few hundred bytes of headers; 16 KiB leaves room for what proxies
// add and bounds what a client that never finishes its headers costs (net/http's default
// allows 1 MiB a connection: 300 half-sent headers took `conform serve` to 786 MB).
const (
	MaxHeaderBytes    = 16 << 10
	ReadHeaderTimeout = 5 * time.Second
)

// HTTPServer returns the http.Server that serves h with the reference's limits: Start and
// `conform serve` both use it. A header block over MaxHeaderBytes is answered 431 and the
// connection closed; one that takes longer than ReadHeaderTimeout is dropped.
func HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    MaxHeaderBytes,
		ConnContext:       ConnContext,
	}
}
