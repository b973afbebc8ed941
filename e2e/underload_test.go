package e2e_test

import (
	"strings"
	"testing"
)

// TestRunUnderLoad runs the jwt specs on the embedded reference with conform load's validate
// scenario beside them: the specs pass and both reports are printed, the load's after the
// verdict.
func TestRunUnderLoad(t *testing.T) {
	r := conform(t, "run", "--profile", "jwt", "--label-filter", "req:jwt.token.header", "--under-load", "50/s")
	if r.code != 0 {
		t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
	}
	specs, loadRep, ok := strings.Cut(r.stdout, "LOAD alongside the specs")
	if !ok || !strings.Contains(specs, "PASS in ") {
		t.Fatalf("want the spec summary, then the load report:\n%s", r.stdout)
	}
	for _, want := range []string{"jwt validate against", "achieved", "latency", "verdict    PASS"} {
		if !strings.Contains(loadRep, want) {
			t.Errorf("load report has no %q:\n%s", want, loadRep)
		}
	}
	if r := conform(t, "run", "--profile", "jwt", "--under-load", "fast"); r.code != 2 || !strings.Contains(r.stderr+r.stdout, "--under-load \"fast\"") {
		t.Errorf("a bad rate: exit %d, want 2 naming --under-load\n%s%s", r.code, r.stdout, r.stderr)
	}
}
