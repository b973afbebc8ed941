package reference

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"mime/multipart"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
)

// flyAuth carries the default company API key as doc 000's curl -u KEY: does.
var flyAuth = map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(DefaultFlylogsAPIKey+":"))}

// flyJSON logs in to flylogs (served at the root) with a JSON body.
func (c *client) flyJSON(email, password string, code any) resp {
	c.t.Helper()
	body := map[string]any{"email": email, "password": password}
	if code != nil {
		body["code"] = code
	}
	b, _ := json.Marshal(body)
	return c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/json"}, string(b))
}

// flyForm logs in with a form body, as doc 000's curl -d does.
func (c *client) flyForm(form url.Values) resp {
	c.t.Helper()
	return c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/x-www-form-urlencoded"}, form.Encode())
}

// inner is doc 000's "response" object of r.
func inner(r resp) map[string]any {
	m, _ := r.body["response"].(map[string]any)
	return m
}

// flyToken is the token of a login answer, or "".
func flyToken(r resp) string {
	tok, _ := inner(r)["token"].(string)
	return tok
}

// flyMe asks the probe with tok.
func (c *client) flyMe(tok string) resp {
	c.t.Helper()
	h := map[string]string{"Authorization": flyAuth["Authorization"]}
	if tok != "" {
		h["token"] = tok
	}
	return c.do("GET", "/users/me.json", h, "")
}

func TestFlylogsLoginForms(t *testing.T) {
	c := newClient(t, newTestServer(t, flylogsOnly))
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	mw.WriteField("email", "alice@example.com")
	mw.WriteField("password", "alice-password-1")
	mw.Close()
	cases := []struct {
		name        string
		contentType string
		body        string
	}{
		{"json", "application/json", `{"email":"alice@example.com","password":"alice-password-1","code":null}`},
		{"json charset", "application/json; charset=utf-8", `{"email":"alice@example.com","password":"alice-password-1"}`},
		{"form (doc 000 curl -d)", "application/x-www-form-urlencoded", "email=alice%40example.com&password=alice-password-1&code="},
		{"multipart (curl -F)", mw.FormDataContentType(), mp.String()},
		{"json without content type", "", `{"email":"alice@example.com","password":"alice-password-1"}`},
		{"form without content type", "", "email=alice@example.com&password=alice-password-1"},
	}
	for _, tc := range cases {
		h := map[string]string{"Authorization": flyAuth["Authorization"]}
		if tc.contentType != "" {
			h["Content-Type"] = tc.contentType
		}
		r := c.do("POST", "/users/login.json", h, tc.body)
		tok := flyToken(r)
		want := `{"response":{"result":true,"two_factor":null,"message":null,"url":"/users","token":"` + tok + `"}}`
		if r.status != 200 || len(tok) != 32 || r.raw != want {
			t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
		}
	}
}

func TestFlylogsLoginFailures(t *testing.T) {
	c := newClient(t, newTestServer(t, flylogsOnly))
	const incorrect = `{"response":{"result":false,"message":"Incorrect email or password","url":null}}`
	cases := []struct {
		name   string
		r      resp
		status int
		raw    string
	}{
		{"wrong password", c.flyJSON("alice@example.com", "wrong", nil), 401, incorrect},
		{"unknown email", c.flyJSON("nobody@example.com", "alice-password-1", nil), 401, incorrect},
		{"missing password", c.flyJSON("alice@example.com", "", nil), 401, incorrect},
		{"doc 000's species typo is not the password", c.flyForm(url.Values{"email": {"alice@example.com"}, "species": {"alice-password-1"}}), 401, incorrect},
		{"no API key", c.do("POST", "/users/login.json", nil, `{"email":"alice@example.com","password":"alice-password-1"}`), 401,
			`{"response":{"result":false,"message":"API key required","url":null}}`},
		{"wrong API key", c.do("POST", "/users/login.json", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("nope:"))}, `{}`), 401,
			`{"response":{"result":false,"message":"API key required","url":null}}`},
		{"malformed JSON", c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/json"}, `{"email":`), 400, ""},
		{"code not a number or string", c.flyJSON("alice@example.com", "alice-password-1", 1.5), 400, ""},
		{"bad form escape", c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/x-www-form-urlencoded"}, "email=%zz"), 400, ""},
		{"unsupported type", c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "text/plain"}, "hi"), 415, ""},
		{"too large", c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/json"}, `{"email":"`+strings.Repeat("a", maxBodyBytes)+`"}`), 413, ""},
	}
	for _, tc := range cases {
		in := inner(tc.r)
		if tc.r.status != tc.status || in["result"] != false || flyToken(tc.r) != "" || (tc.raw != "" && tc.r.raw != tc.raw) {
			t.Errorf("%s: %d %s", tc.name, tc.r.status, tc.r.raw)
		}
		if _, ok := in["url"]; !ok {
			t.Errorf("%s: no url: %s", tc.name, tc.r.raw)
		}
	}
	if r := c.do("POST", "/users/login.json", nil, `{}`); r.status != 401 {
		t.Errorf("no API key: %d", r.status)
	}
}

// pending is doc 000's answer while a 2FA code is awaited.
const pending = `{"response":{"result":true,"two_factor":false,"message":"Two-factor code required","url":null}}`

func TestFlylogs2FAGeneratedCode(t *testing.T) {
	c := newClient(t, newTestServer(t, flylogsOnly))
	const carol = "carol@example.com"
	pw := testPasswords[carol]
	if r := c.flyJSON(carol, pw, nil); r.status != 200 || r.raw != pending {
		t.Fatalf("no code: %d %s", r.status, r.raw)
	}
	first := c.codes.last(carol)
	if len(first) != 6 || first[0] == '0' {
		t.Fatalf("no 6-digit code delivered: %q (%v)", first, c.codes.lines)
	}
	// A wrong code is refused and triggers another code, which supersedes the first.
	if r := c.flyJSON(carol, pw, "000000"); r.raw != pending || c.codes.count(carol) != 2 {
		t.Fatalf("wrong code: %s, %d codes", r.raw, c.codes.count(carol))
	}
	if r := c.flyJSON(carol, pw, first); r.raw != pending && first != c.codes.last(carol) {
		t.Fatalf("superseded code: %s", r.raw)
	}
	first = c.codes.last(carol)
	r := c.flyJSON(carol, pw, first)
	tok := flyToken(r)
	if want := `{"response":{"result":true,"two_factor":true,"message":null,"url":"/users","token":"` + tok + `"}}`; r.status != 200 || tok == "" || r.raw != want {
		t.Fatalf("right code: %d %s", r.status, r.raw)
	}
	if me := inner(c.flyMe(tok)); me["result"] != true {
		t.Errorf("token of a 2FA login refused by the probe")
	}
	// Single use.
	if r := c.flyJSON(carol, pw, first); r.raw != pending {
		t.Errorf("code reused: %s", r.raw)
	}
	// A code sent as a JSON number works.
	second := c.codes.last(carol)
	n, _ := json.Number(second).Int64()
	if r := c.flyJSON(carol, pw, n); flyToken(r) == "" {
		t.Errorf("code as number: %s", r.raw)
	}
	// Valid ten minutes.
	c.flyJSON(carol, pw, nil)
	late := c.codes.last(carol)
	c.advance(11 * time.Minute)
	if r := c.flyJSON(carol, pw, late); r.raw != pending {
		t.Errorf("code valid after 11 minutes: %s", r.raw)
	}
	// The right code with a wrong password is still a wrong password.
	c.flyJSON(carol, pw, nil)
	if r := c.flyJSON(carol, "wrong", c.codes.last(carol)); r.status != 401 {
		t.Errorf("wrong password, right code: %d %s", r.status, r.raw)
	}
}

func TestFlylogs2FACodeIsBoundToItsUser(t *testing.T) {
	c := newClient(t, newTestServer(t, flylogsOnly))
	// dave has two_factor sms; flylogs mails his code all the same.
	c.flyJSON("dave@example.com", testPasswords["dave@example.com"], nil)
	daves := c.codes.last("dave@example.com")
	c.flyJSON("carol@example.com", testPasswords["carol@example.com"], nil)
	if r := c.flyJSON("carol@example.com", testPasswords["carol@example.com"], daves); r.raw != pending {
		t.Fatalf("dave's code logged carol in: %s", r.raw)
	}
	if r := c.flyJSON("dave@example.com", testPasswords["dave@example.com"], daves); flyToken(r) == "" {
		t.Fatalf("dave's code refused for dave: %s", r.raw)
	}
	if !strings.Contains(strings.Join(c.codes.lines, "\n"), "to dave@example.com; email") {
		t.Errorf("dave's code not addressed to his email: %v", c.codes.lines)
	}
}

func TestFlylogs2FATOTPAndStatic(t *testing.T) {
	c := newClient(t, newTestServer(t, flylogsOnly))
	const erin, frank = "erin@example.com", "frank@example.com"
	if r := c.flyJSON(erin, testPasswords[erin], nil); r.raw != pending {
		t.Fatalf("erin without code: %s", r.raw)
	}
	code, err := totp.GenerateCode(testTOTPSecret, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if r := c.flyJSON(erin, testPasswords[erin], code); inner(r)["two_factor"] != true || flyToken(r) == "" {
		t.Errorf("erin with TOTP %s: %s", code, r.raw)
	}
	prev, _ := totp.GenerateCode(testTOTPSecret, time.Now().Add(-30*time.Second))
	if r := c.flyForm(url.Values{"email": {erin}, "password": {testPasswords[erin]}, "code": {prev}}); flyToken(r) == "" {
		t.Errorf("erin with the previous step's TOTP: %s", r.raw)
	}
	old, _ := totp.GenerateCode(testTOTPSecret, time.Now().Add(-5*time.Minute))
	if old != code && old != prev {
		if r := c.flyJSON(erin, testPasswords[erin], old); r.raw != pending {
			t.Errorf("erin with a 5-minute-old TOTP: %s", r.raw)
		}
	}
	if r := c.flyJSON(frank, testPasswords[frank], "424242"); flyToken(r) == "" {
		t.Errorf("frank with his static code: %s", r.raw)
	}
	if r := c.flyJSON(frank, testPasswords[frank], 424242); flyToken(r) == "" {
		t.Errorf("frank with his static code as a number: %s", r.raw)
	}
	if r := c.flyJSON(frank, testPasswords[frank], "424243"); r.raw != pending {
		t.Errorf("frank with a wrong code: %s", r.raw)
	}
	if n := c.codes.count(erin) + c.codes.count(frank); n != 0 {
		t.Errorf("codes delivered to totp/static users: %v", c.codes.lines)
	}
}

func TestFlylogsProbe(t *testing.T) {
	c := newClient(t, newTestServer(t, flylogsOnly))
	tok := flyToken(c.flyJSON("bob@example.com", "bob-password-2", nil))
	if r := c.flyMe(tok); r.status != 200 || r.raw != `{"response":{"result":true,"user":{"id":2,"email":"bob@example.com","name":"Bob Example"}}}` {
		t.Errorf("probe: %d %s", r.status, r.raw)
	}
	const invalid = `{"response":{"result":false,"message":"Invalid token","url":null}}`
	for _, bad := range []string{"", "garbage", strings.Repeat("0", 32)} {
		if r := c.flyMe(bad); r.status != 401 || r.raw != invalid {
			t.Errorf("probe with %q: %d %s", bad, r.status, r.raw)
		}
	}
	if r := c.do("GET", "/users/me.json", map[string]string{"token": tok}, ""); r.status != 401 || inner(r)["message"] != "API key required" {
		t.Errorf("probe without API key: %d %s", r.status, r.raw)
	}
	c.advance(50 * time.Minute)
	if c.flyMe(tok).status != 200 {
		t.Fatal("token expired within its idle TTL")
	}
	c.advance(50 * time.Minute)
	if c.flyMe(tok).status != 200 {
		t.Fatal("activity did not extend the token")
	}
	c.advance(61 * time.Minute)
	if c.flyMe(tok).status != 401 {
		t.Error("token valid after an idle TTL")
	}
}

func TestFlylogsCustomAPIKeyAndSharedStore(t *testing.T) {
	c := newClient(t, newTestServer(t, func(o *Options) { o.FlylogsAPIKey = "s3cret" }))
	r := c.do("POST", "/flylogs/users/login.json", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("s3cret:"))}, `{"email":"alice@example.com","password":"alice-password-1"}`)
	if flyToken(r) == "" {
		t.Fatalf("custom API key: %d %s", r.status, r.raw)
	}
	if r := c.do("POST", "/flylogs/users/login.json", flyAuth, `{}`); r.status != 401 {
		t.Errorf("default key accepted with a custom one set: %d", r.status)
	}
	// A token of another profile is no flylogs token, though the store is shared.
	lp := c.do("POST", "/lptracker/login", nil, `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}`)
	lpTok := lp.body["result"].(map[string]any)["token"].(string)
	if r := c.do("GET", "/flylogs/users/me.json", map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("s3cret:")), "token": lpTok}, ""); r.status != 401 {
		t.Errorf("lptracker token accepted by flylogs: %d %s", r.status, r.raw)
	}
}

// Each company logs its own users in with its own API key (doc 000: "an existing user in your
// company"), and no other company's.
func TestFlylogsCompanyKeys(t *testing.T) {
	c := newClient(t, newTestServer(t, func(o *Options) { o.Profiles = []string{"flylogs"} }))
	login := func(key, email, password string) string {
		b, _ := json.Marshal(map[string]string{"email": email, "password": password})
		return flyToken(c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/json",
			"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(key+":"))}, string(b)))
	}
	other := CompanyAPIKey("other-company")
	if login(other, "grace@example.com", "grace-password-7") == "" {
		t.Error("grace does not log in with her company's key")
	}
	if login(DefaultFlylogsAPIKey, "grace@example.com", "grace-password-7") != "" {
		t.Error("grace logs in with another company's key")
	}
	if login(other, "alice@example.com", "alice-password-1") != "" {
		t.Error("alice logs in with another company's key")
	}
	if login(DefaultFlylogsAPIKey, "alice@example.com", "alice-password-1") == "" {
		t.Error("alice does not log in with her company's key")
	}
}
