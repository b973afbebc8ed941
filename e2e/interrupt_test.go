//go:build unix

package e2e_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/suites"
)

// interrupted runs the binary with args, sends it SIGINT (as Ctrl-C does) once a line of its
// stdout contains after, and returns its exit code and output. The run must end within a
// few seconds of the signal.
func interrupted(t *testing.T, after string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = ".."
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	seen := make(chan struct{})
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(io.TeeReader(out, &all))
		found := false
		for sc.Scan() {
			if !found && strings.Contains(sc.Text(), after) {
				found = true
				close(seen)
			}
		}
	}()
	select {
	case <-seen:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("no %q on stdout in 30 s", after)
	}
	code = sigint(t, cmd, func() { <-copied })
	return code, all.String(), errOut.String()
}

// sigint sends SIGINT to cmd, runs drain (reading what is left of its output) and waits for
// it, failing the test unless it ends within 5 s of the signal. It returns the exit code.
func sigint(t *testing.T, cmd *exec.Cmd, drain func()) int {
	t.Helper()
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	drain()
	err := cmd.Wait()
	if took := time.Since(signalled); took > 5*time.Second {
		t.Errorf("ended %s after SIGINT; want within 5 s", took)
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return 0
}

// TestCtrlCOnRunExits130AndTheReportsSayInterrupted: Ctrl-C in the middle of a run (after
// its first spec, during the real wait of a TTL spec) stops it at once; it exits 130, its
// last line says INTERRUPTED (never PASS), and the JSON and JUnit reports both say the run
// was interrupted.
func TestCtrlCOnRunExits130AndTheReportsSayInterrupted(t *testing.T) {
	url := startReference(t)
	// lptracker's TTL without the clock hook: its spec waits most of 20 s for real.
	cfg := configWith(t, fixtures.ReferenceConfig, map[string]string{
		"    idle: 24h\n    # Test-only hook (`conform serve --test-clock`): TTL specs advance the clock, no real wait.\n    clock_hook: {method: POST, path: \"/__conform/clock?advance={duration}\"}\n": "    idle: 20s\n",
	})
	dir := t.TempDir()
	jsonReport, junit := filepath.Join(dir, "r.json"), filepath.Join(dir, "junit.xml")
	// The two specs run in this order (a fixed seed): the TTL spec's wait follows the first.
	code, stdout, stderr := interrupted(t, "✓ jwt.token.header", "run", "--target", url, "--config", cfg, "--profile", "lptracker,jwt",
		"--label-filter", "req:jwt.token.header || req:lptracker.ttl.valid-within-idle", "--max-wait", "30s",
		"--json-report", jsonReport, "--junit-report", junit)
	if code != 130 || !strings.Contains(stderr, "conform: run interrupted") {
		t.Errorf("exit %d, stderr %q; want 130", code, stderr)
	}
	if !strings.Contains(stdout, "\nINTERRUPTED after ") || strings.Contains(stdout, "\nPASS") || strings.Contains(stdout, "✗") {
		t.Errorf("the verdict line does not say the run was cut short:\n%s", stdout)
	}
	data, err := os.ReadFile(jsonReport)
	if err != nil {
		t.Fatal(err)
	}
	var res suites.Result
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Interrupted, "interrupted") || !res.InterruptedByUser || res.Verdict != suites.VerdictInterrupted || res.Totals.Passed != 1 || res.Totals.Failed != 0 {
		t.Errorf("JSON report: interrupted %q by the user %v, verdict %s, totals %+v\nstdout:\n%s", res.Interrupted, res.InterruptedByUser, res.Verdict, res.Totals, stdout)
	}
	if data, err = os.ReadFile(junit); err != nil || !strings.Contains(string(data), "Interrupted by User") {
		t.Errorf("JUnit report does not say interrupted: %v\n%.2000s", err, data)
	}
}

// TestCtrlCOnLoadExits130AndTheReportSaysInterrupted: Ctrl-C stops `conform load` and
// `conform load --find-max`; each prints what it gathered, marked INTERRUPTED, and exits 130.
func TestCtrlCOnLoadExits130AndTheReportSaysInterrupted(t *testing.T) {
	quick := []string{"load", "--profile", "jwt", "--scenario", "validate", "--users", "2", "--bcrypt-cost", "4"}
	t.Run("load", func(t *testing.T) {
		// The text report's first line comes only at the end; a JSON report would too. So the
		// signal follows a fixed wait, well inside the 30 s run.
		code, stdout, stderr := interruptedAfter(t, 1500*time.Millisecond, append(quick, "--rate", "50/s", "--duration", "30s")...)
		if code != 130 || !strings.Contains(stderr, "conform: load interrupted") {
			t.Errorf("exit %d, stderr %q; want 130", code, stderr)
		}
		ls := strings.Split(strings.TrimSpace(stdout), "\n")
		if last := strings.TrimSpace(ls[len(ls)-1]); !strings.HasPrefix(last, "verdict ") || !strings.Contains(last, "INTERRUPTED after ") ||
			strings.Contains(stdout, "VALID: the requested rate was sent") {
			t.Errorf("report:\n%s", stdout)
		}
	})
	t.Run("find-max", func(t *testing.T) {
		code, stdout, stderr := interruptedAfter(t, 1500*time.Millisecond, append(quick, "--find-max", "--rate", "20/s", "--duration", "1s", "--report", "json")...)
		var rep struct {
			Interrupted bool `json:"interrupted"`
			FindMax     *struct {
				Interrupted bool              `json:"interrupted"`
				Steps       []json.RawMessage `json:"steps"`
			} `json:"find_max"`
		}
		if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
			t.Fatalf("report: %v\n%s", err, stdout)
		}
		if code != 130 || !rep.Interrupted || rep.FindMax == nil || !rep.FindMax.Interrupted || len(rep.FindMax.Steps) == 0 {
			t.Errorf("exit %d, stderr %q, report %s; want 130 and the search marked interrupted", code, stderr, stdout)
		}
	})
}

// interruptedAfter is interrupted with the signal sent after a fixed wait.
func interruptedAfter(t *testing.T, wait time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = ".."
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(wait)
	code = sigint(t, cmd, func() {})
	return code, out.String(), errOut.String()
}
