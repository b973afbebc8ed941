package load

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conformhq/conform/client"
)

func fastClient(t testing.TB, url string, conns int, timeout time.Duration, tr ...client.TransportOptions) *http.Client {
	t.Helper()
	o := Options{Connections: conns, Timeout: timeout}
	if len(tr) > 0 {
		o.Transport = tr[0]
	}
	c := newClient(o, url)
	if _, ok := c.Transport.(*fastTransport); !ok {
		t.Fatalf("%s: transport %T", url, c.Transport)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// The fast transport keeps connections alive within its bound, reads every kind of body, and
// gives a connection up when the answer says so.
func TestFastTransport(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/chunked":
			w.Write([]byte("a"))
			w.(http.Flusher).Flush()
			w.Write([]byte("b"))
		case "/close":
			w.Header().Set("Connection", "close")
			w.Write([]byte("bye"))
		case "/slow":
			time.Sleep(300 * time.Millisecond)
		default:
			w.Write(append([]byte(r.Method+" "), body...))
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := fastClient(t, srv.URL, 4, 5*time.Second)
	get := func(method, path, body string) (string, error) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		resp, err := c.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got, err := get("POST", "/", "x"); got != "POST x" || err != nil {
					t.Errorf("got %q, %v", got, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if n := conns.Load(); n > 4 {
		t.Errorf("%d connections, bound 4", n)
	}
	if got, err := get("GET", "/chunked", ""); got != "ab" || err != nil {
		t.Errorf("chunked: %q, %v", got, err)
	}
	// 4 idle connections: 6 answers that close theirs need at least 2 new ones.
	before := conns.Load()
	for range 6 {
		if got, err := get("GET", "/close", ""); got != "bye" || err != nil {
			t.Errorf("close: %q, %v", got, err)
		}
	}
	if n := conns.Load() - before; n < 2 {
		t.Errorf("Connection: close answers, then %d new connections", n)
	}
	// One connection: the slow request follows a quick one on it, whose deadline it may keep.
	c = fastClient(t, srv.URL, 1, 100*time.Millisecond)
	if got, err := get("POST", "/", "x"); got != "POST x" || err != nil {
		t.Errorf("got %q, %v", got, err)
	}
	start := time.Now()
	if _, err := get("GET", "/slow", ""); !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("slow answer: %v after %s, want a timeout at 100ms", err, time.Since(start))
	}
}

// A request is bounded by the timeout from its own start, within a 64th of it, even where the
// connection's deadline was set for an earlier request.
func TestFastTransportDeadlinePerRequest(t *testing.T) {
	ft := newFastTransport("http", "example.test", "example.test:80", nil, 1, 64*time.Second, nil)
	client, server := tcpPair(t)
	server.Close() // every exchange fails at once
	rw := newRawIO(client)
	c := &fastConn{nc: client, br: bufio.NewReader(rw), bw: bufio.NewWriter(rw)}
	req, _ := http.NewRequest("GET", "http://example.test/", nil)
	now := time.Now()
	for _, tc := range []struct {
		name      string
		deadline  time.Time // the request's own
		wantMoved bool
	}{
		{"first request", now.Add(64 * time.Second), true},
		{"half a second later", now.Add(64*time.Second + 500*time.Millisecond), false},
		{"a second later", now.Add(65 * time.Second), false},
		{"a second and a bit later", now.Add(65*time.Second + time.Millisecond), true},
		{"an earlier deadline (a context's)", now.Add(10 * time.Second), true},
	} {
		before := c.deadline
		ft.exchange(c, req, tc.deadline) // fails (nothing answers); the deadline is what is looked at
		if moved := !c.deadline.Equal(before); moved != tc.wantMoved {
			t.Errorf("%s: deadline moved %v, want %v", tc.name, moved, tc.wantMoved)
		}
		if c.deadline.After(tc.deadline) || tc.deadline.Sub(c.deadline) > time.Second {
			t.Errorf("%s: connection deadline %s, request's %s: want at most a 64th of the timeout earlier",
				tc.name, c.deadline.Sub(now), tc.deadline.Sub(now))
		}
	}
}

// A kept-alive connection the server closed while idle is not an error: the request goes out
// again on a new connection.
func TestFastTransportStaleConnection(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	c := fastClient(t, srv.URL, 1, time.Second)
	for i := range 2 {
		resp, err := c.Post(srv.URL, "text/plain", bytes.NewReader([]byte("body")))
		if err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		srv.CloseClientConnections()
		time.Sleep(10 * time.Millisecond)
	}
}

// BenchmarkClient compares one request's cost through net/http's Transport and through
// fastTransport, 32 requests in flight against a bare handler in the same process, over plain
// HTTP and over TLS (HTTP/1.1): the ratio of the two, taken in the same run, is what the
// transport saves the generator.
func BenchmarkClient(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"success","result":[]}`))
	})
	plain := httptest.NewServer(h)
	defer plain.Close()
	tlsSrv := quietTLS(b, h, nil)
	ca := caFile(b, tlsSrv)
	for _, name := range []string{"net-http", "fast", "net-http-tls", "fast-tls"} {
		b.Run(name, func(b *testing.B) {
			srv := plain
			o := Options{Connections: 32, Timeout: 5 * time.Second}
			if strings.HasSuffix(name, "-tls") {
				srv, o.Transport.CACert = tlsSrv, ca
			}
			c := newClient(o, srv.URL)
			if strings.HasPrefix(name, "net-http") {
				c = &http.Client{Timeout: 5 * time.Second, Transport: c.Transport.(*fastTransport).fallback.(timeoutTransport).rt}
			}
			defer c.CloseIdleConnections()
			b.SetParallelism(16)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := c.Get(srv.URL + "/users/me")
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		})
	}
}

// tcpPair is a connected client and server connection on loopback.
func tcpPair(t *testing.T) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("no connection accepted")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}
