package suites

import (
	"slices"
	"time"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/repro"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/specs/sequences"
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
	// Reproducer is the shell script that replays a failed or waived spec (package repro);
	// ReproducerLimits say what it cannot replay by itself; ReproducerFile is where
	// --reproducers wrote it.
	Reproducer       string   `json:"reproducer,omitempty"`
	ReproducerLimits []string `json:"reproducer_limits,omitempty"`
	ReproducerFile   string   `json:"reproducer_file,omitempty"`
	// unjudged, when set, says why the reproducer cannot judge this spec's failure beyond its
	// category's reason (a model spec's step in a wire form curl rewrites).
	unjudged string
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
	// FormatVersion is the JSON report's format (FormatVersion); ConformVersion the conform
	// that wrote it (version.Info.Short); StartedAt when the run started.
	FormatVersion  string    `json:"format_version"`
	ConformVersion string    `json:"conform_version"`
	StartedAt      time.Time `json:"started_at"`
	Target         string    `json:"target"`
	Embedded       bool      `json:"embedded"`
	Strict         bool      `json:"strict"`
	// Seed is the model specs' exploration seed (--seed): the same seed sends the same
	// sequences again.
	Seed     uint64        `json:"seed"`
	Profiles []string      `json:"profiles"`
	Duration time.Duration `json:"-"`
	// Verdict is the run's outcome in one word (see Verdict): PASS only when specs ran to
	// the end, none failed and at least one checked something.
	Verdict      Verdict      `json:"verdict"`
	DurationMS   int64        `json:"duration_ms"`
	Totals       Totals       `json:"totals"`
	Specs        []SpecResult `json:"specs"`
	StaleWaivers []Waiver     `json:"stale_waivers,omitempty"`
	// UnknownWaivers are waiver ids that name no requirement (a typo, or a renamed id).
	UnknownWaivers []string `json:"unknown_waivers,omitempty"`
	// Interrupted says why the run was cut short, empty when it ran to its end: the user
	// interrupted it (InterruptedByUser), or it was aborted (a target that stopped answering).
	Interrupted string `json:"interrupted,omitempty"`
	// InterruptedByUser is set when Ctrl-C (SIGINT, SIGTERM) or the caller's context ended
	// the run: `conform run` then exits 130, as a shell does for Ctrl-C.
	InterruptedByUser bool `json:"interrupted_by_user,omitempty"`
	// ConfigProblems are values of the config that specs proved wrong against the target
	// (e.g. a jwt.secret the target does not sign with), each "requirement-id: problem". The
	// specs that found them skipped: they could not check what they claim. They make the
	// verdict CONFIG ERROR only when no spec failed (see verdict).
	ConfigProblems []string `json:"config_problems,omitempty"`
	// Advisories are findings worth knowing that are not failures (see env.Advise); they
	// never change the verdict.
	Advisories []Advisory `json:"advisories,omitempty"`
	// UnderLoad, in a run under load (--under-load), compares its two passes: which
	// requirements failed only under load, which anyway, and the load's rate and latency.
	// Totals and Specs are then the pass under load's.
	UnderLoad *UnderLoadResult `json:"under_load,omitempty"`
}

// Verdict is a run's outcome in one word.
type Verdict string

// The verdicts, most telling first: a run has the first that applies.
const (
	// VerdictInterrupted: the user (or the caller's context) stopped the run; its counts
	// are partial.
	VerdictInterrupted Verdict = "INTERRUPTED"
	// VerdictCutShort: the run was aborted, e.g. the target stopped answering.
	VerdictCutShort Verdict = "CUT SHORT"
	// VerdictFail: a spec failed without a waiver (config problems, if any, are listed
	// beside it), or a run under load's load was refused where it should have been accepted.
	VerdictFail Verdict = "FAIL"
	// VerdictConfigError: no spec failed, and a value of the config proved wrong against the
	// target.
	VerdictConfigError Verdict = "CONFIG ERROR"
	// VerdictNothingChecked: no spec passed or failed; every one that ran skipped itself.
	VerdictNothingChecked Verdict = "NOTHING CHECKED"
	// VerdictPass: every spec that ran passed, at least one did, none was cut short.
	VerdictPass Verdict = "PASS"
)

// Messages that say a spec did not run because the run was interrupted.
const (
	interruptedByUser = "interrupted by the user (Ctrl-C)"
	skipInterrupted   = "not run: the run was interrupted first"
)

// judge sets Verdict from the outcomes.
func (r *Result) judge() { r.Verdict = r.verdict() }

// verdict is the first verdict that applies to the outcomes as they stand. This is conform's
// verdict rule, the one place it is written (the README's "Verdicts" section says it for users):
//
//   - A failed spec makes the run FAIL (exit 1), whatever config problems the run found too:
//     they are listed beside the failures. A spec whose evidence rests on a config value proves
//     that value against the target first and, when it proves wrong, skips through
//     env.ConfigWrong instead of failing; so a spec that failed did so on evidence of its own.
//     A run under load fails too when a requirement failed only without load, or when the
//     load's own answers break the model of the run (UnderLoadResult.Refused).
//   - CONFIG ERROR (exit 2) only when no spec failed and conform showed a config value wrong
//     (ConfigProblems): it can show the config is the cause, and the target was not shown to
//     fail. A config value that proved right earlier in the run and then stopped working is
//     not a config problem: the config did not change, the target did (env.Env.ConfigWrong
//     fails the spec that meets it).
//   - Before any spec runs, the preflight keeps the same rule: an account the target refuses
//     as the document refuses wrong credentials, a login path that is not there, a probe path
//     that answers 404 with and without a token are config errors naming the field
//     (profile.AccountError); an answer in a shape the document does not have is left to the
//     specs, which fail its requirement.
func (r *Result) verdict() Verdict {
	t := r.Totals
	switch {
	case r.InterruptedByUser:
		return VerdictInterrupted
	case r.Interrupted != "":
		return VerdictCutShort
	case t.Failed > 0, r.UnderLoad.failed():
		return VerdictFail
	case len(r.ConfigProblems) > 0:
		return VerdictConfigError
	case t.Passed+t.Waived == 0:
		return VerdictNothingChecked
	}
	return VerdictPass
}

// Failed reports whether the run's verdict is anything but PASS: a spec failed without a
// waiver, the run was cut short, the config proved wrong, or nothing was checked.
func (r *Result) Failed() bool { return r.verdict() != VerdictPass }

// collect turns Ginkgo's report into conform's results, keeping only the selected profiles.
// sel tells a spec left out by the selection from one an interrupt kept from running; nil
// takes every spec Ginkgo did not run as left out.
func collect(book *cite.Book, report types.Report, b *binding, o Options, w *waiverSet, sel *selection) *Result {
	res := &Result{Target: b.targetURL(), Embedded: b.embedded, Strict: o.Strict, Seed: o.Explore.Seed, Profiles: b.profiles}
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
		case sr.State == types.SpecStateSkipped && sr.Failure.Message == skipInterrupted:
			r.State, r.SkipReason = NotRun, "interrupted"
		case sr.State == types.SpecStateSkipped && sr.Failure.Message != "":
			r.State, r.SkipReason = Skipped, sr.Failure.Message
			// Each problem once: the variations of one requirement (a check in each token
			// placement) meet the same config mistake.
			if problem, ok := configProblem(sr); ok && !slices.Contains(res.ConfigProblems, req.ID+": "+problem) {
				res.ConfigProblems = append(res.ConfigProblems, req.ID+": "+problem)
			}
		case sel != nil && sel.specs[specKey(req.ID, sr.LeafNodeText)] && (sr.State == types.SpecStateSkipped || sr.State == types.SpecStatePending):
			// Selected, yet Ginkgo skipped it: an interrupt ended the run before it.
			r.State, r.SkipReason = NotRun, "interrupted"
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
			res.Interrupted, res.InterruptedByUser = interruptedByUser, true
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
			if e.Name == sequences.CheckedEntry && r.State == Passed {
				r.Message = e.StringRepresentation() // how much the exploration judged by its rule
			}
			if e.Name == sequences.UnjudgedEntry {
				r.unjudged = e.StringRepresentation()
			}
			if e.Name != exchangesEntry {
				continue
			}
			if ex, ok := e.GetRawValue().([]*client.Exchange); ok {
				r.Exchanges = ex
				for _, x := range ex {
					r.Curl = append(r.Curl, repro.Curl(x, b.vars, req.Profile))
				}
			}
		}
		res.Advisories = append(res.Advisories, advisoriesOf(req.ID, sr)...)
		res.Totals.add(r.State)
		res.Specs = append(res.Specs, r)
	}
	// Ginkgo's own word for Ctrl-C, also when it came between two specs.
	if slices.Contains(report.SpecialSuiteFailureReasons, "Interrupted by User") {
		res.Interrupted, res.InterruptedByUser = interruptedByUser, true
	}
	res.StaleWaivers = w.stale(passedIDs, failedIDs)
	res.UnknownWaivers = w.unknown(func(id string) bool { _, ok := book.Requirement(id); return ok })
	res.judge()
	// Failure messages, skip reasons, exchanges (shared with Ginkgo's report entries) and curl
	// lines: everything the summary and the reports take from here.
	b.redact.Walk(res)
	return res
}

// configProblem is what a spec that skipped through env.ConfigWrong found wrong in the config.
func configProblem(sr types.SpecReport) (string, bool) {
	for _, e := range sr.ReportEntries {
		if e.Name == env.ConfigWrongEntry {
			if s, ok := e.GetRawValue().(string); ok {
				return s, true
			}
			return e.StringRepresentation(), true
		}
	}
	return "", false
}

func (b *binding) targetURL() string {
	if b.client == nil {
		return ""
	}
	return b.client.URL()
}
