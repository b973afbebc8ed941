package profile_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/reference"
)

func TestDocumentsAreInDocumentOrderWithUniqueNames(t *testing.T) {
	docs := profile.All()
	for i, d := range docs {
		if d.Name == "" || len(d.Number) != 3 || d.Title == "" {
			t.Errorf("document %d is incomplete: %+v", i, d)
		}
		if i > 0 && d.Number <= docs[i-1].Number {
			t.Errorf("%s (doc %s) is out of document order after doc %s", d.Name, d.Number, docs[i-1].Number)
		}
		if got, ok := profile.Get(d.Name); !ok || got.Number != d.Number {
			t.Errorf("Get(%q) = %+v, %v", d.Name, got, ok)
		}
	}
	if _, ok := profile.Get("nope"); ok {
		t.Error("Get found a profile that is not registered")
	}
}

// The reference does not import this registry (it is what the specs are checked against), so
// nothing else ties the two lists together.
func TestReferenceServesTheSameProfiles(t *testing.T) {
	got, want := reference.Profiles(), profile.Names()
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("reference serves %v, the registry has %v", got, want)
	}
}

// Every document's wire builds a login and places a token from the reference's own config.
func TestWiresBuildLoginAndPlaceTokens(t *testing.T) {
	f, err := profile.Schema().Parse("fixtures/reference.yaml", fixtures.ReferenceConfig, func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range profile.All() {
		t.Run(d.Name, func(t *testing.T) {
			sec := f.Section(d.Name)
			if sec == nil {
				t.Fatalf("fixtures/reference.yaml has no %s section", d.Name)
			}
			r := d.Wire.Login(sec, sec.Accounts[0], 0)
			if r.Method == "" || !strings.HasPrefix(r.Path, "/") {
				t.Errorf("login request %+v", r)
			}
			if r.JSON == nil && r.Form == nil && r.Query == nil {
				t.Error("login carries no credentials")
			}
			if len(d.Wire.Placements(sec)) == 0 {
				t.Fatal("no placement")
			}
			pr := client.Request{Method: "GET", Path: "/probe"}
			d.Wire.Place(sec, &pr, profile.Session{Account: sec.Accounts[0], Token: "tok-123"})
			enc, err := pr.Encode("http://127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(enc.URL)
			found := strings.Contains(u.RawQuery, "tok-123")
			for _, vs := range enc.Header {
				found = found || slices.ContainsFunc(vs, func(v string) bool { return strings.Contains(v, "tok-123") })
			}
			if !found {
				t.Errorf("placed request carries no token: %+v", enc)
			}
		})
	}
}

func TestTokenReadsOnlyAStringInValidJSON(t *testing.T) {
	w := profile.JWT().Wire
	cases := map[string]string{
		`{"uid":"1","token":"abc"}`: "abc",
		`{"uid":"1","token":12}`:    "",
		`{"uid":"1","token":"abc"`:  "", // cut short: not an answer that carries a token
		`not json`:                  "",
	}
	for body, want := range cases {
		if got := w.Token([]byte(body)); got != want {
			t.Errorf("Token(%s) = %q, want %q", body, got, want)
		}
	}
}

// LoginToken is what load counts a login by: a token in an answer of the documented shape.
func TestLoginTokenNeedsTheDocumentedSuccessEnvelope(t *testing.T) {
	cases := []struct {
		doc  profile.Document
		body string
		want string // the token, or "" for none
		why  string // in the reason when there is none
	}{
		{profile.Lptracker(), `{"status": "success", "result": {"token": "t-1"}}`, "t-1", ""},
		{profile.Lptracker(), `{"status": "error", "result": {"token": "t-1"}}`, "", `status = "error", not the documented "success"`},
		{profile.Lptracker(), `{"result": {"token": "t-1"}}`, "", "status = nothing"},
		{profile.Lptracker(), `{"status": "success", "result": {"token": ""}}`, "", "no token at result.token"},
		{profile.Lptracker(), `{"status": "success", "result": {"token": "t-1"`, "", "not JSON"},
		{profile.Flylogs(), `{"response": {"result": true, "token": "f-1"}}`, "f-1", ""},
		{profile.Flylogs(), `{"response": {"result": "true", "token": "f-1"}}`, "", `response.result = "true", not the documented true`},
		{profile.Flylogs(), `{"response": {"result": false, "two_factor": false, "token": "f-1"}}`, "", "response.result = false"},
		{profile.NewAPIKey(), `{"status": "success", "success": "ADDED_KEY", "newapikey": {"key": "k"}}`, "k", ""},
		{profile.NewAPIKey(), `{"status": "success", "success": "ADDED_TF"}`, "", "no token at newapikey.key"},
		{profile.JWT(), `{"uid": "1", "token": "a.b.c"}`, "a.b.c", ""},
		{profile.JWT(), `{"uid": "1", "token": 12}`, "", "no token at token"},
		{profile.APIKey(), `<html>502</html>`, "", "not JSON"},
	}
	for _, c := range cases {
		got, why := c.doc.Wire.LoginToken([]byte(c.body))
		if got != c.want || (c.want == "") != (why != "") || !strings.Contains(why, c.why) {
			t.Errorf("%s LoginToken(%s) = %q, %q; want %q and a reason with %q", c.doc.Name, c.body, got, why, c.want, c.why)
		}
	}
}

func TestServiceGivesEverySessionItsOwn(t *testing.T) {
	sec := &config.Profile{Services: []string{"a", "b"}}
	seen := map[string]bool{}
	for n := 0; n < 5; n++ {
		s := profile.Service(sec, n)
		if seen[s] {
			t.Fatalf("service %q given twice", s)
		}
		seen[s] = true
	}
	if profile.Service(sec, 0) != "a" || profile.Service(sec, 1) != "b" {
		t.Fatal("the configured services come first")
	}
}
