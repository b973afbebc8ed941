package e2e_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/suites"
)

// TestASelectionThatRunsNothingExits2: a run that would test nothing is not green; it says so
// in one line, before anything is sent, and a --focus that is no regexp is the same kind of
// line, not a Go panic.
func TestASelectionThatRunsNothingExits2(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--focus", "nothing"}, `conform: nothing to run: --focus "nothing" selects no spec of jwt`},
		{[]string{"--label-filter", "security"}, `selects only should-level specs of jwt (`},
		{[]string{"--label-filter", "security"}, `): add --strict to run them`},
		{[]string{"--label-filter", "ttl", "--focus", "query"}, `conform: nothing to run: --label-filter "ttl" with --focus "query" selects no spec of jwt`},
		{[]string{"--focus", "("}, `conform: --focus "(" is not a regexp: error parsing regexp: missing closing ): ` + "`(`"},
	} {
		r := conform(t, append([]string{"run", "--profile", "jwt"}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		if r.code != 2 || len(lines) != 1 || !strings.Contains(lines[0], c.want) || r.report != nil {
			t.Errorf("%v: exit %d, stderr %q, report written %v; want 2 and one line with %q", c.args, r.code, r.stderr, r.report != nil, c.want)
		}
	}
}

// TestAWrongPasswordIsOneLineNamingTheAccount: a wrong password in the config costs one line
// naming the profile, the account (never its password) and the target's answer, within 5 s,
// instead of a screen of spec failures; the reports asked for say the same.
func TestAWrongPasswordIsOneLineNamingTheAccount(t *testing.T) {
	t.Parallel()
	url := startReference(t)
	right := "    - {login: bob@example.com, password: bob-password-2}\n  services:" // lptracker's second account
	cfg := configWith(t, fixtures.ReferenceConfig, map[string]string{right: strings.Replace(right, "bob-password-2", "bob-password-3", 1)})
	start := time.Now()
	r := conform(t, "run", "--target", url, "--config", cfg, "--profile", "lptracker,jwt")
	took := time.Since(start)
	want := `conform: lptracker.accounts[1] (bob@example.com) cannot log in: HTTP 401 {"status":"error","errors":[{"code":401,"message":"Invalid login or password"}]}: check its password in ` + cfg
	if r.code != 2 || strings.TrimSpace(r.stderr) != want || r.stdout != "" {
		t.Errorf("exit %d\nstderr %q\nstdout %q\nwant 2 and the one line %q", r.code, r.stderr, r.stdout, want)
	}
	// The report says the same: no spec, CONFIG ERROR, the line.
	if r.report == nil || r.report.Verdict != suites.VerdictConfigError || len(r.report.Specs) != 0 || len(r.report.ConfigProblems) != 1 ||
		r.report.ConfigProblems[0] != "preflight: "+strings.TrimPrefix(want, "conform: ") {
		t.Errorf("report %+v", r.report)
	}
	if strings.Contains(r.stderr, "bob-password-3") {
		t.Error("the line shows the password")
	}
	if took > 5*time.Second {
		t.Errorf("took %s, want under 5 s", took)
	}
	t.Logf("a wrong password: exit %d after %s", r.code, took.Round(time.Millisecond))
}

// TestAWrongJWTSecretNeverPasses: jwt.security.expired-refused mints its expired token with the
// config's jwt.secret. With the target's key it passes, and still catches a target that ignores
// exp; with a wrong key the forged token would be refused for its signature, so the spec proves
// the key first and, when the target refuses it, skips and the run is a config error (exit 2),
// never a pass.
func TestAWrongJWTSecretNeverPasses(t *testing.T) {
	t.Parallel()
	const key = "the-reference-key"
	withSecret := func(secret string) string {
		return configWith(t, fixtures.ReferenceConfig, map[string]string{"jwt:\n  base_path: /jwt\n": "jwt:\n  base_path: /jwt\n  jwt: {secret: " + secret + "}\n"})
	}
	for _, c := range []struct {
		name   string
		breaks []string
		secret string
		code   int
		state  suites.State
	}{
		{"the target's key", nil, key, 0, suites.Passed},
		{"the target's key, a target that ignores exp", []string{"jwt.ignore-exp"}, key, 1, suites.Failed},
		{"a wrong key", nil, "not-" + key, 2, suites.Skipped},
		{"a wrong key, a target that ignores exp", []string{"jwt.ignore-exp"}, "not-" + key, 2, suites.Skipped},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := serveReference(t, reference.Options{Breaks: c.breaks, JWTSecret: []byte(key)})
			r := conform(t, "run", "--target", url, "--config", withSecret(c.secret), "--profile", "jwt", "--strict", "--label-filter", "req:jwt.security.expired-refused")
			if r.report == nil {
				t.Fatalf("exit %d, no report\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			var s suites.SpecResult
			for _, x := range r.report.Specs {
				if x.ID == "jwt.security.expired-refused" {
					s = x
				}
			}
			if r.code != c.code || s.State != c.state {
				t.Errorf("exit %d, %s %s (%s); want exit %d, %s\n%s", r.code, s.ID, s.State, s.SkipReason, c.code, c.state, r.stdout)
			}
			if c.state != suites.Skipped {
				return
			}
			const why = "jwt.jwt.secret does not verify on the target"
			if !strings.HasPrefix(s.SkipReason, why) || len(r.report.ConfigProblems) != 1 || r.report.Verdict != suites.VerdictConfigError {
				t.Errorf("skip reason %q, config problems %q, verdict %s", s.SkipReason, r.report.ConfigProblems, r.report.Verdict)
			}
			if !strings.Contains(r.stderr, "conform: the config is wrong for this target: jwt.security.expired-refused: "+why) || !strings.Contains(r.stdout, "\nCONFIG ERROR in ") {
				t.Errorf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
			}
			if strings.Contains(r.stdout+r.stderr, c.secret) {
				t.Error("the output shows the secret")
			}
		})
	}
}

// TestALoadWhereNothingSucceedsExits1: whatever the thresholds, a load run whose answers were
// all failures (here, login answers cut short: no JSON, so no token) exits 1 naming why.
func TestALoadWhereNothingSucceedsExits1(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/users/login" && r.Header.Get("Content-Type") == "application/json" {
			io.WriteString(w, `{"uid": "1", "token": "a.b.c"`)
		}
	}))
	defer srv.Close()
	cfg := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(cfg, []byte("jwt:\n  accounts: [{login: a@example.com, password: pw}]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := conform(t, "load", "--target", srv.URL, "--config", cfg, "--profile", "jwt", "--scenario", "login", "--rate", "40/s", "--duration", "500ms", "--report", "json")
	var rep struct {
		Successes uint64 `json:"successes"`
		Requests  uint64 `json:"requests"`
		Valid     bool   `json:"valid"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, r.stdout)
	}
	if r.code != 1 || rep.Successes != 0 || rep.Requests == 0 || !strings.Contains(r.stderr, "conform: threshold success") {
		t.Errorf("exit %d, %d of %d succeeded (valid %v), stderr %q; want exit 1 naming the success check", r.code, rep.Successes, rep.Requests, rep.Valid, r.stderr)
	}
}
