package e2e_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/conformhq/conform/suites"
)

// TestRunUnderLoad runs doc 003's logout specs on the embedded reference without load and then
// while conform load's validate scenario sends 400/s: the specs pass in both passes, the
// comparison finds nothing, and both reports are printed, the load's after the verdict.
func TestRunUnderLoad(t *testing.T) {
	r := conform(t, "run", "--profile", "lptracker", "--label-filter", "logout", "--under-load", "400/s")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	specs, loadRep, ok := strings.Cut(r.stdout, "LOAD alongside the specs")
	if !ok || !strings.Contains(specs, "PASS in ") {
		t.Fatalf("want the spec summary, then the load report:\n%s", r.stdout)
	}
	for _, want := range []string{"Pass 1 of 2, without load", "Pass 2 of 2, under load", "UNDER LOAD", "achieved ", "failed only under load (0): none"} {
		if !strings.Contains(specs, want) {
			t.Errorf("summary has no %q:\n%s", want, specs)
		}
	}
	for _, want := range []string{"lptracker validate against", "achieved", "latency", "verdict    PASS"} {
		if !strings.Contains(loadRep, want) {
			t.Errorf("load report has no %q:\n%s", want, loadRep)
		}
	}
	checkUnderLoad(t, r, []string{})
	if r := conform(t, "run", "--profile", "jwt", "--under-load", "fast"); r.code != 2 || !strings.Contains(r.stderr+r.stdout, "--under-load \"fast\"") {
		t.Errorf("a bad rate: exit %d, want 2 naming --under-load\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestOnlyUnderLoad runs the same against the reference's busy-cache break, whose probe, above
// 200 probes a second, answers from a cache that never hears of a logout: it passes every spec
// alone, and is reported as failing, only under load, exactly the requirement that a
// logged-out token stops working. The load (400/s) is twice the break's busy rate, so a loaded
// machine that sends less still keeps the break busy.
func TestOnlyUnderLoad(t *testing.T) {
	url := startReference(t, "lptracker.busy-cache")
	dir := t.TempDir()
	html, junit := filepath.Join(dir, "report.html"), filepath.Join(dir, "junit.xml")
	r := conform(t, "run", "--target", url, "--config", "fixtures/reference.yaml", "--profile", "lptracker", "--label-filter", "logout", "--under-load", "400/s",
		"--html-report", html, "--junit-report", junit)
	if r.code != 1 || !strings.Contains(r.stdout, "failed only under load (1):") {
		t.Errorf("exit %d, want 1 and the summary saying one requirement failed only under load\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkUnderLoad(t, r, []string{"lptracker.logout.deletes-token"})
	// The HTML and JUnit reports say it too.
	page, _ := os.ReadFile(html)
	if !bytes.Contains(page, []byte(`id="under-load"`)) || !bytes.Contains(page, []byte(`<td class="failed">lptracker.logout.deletes-token<br>`)) {
		t.Errorf("the HTML report lacks the under-load section naming lptracker.logout.deletes-token")
	}
	xml, _ := os.ReadFile(junit)
	if !bytes.Contains(xml, []byte(`name="under_load_failed_only_under_load" value="lptracker.logout.deletes-token"`)) ||
		!bytes.Contains(xml, []byte(`message="only under load: lptracker.logout.deletes-token`)) {
		t.Errorf("the JUnit report lacks the under-load property and failure:\n%s", xml)
	}
}

// checkUnderLoad checks the report's under_load: want failed only under load, nothing failed
// in the baseline, the load's numbers present, and the report valid by its schema.
func checkUnderLoad(t *testing.T, r result, want []string) {
	t.Helper()
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
	checkReportSchema(t, r)
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

// TestTheLoadsRefusalsFailTheRun: the reference's busy-refuses-live break refuses, while busy,
// two probes out of three of a live token first probed over 500 ms before: the specs' young
// tokens never meet it, the load's sessions do. The run exits 1 naming the requirement, with
// the load's refusals counted and shown in the console and every report; the clean reference
// under the same load exits 0 (its per-IP rule ends load sessions as the specs log other users
// in: counted apart).
func TestTheLoadsRefusalsFailTheRun(t *testing.T) {
	t.Parallel()
	url := startReference(t, "lptracker.busy-refuses-live")
	dir := t.TempDir()
	html, junit := filepath.Join(dir, "report.html"), filepath.Join(dir, "junit.xml")
	// The load's sessions age past 500 ms while busy within the load's warm-up second: the
	// logout specs are enough.
	r := conform(t, "run", "--target", url, "--config", "fixtures/reference.yaml", "--profile", "lptracker", "--label-filter", "logout", "--under-load", "200/s",
		"--html-report", html, "--junit-report", junit)
	if r.code != 1 || !strings.Contains(r.stdout, "✗ FAILED under load lptracker.token.header: the load's live tokens were refused ") || !strings.Contains(r.stdout, "\nFAIL in ") {
		t.Fatalf("exit %d, want 1 and the load's refusals named\n%s%s", r.code, r.stdout, r.stderr)
	}
	checkUnderLoad(t, r, []string{})
	l := r.report.UnderLoad.LoadAnswers
	if l == nil || l.Requirement != "lptracker.token.header" || l.RefusedLive == 0 || len(l.Examples) == 0 || l.Examples[0].Status != 401 || r.report.Verdict != suites.VerdictFail {
		t.Errorf("JSON load_answers %+v, verdict %s", l, r.report.Verdict)
	}
	page, _ := os.ReadFile(html)
	if !bytes.Contains(page, []byte(`id="under-load-refused"`)) || !bytes.Contains(page, []byte("FAILED under load: lptracker.token.header")) {
		t.Errorf("the HTML report does not show the load's refusals")
	}
	xml, _ := os.ReadFile(junit)
	if !bytes.Contains(xml, []byte(`name="conform.under-load: lptracker.token.header: the load&#39;s live tokens"`)) || !bytes.Contains(xml, []byte(`name="under_load_answers_refused_live"`)) {
		t.Errorf("the JUnit report does not show the load's refusals:\n%s", xml)
	}
	t.Logf("the break: %d of %d load answers refused while live, %d counted apart", l.RefusedLive, l.Judged, l.EndedBySpecs)

	clean := conform(t, "run", "--target", startReference(t), "--config", "fixtures/reference.yaml", "--profile", "lptracker", "--under-load", "200/s")
	if clean.code != 0 || clean.report == nil || clean.report.UnderLoad.LoadAnswers == nil || clean.report.UnderLoad.LoadAnswers.RefusedLive != 0 {
		t.Fatalf("the clean reference under load: exit %d, want 0\n%s%s", clean.code, clean.stdout, clean.stderr)
	}
	c := clean.report.UnderLoad.LoadAnswers
	t.Logf("the clean reference: %d load answers, %d accepted, %d ended by the specs (counted apart)", c.Judged, c.Accepted, c.EndedBySpecs)
}
