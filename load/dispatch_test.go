package load

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A request written out once and given its sequence number per hit is, byte for byte, what
// net/http writes for the same request with that X-Vegeta-Seq.
func TestWriteOutIsRequestWrite(t *testing.T) {
	targets := []vegeta.Target{
		{Method: "GET", URL: "http://127.0.0.1:8080/users/me", Header: http.Header{"X-Access-Token": {"a.b.c"}, "Zz-Last": {"z"}}},
		{Method: "POST", URL: "http://127.0.0.1:8080/users/login", Body: []byte(`{"a":1}`), Header: http.Header{"Content-Type": {"application/json"}}},
		{Method: "GET", URL: "http://127.0.0.1:8080/projects?token=t%20k&x=1"},
	}
	d := &dispatcher{name: "a"}
	for _, tg := range targets {
		req, err := d.request(&tg, seqSentinel)
		if err != nil {
			t.Fatal(err)
		}
		wire, cut := writeOut(req)
		if wire == nil {
			t.Fatalf("%s %s: not written out", tg.Method, tg.URL)
		}
		for _, seq := range []uint64{0, 7, 18446744073709551615} {
			req, err := d.request(&tg, strconv.FormatUint(seq, 10))
			if err != nil {
				t.Fatal(err)
			}
			var want bytes.Buffer
			if err := req.Write(&want); err != nil {
				t.Fatal(err)
			}
			got := string(wire[:cut]) + strconv.FormatUint(seq, 10) + string(wire[cut:])
			if got != want.String() {
				t.Errorf("%s %s seq %d:\n got %q\nwant %q", tg.Method, tg.URL, seq, got, want.String())
			}
		}
	}
}

// Every hit due within the duration is sent once, with its number in X-Vegeta-Seq, and handed
// to handle with its answer; the fast transport and net/http's client alike.
func TestDispatcherSendsEachHitOnce(t *testing.T) {
	var (
		mu   sync.Mutex
		seen = map[string]int{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen[r.Header.Get("X-Vegeta-Seq")]++
		mu.Unlock()
		w.Write(append([]byte(r.URL.Path+" "), body...))
	}))
	defer srv.Close()
	// The fast transport from event loops where there are (Linux), from the workers, and
	// net/http's client.
	for mode := range 3 {
		fast := mode < 2
		mu.Lock()
		clear(seen)
		mu.Unlock()
		c := fastClient(t, srv.URL, 4, time.Second)
		if !fast {
			c = &http.Client{Timeout: time.Second}
		}
		targets := []vegeta.Target{{Method: "GET", URL: srv.URL + "/a"}, {Method: "POST", URL: srv.URL + "/b", Body: []byte("x")}}
		d, err := newDispatcher(c, targets, "t")
		if err != nil {
			t.Fatal(err)
		}
		if got := d.targets[0].wire != nil; got != fast {
			t.Fatalf("fast %v: written out %v", fast, got)
		}
		const du = 200 * time.Millisecond
		d.sched, d.du, d.bound = newSchedule(Rate{From: 500, To: 500}, du), du, du+time.Second
		var handled []string
		d.handle = func(h *hit) {
			mu.Lock()
			defer mu.Unlock()
			if h.err != "" || h.code != 200 {
				t.Errorf("hit %d: %d %s", h.seq, h.code, h.err)
			}
			want := []string{"/a ", "/b x"}[h.target]
			if string(h.body) != want || h.bytesIn != uint64(len(want)) {
				t.Errorf("hit %d: body %q, want %q", h.seq, h.body, want)
			}
			handled = append(handled, strconv.FormatUint(h.seq, 10))
		}
		d.workersOnly = mode == 1
		d.start = time.Now()
		d.run(8)
		mu.Lock()
		if n := d.sched.expected(du); uint64(len(handled)) != n || len(seen) != int(n) {
			t.Fatalf("mode %d: %d handled, %d numbers seen, want %d", mode, len(handled), len(seen), n)
		}
		for _, s := range handled {
			if seen[s] != 1 {
				t.Errorf("mode %d: hit %s sent %d times", mode, s, seen[s])
			}
		}
		mu.Unlock()
	}
}

// Stop ends the sending at once, the workers (or event loops) waiting for their next hit
// included.
func TestDispatcherStop(t *testing.T) {
	for _, workers := range []bool{false, true} {
		t.Run(fmt.Sprint("workers only ", workers), func(t *testing.T) { testDispatcherStop(t, workers) })
	}
}

func testDispatcherStop(t *testing.T, workersOnly bool) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	defer srv.Close()
	d, err := newDispatcher(fastClient(t, srv.URL, 2, time.Second), []vegeta.Target{{Method: "GET", URL: srv.URL}}, "")
	if err != nil {
		t.Fatal(err)
	}
	d.workersOnly = workersOnly
	d.sched, d.du, d.bound = newSchedule(Rate{From: 5, To: 5}, time.Minute), time.Minute, time.Minute
	var n int
	var mu sync.Mutex
	d.handle = func(*hit) { mu.Lock(); n++; mu.Unlock() }
	d.start = time.Now()
	go func() { time.Sleep(500 * time.Millisecond); d.Stop() }()
	done := make(chan struct{})
	go func() { d.run(4); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("run did not end within 5 s of Stop")
	}
	if n < 1 || n > 3 {
		t.Errorf("%d hits in 0.5 s at 5/s", n)
	}
}

// An error names the method and URL as http.Client.Do's do, on either path.
func TestDispatcherErrorText(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	url := srv.URL
	srv.Close()
	for _, c := range []*http.Client{fastClient(t, url, 1, time.Second), {Timeout: time.Second}} {
		d, err := newDispatcher(c, []vegeta.Target{{Method: "GET", URL: url + "/x"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		var h hit
		d.send(&d.targets[0], &h, nil)
		if !strings.HasPrefix(h.err, `Get "`+url+`/x": `) || h.code != 0 {
			t.Errorf("%T: code %d, error %q", c.Transport, h.code, h.err)
		}
	}
}
