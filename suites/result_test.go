package suites

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/env"
)

// TestCollectTurnsEachGinkgoStateIntoAnOutcome sets one fixture spec's Ginkgo state per case
// and checks the SpecResult conform makes of it, and whether the run counts as cut short.
func TestCollectTurnsEachGinkgoStateIntoAnOutcome(t *testing.T) {
	loc := types.CodeLocation{FileName: "specs/jwt/token.go", LineNumber: 21}
	cases := []struct {
		name   string
		spec   string
		strict bool
		set    func(*types.SpecReport)
		want   SpecResult // State, SkipReason, Message, Location and Waiver are compared
		cut    string     // Result.Interrupted
		// selected says the selection picked the spec (see selection), so that Ginkgo's
		// skipping it means an interrupt came first.
		selected bool
		verdict  Verdict
	}{
		{name: "passed", spec: "passes",
			set:  func(sr *types.SpecReport) { sr.State = types.SpecStatePassed },
			want: SpecResult{State: Passed}, verdict: VerdictPass},
		{name: "failed", spec: "fails",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure = types.SpecStateFailed, types.Failure{Message: "expected a token\ngot none", Location: loc}
			},
			want: SpecResult{State: Failed, Message: "expected a token\ngot none", Location: loc.String()}, verdict: VerdictFail},
		{name: "panicked", spec: "fails",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure = types.SpecStatePanicked, types.Failure{Message: "Test Panicked", Location: loc}
			},
			want: SpecResult{State: Failed, Message: "Test Panicked", Location: loc.String()}, verdict: VerdictFail},
		{name: "timed out", spec: "fails",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure = types.SpecStateTimedout, types.Failure{Message: "A spec timeout occurred", Location: loc}
			},
			want: SpecResult{State: Failed, Message: "A spec timeout occurred", Location: loc.String()}, verdict: VerdictFail},
		{name: "skipped by itself, with its reason", spec: "skips itself",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure.Message = types.SpecStateSkipped, "ttl 24h exceeds --max-wait 10s: add ttl.clock_hook"
			},
			want: SpecResult{State: Skipped, SkipReason: "ttl 24h exceeds --max-wait 10s: add ttl.clock_hook"}, verdict: VerdictNothingChecked},
		{name: "skipped: the config proved wrong", spec: "skips itself",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure.Message = types.SpecStateSkipped, "jwt.jwt.secret does not verify on the target"
				sr.ReportEntries = types.ReportEntries{{Name: env.ConfigWrongEntry, Value: types.WrapEntryValue("jwt.jwt.secret does not verify on the target")}}
			},
			want: SpecResult{State: Skipped, SkipReason: "jwt.jwt.secret does not verify on the target"}, verdict: VerdictConfigError},
		{name: "skipped: the run was interrupted before it", spec: "passes",
			set:  func(sr *types.SpecReport) { sr.State, sr.Failure.Message = types.SpecStateSkipped, skipInterrupted },
			want: SpecResult{State: NotRun, SkipReason: "interrupted"}, verdict: VerdictNothingChecked},
		{name: "selected, yet not run: an interrupt came between two specs", spec: "passes", selected: true,
			set:  func(sr *types.SpecReport) { sr.State = types.SpecStateSkipped },
			want: SpecResult{State: NotRun, SkipReason: "interrupted"}, verdict: VerdictNothingChecked},
		{name: "filtered out", spec: "is filtered out",
			set:  func(sr *types.SpecReport) { sr.State = types.SpecStateSkipped },
			want: SpecResult{State: NotRun, SkipReason: "filtered out by --label-filter or --focus"}, verdict: VerdictNothingChecked},
		{name: "pending", spec: "is filtered out",
			set:  func(sr *types.SpecReport) { sr.State = types.SpecStatePending },
			want: SpecResult{State: NotRun, SkipReason: "filtered out by --label-filter or --focus"}, verdict: VerdictNothingChecked},
		{name: "should-level without --strict", spec: "is should-level",
			set:  func(sr *types.SpecReport) { sr.State = types.SpecStateSkipped },
			want: SpecResult{State: NotRun, SkipReason: "should-level: runs with --strict"}, verdict: VerdictNothingChecked},
		{name: "should-level filtered out with --strict", spec: "is should-level", strict: true,
			set:  func(sr *types.SpecReport) { sr.State = types.SpecStateSkipped },
			want: SpecResult{State: NotRun, SkipReason: "filtered out by --label-filter or --focus"}, verdict: VerdictNothingChecked},
		{name: "interrupted by Ctrl-C", spec: "fails",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure.Message = types.SpecStateInterrupted, "Interrupted by User"
			},
			want: SpecResult{State: NotRun, SkipReason: "interrupted"}, cut: interruptedByUser, verdict: VerdictInterrupted},
		{name: "aborted: the target stopped answering", spec: "fails",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure = types.SpecStateAborted, types.Failure{Message: "target stopped answering", Location: loc}
			},
			want: SpecResult{State: Failed, Message: "target stopped answering", Location: loc.String()}, cut: "target stopped answering", verdict: VerdictCutShort},
		{name: "failed under a waiver", spec: "fails under a waiver",
			set: func(sr *types.SpecReport) {
				sr.State, sr.Failure = types.SpecStateFailed, types.Failure{Message: "expected 200\ngot 500", Location: loc}
			},
			want: SpecResult{State: Waived, Message: "expected 200\ngot 500", Location: loc.String(), Waiver: "PLAT-1"}, verdict: VerdictPass},
	}
	w := waiverFileOf(t, "waivers:\n  - {id: jwt.t.waived, reason: PLAT-1}\n")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			book, report := fixture(t)
			sr := spec(t, report, c.spec)
			c.set(sr)
			report.SpecReports = types.SpecReports{*sr}
			var sel *selection
			if c.selected {
				sel = &selection{specs: map[string]bool{specKey(idOf(t, c.spec), c.spec): true}}
			}
			res := collect(book, report, &binding{profiles: []string{"jwt"}}, Options{Strict: c.strict}, w, sel)
			if len(res.Specs) != 1 {
				t.Fatalf("%d results, want 1", len(res.Specs))
			}
			got := res.Specs[0]
			if got.Text != c.spec || got.ID != idOf(t, c.spec) {
				t.Errorf("result for %q (%s), want %q", got.Text, got.ID, c.spec)
			}
			g := SpecResult{State: got.State, SkipReason: got.SkipReason, Message: got.Message, Location: got.Location, Waiver: got.Waiver}
			if !reflect.DeepEqual(g, c.want) {
				t.Errorf("got  %+v\nwant %+v", g, c.want)
			}
			if res.Interrupted != c.cut {
				t.Errorf("Interrupted %q, want %q", res.Interrupted, c.cut)
			}
			var want Totals
			want.add(c.want.State)
			if res.Totals != want {
				t.Errorf("totals %+v, want %+v", res.Totals, want)
			}
			if res.Verdict != c.verdict || res.Failed() != (c.verdict != VerdictPass) {
				t.Errorf("verdict %s, Failed() %v; want %s", res.Verdict, res.Failed(), c.verdict)
			}
			if wantProblem := c.verdict == VerdictConfigError; wantProblem != (len(res.ConfigProblems) == 1) ||
				wantProblem && res.ConfigProblems[0] != idOf(t, c.spec)+": "+c.want.SkipReason {
				t.Errorf("config problems %q", res.ConfigProblems)
			}
		})
	}
}

// idOf is the requirement id of the fixture spec with the given text.
func idOf(t *testing.T, text string) string {
	t.Helper()
	for _, s := range fixtureSpecs {
		if s.text == text {
			return s.req.ID
		}
	}
	t.Fatalf("no fixture spec %q", text)
	return ""
}

// TestCollectWholeRun collects a whole run: profiles not selected and nodes that are not specs
// are dropped, totals add up, exchanges become curl lines, and waivers are applied, reported
// stale when their requirement passed, and unknown when they name no requirement.
func TestCollectWholeRun(t *testing.T) {
	book, report := fixture(t)
	states := map[string]types.SpecState{
		"passes":                            types.SpecStatePassed,
		"fails":                             types.SpecStateFailed,
		"skips itself":                      types.SpecStateSkipped,
		"is filtered out":                   types.SpecStateSkipped,
		"is should-level":                   types.SpecStateSkipped,
		"fails under a waiver":              types.SpecStateFailed,
		"passes under a waiver":             types.SpecStatePassed,
		"belongs to a profile not selected": types.SpecStateFailed,
	}
	for text, st := range states {
		spec(t, report, text).State = st
	}
	spec(t, report, "skips itself").Failure.Message = "no clock hook"
	ex := &client.Exchange{Method: http.MethodGet, URL: "http://127.0.0.1:8080/users/me?token=abc", Status: 401}
	fails := spec(t, report, "fails")
	fails.ReportEntries = types.ReportEntries{{Name: exchangesEntry, Value: types.WrapEntryValue([]*client.Exchange{ex})}}
	// A suite-level node, and a spec whose requirement the Book does not know: neither is a result.
	report.SpecReports = append(report.SpecReports,
		types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStateFailed},
		types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeText: "unknown", LeafNodeLabels: []string{"jwt", "req:jwt.t.unknown"}, State: types.SpecStateFailed})

	w := waiverFileOf(t, `waivers:
  - {id: jwt.t.waived, reason: PLAT-1}
  - {id: jwt.t.stale, reason: fixed since}
  - {id: jwt.t.nope, reason: a typo}
  - {id: lptracker.t.other, reason: another profile}
`)
	res := collect(book, report, &binding{profiles: []string{"jwt"}}, Options{}, w, nil)

	var texts []string
	for _, s := range res.Specs {
		texts = append(texts, s.Text)
	}
	if slices.Contains(texts, "belongs to a profile not selected") || slices.Contains(texts, "unknown") || len(texts) != 7 {
		t.Errorf("results for %q: want the 7 jwt specs only", texts)
	}
	if want := (Totals{Passed: 2, Failed: 1, Skipped: 1, Waived: 1, NotRun: 2}); res.Totals != want {
		t.Errorf("totals %+v, want %+v", res.Totals, want)
	}
	if !reflect.DeepEqual(res.Profiles, []string{"jwt"}) || !res.Failed() || res.Interrupted != "" {
		t.Errorf("profiles %v, failed %v, interrupted %q", res.Profiles, res.Failed(), res.Interrupted)
	}
	for _, s := range res.Specs {
		if s.Text == "fails" && (len(s.Exchanges) != 1 || len(s.Curl) != 1 || !strings.Contains(s.Curl[0], "token=abc")) {
			t.Errorf("failure's exchanges %v, curl %q", s.Exchanges, s.Curl)
		}
	}
	if len(res.StaleWaivers) != 1 || res.StaleWaivers[0] != (Waiver{ID: "jwt.t.stale", Reason: "fixed since"}) {
		t.Errorf("stale waivers %+v, want jwt.t.stale only", res.StaleWaivers)
	}
	// lptracker.t.other names a requirement, of a profile this run did not select: not unknown.
	if !reflect.DeepEqual(res.UnknownWaivers, []string{"jwt.t.nope"}) {
		t.Errorf("unknown waivers %v, want [jwt.t.nope]", res.UnknownWaivers)
	}
}

func TestCollectSeesAnInterruptedSuite(t *testing.T) {
	book, report := fixture(t)
	report.SpecialSuiteFailureReasons = []string{"Interrupted by User"}
	res := collect(book, report, &binding{profiles: []string{"jwt"}}, Options{}, &waiverSet{}, nil)
	if !res.InterruptedByUser || res.Verdict != VerdictInterrupted || !res.Failed() {
		t.Errorf("interrupted %q by the user %v, verdict %s", res.Interrupted, res.InterruptedByUser, res.Verdict)
	}
}

// TestAFailureBesideAConfigProblemIsAFail: the verdict rule puts a failed spec before a config
// problem: a spec that failed on evidence of its own fails the run (exit 1), with the config
// problem listed beside it; a config problem alone is a CONFIG ERROR.
func TestAFailureBesideAConfigProblemIsAFail(t *testing.T) {
	problem := []string{"jwt.security.expired-refused: jwt.jwt.secret does not verify on the target"}
	for _, c := range []struct {
		name string
		r    Result
		want Verdict
	}{
		{"a failure and a config problem", Result{Totals: Totals{Failed: 1, Skipped: 1}, ConfigProblems: problem}, VerdictFail},
		{"a config problem, the rest passed", Result{Totals: Totals{Passed: 3, Skipped: 1}, ConfigProblems: problem}, VerdictConfigError},
		{"a failure that only happened without load", Result{Totals: Totals{Passed: 3}, ConfigProblems: problem, UnderLoad: &UnderLoadResult{OnlyWithoutLoad: []string{"jwt.token.header"}}}, VerdictFail},
	} {
		if got := c.r.verdict(); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
