package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cli runs conform in-process with args and returns its exit code and output, as main does.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

var quickLoad = []string{"load", "--profile", "jwt", "--scenario", "validate", "--rate", "50/s", "--duration", "1s", "--users", "2", "--bcrypt-cost", "4"}

func TestLoadThresholdExitCodes(t *testing.T) {
	code, out, errOut := cli(t, append(quickLoad, "--max-p99", "1us", "--min-success", "0.99")...)
	if code != 1 || !strings.Contains(errOut, "threshold max-p99 1µs broken") || strings.Contains(errOut, "min-success") {
		t.Errorf("exit %d, stderr %q; want 1 naming max-p99 only", code, errOut)
	}
	if !strings.Contains(out, "threshold  max-p99 1µs: BROKEN") || !strings.Contains(out, "min-success 0.99: ok") {
		t.Errorf("report:\n%s", out)
	}
}

func TestLoadOutputAndReport(t *testing.T) {
	dir := t.TempDir()
	a, b, html := filepath.Join(dir, "a.bin"), filepath.Join(dir, "b.bin"), filepath.Join(dir, "plot.html")
	if code, out, errOut := cli(t, append(quickLoad, "--output", a, "--name", "a", "--plot", html, "--report", "json")...); code != 0 || !strings.Contains(out, `"valid": true`) {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := cli(t, append(quickLoad, "--output", b, "--name", "b")...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if fi, err := os.Stat(html); err != nil || fi.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
	code, out, errOut := cli(t, "report", a, b)
	if code != 0 || !strings.Contains(out, "2 attacks merged") || !strings.Contains(out, "100.00% (100/100)") || !strings.Contains(out, `attack "b"`) {
		t.Errorf("report exit %d\n%s\n%s", code, out, errOut)
	}
	if code, _, errOut := cli(t, "report", "--min-rps", "1e9", a); code != 1 || !strings.Contains(errOut, "min-rps") {
		t.Errorf("report threshold: exit %d, %s", code, errOut)
	}
	if code, _, _ := cli(t, "report", filepath.Join(dir, "missing.bin")); code != 2 {
		t.Errorf("missing file: exit %d, want 2", code)
	}
}

func TestLoadUsageAndUnreachable(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "t.yaml")
	os.WriteFile(cfg, []byte("jwt:\n  accounts: [{login: a@example.com, password: pw}]\n"), 0o600)
	start := time.Now()
	code, _, errOut := cli(t, "load", "--profile", "jwt", "--target", "http://127.0.0.1:1", "--config", cfg)
	if code != 2 || !strings.Contains(errOut, "unreachable") || time.Since(start) > 5*time.Second {
		t.Errorf("unreachable: exit %d after %s, %q", code, time.Since(start), errOut)
	}
	for _, args := range [][]string{
		{"load"},
		{"load", "--profile", "jwt", "--rate", "fast"},
		{"load", "--profile", "jwt", "--scenario", "logout"},
		{"load", "--profile", "jwt", "--target", "http://127.0.0.1:1"},
		{"load", "--profile", "jwt", "--report", "xml"},
	} {
		if code, _, errOut := cli(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
}
