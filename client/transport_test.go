package client

import (
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestCACertAndInsecure: an https target with its own CA fails without --ca-cert, works with
// it, and works with --insecure.
func TestCACertAndInsecure(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "{}") }))
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		opts TransportOptions
		ok   bool
	}{{"system CAs only", TransportOptions{}, false}, {"--ca-cert", TransportOptions{CACert: ca}, true}, {"--insecure", TransportOptions{Insecure: true}, true}} {
		cl, err := New(Options{URL: srv.URL, Transport: c.opts})
		if err != nil {
			t.Fatal(err)
		}
		_, err = cl.Do(context.Background(), Request{Path: "/"})
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v, want success %v", c.name, err, c.ok)
		}
	}
	if _, err := New(Options{URL: srv.URL, Transport: TransportOptions{CACert: filepath.Join(t.TempDir(), "none.pem")}}); err == nil || !strings.Contains(err.Error(), "--ca-cert") {
		t.Errorf("a missing CA file: %v, want an error naming --ca-cert", err)
	}
}

// TestProxyFromEnvironment: HTTP_PROXY carries a request to a target that is not on loopback,
// NO_PROXY exempts it, and --no-proxy ignores both.
func TestProxyFromEnvironment(t *testing.T) {
	var proxied atomic.Int32
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		io.WriteString(w, r.URL.String())
	}))
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("NO_PROXY", "")
	cl, err := New(Options{URL: "http://target.conform.invalid"})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := cl.Do(context.Background(), Request{Path: "/login"})
	if err != nil || proxied.Load() != 1 || string(resp.Body) != "http://target.conform.invalid/login" {
		t.Fatalf("through HTTP_PROXY: %v, %d proxied, %+v", err, proxied.Load(), resp)
	}
	cl, _ = New(Options{URL: "http://target.conform.invalid", Timeout: 200e6, Transport: TransportOptions{NoProxy: true}})
	if _, err := cl.Do(context.Background(), Request{Path: "/login"}); err == nil || proxied.Load() != 1 {
		t.Errorf("--no-proxy: %v, %d proxied; want the proxy unused", err, proxied.Load())
	}
	t.Setenv("NO_PROXY", "conform.invalid")
	cl, _ = New(Options{URL: "http://target.conform.invalid", Timeout: 200e6})
	if _, err := cl.Do(context.Background(), Request{Path: "/login"}); err == nil || proxied.Load() != 1 {
		t.Errorf("NO_PROXY: %v, %d proxied; want the proxy unused", err, proxied.Load())
	}
}

// TestExtraHeaders: the config's headers go on every request, and a request's own header of
// the same name wins.
func TestExtraHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, r.Header.Get("X-Gateway-Key")+"|"+r.Header.Get("X-Env"))
	}))
	defer srv.Close()
	cl, _ := New(Options{URL: srv.URL, Transport: TransportOptions{Header: http.Header{"X-Gateway-Key": {"gw"}, "X-Env": {"staging"}}}})
	resp, err := cl.Do(context.Background(), Request{Path: "/", Header: http.Header{"X-Env": {"own"}}})
	if err != nil || string(resp.Body) != "gw|own" {
		t.Errorf("got %v %q, want gw|own", err, resp.Body)
	}
}
