package suites

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/specs/cite"
)

// passOf is a pass whose listed requirements failed (one spec each) and the others passed.
func passOf(failed ...string) *Result {
	r := &Result{}
	for _, id := range []string{"p.a", "p.b", "p.c", "p.d"} {
		s := SpecResult{Requirement: cite.Requirement{ID: id}, State: Passed}
		if slices.Contains(failed, id) {
			s.State = Failed
		}
		r.Specs = append(r.Specs, s)
		r.Totals.add(s.State)
	}
	r.judge()
	return r
}

func TestCompareUnderLoadSortsFailuresByPass(t *testing.T) {
	l := &loadRun{profile: "p", rep: &load.Report{AchievedRate: 99.5, Requests: 400, Ratio: 1, Valid: true, Latency: load.Latency{P99: 3}}}
	base, res := passOf("p.a", "p.b"), passOf("p.b", "p.c")
	compareUnderLoad(base, res, l, UnderLoad{Rate: "100/s"})
	u := res.UnderLoad
	if !slices.Equal(u.OnlyUnderLoad, []string{"p.c"}) || !slices.Equal(u.FailAnyway, []string{"p.b"}) || !slices.Equal(u.OnlyWithoutLoad, []string{"p.a"}) {
		t.Errorf("only under load %v, anyway %v, only without %v; want [p.c], [p.b], [p.a]", u.OnlyUnderLoad, u.FailAnyway, u.OnlyWithoutLoad)
	}
	if u.Baseline.Failed != 2 || u.AchievedRate != 99.5 || u.Profile != "p" || res.Verdict != VerdictFail {
		t.Errorf("baseline %+v, rate %v, profile %q, verdict %s", u.Baseline, u.AchievedRate, u.Profile, res.Verdict)
	}
	var out bytes.Buffer
	printUnderLoad(&out, u, false)
	for _, want := range []string{"failed only under load (1):\n    ✗ p.c", "failed without load too (1)", "failed only without load (1)", "achieved 99.5/s", "p99 3ms"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary has no %q:\n%s", want, out.String())
		}
	}

	// A requirement that failed only without load fails the run, though the pass under
	// load (whose specs the report shows) passed; a load that stopped is said.
	res = passOf()
	compareUnderLoad(passOf("p.d"), res, &loadRun{profile: "p", err: errors.New("target gone")}, UnderLoad{Rate: "100/s"})
	if res.Verdict != VerdictFail || res.UnderLoad.LoadError != "target gone" {
		t.Errorf("verdict %s, load error %q; want FAIL, the load's error", res.Verdict, res.UnderLoad.LoadError)
	}
	res = passOf()
	compareUnderLoad(passOf(), res, l, UnderLoad{Rate: "100/s"})
	if res.Verdict != VerdictPass || res.UnderLoad.OnlyUnderLoad == nil {
		t.Errorf("verdict %s, only under load %v; want PASS and an empty list (JSON [])", res.Verdict, res.UnderLoad.OnlyUnderLoad)
	}
}
