package suites

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"os"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/redact"
	"github.com/conformhq/conform/specs/cite"
)

// The HTML report (--html-report) is one self-contained file a person opens from a CI
// artifact: inline CSS, no script, no external asset, no link off the page. It shows the
// verdict and totals, a table per profile and category, each failure (requirement and its
// sentence, expected and got, the exchanges with secrets masked, the reproducer), the
// traceability matrix (every requirement, its sentence, level and result), skips with their
// reasons, waivers, stale and unknown waivers, config problems and advisories, and in a run
// under load (--under-load) the comparison of its two passes.
//
//go:embed report.html.tmpl
var htmlTemplate string

var reportPage = template.Must(template.New("report").Funcs(template.FuncMap{
	"exchange": func(e *client.Exchange) string { return e.String() },
	"ms":       func(ms int64) string { return (time.Duration(ms) * time.Millisecond).String() },
	"when":     func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
	"latency":  ms,
	"pct":      func(r float64) string { return fmt.Sprintf("%.2f%%", 100*r) },
}).Parse(htmlTemplate))

// htmlView is what the template reads.
type htmlView struct {
	*Result
	Rows         []htmlRow
	Failures     []SpecResult
	Skips        []SpecResult
	Waived       []SpecResult
	ShouldNotRun int
}

// htmlRow is one profile and category of the totals table.
type htmlRow struct {
	Profile  string
	Category cite.Category
	Totals
}

func htmlViewOf(res *Result) htmlView {
	v := htmlView{Result: res}
	for _, p := range res.Profiles {
		for _, c := range cite.Categories() {
			row := htmlRow{Profile: p, Category: c}
			for _, s := range res.Specs {
				if s.Profile == p && s.Category == c {
					row.add(s.State)
				}
			}
			if row.Totals != (Totals{}) {
				v.Rows = append(v.Rows, row)
			}
		}
	}
	for _, s := range res.Specs {
		switch {
		case s.State == Failed:
			v.Failures = append(v.Failures, s)
		case s.State == Skipped:
			v.Skips = append(v.Skips, s)
		case s.State == Waived:
			v.Waived = append(v.Waived, s)
		case s.State == NotRun && s.Level == cite.Should && !res.Strict:
			v.ShouldNotRun++
		}
	}
	return v
}

// writeHTML writes the HTML report of res to path, secrets masked in the page.
func writeHTML(res *Result, path string, red *redact.Redactor) error {
	var b bytes.Buffer
	if err := reportPage.Execute(&b, htmlViewOf(res)); err != nil {
		return fmt.Errorf("render HTML report: %w", err)
	}
	if err := os.WriteFile(path, red.Bytes(b.Bytes()), 0o644); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}
