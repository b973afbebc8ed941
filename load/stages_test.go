package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/config"
)

func TestParseStages(t *testing.T) {
	got, err := ParseStages("30s:100/s, 2m:2000/s,30s:0/s")
	want := []Stage{{30 * time.Second, 100}, {2 * time.Minute, 2000}, {30 * time.Second, 0}}
	if err != nil || len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("got %v, %v", got, err)
	}
	if s := StagesString(got); s != "30s:100/s,2m0s:2000/s,30s:0/s" {
		t.Errorf("StagesString: %s", s)
	}
	file := filepath.Join(t.TempDir(), "shape.yaml")
	os.WriteFile(file, []byte("- {duration: 1s, target: 60/m}\n- {duration: 2s, target: 1/s}\n"), 0o600)
	if got, err := ParseStages(file); err != nil || len(got) != 2 || got[0].Target != 1 {
		t.Errorf("YAML: %v, %v", got, err)
	}
	os.WriteFile(file, []byte("- {duration: 1s, rate: 1/s}\n"), 0o600)
	if _, err := ParseStages(file); err == nil || !strings.Contains(err.Error(), "rate") {
		t.Errorf("unknown YAML field: %v", err)
	}
	// hold keeps the rate the stage before ended at: the ramp-hold-ramp, written so.
	got, err = ParseStages("30s:2000/s,2m:hold,30s:0/s")
	if err != nil || len(got) != 3 || got[1] != (Stage{2 * time.Minute, 2000}) || !newShape(got, func(r float64) float64 { return r }).hold(1) {
		t.Errorf("hold: %v, %v", got, err)
	}
	os.WriteFile(file, []byte("- {duration: 1s, target: 10/s}\n- {duration: 2s, target: hold}\n"), 0o600)
	if got, err := ParseStages(file); err != nil || len(got) != 2 || got[1].Target != 10 {
		t.Errorf("YAML hold: %v, %v", got, err)
	}
	for _, bad := range []string{"", "30s", "x:100/s", "30s:fast", "-1s:10/s", "10s:0/s", "31m:10/s", "0s:10/s",
		"1m:hold", "10s:100/s,10s:0/s,1m:hold"} {
		if _, err := ParseStages(bad); err == nil {
			t.Errorf("ParseStages(%q): no error", bad)
		}
	}
}

// A shape's hits add up to the area under its rate, every hit is due within its stage, in
// order, and the hold stages are the flat ones.
func TestShape(t *testing.T) {
	st := []Stage{{0, 100}, {2 * time.Second, 100}, {2 * time.Second, 300}, {time.Second, 300}, {2 * time.Second, 0}}
	sh := newShape(st, func(r float64) float64 { return r / 2 })
	sched := stagedSchedule(sh)
	// 50*2 + (50+150)/2*2 + 150*1 + 150/2*2 = 100 + 200 + 150 + 150
	if n := sched.expected(sh.total); n != 600 {
		t.Errorf("%d hits due, want 600", n)
	}
	prev := time.Duration(0)
	for n := uint64(0); n < 600; n++ {
		d := sh.due(n)
		if d < prev || d > sh.total {
			t.Fatalf("hit %d due at %s after %s", n, d, prev)
		}
		prev = d
	}
	if sh.due(600) <= sh.total {
		t.Error("a hit due after the last")
	}
	if d := sh.due(99); d < 2*time.Second-time.Millisecond || d > 2*time.Second {
		t.Errorf("hit 100 due at %s, want 2s (50/s for 2s)", d)
	}
	for i, want := range []bool{false, true, false, true, false} {
		if sh.hold(i) != want {
			t.Errorf("stage %d hold %v", i+1, !want)
		}
	}
	if r := sh.rate(3 * time.Second); r != 100 {
		t.Errorf("rate at 3s %g, want 100 (halfway up 50 -> 150)", r)
	}
	if w, stop := (shapePacer{sh}).Pace(0, 0); stop || w != 20*time.Millisecond {
		t.Errorf("first wait %s %v", w, stop)
	}
}

// A staged run reports its stages and timeline and judges the thresholds on its hold.
func TestStagedRun(t *testing.T) {
	o := quick("jwt", "validate")
	o.Stages = []Stage{{500 * time.Millisecond, 100}, {time.Second, 100}, {500 * time.Millisecond, 0}}
	o.Thresholds.MinSuccess = 0.5
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Expected != 150 || len(rep.Stages) != 3 || !rep.Stages[1].Hold || rep.Stages[0].Hold || rep.Stages[1].Requests == 0 {
		t.Fatalf("expected %d, stages %+v", rep.Expected, rep.Stages)
	}
	if len(rep.Timeline) != 2 || rep.Timeline[0].Requested <= 0 || rep.Timeline[0].Achieved == 0 {
		t.Errorf("timeline %+v", rep.Timeline)
	}
	var onHold bool
	for _, c := range rep.Checks {
		onHold = onHold || (c.Name == "min-success" && strings.HasSuffix(c.Value, "on the hold stages"))
	}
	if !onHold {
		t.Errorf("checks %+v: min-success not judged on the hold", rep.Checks)
	}
	if j := rep.Judged; j == nil || j.What != "hold stages" || len(j.Stages) != 1 || j.Stages[0] != 2 || j.DurationMS != 1000 {
		t.Errorf("judged %+v, want hold stage 2 (1s)", rep.Judged)
	}
	var txt, plot bytes.Buffer
	if err := rep.WriteText(&txt); err != nil || !strings.Contains(txt.String(), "100 hold") || !strings.Contains(txt.String(), "over time") ||
		!strings.Contains(txt.String(), "judged on  hold stages (stage 2, 1s)") {
		t.Errorf("text: %v\n%s", err, txt.String())
	}
	if err := rep.WritePlot(&plot, "t<1>"); err != nil || strings.Count(plot.String(), "<svg") != 3 ||
		!strings.Contains(plot.String(), "requested/s") || !strings.Contains(plot.String(), "p99") || strings.Contains(plot.String(), "t<1>") {
		t.Errorf("plot: %v\n%s", err, plot.String())
	}
}

// A shape without a hold (k6's reading of the 30s:100/s,2m:2000/s,30s:0/s: it ramps
// throughout) is judged on the whole run, and the report says so and why.
func TestNoHoldJudgedOnTheWholeRun(t *testing.T) {
	st, err := ParseStages("30s:100/s,2m:2000/s,30s:0/s")
	if err != nil {
		t.Fatal(err)
	}
	e := &prepared{shape: newShape(st, func(r float64) float64 { return r })}
	stg := newStageStats(e.shape)
	e.hold = stg.holdReport()
	rep := &Report{Checks: []Check{{Name: "max-p99", Limit: "1ms", Value: "2ms"}}}
	e.judgeHold(rep)
	j := rep.Judged
	if j == nil || j.What != "whole run" || len(j.Stages) != 3 || j.DurationMS != 180000 || rep.Checks[0].Value != "2ms" {
		t.Fatalf("judged %+v, checks %+v", j, rep.Checks)
	}
	if s := j.String(); !strings.HasPrefix(s, "whole run (stages 1, 2, 3, 3m0s): no stage holds its rate") || !strings.Contains(s, "2m:hold") {
		t.Errorf("judged window reads %q", s)
	}
}

// A stages file's problem names file:line, as a config error does.
func TestParseStagesFileErrorNamesItsLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "shape.yaml")
	cases := []struct {
		yaml string
		line int
		want string
	}{
		{"- {duration: 1s, target: 1/s}\n- {duration: 1s, rate: 1/s}\n", 2, "field rate not found"},
		{"- {duration: 1s, target: 1/s}\n\n- {duration: soon, target: 1/s}\n", 3, `[1]: duration "soon"`},
		{"# a shape\nstages: []\n", 2, "want a list of {duration: 30s, target: 2000/s}"},
		{"- {duration: 1s, target: 1/s}\n\t- x\n", 2, "want a list"},
	}
	for _, c := range cases {
		if err := os.WriteFile(file, []byte(c.yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := ParseStages(file)
		var fe *config.FieldError
		if !errors.As(err, &fe) || fe.Line != c.line || !strings.Contains(err.Error(), c.want) ||
			!strings.HasPrefix(err.Error(), fmt.Sprintf("%s:%d: ", file, c.line)) {
			t.Errorf("%q: error %v; want %s:%d: ...%s", c.yaml, err, file, c.line, c.want)
		}
	}
}
