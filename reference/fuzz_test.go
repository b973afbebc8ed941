package reference

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzLogin checks that no body makes a login handler answer 5xx or
// anything but JSON. Without -fuzz it runs the seeds as a unit test.
func fuzzLogin(f *testing.F, profile, path string, seeds []string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := newTestServer(f, func(o *Options) { o.Profiles = []string{profile} })
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", path, strings.NewReader(string(body)))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("status %d for body %q: %s", w.Code, body, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("non-JSON answer %q for body %q", w.Body, body)
		}
	})
}

func FuzzLptrackerLogin(f *testing.F) {
	fuzzLogin(f, "lptracker", "/login", []string{
		`{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}`,
		`{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}}`,
		`{"login":"alice@example.com","password":"x","service":"S","version":"1.0"}`,
		`{"login":"","password":"","service":"","version":""}`,
		`{"version":"2.0"}`, `{}`, `null`, `[]`, `"str"`, `1e999`, ``, `{`, "\xff\xfe",
		`{"login":{"$ne":null},"password":[1],"service":true,"version":1.0}`,
		`{"login":"\u0000","password":"` + strings.Repeat("p", 100) + `","service":"Ñ","version":"1.0"}`,
	})
}

func FuzzJWTLogin(f *testing.F) {
	fuzzLogin(f, "jwt", "/users/login", []string{
		`{"email":"alice@example.com","password":"alice-password-1"}`,
		`{"email":"alice@example.com","password":"wrong"}`,
		`{"email":"alice@example.com"}`, `{}`, `null`, `[]`, ``, `{`, "\xff",
		`{"email":1,"password":{}}`,
		`{"email":"alice@example.com","password":"` + strings.Repeat("p", 100) + `"}`,
	})
}

// FuzzTokens feeds arbitrary tokens to the authenticated endpoints.
func FuzzTokens(f *testing.F) {
	for _, s := range []string{"", "garbage", "a.b.c", "...", "eyJhbGciOiJub25lIn0.e30.", "0123456789abcdef0123456789abcdef", "\x00", strings.Repeat("A", 5000)} {
		f.Add(s)
	}
	h := newTestServer(f, nil).Handler()
	f.Fuzz(func(t *testing.T, tok string) {
		for _, tc := range []struct{ method, path, header, prefix string }{
			{"GET", "/lptracker/projects", "token", ""},
			{"POST", "/lptracker/logout", "token", ""},
			{"GET", "/jwt/users/me", "X-Access-Token", ""},
			{"GET", "/flylogs/users/me.json", "Token", ""},
			{"GET", "/apikey/auth/me", "Authorization", "Bearer "},
		} {
			r := httptest.NewRequest(tc.method, tc.path, nil)
			r.Header[tc.header] = []string{tc.prefix + tok}
			if strings.HasPrefix(tc.path, "/flylogs/") {
				r.Header["Authorization"] = []string{flyAuth["Authorization"]} // doc 000's API key
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 401 || !json.Valid(w.Body.Bytes()) {
				t.Fatalf("%s %s with token %q: %d %s", tc.method, tc.path, tok, w.Code, w.Body)
			}
		}
	})
}
