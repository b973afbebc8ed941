//go:build linux

package load

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/conformhq/conform/client"
)

// loopHits sends n hits of targets (round robin) at rate per second through event loops on
// c's fast transport, with conns connections, and returns them as handled, bodies copied.
func loopHits(t *testing.T, c *http.Client, targets []vegeta.Target, rate float64, n, conns int) []hit {
	t.Helper()
	d, err := newDispatcher(c, targets, "t")
	if err != nil {
		t.Fatal(err)
	}
	du := time.Duration(float64(n) / rate * float64(time.Second))
	d.sched, d.du, d.bound = newSchedule(Rate{From: rate, To: rate}, du), du, du+time.Second
	var (
		mu  sync.Mutex
		got []hit
	)
	d.handle = func(h *hit) {
		mu.Lock()
		defer mu.Unlock()
		g := *h
		g.body = bytes.Clone(h.body)
		got = append(got, g)
	}
	d.start = time.Now()
	d.run(conns)
	if len(d.loops) == 0 {
		t.Fatal("the hits were not sent from event loops")
	}
	return got
}

// recordingTCP is a listener on loopback whose connections record what they read.
func recordingTCP(t *testing.T) (net.Listener, *sync.Mutex, *bytes.Buffer) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got bytes.Buffer
	return recordingListener{tcp, &mu, &got}, &mu, &got
}

// The loops send the bytes net/http's Request.Write writes for each hit's request (its
// X-Vegeta-Seq included), over plain HTTP and, in the records' plain text, over TLS.
func TestLoopsSendAsNetHTTP(t *testing.T) {
	cert, ca := selfSigned(t, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	for _, overTLS := range []bool{false, true} {
		ln, mu, got := recordingTCP(t)
		base := "http://" + ln.Addr().String()
		var tr client.TransportOptions
		if overTLS {
			tcp := ln.(recordingListener).Listener
			ln = recordingListener{tls.NewListener(tcp, &tls.Config{Certificates: []tls.Certificate{cert}}), mu, got}
			base, tr = "https://"+tcp.Addr().String(), client.TransportOptions{CACert: ca}
		}
		hs := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			io.WriteString(w, "ok")
		}), ErrorLog: log.New(io.Discard, "", 0)}
		go hs.Serve(ln)
		targets := []vegeta.Target{
			{Method: "GET", URL: base + "/users/me", Header: http.Header{"Token": {"abc"}, "X-Forwarded-For": {"10.0.0.1"}}},
			{Method: "POST", URL: base + "/users/login?a=1", Body: []byte(`{"login":"a@example.com","password":"pw"}`), Header: http.Header{"Content-Type": {"application/json"}}},
			{Method: "DELETE", URL: base + "/users/me", Header: http.Header{"Authorization": {"Bearer x.y.z"}, "User-Agent": {"conform"}}},
		}
		c := fastClient(t, base, 1, 5*time.Second, tr)
		hits := loopHits(t, c, targets, 1000, 7, 1)
		hs.Close()
		d, _ := newDispatcher(&http.Client{}, targets, "t")
		var want bytes.Buffer
		for seq := range uint64(7) {
			req, err := d.request(&targets[seq%3], strconv.FormatUint(seq, 10))
			if err != nil {
				t.Fatal(err)
			}
			req.Write(&want)
		}
		mu.Lock()
		if len(hits) != 7 || got.String() != want.String() {
			t.Errorf("TLS %v: %d hits; the server read:\n%q\nRequest.Write:\n%q", overTLS, len(hits), got.String(), want.String())
		}
		mu.Unlock()
	}
}

// Every kind of answer is read as the workers read it: its body cut at maxBody, a body
// that comes in pieces or chunked, an answer closing its connection, an error status.
func TestLoopsReadEveryKindOfAnswer(t *testing.T) {
	big := strings.Repeat("x", maxBody+1000)
	for _, overTLS := range []bool{false, true} {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/split":
				w.Header().Set("Content-Length", "10")
				w.WriteHeader(200)
				io.WriteString(w, "01234")
				w.(http.Flusher).Flush()
				time.Sleep(5 * time.Millisecond)
				io.WriteString(w, "56789")
			case "/chunked":
				io.WriteString(w, "ab")
				w.(http.Flusher).Flush()
				time.Sleep(2 * time.Millisecond)
				io.WriteString(w, "cd")
			case "/close":
				w.Header().Set("Connection", "close")
				io.WriteString(w, "bye")
			case "/big":
				io.WriteString(w, big)
			case "/teapot":
				w.WriteHeader(http.StatusTeapot)
				io.WriteString(w, "no")
			case "/empty":
				w.WriteHeader(http.StatusNoContent)
			}
		})
		var (
			base string
			tr   client.TransportOptions
		)
		if overTLS {
			s := quietTLS(t, h, nil)
			base, tr = s.URL, client.TransportOptions{CACert: caFile(t, s)}
		} else {
			s := quietServer(t, h)
			base = s.URL
		}
		paths := []string{"/split", "/chunked", "/close", "/big", "/teapot", "/empty"}
		want := []struct {
			code uint16
			body string
			err  string
		}{{200, "0123456789", ""}, {200, "abcd", ""}, {200, "bye", ""}, {200, big[:maxBody], ""}, {418, "no", "418 I'm a teapot"}, {204, "", ""}}
		var targets []vegeta.Target
		for _, p := range paths {
			targets = append(targets, vegeta.Target{Method: "GET", URL: base + p})
		}
		hits := loopHits(t, fastClient(t, base, 2, 5*time.Second, tr), targets, 500, 4*len(paths), 2)
		if len(hits) != 4*len(paths) {
			t.Fatalf("TLS %v: %d hits handled, want %d", overTLS, len(hits), 4*len(paths))
		}
		for _, h := range hits {
			w := want[h.target]
			if h.code != w.code || string(h.body) != w.body || h.err != w.err || h.bytesIn != uint64(len(w.body)) {
				t.Errorf("TLS %v, %s: %d %q (%d bytes) %q; want %d %q %q", overTLS, paths[h.target], h.code, trim(h.body), h.bytesIn, h.err, w.code, trim([]byte(w.body)), w.err)
			}
		}
	}
}

func trim(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "..."
	}
	return string(b)
}

// quietServer is an httptest server that logs nothing.
func quietServer(t *testing.T, h http.Handler) *srvURL {
	s := &http.Server{Handler: h, ErrorLog: log.New(io.Discard, "", 0)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return &srvURL{URL: "http://" + ln.Addr().String()}
}

type srvURL struct{ URL string }

// An answer that does not come within the timeout fails its hit as the workers' would
// ("read tcp A->B: i/o timeout"), at the timeout.
func TestLoopsTimeOut(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	s := quietServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	start := time.Now()
	hits := loopHits(t, fastClient(t, s.URL, 2, 200*time.Millisecond), []vegeta.Target{{Method: "GET", URL: s.URL + "/slow"}}, 100, 2, 2)
	if took := time.Since(start); len(hits) != 2 || took > 2*time.Second {
		t.Fatalf("%d hits in %v", len(hits), took)
	}
	for _, h := range hits {
		if !strings.HasPrefix(h.err, `Get "`+s.URL+`/slow": read tcp 127.0.0.1:`) || !strings.HasSuffix(h.err, "i/o timeout") || h.code != 0 ||
			h.latency < 150*time.Millisecond || h.latency > time.Second {
			t.Errorf("hit %d: %d %q after %v", h.seq, h.code, h.err, h.latency)
		}
	}
}

// A request on a kept-alive connection that the server closed without answering is sent
// once more on a new connection, as net/http does; a target that cannot be reached fails
// every hit with the dial's error.
func TestLoopsSendAgainOnAStaleConnection(t *testing.T) {
	var (
		mu   sync.Mutex
		seen = map[string]int{}
	)
	// Each connection answers its first request and closes on its second.
	url := rawServer(t, func(i int, req *http.Request, w io.Writer) bool {
		mu.Lock()
		seen[req.Header.Get("X-Vegeta-Seq")]++
		mu.Unlock()
		if i == 1 {
			return false
		}
		io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		return true
	})
	hits := loopHits(t, fastClient(t, url, 1, 2*time.Second), []vegeta.Target{{Method: "GET", URL: url + "/"}}, 200, 10, 1)
	resent := 0
	mu.Lock()
	for _, h := range hits {
		if h.err != "" || h.code != 200 {
			t.Errorf("hit %d: %d %q", h.seq, h.code, h.err)
		}
		n := seen[strconv.FormatUint(h.seq, 10)]
		if n == 2 && h.retried {
			resent++
		} else if n != 1 || h.retried {
			t.Errorf("hit %d sent %d times (sent again: %v)", h.seq, n, h.retried)
		}
	}
	mu.Unlock()
	if len(hits) != 10 || resent == 0 {
		t.Errorf("%d hits, %d sent again; want 10, some sent again", len(hits), resent)
	}

	// A port nothing listens on (any more).
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url = "http://" + ln.Addr().String()
	ln.Close()
	hits = loopHits(t, fastClient(t, url, 2, time.Second), []vegeta.Target{{Method: "GET", URL: url + "/x"}}, 200, 4, 2)
	for _, h := range hits {
		if !strings.HasPrefix(h.err, `Get "`+url+`/x": dial tcp `) || !strings.HasSuffix(h.err, "connection refused") {
			t.Errorf("hit %d: %q", h.seq, h.err)
		}
	}
	if len(hits) != 4 {
		t.Errorf("%d hits, want 4", len(hits))
	}
}

// A certificate the client does not trust fails each hit with crypto/tls's error.
func TestLoopsTLSHandshakeFails(t *testing.T) {
	s := quietTLS(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") }), nil)
	hits := loopHits(t, fastClient(t, s.URL, 1, time.Second), []vegeta.Target{{Method: "GET", URL: s.URL + "/"}}, 100, 2, 1)
	for _, h := range hits {
		if !strings.HasPrefix(h.err, fmt.Sprintf(`Get "%s/": tls: failed to verify certificate`, s.URL)) {
			t.Errorf("hit %d: %q", h.seq, h.err)
		}
	}
	if len(hits) != 2 {
		t.Errorf("%d hits, want 2", len(hits))
	}
}

// rawServer answers each request with the bytes answer writes (i counts the connection's
// requests from 0), then does what it says: keep the connection, or close it.
func rawServer(t *testing.T, answer func(i int, req *http.Request, w io.Writer) (keep bool)) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer nc.Close()
				br := bufio.NewReader(nc)
				for i := 0; ; i++ {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					io.Copy(io.Discard, req.Body)
					if !answer(i, req, nc) {
						return
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

var addrs = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// Answers of every shape, hostile ones included, come out of the loops as out of the
// workers: the same status, kept body and error; a long body in pieces is read in time in
// proportion to its length; a head that never ends fails at maxHead.
func TestLoopsReadAnswersAsTheWorkers(t *testing.T) {
	long := strings.Repeat("y", 8<<20)
	answers := map[string]func(w io.Writer) bool{
		"/plain": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
			return true
		},
		"/chunked": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n2\r\nde\r\n0\r\nT: v\r\n\r\n")
			return true
		},
		"/badchunk": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n")
			return false
		},
		"/noend": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n")
			return false
		},
		"/toclose": func(w io.Writer) bool { io.WriteString(w, "HTTP/1.1 200 OK\r\n\r\nuntil the end"); return false },
		"/cut": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345")
			return false
		},
		"/cuthead": func(w io.Writer) bool { io.WriteString(w, "HTTP/1.1 200 OK\r\nX-A: 1\r\n"); return false },
		"/garbage": func(w io.Writer) bool { io.WriteString(w, "hello there\r\n\r\n"); return false },
		"/status": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy")
			return true
		},
		"/long": func(w io.Writer) bool {
			io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: "+strconv.Itoa(len(long))+"\r\n\r\n")
			for i := 0; i < len(long); i += 64 << 10 {
				io.WriteString(w, long[i:i+64<<10])
			}
			return true
		},
	}
	base := rawServer(t, func(_ int, req *http.Request, w io.Writer) bool { return answers[req.URL.Path](w) })
	var paths []string
	var targets []vegeta.Target
	for p := range answers {
		paths = append(paths, p)
		targets = append(targets, vegeta.Target{Method: "GET", URL: base + p})
	}
	results := func(workersOnly bool) map[string]string {
		d, err := newDispatcher(fastClient(t, base, 2, 5*time.Second), targets, "t")
		if err != nil {
			t.Fatal(err)
		}
		const n = 3
		du := time.Duration(n*len(targets)) * 5 * time.Millisecond
		d.sched, d.du, d.bound = newSchedule(Rate{From: 200, To: 200}, du), du, du+time.Second
		d.workersOnly = workersOnly
		var mu sync.Mutex
		got := map[string]string{}
		d.handle = func(h *hit) {
			mu.Lock()
			defer mu.Unlock()
			got[fmt.Sprintf("%s %d", paths[h.target], h.seq)] = fmt.Sprintf("%d %q (%d) %s", h.code, trim(h.body), h.bytesIn, addrs.ReplaceAllString(h.err, "ADDR"))
		}
		d.start = time.Now()
		d.run(2)
		if !workersOnly && len(d.loops) == 0 {
			t.Fatal("the hits were not sent from event loops")
		}
		return got
	}
	start := time.Now()
	loops := results(false)
	took := time.Since(start)
	workers := results(true)
	if len(loops) != len(workers) || len(loops) == 0 {
		t.Fatalf("%d answers from the loops, %d from the workers", len(loops), len(workers))
	}
	for k, w := range workers {
		if loops[k] != w {
			t.Errorf("%s: loops %s; workers %s", k, loops[k], w)
		}
	}
	if took > 5*time.Second {
		t.Errorf("the loops took %v", took)
	}

	endless := rawServer(t, func(_ int, _ *http.Request, w io.Writer) bool {
		io.WriteString(w, "HTTP/1.1 200 OK\r\n")
		line := "X-Pad: " + strings.Repeat("p", 1000) + "\r\n"
		for range 2 * maxHead / len(line) {
			if _, err := io.WriteString(w, line); err != nil {
				return false
			}
		}
		return false
	})
	hits := loopHits(t, fastClient(t, endless, 1, 5*time.Second), []vegeta.Target{{Method: "GET", URL: endless + "/"}}, 100, 1, 1)
	if len(hits) != 1 || !strings.HasSuffix(hits[0].err, errHeadTooLong.Error()) {
		t.Errorf("an endless head: %+v", hits)
	}
}

// A loop's connection opened again (here after each answer closes its connection) resumes
// its TLS session, through the transport's session cache.
func TestLoopsResumeTLSSessions(t *testing.T) {
	var resumed, full sync.Map
	count := func(m *sync.Map) int {
		k := 0
		m.Range(func(any, any) bool { k++; return true })
		return k
	}
	s := quietTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS.DidResume {
			resumed.Store(r.Header.Get("X-Vegeta-Seq"), true)
		} else {
			full.Store(r.Header.Get("X-Vegeta-Seq"), true)
		}
		w.Header().Set("Connection", "close")
		io.WriteString(w, "ok")
	}), nil)
	hits := loopHits(t, fastClient(t, s.URL, 1, 5*time.Second, client.TransportOptions{CACert: caFile(t, s)}), []vegeta.Target{{Method: "GET", URL: s.URL + "/"}}, 100, 4, 1)
	for _, h := range hits {
		if h.err != "" {
			t.Errorf("hit %d: %s", h.seq, h.err)
		}
	}
	if len(hits) != 4 || count(&full) != 1 || count(&resumed) != 3 {
		t.Errorf("%d hits, %d full handshakes, %d resumed; want 4, 1 and 3", len(hits), count(&full), count(&resumed))
	}
}
