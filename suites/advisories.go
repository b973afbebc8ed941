package suites

import (
	"fmt"
	"io"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/env"
)

// Advisory is a finding of a spec that is not a failure (see env.Advise): listed in the
// summary, the JSON report ("advisories") and the JUnit report (the spec's system-out), never
// counted in the totals, the verdict or the exit code.
type Advisory struct {
	// ID is the requirement of the spec that found it.
	ID string `json:"id"`
	// Spec is the text of that spec.
	Spec string `json:"spec"`
	env.Advisory
}

// advisoriesOf reads the advisories a spec recorded, in the order it recorded them.
func advisoriesOf(id string, sr types.SpecReport) []Advisory {
	var out []Advisory
	for _, e := range sr.ReportEntries {
		if e.Name != env.AdvisoryEntry {
			continue
		}
		if a, ok := e.GetRawValue().(env.Advisory); ok {
			out = append(out, Advisory{ID: id, Spec: sr.LeafNodeText, Advisory: a})
		}
	}
	return out
}

// String renders a as one line: `id: finding (reference)`.
func (a Advisory) String() string {
	return fmt.Sprintf("%s: %s (%s)", a.ID, a.Finding, a.Reference)
}

// printAdvisories lists the run's advisories under their own heading, escaped as every text
// the target may have shaped is.
func printAdvisories(w io.Writer, advisories []Advisory, color bool) {
	if len(advisories) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s (worth knowing; not failures, the verdict does not count them)\n", paint(color, yellow, "ADVISORIES"))
	for _, a := range advisories {
		fmt.Fprintf(w, "  ? %s\n", client.Printable(a.String()))
	}
}

// junitAdvisories is what a spec's advisories add to its JUnit system-out.
func junitAdvisories(advisories []Advisory) string {
	s := ""
	for _, a := range advisories {
		s += "advisory: " + a.String() + "\n"
	}
	return s
}
