package suites

import (
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
)

// State is a spec's outcome.
type State string

// The outcomes of a spec.
const (
	Passed  State = "passed"
	Failed  State = "failed"
	Skipped State = "skipped" // the spec ran and skipped itself, saying why
	Waived  State = "waived"  // failed, and a waiver names it
	NotRun  State = "not-run" // filtered out: should-level without --strict, or by --label-filter/--focus
)

// SpecResult is one spec's outcome with its requirement.
type SpecResult struct {
	cite.Requirement
	Text       string             `json:"text"`
	State      State              `json:"state"`
	DurationMS int64              `json:"duration_ms"`
	Message    string             `json:"message,omitempty"`
	Location   string             `json:"location,omitempty"`
	SkipReason string             `json:"skip_reason,omitempty"`
	Waiver     string             `json:"waiver,omitempty"`
	Exchanges  []*client.Exchange `json:"exchanges,omitempty"`
	Curl       []string           `json:"curl,omitempty"`
}

// Totals counts outcomes.
type Totals struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	Waived  int `json:"waived"`
	NotRun  int `json:"not_run"`
}

func (t *Totals) add(s State) {
	switch s {
	case Passed:
		t.Passed++
	case Failed:
		t.Failed++
	case Skipped:
		t.Skipped++
	case Waived:
		t.Waived++
	case NotRun:
		t.NotRun++
	}
}

// Result is a whole run.
type Result struct {
	Target       string        `json:"target"`
	Embedded     bool          `json:"embedded"`
	Strict       bool          `json:"strict"`
	Profiles     []string      `json:"profiles"`
	Duration     time.Duration `json:"-"`
	DurationMS   int64         `json:"duration_ms"`
	Totals       Totals        `json:"totals"`
	Specs        []SpecResult  `json:"specs"`
	StaleWaivers []Waiver      `json:"stale_waivers,omitempty"`
	// UnknownWaivers are waiver ids that name no requirement (a typo, or a renamed id).
	UnknownWaivers []string `json:"unknown_waivers,omitempty"`
	// Interrupted is set when the run was aborted (Ctrl-C or a target that stopped answering).
	Interrupted string `json:"interrupted,omitempty"`
}

// Failed reports whether a spec failed without a waiver, or the run was cut short.
func (r *Result) Failed() bool { return r.Totals.Failed > 0 || r.Interrupted != "" }

// collect turns Ginkgo's report into conform's results, keeping only the selected profiles.
func collect(book *cite.Book, report types.Report, b *binding, o Options, w *waiverSet) *Result {
	res := &Result{Target: b.targetURL(), Embedded: b.embedded, Strict: o.Strict, Profiles: b.profiles}
	passedIDs := map[string]bool{}
	failedIDs := map[string]bool{}
	for _, sr := range report.SpecReports {
		if sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		req, ok := book.Requirement(cite.IDFromLabels(sr.Labels()))
		if !ok || !slices.Contains(b.profiles, req.Profile) {
			continue
		}
		r := SpecResult{Requirement: req, Text: sr.LeafNodeText, DurationMS: sr.RunTime.Milliseconds()}
		switch {
		case sr.State == types.SpecStatePassed:
			r.State = Passed
			passedIDs[req.ID] = true
		case sr.State == types.SpecStateSkipped && sr.Failure.Message != "":
			r.State, r.SkipReason = Skipped, sr.Failure.Message
		case sr.State == types.SpecStateSkipped || sr.State == types.SpecStatePending:
			r.State = NotRun
			if req.Level == cite.Should && !o.Strict {
				r.SkipReason = "should-level: runs with --strict"
			} else {
				r.SkipReason = "filtered out by --label-filter or --focus"
			}
		case sr.State == types.SpecStateInterrupted:
			// Stopped by Ctrl-C: the requirement was not shown to fail; the run is cut short.
			r.State, r.SkipReason = NotRun, "interrupted"
			res.Interrupted = sr.Failure.Message
		default:
			r.State = Failed
			failedIDs[req.ID] = true
			r.Message = sr.Failure.Message
			r.Location = sr.Failure.Location.String()
			if sr.State == types.SpecStateAborted {
				res.Interrupted = sr.Failure.Message
			}
			if reason, ok := w.reason(req.ID); ok {
				r.State, r.Waiver = Waived, reason
			}
		}
		for _, e := range sr.ReportEntries {
			if e.Name != exchangesEntry {
				continue
			}
			if ex, ok := e.GetRawValue().([]*client.Exchange); ok {
				r.Exchanges = ex
				for _, x := range ex {
					r.Curl = append(r.Curl, x.Curl())
				}
			}
		}
		res.Totals.add(r.State)
		res.Specs = append(res.Specs, r)
	}
	if report.SpecialSuiteFailureReasons != nil && res.Interrupted == "" {
		for _, reason := range report.SpecialSuiteFailureReasons {
			if reason == "Interrupted by User" {
				res.Interrupted = reason
			}
		}
	}
	res.StaleWaivers = w.stale(passedIDs, failedIDs)
	res.UnknownWaivers = w.unknown(func(id string) bool { _, ok := book.Requirement(id); return ok })
	// Failure messages, skip reasons, exchanges (shared with Ginkgo's report entries) and curl
	// lines: everything the summary and the reports take from here.
	b.redact.Walk(res)
	return res
}

func (b *binding) targetURL() string {
	if b.client == nil {
		return ""
	}
	return b.client.URL()
}
