package reference

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// payload decodes the claims of a JWT without verifying it.
func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q is not a JWT", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("decode payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("payload json: %v", err)
	}
	return m
}

func TestJWTLoginAndMe(t *testing.T) {
	c := newClient(t, newTestServer(t, jwtOnly))
	r := c.do("POST", "/users/login", nil, `{"email":"bob@example.com","password":"bob-password-2"}`)
	if r.status != 200 || r.body["uid"] != "uid-bob" {
		t.Fatalf("login: %d %s", r.status, r.raw)
	}
	tok := r.body["token"].(string)
	p := payload(t, tok)
	if p["sub"] != "uid-bob" || p["uid"] != "uid-bob" || p["email"] != "bob@example.com" {
		t.Errorf("claims %v", p)
	}
	if exp, iat := p["exp"].(float64), p["iat"].(float64); exp-iat != time.Hour.Seconds() {
		t.Errorf("exp-iat = %v, want the TTL", exp-iat)
	}
	if strings.Contains(r.raw, "$2a$") || p["password"] != nil {
		t.Error("token or answer carries the password hash")
	}

	want := `{"email":"bob@example.com","name":"Bob Example","uid":"uid-bob"}`
	for name, rr := range map[string]resp{
		"header": c.do("GET", "/users/me", map[string]string{"x-access-token": tok}, ""),
		"query":  c.do("GET", "/users/me?token="+tok, nil, ""),
	} {
		if rr.status != 200 || rr.raw != want {
			t.Errorf("me via %s: %d %s", name, rr.status, rr.raw)
		}
	}
}

func TestJWTLoginFailures(t *testing.T) {
	c := newClient(t, newTestServer(t, jwtOnly))
	for name, body := range map[string]string{
		"wrong password":   `{"email":"bob@example.com","password":"nope"}`,
		"unknown user":     `{"email":"mallory@example.com","password":"x"}`,
		"missing password": `{"email":"bob@example.com"}`,
		"missing email":    `{"password":"bob-password-2"}`,
		"malformed":        `{"email":`,
		"empty":            ``,
		"wrong types":      `{"email":true,"password":[]}`,
	} {
		r := c.do("POST", "/users/login", nil, body)
		msg, _ := r.body["message"].(string)
		if r.status != 401 || r.body["success"] != false || !strings.HasPrefix(msg, "Authentication failed.") {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	r := c.do("POST", "/users/login", nil, `{"email":"bob@example.com","password":"nope"}`)
	if r.body["message"] != "Authentication failed. Wrong password." {
		t.Errorf("wrong password message %v", r.body["message"])
	}
	if r := c.do("POST", "/users/login", nil, `{"email":"`+strings.Repeat("a", 2<<20)+`"}`); r.status != 413 {
		t.Errorf("oversized body: %d", r.status)
	}
}

// forge signs claims for uid with key and method.
func forge(t *testing.T, m jwt.SigningMethod, key any, uid string, exp time.Time) string {
	t.Helper()
	c := jwt.MapClaims{"uid": uid, "sub": uid, "iat": time.Now().Unix(), "exp": exp.Unix()}
	s, err := jwt.NewWithClaims(m, c).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWTRejectsBadTokens(t *testing.T) {
	c := newClient(t, newTestServer(t, jwtOnly))
	good := c.jwtLogin("alice@example.com")
	parts := strings.Split(good, ".")
	future := time.Now().Add(time.Hour)
	cases := map[string]string{
		"alg none":       forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, "uid-alice", future),
		"other key":      forge(t, jwt.SigningMethodHS256, []byte("not-the-secret"), "uid-alice", future),
		"HS512":          forge(t, jwt.SigningMethodHS512, []byte("test-secret-test-secret-test-sec"), "uid-alice", future),
		"expired":        forge(t, jwt.SigningMethodHS256, []byte("test-secret-test-secret-test-sec"), "uid-alice", time.Now().Add(-time.Minute)),
		"unknown uid":    forge(t, jwt.SigningMethodHS256, []byte("test-secret-test-secret-test-sec"), "uid-mallory", future),
		"tampered claim": parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"uid":"uid-bob","exp":9999999999}`)) + "." + parts[2],
		"no signature":   parts[0] + "." + parts[1] + ".",
		"garbage":        "garbage",
		"dots":           "...",
	}
	for name, tok := range cases {
		r := c.do("GET", "/users/me", map[string]string{"x-access-token": tok}, "")
		if r.status != 401 || r.body["success"] != false {
			t.Errorf("%s: %d %s", name, r.status, r.raw)
		}
	}
	if r := c.do("GET", "/users/me", nil, ""); r.status != 401 || r.body["success"] != false {
		t.Errorf("no token: %d %s", r.status, r.raw)
	}
}

func TestJWTExpiresOnServerClock(t *testing.T) {
	c := newClient(t, newTestServer(t, jwtOnly)) // TTL 1h
	tok := c.jwtLogin("alice@example.com")
	c.advance(59 * time.Minute)
	if r := c.do("GET", "/users/me", map[string]string{"x-access-token": tok}, ""); r.status != 200 {
		t.Fatalf("before exp: %d", r.status)
	}
	c.advance(2 * time.Minute)
	if r := c.do("GET", "/users/me", map[string]string{"x-access-token": tok}, ""); r.status != 401 {
		t.Fatalf("after exp: %d", r.status)
	}
}

func TestVerifiedCacheBounded(t *testing.T) {
	c := newVerifiedCache()
	u := &testUsers()[0]
	exp := time.Now().Add(time.Hour)
	for i := range 10 * cacheShards * cacheShardSize {
		c.put(strings.Repeat("x", i%7)+time.Duration(i).String(), u, exp)
	}
	for i := range c.shards {
		if n := len(c.shards[i].m); n > cacheShardSize {
			t.Fatalf("shard %d holds %d tokens", i, n)
		}
	}
	c.put("tok", u, exp)
	if _, ok := c.get("tok", exp); ok {
		t.Error("cached token valid at exactly exp")
	}
	if got, ok := c.get("tok", exp.Add(-time.Second)); !ok || got != u {
		t.Error("cached token not found before exp")
	}
}
