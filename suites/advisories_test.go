package suites

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/specs/env"
)

// TestAdvisoriesAreListedNotCounted: an advisory recorded by a passing spec reaches the
// Result, the summary and the JUnit view's system-out, and changes neither the totals nor the
// verdict, also in a strict run.
func TestAdvisoriesAreListedNotCounted(t *testing.T) {
	book, report := fixture(t)
	passes := spec(t, report, "passes")
	passes.State = types.SpecStatePassed
	passes.ReportEntries = types.ReportEntries{{Name: env.AdvisoryEntry, Value: types.WrapEntryValue(env.Advisory{Finding: "no throttling seen after 10 wrong secrets", Reference: "OWASP ASVS 4.0.3 V2.2.1"})}}
	var kept types.SpecReports
	for _, sr := range report.SpecReports {
		if sr.LeafNodeText == "passes" {
			kept = append(kept, sr)
		}
	}
	report.SpecReports = kept
	res := collect(book, report, &binding{profiles: []string{"jwt"}}, Options{Strict: true}, waiverFileOf(t, "waivers: []\n"), nil)

	if len(res.Advisories) != 1 || res.Advisories[0].ID != passes.Labels()[len(passes.Labels())-1][len("req:"):] || res.Advisories[0].Spec != "passes" {
		t.Fatalf("advisories %+v, want the one of spec \"passes\"", res.Advisories)
	}
	if res.Verdict != VerdictPass || res.Totals.Passed != 1 || res.Totals.Failed != 0 {
		t.Errorf("verdict %s, totals %+v: an advisory must not count", res.Verdict, res.Totals)
	}
	var out bytes.Buffer
	printSummary(&out, res, false)
	if !strings.Contains(out.String(), "ADVISORIES") || !strings.Contains(out.String(), "no throttling seen after 10 wrong secrets (OWASP ASVS 4.0.3 V2.2.1)") {
		t.Errorf("summary does not list the advisory:\n%s", out.String())
	}
	data, err := json.Marshal(res)
	if err != nil || !strings.Contains(string(data), `"advisories":[{"id":`) || !strings.Contains(string(data), `"finding":"no throttling`) {
		t.Errorf("JSON report without the advisory: %s (%v)", data, err)
	}
	doc := junitOf(res)
	if got := doc.Suites[0].Cases[0]; got.Failure != nil || !strings.Contains(got.SystemOut, "advisory: ") {
		t.Errorf("JUnit: failure %v, system-out %q; want a pass with the advisory in system-out", got.Failure, got.SystemOut)
	}
}
