package load

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/conformhq/conform/redact"
)

// maxBody bounds how much of an answer is read: login and probe answers are small.
const maxBody = 64 << 10

// Progress is a snapshot of a running attack, for a live line on a terminal.
type Progress struct {
	Elapsed  time.Duration
	Sent     uint64
	Rate     float64       // answers per second over the last interval
	Success  float64       // success ratio so far
	P99      time.Duration // over the last interval, from the scheduled send time
	Name     string        // the attack (with its find-max step)
	Duration time.Duration // the attack's duration
}

// stats aggregates judged results: of one attack, or of results files.
type stats struct {
	requests, successes uint64
	latency             histogram // from the scheduled send time
	lag                 histogram // scheduled send to actual send (live attacks only)
	late                uint64
	codes               map[uint16]uint64 // by status code: no string made per result
	errors              []ErrorCount
	otherErrors         uint64
	first, lastEnd      time.Time
}

// maxErrors is how many distinct errors a report lists; later ones are only counted.
const maxErrors = 10

func (s *stats) add(code uint16, success bool, errText string, start time.Time, latency time.Duration) {
	if s.codes == nil {
		s.codes = map[uint16]uint64{}
	}
	s.requests++
	if success {
		s.successes++
	}
	s.codes[code]++
	s.latency.add(latency)
	if s.first.IsZero() || start.Before(s.first) {
		s.first = start
	}
	if end := start.Add(latency); end.After(s.lastEnd) {
		s.lastEnd = end
	}
	if errText == "" {
		return
	}
	for i := range s.errors {
		if s.errors[i].Error == errText {
			s.errors[i].Count++
			return
		}
	}
	if len(s.errors) < maxErrors {
		s.errors = append(s.errors, ErrorCount{Error: errText, Count: 1})
		return
	}
	s.otherErrors++
}

func (s *stats) successRatio() float64 {
	if s.requests == 0 {
		return 0
	}
	return float64(s.successes) / float64(s.requests)
}

// attack sends rate for du and judges every answer. It returns when every hit due within du
// has been answered, ctx is done (the results so far are kept), or OnResult fails.
func (e *prepared) attack(ctx context.Context, rate Rate, du time.Duration, name string) (*Report, error) {
	o := e.o
	sched := newSchedule(rate, du)
	var stg *stageStats
	if e.shape != nil {
		sched, du = stagedSchedule(e.shape), e.shape.total
		stg = newStageStats(e.shape)
	}
	var tl timeline
	atk := vegeta.NewAttacker(
		vegeta.Client(e.client),
		vegeta.Workers(uint64(o.Workers)),
		vegeta.MaxWorkers(uint64(o.Workers)),
		vegeta.MaxBody(maxBody),
	)
	var next atomic.Uint64
	targets := e.targets
	tr := func(t *vegeta.Target) error {
		*t = targets[(next.Add(1)-1)%uint64(len(targets))]
		return nil
	}

	var (
		mu      sync.Mutex // guards st and window against the progress ticker
		st      stats
		window  histogram
		winSent uint64
	)
	start := time.Now()
	// The schedule stops after the last hit due within du; vegeta's own bound gets LateAfter
	// more, so that hit still goes out when it is a little late.
	results := atk.Attack(tr, sched, du+o.LateAfter, name)

	var stopped atomic.Int64 // elapsed nanoseconds at an interrupt, 0 if none
	done := make(chan struct{})
	// The progress ticker has ended when attack returns: a line it printed after, the caller
	// (who clears the line before the report) could not take back.
	var ticker sync.WaitGroup
	defer func() {
		close(done)
		ticker.Wait()
	}()
	go func() {
		select {
		case <-ctx.Done():
			stopped.Store(int64(max(time.Since(start), 1)))
			atk.Stop()
		case <-done:
		}
	}()
	if o.Progress != nil {
		ticker.Go(func() {
			t := time.NewTicker(o.ProgressEvery)
			defer t.Stop()
			last := start
			for {
				select {
				case <-done:
					return
				case now := <-t.C:
					mu.Lock()
					p := Progress{Elapsed: now.Sub(start), Sent: st.requests, Success: st.successRatio(),
						Rate: float64(winSent) / now.Sub(last).Seconds(), P99: window.quantile(0.99), Name: name, Duration: du}
					window.reset()
					winSent = 0
					mu.Unlock()
					last = now
					o.Progress(p)
				}
			}
		})
	}

	var hookErr error
	var lastStart time.Time
	masked := newMaskCache(e.redact)
	for r := range results {
		due := start.Add(sched.due(r.Seq))
		lag := r.Timestamp.Sub(due)
		latency := r.Latency
		if lag > 0 {
			latency += lag
		} else {
			lag, due = 0, r.Timestamp
		}
		why := ""
		if r.Code == 0 {
			why = r.Error
		} else {
			why = e.judge(int(r.Code), r.Body)
		}
		errText := r.Error
		if errText == "" && why != "" {
			errText = "conform: " + why
		}
		if errText != "" {
			errText = masked.String(errText) // a transport error names the URL
		}
		mu.Lock()
		st.add(r.Code, why == "", errText, due, latency)
		st.lag.add(lag)
		if lag > o.LateAfter {
			st.late++
		}
		window.add(latency)
		winSent++
		mu.Unlock()
		// The last hit is due at the duration itself: it belongs to the last second.
		at := min(due.Sub(start), du-1)
		tl.add(at, why == "", latency)
		if stg != nil {
			stg.add(at, r.Code, why == "", errText, due, latency)
		}
		if r.Timestamp.After(lastStart) {
			lastStart = r.Timestamp
		}
		if o.OnAnswer != nil {
			if n := session(r.Headers); n >= 0 {
				a := Answer{Session: n, Sent: due, Latency: latency, Code: int(r.Code), Err: errText, Method: r.Method, URL: r.URL}
				if r.Code != 0 {
					a.Refusal, a.Err = why, ""
				}
				if u, ok := e.urls[r.URL]; ok {
					a.URL = u
				} else {
					a.URL = masked.String(r.URL)
				}
				o.OnAnswer(a)
			}
		}
		if o.OnResult != nil && hookErr == nil {
			r.Timestamp, r.Latency, r.Error = due, latency, errText
			r.Body, r.Headers = nil, nil
			if u, ok := e.urls[r.URL]; ok {
				r.URL = u
			} else {
				r.URL = e.redact.String(r.URL)
			}
			if hookErr = o.OnResult(r); hookErr != nil {
				atk.Stop()
			}
		}
	}
	if hookErr != nil {
		return nil, hookErr
	}

	elapsed := du
	interrupted := false
	if s := time.Duration(stopped.Load()); s > 0 && s < du {
		elapsed, interrupted = s, true
	}
	judged := elapsed
	if interrupted {
		// A send due in the last moments before the interrupt had no chance to go out.
		judged = max(elapsed-o.LateAfter, time.Millisecond)
	}
	expected := sched.expected(judged)
	mu.Lock()
	defer mu.Unlock()
	rep := e.report(rate, du, name, &st)
	rep.Interrupted = interrupted
	rep.Elapsed = ms(elapsed)
	rep.Expected = expected
	if expected > st.requests {
		rep.Dropped = expected - st.requests
	}
	rep.Late = st.late
	rep.LateAfter = ms(o.LateAfter)
	rep.SendLag = &Lag{P99: ms(st.lag.quantile(0.99)), Max: ms(st.lag.max)}
	sendSpan := max(judged, lastStart.Sub(start))
	rep.RequestedRate = float64(expected) / judged.Seconds()
	if st.requests > 0 {
		rep.AchievedRate = float64(st.requests) / sendSpan.Seconds()
		rep.Throughput = float64(st.successes) / sendSpan.Seconds()
	}
	rep.judgeValidity()
	rep.Timeline = tl.points(sched.pacer.Rate)
	if stg != nil {
		rep.Rate = StagesString(e.shape.st)
		rep.Stages = stg.reports()
		e.hold = stg.holdReport()
	}
	return rep, nil
}

// maskCache masks the error texts of results: a failing target repeats the same few errors
// for every request, so each distinct one is masked once (up to a bound).
type maskCache struct {
	red  *redact.Redactor
	done map[string]string
}

func newMaskCache(red *redact.Redactor) *maskCache {
	return &maskCache{red: red, done: map[string]string{}}
}

func (c *maskCache) String(s string) string {
	if m, ok := c.done[s]; ok {
		return m
	}
	m := c.red.String(s)
	if len(c.done) < 256 {
		c.done[s] = m
	}
	return m
}
