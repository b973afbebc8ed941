package e2e_test

import (
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/conformhq/conform/repro"
)

// concurrentBreaks are the reference breaks only requests in flight together show
// (reference/interleave_concurrent.go): the rules their shrunk sequence may break, and its
// length, the shortest sequence that shows the break at all, a group of two among them.
var concurrentBreaks = []struct {
	brk, profile string
	rules        []string
	steps        int
	// also is another length a shrunk sequence may have, when the break shows in two
	// sequences neither of which contains the other (0: none).
	also int
}{
	// A's login; B's login and a probe with A's token together; A's token again: refused.
	{"flylogs.login-ends-probed-token", "flylogs", []string{"flylogs.model.live-token-accepted"}, 4, 0},
	// A login; two probes with its token together: refused.
	{"apikey.concurrent-probes-refused", "apikey", []string{"apikey.model.live-token-accepted"}, 3, 0},
	// A's login; B's login and a query with A's key together; B's key (stored for A): refused.
	// Or, a query with a key and another user's name in flight with a login: the login's key
	// (stored for that other user) is then taken with that user's name.
	{"newapikey.login-key-for-queried-user", "newapikey", []string{"newapikey.model.live-token-accepted", "newapikey.model.key-bound-to-user"}, 4, 0},
	// A's login; its logout and B's login together; B's token: refused. Or with A's login in
	// the group: A's login, its logout, a second logout of that token (ended, so its answer and
	// what it does are free) and A's login together, A's new token: refused. A logout of a live
	// token in that group may end its user's other tokens, a reading doc 003 leaves open.
	{"lptracker.logout-ends-concurrent-login", "lptracker", []string{"lptracker.model.live-token-accepted", "lptracker.model.logout-answers-success"}, 4, 5},
	// A's login; B's login and /users/me with A's token together; /users/me with B's token:
	// A's object.
	{"jwt.login-signs-probed-user", "jwt", []string{"jwt.model.me-names-token-owner"}, 4, 0},
}

// TestExplorationCatchesConcurrentBreaks runs the model specs alone (--label-filter model)
// against the reference with each concurrent break: the exploration must find it with one of
// the first seeds, name the rule, shrink it to its minimal sequence with the steps released
// together marked, and write a reproducer that sends them together and reproduces against a
// restarted broken reference and not against a good one.
//
// Each break holds its requests 100 ms so that two sent together overlap, and the exploration
// may take a few seeds of 400 steps to find one: about a minute of the machine, so it runs in
// make explore (CONFORM_EXPLORE_BREAKS=1), not make test.
func TestExplorationCatchesConcurrentBreaks(t *testing.T) {
	if os.Getenv("CONFORM_EXPLORE_BREAKS") == "" {
		t.Skip("set CONFORM_EXPLORE_BREAKS=1 (make explore) to have the exploration find each concurrent break")
	}
	t.Parallel()
	for _, c := range concurrentBreaks {
		t.Run(c.brk, func(t *testing.T) {
			t.Parallel()
			url, cfg := startReferenceWithSinks(t, c.brk)
			dir := t.TempDir()
			_, s := firstModelFailure(t, url, cfg, c.profile, dir)
			if !slices.Contains(c.rules, s.ID) {
				t.Errorf("failed %s, want one of %v\n%s", s.ID, c.rules, s.Message)
			}
			n := strings.Count(s.Message, "\n     allowed: ")
			if n != c.steps && (c.also == 0 || n != c.also) {
				t.Errorf("shrunk to %d steps, want %d\n%s", n, c.steps, s.Message)
			}
			if n := strings.Count(s.Message, "\n     released together: "); n != 2 {
				t.Errorf("%d steps marked released together, want 2\n%s", n, s.Message)
			}
			if len(s.Exchanges) != n {
				t.Errorf("the spec's transcript has %d exchanges, want the shrunk sequence's %d", len(s.Exchanges), n)
			}
			if _, err := exec.LookPath("curl"); err != nil {
				t.Skip("needs curl to run the reproducer")
			}
			env := scriptEnv(t, cfg)
			if code, out := runScript(t, s.ReproducerFile, serveReferenceOn(t, c.brk), env); code != repro.ExitReproduced {
				t.Errorf("reproducer against a restarted broken reference: exit %d, want %d\n%s", code, repro.ExitReproduced, out)
			}
			if code, out := runScript(t, s.ReproducerFile, serveReferenceOn(t), env); code != repro.ExitNotReproduced {
				script, _ := os.ReadFile(s.ReproducerFile)
				t.Errorf("reproducer against a good reference: exit %d, want %d\n%s\n%s", code, repro.ExitNotReproduced, out, script)
			}
		})
	}
}
