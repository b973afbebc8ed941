package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"conform/reference"
	"conform/suites"
)

// bin is the conform binary built once for the out-of-process tests: they run it as a user
// (and CI) would, and read its exit code, output and reports.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "conform-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "conform")
	// Built without -race: these tests exercise the CLI; the in-process suites run under -race.
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build conform: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	code   int
	stdout string
	stderr string
	report *suites.Result
}

// conform runs the binary with args, adding a JSON report it then reads.
func conform(t *testing.T, args ...string) result {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	if len(args) > 0 && args[0] == "run" {
		args = append(args, "--json-report", report)
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = "../.."
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run conform: %v", err)
	}
	if data, err := os.ReadFile(report); err == nil {
		r.report = &suites.Result{}
		if err := json.Unmarshal(data, r.report); err != nil {
			t.Fatalf("read JSON report: %v", err)
		}
	}
	return r
}

// reference starts the reference with the given breaks and the test clock, every profile of
// fixtures/reference.yaml under its base path.
func startReference(t *testing.T, breaks ...string) string {
	t.Helper()
	users, err := reference.DefaultUsers()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := reference.New(reference.Options{Profiles: []string{"lptracker", "jwt"}, Users: users, TestClock: true, Breaks: breaks})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return hs.URL
}

// failedIDs lists the requirement ids that failed in a report.
func failedIDs(r *suites.Result) map[string]bool {
	out := map[string]bool{}
	for _, s := range r.Specs {
		if s.State == suites.Failed {
			out[s.ID] = true
		}
	}
	return out
}
