package suites

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/reporters"
	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/specs/cite"
)

// writeReports writes the JSON and JUnit reports that were asked for.
func writeReports(res *Result, report types.Report, o Options) error {
	res.DurationMS = res.Duration.Milliseconds()
	if o.JSONReport != "" {
		data, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			return fmt.Errorf("encode JSON report: %w", err)
		}
		if err := os.WriteFile(o.JSONReport, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("write JSON report: %w", err)
		}
	}
	if o.JUnitReport != "" {
		if err := reporters.GenerateJUnitReportWithConfig(junitView(report, res), o.JUnitReport, reporters.JunitReportConfig{OmitLeafNodeType: true}); err != nil {
			return fmt.Errorf("write JUnit report: %w", err)
		}
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
