package suites

import (
	"encoding/xml"
	"fmt"
	"os"
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
// case "conform.run". testdata/junit.xsd is the schema it is checked against.
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
		s.Properties = []junitProperty{{"target", res.Target}, {"verdict", string(res.Verdict)}, {"conform_version", res.ConformVersion}, {"strict", fmt.Sprint(res.Strict)}}
		var ms int64
		for _, sp := range res.Specs {
			if sp.Profile != p {
				continue
			}
			ms += sp.DurationMS
			c := junitCaseOf(sp)
			// Advisories are not failures: they go to the spec's system-out.
			c.SystemOut += junitAdvisories(advised[sp.ID+"\x00"+sp.Text])
			s.add(c)
		}
		s.Time = seconds(ms)
		doc.Suites = append(doc.Suites, s)
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
