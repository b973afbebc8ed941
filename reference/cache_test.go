package reference

import (
	"net/url"
	"testing"
)

// TestAnswersWithTokensAreNotStored: every login answer that carries a token or key (each
// profile, both of doc 002's formats) says no-store, as ASVS 4.0.3 V8.2.1 asks.
func TestAnswersWithTokensAreNotStored(t *testing.T) {
	s := newTestServer(t, nil) // every profile, each under /<profile>
	c := newClient(t, s)
	cases := map[string]resp{
		"lptracker": c.do("POST", "/lptracker/login", nil, `{"login":"alice@example.com","password":"`+testPasswords["alice@example.com"]+`","service":"s","version":"1.0"}`),
		"jwt":       c.do("POST", "/jwt/users/login", nil, `{"email":"alice@example.com","password":"`+testPasswords["alice@example.com"]+`"}`),
		"flylogs": c.do("POST", "/flylogs/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/json"},
			`{"email":"alice@example.com","password":"`+testPasswords["alice@example.com"]+`"}`),
		"apikey": c.do("POST", "/apikey/auth/login", nil, `{"apiKey":"alice-api-key","apiSecret":"`+testPasswords["alice-api-key"]+`"}`),
	}
	for _, f := range []string{"json", "xml"} {
		q := url.Values{"user": {"alice@example.com"}, "pass": {testPasswords["alice@example.com"]}, "description": {"conform"}}
		cases["newapikey."+f] = c.do("GET", "/newapikey/user/newapikey/login."+f+"?"+q.Encode(), nil, "")
	}
	for name, r := range cases {
		if r.status != 200 {
			t.Errorf("%s: login answered %d %s", name, r.status, r.raw)
		}
		if cc, p := r.header.Get("Cache-Control"), r.header.Get("Pragma"); cc != "no-store" || p != "no-cache" {
			t.Errorf("%s: Cache-Control %q, Pragma %q; want no-store, no-cache", name, cc, p)
		}
	}
}
