package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadStages runs the binary with a ramp-hold-ramp shape: the report shows each stage and
// the run over time, the threshold is judged on the hold, and the plot draws the rate, the
// success and the latency percentiles per second.
func TestLoadStages(t *testing.T) {
	t.Parallel()
	plot := filepath.Join(t.TempDir(), "plot.html")
	r := conform(t, "load", "--profile", "jwt", "--scenario", "validate", "--users", "2", "--bcrypt-cost", "4",
		"--stages", "500ms:100/s,1s:100/s,500ms:0/s", "--min-success", "0.99", "--plot", plot)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"0 -> 100", "100 hold", "100 -> 0", "over time", "on the hold stages", "verdict    PASS"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, r.stdout)
		}
	}
	html, err := os.ReadFile(plot)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"requested/s", "achieved/s", "success %", "p50", "p90", "p99"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("plot lacks %q", want)
		}
	}
	if r := conform(t, "load", "--profile", "jwt", "--stages", "10s:100/s", "--rate", "5/s"); r.code != 2 || !strings.Contains(r.stderr, "without --rate") {
		t.Errorf("--stages with --rate: exit %d, %s", r.code, r.stderr)
	}
}
