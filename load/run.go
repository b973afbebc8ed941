package load

import (
	"context"
	"fmt"
	"io"
	"math"
	"text/tabwriter"
	"time"
)

// Run prepares the scenario (starting the embedded reference when there is no target), sends
// the load and returns the report with its thresholds checked. Cancelling ctx stops the load
// and keeps the results gathered so far (Report.Interrupted). An unreachable target is a
// *target.UnreachableError; a bad option an *OptionError. The report, the results OnResult
// receives and the error have the config's secrets masked (package redact).
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.Normalize(); err != nil {
		return nil, err
	}
	e, err := setup(ctx, o)
	if err != nil {
		return nil, err
	}
	defer e.close()
	if len(o.Stages) > 0 {
		e.shape = newShape(o.Stages, o.Segment.share)
	}
	var late time.Duration
	if !o.StartAt.IsZero() {
		late = waitUntil(ctx, o.StartAt, o.WaitEvery, o.Waiting)
		if ctx.Err() != nil {
			// Nothing was sent: an interrupted run with nothing to report.
			return nil, fmt.Errorf("interrupted while waiting for --start-at %s: %w", o.StartAt.UTC().Format(time.RFC3339), ctx.Err())
		}
	}
	var rep *Report
	if o.FindMax {
		rep, err = e.findMax(ctx)
	} else {
		share := Rate{From: o.Segment.share(o.Rate.From), To: o.Segment.share(o.Rate.To)}
		if rep, err = e.bounded(ctx, share, o.Duration, o.Segment.name(o.Name)); err == nil {
			rep.check(o.Thresholds)
			e.judgeHold(rep)
		}
	}
	if err == nil {
		e.judgeStart(rep, late)
	}
	if err != nil {
		return nil, e.redact.Error(err)
	}
	e.redact.Walk(rep)
	return rep, nil
}

// bounded is attack with a hard end: the duration, one request timeout and a grace period,
// however the target behaves.
func (e *prepared) bounded(ctx context.Context, rate Rate, du time.Duration, name string) (*Report, error) {
	ctx, cancel := context.WithTimeout(ctx, du+e.o.Timeout+5*time.Second)
	defer cancel()
	return e.attack(ctx, rate, du, name)
}

// FindMax is the outcome of a --find-max search.
type FindMax struct {
	// Knee is the highest rate (requests/s) whose step held; 0 when none did.
	Knee float64 `json:"knee_rate"`
	// Interrupted is set when Ctrl-C ended the search early: the knee is the highest rate
	// that held so far, and the search may have gone higher.
	Interrupted bool `json:"interrupted,omitempty"`
	// Criteria says what a step had to show to hold.
	Criteria string  `json:"criteria"`
	Steps    []*Step `json:"steps"`
}

// Step is one constant-rate attack of a find-max search.
type Step struct {
	Rate     float64 `json:"rate"`
	Achieved float64 `json:"achieved_rate"`
	Ratio    float64 `json:"success_ratio"`
	P99      float64 `json:"p99_ms"`
	Held     bool    `json:"held"`
	Why      string  `json:"why,omitempty"` // why it did not hold
	Report   *Report `json:"report"`
}

// findMax doubles the rate from Rate until a step does not hold, then bisects between the
// last step that held and the first that did not until they are within 10%, in at most
// maxFindMaxSteps steps of Duration each.
func (e *prepared) findMax(ctx context.Context) (*Report, error) {
	return e.search(ctx, func(ctx context.Context, rate float64) (*Report, error) {
		return e.bounded(ctx, Rate{From: rate, To: rate}, e.o.Duration, fmt.Sprintf("%s@%g", e.o.Name, rate))
	})
}

// search is findMax with its steps sent by step: the search alone, which its tests drive with
// made-up steps.
func (e *prepared) search(ctx context.Context, step func(context.Context, float64) (*Report, error)) (*Report, error) {
	o := e.o
	minSuccess := o.Thresholds.MinSuccess
	if minSuccess == 0 {
		minSuccess = 0.99
	}
	crit := fmt.Sprintf("achieved rate >= %.0f%% of requested, success >= %g", 100*minValidRatio, minSuccess)
	if o.Thresholds.MaxP99 > 0 {
		crit += ", p99 <= " + o.Thresholds.MaxP99.String()
	}
	fm := &FindMax{Criteria: crit}
	rate := o.Rate.From
	var held, broke float64
	for len(fm.Steps) < maxFindMaxSteps {
		if ctx.Err() != nil {
			fm.Interrupted = true
			break
		}
		rate = math.Round(rate)
		rep, err := step(ctx, rate)
		if err != nil {
			return nil, err
		}
		if rep.Interrupted {
			// The step was cut short: it is reported, but does not count as held or broken.
			fm.Interrupted = true
			fm.Steps = append(fm.Steps, &Step{Rate: rate, Achieved: rep.AchievedRate, Ratio: rep.Ratio, P99: rep.Latency.P99, Why: "interrupted", Report: rep})
			break
		}
		s := &Step{Rate: rate, Achieved: rep.AchievedRate, Ratio: rep.Ratio, P99: rep.Latency.P99, Report: rep}
		switch {
		case !rep.Valid:
			s.Why = fmt.Sprintf("achieved %.1f%% of its rate, %d sends dropped", 100*rep.AchievedRate/max(rep.RequestedRate, 1e-9), rep.Dropped)
		case rep.Ratio < minSuccess:
			s.Why = fmt.Sprintf("success %.4f < %g", rep.Ratio, minSuccess)
		case o.Thresholds.MaxP99 > 0 && fromMS(rep.Latency.P99) > o.Thresholds.MaxP99:
			s.Why = fmt.Sprintf("p99 %s > %s", fromMS(rep.Latency.P99), o.Thresholds.MaxP99)
		default:
			s.Held = true
		}
		fm.Steps = append(fm.Steps, s)
		if o.Progress != nil {
			o.Progress(Progress{Name: rep.Attack, Elapsed: fromMS(rep.Elapsed), Duration: o.Duration, Sent: rep.Requests,
				Rate: rep.AchievedRate, Success: rep.Ratio, P99: fromMS(rep.Latency.P99)})
		}
		if s.Held {
			held = max(held, rate)
		} else if broke == 0 || rate < broke {
			broke = rate
		}
		switch {
		case broke == 0:
			rate *= 2
		case held == 0:
			rate /= 4
			if rate < 1 {
				return e.findMaxReport(fm), nil
			}
		case broke <= held*1.1 || broke-held < 2:
			fm.Knee = held
			return e.findMaxReport(fm), nil
		default:
			rate = (held + broke) / 2
		}
	}
	fm.Knee = held
	return e.findMaxReport(fm), nil
}

// findMaxReport is the report of the knee's step (or of the last step when none held), with
// the search attached; an interrupted search says so (Report.Interrupted).
func (e *prepared) findMaxReport(fm *FindMax) *Report {
	if len(fm.Steps) == 0 { // interrupted before its first step ended
		r := &Report{Profile: e.o.Profile, Scenario: e.o.Scenario, Target: e.url, Attack: e.o.Name, Success: e.what,
			Codes: map[string]uint64{}, Errors: []ErrorCount{}, Interrupted: true, FindMax: fm}
		r.check(e.o.Thresholds)
		return r
	}
	best := fm.Steps[len(fm.Steps)-1]
	for _, s := range fm.Steps {
		if s.Held && s.Rate >= fm.Knee {
			fm.Knee, best = s.Rate, s
		}
	}
	r := *best.Report
	r.FindMax = fm
	r.Interrupted = fm.Interrupted
	r.check(e.o.Thresholds)
	return &r
}

func (fm *FindMax) writeText(w io.Writer) {
	tw, ok := w.(*tabwriter.Writer)
	if !ok {
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		defer tw.Flush()
	}
	fmt.Fprintf(tw, "  step\trate/s\tachieved/s\tsuccess\tp99\theld\n")
	for i, s := range fm.Steps {
		held := "yes"
		if !s.Held {
			held = "no: " + s.Why
		}
		fmt.Fprintf(tw, "  %d\t%g\t%.1f\t%.2f%%\t%s\t%s\n", i+1, s.Rate, s.Achieved, 100*s.Ratio, fmtMS(s.P99), held)
	}
	switch {
	case fm.Interrupted:
		fmt.Fprintf(tw, "  knee\tINTERRUPTED after %d steps: the highest rate that held so far is %g/s; the search was not finished (%s)\n", len(fm.Steps), fm.Knee, fm.Criteria)
	case fm.Knee > 0:
		fmt.Fprintf(tw, "  knee\t%g/s: the highest rate that held (%s)\n", fm.Knee, fm.Criteria)
	default:
		fmt.Fprintf(tw, "  knee\tnone: no step held (%s)\n", fm.Criteria)
	}
}
