package reference

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzFlylogsLogin feeds arbitrary bodies under each Content-Type a client
// of doc 000 sends: never a 5xx, always doc 000's JSON envelope.
func FuzzFlylogsLogin(f *testing.F) {
	for _, s := range []struct{ ct, body string }{
		{"application/json", `{"email":"alice@example.com","password":"alice-password-1"}`},
		{"application/json", `{"email":"carol@example.com","password":"carol-password-3","code":123456}`},
		{"application/json", `{"email":"carol@example.com","password":"carol-password-3","code":"123456"}`},
		{"application/json", `{"code":1e99}`},
		{"application/json", `{"code":[1]}`},
		{"application/x-www-form-urlencoded", "email=alice%40example.com&password=alice-password-1&code="},
		{"application/x-www-form-urlencoded", "email=%zz"},
		{"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na\r\n--x--\r\n"},
		{"multipart/form-data", "--x"},
		{"", `{"email":"alice@example.com"}`},
		{"", "email=a&password=b"},
		{"text/plain", "hello"},
		{";;;", ""},
		{"application/json", "\xff"},
		{"application/json", `null`},
	} {
		f.Add(s.ct, []byte(s.body))
	}
	h := newTestServer(f, flylogsOnly).Handler()
	f.Fuzz(func(t *testing.T, ct string, body []byte) {
		r := httptest.NewRequest("POST", "/users/login.json", strings.NewReader(string(body)))
		r.Header.Set("Authorization", flyAuth["Authorization"])
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var answer map[string]map[string]any
		if w.Code >= 500 || json.Unmarshal(w.Body.Bytes(), &answer) != nil || answer["response"] == nil {
			t.Fatalf("%d %q for %q %q", w.Code, w.Body, ct, body)
		}
	})
}

func FuzzAPIKeyLogin(f *testing.F) {
	fuzzLogin(f, "apikey", "/auth/login", []string{
		aliceKey, `{"apiKey":"alice-api-key"}`, `{"apiSecret":"x"}`, `{}`, `null`, `[]`, ``, `{`, "\xff",
		`{"apiKey":1,"apiSecret":{}}`, `{"apiKey":"alice-api-key","apiSecret":"` + strings.Repeat("s", 100) + `"}`,
	})
}

// FuzzNewAPIKey feeds arbitrary query strings to both endpoints in both
// formats: never a 5xx, always well-formed JSON or XML.
func FuzzNewAPIKey(f *testing.F) {
	for _, q := range []string{
		"user=alice@example.com&pass=alice-password-1&description=YourAPP",
		"user=dave@example.com&pass=dave-password-4&tfkey=1234",
		"user=alice@example.com&key=AAAAAAAAAA",
		"user=%zz&pass=%", "user=<&pass=]]>", "user=\x00", "", "&&&", "user=a&user=b",
	} {
		f.Add(q)
	}
	h := newTestServer(f, newapikeyOnly).Handler()
	f.Fuzz(func(t *testing.T, q string) {
		for _, path := range []string{"/user/newapikey/login", "/view/user/api"} {
			for _, format := range []string{"json", "xml"} {
				r := httptest.NewRequest("GET", "/", nil)
				r.URL.Path = path + "." + format
				r.URL.RawQuery = q
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code >= 500 {
					t.Fatalf("%s.%s?%q: %d %s", path, format, q, w.Code, w.Body)
				}
				if format == "json" && !json.Valid(w.Body.Bytes()) {
					t.Fatalf("%s.json?%q: not JSON: %s", path, q, w.Body)
				}
				if format == "xml" && !wellFormed(w.Body.String()) {
					t.Fatalf("%s.xml?%q: not well-formed: %s", path, q, w.Body)
				}
			}
		}
	})
}

// wellFormed reports whether s is one well-formed XML document.
func wellFormed(s string) bool {
	d := xml.NewDecoder(strings.NewReader(s))
	depth, roots := 0, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return depth == 0 && roots == 1
		}
		if err != nil {
			return false
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}
