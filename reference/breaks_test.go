package reference

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// documented maps every break to a check of the documented behaviour it
// switches off: the check must hold on the unbroken server and fail with
// the break on. Each check runs on a fresh single-profile server (TTL 1h,
// test clock on).
// lpVersionRefused is the check of a version break: a valid login with version (raw JSON) is
// refused.
func lpVersionRefused(version string) func(c *client) bool {
	return func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":`+version+`}`)
	}
}

var documented = map[string]func(c *client) bool{
	"lptracker.accept-missing-login": func(c *client) bool {
		return lpRefused(c, `{"password":"alice-password-1","service":"S","version":"1.0"}`)
	},
	"lptracker.accept-missing-password": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","service":"S","version":"1.0"}`)
	},
	"lptracker.accept-missing-service": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"alice-password-1","version":"1.0"}`)
	},
	"lptracker.accept-missing-version": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"alice-password-1","service":"S"}`)
	},
	"lptracker.accept-any-version": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"2.0"}`)
	},
	"lptracker.version-newer-minor-ok":    lpVersionRefused(`"1.1"`),
	"lptracker.version-older-ok":          lpVersionRefused(`"0.9"`),
	"lptracker.version-empty-ok":          lpVersionRefused(`""`),
	"lptracker.version-no-minor-ok":       lpVersionRefused(`"1"`),
	"lptracker.version-trailing-zeros-ok": lpVersionRefused(`"1.00"`),
	"lptracker.version-patch-ok":          lpVersionRefused(`"1.0.0"`),
	"lptracker.version-number-ok":         lpVersionRefused(`1.0`),
	"lptracker.version-padded-ok":         lpVersionRefused(`" 1.0"`),
	"lptracker.version-prefixed-ok":       lpVersionRefused(`"v1.0"`),
	"lptracker.version-null-ok":           lpVersionRefused(`null`),
	"lptracker.service-null-ok": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"alice-password-1","service":null,"version":"1.0"}`)
	},
	"lptracker.service-empty-ok": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"alice-password-1","service":"","version":"1.0"}`)
	},
	"lptracker.accept-wrong-password": func(c *client) bool {
		return lpRefused(c, `{"login":"alice@example.com","password":"wrong","service":"S","version":"1.0"}`)
	},
	"lptracker.success-shape": func(c *client) bool {
		r := c.do("POST", "/login", nil, `{"login":"alice@example.com","password":"alice-password-1","service":"S","version":"1.0"}`)
		res, _ := r.body["result"].(map[string]any)
		tok, _ := res["token"].(string)
		return r.body["status"] == "success" && tok != ""
	},
	"lptracker.error-shape": func(c *client) bool {
		r := c.do("POST", "/login", nil, `{"login":"alice@example.com","password":"wrong","service":"S","version":"1.0"}`)
		errs, _ := r.body["errors"].([]any)
		if r.body["status"] != "error" || len(errs) != 1 {
			return false
		}
		e, _ := errs[0].(map[string]any)
		return e["code"] == 401.0 && e["message"] == "Invalid login or password"
	},
	"lptracker.token-header-authorization": func(c *client) bool {
		return c.lpValid(c.lpLogin("alice@example.com", "S"))
	},
	"lptracker.ignore-token": func(c *client) bool {
		return c.do("GET", "/projects", nil, "").status == 401 && !c.lpValid("forged")
	},
	"lptracker.logout-shape": func(c *client) bool {
		r := c.do("POST", "/logout", map[string]string{"token": c.lpLogin("alice@example.com", "S")}, "")
		return r.body["status"] == "success" && r.body["result"] == true
	},
	"lptracker.logout-keeps-token": func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.do("POST", "/logout", map[string]string{"token": tok}, "")
		return !c.lpValid(tok)
	},
	// Logout deletes "your token": the same user's token of another service stays.
	"lptracker.logout-ends-services": func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		other := c.lpLogin("alice@example.com", "T")
		c.do("POST", "/logout", map[string]string{"token": tok}, "")
		return c.lpValid(other)
	},
	"lptracker.logout-without-token-ok": func(c *client) bool { return c.do("POST", "/logout", nil, "").body["status"] == "error" },
	"lptracker.logout-unknown-token-ok": func(c *client) bool {
		return c.do("POST", "/logout", map[string]string{"token": "conform-never-issued-0123456789"}, "").body["status"] == "error"
	},
	"lptracker.ttl-absolute": func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.advance(40 * time.Minute)
		c.lpValid(tok)
		c.advance(40 * time.Minute)
		return c.lpValid(tok)
	},
	"lptracker.ttl-none": func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.advance(2 * time.Hour)
		return !c.lpValid(tok)
	},
	"lptracker.multi-user-per-ip": func(c *client) bool {
		a := c.from("10.0.0.1").lpLogin("alice@example.com", "S")
		c.from("10.0.0.1").lpLogin("bob@example.com", "S")
		return !c.lpValid(a)
	},
	"lptracker.one-service-per-ip": func(c *client) bool {
		a := c.from("10.0.0.1").lpLogin("alice@example.com", "S")
		c.from("10.0.0.1").lpLogin("alice@example.com", "T")
		return c.lpValid(a)
	},
	"lptracker.global-single-user": func(c *client) bool {
		a := c.from("10.0.0.1").lpLogin("alice@example.com", "S")
		c.from("10.0.0.2").lpLogin("bob@example.com", "S")
		return c.lpValid(a)
	},

	"jwt.success-shape": func(c *client) bool {
		r := c.do("POST", "/users/login", nil, `{"email":"alice@example.com","password":"alice-password-1"}`)
		return r.body["uid"] == "uid-alice"
	},
	"jwt.opaque-token": func(c *client) bool {
		parts := strings.Split(c.jwtLogin("alice@example.com"), ".")
		if len(parts) != 3 {
			return false
		}
		h, err := base64.RawURLEncoding.DecodeString(parts[0])
		var hdr map[string]any
		return err == nil && json.Unmarshal(h, &hdr) == nil && hdr["alg"] == "HS256"
	},
	"jwt.login-fail-200": func(c *client) bool {
		return c.do("POST", "/users/login", nil, `{"email":"alice@example.com","password":"wrong"}`).status == 401
	},
	"jwt.login-fail-shape": func(c *client) bool {
		r := c.do("POST", "/users/login", nil, `{"email":"alice@example.com","password":"wrong"}`)
		msg, _ := r.body["message"].(string)
		return r.body["success"] == false && msg != ""
	},
	"jwt.no-header-token": func(c *client) bool { return meUID(c, c.jwtLogin("alice@example.com"), true) == "uid-alice" },
	"jwt.no-query-token":  func(c *client) bool { return meUID(c, c.jwtLogin("alice@example.com"), false) == "uid-alice" },
	"jwt.me-wrong-user":   func(c *client) bool { return meUID(c, c.jwtLogin("bob@example.com"), true) == "uid-bob" },
	"jwt.accept-missing-token": func(c *client) bool {
		return c.do("GET", "/users/me", nil, "").status == 401
	},
	"jwt.accept-garbage-token":       func(c *client) bool { return meUID(c, "not-a-token", true) == "" },
	"jwt.accept-garbage-query-token": func(c *client) bool { return meUID(c, "not-a-token", false) == "" },
	"jwt.me-wrong-user-query":        func(c *client) bool { return meUID(c, c.jwtLogin("bob@example.com"), false) == "uid-bob" },
	"jwt.accept-alg-none": func(c *client) bool {
		tok := forgeFor(c, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType)
		return meUID(c, tok, true) == ""
	},
	"jwt.skip-signature": func(c *client) bool {
		return meUID(c, forgeFor(c, jwt.SigningMethodHS256, []byte("wrong-key")), true) == ""
	},
	"jwt.ignore-exp": func(c *client) bool {
		tok := c.jwtLogin("alice@example.com")
		c.advance(61 * time.Minute)
		return meUID(c, tok, true) == ""
	},
	"jwt.query-unverified": func(c *client) bool {
		tok := forgeFor(c, jwt.SigningMethodHS256, []byte("wrong-key"))
		return meUID(c, tok, false) == ""
	},
	"jwt.password-in-payload": func(c *client) bool {
		_, claims, _ := strings.Cut(c.jwtLogin("alice@example.com"), ".")
		raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(claims, ".")[0])
		return !strings.Contains(string(raw), "password") && !strings.Contains(string(raw), "$2a$")
	},
}

// lpRefused reports whether an lptracker login with body is refused.
func lpRefused(c *client, body string) bool {
	return c.do("POST", "/login", nil, body).body["status"] == "error"
}

// meUID asks /users/me with tok (header or query) and returns the uid, or
// "" if refused.
func meUID(c *client, tok string, header bool) string {
	var r resp
	if header {
		r = c.do("GET", "/users/me", map[string]string{"x-access-token": tok}, "")
	} else {
		r = c.do("GET", "/users/me?token="+tok, nil, "")
	}
	if r.status != 200 {
		return ""
	}
	uid, _ := r.body["uid"].(string)
	return uid
}

// forgeFor makes an unexpired token for alice signed with m and key.
func forgeFor(c *client, m jwt.SigningMethod, key any) string {
	claims := jwt.MapClaims{"uid": "uid-alice", "sub": "uid-alice", "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	s, err := jwt.NewWithClaims(m, claims).SignedString(key)
	if err != nil {
		c.t.Fatal(err)
	}
	return s
}

func TestEachBreakSwitchesOffItsBehaviour(t *testing.T) {
	skipBcryptBound(t)
	for _, name := range BreakNames() {
		check, ok := documented[name]
		if !ok {
			t.Errorf("break %s has no check in documented", name)
			continue
		}
		profile, _, _ := strings.Cut(name, ".")
		t.Run(name, func(t *testing.T) {
			good := newClient(t, newTestServer(t, func(o *Options) { o.Profiles = []string{profile} }))
			if !check(good) {
				t.Fatal("documented behaviour does not hold on the unbroken server")
			}
			broken := newClient(t, newTestServer(t, func(o *Options) { o.Profiles = []string{profile}; o.Breaks = []string{name} }))
			if check(broken) {
				t.Fatal("documented behaviour still holds with the break on")
			}
		})
	}
	for name := range documented {
		if _, err := checkBreaks([]string{name}, builtinProfiles()); err != nil {
			t.Errorf("check for unknown break %s: %v", name, err)
		}
	}
}

// TestBreaksAreIsolated checks a sample of breaks leave the neighbouring
// behaviours documented: a broken server is wrong in one way only.
func TestBreaksAreIsolated(t *testing.T) {
	skipBcryptBound(t)
	for _, name := range BreakNames() {
		profile, _, _ := strings.Cut(name, ".")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			broken := func() *client {
				return newClient(t, newTestServer(t, func(o *Options) { o.Profiles = []string{profile}; o.Breaks = []string{name} }))
			}
			for other, check := range documented {
				if other == name || !strings.HasPrefix(other, profile+".") || coupled[name+" "+other] {
					continue
				}
				if c, ok := laxCredentialOf(name); ok && !strings.HasPrefix(other, c+"-") {
					continue // a lax form is checked against the other forms of its credential
				}
				if !check(broken()) {
					t.Errorf("break %s also breaks %s", name, other)
				}
			}
		})
	}
}

// coupled lists the pairs "break check" where the check cannot hold by
// construction, because it observes through the channel the break moves:
// the lptracker checks prove a token valid through header token and the
// probe, and the jwt checks compare the uid /users/me returns.
var coupled = map[string]bool{
	// Any non-empty version string taken: every other version string is taken too.
	"lptracker.accept-any-version lptracker.version-newer-minor-ok":       true,
	"lptracker.accept-any-version lptracker.version-older-ok":             true,
	"lptracker.accept-any-version lptracker.version-no-minor-ok":          true,
	"lptracker.accept-any-version lptracker.version-trailing-zeros-ok":    true,
	"lptracker.accept-any-version lptracker.version-patch-ok":             true,
	"lptracker.accept-any-version lptracker.version-padded-ok":            true,
	"lptracker.accept-any-version lptracker.version-prefixed-ok":          true,
	"lptracker.token-header-authorization lptracker.global-single-user":   true,
	"lptracker.token-header-authorization lptracker.logout-shape":         true,
	"lptracker.token-header-authorization lptracker.logout-ends-services": true,
	"lptracker.token-header-authorization lptracker.one-service-per-ip":   true,
	"lptracker.token-header-authorization lptracker.ttl-absolute":         true,
	"lptracker.ignore-token lptracker.logout-keeps-token":                 true,
	"lptracker.ignore-token lptracker.multi-user-per-ip":                  true,
	"lptracker.ignore-token lptracker.ttl-none":                           true,
	// A server that reads no token accepts every wrong form of one.
	"lptracker.ignore-token lptracker.token-prefix-ok":        true,
	"lptracker.ignore-token lptracker.token-appended-ok":      true,
	"flylogs.ignore-token flylogs.token-prefix-ok":            true,
	"flylogs.ignore-token flylogs.token-appended-ok":          true,
	"apikey.ignore-token apikey.token-prefix-ok":              true,
	"apikey.ignore-token apikey.token-appended-ok":            true,
	"lptracker.accept-wrong-password lptracker.error-shape":   true,
	"jwt.me-wrong-user jwt.no-header-token":                   true,
	"jwt.me-wrong-user jwt.no-query-token":                    true,
	"jwt.no-header-token jwt.me-wrong-user":                   true,
	"jwt.me-wrong-user jwt.me-wrong-user-query":               true,
	"jwt.me-wrong-user-query jwt.no-query-token":              true,
	"jwt.no-query-token jwt.me-wrong-user-query":              true,
	"jwt.accept-garbage-token jwt.accept-garbage-query-token": true,
	"jwt.skip-signature jwt.query-unverified":                 true, // no signature checked anywhere, the query's included
}
