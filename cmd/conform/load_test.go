package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
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

// TestLoadOutputAndReport: --output files hold every result a run reported, and conform
// report merges them into the sum of the runs. Counts are taken from the runs' own JSON
// reports, not from the rate times the duration: a busy machine may send fewer (the run then
// exits 1 as not valid, which is all it may break).
func TestLoadOutputAndReport(t *testing.T) {
	dir := t.TempDir()
	a, b, html := filepath.Join(dir, "a.bin"), filepath.Join(dir, "b.bin"), filepath.Join(dir, "plot.html")
	loadRun := func(args ...string) uint64 {
		t.Helper()
		code, out, errOut := cli(t, append(append(quickLoad, "--report", "json"), args...)...)
		var rep struct {
			Requests  uint64 `json:"requests"`
			Successes uint64 `json:"successes"`
			Valid     bool   `json:"valid"`
			Verdict   struct {
				Result string   `json:"result"`
				Broken []string `json:"broken"`
			} `json:"verdict"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("exit %d: %v\n%s\n%s", code, err, out, errOut)
		}
		ok := code == 0 && rep.Valid && rep.Verdict.Result == "pass"
		notValid := code == 1 && !rep.Valid && rep.Verdict.Result == "fail" && slices.Equal(rep.Verdict.Broken, []string{"valid"})
		if !ok && !notValid || rep.Requests == 0 || rep.Successes != rep.Requests {
			t.Fatalf("exit %d, valid %v, verdict %+v, %d/%d successes\n%s", code, rep.Valid, rep.Verdict, rep.Successes, rep.Requests, errOut)
		}
		return rep.Requests
	}
	n := loadRun("--output", a, "--name", "a", "--plot", html)
	n += loadRun("--output", b, "--name", "b")
	if fi, err := os.Stat(html); err != nil || fi.Size() < 1000 {
		t.Errorf("plot: %v", err)
	}
	code, out, errOut := cli(t, "report", a, b)
	if code != 0 || !strings.Contains(out, "2 attacks merged") || !strings.Contains(out, fmt.Sprintf("100.00%% (%d/%d)", n, n)) || !strings.Contains(out, `attack "b"`) {
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

// TestLoadVerdictsOfATargetThatNeverLogsIn: a login answer that is cut short is no success, and
// a run with no success exits 1 naming why, without any threshold; a wrong password in the
// config is one line and exit 2 before any load; a login that answers without a token stops
// the validate scenario with exit 1.
func TestLoadVerdictsOfATargetThatNeverLogsIn(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch {
		case r.URL.Path != "/users/login":
			w.WriteHeader(http.StatusUnauthorized)
		case strings.Contains(string(body), `"password":"wrong"`):
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success":false,"message":"Authentication failed. Wrong password."}`)
		default:
			io.WriteString(w, `{"uid":"1","token":"a.b.c"`) // cut short
		}
	}))
	defer srv.Close()
	cfg := func(password string) string {
		p := filepath.Join(t.TempDir(), "t.yaml")
		os.WriteFile(p, []byte("jwt:\n  accounts: [{login: a@example.com, password: "+password+"}]\n"), 0o600)
		return p
	}
	args := []string{"load", "--profile", "jwt", "--target", srv.URL, "--rate", "40/s", "--duration", "300ms"}

	code, out, errOut := cli(t, append(args, "--scenario", "login", "--config", cfg("right"))...)
	if code != exitFailed || !strings.Contains(errOut, "conform: threshold success") || !strings.Contains(errOut, "none of") {
		t.Errorf("0%% success: exit %d, stderr %q; want 1 naming the success check", code, errOut)
	}
	if !strings.Contains(out, "0.00% (0/") || !strings.Contains(out, "BROKEN") {
		t.Errorf("report:\n%s", out)
	}

	start := time.Now()
	code, out, errOut = cli(t, append(args, "--scenario", "login", "--config", cfg("wrong"))...)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != exitUsage || len(lines) != 1 || !strings.HasPrefix(lines[0], "conform: jwt.accounts[0] (a@example.com) cannot log in: HTTP 401 ") || out != "" {
		t.Errorf("wrong password: exit %d, stdout %q, stderr %q; want 2 and one line naming the account", code, out, errOut)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("wrong password: took %s", took)
	}

	code, _, errOut = cli(t, append(args, "--scenario", "validate", "--users", "2", "--config", cfg("right"))...)
	if code != exitFailed || !strings.Contains(errOut, "a@example.com's login answered HTTP 200 without a token: the answer is not JSON") {
		t.Errorf("validate: exit %d, stderr %q; want 1 naming the login's answer", code, errOut)
	}
}

// TestLoadOverHTTPS: a self-signed target without --ca-cert is one line naming the
// certificate problem and exit 2, nothing sent; with --ca-cert the load runs, and the report
// says it went over TLS.
func TestLoadOverHTTPS(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		io.WriteString(w, `{"uid":"1","token":"a.b.c"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake
	srv.StartTLS()
	defer srv.Close()
	dir := t.TempDir()
	cfg, ca := filepath.Join(dir, "t.yaml"), filepath.Join(dir, "ca.pem")
	os.WriteFile(cfg, []byte("jwt:\n  accounts: [{login: a@example.com, password: pw}]\n"), 0o600)
	os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	args := []string{"load", "--profile", "jwt", "--scenario", "login", "--target", srv.URL, "--config", cfg, "--rate", "40/s", "--duration", "300ms"}

	code, out, errOut := cli(t, args...)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != exitUsage || out != "" || len(lines) != 1 || !strings.Contains(lines[0], "TLS handshake failed: its certificate is signed by an unknown authority") ||
		!strings.Contains(lines[0], "--ca-cert") {
		t.Errorf("no --ca-cert: exit %d, stdout %q, stderr %q; want 2 and one line naming the certificate problem", code, out, errOut)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("no --ca-cert: the server saw %d requests, want none", n)
	}

	// A busy machine may send fewer than asked: the run is then not valid, which is all it
	// may break.
	code, out, errOut = cli(t, append(args, "--ca-cert", ca, "--workers", "4")...)
	notValid := code == exitFailed && strings.Count(errOut, "\n") == 1 && strings.Contains(errOut, "threshold valid")
	if code != exitOK && !notValid || !strings.Contains(out, "success    100.00%") || !strings.Contains(out, "protocol   HTTP/1.1 over TLS") || requests.Load() == 0 {
		t.Errorf("--ca-cert: exit %d, %d requests\n%s\n%s", code, requests.Load(), out, errOut)
	}
}
