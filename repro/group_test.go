package repro_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/repro"
)

// busyServer answers /probe 200, or, broken, 409 to a probe that arrives while another is in
// flight (each is held 100 ms): which of two probes sent together gets which answer depends
// on which arrives first.
func busyServer(broken bool) *httptest.Server {
	var inFlight atomic.Int64
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		time.Sleep(100 * time.Millisecond)
		w.Header().Set("Content-Type", "application/json")
		if broken && n > 1 {
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"error": "busy"}`)
			return
		}
		io.WriteString(w, `{"result": "ok"}`)
	}))
}

// TestScriptSendsAGroupTogether: two requests released together (client.Request.Together)
// are sent by the script as background jobs, and their answers are compared in any order:
// against a restarted broken server it reproduces whichever of the two arrives first, against
// a good one it does not.
func TestScriptSendsAGroupTogether(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	first := busyServer(true)
	defer first.Close()
	c, err := client.New(client.Options{URL: first.URL, Replay: repro.ForConfig(&config.File{}), ClientIPs: &config.ClientIPs{Mode: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if _, err := c.Do(context.Background(), client.Request{Path: "/probe", Together: 1}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	ex := c.Transcript().Exchanges()
	if len(ex) != 2 || ex[0].Status == ex[1].Status {
		t.Fatalf("the broken server's answers to two probes together: %d exchanges, want a 200 and a 409", len(ex))
	}
	sc := repro.Build(repro.Failure{ID: "apikey.model.live-token-accepted", Text: "sends random sequences", Target: first.URL, Exchanges: ex}, repro.ForConfig(&config.File{}))
	for _, want := range []string{"/probe' &\n", "/probe' &\nwait\n", "g=no\n", "match 2 200"} {
		if !strings.Contains(sc.Text, want) {
			t.Errorf("script lacks %q:\n%s", want, sc.Text)
		}
	}
	path := filepath.Join(t.TempDir(), "r.sh")
	if err := os.WriteFile(path, []byte(sc.Text), 0o755); err != nil {
		t.Fatal(err)
	}
	broken, good := busyServer(true), busyServer(false)
	defer broken.Close()
	defer good.Close()
	for _, c := range []struct {
		url  string
		want int
	}{{broken.URL, repro.ExitReproduced}, {good.URL, repro.ExitNotReproduced}} {
		cmd := exec.Command("sh", path)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "CONFORM_TARGET=" + c.url}
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.want {
			t.Errorf("against %s: exit %d, want %d\n%s\n%s", c.url, code, c.want, out, sc.Text)
		}
	}
}
