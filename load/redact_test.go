package load

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/conformhq/conform/profile"
)

// secretForms are forms of the test password a leak would take here: raw, in a query, in
// JSON.
var secretForms = []string{`p&ss<w>"o'r\d%+ é`, url.QueryEscape(`p&ss<w>"o'r\d%+ é`), `p\u0026ss`}

// TestLoadMasksSecrets loads a target whose login URL carries the password: one that hangs up
// (vegeta's errors name the URL) and one that echoes the password without a token (the
// validate scenario's login error quotes the answer). The results, the reports and the error
// hold no form of the password.
func TestLoadMasksSecrets(t *testing.T) {
	cfg, err := profile.Schema().Parse("target.yaml", []byte(`newapikey:
  accounts: [{login: alice@example.com, password: "p&ss<w>\"o'r\\d%+ é"}]
`), func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	hangUp := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/" {
			return
		}
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer hangUp.Close()
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"status": "error", "query": r.URL.Query(), "raw": r.URL.RawQuery})
	}))
	defer echo.Close()

	var results bytes.Buffer
	// A share of a staged run: every new output path (stages, timeline, plot) is checked too.
	o := Options{Profile: "newapikey", Scenario: "login", Target: hangUp.URL, Config: cfg, Segment: Segment{Index: 1, Count: 2},
		Stages: []Stage{{0, 40}, {300 * time.Millisecond, 40}}, Users: 2, Workers: 2, Name: "test",
		OnResult: func(r *vegeta.Result) error { return json.NewEncoder(&results).Encode(r) }}
	rep, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	var text, js, plot bytes.Buffer
	rep.WriteText(&text)
	rep.WriteJSON(&js)
	rep.WritePlot(&plot, "test")
	if len(rep.Errors) == 0 || !strings.Contains(results.String(), `pass=****`) {
		t.Fatalf("no masked transport error: errors %v\n%s", rep.Errors, results.String())
	}

	o.Target, o.Scenario, o.Users, o.OnResult = echo.URL, "validate", 2, nil
	_, err = Run(context.Background(), o)
	// The account check before the sessions log in sees doc 002's error envelope: the account
	// is named, its password masked.
	if err == nil || !strings.Contains(err.Error(), "cannot log in") {
		t.Fatalf("validate against a target without tokens: %v", err)
	}
	for name, out := range map[string]string{"results": results.String(), "text": text.String(), "json": js.String(), "plot": plot.String(), "error": err.Error()} {
		for _, f := range secretForms {
			if strings.Contains(out, f) {
				t.Errorf("%s holds %q:\n%s", name, f, out)
			}
		}
	}
}
