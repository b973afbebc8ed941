package suites

import (
	"encoding/xml"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/conformhq/conform/redact"
)

// The JUnit report (--junit-report), written from the Result for CI dashboards (Jenkins,
// GitLab, GitHub test reporters): one <testsuite> per profile, one <testcase> per spec with
// classname "<profile>.<category>" and name "<requirement id>: <what is sent>". A failure's
// message is the requirement and the first line of expected/got; its text the whole message,
// the requirement and the reproducer; the exchanges go once, as text, in <system-out>. A
// skipped, waived or not-run spec is <skipped> with its reason, so the skipped counts are the
// <skipped> elements; a run cut short (an unreachable target, Ctrl-C) adds an <error> test
// case "conform.run". A run under load (--under-load) adds its comparison as suite properties,
// says "only under load" in the failures it concerns, and adds a failed case for requirements
// that failed only without load. testdata/junit.xsd is the schema it is checked against.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Disabled int          `xml:"disabled,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	ID         int             `xml:"id,attr"`
	Package    string          `xml:"package,attr,omitempty"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Disabled   int             `xml:"disabled,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Status    string        `xml:"status,attr,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// junitOf builds the JUnit document of a run.
func junitOf(res *Result) junitSuites {
	doc := junitSuites{Name: "conform", Time: seconds(res.DurationMS)}
	advised := map[string][]Advisory{}
	for _, a := range res.Advisories {
		advised[a.ID+"\x00"+a.Spec] = append(advised[a.ID+"\x00"+a.Spec], a)
	}
	for i, p := range res.Profiles {
		s := junitSuite{Name: p, ID: i, Package: res.Target, Time: "0", Timestamp: res.StartedAt.UTC().Format("2006-01-02T15:04:05")}
		s.Properties = []junitProperty{{"target", res.Target}, {"verdict", string(res.Verdict)}, {"conform_version", res.ConformVersion}, {"strict", fmt.Sprint(res.Strict)}, {"seed", fmt.Sprint(res.Seed)}}
		var ms int64
		for _, sp := range res.Specs {
			if sp.Profile != p {
				continue
			}
			ms += sp.DurationMS
			c := junitCaseOf(sp)
			if c.Failure != nil && res.UnderLoad != nil && slices.Contains(res.UnderLoad.OnlyUnderLoad, sp.ID) {
				c.Failure.Message = "only under load: " + c.Failure.Message
				c.Failure.Text = "failed only under load: its requirement passed in the pass without load\n" + c.Failure.Text
			}
			// Advisories are not failures: they go to the spec's system-out.
			c.SystemOut += junitAdvisories(advised[sp.ID+"\x00"+sp.Text])
			s.add(c)
		}
		s.Time = seconds(ms)
		s.Properties = append(s.Properties, underLoadProperties(res.UnderLoad)...)
		doc.Suites = append(doc.Suites, s)
	}
	// The report's specs are the pass under load; a requirement that failed only in the pass
	// without load fails the run, so it is a failed case here too.
	if u := res.UnderLoad; u != nil && len(u.OnlyWithoutLoad) > 0 {
		c := junitCase{Name: "conform.under-load: failed only without load", Classname: "conform", Time: "0",
			Failure: &junitProblem{Message: "failed only without load: " + strings.Join(u.OnlyWithoutLoad, ", "), Type: "failed",
				Text: "these requirements failed in the pass without load and passed under load (a flaky spec, or a target that misbehaves when idle): " + strings.Join(u.OnlyWithoutLoad, ", ")}}
		if len(doc.Suites) == 0 {
			doc.Suites = append(doc.Suites, junitSuite{Name: "conform", Package: res.Target, Time: "0"})
		}
		doc.Suites[0].add(c)
	}
	// The load's live tokens refused: a failed case naming the requirement, with the count
	// and the first exchanges.
	if u := res.UnderLoad; u != nil && u.LoadAnswers.failed() {
		l := u.LoadAnswers
		var ex []string
		for _, x := range l.Examples {
			ex = append(ex, "  - "+x.String())
		}
		c := junitCase{Name: "conform.under-load: " + l.Requirement + ": the load's live tokens", Classname: "conform", Time: "0",
			Failure: &junitProblem{Message: fmt.Sprintf("under load: %s: the load's live tokens were refused %d times", l.Requirement, l.RefusedLive), Type: "failed",
				Text: fmt.Sprintf("%d of the load's %d judged answers refused (or answered 5xx) a token the run's model says was live; %d refusals of tokens the run may have ended are not counted. First %d:\n%s",
					l.RefusedLive, l.Judged, l.EndedBySpecs, len(l.Examples), strings.Join(ex, "\n"))}}
		if len(doc.Suites) == 0 {
			doc.Suites = append(doc.Suites, junitSuite{Name: "conform", Package: res.Target, Time: "0"})
		}
		doc.Suites[0].add(c)
	}
	// Config problems: an error case (not a failure of the target) naming each field, beside
	// the failures when specs failed too.
	if len(res.ConfigProblems) > 0 {
		c := junitCase{Name: "conform.config: the config is wrong for this target", Classname: "conform", Time: "0",
			Error: &junitProblem{Message: "config problems: " + firstLine(res.ConfigProblems[0]), Type: "config", Text: strings.Join(res.ConfigProblems, "\n")}}
		if len(doc.Suites) == 0 {
			doc.Suites = append(doc.Suites, junitSuite{Name: "conform", Package: res.Target, Time: "0"})
		}
		doc.Suites[0].add(c)
	}
	if res.Interrupted != "" {
		why := res.Interrupted
		if res.InterruptedByUser {
			why = "Interrupted by User: " + why // Ginkgo's words, which CI log filters know
		}
		c := junitCase{Name: "conform.run: the run as a whole", Classname: "conform", Time: "0",
			Error: &junitProblem{Message: string(res.Verdict) + ": " + firstLine(why), Type: "run", Text: why}}
		if len(doc.Suites) == 0 {
			doc.Suites = append(doc.Suites, junitSuite{Name: "conform", Package: res.Target, Time: "0"})
		}
		doc.Suites[0].add(c)
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	return doc
}

// underLoadProperties are the comparison of a run under load (--under-load) as suite
// properties: the load asked for and achieved, and the requirements of each list.
func underLoadProperties(u *UnderLoadResult) []junitProperty {
	if u == nil {
		return nil
	}
	b := u.Baseline
	ps := []junitProperty{{"under_load_rate", u.Rate}, {"under_load_profile", u.Profile}}
	if u.LoadError != "" {
		ps = append(ps, junitProperty{"under_load_error", u.LoadError})
	} else {
		ps = append(ps, junitProperty{"under_load_achieved_rate", fmt.Sprintf("%.1f", u.AchievedRate)},
			junitProperty{"under_load_requests", fmt.Sprint(u.Requests)},
			junitProperty{"under_load_success_ratio", fmt.Sprintf("%.4f", u.SuccessRatio)},
			junitProperty{"under_load_p99_ms", fmt.Sprintf("%.3f", u.Latency.P99)},
			junitProperty{"under_load_valid", fmt.Sprint(u.Valid)})
	}
	if l := u.LoadAnswers; l != nil {
		ps = append(ps, junitProperty{"under_load_answers_judged", fmt.Sprint(l.Judged)},
			junitProperty{"under_load_answers_refused_live", fmt.Sprint(l.RefusedLive)},
			junitProperty{"under_load_answers_ended_by_specs", fmt.Sprint(l.EndedBySpecs)})
	}
	return append(ps,
		junitProperty{"under_load_failed_only_under_load", strings.Join(u.OnlyUnderLoad, ",")},
		junitProperty{"under_load_failed_anyway", strings.Join(u.FailAnyway, ",")},
		junitProperty{"under_load_failed_only_without_load", strings.Join(u.OnlyWithoutLoad, ",")},
		junitProperty{"without_load_totals", fmt.Sprintf("%d passed, %d failed, %d skipped, %d waived, %d not run", b.Passed, b.Failed, b.Skipped, b.Waived, b.NotRun)})
}

func (s *junitSuite) add(c junitCase) {
	s.Cases = append(s.Cases, c)
	s.Tests++
	switch {
	case c.Failure != nil:
		s.Failures++
	case c.Error != nil:
		s.Errors++
	case c.Skipped != nil:
		s.Skipped++
	}
}

func junitCaseOf(sp SpecResult) junitCase {
	c := junitCase{Name: sp.ID + ": " + sp.Text, Classname: sp.Profile + "." + string(sp.Category), Time: seconds(sp.DurationMS), Status: string(sp.State)}
	switch sp.State {
	case Failed:
		text := "requirement: " + sp.Citation() + "\n" + sp.Message
		if sp.Location != "" {
			text += "\nat " + sp.Location
		}
		if sp.Reproducer != "" {
			text += "\n\nreproducer (sh FILE; exit 1: reproduced):\n" + sp.Reproducer
		}
		c.Failure = &junitProblem{Message: sp.ID + ": " + firstLine(sp.Message), Type: "failed", Text: text}
	case Waived:
		c.Skipped = &junitSkipped{Message: "waived: " + sp.Waiver + " (failed: " + firstLine(sp.Message) + ")"}
	case Skipped:
		c.Skipped = &junitSkipped{Message: sp.SkipReason}
	case NotRun:
		c.Skipped = &junitSkipped{Message: "not run: " + sp.SkipReason}
	}
	if len(sp.Exchanges) > 0 {
		var b strings.Builder
		for _, e := range sp.Exchanges {
			b.WriteString(e.String() + "\n")
		}
		c.SystemOut = b.String()
	}
	return c
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return l
}

func seconds(ms int64) string { return fmt.Sprintf("%.3f", float64(ms)/1000) }

// writeJUnit writes the JUnit report of res to path, secrets masked in every string and in
// the encoded file.
func writeJUnit(res *Result, path string, red *redact.Redactor) error {
	doc := junitOf(res)
	red.Walk(&doc)
	data, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode JUnit report: %w", err)
	}
	data = append([]byte(xml.Header), append(red.Bytes(data), '\n')...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write JUnit report: %w", err)
	}
	return nil
}
