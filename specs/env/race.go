package env

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
)

// Race is how hard the race specs push a documented invariant: N requests held at a barrier
// and released together, for Rounds rounds. A check-then-write window of a few milliseconds
// on the target is hit by a handful of requests released at once far more reliably than by
// many sent one after another, and each round is a fresh chance to hit it.
type Race struct {
	// N is how many requests one round releases together; at least 2.
	N int
	// Rounds is how many times each race spec repeats its round.
	Rounds int
}

// The defaults keep a race spec to about a dozen requests: enough to hit a window of a few
// milliseconds every time (see reference/race.go), cheap enough for every run.
const (
	DefaultRaceN      = 4
	DefaultRaceRounds = 3
)

// WithDefaults fills unset fields with the defaults and raises N to 2.
func (r Race) WithDefaults() Race {
	if r.N <= 0 {
		r.N = DefaultRaceN
	}
	r.N = max(r.N, 2)
	if r.Rounds <= 0 {
		r.Rounds = DefaultRaceRounds
	}
	return r
}

// Validate reports a race setting a user gave that cannot run.
func (r Race) Validate() error {
	if r.N < 0 || r.N == 1 || r.N > 256 {
		return fmt.Errorf("--race-n %d: want 2 to 256 requests released together", r.N)
	}
	if r.Rounds < 0 || r.Rounds > 10000 {
		return fmt.Errorf("--race-rounds %d: want 1 to 10000", r.Rounds)
	}
	return nil
}

// Together sends rs at once, each from its own goroutine: every goroutine waits at a barrier
// until all are ready, then all are released, so the requests reach the target within
// microseconds of each other. It returns the answers in the order of rs. Requests get the
// profile's base path as with Do; a request that got no answer fails the spec (after all have
// finished, on the spec's goroutine, where Ginkgo's failures belong).
func (e *Env) Together(ctx context.Context, rs ...client.Request) []*client.Response {
	ginkgo.GinkgoHelper()
	return e.sendAll(ctx, true, rs)
}

// ProbeRequest is the config's probe request from the address from, with authorize placing
// the token on it: what Probe sends, for a spec that sends it with others (Together).
func (e *Env) ProbeRequest(from string, authorize func(*client.Request)) client.Request {
	p := e.Config.Probe
	req := client.Request{Method: p.Method, Path: p.Path, Body: p.Body, From: from}
	if p.Body != "" {
		req.Header = map[string][]string{"Content-Type": {"application/json"}}
	}
	if authorize != nil {
		authorize(&req)
	}
	return req
}

// ProbeAccepts applies the config's probe rule to an answer of ProbeRequest.
func (e *Env) ProbeAccepts(resp *client.Response) bool {
	return ProbeAccepted(e.Config.Probe, resp)
}

// maxInFlight bounds the requests one goroutine of During sends: a fast target answers
// many within inFlightLead, and one that takes the main request's whole timeout still costs
// a bounded number of requests. A target with a race window holds each request in it, so a
// few per goroutine are in flight when the main request arrives.
const maxInFlight = 8

// inFlightLead is how long During lets the other requests go first, so that they are in flight
// on the target when r reaches it, rather than racing r to it.
const inFlightLead = 10 * time.Millisecond

// During sends what next returns from n goroutines released at one barrier, each one request
// after another, and inFlightLead later sends r; the goroutines stop once r's answer is back:
// requests in flight on the target while it serves r. It returns r's answer and the others'
// answers, whose outcome a race spec usually leaves open.
func (e *Env) During(ctx context.Context, r client.Request, n int, next func() client.Request) (*client.Response, []*client.Response) {
	ginkgo.GinkgoHelper()
	r.Path = e.Config.BasePath + r.Path
	var (
		mu     sync.Mutex
		others []*client.Response
		failed []error
		sent   []client.Request
	)
	answered := make(chan struct{})
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for range n {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-release
			for range maxInFlight {
				o := next()
				o.Path = e.Config.BasePath + o.Path
				resp, err := e.Client.Do(ctx, o)
				mu.Lock()
				if err != nil {
					failed, sent = append(failed, err), append(sent, o)
				} else {
					others = append(others, resp)
				}
				mu.Unlock()
				select {
				case <-answered:
					return
				default:
				}
				if err != nil {
					return
				}
			}
		})
	}
	ready.Wait()
	close(release)
	time.Sleep(inFlightLead)
	resp, err := e.Client.Do(ctx, r)
	close(answered)
	done.Wait()
	if err != nil {
		e.noAnswer(ctx, r, err)
	}
	e.throttled(resp)
	for i, err := range failed {
		e.noAnswer(ctx, sent[i], err)
	}
	return resp, others
}
