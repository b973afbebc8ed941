package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// quick is a short, low-rate run against the embedded reference with cheap password hashes.
func quick(profile, scenario string) Options {
	return Options{Profile: profile, Scenario: scenario, Rate: Rate{From: 50, To: 50}, Duration: time.Second,
		Users: 3, BcryptCost: 4, Workers: 4, Name: "test"}
}

func TestValidateEmbedded(t *testing.T) {
	for _, name := range profile.Names() {
		t.Run(name, func(t *testing.T) {
			o := quick(name, "validate")
			var buf bytes.Buffer
			enc := vegeta.NewEncoder(&buf)
			o.OnResult = func(r *vegeta.Result) error {
				if r.Body != nil || r.Headers != nil {
					t.Error("stored result keeps body or headers")
				}
				return enc.Encode(r)
			}
			rep, err := Run(context.Background(), o)
			if err != nil {
				t.Fatal(err)
			}
			// Three users from three X-Forwarded-For addresses: all lptracker sessions stay valid.
			// Counts, not timing: on a loaded CI machine a send may be dropped or late, and the run
			// then says so instead of being valid, so only the accounting must add up.
			if rep.Requests+rep.Dropped != 50 || rep.Expected != 50 || rep.Successes != rep.Requests || rep.Ratio != 1 {
				t.Errorf("requests %d dropped %d expected %d successes %d ratio %v, want 50 in all, all successful; errors %v", rep.Requests, rep.Dropped, rep.Expected, rep.Successes, rep.Ratio, rep.Errors)
			}
			if rep.Codes["200"] != rep.Requests || (rep.Valid && rep.Dropped > 2) {
				t.Errorf("valid %v (%s) dropped %d codes %v broken %v", rep.Valid, rep.Invalid, rep.Dropped, rep.Codes, rep.Broken())
			}
			if rep.Latency.P50 <= 0 || rep.Latency.P99 < rep.Latency.P50 || rep.Latency.Max < rep.Latency.P99 {
				t.Errorf("latency %+v", rep.Latency)
			}
			// The results file is vegeta's encoding, readable by its decoder.
			dec := vegeta.NewDecoder(&buf)
			n := 0
			for {
				var r vegeta.Result
				if err := dec.Decode(&r); err != nil {
					if !errors.Is(err, io.EOF) {
						t.Fatal(err)
					}
					break
				}
				if r.Attack != "test" || r.Code != 200 || r.Error != "" || r.Latency <= 0 {
					t.Fatalf("decoded result %+v", r)
				}
				n++
			}
			if uint64(n) != rep.Requests {
				t.Errorf("decoded %d results, want %d", n, rep.Requests)
			}
			var js bytes.Buffer
			if err := rep.WriteJSON(&js); err != nil || !strings.Contains(js.String(), `"success_ratio": 1`) {
				t.Errorf("JSON report: %v\n%s", err, js.String())
			}
			var txt bytes.Buffer
			if err := rep.WriteText(&txt); err != nil || !strings.Contains(txt.String(), "VALID") {
				t.Errorf("text report: %v\n%s", err, txt.String())
			}
		})
	}
}

func TestLoginEmbedded(t *testing.T) {
	o := quick("lptracker", "login")
	o.Rate = Rate{From: 20, To: 20}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requests+rep.Dropped != 20 || rep.Ratio != 1 {
		t.Errorf("requests %d dropped %d ratio %v errors %v", rep.Requests, rep.Dropped, rep.Ratio, rep.Errors)
	}
}

func TestThresholds(t *testing.T) {
	o := quick("jwt", "validate")
	o.Thresholds = Thresholds{MaxP99: time.Microsecond, MinSuccess: 0.5, MinRPS: 1e6}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var broken []string
	for _, c := range rep.Broken() {
		broken = append(broken, c.Name)
	}
	if got := strings.Join(broken, ","); got != "max-p99,min-rps" {
		t.Errorf("broken thresholds %q, want max-p99,min-rps", got)
	}
}

// jwtTarget serves doc 004's login and probe through handler-specific behaviour.
func jwtTarget(t *testing.T, me http.HandlerFunc, login http.HandlerFunc) (string, *config.File) {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /users/login", login)
	mux.HandleFunc("/users/me", me)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cf, err := profile.Schema().Parse("test.yaml", []byte("jwt:\n  accounts: [{login: a@example.com, password: pw}]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return srv.URL, cf
}

func okLogin(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, `{"uid":"1","token":"tok"}`) }

func TestLoginWithoutTokenIsFailure(t *testing.T) {
	url, cf := jwtTarget(t, func(http.ResponseWriter, *http.Request) {}, func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"uid":"1"}`) // HTTP 200 but no token: vegeta would count it a success
	})
	o := Options{Profile: "jwt", Scenario: "login", Target: url, Config: cf, Rate: Rate{From: 50, To: 50}, Duration: 500 * time.Millisecond}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Successes != 0 || rep.Codes["200"] != rep.Requests || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error, "without a token") {
		t.Errorf("successes %d codes %v errors %v", rep.Successes, rep.Codes, rep.Errors)
	}
}

// TestOverloadIsHonest is the trap of vegeta #223: two workers against a 50 ms server at
// 200/s can send only 40/s; vegeta's own latency says about 50 ms, the real wait is far longer.
func TestOverloadIsHonest(t *testing.T) {
	url, cf := jwtTarget(t, func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(50 * time.Millisecond)
		io.WriteString(w, `{}`)
	}, okLogin)
	var rawMax atomic.Int64
	o := Options{Profile: "jwt", Scenario: "validate", Target: url, Config: cf, Rate: Rate{From: 200, To: 200},
		Duration: time.Second, Workers: 2, Users: 1,
		OnResult: func(r *vegeta.Result) error { rawMax.Store(max(rawMax.Load(), int64(r.Latency))); return nil }}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Valid || rep.Dropped == 0 || rep.Late == 0 || len(rep.Broken()) == 0 || rep.Broken()[0].Name != "valid" {
		t.Errorf("valid %v dropped %d late %d broken %v", rep.Valid, rep.Dropped, rep.Late, rep.Broken())
	}
	if p99 := fromMS(rep.Latency.P99); p99 < 300*time.Millisecond {
		t.Errorf("p99 %s: the queueing behind two workers is hidden", p99)
	}
}

func TestUnreachableTarget(t *testing.T) {
	cf, _ := profile.Schema().Parse("t.yaml", []byte("jwt:\n  accounts: [{login: a, password: b}]\n"), nil)
	start := time.Now()
	_, err := Run(context.Background(), Options{Profile: "jwt", Scenario: "validate", Target: "http://127.0.0.1:1", Config: cf, Rate: Rate{From: 10, To: 10}})
	var ue *client.UnreachableError
	if !errors.As(err, &ue) {
		t.Fatalf("error %v (%T), want *client.UnreachableError", err, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestBadOptions(t *testing.T) {
	for _, o := range []Options{
		{Profile: "nope", Scenario: "login", Rate: Rate{From: 1, To: 1}},
		{Profile: "jwt", Scenario: "nope", Rate: Rate{From: 1, To: 1}},
		{Profile: "jwt", Scenario: "login", Rate: Rate{From: 1, To: 1}, Target: "http://127.0.0.1:9"},
		{Profile: "jwt", Scenario: "login", Rate: Rate{From: 1, To: 1}, Duration: time.Hour},
		{Profile: "jwt", Scenario: "login", Rate: Rate{From: 1, To: 1}, Thresholds: Thresholds{MinSuccess: 2}},
	} {
		var oe *OptionError
		if _, err := Run(context.Background(), o); !errors.As(err, &oe) {
			t.Errorf("%+v: error %v, want *OptionError", o, err)
		}
	}
}

func TestInterruptKeepsResults(t *testing.T) {
	o := quick("jwt", "validate")
	o.Duration = 10 * time.Second
	ctx, cancel := context.WithCancel(context.Background())
	o.Progress = func(Progress) { cancel() }
	o.ProgressEvery = 300 * time.Millisecond
	start := time.Now()
	rep, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if time.Since(start) > 5*time.Second || !rep.Interrupted || rep.Requests == 0 || rep.Elapsed > 2000 {
		t.Errorf("interrupted %v after %s: requests %d elapsed %vms", rep.Interrupted, time.Since(start), rep.Requests, rep.Elapsed)
	}
	if !rep.Valid || rep.Dropped > 2 {
		t.Errorf("an interrupted run is judged on its elapsed time: valid %v (%s) dropped %d", rep.Valid, rep.Invalid, rep.Dropped)
	}
}

// TestFindMaxSearch: the search doubles, then bisects to within 10%, and reports the highest
// rate that held; a step holds when it achieved its rate with success >= 0.99 (and p99 within
// --max-p99). Made-up steps: the target holds up to 300/s, and a step short of its rate or with
// a slow p99 does not hold either.
func TestFindMaxSearch(t *testing.T) {
	cases := []struct {
		name  string
		hold  func(rate float64) (achieved, success, p99 float64)
		knee  float64
		rates []float64
	}{
		{"success", func(r float64) (float64, float64, float64) {
			if r > 300 {
				return r, 0.5, 1
			}
			return r, 1, 1
		}, 300, []float64{50, 100, 200, 400, 300, 350, 325}},
		{"achieved rate", func(r float64) (float64, float64, float64) { return min(r, 300), 1, 1 }, 300, []float64{50, 100, 200, 400, 300, 350, 325}},
		{"p99", func(r float64) (float64, float64, float64) {
			if r > 150 {
				return r, 1, 80
			}
			return r, 1, 1
		}, 150, []float64{50, 100, 200, 150, 175, 163}},
		{"none", func(r float64) (float64, float64, float64) { return r, 0, 1 }, 0, []float64{50, 13, 3}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &prepared{o: Options{Name: "fm", Rate: Rate{From: 50, To: 50}, Duration: time.Second, Thresholds: Thresholds{MaxP99: 50 * time.Millisecond}}}
			var rates []float64
			rep, err := e.search(context.Background(), func(_ context.Context, rate float64) (*Report, error) {
				rates = append(rates, rate)
				achieved, success, p99 := c.hold(rate)
				r := &Report{Attack: fmt.Sprintf("fm@%g", rate), Requests: uint64(achieved), Successes: uint64(success * achieved),
					RequestedRate: rate, AchievedRate: achieved, Ratio: success, Latency: Latency{P99: p99}}
				r.judgeValidity()
				return r, nil
			})
			if err != nil || rep.FindMax.Knee != c.knee || !slices.Equal(rates, c.rates) {
				t.Errorf("knee %g after %v (%v); want %g after %v", rep.FindMax.Knee, rates, err, c.knee, c.rates)
			}
		})
	}
}

// TestFindMax: a real search against a target that refuses every probe of a step above 300/s
// (the step's rate read from vegeta's attack-name header): each step is its own attack, and
// the knee is never above 300. A capacity by rule, not by speed, so that a busy machine cannot
// move it up; a stall can still make a step below 300/s fall short of its rate (400 ms steps:
// one send 30 ms late is 7%), so the exact steps are asserted only when none did (the search
// itself is TestFindMaxSearch's).
func TestFindMax(t *testing.T) {
	var names sync.Map
	url, cf := jwtTarget(t, func(w http.ResponseWriter, r *http.Request) {
		attack := r.Header.Get("X-Vegeta-Attack")
		names.Store(attack, true)
		_, rate, _ := strings.Cut(attack, "@")
		if n, err := strconv.ParseFloat(rate, 64); err != nil || n > 300 {
			w.WriteHeader(http.StatusUnauthorized)
		}
		io.WriteString(w, `{}`)
	}, okLogin)
	o := Options{Profile: "jwt", Scenario: "validate", Target: url, Config: cf, Rate: Rate{From: 50, To: 50}, Name: "fm",
		Duration: 400 * time.Millisecond, Workers: 8, Users: 1, FindMax: true, Thresholds: Thresholds{MinRPS: 1e6}}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	fm := rep.FindMax
	var rates []float64
	var best float64
	busy := false
	for _, s := range fm.Steps {
		rates = append(rates, s.Rate)
		if _, seen := names.Load(fmt.Sprintf("fm@%g", s.Rate)); !seen {
			t.Errorf("step %g/s: no request named fm@%g reached the target", s.Rate, s.Rate)
		}
		if s.Held {
			best = max(best, s.Rate)
		}
		if s.Held && s.Rate > 300 {
			t.Errorf("step %g/s held: every probe of it was refused", s.Rate)
		}
		if !s.Held && s.Rate <= 300 {
			busy = true
			t.Logf("step %g/s did not hold on this busy machine: %s", s.Rate, s.Why)
		}
	}
	if fm.Knee != best || len(fm.Steps) < 3 {
		t.Fatalf("find-max knee %g, steps %v; want the highest step that held (%g)", fm.Knee, rates, best)
	}
	if !busy && (fm.Knee != 300 || !slices.Equal(rates, []float64{50, 100, 200, 400, 300, 350, 325})) {
		t.Errorf("find-max knee %g, steps %v; want 300 after 50 100 200 400 300 350 325", fm.Knee, rates)
	}
	if b := rep.Broken(); len(b) != 1 || b[0].Name != "min-rps" {
		t.Errorf("broken %v, want min-rps against the knee", b)
	}
	var txt bytes.Buffer
	rep.WriteText(&txt)
	if !strings.Contains(txt.String(), fmt.Sprintf("%g/s: the highest rate that held", fm.Knee)) {
		t.Errorf("text report:\n%s", txt.String())
	}
}

func TestMerge(t *testing.T) {
	files := map[string]*bytes.Buffer{}
	sent := map[string]uint64{}
	for _, name := range []string{"a", "b"} {
		var buf bytes.Buffer
		enc := vegeta.NewEncoder(&buf)
		o := quick("jwt", "validate")
		o.Name = "machine-" + name
		o.Rate = Rate{From: 40, To: 40}
		o.OnResult = func(r *vegeta.Result) error { return enc.Encode(r) }
		one, err := Run(context.Background(), o)
		if err != nil {
			t.Fatal(err)
		}
		files[name], sent[name] = &buf, one.Requests
	}
	a, b := files["a"].Bytes(), files["b"].Bytes()
	rep, warn, err := Merge([]File{{"a.bin", bytes.NewReader(a)}, {"b.bin", bytes.NewReader(b)}}, MergeOptions{})
	if err != nil || len(warn) != 0 {
		t.Fatal(err, warn)
	}
	if rep.Requests != sent["a"]+sent["b"] || rep.Ratio != 1 || len(rep.Attacks) != 2 || rep.Attacks[0].Attack != "machine-a" || rep.Attacks[1].Requests != sent["b"] {
		t.Errorf("merged: requests %d ratio %v attacks %d", rep.Requests, rep.Ratio, len(rep.Attacks))
	}
	// The same file twice: one attack name in two files.
	rep, warn, err = Merge([]File{{"a.bin", bytes.NewReader(a)}, {"copy.bin", bytes.NewReader(a)}}, MergeOptions{Thresholds: Thresholds{MaxP99: time.Nanosecond}})
	if err != nil || len(warn) != 1 || len(rep.Attacks) != 2 || rep.Attacks[1].Attack != "machine-a (copy.bin)" {
		t.Errorf("duplicate names: %v %v %d", err, warn, len(rep.Attacks))
	}
	if b := rep.Broken(); len(b) != 1 || b[0].Name != "max-p99" {
		t.Errorf("merged thresholds: %v", b)
	}
	if _, _, err := Merge([]File{{"junk", strings.NewReader("not results")}}, MergeOptions{}); err == nil {
		t.Error("junk merged without error")
	}
}

// TestNothingSucceededNeverPasses: without any threshold, a run where no answer was a success
// breaks a check of its own, as does a find-max where no step held.
func TestNothingSucceededNeverPasses(t *testing.T) {
	url, cf := jwtTarget(t, func(http.ResponseWriter, *http.Request) {}, func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, `{"uid":"1","token":"a.b.c"`) // cut short: not JSON, so no token
	})
	o := Options{Profile: "jwt", Scenario: "login", Target: url, Config: cf, Rate: Rate{From: 50, To: 50}, Duration: 300 * time.Millisecond,
		LateAfter: 100 * time.Millisecond}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	// The success check breaks, and nothing else but the rate's own check when a busy machine
	// could not send the rate (the report then says it was not valid).
	want := []string{"success"}
	if !rep.Valid {
		want = append(want, "valid")
	}
	var broken []string
	for _, c := range rep.Broken() {
		broken = append(broken, c.Name)
	}
	if b := rep.Broken(); rep.Successes != 0 || !slices.Equal(broken, want) || !strings.Contains(b[0].Value, "none of") {
		t.Errorf("successes %d, broken %+v; want %v", rep.Successes, b, want)
	}
	if len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error, "not JSON") {
		t.Errorf("errors %v; want the answer named as not JSON", rep.Errors)
	}

	o.FindMax, o.Duration = true, 100*time.Millisecond
	rep, err = Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Broken(); rep.FindMax == nil || rep.FindMax.Knee != 0 || len(b) != 1 || b[0].Name != "knee" {
		t.Errorf("find-max %+v, broken %+v; want the knee check broken", rep.FindMax, b)
	}
}

// TestLoginCountsOnlyTheDocumentedShape: doc 003's login answer with a token but the status
// error is no success; load and conform run judge it alike.
func TestLoginCountsOnlyTheDocumentedShape(t *testing.T) {
	var logins atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/login" && logins.Add(1) == 1: // the preflight's: the documented shape
			io.WriteString(w, `{"status": "success", "result": {"token": "t-1"}}`)
		case r.URL.Path == "/login":
			io.WriteString(w, `{"status": "ok", "result": {"token": "t-1"}}`)
		case r.URL.Path == "/logout":
			io.WriteString(w, `{"status": "success", "result": true}`)
		}
	}))
	t.Cleanup(srv.Close)
	cf, err := profile.Schema().Parse("t.yaml", []byte("lptracker:\n  accounts: [{login: a, password: p}]\n  probe: {path: /projects}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	o := Options{Profile: "lptracker", Scenario: "login", Target: srv.URL, Config: cf, Rate: Rate{From: 40, To: 40}, Duration: 250 * time.Millisecond}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Successes != 0 || len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0].Error, `status = "ok", not the documented "success"`) {
		t.Errorf("successes %d of %d, errors %v", rep.Successes, rep.Requests, rep.Errors)
	}
}

// TestAccountsLogInBeforeTheLoad: a wrong password in the config is one *profile.AccountError
// naming the account, before any load is sent; a login that answers no token without refusing
// (the target's fault) stops the validate scenario with a *LoginError.
func TestAccountsLogInBeforeTheLoad(t *testing.T) {
	var logins atomic.Int32
	url, _ := jwtTarget(t, func(http.ResponseWriter, *http.Request) {}, func(w http.ResponseWriter, r *http.Request) {
		logins.Add(1)
		body, _ := io.ReadAll(r.Body)
		switch {
		case strings.Contains(string(body), `"password":"right"`):
			io.WriteString(w, `{"uid":"1","token":"a.b.c"}`)
		case strings.Contains(string(body), `"password":"shape"`):
			io.WriteString(w, `{"uid":"1","jwt":"a.b.c"}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"success":false,"message":"Authentication failed. Wrong password."}`)
		}
	})
	cfg := func(password string) *config.File {
		cf, err := profile.Schema().Parse("target.yaml", []byte("jwt:\n  accounts:\n    - {login: a@example.com, password: right}\n    - {login: b@example.com, password: "+password+"}\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return cf
	}
	o := Options{Profile: "jwt", Scenario: "validate", Target: url, Config: cfg("wrong"), Rate: Rate{From: 50, To: 50}, Duration: time.Second, Users: 4}
	_, err := Run(context.Background(), o)
	var ae *profile.AccountError
	if !errors.As(err, &ae) || ae.Index != 1 || !strings.HasPrefix(err.Error(), "jwt.accounts[1] (b@example.com) cannot log in: HTTP 401 ") || strings.Contains(err.Error(), "wrong\"") {
		t.Errorf("error %v (%T), want jwt.accounts[1] named", err, err)
	}
	if n := logins.Load(); n != 2 {
		t.Errorf("%d logins, want the preflight's 2 and no load", n)
	}
	o.Config = cfg("shape")
	_, err = Run(context.Background(), o)
	var le *LoginError
	if !errors.As(err, &le) || le.Account != "b@example.com" || !strings.Contains(err.Error(), "no token at token") {
		t.Errorf("error %v (%T), want a *LoginError for b@example.com", err, err)
	}
}

// TestInterruptedFindMaxSaysSo: Ctrl-C in the first step of a search (nothing held yet) and
// in a later step both give a report marked interrupted, never a final-looking knee.
func TestInterruptedFindMaxSaysSo(t *testing.T) {
	for _, after := range []int{1, 3} {
		t.Run(fmt.Sprintf("in step %d", after), func(t *testing.T) {
			o := quick("jwt", "validate")
			o.FindMax, o.Duration, o.Rate = true, 400*time.Millisecond, Rate{From: 20, To: 20}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			o.ProgressEvery = 100 * time.Millisecond
			// The step is counted by its attack name, not known from its rate: on a busy
			// machine a step may not hold, and the search then goes down instead of up.
			var mu sync.Mutex // live progress and the step's last word come from two goroutines
			step, last := 0, ""
			o.Progress = func(p Progress) {
				mu.Lock()
				defer mu.Unlock()
				if p.Name != last {
					step, last = step+1, p.Name
				}
				if step == after && p.Sent > 0 {
					cancel()
				}
			}
			rep, err := Run(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			var txt bytes.Buffer
			rep.WriteText(&txt)
			if !rep.Interrupted || rep.FindMax == nil || !rep.FindMax.Interrupted || len(rep.FindMax.Steps) != after {
				t.Fatalf("interrupted %v, find-max %+v\n%s", rep.Interrupted, rep.FindMax, txt.String())
			}
			if !strings.Contains(txt.String(), "INTERRUPTED") || strings.Contains(txt.String(), "VALID: the requested rate was sent") {
				t.Errorf("text report does not say interrupted:\n%s", txt.String())
			}
		})
	}
}

// No progress line comes after Run returns: the caller clears the line and prints the report
// then, and a line printed after would stand below it. The callback here is slow (a slow
// terminal), so the ticker is in it whenever the run ends.
func TestProgressEndsBeforeRunReturns(t *testing.T) {
	url, cf := jwtTarget(t, func(http.ResponseWriter, *http.Request) {}, okLogin)
	var returned atomic.Bool
	var calls, after atomic.Int32
	o := Options{Profile: "jwt", Scenario: "login", Target: url, Config: cf, Rate: Rate{From: 50, To: 50}, Duration: 200 * time.Millisecond,
		ProgressEvery: time.Millisecond, Progress: func(Progress) {
			calls.Add(1)
			time.Sleep(5 * time.Millisecond)
			if returned.Load() {
				after.Add(1)
			}
		}}
	if _, err := Run(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	returned.Store(true)
	time.Sleep(20 * time.Millisecond)
	if calls.Load() == 0 || after.Load() != 0 {
		t.Errorf("%d progress calls, %d of them ending after Run returned; want some, none after", calls.Load(), after.Load())
	}
}
