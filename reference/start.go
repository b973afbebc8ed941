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
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second, MaxHeaderBytes: 64 << 10}
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
