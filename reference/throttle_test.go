package reference

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLoginThrottle: after the limit of wrong passwords in a row for one account from one
// address, that account's logins from that address are answered 429 with Retry-After, the
// right password too, until the window is over; other addresses and accounts are not
// touched, and a login that succeeds starts the count again. Each profile counts its own.
func TestLoginThrottle(t *testing.T) {
	limit := LoginThrottle{Failures: 3, Window: time.Minute}
	s := newTestServer(t, func(o *Options) { o.LoginThrottle = limit })
	c := newClient(t, s)
	login := func(c *client, email, password string) resp {
		return c.do("POST", "/lptracker/login", nil, `{"login":"`+email+`","password":"`+password+`","service":"s","version":"1.0"}`)
	}
	good := testPasswords["alice@example.com"]
	for i := range 2 {
		if r := login(c, "alice@example.com", "wrong"); r.status != 401 {
			t.Fatalf("wrong password %d: %d %s", i+1, r.status, r.raw)
		}
	}
	if r := login(c, "alice@example.com", good); r.status != 200 {
		t.Fatalf("right password after 2 wrong: %d %s", r.status, r.raw)
	}
	for i := range 3 { // the success started the count again: 3 more to the limit
		r := login(c, "alice@example.com", "wrong")
		if r.status != 401 {
			t.Fatalf("wrong password %d after the success: %d %s", i+1, r.status, r.raw)
		}
		// The limit is announced on each refusal, counting down (draft-ietf-httpapi-ratelimit-headers).
		if p, l := r.header.Get("RateLimit-Policy"), r.header.Get("RateLimit"); p != `"failed-logins";q=3;w=60` || l != `"failed-logins";r=`+strconv.Itoa(2-i)+`;t=60` {
			t.Errorf("wrong password %d: RateLimit-Policy %q, RateLimit %q", i+1, p, l)
		}
	}
	r := login(c, "alice@example.com", good)
	if r.status != 429 || r.header.Get("Retry-After") != "60" || !strings.Contains(r.raw, `"errors":[{"code":429,`) {
		t.Fatalf("right password at the limit: %d Retry-After %q %s; want 429, Retry-After 60, doc 003's error envelope", r.status, r.header.Get("Retry-After"), r.raw)
	}
	if r := login(c.from("192.0.2.2"), "alice@example.com", good); r.status != 200 {
		t.Errorf("another address: %d %s", r.status, r.raw)
	}
	if r := login(c, "bob@example.com", testPasswords["bob@example.com"]); r.status != 200 {
		t.Errorf("another account: %d %s", r.status, r.raw)
	}
	jwt := c.do("POST", "/jwt/users/login", nil, `{"email":"alice@example.com","password":"`+good+`"}`)
	if jwt.status != 200 {
		t.Errorf("another profile: %d %s", jwt.status, jwt.raw)
	}
	c.advance(30 * time.Second)
	if r := login(c, "alice@example.com", good); r.status != 429 || r.header.Get("Retry-After") != "30" {
		t.Errorf("half the window later: %d Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	c.advance(30 * time.Second)
	if r := login(c, "alice@example.com", good); r.status != 200 {
		t.Errorf("the window over: %d %s", r.status, r.raw)
	}
}

// TestLoginThrottleEveryProfile: each profile's login meets the throttle, newapikey in both
// formats and in the form POST of TestPHPIntegrationLogsInWithAFormPOST.
func TestLoginThrottleEveryProfile(t *testing.T) {
	s := newTestServer(t, func(o *Options) { o.LoginThrottle = LoginThrottle{Failures: 1, Window: time.Hour} })
	c := newClient(t, s)
	nk := func(format, pass string) resp {
		q := url.Values{"user": {"alice@example.com"}, "pass": {pass}, "description": {"d"}}
		return c.do("POST", "/newapikey/user/newapikey/login."+format, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, q.Encode())
	}
	logins := map[string]func(secret string) resp{
		"lptracker": func(p string) resp {
			return c.do("POST", "/lptracker/login", nil, `{"login":"alice@example.com","password":"`+p+`","service":"s","version":"1.0"}`)
		},
		"jwt": func(p string) resp {
			return c.do("POST", "/jwt/users/login", nil, `{"email":"alice@example.com","password":"`+p+`"}`)
		},
		"flylogs": func(p string) resp {
			return c.do("POST", "/flylogs/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/json"}, `{"email":"alice@example.com","password":"`+p+`"}`)
		},
		"apikey": func(p string) resp {
			return c.do("POST", "/apikey/auth/login", nil, `{"apiKey":"alice-api-key","apiSecret":"`+p+`"}`)
		},
		"newapikey.json": func(p string) resp { return nk("json", p) },
	}
	envelope := map[string]string{"lptracker": `"errors":[{"code":429,`, "jwt": `"success":false`,
		"flylogs": `{"response":{`, "apikey": `"TOO_MANY_FAILED_LOGINS"`, "newapikey.json": `"status":"error"`}
	for name, login := range logins {
		if r := login("wrong"); r.status != 401 {
			t.Errorf("%s: the wrong secret: %d %s", name, r.status, r.raw)
		}
		r := login("wrong")
		if r.status != 429 || r.header.Get("Retry-After") != strconv.Itoa(3600) {
			t.Errorf("%s: over the limit: %d Retry-After %q %s", name, r.status, r.header.Get("Retry-After"), r.raw)
		}
		// The 429 is in the document's failure envelope, as its fuzz target asks of every answer.
		if !strings.Contains(r.raw, envelope[name]) {
			t.Errorf("%s: the 429 is not in the document's failure envelope (%s): %s", name, envelope[name], r.raw)
		}
	}
	if r := nk("xml", "wrong"); r.status != 429 {
		t.Errorf("newapikey.xml: %d %s", r.status, r.raw)
	}
}

func TestParseLoginThrottle(t *testing.T) {
	for in, want := range map[string]LoginThrottle{"20/15m": {20, 15 * time.Minute}, "1/1s": {1, time.Second}, "off": {-1, 0}} {
		got, err := ParseLoginThrottle(in)
		if err != nil || got != want {
			t.Errorf("%q: %+v %v; want %+v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "20", "0/1m", "-1/1m", "20/0s", "20/x", "x/1m"} {
		if _, err := ParseLoginThrottle(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	if DefaultLoginThrottle.String() != "20/15m0s" {
		t.Errorf("String: %s", DefaultLoginThrottle)
	}
}
