package reference

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
)

// laxCredential is one credential of one profile whose breaks compare it in a lax form (see
// laxBreakDefs): each break's check sends the wrong form in place of the right value, every
// other field right, and holds when the server refuses it.
type laxCredential struct {
	name         string // the breaks' name prefix, e.g. jwt.password
	right, other string // the right value, and another account's
	// refused sends v in place of the right value and reports whether it was refused.
	refused func(c *client, v string) bool
	// use sends the right value once, which the prefix break needs before it can let a
	// prefix through (it keeps the secret in clear after its first use); nil for none.
	use func(c *client)
	// issue, for a credential the server hands out, gets one and returns it as the right
	// value.
	issue func(c *client) string
	// forms are the lax forms it has breaks for; nil means all.
	forms []laxForm
}

// laxCredentials lists every credential with lax breaks.
func laxCredentials() []laxCredential {
	return []laxCredential{
		{
			name: "jwt.password", right: "alice-password-1", other: "bob-password-2",
			refused: func(c *client, v string) bool {
				b, _ := json.Marshal(map[string]string{"email": "alice@example.com", "password": v})
				return c.do("POST", "/users/login", nil, string(b)).body["token"] == nil
			},
			use: func(c *client) { c.jwtLogin("alice@example.com") },
		},
		{
			name: "flylogs.password", right: "alice-password-1", other: "bob-password-2",
			refused: func(c *client, v string) bool { return flyToken(c.flyJSON("alice@example.com", v, nil)) == "" },
			use:     func(c *client) { c.flyJSON("alice@example.com", "alice-password-1", nil) },
		},
		{
			name: "newapikey.password", right: "alice-password-1", other: "bob-password-2",
			refused: func(c *client, v string) bool {
				return c.nkLogin("json", url.Values{"user": {"alice@example.com"}, "pass": {v}}).body["newapikey"] == nil
			},
			use: func(c *client) { c.nkKey("alice@example.com") },
		},
		{
			name: "lptracker.password", right: "alice-password-1", other: "bob-password-2",
			refused: func(c *client, v string) bool {
				b, _ := json.Marshal(map[string]string{"login": "alice@example.com", "password": v, "service": "S", "version": "1.0"})
				return c.do("POST", "/login", nil, string(b)).body["status"] == "error"
			},
			use: func(c *client) { c.lpLogin("alice@example.com", "S") },
		},
		{
			name: "apikey.secret", right: "alice-api-secret", other: "bob-api-secret",
			refused: func(c *client, v string) bool {
				b, _ := json.Marshal(map[string]string{"apiKey": "alice-api-key", "apiSecret": v})
				return c.akLogin(string(b)).body["token"] == nil
			},
			use: func(c *client) { c.akLogin(aliceKey) },
		},
		{
			name: "apikey.key", right: "alice-api-key",
			refused: func(c *client, v string) bool {
				b, _ := json.Marshal(map[string]string{"apiKey": v, "apiSecret": "alice-api-secret"})
				return c.akLogin(string(b)).body["token"] == nil
			},
			use:   func(c *client) { c.akLogin(aliceKey) },
			forms: []laxForm{laxEmpty, laxCase, laxPrefix, laxAppended},
		},
		{
			// other: the key of grace's company, which logs grace in and not alice.
			name: "flylogs.api-key", right: DefaultFlylogsAPIKey, other: CompanyAPIKey("other-company"),
			refused: func(c *client, v string) bool {
				b, _ := json.Marshal(map[string]string{"email": "alice@example.com", "password": "alice-password-1"})
				return flyToken(c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/json",
					"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte(v+":"))}, string(b))) == ""
			},
		},
		{
			name: "newapikey.key", right: "", // filled by use: a key is known once issued
			refused: func(c *client, v string) bool { return c.nkView("json", "alice@example.com", v).status != 200 },
			issue:   func(c *client) string { return c.nkKey("alice@example.com") },
			forms:   []laxForm{laxCase, laxPrefix, laxAppended},
		},
		{
			name: "lptracker.token", right: "", // filled by issue: a token is known once issued
			issue:   func(c *client) string { return c.lpLogin("alice@example.com", "S") },
			refused: func(c *client, v string) bool { return !c.lpValid(v) },
			forms:   []laxForm{laxPrefix, laxAppended},
		},
		{
			name:  "flylogs.token",
			issue: func(c *client) string { return flyToken(c.flyJSON("alice@example.com", "alice-password-1", nil)) },
			refused: func(c *client, v string) bool {
				return c.flyMe(v).status == 401
			},
			forms: []laxForm{laxPrefix, laxAppended},
		},
		{
			name: "apikey.token",
			issue: func(c *client) string {
				tok, _ := c.akLogin(aliceKey).body["token"].(string)
				return tok
			},
			refused: func(c *client, v string) bool {
				return c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer " + v}, "").status == 401
			},
			forms: []laxForm{laxPrefix, laxAppended},
		},
		{
			name: "flylogs.2fa-code",
			issue: func(c *client) string {
				c.flyJSON("carol@example.com", "carol-password-3", nil)
				return c.codes.last("carol@example.com")
			},
			refused: func(c *client, v string) bool {
				return flyToken(c.flyJSON("carol@example.com", "carol-password-3", v)) == ""
			},
			forms: []laxForm{laxPrefix, laxAppended},
		},
		{
			name: "newapikey.tfkey", other: "carol's code",
			issue: func(c *client) string {
				c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}})
				return c.codes.last("dave@example.com")
			},
			refused: func(c *client, v string) bool {
				if v == "carol's code" { // known only once carol logs in
					c.nkLogin("json", url.Values{"user": {"carol@example.com"}, "pass": {"carol-password-3"}})
					v = c.codes.last("carol@example.com")
				}
				r := c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}, "tfkey": {v}})
				return r.body["newapikey"] == nil
			},
			forms: []laxForm{laxEmpty, laxPrefix, laxAppended, laxOther},
		},
	}
}

// laxCredentialOf returns the credential of a lax break (jwt.password of
// jwt.password-prefix-ok): its isolation is checked against the other forms of the credential,
// which share its code path, and not against every check of the profile, which a lax
// comparison cannot reach (and which its prefix and appended forms would make slow, each wrong
// secret costing them a bcrypt per character).
func laxCredentialOf(brk string) (string, bool) {
	for _, lc := range laxCredentials() {
		for _, d := range laxDefs() {
			if brk == lc.name+"-"+d.suffix {
				return lc.name, true
			}
		}
	}
	return "", false
}

// laxValue is what the spec of form f sends in place of right (env.Form's values).
func laxValue(f laxForm, right, other string) string {
	switch f {
	case laxEmpty:
		return ""
	case laxCase:
		return swapCase(right)
	case laxPrefix:
		if right == "" { // nothing issued: the check fails on its own
			return ""
		}
		return right[:len(right)-1]
	case laxAppended:
		return right + "x"
	case laxOther:
		return other
	}
	return right
}

func init() {
	for _, lc := range laxCredentials() {
		profile, _, _ := strings.Cut(lc.name, ".")
		for _, d := range laxDefs() {
			if lc.forms != nil && !containsForm(lc.forms, d.form) {
				continue
			}
			// A server that takes any password, secret or key also takes each form of it.
			for _, any := range []string{"accept-wrong-password", "accept-wrong-secret", "no-api-key", "ignore-key",
				"2fa-accept-wrong-code", "2fa-accept-wrong-tfkey", "2fa-cross-user-code", "2fa-token-without-code", "2fa-skip"} {
				coupled[profile+"."+any+" "+lc.name+"-"+d.suffix] = true
			}
			lc, f := lc, d.form
			documented[lc.name+"-"+d.suffix] = func(c *client) bool {
				right := lc.right
				if lc.use != nil && f == laxPrefix {
					lc.use(c)
				}
				if lc.issue != nil {
					right = lc.issue(c)
				}
				return lc.refused(c, laxValue(f, right, lc.other))
			}
		}
	}
}

func TestLaxEqualLetsOnlyItsFormThrough(t *testing.T) {
	right := "Key-123"
	sent := map[laxForm]string{laxEmpty: "", laxCase: "kEY-123", laxPrefix: "Key-12", laxAppended: "Key-1234"}
	for form, v := range sent {
		for _, f := range []laxForm{exact, laxEmpty, laxCase, laxPrefix, laxAppended} {
			if got, want := laxEqual(right, v, f), f == form; got != want {
				t.Errorf("laxEqual(%q, %q, form %d) = %v, want %v", right, v, f, got, want)
			}
		}
	}
	if !laxEqual(right, right, exact) {
		t.Error("the right value does not pass")
	}
}
