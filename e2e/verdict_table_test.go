package e2e_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/suites"
)

// TestVerdicts is the table of verdicts (issue 18): a broken server that looks like a config
// mistake is a failure (exit 1) naming the requirement it breaks; a real config mistake against
// a conforming server is a config error (exit 2) naming the config field. Each in the console
// and in every report (JSON, JUnit, HTML).
func TestVerdicts(t *testing.T) {
	t.Parallel()
	const key = "the-reference-key"
	withJWTSecret := func(secret string) map[string]string {
		return map[string]string{"jwt:\n  base_path: /jwt\n": "jwt:\n  base_path: /jwt\n  jwt: {secret: " + secret + "}\n"}
	}
	rows := []struct {
		name string
		// the target: the reference with breaks and key, or a server of the test's own
		breaks  []string
		handler http.Handler
		config  map[string]string // replacements in fixtures/reference.yaml
		args    []string
		code    int
		names   string // what the console and every report name
	}{
		// Broken servers that look like config mistakes: exit 1, the requirement named.
		{name: "the login's token is not where doc 003 puts it, and the second user is refused while the first is logged in",
			handler: tokenElsewhere(), config: map[string]string{"base_path: /lptracker": "base_path: \"\"", "client_ips:\n  mode: source\n  addresses: [127.0.0.2, 127.0.0.3]\n": ""},
			args: []string{"--profile", "lptracker", "--label-filter", "shape"}, code: 1, names: "lptracker.login.success-shape"},
		{name: "JWTs signed with a publicly known key while the config holds another",
			breaks: []string{"jwt.well-known-key"}, config: withJWTSecret(key),
			args: []string{"--profile", "jwt", "--strict", "--label-filter", "req:jwt.security.well-known-key || req:jwt.security.expired-refused"}, code: 1, names: "jwt.security.well-known-key"},
		{name: "a key that verified the target's tokens earlier in the run stops verifying them",
			breaks: []string{"jwt.key-changes"}, config: withJWTSecret(key),
			args: []string{"--profile", "jwt", "--strict", "--label-filter", "req:jwt.security.expired-refused"}, code: 1, names: "jwt.security.expired-refused"},
		{name: "the probe refuses a live token in doc 003's header token",
			breaks: []string{"lptracker.token-header-authorization"},
			args:   []string{"--profile", "lptracker", "--label-filter", "placement"}, code: 1, names: "lptracker.token.header"},

		// Real config mistakes against the conforming reference: exit 2, the field named.
		{name: "a wrong password", config: map[string]string{"bob-password-2}\n  services:": "bob-password-3}\n  services:"},
			args: []string{"--profile", "lptracker"}, code: 2, names: "lptracker.accounts[1] (bob@example.com) cannot log in"},
		{name: "a wrong API secret", config: map[string]string{"api_secret: alice-api-secret": "api_secret: alice-api-secret-x"},
			args: []string{"--profile", "apikey"}, code: 2, names: "check its api_key and api_secret"},
		{name: "a wrong JWT key", config: withJWTSecret("not-" + key),
			args: []string{"--profile", "jwt", "--strict", "--label-filter", "req:jwt.security.expired-refused"}, code: 2, names: "jwt.jwt.secret does not verify on the target"},
		{name: "a wrong probe path", config: map[string]string{"path: /projects}": "path: /projectz}"},
			args: []string{"--profile", "lptracker"}, code: 2, names: "lptracker.probe.path"},
		{name: "a wrong base path", config: map[string]string{"base_path: /jwt\n": "base_path: /jwtz\n"},
			args: []string{"--profile", "jwt"}, code: 2, names: "check jwt.base_path"},
		{name: "a wrong token placement", config: map[string]string{"token: {bearer: true}": "token: {header: token}"},
			args: []string{"--profile", "apikey"}, code: 2, names: "apikey.token"},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			var url string
			if row.handler != nil {
				srv := httptest.NewServer(row.handler)
				t.Cleanup(srv.Close)
				url = srv.URL
			} else {
				url = serveReference(t, reference.Options{Breaks: row.breaks, JWTSecret: []byte(key)})
			}
			cfg := configWith(t, fixtures.ReferenceConfig, row.config)
			dir := t.TempDir()
			junit, html := filepath.Join(dir, "junit.xml"), filepath.Join(dir, "report.html")
			r := conform(t, append([]string{"run", "--target", url, "--config", cfg, "--junit-report", junit, "--html-report", html}, row.args...)...)
			console := r.stdout + r.stderr
			if row.code == 1 {
				console = r.stdout // the failure, with its requirement
			}
			want := map[int]suites.Verdict{1: suites.VerdictFail, 2: suites.VerdictConfigError}[row.code]
			if r.code != row.code || !strings.Contains(console, row.names) || r.report == nil || r.report.Verdict != want {
				t.Fatalf("exit %d, want %d naming %q (verdict %s)\nstdout:\n%s\nstderr:\n%s", r.code, row.code, row.names, want, r.stdout, r.stderr)
			}
			if row.code == 1 && !failedIDs(r.report)[row.names] {
				t.Errorf("the JSON report does not fail %s: %v", row.names, keys(failedIDs(r.report)))
			}
			if row.code == 2 && !strings.Contains(strings.Join(r.report.ConfigProblems, "\n"), row.names) {
				t.Errorf("the JSON report's config problems do not name %q: %q", row.names, r.report.ConfigProblems)
			}
			for _, f := range []string{junit, html} {
				data, err := os.ReadFile(f)
				if err != nil || !strings.Contains(htmlUnescape(string(data)), row.names) {
					t.Errorf("%s does not name %q (%v)", filepath.Base(f), row.names, err)
				}
			}
			t.Logf("exit %d: %s", r.code, row.names)
		})
	}
}

// htmlUnescape undoes the escapes the XML and HTML reports apply to the names checked.
func htmlUnescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(s)
}

// tokenElsewhere is a doc 003 server of the test's own, wrong in one way: its login answers the
// token beside result rather than at result.token. It refuses a second user from a client
// address while another is logged in there (one reading of doc 003), and ends a session at
// logout; its probe is GET /projects.
func tokenElsewhere() http.Handler {
	var mu sync.Mutex
	byIP := map[string]string{}   // client address -> logged-in login
	tokens := map[string]string{} // token -> login
	users := map[string]string{"alice@example.com": "alice-password-1", "bob@example.com": "bob-password-2"}
	n := 0
	refuse := func(w http.ResponseWriter) {
		io.WriteString(w, `{"status": "error", "errors": [{"code": 401, "message": "Invalid login or password"}]}`)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		ip, _, _ := net.SplitHostPort(r.RemoteAddr)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/login":
			var b struct{ Login, Password, Service, Version string }
			if json.NewDecoder(r.Body).Decode(&b) != nil || b.Login == "" || users[b.Login] != b.Password || b.Service == "" || b.Version != "1.0" {
				refuse(w)
				return
			}
			if u := byIP[ip]; u != "" && u != b.Login {
				io.WriteString(w, `{"status": "error", "errors": [{"code": 401, "message": "Another user is logged in from your IP"}]}`)
				return
			}
			n++
			tok := fmt.Sprintf("token-%024d", n)
			tokens[tok], byIP[ip] = b.Login, b.Login
			io.WriteString(w, `{"status": "success", "token": "`+tok+`"}`)
		case "/logout":
			u, ok := tokens[r.Header.Get("token")]
			if !ok {
				refuse(w)
				return
			}
			delete(tokens, r.Header.Get("token"))
			if byIP[ip] == u {
				delete(byIP, ip)
			}
			io.WriteString(w, `{"status": "success", "result": true}`)
		case "/projects":
			if _, ok := tokens[r.Header.Get("token")]; !ok {
				refuse(w)
				return
			}
			io.WriteString(w, `{"status": "success", "result": []}`)
		default:
			http.NotFound(w, r)
		}
	})
}
