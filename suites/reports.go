package suites

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/redact"
	"github.com/conformhq/conform/specs/cite"
)

// writeReports writes the JSON and JUnit reports that were asked for, with red's secrets
// masked: in every string of the report before it is encoded, and in the encoded file again,
// so that a secret learned late, or a field added later, cannot slip through.
func writeReports(res *Result, report types.Report, o Options, red *redact.Redactor) error {
	res.DurationMS = res.Duration.Milliseconds()
	if o.JSONReport != "" {
		red.Walk(res)
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return fmt.Errorf("encode JSON report: %w", err)
		}
		if err := os.WriteFile(o.JSONReport, append(red.Bytes(data), '\n'), 0o644); err != nil {
			return fmt.Errorf("write JSON report: %w", err)
		}
	}
	if o.JUnitReport != "" {
		view := junitView(report, res)
		red.Walk(&view)
		if err := reporters.GenerateJUnitReportWithConfig(view, o.JUnitReport, reporters.JunitReportConfig{OmitLeafNodeType: true}); err != nil {
			return fmt.Errorf("write JUnit report: %w", err)
		}
		if err := redactFile(o.JUnitReport, red); err != nil {
			return fmt.Errorf("write JUnit report: %w", err)
		}
	}
	return nil
}

// redactFile masks red's secrets in a file another package wrote (Ginkgo's JUnit report,
// which also holds the report entries Walk cannot reach), rewriting it only when that changes
// it.
func redactFile(path string, red *redact.Redactor) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if out := red.Bytes(data); !bytes.Equal(out, data) {
		return os.WriteFile(path, out, 0o644)
	}
	return nil
}

// junitView adapts Ginkgo's report for CI dashboards: a waived failure shows as skipped with
// its waiver, the requirement's citation goes with each failure, and specs of profiles not
// selected are dropped.
func junitView(report types.Report, res *Result) types.Report {
	byText := map[string]SpecResult{}
	for _, s := range res.Specs {
		byText[s.ID+"\x00"+s.Text] = s
	}
	advised := map[string][]Advisory{}
	for _, a := range res.Advisories {
		advised[a.ID+"\x00"+a.Spec] = append(advised[a.ID+"\x00"+a.Spec], a)
	}
	var kept types.SpecReports
	for _, sr := range report.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			kept = append(kept, sr)
			continue
		}
		s, ok := byText[cite.IDFromLabels(sr.Labels())+"\x00"+sr.LeafNodeText]
		if !ok {
			continue
		}
		// Advisories are not failures: they go to the spec's system-out.
		sr.CapturedStdOutErr += junitAdvisories(advised[s.ID+"\x00"+s.Text])
		switch s.State {
		case Waived:
			sr.State = types.SpecStateSkipped
			sr.Failure.Message = "waived: " + s.Waiver + "\n" + sr.Failure.Message
		case Failed:
			sr.Failure.Message = "requirement: " + s.Citation() + "\n" + sr.Failure.Message
			if len(s.Curl) > 0 {
				sr.Failure.Message += "\nreproduce: " + s.Curl[len(s.Curl)-1]
			}
		}
		kept = append(kept, sr)
	}
	report.SpecReports = kept
	if res.Failed() {
		report.SuiteSucceeded = false
	} else {
		report.SuiteSucceeded = true
	}
	return report
}
