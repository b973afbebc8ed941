package load

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Why conform hands out its own hits: vegeta's Attacker passes every hit through two channels
// (the pacer's tick to a worker, the worker's Result to the reader), builds an http.Request
// from its Target for each hit (a URL parse, a header copy, a body reader, a sequence header
// formatted and canonicalised) and sends it through http.Client.Do. Profiled at the ceiling
// against a bare handler, that was 17 of a hit's 18 allocations and most of its user time, and
// it left conform spending more CPU per answer than bombardier.
//
// The hits are still vegeta's: its pacers say when each is due (schedule), its Targets what
// each sends (turned into requests once, by Target.Request), every request carries vegeta's
// X-Vegeta-Attack and X-Vegeta-Seq headers, and every answer becomes the vegeta.Result the
// Attacker would have made (OnResult, results files). What changes is the hand-off: each
// worker takes the next hit number itself, waits until the schedule says it is due, sends it
// and judges the answer, with no channel between; and on the fast transport the request's
// bytes are written out once per target, the sequence number put in as it goes.

// hit is one sent request and its answer, as vegeta's Attacker records it in a Result.
type hit struct {
	seq     uint64
	target  int       // index into the dispatcher's targets
	sent    time.Time // when it went out
	latency time.Duration
	code    uint16 // 0 when no answer came
	// err is the transport's error, or the status of an answer outside 200-399, as
	// vegeta.Result.Error has them.
	err     string
	body    []byte // up to maxBody; the worker's buffer, valid only in handle
	bytesIn uint64
	retried bool // sent again on a new connection (see fastTransport.RoundTrip)
}

// dispatcher sends an attack's hits from a fixed pool of workers.
type dispatcher struct {
	client  *http.Client
	name    string         // the attack's, sent in X-Vegeta-Attack
	fast    *fastTransport // the client's transport, when it is the fast one
	targets []dispatchTarget
	sched   schedule
	start   time.Time
	du      time.Duration // hits due later are not sent
	bound   time.Duration // nor any hit once this much time has passed (du + LateAfter)
	handle  func(*hit)    // called by the workers, concurrently

	next     atomic.Uint64
	stop     chan struct{}
	stopOnce sync.Once
	stopFlag atomic.Bool
	stopAt   atomic.Int64 // when Stop came, in nanoseconds from start

	// workersOnly keeps the hits on the workers where event loops would send them (tests).
	workersOnly bool
	loopsMu     sync.Mutex
	loops       []*evLoop // while they run
}

// dispatchTarget is a vegeta.Target made ready to send. A validate run has one per session (up
// to 100 000): what it keeps is the Target and, on the fast transport, its bytes (about 300 for
// a JWT probe), not an http.Request (about 850 more).
type dispatchTarget struct {
	tgt *vegeta.Target
	// wire, when set, is the request as the fast transport writes it, its X-Vegeta-Seq value
	// left out at cut; req is a request of its method for the transport to read the answer
	// to (shared by the targets of that method).
	wire []byte
	cut  int
	req  *http.Request
}

// seqSentinel stands for the sequence number while a request is written out.
const seqSentinel = "18446744073709551615"

func newDispatcher(client *http.Client, targets []vegeta.Target, name string) (*dispatcher, error) {
	d := &dispatcher{client: client, name: name, stop: make(chan struct{})}
	d.fast, _ = client.Transport.(*fastTransport)
	byMethod := map[string]*http.Request{}
	for i := range targets {
		t := &targets[i]
		req, err := d.request(t, seqSentinel)
		if err != nil {
			return nil, fmt.Errorf("request %s %s: %w", t.Method, t.URL, err)
		}
		dt := dispatchTarget{tgt: t}
		if d.fast != nil && req.URL.Scheme == d.fast.scheme && req.URL.Host == d.fast.urlHost {
			if dt.wire, dt.cut = writeOut(req); dt.wire != nil {
				if byMethod[req.Method] == nil {
					byMethod[req.Method] = &http.Request{Method: req.Method, URL: req.URL, Header: http.Header{}}
				}
				dt.req = byMethod[req.Method]
			}
		}
		d.targets = append(d.targets, dt)
	}
	return d, nil
}

// request is t's request as vegeta's Attacker sends it: Target.Request's, with the attack's
// name and the hit's sequence number.
func (d *dispatcher) request(t *vegeta.Target, seq string) (*http.Request, error) {
	req, err := t.Request()
	if err != nil {
		return nil, err
	}
	if d.name != "" {
		req.Header.Set("X-Vegeta-Attack", d.name)
	}
	req.Header["X-Vegeta-Seq"] = []string{seq}
	return req, nil
}

// writeOut writes req as the fast transport would and cuts the sentinel out of its
// X-Vegeta-Seq line; nil when the line does not come out exactly once.
func writeOut(req *http.Request) (wire []byte, cut int) {
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if writeRequest(w, req) != nil || w.Flush() != nil {
		return nil, 0
	}
	line := []byte("\r\nX-Vegeta-Seq: " + seqSentinel + "\r\n")
	if bytes.Count(b.Bytes(), line) != 1 {
		return nil, 0
	}
	cut = bytes.Index(b.Bytes(), line) + len(line) - len(seqSentinel) - 2
	wire = slices.Concat(b.Bytes()[:cut], b.Bytes()[cut+len(seqSentinel):])
	return wire, cut
}

// urlErrorOp is how http.Client.Do's errors name the method: "Get", "Post".
func urlErrorOp(method string) string {
	if method == "" {
		return "Get"
	}
	return method[:1] + strings.ToLower(method[1:])
}

// run sends hits from workers goroutines, timed from d.start, until the schedule ends, the bound passes or Stop,
// and returns once every hit sent has been handled.
func (d *dispatcher) run(workers int) {
	if d.runLoops(workers) {
		return
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(d.work)
	}
	wg.Wait()
}

// Stop ends the sending: no worker takes another hit. A hit a worker has taken and that was
// due before Stop still goes out (at most one per worker): on a busy machine a worker's timer
// can wake it a few milliseconds late, and that hit was due within the run. Those in flight
// are answered and handled.
func (d *dispatcher) Stop() {
	d.stopOnce.Do(func() {
		d.stopAt.Store(int64(time.Since(d.start)))
		d.stopFlag.Store(true)
		close(d.stop)
		d.wakeLoops()
	})
}

func (d *dispatcher) stopped() bool { return d.stopFlag.Load() }

func (d *dispatcher) work() {
	var (
		h     hit
		buf   = make([]byte, 0, 512)
		timer *time.Timer
	)
	for {
		select {
		case <-d.stop:
			return
		default:
		}
		seq := d.next.Add(1) - 1
		due := d.sched.due(seq)
		if due > d.du {
			return
		}
		if wait := time.Until(d.start.Add(due)); wait > 0 {
			if timer == nil {
				timer = time.NewTimer(wait)
			} else {
				timer.Reset(wait)
			}
			select {
			case <-timer.C:
			case <-d.stop:
				timer.Stop()
				if due > time.Duration(d.stopAt.Load()) {
					return
				}
			}
		}
		now := time.Now()
		if now.Sub(d.start) > d.bound {
			return
		}
		i := int(seq % uint64(len(d.targets)))
		h = hit{seq: seq, target: i, sent: now}
		buf = d.send(&d.targets[i], &h, buf)
		h.latency = time.Since(now)
		d.handle(&h)
	}
}

// send sends target t as hit h, reading its answer's body into buf (returned, maybe grown).
func (d *dispatcher) send(t *dispatchTarget, h *hit, buf []byte) []byte {
	var (
		resp *http.Response
		err  error
	)
	if t.wire != nil {
		resp, err = d.fast.sendWire(t.req, t.wire, t.cut, h.seq)
		if err != nil {
			// As http.Client.Do says it.
			u, _ := url.Parse(t.tgt.URL)
			err = &url.Error{Op: urlErrorOp(t.tgt.Method), URL: u.String(), Err: err}
		}
	} else {
		var req *http.Request
		if req, err = d.request(t.tgt, strconv.FormatUint(h.seq, 10)); err == nil {
			resp, err = d.client.Do(req)
		}
	}
	if err != nil {
		h.err = err.Error()
		return buf
	}
	defer resp.Body.Close()
	buf, err = readAtMost(buf[:0], resp.Body, maxBody)
	if err == nil {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	if err != nil {
		h.err = err.Error()
		return buf
	}
	h.body, h.bytesIn = buf, uint64(len(buf))
	if h.code = uint16(resp.StatusCode); h.code < 200 || h.code >= 400 {
		h.err = resp.Status
	}
	return buf
}

// readAtMost appends up to n bytes of r to buf.
func readAtMost(buf []byte, r io.Reader, n int) ([]byte, error) {
	for len(buf) < n {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, err := r.Read(buf[len(buf):min(cap(buf), n)])
		buf = buf[:len(buf)+m]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// result is h as the vegeta.Result vegeta's Attacker would have made of it, without the body
// and headers (nothing after the judging keeps them).
func (h *hit) result(name string, t *dispatchTarget) vegeta.Result {
	return vegeta.Result{Attack: name, Seq: h.seq, Code: h.code, Timestamp: h.sent, Latency: h.latency,
		BytesOut: uint64(len(t.tgt.Body)), BytesIn: h.bytesIn, Error: h.err, Method: t.tgt.Method, URL: t.tgt.URL}
}
