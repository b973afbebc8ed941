package e2e_test

import (
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/reference/store/redistest"
)

// TestInstances runs every spec (2FA flows included) against two `conform serve` processes
// given as config instances, so that each spec's requests alternate between them: a token
// issued by one is used, logged out and expired on the other, and a 2FA code one mailed is
// checked by the other. Sharing one real redis-server (--redis) they pass; with a memory store
// each, they fail, naming the instance that did not know the token. make check runs it
// (CONFORM_INSTANCES=1): it needs redis-server and spends about a minute in bcrypt.
func TestInstances(t *testing.T) {
	if os.Getenv("CONFORM_INSTANCES") == "" {
		t.Skip("set CONFORM_INSTANCES=1 (make check) to run two conform serve instances on one redis-server")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not on PATH: install it (apt-get install redis-server; .ci/run does)")
	}
	rc := redistest.Start(t)
	redisAddr := rc.Options().Addr

	t.Run("sharing one Redis", func(t *testing.T) {
		// --seed runs the model specs too (the e2e helper leaves them out of runs without one).
		r := runOnPairWith(t, []string{"--redis", redisAddr}, "--seed", "1", "--explore-steps", "200", "--explore-time", "60s")
		if r.code != 0 || r.report == nil {
			t.Fatalf("exit %d, want 0 (two instances on one Redis pass every spec)\n%s%s", r.code, r.stdout, r.stderr)
		}
		if tot := r.report.Totals; tot.Skipped != 0 || tot.Passed == 0 {
			t.Errorf("totals %+v: want every spec run and passed (2FA included)\n%s", tot, r.stdout)
		}
	})
	// Under load the load's own answers are judged too (issue 18): on two instances sharing
	// Redis, none of its live tokens is refused; doc 003's per-IP rule and the clock hook end
	// load sessions, counted apart.
	t.Run("sharing one Redis, under load", func(t *testing.T) {
		r := runOnPairWith(t, []string{"--redis", redisAddr}, "--under-load", "200/s", "--under-load-profile", "lptracker")
		if r.code != 0 || r.report == nil || r.report.UnderLoad == nil || r.report.UnderLoad.LoadAnswers == nil {
			t.Fatalf("exit %d, want 0 and the load's answers judged\n%s%s", r.code, r.stdout, r.stderr)
		}
		l := r.report.UnderLoad.LoadAnswers
		if l.RefusedLive != 0 || l.Accepted == 0 {
			t.Errorf("load answers %+v: want none refused while live", l)
		}
		t.Logf("%s: %d load answers, %d accepted, %d ended by the run (counted apart)", l.Requirement, l.Judged, l.Accepted, l.EndedBySpecs)
	})
	t.Run("each its own memory", func(t *testing.T) {
		r := runOnPair(t)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1 (instances that do not share sessions fail)\n%s%s", r.code, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, "(answered by instance http://") {
			t.Errorf("no failure names the instance that answered:\n%s", r.stdout)
		}
		if r.report != nil {
			t.Logf("failed without sharing: %v", keys(failedIDs(r.report)))
		}
	})
}

// pairJWTKey is the jwt key both instances sign with.
const pairJWTKey = "conform-e2e-shared-jwt-secret!!"

// runOnPair starts two reference processes with serveArgs and runs every spec, should-level
// included, against them as instances of one target.
func runOnPair(t *testing.T, serveArgs ...string) result {
	t.Helper()
	return runOnPairWith(t, serveArgs)
}

// runOnPairWith is runOnPair with more arguments for conform run.
func runOnPairWith(t *testing.T, serveArgs []string, runArgs ...string) result {
	t.Helper()
	url, cfg := startPair(t, serveArgs...)
	return conform(t, append([]string{"run", "--target", url, "--config", cfg, "--strict"}, runArgs...)...)
}

// waitForHTTP waits until url answers HTTP, for at most 10 s.
func waitForHTTP(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := http.Get(url + "/")
		if err == nil {
			resp.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not start: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
