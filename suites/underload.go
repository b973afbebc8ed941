package suites

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/profile"
)

// UnderLoad runs the selected specs twice (`conform run --under-load RATE`): once alone, the
// baseline, then again while conform load's validate scenario sends RATE to the same target.
// A requirement that fails only in the second pass broke under load: a cache that serves
// logged-out or expired tokens when busy, a per-IP rule that slips, 5xx. The summary and the
// JSON report (Result.UnderLoad) list those apart from the requirements that fail anyway, with
// the load's achieved rate and latency; the load's own report is printed after the summary.
type UnderLoad struct {
	// Rate is the load's rate, as `conform load --rate` takes it (e.g. 200/s); empty: no load.
	Rate string
	// Profile is the profile whose probe the load sends; default the run's first profile.
	Profile string
}

// maxUnderLoad bounds the load of one run: it ends with the second pass's specs, and at the
// latest then. A run under load takes about twice the specs' time (the baseline, then the pass
// under load) plus loadWarmup, and never more than the baseline plus maxUnderLoad.
const maxUnderLoad = 10 * time.Minute

// UnderLoadResult compares the two passes of a run under load (JSON "under_load").
type UnderLoadResult struct {
	// Rate and Profile are the load as asked for (--under-load, --under-load-profile).
	Rate    string `json:"rate"`
	Profile string `json:"profile"`
	// The load's numbers over the pass under load (package load's Report): the rate it
	// achieved, how many requests, the share the probe accepted, their latency; Valid is
	// false when the achieved rate fell below 95% of the requested one, so the pass ran
	// under less load than asked (InvalidReason says why).
	AchievedRate  float64      `json:"achieved_rate"`
	Requests      uint64       `json:"requests"`
	SuccessRatio  float64      `json:"success_ratio"`
	Latency       load.Latency `json:"latency"`
	Valid         bool         `json:"valid"`
	InvalidReason string       `json:"invalid_reason,omitempty"`
	// LoadError says why the load did not run through the pass; the comparison then says
	// nothing about load.
	LoadError string `json:"load_error,omitempty"`
	// Baseline is the totals of the pass without load (the report's totals and specs are
	// the pass under load).
	Baseline Totals `json:"baseline"`
	// OnlyUnderLoad are the requirements that failed under load and not without it;
	// FailAnyway those that failed in both passes; OnlyWithoutLoad those that failed only
	// in the baseline (a flaky spec, or a target that misbehaves when idle). Requirement
	// ids, sorted; a requirement fails a pass when any of its specs failed.
	OnlyUnderLoad   []string `json:"only_under_load"`
	FailAnyway      []string `json:"fail_anyway"`
	OnlyWithoutLoad []string `json:"only_without_load"`
	// LoadAnswers judges the load's own answers: a live token refused fails the run too.
	LoadAnswers *LoadAnswers `json:"load_answers,omitempty"`
}

// compareUnderLoad fills res.UnderLoad from the baseline and the pass under load (res), and
// judges res again: a requirement that failed in the baseline alone fails the run too.
func compareUnderLoad(base, res *Result, l *loadRun, u UnderLoad) {
	ul := &UnderLoadResult{Rate: u.Rate, Profile: l.profile, Baseline: base.Totals,
		OnlyUnderLoad: []string{}, FailAnyway: []string{}, OnlyWithoutLoad: []string{}}
	if l.err != nil {
		ul.LoadError = l.err.Error()
	} else {
		r := l.rep
		ul.AchievedRate, ul.Requests, ul.SuccessRatio = r.AchievedRate, r.Requests, r.Ratio
		ul.Latency, ul.Valid, ul.InvalidReason = r.Latency, r.Valid, r.Invalid
	}
	before, after := failedRequirements(base), failedRequirements(res)
	for id := range after {
		if before[id] {
			ul.FailAnyway = append(ul.FailAnyway, id)
		} else {
			ul.OnlyUnderLoad = append(ul.OnlyUnderLoad, id)
		}
	}
	for id := range before {
		if !after[id] {
			ul.OnlyWithoutLoad = append(ul.OnlyWithoutLoad, id)
		}
	}
	slices.Sort(ul.OnlyUnderLoad)
	slices.Sort(ul.FailAnyway)
	slices.Sort(ul.OnlyWithoutLoad)
	if l.judge != nil && l.err == nil {
		doc, _ := profile.Get(l.profile)
		ul.LoadAnswers = l.judge.judge(doc.LiveToken)
	}
	res.UnderLoad = ul
	res.judge()
}

// failed reports whether the comparison fails the run: a requirement failed only without
// load, or the load's live tokens were refused. Nil (no load) fails nothing.
func (u *UnderLoadResult) failed() bool {
	return u != nil && (len(u.OnlyWithoutLoad) > 0 || u.LoadAnswers.failed())
}

// failedRequirements is the set of requirement ids with a failed (unwaived) spec in r.
func failedRequirements(r *Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Specs {
		if s.State == Failed {
			out[s.ID] = true
		}
	}
	return out
}

// loadOptions checks the load of o.UnderLoad against the bound target before any spec runs;
// zero when the run has none. A rate or profile that cannot be loaded is a *UsageError.
func loadOptions(b *binding, o Options) (load.Options, error) {
	if o.UnderLoad.Rate == "" {
		return load.Options{}, nil
	}
	rate, err := load.ParseRate(o.UnderLoad.Rate)
	if err != nil {
		return load.Options{}, usage("--under-load %q: %v (example: 200/s)", o.UnderLoad.Rate, err)
	}
	p := o.UnderLoad.Profile
	if p == "" {
		p = b.profiles[0]
	}
	if !slices.Contains(b.profiles, p) {
		return load.Options{}, usage("--under-load-profile %s is not one of the run's profiles (%v)", p, b.profiles)
	}
	lo := load.Options{Profile: p, Scenario: "validate", Target: b.client.URL(), Config: b.cfg, Rate: rate, Duration: maxUnderLoad}
	if err := lo.Normalize(); err != nil {
		return load.Options{}, usage("--under-load: %v", err)
	}
	return lo, nil
}

// loadRun is a load running beside the specs.
type loadRun struct {
	profile string
	// judge models which of the load's answers should have been accepted.
	judge  *answerJudge
	cancel context.CancelFunc
	done   chan struct{}
	rep    *load.Report
	err    error
}

// loadWarmup is how long the load runs before the pass under load starts: a target's state
// under load (a rate over the last second, a queue that fills, a cache that takes over) sets
// in over a while, and the specs of the pass should meet it from their first request.
const loadWarmup = time.Second

// startLoad starts the load lo and returns once its requests have been sent for loadWarmup
// (its sessions logged in first), so that every spec of the pass runs under it. A load that
// could not start (an account that cannot log in) is a *UsageError.
func startLoad(ctx context.Context, lo load.Options, probeMethod, probePath string) (*loadRun, error) {
	judge := newAnswerJudge(time.Now(), probeMethod, probePath)
	lo.OnAnswer = judge.add
	started := make(chan struct{})
	var once sync.Once
	lo.ProgressEvery = 50 * time.Millisecond
	lo.Progress = func(p load.Progress) {
		if p.Elapsed >= loadWarmup {
			once.Do(func() { close(started) })
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &loadRun{profile: lo.Profile, judge: judge, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		l.rep, l.err = load.Run(ctx, lo)
	}()
	select {
	case <-started:
		return l, nil
	case <-l.done:
		cancel()
		if l.err == nil {
			l.err = fmt.Errorf("it ended before sending")
		}
		return nil, usage("--under-load: the load did not start: %v", l.err)
	}
}

// stop ends the load (the pass under load is done) and waits for its report.
func (l *loadRun) stop() {
	l.cancel()
	<-l.done
}

// writeText writes the stopped load's own report to w. The load ending with the specs is its
// design, not an interruption, so its report is not marked as one unless the run was.
func (l *loadRun) writeText(w io.Writer, interrupted bool) error {
	if l == nil {
		return nil
	}
	fmt.Fprintf(w, "\nLOAD alongside the specs (conform load --scenario validate on the same target; it ended with the specs, at most %s):\n", maxUnderLoad)
	if l.err != nil {
		fmt.Fprintf(w, "  the load did not run: %v\n", l.err)
		return nil
	}
	l.rep.Interrupted = interrupted
	return l.rep.WriteText(w)
}

// printUnderLoad writes the comparison of a run under load's two passes: the requirements
// that failed only under load first, with the load's achieved rate and latency.
func printUnderLoad(w io.Writer, u *UnderLoadResult, color bool) {
	if u == nil {
		return
	}
	fmt.Fprintf(w, "\n%s: the specs ran twice, without load and while conform load sent %s of %s's validate scenario\n", paint(color, bold, "UNDER LOAD"), u.Rate, u.Profile)
	if u.LoadError != "" {
		fmt.Fprintf(w, "  the load stopped: %s; the comparison below says nothing about load\n", u.LoadError)
	} else {
		l := u.Latency
		fmt.Fprintf(w, "  load: achieved %.1f/s, %d requests, %.2f%% accepted by the probe, latency p50 %s p95 %s p99 %s max %s\n",
			u.AchievedRate, u.Requests, 100*u.SuccessRatio, ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max))
		if !u.Valid {
			fmt.Fprintf(w, "  note: the load fell short of its rate (%s): the pass ran under less load than asked\n", u.InvalidReason)
		}
	}
	list := func(title string, ids []string, c string) {
		fmt.Fprintf(w, "  %s (%d)", title, len(ids))
		if len(ids) == 0 {
			fmt.Fprintln(w, ": none")
			return
		}
		fmt.Fprintln(w, ":")
		for _, id := range ids {
			fmt.Fprintf(w, "    %s %s\n", paint(color, c, "✗"), id)
		}
	}
	printLoadAnswers(w, u.LoadAnswers, color)
	list("failed only under load", u.OnlyUnderLoad, red)
	list("failed without load too", u.FailAnyway, yellow)
	list("failed only without load", u.OnlyWithoutLoad, yellow)
	b := u.Baseline
	fmt.Fprintf(w, "  without load: %d passed, %d failed, %d skipped, %d waived, %d not run\n", b.Passed, b.Failed, b.Skipped, b.Waived, b.NotRun)
}

// ms renders a latency in milliseconds as load's reports do.
func ms(v float64) string {
	return (time.Duration(v * float64(time.Millisecond))).Round(10 * time.Microsecond).String()
}
