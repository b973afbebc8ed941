package suites

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/redact"
)

// underLoadFixture is junitFixture's run as the pass under load of --under-load: its failing
// requirement failed only under load, and another failed only without load.
func underLoadFixture(t *testing.T) (*Result, string) {
	t.Helper()
	_, res := junitFixture(t)
	var failed string
	for _, s := range res.Specs {
		if s.State == Failed {
			failed = s.ID
		}
	}
	if failed == "" {
		t.Fatal("the fixture has no failure")
	}
	res.UnderLoad = &UnderLoadResult{Rate: "500/s", Profile: "jwt", AchievedRate: 499.8, Requests: 4998, SuccessRatio: 1,
		Latency: load.Latency{P50: 0.5, P95: 1.2, P99: 2.5, Max: 9}, Valid: true, Baseline: Totals{Passed: 2, Failed: 1},
		OnlyUnderLoad: []string{failed}, FailAnyway: []string{}, OnlyWithoutLoad: []string{"jwt.t.flaky"}}
	return res, failed
}

func TestJUnitShowsTheComparisonUnderLoad(t *testing.T) {
	res, failed := underLoadFixture(t)
	doc := junitOf(res)
	props := map[string]string{}
	for _, p := range doc.Suites[0].Properties {
		props[p.Name] = p.Value
	}
	for name, want := range map[string]string{
		"under_load_rate": "500/s", "under_load_achieved_rate": "499.8", "under_load_failed_only_under_load": failed,
		"under_load_failed_only_without_load": "jwt.t.flaky", "without_load_totals": "2 passed, 1 failed, 0 skipped, 0 waived, 0 not run",
	} {
		if props[name] != want {
			t.Errorf("property %s = %q, want %q", name, props[name], want)
		}
	}
	var onlyUnder, onlyWithout bool
	for _, c := range doc.Suites[0].Cases {
		if c.Failure == nil {
			continue
		}
		onlyUnder = onlyUnder || strings.HasPrefix(c.Failure.Message, "only under load: "+failed)
		onlyWithout = onlyWithout || (c.Classname == "conform" && strings.Contains(c.Failure.Message, "jwt.t.flaky"))
	}
	if !onlyUnder || !onlyWithout {
		t.Errorf("failures: only-under-load marked %v, a case for only-without-load %v", onlyUnder, onlyWithout)
	}
	// The run's verdict is FAIL for the requirement that failed without load: the JUnit counts it.
	if doc.Failures != 2 {
		t.Errorf("%d failures, want 2 (the spec under load, the requirement without load)", doc.Failures)
	}
	if _, err := exec.LookPath("xmllint"); err == nil {
		path := filepath.Join(t.TempDir(), "junit.xml")
		if err := writeJUnit(res, path, redact.New()); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("xmllint", "--noout", "--schema", "testdata/junit.xsd", path).CombinedOutput(); err != nil {
			t.Errorf("xmllint: %v\n%s", err, out)
		}
	}
}

func TestHTMLShowsTheComparisonUnderLoad(t *testing.T) {
	res, failed := underLoadFixture(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if err := writeHTML(res, path, redact.New()); err != nil {
		t.Fatal(err)
	}
	page, _ := os.ReadFile(path)
	for _, want := range []string{`id="under-load"`, "500/s of jwt", "achieved 499.8/s, 4998 requests, 100.00% accepted", "p99 2.5ms",
		`<td class="failed">` + failed + "<br>", "jwt.t.flaky<br>", "without load: 2 passed, 1 failed"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the page lacks %q", want)
		}
	}
	res.UnderLoad = nil
	writeHTML(res, path, redact.New())
	if page, _ := os.ReadFile(path); bytes.Contains(page, []byte(`id="under-load"`)) {
		t.Error("a run without load shows an under-load section")
	}
}
