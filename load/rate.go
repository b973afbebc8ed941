package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Rate is a requested request rate: constant (From == To) or a linear ramp from From to To
// over the run's duration. Both are in requests per second.
type Rate struct {
	From, To float64
}

// ParseRate reads "1000/s", "1000", "500/100ms", "60/m" or a ramp "100/s:5000/s".
func ParseRate(s string) (Rate, error) {
	from, to, ramp := strings.Cut(strings.TrimSpace(s), ":")
	a, err := parseOneRate(from)
	if err != nil {
		return Rate{}, err
	}
	if !ramp {
		return Rate{From: a, To: a}, nil
	}
	b, err := parseOneRate(to)
	if err != nil {
		return Rate{}, err
	}
	return Rate{From: a, To: b}, nil
}

func parseOneRate(s string) (float64, error) {
	num, per, hasPer := strings.Cut(strings.TrimSpace(s), "/")
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, fmt.Errorf("rate %q: want a positive number of requests per second, e.g. 1000/s or 100/s:5000/s", s)
	}
	unit := time.Second
	if hasPer {
		switch per {
		case "s", "":
		case "m", "min":
			unit = time.Minute
		case "ms":
			unit = time.Millisecond
		default:
			if !strings.ContainsAny(per[:1], "0123456789") {
				per = "1" + per
			}
			d, err := time.ParseDuration(per)
			if err != nil || d <= 0 {
				return 0, fmt.Errorf("rate %q: %q is not a time unit (use s, m, ms or a duration like 100ms)", s, per)
			}
			unit = d
		}
	}
	return n * float64(time.Second) / float64(unit), nil
}

// IsRamp reports whether the rate changes over the run.
func (r Rate) IsRamp() bool { return r.From != r.To }

// Mean is the average requested rate over a run.
func (r Rate) Mean() float64 { return (r.From + r.To) / 2 }

func (r Rate) String() string {
	if r.IsRamp() {
		return fmt.Sprintf("%s/s:%s/s", fmtRate(r.From), fmtRate(r.To))
	}
	return fmtRate(r.From) + "/s"
}

func fmtRate(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// schedule is the vegeta.Pacer of one run. It wraps vegeta's ConstantPacer or LinearPacer and
// adds what they lack: the time each hit was due (Due), from which latency is measured, and a
// stop once every hit due within the duration has been sent.
type schedule struct {
	pacer    vegeta.Pacer
	duration time.Duration
	due      func(n uint64) time.Duration
}

var _ vegeta.Pacer = schedule{}

// newSchedule builds the pacer of r over d. Hit n (from 0) is due at due(n) after the start:
// for ConstantPacer exactly where vegeta sends it, (n+1) intervals; for LinearPacer where the
// ramp's hit count reaches n+1, which is what vegeta's LinearPacer aims at.
func newSchedule(r Rate, d time.Duration) schedule {
	if !r.IsRamp() {
		// Per/Freq in integer nanoseconds, as ConstantPacer computes its interval; a fractional
		// rate keeps its precision by counting hits per a longer period.
		per, freq := time.Second, r.From
		for freq != math.Trunc(freq) && per < time.Hour {
			per *= 10
			freq *= 10
		}
		p := vegeta.ConstantPacer{Freq: int(math.Round(freq)), Per: per}
		interval := uint64(p.Per.Nanoseconds() / int64(p.Freq))
		return schedule{pacer: p, duration: d, due: func(n uint64) time.Duration {
			return time.Duration((n + 1) * interval)
		}}
	}
	secs := d.Seconds()
	slope := (r.To - r.From) / secs
	start := vegeta.ConstantPacer{Freq: int(math.Max(1, math.Round(r.From))), Per: time.Second}
	p := vegeta.LinearPacer{StartAt: start, Slope: slope}
	b := float64(start.Freq)
	return schedule{pacer: p, duration: d, due: func(n uint64) time.Duration {
		// Solve slope/2 t^2 + b t = n+1 for t.
		h := float64(n + 1)
		var t float64
		if slope == 0 {
			t = h / b
		} else {
			disc := b*b + 2*slope*h
			if disc < 0 {
				return math.MaxInt64 // a falling ramp that never reaches n+1 hits
			}
			t = (-b + math.Sqrt(disc)) / slope
		}
		return time.Duration(t * float64(time.Second))
	}}
}

// Pace implements vegeta.Pacer: the wrapped pacer's wait, and stop once the next hit would be
// due after the duration. A hit due within paceSlack goes out at once: vegeta sleeps before
// every hit, and at thousands per second a timer, a park and a wake-up per hit were a visible
// part of the generator's CPU (profiled); a sleep that short is not kept more precisely by the
// runtime anyway.
func (s schedule) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	if s.due(hits) > s.duration {
		return 0, true
	}
	wait, stop := s.pacer.Pace(elapsed, hits)
	if wait < paceSlack {
		wait = 0
	}
	return wait, stop
}

// paceSlack is how early a hit may go out. Its latency is then measured from when it went
// out, not from its due time (see attack), so nothing is credited for sending early; the rate
// over any interval longer than paceSlack is the requested one.
const paceSlack = 250 * time.Microsecond

// Rate implements vegeta.Pacer.
func (s schedule) Rate(elapsed time.Duration) float64 { return s.pacer.Rate(elapsed) }

// expected is the number of hits due within the first d of the run.
func (s schedule) expected(d time.Duration) uint64 {
	// due is increasing: binary search for the first n due after d.
	lo, hi := uint64(0), uint64(1)
	for s.due(hi-1) <= d {
		lo = hi
		hi *= 2
		if hi > 1<<40 {
			return hi
		}
	}
	for lo < hi {
		mid := lo + (hi-lo)/2
		if s.due(mid) <= d {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
