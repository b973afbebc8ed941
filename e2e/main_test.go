package e2e_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

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
	// Built without -race: these tests exercise the CLI; the in-process tests run under -race.
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/conform").CombinedOutput(); err != nil {
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
		// The model specs explore random sequences: a test that wants them names a seed (or
		// its own label filter); the others leave them out, for speed and a stable outcome.
		if !slices.Contains(args, "--seed") && !slices.Contains(args, "--label-filter") && !slices.Contains(args, "--focus") {
			args = append(args, "--label-filter", "!model")
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = ".." // the module root, where a user runs conform with --config fixtures/...
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
// fixtures/reference.yaml under its base path, with the fast fixture users (fastUsers). Its 2FA
// codes go nowhere: use startReferenceWithSinks to check flylogs or newapikey.
func startReference(t *testing.T, breaks ...string) string {
	t.Helper()
	return serveReference(t, reference.Options{Breaks: breaks})
}

// startReferenceWithSinks is startReference with the reference mailing and texting its 2FA
// codes to sinks on free loopback ports, as the embedded run wires it. It returns the URL and
// a copy of fixtures/reference.yaml whose sinks listen on those ports and whose 2FA code waits
// are fastCodeTimeout, for --config: the conform binary under test starts the sinks itself.
// Each test gets its own ports, so tests run in parallel. The reference signs its JWTs with
// e2eJWTKey and the copy's jwt section gives that key (jwt.jwt.secret), as the embedded run
// does, so the jwt specs that mint tokens run; with jwt.well-known-key the reference signs
// with the well-known key, and the copy gives that one.
func startReferenceWithSinks(t *testing.T, breaks ...string) (url, configPath string) {
	t.Helper()
	return startReferenceHolding(t, 0, breaks...)
}

// startReferenceHolding is startReferenceWithSinks with the concurrent breaks' window set to
// hold (reference.Options.BreakHold; 0 is its default): the break cover, which only shows
// that no plain spec fails on them, needs no wide window, and each request of theirs waits
// it out.
func startReferenceHolding(t *testing.T, hold time.Duration, breaks ...string) (url, configPath string) {
	t.Helper()
	smtpAddr, webhookAddr := freeAddr(t), freeAddr(t)
	key := e2eJWTKey
	if slices.Contains(breaks, "jwt.well-known-key") {
		key = "your-256-bit-secret"
	}
	url = serveReference(t, reference.Options{Breaks: breaks, BreakHold: hold, SMTPAddr: smtpAddr, SMSWebhookURL: "http://" + webhookAddr + "/sms", JWTSecret: []byte(key)})
	replace := map[string]string{
		"127.0.0.1:2525": smtpAddr, "127.0.0.1:8025": webhookAddr,
		"timeout: " + referenceCodeTimeout: "timeout: " + fastCodeTimeout,
		jwtSection:                         jwtSectionWithKey(key),
	}
	if slices.Contains(breaks, "jwt.key-changes") || slices.Contains(breaks, "jwt.two-token-table") {
		// A key that stops verifying mid-run is the verdict table's case
		// (verdict_table_test.go), and a server that takes only the tokens it issued last
		// refuses any token conform signs: the break cover runs these without a key.
		delete(replace, jwtSection)
	}
	return url, configWith(t, fixtures.ReferenceConfig, replace)
}

// e2eJWTKey is the JWT key of the reference startReferenceWithSinks starts.
const e2eJWTKey = "conform-e2e-jwt-key-0123456789abcdef"

// jwtSection opens fixtures/reference.yaml's jwt section; jwtSectionWithKey is it with the
// key the jwt specs that mint tokens need (jwt.jwt.secret), for configWith.
const jwtSection = "jwt:\n  base_path: /jwt\n"

func jwtSectionWithKey(key string) string { return jwtSection + "  jwt: {secret: " + key + "}\n" }

// referenceCodeTimeout is how long fixtures/reference.yaml lets a 2FA code take to arrive;
// fastCodeTimeout replaces it in the tests' copies. A spec whose code never comes (the
// reference's no-delivery breaks) waits the whole timeout, and the reference here delivers on
// loopback in milliseconds. configWith fails when the fixture no longer says
// referenceCodeTimeout, so a change there cannot silently slow these tests down again.
const (
	referenceCodeTimeout = "3s"
	fastCodeTimeout      = "500ms"
)

// serveReference starts the reference in this process with o, every profile of
// fixtures/reference.yaml, the test clock and the fast fixture users.
func serveReference(t *testing.T, o reference.Options) string {
	t.Helper()
	srv := referenceServer(t, o)
	hs := httptest.NewUnstartedServer(srv.Handler())
	// As reference.Start serves: a break that reads header names as they came needs them.
	hs.Listener, hs.Config.ConnContext = srv.WrapListener(hs.Listener), reference.ConnContext
	hs.Start()
	t.Cleanup(hs.Close)
	return hs.URL
}

// referenceHandler is the reference serveReference serves, closed when the test ends.
func referenceHandler(t *testing.T, o reference.Options) http.Handler {
	return referenceServer(t, o).Handler()
}

// referenceServer is referenceHandler's server.
func referenceServer(t *testing.T, o reference.Options) *reference.Server {
	t.Helper()
	users, err := fastUsers()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := profile.Schema().Parse("fixtures/reference.yaml", fixtures.ReferenceConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	o.Profiles, o.Users, o.TestClock, o.BcryptCost = cfg.Present(), users, true, bcrypt.MinCost
	srv, err := reference.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() }) // after the HTTP server's Close, registered later: cleanups run last first
	return srv
}

// freeAddr returns a loopback address with a port free right now, for a listener the binary
// opens later (a 2FA code sink).
func freeAddr(t *testing.T) string {
	t.Helper()
	for range sinkPortSpan {
		port := sinkPortLow + (sinkPortStart()+int(nextSinkPort.Add(1)))%sinkPortSpan
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue // taken: by another process, or an earlier test's listener
		}
		addr := ln.Addr().String()
		ln.Close()
		return addr
	}
	t.Fatalf("no free port in 127.0.0.1:%d-%d", sinkPortLow, sinkPortLow+sinkPortSpan-1)
	return ""
}

// The ports freeAddr hands out lie below Linux's ephemeral range (32768-60999): a port picked
// with :0 and closed is one the kernel soon gives an outgoing connection as its source port,
// and these tests open thousands, so the binary's later listen on it could find it taken.
// Each test process starts at a random place in the span and walks it in order.
const sinkPortLow, sinkPortSpan = 22000, 8000

var (
	sinkPortStart = sync.OnceValue(func() int { return rand.IntN(sinkPortSpan) })
	nextSinkPort  atomic.Int32
)

// configWith writes base with each key of replace replaced by its value to a temporary file.
func configWith(t *testing.T, base []byte, replace map[string]string) string {
	t.Helper()
	s := string(base)
	// One pass over the original text: replacing one key after another would let a later key
	// match inside an earlier replacement (a webhook address 127.0.0.1:25257 put where
	// 127.0.0.1:8025 was, then read as 127.0.0.1:2525 followed by 7: CI's invalid port).
	var pairs []string
	for _, old := range slices.Sorted(maps.Keys(replace)) {
		if !strings.Contains(s, old) {
			t.Fatalf("config has no %q to replace", old)
		}
		pairs = append(pairs, old, replace[old])
	}
	s = strings.NewReplacer(pairs...).Replace(s)
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

// fixtureSecrets are the plaintext passwords and API secrets of fixtures/users.yaml.
var fixtureSecrets = fixtures.Secrets()

// fastUsers are the users of fixtures/users.yaml (reference.DefaultUsers) with their password
// and API secret hashes remade at bcrypt's minimum cost, 4, instead of the fixture's 10: a login
// then spends a fraction of a millisecond in bcrypt rather than tens, and these tests log in
// thousands of times. Each fixture hash is first checked against its plaintext in
// fixtureSecrets, so a fixture change fails here by name rather than as failed logins.
var fastUsers = sync.OnceValues(func() ([]reference.User, error) {
	users, err := reference.DefaultUsers()
	if err != nil {
		return nil, err
	}
	rehash := func(who, hash, secret string) (string, error) {
		if err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(secret)); err != nil {
			return "", fmt.Errorf("fixtures/users.yaml: %s's hash does not match %q from fixtureSecrets: %w", who, secret, err)
		}
		h, err := bcrypt.GenerateFromPassword([]byte(secret), bcrypt.MinCost)
		return string(h), err
	}
	for i := range users {
		u := &users[i]
		if u.PasswordHash, err = rehash(u.Email, u.PasswordHash, fixtureSecrets[u.Email]); err != nil {
			return nil, err
		}
		if u.APIKey == "" {
			continue
		}
		if u.APISecretHash, err = rehash(u.APIKey, u.APISecretHash, fixtureSecrets[u.APIKey]); err != nil {
			return nil, err
		}
	}
	return users, nil
})
