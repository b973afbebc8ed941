package suites

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// TestSelectSpecsRefusesASelectionThatRunsNothing works out the selection of the fixture specs
// under each option, and checks that one that runs no spec, or a focus that is no regexp, is
// one usage line, found without running anything.
func TestSelectSpecsRefusesASelectionThatRunsNothing(t *testing.T) {
	b := &binding{cfg: &config.File{}, profiles: []string{"jwt", "lptracker"}, stop: func() {}}
	cases := []struct {
		name     string
		o        Options
		specs    []string // texts of the selected specs
		profiles []string
		err      string // "" when the selection runs something
	}{
		{name: "everything must-level", o: Options{},
			specs:    []string{"passes", "fails", "skips itself", "is filtered out", "fails under a waiver", "passes under a waiver", "belongs to a profile not selected"},
			profiles: []string{"jwt", "lptracker"}},
		{name: "a focus", o: Options{Focus: []string{"^conform jwt passes"}},
			specs: []string{"passes", "passes under a waiver"}, profiles: []string{"jwt"}},
		{name: "a label filter of one profile", o: Options{LabelFilter: "lptracker"},
			specs: []string{"belongs to a profile not selected"}, profiles: []string{"lptracker"}},
		{name: "should-level with --strict", o: Options{LabelFilter: "security", Strict: true},
			specs: []string{"is should-level"}, profiles: []string{"jwt"}},
		{name: "a focus that matches nothing", o: Options{Focus: []string{"nothing"}},
			err: `nothing to run: --focus "nothing" selects no spec of jwt, lptracker (` + "`conform list`" + ` shows each spec's text and labels)`},
		{name: "a filter and a focus that match nothing together", o: Options{LabelFilter: "lptracker", Focus: []string{"passes"}},
			err: `nothing to run: --label-filter "lptracker" with --focus "passes" selects no spec of jwt, lptracker`},
		{name: "should-level only, without --strict", o: Options{LabelFilter: "security"},
			err: `nothing to run: --label-filter "security" selects only should-level specs of jwt, lptracker (1): add --strict to run them`},
		{name: "a focus that is no regexp", o: Options{Focus: []string{"("}},
			err: `--focus "(" is not a regexp: error parsing regexp: missing closing ): ` + "`(`"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.o.registrars = fixtureRegistrars()
			sel, err := selectSpecs(b, c.o.withDefaults())
			if c.err != "" {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.HasPrefix(err.Error(), c.err) || strings.Contains(err.Error(), "\n") {
					t.Errorf("error %v; want one usage line starting %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range fixtureSpecs {
				if sel.specs[specKey(s.req.ID, s.text)] {
					got = append(got, s.text)
				}
			}
			if !slices.Equal(got, c.specs) || !slices.Equal(sel.profiles, c.profiles) {
				t.Errorf("selected %q of %v; want %q of %v", got, sel.profiles, c.specs, c.profiles)
			}
		})
	}
	// The previews with a filter leave Ginkgo's own configuration (go test's flags) as it was.
	if cfg, _ := ginkgo.GinkgoConfiguration(); cfg.LabelFilter != "" || len(cfg.FocusStrings) != 0 {
		t.Errorf("Ginkgo's configuration left with label filter %q, focus %q", cfg.LabelFilter, cfg.FocusStrings)
	}
	if _, report := fixture(t); spec(t, report, "is filtered out").State.String() != "passed" {
		t.Error("a later preview still filters")
	}
}

// jwtTarget serves doc 004's login for a@example.com and b@example.com (password "right") and
// its probe, and counts logins.
func jwtTarget(t *testing.T, logins *atomic.Int32) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/users/login" {
			io.WriteString(w, `{}`)
			return
		}
		logins.Add(1)
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), `"password":"right"`) {
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success": false, "message": "Authentication failed. Wrong password."}`)
			return
		}
		io.WriteString(w, `{"uid": "1", "token": "a.b.c"}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// jwtConfig writes a target config whose second account has the given password.
func jwtConfig(t *testing.T, password string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "target.yaml")
	yaml := "client_ips: {mode: none}\njwt:\n  accounts:\n    - {login: a@example.com, password: right}\n    - {login: b@example.com, password: " + password + "}\n"
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// twoSpecs declares two jwt specs; the first runs first(), the second sets ran.
func twoSpecs(first func(), ran *bool) map[string]func(*cite.Book, *env.Env) {
	return map[string]func(*cite.Book, *env.Env){"jwt": func(book *cite.Book, _ *env.Env) {
		ginkgo.Describe("jwt", ginkgo.Ordered, func() {
			book.It(reqPasses, "runs first", specBody(book.It, first))
			book.It(reqFails, "runs second", specBody(book.It, func() { *ran = true }))
		})
	}}
}

func TestRunChecksEveryAccountBeforeAnySpec(t *testing.T) {
	var logins atomic.Int32
	url := jwtTarget(t, &logins)
	var ran bool
	var out bytes.Buffer
	start := time.Now()
	res, err := Run(context.Background(), Options{Target: url, ConfigPath: jwtConfig(t, "wrong-password"), Out: &out, registrars: twoSpecs(func() { ran = true }, &ran)})
	var ae *profile.AccountError
	if !errors.As(err, &ae) || res != nil {
		t.Fatalf("result %v, error %v (%T); want a *profile.AccountError", res, err, err)
	}
	want := `jwt.accounts[1] (b@example.com) cannot log in: HTTP 401 {"success": false, "message": "Authentication failed. Wrong password."}: check its password in `
	if !strings.HasPrefix(err.Error(), want) || strings.Contains(err.Error(), "\n") || strings.Contains(err.Error(), "wrong-password") {
		t.Errorf("error %q; want one line starting %q, without the password", err, want)
	}
	if ran || logins.Load() != 2 || out.Len() > 0 || time.Since(start) > 5*time.Second {
		t.Errorf("ran %v, %d logins, output %q after %s: want the two preflight logins only", ran, logins.Load(), out.String(), time.Since(start))
	}
}

func TestRunStopsWhenItsContextEnds(t *testing.T) {
	var logins atomic.Int32
	url := jwtTarget(t, &logins)
	cfg := jwtConfig(t, "right")

	// Ended before the specs: ctx's error, nothing run.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran bool
	res, err := Run(ctx, Options{Target: url, ConfigPath: cfg, registrars: twoSpecs(func() { ran = true }, &ran)})
	if !errors.Is(err, context.Canceled) || res != nil || ran {
		t.Errorf("result %v, error %v, ran %v; want context.Canceled and no spec run", res, err, ran)
	}

	// Ended during the first spec: the second does not run, and the run says it was interrupted.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	ran = false
	var out bytes.Buffer
	res, err = Run(ctx, Options{Target: url, ConfigPath: cfg, Out: &out, registrars: twoSpecs(cancel, &ran)})
	if err != nil {
		t.Fatal(err)
	}
	if ran || !res.InterruptedByUser || res.Verdict != VerdictInterrupted || res.Totals.Passed != 1 || res.Totals.NotRun != 1 {
		t.Errorf("ran %v, interrupted by user %v, verdict %s, totals %+v", ran, res.InterruptedByUser, res.Verdict, res.Totals)
	}
	if !strings.Contains(out.String(), "\nINTERRUPTED after ") || strings.Contains(out.String(), "PASS") {
		t.Errorf("summary:\n%s", out.String())
	}
}
