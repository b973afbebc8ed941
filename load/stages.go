package load

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/conformhq/conform/config"
)

// Stage is one part of a load shape, as in k6's ramping-arrival-rate: over Duration the rate
// moves linearly from where the previous stage ended (0 before the first) to Target. A stage
// whose target equals where it starts is a hold; a 0s stage jumps to its target.
//
// --stages 30s:2000/s,2m:2000/s,30s:0/s ramps up to 2000/s in 30 s, holds it 2 minutes and
// ramps down; so does 30s:2000/s,2m:hold,30s:0/s ("hold" keeps the rate the stage before
// ended at); --stages 0s:100/s,1m:100/s starts at 100/s at once and holds it.
//
// The thresholds are judged on the hold stages: a threshold says what the target does under a
// given load, and a ramp is a load that changes under it. A shape without a hold (under k6's
// reading, 30s:100/s,2m:2000/s,30s:0/s ramps for its whole 3 minutes) is judged on the whole
// run, as k6 judges its thresholds; the report says which window was judged (Report.Judged).
type Stage struct {
	Duration time.Duration
	Target   float64 // requests per second at the stage's end
}

// stageYAML is a stage of a --stages file: a YAML list of {duration: 30s, target: 2000/s}.
type stageYAML struct {
	Duration string `yaml:"duration"`
	Target   string `yaml:"target"`
}

// ParseStages reads "DURATION:RATE,..." (RATE as --rate takes it, or 0), or, when s names an
// existing .yaml or .yml file, the YAML list in it.
func ParseStages(s string) ([]Stage, error) {
	if strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") {
		data, err := os.ReadFile(s)
		if err != nil {
			return nil, fmt.Errorf("stages file: %w", err)
		}
		var list []stageYAML
		if err := config.DecodeFile(s, data, &list); err != nil {
			var fe *config.FieldError
			if errors.As(err, &fe) {
				fe.Msg += " (want a list of {duration: 30s, target: 2000/s})"
			}
			return nil, err
		}
		lines := config.ItemLines(data, "")
		var out []Stage
		for i, y := range list {
			st, err := parseStage(y.Duration, y.Target)
			if err != nil {
				return nil, &config.FieldError{File: s, Line: config.LineAt(lines, i), Field: fmt.Sprintf("[%d]", i), Msg: err.Error()}
			}
			out = append(out, st)
		}
		st, err := checkStages(resolveHolds(out))
		if err != nil {
			return nil, &config.FieldError{File: s, Msg: err.Error()} // the shape as a whole
		}
		return st, nil
	}
	var out []Stage
	for i, part := range strings.Split(s, ",") {
		d, r, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("stage %d %q: want DURATION:RATE, e.g. 30s:2000/s", i+1, part)
		}
		st, err := parseStage(d, r)
		if err != nil {
			return nil, fmt.Errorf("stage %d %q: %w", i+1, part, err)
		}
		out = append(out, st)
	}
	return checkStages(resolveHolds(out))
}

// holdTarget marks a stage written DURATION:hold until resolveHolds gives it the rate the
// stage before it ended at.
const holdTarget = -1

func resolveHolds(st []Stage) ([]Stage, error) {
	for i := range st {
		if st[i].Target != holdTarget {
			continue
		}
		if i == 0 || st[i-1].Target <= 0 {
			return nil, fmt.Errorf("stage %d: hold keeps the rate the stage before ended at, and there is none: give a rate, e.g. 30s:2000/s,2m:hold", i+1)
		}
		st[i].Target = st[i-1].Target
	}
	return st, nil
}

func parseStage(d, r string) (Stage, error) {
	du, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil || du < 0 {
		return Stage{}, fmt.Errorf("duration %q: want e.g. 30s or 2m", d)
	}
	r = strings.TrimSpace(r)
	if r == "hold" {
		return Stage{Duration: du, Target: holdTarget}, nil
	}
	if num, _, _ := strings.Cut(r, "/"); num == "0" {
		return Stage{Duration: du}, nil
	}
	rate, err := parseOneRate(r)
	if err != nil {
		return Stage{}, err
	}
	return Stage{Duration: du, Target: rate}, nil
}

func checkStages(st []Stage, err error) ([]Stage, error) {
	if err != nil {
		return nil, err
	}
	var total time.Duration
	var peak float64
	for _, s := range st {
		total += s.Duration
		peak = max(peak, s.Target)
	}
	switch {
	case len(st) == 0:
		return nil, fmt.Errorf("no stages")
	case total <= 0 || total > MaxDuration:
		return nil, fmt.Errorf("the stages last %s: want more than 0 and at most %s", total, MaxDuration)
	case peak <= 0:
		return nil, fmt.Errorf("every stage's rate is 0: nothing would be sent")
	}
	return st, nil
}

// StagesString writes stages as --stages takes them.
func StagesString(st []Stage) string {
	var parts []string
	for _, s := range st {
		parts = append(parts, s.Duration.String()+":"+fmtRate(s.Target)+"/s")
	}
	return strings.Join(parts, ",")
}

// shape is a piecewise-linear rate over time: the stages with their start times and the hits
// due before each, so that the time hit n is due solves a quadratic in one stage.
type shape struct {
	start []time.Duration // start of stage i
	from  []float64       // rate at its start
	st    []Stage
	hits  []float64 // hits due before stage i
	total time.Duration
}

func newShape(stages []Stage, share func(float64) float64) *shape {
	sh := &shape{}
	var t time.Duration
	var rate, hits float64
	for _, s := range stages {
		s.Target = share(s.Target)
		sh.start = append(sh.start, t)
		sh.from = append(sh.from, rate)
		sh.hits = append(sh.hits, hits)
		sh.st = append(sh.st, s)
		hits += (rate + s.Target) / 2 * s.Duration.Seconds()
		t += s.Duration
		rate = s.Target
	}
	sh.total = t
	return sh
}

// hold reports whether stage i holds its rate (and sends).
func (sh *shape) hold(i int) bool {
	return sh.from[i] == sh.st[i].Target && sh.from[i] > 0 && sh.st[i].Duration > 0
}

// stageAt is the stage that time t (from the start) falls in.
func (sh *shape) stageAt(t time.Duration) int {
	i := len(sh.st) - 1
	for i > 0 && t < sh.start[i] {
		i--
	}
	return i
}

// rate is the requested rate at t.
func (sh *shape) rate(t time.Duration) float64 {
	i := sh.stageAt(t)
	s := sh.st[i]
	if s.Duration == 0 {
		return s.Target
	}
	f := min(max((t-sh.start[i]).Seconds()/s.Duration.Seconds(), 0), 1)
	return sh.from[i] + f*(s.Target-sh.from[i])
}

// due is when hit n (from 0) is due: where the hits due so far reach n+1.
func (sh *shape) due(n uint64) time.Duration {
	h := float64(n + 1)
	for i := range sh.st {
		s := sh.st[i]
		a := sh.from[i]
		secs := s.Duration.Seconds()
		end := sh.hits[i] + (a+s.Target)/2*secs
		if h > end+1e-9 || secs == 0 {
			continue
		}
		need := h - sh.hits[i]
		slope := (s.Target - a) / secs
		var t float64
		if math.Abs(slope) < 1e-12 {
			t = need / a
		} else {
			disc := a*a + 2*slope*need
			t = (-a + math.Sqrt(max(disc, 0))) / slope
		}
		return sh.start[i] + time.Duration(min(max(t, 0), secs)*float64(time.Second))
	}
	return math.MaxInt64
}

// pacer is the vegeta.Pacer of the shape: hit n goes out at due(n).
type shapePacer struct{ sh *shape }

func (p shapePacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	d := p.sh.due(hits)
	if d == math.MaxInt64 {
		return 0, true
	}
	return max(d-elapsed, 0), false
}

func (p shapePacer) Rate(elapsed time.Duration) float64 { return p.sh.rate(elapsed) }

// stagedSchedule is the schedule of a staged run.
func stagedSchedule(sh *shape) schedule {
	return schedule{pacer: shapePacer{sh}, duration: sh.total, due: sh.due}
}
