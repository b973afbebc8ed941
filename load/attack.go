package load

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

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
	dsp, err := newDispatcher(e.client, e.targets, name)
	if err != nil {
		return nil, err
	}
	// The schedule stops after the last hit due within du; the dispatcher sends none later
	// than LateAfter past it, so that hit still goes out when it is a little late.
	dsp.sched, dsp.du, dsp.bound = sched, du, du+o.LateAfter

	var (
		mu        sync.Mutex // guards what the answers add to, against each other and the ticker
		st        stats
		window    histogram
		winSent   uint64
		hookErr   error
		lastStart time.Time
	)
	masked := newMaskCache(e.redact)
	var start time.Time // set before the first hit is handled
	dsp.handle = func(h *hit) {
		t := &dsp.targets[h.target]
		due := start.Add(sched.due(h.seq))
		lag := h.sent.Sub(due)
		latency := h.latency
		if lag > 0 {
			latency += lag
		} else {
			lag, due = 0, h.sent
		}
		why := ""
		if h.code == 0 {
			why = h.err
		} else {
			why = e.judge(int(h.code), h.body)
		}
		errText := h.err
		if errText == "" && why != "" {
			errText = "conform: " + why
		}
		mu.Lock()
		defer mu.Unlock()
		if errText != "" {
			errText = masked.String(errText) // a transport error names the URL
		}
		st.add(h.code, why == "", errText, due, latency)
		st.lag.add(lag)
		if lag > o.LateAfter {
			st.late++
		}
		window.add(latency)
		winSent++
		// The last hit is due at the duration itself: it belongs to the last second.
		at := min(due.Sub(start), du-1)
		tl.add(at, why == "", latency)
		if stg != nil {
			stg.add(at, h.code, why == "", errText, due, latency)
		}
		if h.sent.After(lastStart) {
			lastStart = h.sent
		}
		if o.OnAnswer != nil && e.tagged {
			a := Answer{Session: h.target, Sent: due, Latency: latency, Code: int(h.code), Err: errText, Method: t.tgt.Method, URL: t.tgt.URL}
			if u, ok := e.urls[t.tgt.URL]; ok {
				a.URL = u
			} else {
				a.URL = masked.String(t.tgt.URL)
			}
			if h.code != 0 {
				a.Refusal, a.Err = why, ""
			}
			o.OnAnswer(a)
		}
		if o.OnResult != nil && hookErr == nil {
			r := h.result(name, t)
			r.Timestamp, r.Latency, r.Error = due, latency, errText
			if u, ok := e.urls[r.URL]; ok {
				r.URL = u
			} else {
				r.URL = e.redact.String(r.URL)
			}
			if hookErr = o.OnResult(&r); hookErr != nil {
				dsp.Stop()
			}
		}
	}

	var stopped atomic.Int64 // elapsed nanoseconds at an interrupt, 0 if none
	done := make(chan struct{})
	// The progress ticker has ended when attack returns: a line it printed after, the caller
	// (who clears the line before the report) could not take back.
	var ticker sync.WaitGroup
	defer func() {
		close(done)
		ticker.Wait()
	}()
	start = time.Now()
	dsp.start = start
	go func() {
		select {
		case <-ctx.Done():
			stopped.Store(int64(max(time.Since(start), 1)))
			dsp.Stop()
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
	dsp.run(o.Workers)
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
