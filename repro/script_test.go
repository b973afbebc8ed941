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
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/redact"
	"github.com/conformhq/conform/repro"
)

const password = `s3cret "Pass"/1`

// loginServer logs alice in with password (JSON body) and answers the probe with the token;
// broken accepts any password.
func loginServer(broken bool) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login":
			b, _ := io.ReadAll(r.Body)
			if !broken && !strings.Contains(string(b), `s3cret \"Pass\"/1"`) {
				w.WriteHeader(http.StatusUnauthorized)
				io.WriteString(w, `{"message": "Invalid email or password"}`)
				return
			}
			io.WriteString(w, `{"token": "tok-`+r.RemoteAddr[len(r.RemoteAddr)-4:]+`abc123def456"}`)
		case "/me":
			if !strings.HasPrefix(r.Header.Get("X-Access-Token"), "tok-") {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			io.WriteString(w, `{"email": "alice@example.com"}`)
		}
	}))
}

// transcript sends a login with a wrong password (the right one with x appended) and the
// probe with the token it got, as a spec would, and returns the exchanges.
func transcript(t *testing.T, url string, vars *repro.Vars, red *redact.Redactor) []*client.Exchange {
	t.Helper()
	c, err := client.New(client.Options{URL: url, Redactor: red, Replay: vars, ClientIPs: &config.ClientIPs{Mode: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	resp, err := c.Do(ctx, client.Request{Method: "POST", Path: "/login", JSON: map[string]string{"email": "alice@example.com", "password": password + "x"}})
	if err != nil {
		t.Fatal(err)
	}
	tok := resp.Get("token").Str
	if _, err := c.Do(ctx, client.Request{Path: "/me", Header: http.Header{"X-Access-Token": {tok}}}); err != nil {
		t.Fatal(err)
	}
	return c.Transcript().Exchanges()
}

// TestScriptReplaysAndJudges builds the script of a failure against a broken server, checks
// it holds no secret in any form and names its variable, then runs it: against a restarted
// broken server it reproduces (exit 1), against a good one it does not (exit 0), and without
// the variable it cannot run (exit 2).
func TestScriptReplaysAndJudges(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	cfg, err := profile.Schema().Parse("t.yaml", []byte("jwt:\n  accounts:\n    - {login: alice@example.com, password: '"+password+"'}\n    - {login: bob@example.com, password: bob-password-2}\n"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	vars := repro.ForConfig(cfg)
	red, _ := redact.ForConfig(cfg)
	first := loginServer(true)
	defer first.Close()
	ex := transcript(t, first.URL, vars, red)
	sc := repro.Build(repro.Failure{ID: "jwt.login.failure-401", Text: "sends a login with the password with one character appended", Citation: "doc 004", Target: first.URL, Exchanges: ex}, vars)
	for _, leak := range []string{password, `s3cret \"Pass\"`, "s3cret%20%22Pass", redact.Mask} {
		if strings.Contains(sc.Text, leak) {
			t.Errorf("script holds %q:\n%s", leak, sc.Text)
		}
	}
	for _, want := range []string{`"$(jsonesc "${CONFORM_JWT_ACCOUNTS_0_PASSWORD}")"'x"`, "V1=$(", `'X-Access-Token: '"${V1}"`} {
		if !strings.Contains(sc.Text, want) {
			t.Errorf("script lacks %s:\n%s", want, sc.Text)
		}
	}
	path := filepath.Join(t.TempDir(), "r.sh")
	if err := os.WriteFile(path, []byte(sc.Text), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"CONFORM_JWT_ACCOUNTS_0_PASSWORD=" + password}
	broken, good := loginServer(true), loginServer(false)
	defer broken.Close()
	defer good.Close()
	for _, c := range []struct {
		url  string
		env  []string
		want int
	}{{broken.URL, env, repro.ExitReproduced}, {good.URL, env, repro.ExitNotReproduced}, {broken.URL, nil, repro.ExitCannotRun}} {
		cmd := exec.Command("sh", path)
		cmd.Env = append(append([]string{"PATH=" + os.Getenv("PATH")}, c.env...), "CONFORM_TARGET="+c.url)
		out, err := cmd.CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != c.want {
			t.Errorf("against %s with %d variables: exit %d, want %d\n%s", c.url, len(c.env), code, c.want, out)
		}
	}
}

// TestParameterizeForms finds a secret in each encoding and wrong form specs send it in.
func TestParameterizeForms(t *testing.T) {
	cfg, err := profile.Schema().Parse("t.yaml", []byte("jwt:\n  accounts:\n    - {login: a@example.com, password: 'Secret/Pass 1'}\n    - {login: b@example.com, password: other-pass}\n"), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	v := repro.ForConfig(cfg)
	for _, c := range []struct {
		part      client.Part
		ct, in    string
		wantInner string
	}{
		{client.PartURL, "", "http://x/login?pass=Secret%2FPass+1", `$(urlenc "${CONFORM_JWT_ACCOUNTS_0_PASSWORD}")`},
		{client.PartBody, "application/x-www-form-urlencoded", "pass=Secret%2FPass+1", `$(urlenc "${CONFORM_JWT_ACCOUNTS_0_PASSWORD}")`},
		{client.PartBody, "application/json", `{"p":"Secret/Pass 1x"}`, "${CONFORM_JWT_ACCOUNTS_0_PASSWORD}"},
		{client.PartBody, "application/json", `{"p":"sECRET/pASS 1"}`, `$(swapcase "${CONFORM_JWT_ACCOUNTS_0_PASSWORD}")`},
		{client.PartBody, "application/json", `{"p":"Secret/Pass "}`, "${CONFORM_JWT_ACCOUNTS_0_PASSWORD%?}"},
		{client.PartHeader, "", "Basic YTpTZWNyZXQvUGFzcyAx", `$(b64 'a:'"${CONFORM_JWT_ACCOUNTS_0_PASSWORD}")`},
	} {
		got := v.Parameterize(c.part, c.ct, c.in)
		if !strings.Contains(got, client.Placeholder(c.wantInner)) {
			t.Errorf("Parameterize(%q) = %q, want placeholder %s", c.in, got, c.wantInner)
		}
	}
}

// TestScriptOfOneTokenInTwoAnswers: two logins answered the same token and a later request
// carries it. A replay's answers differ, so which answer it stands for is unknown: the script
// says it cannot tell and exits 2, whatever the target.
func TestScriptOfOneTokenInTwoAnswers(t *testing.T) {
	ex := func(body, header string) *client.Exchange {
		e := &client.Exchange{Method: "POST", URL: "http://t/login", ReqBody: body, RespBody: `{"token": "shared-token-0123456789"}`, Status: 200}
		e.Replay = &client.Replay{Method: "POST", URL: "http://t/login", Body: body}
		if header != "" {
			e.Method, e.URL, e.ReqBody, e.RespBody = "GET", "http://t/me", "", `{"email": "bob@example.com"}`
			e.Replay = &client.Replay{Method: "GET", URL: "http://t/me", Header: http.Header{"X-Access-Token": {header}}}
		}
		return e
	}
	steps := []*client.Exchange{ex(`{"email": "alice@example.com"}`, ""), ex(`{"email": "bob@example.com"}`, ""), ex("", "shared-token-0123456789")}
	sc := repro.Build(repro.Failure{ID: "jwt.security.own-token", Text: "logs two users in", Target: "http://t", Exchanges: steps}, repro.ForConfig(&config.File{}))
	if !strings.Contains(strings.Join(sc.Limits, " "), "answers of steps 1 and 2") || !strings.Contains(sc.Text, "exit 2") {
		t.Errorf("limits %q, script:\n%s", sc.Limits, sc.Text)
	}
}
