package load

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func fastClient(t testing.TB, url string, conns int, timeout time.Duration) *http.Client {
	t.Helper()
	c := newClient(Options{Connections: conns, Timeout: timeout}, url)
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
	c = fastClient(t, srv.URL, 4, 100*time.Millisecond)
	start := time.Now()
	if _, err := get("GET", "/slow", ""); err == nil || time.Since(start) > time.Second {
		t.Errorf("slow answer: %v after %s, want a timeout at 100ms", err, time.Since(start))
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
// fastTransport, 32 requests in flight against a bare handler in the same process: the ratio
// of the two, taken in the same run, is what the transport saves the generator.
func BenchmarkClient(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"success","result":[]}`))
	}))
	defer srv.Close()
	for _, name := range []string{"net-http", "fast"} {
		b.Run(name, func(b *testing.B) {
			c := newClient(Options{Connections: 32, Timeout: 5 * time.Second, NoKeepAlive: false}, srv.URL)
			if name == "net-http" {
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
