package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/load"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/suites"
)

// TestExitCodeOfEachError is the mapping's table: each typed error, bare and wrapped with
// context as a library returns it, has its code; an error of no known type is conform's own
// failure to finish, never a usage mistake or a verdict.
func TestExitCodeOfEachError(t *testing.T) {
	pathErr := &fs.PathError{Op: "open", Path: "/nope/r.json", Err: fs.ErrNotExist}
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"no error", nil, exitOK},
		{"a verdict", &failedError{what: "specs failed"}, exitFailed},
		{"a flag value (this package)", usageErr("--format %q: use text, json, yaml or markdown", "csv"), exitUsage},
		{"suites: flags or config", &suites.UsageError{Err: errors.New("--target needs --config FILE")}, exitUsage},
		{"config: a field", &config.FieldError{File: "t.yaml", Line: 3, Field: "jwt.accounts[0].pasword", Msg: "unknown field"}, exitUsage},
		{"load: an option", &load.OptionError{Option: "rate", Msg: "must be positive"}, exitUsage},
		{"client: the target does not answer", &client.UnreachableError{URL: "http://127.0.0.1:1", Err: errors.New("connection refused")}, exitUsage},
		{"load: a certificate it cannot trust", &load.TLSError{URL: "https://127.0.0.1:1", Err: errors.New("x509: certificate signed by unknown authority")}, exitUsage},
		{"suites: specs that did not register", &suites.RegistrationError{}, exitUsage},
		{"profile: an account that cannot log in", &profile.AccountError{Profile: "jwt", Who: "bob@example.com"}, exitUsage},
		{"accounts that cannot log in, joined", errors.Join(&profile.AccountError{Profile: "jwt"}, &profile.AccountError{Profile: "lptracker"}), exitUsage},
		{"Ctrl-C", &interruptedError{what: "run"}, exitInterrupted},
		{"a report that cannot be written", fmt.Errorf("write JSON report: %w", pathErr), exitIncomplete},
		{"a bare file error is not a usage error", pathErr, exitIncomplete},
		{"an unknown error", errors.New("embedded reference: listen: address already in use"), exitIncomplete},
	}
	for _, c := range cases {
		if got := exitCode(c.err); got != c.want {
			t.Errorf("%s: exitCode(%v) = %d, want %d", c.name, c.err, got, c.want)
		}
		if c.err == nil {
			continue
		}
		if got := exitCode(fmt.Errorf("context: %w", c.err)); got != c.want {
			t.Errorf("%s, wrapped: exit %d, want %d", c.name, got, c.want)
		}
	}
}

// TestCLIErrorsAreTyped runs command lines in-process whose mistakes cobra, the commands or
// the libraries find, and checks the code and the one "conform: " line on stderr. None of them
// sends a request or runs a spec.
func TestCLIErrorsAreTyped(t *testing.T) {
	cases := []struct {
		args []string
		code int
		want string // on stderr
	}{
		{[]string{"--bogus"}, exitUsage, "unknown flag: --bogus"},
		{[]string{"lsit"}, exitUsage, `unknown command "lsit" for "conform"; did you mean list?`},
		{[]string{"list", "extra"}, exitUsage, `unknown command "extra" for "conform list"`},
		{[]string{"run", "--timeout", "soon"}, exitUsage, `invalid argument "soon" for "--timeout"`},
		{[]string{"list", "--format"}, exitUsage, "flag needs an argument: --format"},
		{[]string{"list", "--format", "csv"}, exitUsage, `--format "csv": use text, json, yaml or markdown`},
		{[]string{"list", "--profile", "nope"}, exitUsage, `--profile "nope" has no specs`},
		{[]string{"list", "--statements"}, exitUsage, "--statements goes with --ledger"},
		{[]string{"list", "--ledger", "--profile", "nope"}, exitUsage, `--profile "nope" has no ledger`},
		{[]string{"report"}, exitUsage, "requires at least 1 arg(s)"},
		{[]string{"report", "/nonexistent/results.bin"}, exitUsage, "/nonexistent/results.bin"},
		{[]string{"load", "--profile", "jwt", "--rate", "0/s"}, exitUsage, "--rate"},
		{[]string{"load", "--profile", "nope"}, exitUsage, `--profile: "nope" is not a profile`},
		{[]string{"load", "--profile", "jwt", "--config", "/nonexistent/t.yaml"}, exitUsage, "read config"},
		{[]string{"serve", "--token-ttl", "-1s"}, exitUsage, "token TTL must be positive"},
		{[]string{"serve", "--users", "/nonexistent/users.yaml"}, exitUsage, "/nonexistent/users.yaml"},
	}
	for _, c := range cases {
		var out, errOut bytes.Buffer
		code := run(c.args, &out, &errOut)
		lines := strings.Split(strings.TrimSpace(errOut.String()), "\n")
		if code != c.code || len(lines) != 1 || !strings.HasPrefix(lines[0], "conform: ") || !strings.Contains(lines[0], c.want) {
			t.Errorf("conform %s: exit %d, stderr %q; want %d and one line with %q", strings.Join(c.args, " "), code, errOut.String(), c.code, c.want)
		}
	}
}

func TestHelpAndListSucceed(t *testing.T) {
	for _, args := range [][]string{{}, {"--help"}, {"help", "run"}, {"run", "--help"}, {"list", "--profile", "jwt"}, {"list", "--ledger"}, {"list", "--ledger", "--statements", "--format", "markdown"}} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != exitOK || errOut.Len() > 0 || out.Len() == 0 {
			t.Errorf("conform %s: exit %d, stderr %q, %d bytes of output", strings.Join(args, " "), code, errOut.String(), out.Len())
		}
	}
	var out bytes.Buffer
	run([]string{"--help"}, &out, &out)
	for _, code := range []string{"3 conform itself could not finish", "130\ninterrupted by Ctrl-C"} {
		if !strings.Contains(out.String(), code) {
			t.Errorf("--help does not document exit code %q:\n%s", code, out.String())
		}
	}
}

// TestUnwritableReportExits3AfterTheSummary: the specs ran and the summary is printed, but the
// report CI asked for is missing, so the run is neither a pass nor a usage mistake.
func TestUnwritableReportExits3AfterTheSummary(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code := run([]string{"run", "--profile", "jwt", "--label-filter", "req:jwt.token.query", "--json-report", filepath.Join(file, "r.json")}, &out, &errOut)
	if code != exitIncomplete || !strings.HasPrefix(errOut.String(), "conform: could not finish: write JSON report: ") {
		t.Errorf("exit %d, stderr %q; want %d and the report named", code, errOut.String(), exitIncomplete)
	}
	if !strings.Contains(out.String(), "PASS") || !strings.Contains(out.String(), "1 passed") {
		t.Errorf("the summary is missing:\n%s", out.String())
	}
}

// TestRunVerdictExitCodes: each verdict of a run, and an interrupt, has its exit code; an
// interrupt wins over everything, since the counts are partial.
func TestRunVerdictExitCodes(t *testing.T) {
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	live := context.Background()
	cases := []struct {
		name string
		ctx  context.Context
		res  *suites.Result
		err  error
		want int
		line string // in the error's message
	}{
		{"pass", live, &suites.Result{Verdict: suites.VerdictPass}, nil, exitOK, ""},
		{"a spec failed", live, &suites.Result{Verdict: suites.VerdictFail}, nil, exitFailed, ""},
		{"the target stopped answering", live, &suites.Result{Verdict: suites.VerdictCutShort}, nil, exitFailed, ""},
		{"a config value proved wrong", live, &suites.Result{Verdict: suites.VerdictConfigError, ConfigProblems: []string{"jwt.security.expired-refused: jwt.jwt.secret does not verify"}}, nil, exitUsage, "jwt.jwt.secret does not verify"},
		{"a spec failed, a config value proved wrong beside it", live, &suites.Result{Verdict: suites.VerdictFail, ConfigProblems: []string{"jwt.security.expired-refused: jwt.jwt.secret does not verify"}}, nil, exitFailed, ""},
		{"every spec skipped itself", live, &suites.Result{Verdict: suites.VerdictNothingChecked}, nil, exitUsage, "nothing was checked"},
		{"Ctrl-C during the specs", live, &suites.Result{Verdict: suites.VerdictInterrupted, InterruptedByUser: true}, nil, exitInterrupted, "run interrupted"},
		{"Ctrl-C during the preflight", ended, nil, context.Canceled, exitInterrupted, "run interrupted"},
		{"Ctrl-C while the reports were written", ended, &suites.Result{Verdict: suites.VerdictPass}, errors.New("write JSON report: disk full"), exitInterrupted, "run interrupted"},
		{"a report that could not be written", live, &suites.Result{Verdict: suites.VerdictPass}, errors.New("write JSON report: disk full"), exitIncomplete, "disk full"},
	}
	for _, c := range cases {
		err := runVerdict(c.ctx, c.res, c.err)
		if got := exitCode(err); got != c.want || (c.line != "" && !strings.Contains(err.Error(), c.line)) {
			t.Errorf("%s: exit %d (%v), want %d and %q", c.name, got, err, c.want, c.line)
		}
	}
}
