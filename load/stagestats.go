package load

import (
	"fmt"
	"strings"
	"time"
)

// StageReport is one stage of a --stages run: what it asked for and what it got.
type StageReport struct {
	Stage      int     `json:"stage"` // from 1
	DurationMS float64 `json:"duration_ms"`
	From       float64 `json:"from_rate"` // requested rate at its start and end
	To         float64 `json:"to_rate"`
	Hold       bool    `json:"hold"`
	Requests   uint64  `json:"requests"`
	Achieved   float64 `json:"achieved_rate"` // answers to sends due in the stage, per second of it
	Ratio      float64 `json:"success_ratio"`
	Latency    Latency `json:"latency"`
}

// stageStats aggregates a staged attack's results per stage and over its hold stages.
type stageStats struct {
	sh   *shape
	per  []stats
	hold stats
	has  bool // some stage holds
}

func newStageStats(sh *shape) *stageStats {
	s := &stageStats{sh: sh, per: make([]stats, len(sh.st))}
	for i := range sh.st {
		s.has = s.has || sh.hold(i)
	}
	return s
}

func (s *stageStats) add(at time.Duration, code uint16, ok bool, errText string, due time.Time, latency time.Duration) {
	i := s.sh.stageAt(at)
	s.per[i].add(code, ok, errText, due, latency)
	if s.sh.hold(i) {
		s.hold.add(code, ok, errText, due, latency)
	}
}

func (s *stageStats) reports() []*StageReport {
	out := make([]*StageReport, len(s.per))
	for i := range s.per {
		st := &s.per[i]
		r := &StageReport{Stage: i + 1, DurationMS: ms(s.sh.st[i].Duration), From: s.sh.from[i], To: s.sh.st[i].Target,
			Hold: s.sh.hold(i), Requests: st.requests, Ratio: st.successRatio(), Latency: latencyOf(&st.latency)}
		if d := s.sh.st[i].Duration; d > 0 {
			r.Achieved = float64(st.requests) / d.Seconds()
		}
		out[i] = r
	}
	return out
}

// holdReport is the report of the hold stages together, nil when no stage holds.
func (s *stageStats) holdReport() *Report {
	if !s.has {
		return nil
	}
	r := &Report{Attack: "hold stages", Valid: true}
	r.fill(&s.hold)
	var d time.Duration
	for i, st := range s.sh.st {
		if s.sh.hold(i) {
			d += st.Duration
		}
	}
	if d > 0 {
		r.AchievedRate = float64(s.hold.requests) / d.Seconds()
		r.Throughput = float64(s.hold.successes) / d.Seconds()
	}
	return r
}

// Window is the part of a run its thresholds were judged on.
type Window struct {
	// What is "hold stages" or "whole run".
	What string `json:"what"`
	// Stages are the stages judged (from 1): the hold stages, or all of them.
	Stages     []int   `json:"stages"`
	DurationMS float64 `json:"duration_ms"` // how long they last together
	// Why says why this window: the hold stages, or why there are none.
	Why string `json:"why"`
}

func (w *Window) String() string {
	var nums []string
	for _, n := range w.Stages {
		nums = append(nums, fmt.Sprint(n))
	}
	stages := "stage " + strings.Join(nums, ", ")
	if len(nums) > 1 {
		stages = "stages " + strings.Join(nums, ", ")
	}
	return fmt.Sprintf("%s (%s, %s): %s", w.What, stages, fromMS(w.DurationMS), w.Why)
}

// judgeHold judges a staged run's thresholds (max-p99, min-success, min-rps) on its hold
// stages: a ramp's latency and rate are not what a threshold is about. Without a hold stage
// they stay judged on the whole run, as k6 judges its thresholds. Either way Report.Judged
// says which window was judged.
func (e *prepared) judgeHold(rep *Report) {
	if e.shape == nil {
		return
	}
	sh := e.shape
	w := &Window{}
	for i, st := range sh.st {
		if e.hold == nil || sh.hold(i) {
			w.Stages = append(w.Stages, i+1)
			w.DurationMS += ms(st.Duration)
		}
	}
	rep.Judged = w
	if e.hold == nil {
		w.What = "whole run"
		w.Why = "no stage holds its rate (each stage ramps from where the one before ended; write a hold as 2m:hold or 2m:RATE after a stage ending at RATE)"
		return
	}
	w.What = "hold stages"
	w.Why = "the stages that hold their rate; the ramps are reported but not judged"
	h := *e.hold
	h.check(e.o.Thresholds)
	onHold := map[string]Check{}
	for _, c := range h.Checks {
		c.Value += " on the hold stages"
		onHold[c.Name] = c
	}
	for i, c := range rep.Checks {
		if hc, ok := onHold[c.Name]; ok && c.Name != "valid" {
			rep.Checks[i] = hc
		}
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("thresholds judged on the hold stages: %d requests, %.1f/s, success %.4f, p99 %s",
		h.Requests, h.AchievedRate, h.Ratio, fmtMS(h.Latency.P99)))
}
