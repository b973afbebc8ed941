package e2e_test

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"testing"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/reference/store/redistest"
	"github.com/conformhq/conform/suites"
)

// TestExplorationPassesTheReference runs the model specs alone with CONFORM_EXPLORE_SEEDS
// different seeds against the embedded reference, and against two `conform serve` instances
// sharing one redis-server (each request to the next instance): a conforming reference must
// pass every seed, whatever order of its silences' readings it meets. make check runs it with
// 50 seeds (make explore); it needs redis-server.
func TestExplorationPassesTheReference(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CONFORM_EXPLORE_SEEDS"))
	if n <= 0 {
		t.Skip("set CONFORM_EXPLORE_SEEDS=50 (make check) to explore the reference with that many seeds")
	}
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatal("redis-server is not on PATH: install it (apt-get install redis-server; .ci/run does)")
	}
	rc := redistest.Start(t)
	pairURL, pairCfg := startPair(t, "--redis", rc.Options().Addr)
	for _, target := range []struct{ name, url, cfg string }{{"embedded", "", ""}, {"two instances on one redis", pairURL, pairCfg}} {
		t.Run(target.name, func(t *testing.T) {
			for seed := 1; seed <= n; seed++ {
				t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
					if target.url == "" {
						t.Parallel() // each run its own embedded reference; the pair's runs share the config's sink ports
					}
					args := []string{"run", "--label-filter", "model", "--seed", fmt.Sprint(seed)}
					if target.url != "" {
						args = append(args, "--target", target.url, "--config", target.cfg)
					}
					r := conform(t, args...)
					if r.code != 0 || r.report == nil {
						t.Fatalf("exit %d, want 0\n%s%s", r.code, r.stdout, r.stderr)
					}
					for _, s := range r.report.Specs {
						if s.State == suites.Failed {
							t.Errorf("%s failed on a conforming reference:\n%s", s.ID, s.Message)
						}
					}
				})
			}
		})
	}
}

// startPair starts two reference processes with serveArgs, configured as instances of one
// target, and returns the first's URL and the config naming both.
func startPair(t *testing.T, serveArgs ...string) (url, cfg string) {
	t.Helper()
	smtpAddr, webhookAddr := freeAddr(t), freeAddr(t)
	var urls []string
	for range 2 {
		addr := freeAddr(t)
		args := append([]string{"serve", "--addr", addr, "--test-clock", "--jwt-secret", pairJWTKey,
			"--smtp", smtpAddr, "--sms-webhook", "http://" + webhookAddr + "/sms"}, serveArgs...)
		cmd := exec.Command(bin, args...)
		cmd.Dir = ".."
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		urls = append(urls, "http://"+addr)
		waitForHTTP(t, "http://"+addr)
	}
	cfg = configWith(t, fixtures.ReferenceConfig, map[string]string{
		"127.0.0.1:2525": smtpAddr, "127.0.0.1:8025": webhookAddr,
		"\nlptracker:": "\ninstances: [" + urls[0] + ", " + urls[1] + "]\n\nlptracker:",
		jwtSection:     jwtSectionWithKey(pairJWTKey), // so the specs that mint tokens with it run too
	})
	return urls[0], cfg
}
