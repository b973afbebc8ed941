package e2e_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestRunUnderLoad runs the jwt specs on the embedded reference with conform load's validate
// scenario beside them: the specs pass in both passes, the comparison finds nothing, and both
// reports are printed, the load's after the verdict.
func TestRunUnderLoad(t *testing.T) {
	r := conform(t, "run", "--profile", "jwt", "--label-filter", "req:jwt.token.header", "--under-load", "50/s")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	specs, loadRep, ok := strings.Cut(r.stdout, "LOAD alongside the specs")
	if !ok || !strings.Contains(specs, "PASS in ") {
		t.Fatalf("want the spec summary, then the load report:\n%s", r.stdout)
	}
	for _, want := range []string{"Pass 1 of 2, without load", "Pass 2 of 2, under load", "UNDER LOAD", "failed only under load (0): none"} {
		if !strings.Contains(specs, want) {
			t.Errorf("summary has no %q:\n%s", want, specs)
		}
	}
	for _, want := range []string{"jwt validate against", "achieved", "latency", "verdict    PASS"} {
		if !strings.Contains(loadRep, want) {
			t.Errorf("load report has no %q:\n%s", want, loadRep)
		}
	}
	if r := conform(t, "run", "--profile", "jwt", "--under-load", "fast"); r.code != 2 || !strings.Contains(r.stderr+r.stdout, "--under-load \"fast\"") {
		t.Errorf("a bad rate: exit %d, want 2 naming --under-load\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestOnlyUnderLoad runs doc 003's logout specs without load and then under load against the
// reference and against its busy-cache break, whose probe, above 200 probes a second, answers
// from a cache that never hears of a logout: the break is reported as failing only under load,
// exactly the requirement that a logged-out token stops working, and the clean reference as
// nothing. The load (400/s) is twice the break's busy rate, so a loaded machine that sends
// less still keeps the break busy.
func TestOnlyUnderLoad(t *testing.T) {
	for brk, want := range map[string][]string{"": {}, "lptracker.busy-cache": {"lptracker.logout.deletes-token"}} {
		name := brk
		if name == "" {
			name = "reference"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var breaks []string
			if brk != "" {
				breaks = []string{brk}
			}
			url := startReference(t, breaks...)
			r := conform(t, "run", "--target", url, "--config", "fixtures/reference.yaml", "--profile", "lptracker", "--label-filter", "logout", "--under-load", "400/s")
			if r.report == nil || r.report.UnderLoad == nil {
				t.Fatalf("no under_load in the report; exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			u := r.report.UnderLoad
			if !slices.Equal(u.OnlyUnderLoad, want) || len(u.FailAnyway) != 0 || len(u.OnlyWithoutLoad) != 0 {
				t.Errorf("only under load %v, anyway %v, only without %v; want %v, none, none\n%s", u.OnlyUnderLoad, u.FailAnyway, u.OnlyWithoutLoad, want, r.stdout)
			}
			if u.Baseline.Failed != 0 || u.Baseline.Passed == 0 || u.Requests == 0 || u.AchievedRate <= 0 || u.Latency.P99 <= 0 {
				t.Errorf("baseline %+v, load %d requests at %.1f/s, p99 %.2fms: want a passing baseline and the load's numbers", u.Baseline, u.Requests, u.AchievedRate, u.Latency.P99)
			}
			wantCode := map[bool]int{true: 0, false: 1}[len(want) == 0]
			if r.code != wantCode {
				t.Errorf("exit %d, want %d\n%s", r.code, wantCode, r.stdout)
			}
			line := "failed only under load (" + map[bool]string{true: "0): none", false: "1):"}[len(want) == 0]
			if !strings.Contains(r.stdout, line) || !strings.Contains(r.stdout, "achieved ") {
				t.Errorf("the summary does not say %q with the load's rate:\n%s", line, r.stdout)
			}
			checkReportSchema(t, r)
		})
	}
}

// checkReportSchema validates the run's JSON report, as read back, against
// docs/report.schema.json.
func checkReportSchema(t *testing.T, r result) {
	t.Helper()
	schema, err := jsonschema.NewCompiler().Compile("../docs/report.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(r.report)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("the JSON report does not match docs/report.schema.json: %v", err)
	}
}
