package e2e_test

import (
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/conformhq/conform/repro"
	"github.com/conformhq/conform/suites"
)

// interleavingBreaks are the reference breaks only a sequence shows (reference/interleave.go):
// the rules their shrunk sequence may break, and its length, the shortest sequence that shows
// the break at all.
var interleavingBreaks = []struct {
	brk, profile string
	rules        []string
	steps        int
}{
	// A login, then three probes with its token: the third is refused.
	{"lptracker.probe-wears-out", "lptracker", []string{"lptracker.model.live-token-accepted"}, 4},
	// A's login from one address, B's from another, B's second login: A's token is refused
	// (its probe, or its logout not answered success).
	{"lptracker.second-session-ends-others", "lptracker", []string{"lptracker.model.other-ips-kept", "lptracker.model.logout-answers-success"}, 4},
	// Three logins (the last two not both of the first token's user), then the first token.
	{"jwt.two-token-table", "jwt", []string{"jwt.model.live-token-accepted", "jwt.model.live-token-accepted-in-query"}, 4},
	// A login, a wrong password for the same user, then the first token: it is refused.
	{"flylogs.failed-login-ends-sessions", "flylogs", []string{"flylogs.model.live-token-accepted"}, 3},
	// A login, a probe with its token cut or lengthened by a character, then the token itself.
	{"apikey.near-miss-revokes", "apikey", []string{"apikey.model.live-token-accepted"}, 3},
	// A's login, a query with A's key, B's login, A's key again: it is refused.
	{"newapikey.login-ends-used-keys", "newapikey", []string{"newapikey.model.live-token-accepted"}, 4},
}

// TestExplorationCatchesInterleavingBreaks runs the model specs alone (--label-filter model)
// against the reference with each interleaving break: the exploration must find it, name the
// rule, shrink it to its minimal sequence, and write a reproducer that reproduces against a
// restarted broken reference and not against a good one. The same specs pass the good
// reference with the same seeds.
func TestExplorationCatchesInterleavingBreaks(t *testing.T) {
	t.Parallel()
	for _, c := range interleavingBreaks {
		t.Run(c.brk, func(t *testing.T) {
			t.Parallel()
			url, cfg := startReferenceWithSinks(t, c.brk)
			dir := t.TempDir()
			r, s := firstModelFailure(t, url, cfg, c.profile, dir)
			if !slices.Contains(c.rules, s.ID) {
				t.Errorf("failed %s, want one of %v\n%s", s.ID, c.rules, s.Message)
			}
			if n := strings.Count(s.Message, "\n     allowed: "); n != c.steps {
				t.Errorf("shrunk to %d steps, want %d\n%s", n, c.steps, s.Message)
			}
			if !strings.Contains(s.Message, fmt.Sprintf("(seed %d)", r.report.Seed)) {
				t.Errorf("the failure does not name its seed %d\n%s", r.report.Seed, s.Message)
			}
			if len(s.Exchanges) != c.steps {
				t.Errorf("the spec's transcript has %d exchanges, want the shrunk sequence's %d", len(s.Exchanges), c.steps)
			}
			if _, err := exec.LookPath("curl"); err != nil {
				t.Skip("needs curl to run the reproducer")
			}
			env := scriptEnv(t, cfg)
			if code, out := runScript(t, s.ReproducerFile, serveReferenceOn(t, c.brk), env); code != repro.ExitReproduced {
				t.Errorf("reproducer against a restarted broken reference: exit %d, want %d\n%s", code, repro.ExitReproduced, out)
			}
			if code, out := runScript(t, s.ReproducerFile, serveReferenceOn(t), env); code != repro.ExitNotReproduced {
				t.Errorf("reproducer against a good reference: exit %d, want %d\n%s", code, repro.ExitNotReproduced, out)
			}
		})
	}
}

// firstModelFailure runs the model specs of profile alone against url with seeds 1, 2, ...
// (each seed's exploration is deterministic, so the seed that finds a break is the same every
// run) until one fails with a sequence its reproducer replays by itself, at most exploreSeeds
// of exploreSteps operations each, writing reproducers to dir. It returns that run and its one
// failed spec, and fails the test unless exactly one spec failed.
//
// A failure whose sequence logs in a 2FA account (the break ended that account's token) is
// passed over: its shrunk sequence is longer by the challenge, and its reproducer needs the
// code the target sent out of band.
func firstModelFailure(t *testing.T, url, cfg, profile, dir string) (result, suites.SpecResult) {
	t.Helper()
	var r result
	var failed []suites.SpecResult
	for seed := 1; seed <= exploreSeeds && len(failed) == 0; seed++ {
		r = conform(t, "run", "--target", url, "--config", cfg, "--profile", profile, "--label-filter", "model",
			"--seed", fmt.Sprint(seed), "--explore-steps", fmt.Sprint(exploreSteps), "--explore-time", "60s", "--reproducers", dir)
		if r.report == nil {
			t.Fatalf("no report; exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		for _, s := range r.report.Specs {
			if s.State == suites.Failed && !needsCodes(t, s) {
				failed = append(failed, s)
			}
		}
	}
	if len(failed) != 1 {
		t.Fatalf("%d model specs failed in %d seeds, want 1\n%s", len(failed), exploreSeeds, r.stdout)
	}
	return r, failed[0]
}

// needsCodes says a failure's reproducer cannot replay it by itself: a step needs a 2FA code
// the target sent out of band.
func needsCodes(t *testing.T, s suites.SpecResult) bool {
	t.Helper()
	script, err := os.ReadFile(s.ReproducerFile)
	if err != nil {
		t.Fatalf("%s failed without a reproducer: %v", s.ID, err)
	}
	return strings.Contains(string(script), "\n# Cannot replay by itself:\n")
}

// TestUnjudgedModelRuleIsSkipped: a model rule the exploration judged no answer by is skipped,
// naming the operation that never came up and the budget to raise, not passed: a budget of
// one step (ten with the extension for rules not yet judged) judges a few answers, and brings
// no clock move past the TTL.
func TestUnjudgedModelRuleIsSkipped(t *testing.T) {
	t.Parallel()
	r := conform(t, "run", "--profile", "lptracker", "--label-filter", "model", "--seed", "1", "--explore-steps", "1", "--explore-time", "60s")
	if r.report == nil {
		t.Fatalf("no report; exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	states := map[string]suites.SpecResult{}
	passed := 0
	for _, s := range r.report.Specs {
		states[s.ID] = s
		if s.State == suites.Passed {
			passed++
		}
	}
	if passed == 0 {
		t.Errorf("no model spec passed: the rules the 10 steps judged answers by pass\n%s", r.stdout)
	}
	s := states["lptracker.model.ttl-ends-idle-token"]
	if s.State != suites.Skipped {
		t.Fatalf("lptracker.model.ttl-ends-idle-token: %s, want skipped (10 steps do not bring a probe after a clock move past the TTL)\n%s", s.State, s.Message)
	}
	for _, want := range []string{"(seed 1) judged no answer by this rule", "a probe with a token after a clock move past the idle TTL", "never came up", "10 steps (the budget of 1", "--explore-steps"} {
		if !strings.Contains(s.SkipReason, want) {
			t.Errorf("skip reason %q lacks %q", s.SkipReason, want)
		}
	}
}
