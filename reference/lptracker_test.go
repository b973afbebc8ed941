package reference

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// lpErrors returns the errors array of an lptracker error answer.
func lpErrors(t *testing.T, r resp) []map[string]any {
	t.Helper()
	if r.body["status"] != "error" {
		t.Fatalf("status field %v, want error; body %s", r.body["status"], r.raw)
	}
	arr, ok := r.body["errors"].([]any)
	if !ok || len(arr) == 0 {
		t.Fatalf("no errors array in %s", r.raw)
	}
	var out []map[string]any
	for _, e := range arr {
		m, _ := e.(map[string]any)
		if _, ok := m["code"].(float64); !ok {
			t.Fatalf("error without numeric code: %s", r.raw)
		}
		if _, ok := m["message"].(string); !ok {
			t.Fatalf("error without message: %s", r.raw)
		}
		out = append(out, m)
	}
	return out
}

func TestLptrackerLoginSuccess(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly))
	r := c.do("POST", "/login", map[string]string{"Content-Type": "application/json"},
		`{"login":"alice@example.com","password":"alice-password-1","service":"ServiceName","version":"1.0"}`)
	if r.status != 200 || r.body["status"] != "success" {
		t.Fatalf("login: %d %s", r.status, r.raw)
	}
	tok := r.body["result"].(map[string]any)["token"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(tok) {
		t.Errorf("token %q is not 128 bits of hex", tok)
	}
	if !c.lpValid(tok) {
		t.Error("fresh token rejected by the probe")
	}
}

// TestLptrackerLoginDocExample sends doc 003's curl body verbatim, stray
// closing brace included.
func TestLptrackerLoginDocExample(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly))
	r := c.do("POST", "/login", nil,
		`{"login": "alice@example.com", "password": "alice-password-1", "service": "ServiceName", "version": "1.0"}}`)
	if r.status != 200 {
		t.Fatalf("doc example body: %d %s", r.status, r.raw)
	}
}

func TestLptrackerLoginErrors(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly))
	full := map[string]string{"login": `"alice@example.com"`, "password": `"alice-password-1"`, "service": `"S"`, "version": `"1.0"`}
	body := func(edit map[string]string) string {
		var parts []string
		for _, k := range []string{"login", "password", "service", "version"} {
			v, ok := edit[k]
			if !ok {
				v = full[k]
			}
			if v != "-" {
				parts = append(parts, `"`+k+`":`+v)
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	cases := []struct {
		name   string
		body   string
		status int
		code   float64
		msg    string
	}{
		{"missing login", body(map[string]string{"login": "-"}), 400, 400, "login"},
		{"empty login", body(map[string]string{"login": `""`}), 400, 400, "login"},
		{"missing password", body(map[string]string{"password": "-"}), 400, 400, "password"},
		{"missing service", body(map[string]string{"service": "-"}), 400, 400, "service"},
		{"missing version", body(map[string]string{"version": "-"}), 400, 400, "version"},
		{"version 2.0", body(map[string]string{"version": `"2.0"`}), 400, 400, "1.0"},
		{"version 1", body(map[string]string{"version": `"1"`}), 400, 400, "1.0"},
		{"wrong password", body(map[string]string{"password": `"nope"`}), 401, 401, "Invalid login or password"},
		{"unknown login", body(map[string]string{"login": `"mallory@example.com"`}), 401, 401, "Invalid login or password"},
		{"other user's password", body(map[string]string{"password": `"bob-password-2"`}), 401, 401, "Invalid login or password"},
		{"malformed json", `{"login":`, 400, 400, "JSON"},
		{"not an object", `[1,2]`, 400, 400, "JSON"},
		{"wrong types", `{"login":1,"password":2,"service":3,"version":1.0}`, 400, 400, "JSON"},
		{"empty body", ``, 400, 400, "JSON"},
		{"null", `null`, 400, 400, "login"},
		{"too large", `{"login":"` + strings.Repeat("a", 2<<20) + `"}`, 413, 413, "1 MiB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.do("POST", "/login", nil, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tc.status, r.raw)
			}
			errs := lpErrors(t, r)
			if errs[0]["code"] != tc.code || !strings.Contains(errs[0]["message"].(string), tc.msg) {
				t.Errorf("first error %v, want code %v and a message containing %q", errs[0], tc.code, tc.msg)
			}
		})
	}
	t.Run("all missing lists each field", func(t *testing.T) {
		if errs := lpErrors(t, c.do("POST", "/login", nil, `{}`)); len(errs) != 4 {
			t.Errorf("got %d errors, want 4", len(errs))
		}
	})
}

func TestLptrackerProbeAndLogout(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly))
	tok := c.lpLogin("alice@example.com", "S")

	if r := c.do("GET", "/projects", map[string]string{"token": tok}, ""); r.status != 200 || r.raw != `{"status":"success","result":[]}` {
		t.Fatalf("probe: %d %s", r.status, r.raw)
	}
	for name, h := range map[string]map[string]string{
		"no token":      nil,
		"unknown token": {"token": "0123456789abcdef0123456789abcdef"},
		"bearer only":   {"Authorization": "Bearer " + tok},
	} {
		r := c.do("GET", "/projects", h, "")
		if r.status != 401 || lpErrors(t, r)[0]["code"] != 401.0 {
			t.Errorf("probe with %s: %d %s", name, r.status, r.raw)
		}
	}

	if r := c.do("POST", "/logout", nil, ""); r.status != 401 {
		t.Errorf("logout without token: %d %s", r.status, r.raw)
	}
	r := c.do("POST", "/logout", map[string]string{"token": tok, "Content-Type": "application/json"}, "")
	if r.status != 200 || r.raw != `{"status":"success","result":true}` {
		t.Fatalf("logout: %d %s", r.status, r.raw)
	}
	if c.lpValid(tok) {
		t.Error("token valid after logout")
	}
	if r := c.do("POST", "/logout", map[string]string{"token": tok}, ""); r.status != 401 {
		t.Errorf("second logout: %d %s", r.status, r.raw)
	}
}

func TestLptrackerIdleTTL(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly)) // TTL 1h
	tok := c.lpLogin("alice@example.com", "S")
	idle := c.lpLogin("alice@example.com", "T")
	for range 3 {
		c.advance(50 * time.Minute)
		if !c.lpValid(tok) {
			t.Fatal("token used every 50 minutes expired")
		}
	}
	if c.lpValid(idle) {
		t.Error("token idle for 150 minutes still valid")
	}
	c.advance(61 * time.Minute)
	if c.lpValid(tok) {
		t.Error("token valid after 61 idle minutes")
	}
}

func TestLptrackerDefaultTTLIs24h(t *testing.T) {
	c := newClient(t, newTestServer(t, func(o *Options) { lpOnly(o); o.TokenTTL = 0 }))
	tok := c.lpLogin("alice@example.com", "S")
	c.advance(23*time.Hour + 59*time.Minute)
	if !c.lpValid(tok) {
		t.Fatal("expired before 24h")
	}
	c.advance(24 * time.Hour)
	if c.lpValid(tok) {
		t.Fatal("valid after 24 idle hours")
	}
}

func TestLptrackerOneUserPerIP(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly))
	ip1, ip2 := c.from("10.0.0.1"), c.from("10.0.0.2")
	a1 := ip1.lpLogin("alice@example.com", "crm")
	a2 := ip1.lpLogin("alice@example.com", "mailer")
	if !c.lpValid(a1) || !c.lpValid(a2) {
		t.Fatal("one user's two services from one IP did not both stay valid")
	}
	b := ip1.lpLogin("bob@example.com", "crm")
	if c.lpValid(a1) || c.lpValid(a2) || !c.lpValid(b) {
		t.Fatal("after bob logged in from alice's IP, alice's sessions should end and bob's live")
	}
	carol := ip2.lpLogin("carol@example.com", "crm")
	if !c.lpValid(b) || !c.lpValid(carol) {
		t.Fatal("logins from different IPs interfered")
	}
}

func TestLptrackerForwardedFor(t *testing.T) {
	for _, trust := range []bool{false, true} {
		c := newClient(t, newTestServer(t, func(o *Options) { lpOnly(o); o.TrustForwardedFor = trust }))
		login := func(email, xff string) string {
			r := c.do("POST", "/login", map[string]string{"X-Forwarded-For": xff},
				`{"login":"`+email+`","password":"`+testPasswords[email]+`","service":"S","version":"1.0"}`)
			return r.body["result"].(map[string]any)["token"].(string)
		}
		a := login("alice@example.com", "203.0.113.1, 10.0.0.1")
		login("bob@example.com", "203.0.113.2")
		// Trusted, the two logins come from different IPs; untrusted, both
		// come from the connection's address and bob ends alice's session.
		if got := c.lpValid(a); got != trust {
			t.Errorf("trust=%v: alice valid=%v", trust, got)
		}
	}
}

func TestLptrackerWrongMethod(t *testing.T) {
	c := newClient(t, newTestServer(t, lpOnly))
	if r := c.do("GET", "/login", nil, ""); r.status != 405 {
		t.Errorf("GET /login: %d", r.status)
	}
}
