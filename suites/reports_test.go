package suites

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/client"
)

// junitFixture is a run of the fixture with one pass, one failure (with an exchange), one
// waived failure and a failure of a profile not selected, and the Result collected from it.
func junitFixture(t *testing.T) (types.Report, *Result) {
	t.Helper()
	book, report := fixture(t)
	spec(t, report, "passes").State = types.SpecStatePassed
	fails := spec(t, report, "fails")
	fails.State, fails.Failure.Message = types.SpecStateFailed, "expected the probe to accept the token"
	ex := &client.Exchange{Method: http.MethodGet, URL: "http://127.0.0.1:8080/users/me?token=abc", Status: 401}
	fails.ReportEntries = types.ReportEntries{{Name: exchangesEntry, Value: types.WrapEntryValue([]*client.Exchange{ex})}}
	waived := spec(t, report, "fails under a waiver")
	waived.State, waived.Failure.Message = types.SpecStateFailed, "expected 200"
	spec(t, report, "belongs to a profile not selected").State = types.SpecStateFailed
	var kept types.SpecReports
	for _, sr := range report.SpecReports {
		switch sr.LeafNodeText {
		case "passes", "fails", "fails under a waiver", "belongs to a profile not selected":
			kept = append(kept, sr)
		}
	}
	report.SpecReports = append(kept, types.SpecReport{LeafNodeType: types.NodeTypeBeforeSuite, State: types.SpecStatePassed})
	w := waiverFileOf(t, "waivers:\n  - {id: jwt.t.waived, reason: PLAT-1}\n")
	return report, collect(book, report, &binding{profiles: []string{"jwt"}}, Options{}, w, nil)
}

func TestJUnitViewShowsWaiversAndCitationsOfSelectedProfiles(t *testing.T) {
	report, res := junitFixture(t)
	view := junitView(report, res)

	byText := map[string]types.SpecReport{}
	for _, sr := range view.SpecReports {
		byText[sr.LeafNodeText] = sr
	}
	if _, ok := byText["belongs to a profile not selected"]; ok {
		t.Error("a spec of a profile not selected is in the view")
	}
	if len(view.SpecReports) != 4 {
		t.Errorf("%d reports, want the 3 selected specs and the BeforeSuite node", len(view.SpecReports))
	}
	if sr := byText["fails under a waiver"]; sr.State != types.SpecStateSkipped || !strings.HasPrefix(sr.Failure.Message, "waived: PLAT-1\nexpected 200") {
		t.Errorf("waived failure: state %s, message %q; want skipped with its waiver first", sr.State, sr.Failure.Message)
	}
	sr := byText["fails"]
	if sr.State != types.SpecStateFailed || !strings.HasPrefix(sr.Failure.Message, `requirement: doc 004 (must): "Pass the token as a query parameter."`+"\nexpected the probe") {
		t.Errorf("failure: state %s, message %q; want the citation first", sr.State, sr.Failure.Message)
	}
	if !strings.Contains(sr.Failure.Message, "\nreproduce: curl ") || !strings.Contains(sr.Failure.Message, "token=abc") {
		t.Errorf("failure message %q lacks the curl line", sr.Failure.Message)
	}
	if byText["passes"].State != types.SpecStatePassed {
		t.Errorf("pass became %s", byText["passes"].State)
	}
	if view.SuiteSucceeded {
		t.Error("SuiteSucceeded with a failure")
	}
	// The original report is left as it was.
	if spec(t, report, "fails under a waiver").State != types.SpecStateFailed {
		t.Error("junitView changed the report it was given")
	}
}

func TestJUnitViewSucceedsWhenEveryFailureIsWaived(t *testing.T) {
	report, res := junitFixture(t)
	res.Totals.Failed = 0 // as if "fails" had passed
	report.SuiteSucceeded = false
	if view := junitView(report, res); !view.SuiteSucceeded {
		t.Error("SuiteSucceeded false, want true: Ginkgo saw failures, but conform's verdict is pass")
	}
	res.Interrupted = "Interrupted by User"
	if view := junitView(report, res); view.SuiteSucceeded {
		t.Error("SuiteSucceeded true for a run cut short")
	}
}

func TestWriteReportsWritesJSONAndJUnit(t *testing.T) {
	report, res := junitFixture(t)
	dir := t.TempDir()
	o := Options{JSONReport: filepath.Join(dir, "r.json"), JUnitReport: filepath.Join(dir, "junit.xml")}
	if err := writeReports(res, report, o, nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(o.JSONReport)
	if err != nil {
		t.Fatal(err)
	}
	var got Result
	if err := json.Unmarshal(data, &got); err != nil || got.Totals != res.Totals || len(got.Specs) != 3 {
		t.Errorf("JSON report: %v, totals %+v, %d specs", err, got.Totals, len(got.Specs))
	}
	if data, err = os.ReadFile(o.JUnitReport); err != nil {
		t.Fatal(err)
	}
	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Disabled int `xml:"disabled,attr"` // skipped and pending
	}
	if err := xml.Unmarshal(data, &junit); err != nil || junit.Tests != 4 || junit.Failures != 1 || junit.Disabled != 1 {
		t.Errorf("JUnit: %v, %+v; want 1 failure and the waived one skipped\n%s", err, junit, data)
	}
}

// TestUnwritableReportIsNotAUsageError: a report that cannot be written is conform failing to
// finish (exit 3), not a mistake in the command (exit 2).
func TestUnwritableReportIsNotAUsageError(t *testing.T) {
	report, res := junitFixture(t)
	// A directory that is a file: neither report can be written under it.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{
		{JSONReport: filepath.Join(file, "r.json")},
		{JUnitReport: filepath.Join(file, "junit.xml")},
	} {
		err := writeReports(res, report, o, nil)
		var ue *UsageError
		if err == nil || errors.As(err, &ue) {
			t.Errorf("%+v: error %v, want one that is not a *UsageError", o, err)
		}
	}
}
