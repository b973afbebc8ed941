package suites

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync"
	"time"

	"github.com/conformhq/conform/load"
)

// UnderLoad runs conform load's validate scenario against the target while the specs run
// (`conform run --under-load RATE`): a target whose cache, per-IP table or session store
// slips under load then fails the specs it breaks, and the load's own report (rate, latency,
// successes) is printed beside the summary.
type UnderLoad struct {
	// Rate is the load's rate, as `conform load --rate` takes it (e.g. 200/s); empty: no load.
	Rate string
	// Profile is the profile whose probe the load sends; default the run's first profile.
	Profile string
}

// maxUnderLoad bounds the load of one run: it ends with the specs, and at the latest then.
const maxUnderLoad = 10 * time.Minute

// loadRun is a load running beside the specs.
type loadRun struct {
	cancel context.CancelFunc
	done   chan struct{}
	rep    *load.Report
	err    error
}

// startLoad starts the load of o.UnderLoad against the bound target and returns once its
// requests are being sent (its sessions logged in), so that every spec runs under it; nil
// when the run has none. A rate or profile that cannot be loaded, or a load that could not
// start (an account that cannot log in), is a *UsageError.
func startLoad(ctx context.Context, b *binding, o Options) (*loadRun, error) {
	if o.UnderLoad.Rate == "" {
		return nil, nil
	}
	rate, err := load.ParseRate(o.UnderLoad.Rate)
	if err != nil {
		return nil, usage("--under-load %q: %v (example: 200/s)", o.UnderLoad.Rate, err)
	}
	p := o.UnderLoad.Profile
	if p == "" {
		p = b.profiles[0]
	}
	if !slices.Contains(b.profiles, p) {
		return nil, usage("--under-load-profile %s is not one of the run's profiles (%v)", p, b.profiles)
	}
	lo := load.Options{Profile: p, Scenario: "validate", Target: b.client.URL(), Config: b.cfg, Rate: rate, Duration: maxUnderLoad}
	if err := lo.Normalize(); err != nil {
		return nil, usage("--under-load: %v", err)
	}
	started := make(chan struct{})
	var once sync.Once
	lo.ProgressEvery = 50 * time.Millisecond
	lo.Progress = func(load.Progress) { once.Do(func() { close(started) }) }
	ctx, cancel := context.WithCancel(ctx)
	l := &loadRun{cancel: cancel, done: make(chan struct{})}
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

// finish stops the load (the specs are done) and writes its report to w. The load ending
// with the specs is its design, not an interruption, so its report is not marked as one.
func (l *loadRun) finish(w io.Writer, interrupted bool) error {
	if l == nil {
		return nil
	}
	l.cancel()
	<-l.done
	fmt.Fprintf(w, "\nLOAD alongside the specs (conform load --scenario validate on the same target; it ended with the specs, at most %s):\n", maxUnderLoad)
	if l.err != nil {
		fmt.Fprintf(w, "  the load did not run: %v\n", l.err)
		return nil
	}
	l.rep.Interrupted = interrupted
	return l.rep.WriteText(w)
}
