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

func TestJUnitShowsWaiversAndCitationsOfSelectedProfiles(t *testing.T) {
	_, res := junitFixture(t)
	doc := junitOf(res)
	if len(doc.Suites) != 1 || doc.Suites[0].Name != "jwt" {
		t.Fatalf("suites %+v, want one for jwt", doc.Suites)
	}
	byName := map[string]junitCase{}
	for _, c := range doc.Suites[0].Cases {
		byName[c.Name] = c
		if !strings.HasPrefix(c.Classname, "jwt.") || strings.Contains(c.Classname, " ") {
			t.Errorf("classname %q: want profile.category", c.Classname)
		}
	}
	if len(byName) != 3 {
		t.Errorf("%d test cases, want the 3 selected specs: %v", len(byName), byName)
	}
	for name, c := range byName {
		switch {
		case strings.HasSuffix(name, ": fails under a waiver"):
			if c.Skipped == nil || !strings.HasPrefix(c.Skipped.Message, "waived: PLAT-1") {
				t.Errorf("waived failure %+v: want skipped with its waiver", c)
			}
		case strings.HasSuffix(name, ": fails"):
			if c.Failure == nil || !strings.HasPrefix(c.Failure.Text, `requirement: doc 004 (must): "Pass the token as a query parameter."`+"\nexpected the probe") {
				t.Errorf("failure %+v: want the citation first", c.Failure)
			}
			if strings.Count(c.SystemOut, "token=abc") != 1 || strings.Contains(c.Failure.Text, "token=abc") {
				t.Errorf("the exchange should be in system-out once:\n%s\n%s", c.SystemOut, c.Failure.Text)
			}
		}
	}
	if doc.Tests != 3 || doc.Failures != 1 || doc.Skipped != 1 || doc.Disabled != 0 {
		t.Errorf("counts %+v", doc)
	}
}

func TestWriteReportsWritesJSONAndJUnit(t *testing.T) {
	_, res := junitFixture(t)
	dir := t.TempDir()
	o := Options{JSONReport: filepath.Join(dir, "r.json"), JUnitReport: filepath.Join(dir, "junit.xml")}
	if err := writeReports(res, o, nil); err != nil {
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
		Skipped  int `xml:"skipped,attr"`
	}
	if err := xml.Unmarshal(data, &junit); err != nil || junit.Tests != 3 || junit.Failures != 1 || junit.Skipped != 1 {
		t.Errorf("JUnit: %v, %+v; want 1 failure and the waived one skipped\n%s", err, junit, data)
	}
}

// TestUnwritableReportIsNotAUsageError: a report that cannot be written is conform failing to
// finish (exit 3), not a mistake in the command (exit 2).
func TestUnwritableReportIsNotAUsageError(t *testing.T) {
	_, res := junitFixture(t)
	// A directory that is a file: neither report can be written under it.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, o := range []Options{
		{JSONReport: filepath.Join(file, "r.json")},
		{JUnitReport: filepath.Join(file, "junit.xml")},
	} {
		err := writeReports(res, o, nil)
		var ue *UsageError
		if err == nil || errors.As(err, &ue) {
			t.Errorf("%+v: error %v, want one that is not a *UsageError", o, err)
		}
	}
}
