package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/suites"
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

// startReference starts the reference with the given breaks and the test clock, every profile of
// fixtures/reference.yaml under its base path. Its 2FA codes go nowhere: use
// startReferenceWithSinks to check flylogs or newapikey.
func startReference(t *testing.T, breaks ...string) string {
	t.Helper()
	return serveReference(t, reference.Options{Breaks: breaks})
}

// startReferenceWithSinks is startReference with the reference mailing and texting its 2FA
// codes to sinks on free loopback ports, as the embedded run wires it. It returns the URL and
// a copy of fixtures/reference.yaml whose sinks listen on those ports, for --config: the
// conform binary under test starts the sinks itself. Each test gets its own ports, so tests
// run in parallel.
func startReferenceWithSinks(t *testing.T, breaks ...string) (url, configPath string) {
	t.Helper()
	smtpAddr, webhookAddr := freeAddr(t), freeAddr(t)
	url = serveReference(t, reference.Options{Breaks: breaks, SMTPAddr: smtpAddr, SMSWebhookURL: "http://" + webhookAddr + "/sms"})
	return url, configWith(t, fixtures.ReferenceConfig, map[string]string{"127.0.0.1:2525": smtpAddr, "127.0.0.1:8025": webhookAddr})
}

func serveReference(t *testing.T, o reference.Options) string {
	t.Helper()
	users, err := reference.DefaultUsers()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := profile.Schema().Parse("fixtures/reference.yaml", fixtures.ReferenceConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	o.Profiles, o.Users, o.TestClock = cfg.Present(), users, true
	srv, err := reference.New(o)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { hs.Close(); srv.Close() })
	return hs.URL
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// configWith writes base with each key of replace replaced by its value to a temporary file.
func configWith(t *testing.T, base []byte, replace map[string]string) string {
	t.Helper()
	s := string(base)
	for old, repl := range replace {
		if !strings.Contains(s, old) {
			t.Fatalf("config has no %q to replace", old)
		}
		s = strings.ReplaceAll(s, old, repl)
	}
	p := filepath.Join(t.TempDir(), "target.yaml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
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
