package suites

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// TestRunMasksSecretsInEveryOutput runs a spec that sends the config's password to a target
// echoing it back, then fails quoting it and the answer; the summary, the JSON and JUnit
// reports and the Result hold no form of it, and the run notes the password too short to mask.
func TestRunMasksSecretsInEveryOutput(t *testing.T) {
	const secret = `p&ss<w>"o'r\d%+ é`
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"url": r.URL.String(), "body": string(body), "auth": r.Header.Get("Authorization")})
	}))
	defer target.Close()
	dir := t.TempDir()
	cfgData, _ := json.Marshal(map[string]any{
		"client_ips": map[string]any{"mode": "none"},
		"jwt": map[string]any{"accounts": []any{
			map[string]any{"login": "alice@example.com", "password": secret},
			map[string]any{"login": "bob@example.com", "password": "abc"},
		}},
	})
	cfg := filepath.Join(dir, "target.yaml")
	if err := os.WriteFile(cfg, cfgData, 0o600); err != nil {
		t.Fatal(err)
	}
	register := func(book *cite.Book, e *env.Env) {
		ginkgo.Describe("jwt", func() {
			book.It(reqFails, "fails quoting the password", func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(a.Login+":"+a.Password))
				resp := e.Do(ctx, client.Request{Method: "POST", Path: "/login", JSON: map[string]string{"password": a.Password},
					Query: url.Values{"pass": {a.Password}}, Header: http.Header{"Authorization": {basic}}})
				ginkgo.Fail("expected no password in the answer\n     got: " + a.Password + " in " + string(resp.Body))
			})
		})
	}
	var out bytes.Buffer
	o := Options{Target: target.URL, ConfigPath: cfg, Profiles: []string{"jwt"}, Out: &out,
		JSONReport: filepath.Join(dir, "r.json"), JUnitReport: filepath.Join(dir, "r.xml"),
		registrars: map[string]func(*cite.Book, *env.Env){"jwt": register}}
	res, err := Run(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Totals.Failed != 1 {
		t.Fatalf("totals %+v, want the one spec failed", res.Totals)
	}
	resJSON, _ := json.Marshal(res)
	outputs := map[string]string{"summary": out.String(), "result": string(resJSON)}
	for _, f := range []string{o.JSONReport, o.JUnitReport} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs[filepath.Base(f)] = string(data)
	}
	forms := []string{secret, `p\u0026ss`, `p&amp;ss`, `p\\u0026ss`, url.QueryEscape(secret), "p%26ss", base64.StdEncoding.EncodeToString([]byte("alice@example.com:" + secret))[:20]}
	for name, text := range outputs {
		for _, f := range forms {
			if strings.Contains(text, f) {
				t.Errorf("%s holds %q", name, f)
			}
		}
	}
	if !strings.Contains(out.String(), "****") || !strings.Contains(out.String(), "curl") {
		t.Errorf("the summary shows no masked exchange:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "note: jwt.accounts[1].password has fewer than 4 characters") {
		t.Errorf("no note on the short password:\n%s", out.String())
	}
}
