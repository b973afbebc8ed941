//go:build unix

package suites_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/conformhq/conform/suites"
)

// TestCtrlCEndsARealTTLWaitAtOnce interrupts lptracker's TTL spec in the middle of its real
// wait, as Ctrl-C does. The run must end at once and say it was cut short; the interrupted
// spec must stop where it stands (Ginkgo abandons a body that ignores its context but leaves
// it running: it would send its probe once the wait was over); and the spec's logout clean-up
// must still run.
//
// Ginkgo's interrupt handler takes SIGINT when the run starts and (v2.34) never gives it back,
// so the signal sent here, mid-run, cannot end the test process.
func TestCtrlCEndsARealTTLWaitAtOnce(t *testing.T) {
	// The spec waits idle - edge = 10 s - 1 s = 9 s after its login; the interrupt comes 1 s
	// after the server answered the login, which leaves a busy machine seconds to deliver it
	// before the wait would end (with a 1.5 s wait, a machine at load 14 took 1.75 s and the
	// wait ran out first). It must not come sooner: the server counts the login before the
	// client has read its token, and an interrupt before the spec holds the token leaves it no
	// clean-up to run (at 100 ms, a busy make test lost the logout that way). The test runs
	// beside the e2e tests, which take far longer, so the wait costs make test nothing.
	const wait, interruptAfter = 9 * time.Second, time.Second
	loggedIn := make(chan struct{}, 1)
	var interrupted atomic.Bool
	var probesAfter, logoutsAfter atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login":
			_, _ = io.WriteString(w, `{"status": "success", "result": {"token": "t-1"}}`)
			select {
			case loggedIn <- struct{}{}:
			default:
			}
		case "/projects":
			if interrupted.Load() {
				probesAfter.Add(1)
			}
			_, _ = io.WriteString(w, `{"status": "success", "result": []}`)
		case "/logout":
			if interrupted.Load() {
				logoutsAfter.Add(1)
			}
			_, _ = io.WriteString(w, `{"status": "success", "result": true}`)
		default:
			http.NotFound(w, r)
		}
	}))
	defer target.Close()
	cfg := filepath.Join(t.TempDir(), "target.yaml")
	if err := os.WriteFile(cfg, []byte(`client_ips: {mode: none}
lptracker:
  base_path: ""
  accounts: [{login: a@example.com, password: conform-test-password}]
  services: [conform-a]
  probe: {method: GET, path: /projects}
  ttl: {idle: 10s}
`), 0o600); err != nil {
		t.Fatal(err)
	}

	type moments struct{ login, signalled time.Time }
	sent := make(chan moments, 1)
	go func() {
		<-loggedIn
		login := time.Now()
		time.Sleep(interruptAfter)
		interrupted.Store(true)
		signalled := time.Now()
		_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
		sent <- moments{login, signalled}
	}()
	res, err := suites.Run(context.Background(), suites.Options{
		Target: target.URL, ConfigPath: cfg, Profiles: []string{"lptracker"},
		LabelFilter: "req:lptracker.ttl.valid-within-idle", MaxWait: time.Minute,
	})
	returned := time.Now()
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	var at moments
	select {
	case at = <-sent:
	case <-time.After(wait):
		t.Fatal("the run ended without an interrupt: the spec did not wait")
	}
	if took := returned.Sub(at.signalled); took > wait/2 {
		t.Errorf("Run returned %s after the interrupt; want at once", took)
	}
	if res.Interrupted == "" || !res.Failed() {
		t.Errorf("Interrupted = %q, Failed() = %v; want the run cut short and failed", res.Interrupted, res.Failed())
	}
	for _, s := range res.Specs {
		if s.ID == "lptracker.ttl.valid-within-idle" && (s.State != suites.NotRun || s.SkipReason != "interrupted") {
			t.Errorf("%s: %s (%s); want not run, interrupted", s.ID, s.State, s.SkipReason)
		}
	}
	if logoutsAfter.Load() != 1 {
		t.Errorf("%d logouts after the interrupt; want the spec's clean-up to log its token out once", logoutsAfter.Load())
	}
	// Had the spec been left running, its probe would go out once the wait was over.
	time.Sleep(time.Until(at.login.Add(wait + 200*time.Millisecond)))
	if n := probesAfter.Load(); n != 0 {
		t.Errorf("the interrupted spec sent %d probes after its wait; want it stopped at the interrupt", n)
	}
}
