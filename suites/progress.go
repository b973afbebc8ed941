package suites

import (
	"fmt"
	"io"
	"strings"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/conformhq/conform/specs/cite"
)

// progress prints one line per spec as it finishes, so a long run (real TTL waits) shows life.
type progress struct {
	out    io.Writer
	color  bool
	passed map[specAt]bool // the specs this printed as passed
}

// specAt tells one spec from another: variations of a behavior register at one code line.
type specAt struct {
	loc  types.CodeLocation
	text string
}

func at(sr types.SpecReport) specAt { return specAt{sr.LeafNodeLocation, sr.FullText()} }

func (p *progress) spec(sr types.SpecReport) {
	if sr.LeafNodeType != types.NodeTypeIt {
		return
	}
	if sr.State == types.SpecStatePassed {
		if p.passed == nil {
			p.passed = map[specAt]bool{}
		}
		p.passed[at(sr)] = true
	}
	if sr.State == types.SpecStateSkipped && (sr.Failure.Message == "" || sr.Failure.Message == skipInterrupted) {
		return // filtered out, or not run after an interrupt: listed in the summary, not as progress
	}
	id := cite.IDFromLabels(sr.Labels())
	mark, col := "✓", green
	switch {
	case sr.State == types.SpecStateSkipped:
		mark, col = "-", yellow
	case sr.State == types.SpecStateInterrupted: // stopped by Ctrl-C: not shown to fail
		mark, col = "!", yellow
	case sr.State.Is(types.SpecStateFailureStates):
		mark, col = "✗", red
	}
	fmt.Fprintf(p.out, "  %s %-44s %s %s\n", paint(p.color, col, mark), id, sr.LeafNodeText, paint(p.color, dim, fmt.Sprintf("(%s)", sr.RunTime.Round(1e6))))
}

const (
	red    = "31"
	green  = "32"
	yellow = "33"
	bold   = "1"
	dim    = "2"
)

func paint(on bool, code, s string) string {
	if !on {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

func indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// reconcile makes the report say what the progress lines said: a Ctrl-C that lands while
// Ginkgo is still reporting a spec that passed (between its ✓ line and the end of its
// reporting nodes) makes Ginkgo mark it interrupted; its checks had all run and passed.
func (p *progress) reconcile(report *types.Report) {
	for i, sr := range report.SpecReports {
		if sr.State == types.SpecStateInterrupted && p.passed[at(sr)] {
			report.SpecReports[i].State = types.SpecStatePassed
		}
	}
}
