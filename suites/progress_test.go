package suites

import (
	"io"
	"testing"

	"github.com/onsi/ginkgo/v2/types"
)

// TestReconcileKeepsWhatTheConsoleSaid: a spec printed as passed stays passed when Ginkgo
// marks it interrupted afterwards (Ctrl-C during its reporting nodes); another variation
// registered at the same line that was really interrupted stays interrupted.
func TestReconcileKeepsWhatTheConsoleSaid(t *testing.T) {
	loc := types.CodeLocation{FileName: "token.go", LineNumber: 7}
	spec := func(text string, state types.SpecState) types.SpecReport {
		return types.SpecReport{LeafNodeType: types.NodeTypeIt, LeafNodeLocation: loc, LeafNodeText: text, State: state}
	}
	p := &progress{out: io.Discard}
	p.spec(spec("in the header", types.SpecStatePassed))
	report := types.Report{SpecReports: types.SpecReports{spec("in the header", types.SpecStateInterrupted), spec("in the query", types.SpecStateInterrupted)}}
	p.reconcile(&report)
	if got := report.SpecReports[0].State; got != types.SpecStatePassed {
		t.Errorf("printed as passed, reported %s", got)
	}
	if got := report.SpecReports[1].State; got != types.SpecStateInterrupted {
		t.Errorf("never printed as passed, reported %s", got)
	}
}
