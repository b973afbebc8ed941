package reference

import (
	"encoding/json"
	"net/url"
	"strings"
)

// mintWire is how a check of the mint breaks (mint.go) logs in to one profile.
type mintWire struct {
	// login sends a login of user (a login, email or apiKey) with secret.
	login func(c *client, user, secret string) resp
	// token reads the login answer's token, "" when none.
	token func(r resp) string
	// users are two users without 2FA: login and secret.
	users [2][2]string
	// oversize sends a login whose body is over maxBodyBytes.
	oversize func(c *client)
}

func jsonLogin(path string, fields ...string) func(c *client, user, secret string) resp {
	return func(c *client, user, secret string) resp {
		m := map[string]string{fields[0]: user, fields[1]: secret}
		for i := 2; i+1 < len(fields); i += 2 {
			m[fields[i]] = fields[i+1]
		}
		b, _ := json.Marshal(m)
		return c.do("POST", path, map[string]string{"Content-Type": "application/json"}, string(b))
	}
}

func bigJSON(path string) func(c *client) {
	return func(c *client) {
		c.do("POST", path, map[string]string{"Content-Type": "application/json"}, `{"x":"`+strings.Repeat("p", maxBodyBytes)+`"}`)
	}
}

func answerField(r resp, path ...string) string {
	var v any = r.body
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

var people = [2][2]string{{"alice@example.com", "alice-password-1"}, {"bob@example.com", "bob-password-2"}}

var mintWires = map[string]mintWire{
	"lptracker": {
		login: jsonLogin("/login", "login", "password", "service", "S", "version", "1.0"),
		// The success-shape break moves the token: other checks still read it.
		token: func(r resp) string { return answerField(r, "result", "token") + answerField(r, "token") },
		users: people, oversize: bigJSON("/login"),
	},
	"jwt": {
		login: jsonLogin("/users/login", "email", "password"),
		token: func(r resp) string { return answerField(r, "token") },
		users: people, oversize: bigJSON("/users/login"),
	},
	"flylogs": {
		login: func(c *client, user, secret string) resp { return c.flyJSON(user, secret, nil) },
		token: func(r resp) string { return flyToken(r) + answerField(r, "token") },
		users: people,
		oversize: func(c *client) {
			c.do("POST", "/users/login.json", map[string]string{"Authorization": flyAuth["Authorization"], "Content-Type": "application/json"}, `{"x":"`+strings.Repeat("p", maxBodyBytes)+`"}`)
		},
	},
	"apikey": {
		login: jsonLogin("/auth/login", "apiKey", "apiSecret"),
		token: func(r resp) string { return answerField(r, "token") },
		users: [2][2]string{{"alice-api-key", "alice-api-secret"}, {"bob-api-key", "bob-api-secret"}}, oversize: bigJSON("/auth/login"),
	},
	"newapikey": {
		login: func(c *client, user, secret string) resp {
			return c.nkLogin("json", url.Values{"user": {user}, "pass": {secret}})
		},
		token: func(r resp) string { return answerField(r, "newapikey", "key") },
		users: people,
		oversize: func(c *client) {
			q := url.Values{"user": {"alice@example.com"}, "pass": {"alice-password-1"}, "description": {"d"}}
			c.do("GET", "/user/newapikey/login.json?"+q.Encode(), nil, strings.Repeat("p", maxBodyBytes+1))
		},
	},
}

// mintChecks are the documented behaviours each mint break switches off, by suffix.
var mintChecks = map[string]func(w mintWire, c *client) bool{
	"predictable-tokens": func(w mintWire, c *client) bool {
		return !strings.HasPrefix(w.token(w.login(c, w.users[0][0], w.users[0][1])), "0000000000")
	},
	"hands-out-first-users-token": func(w mintWire, c *client) bool {
		a := w.token(w.login(c, w.users[0][0], w.users[0][1]))
		b := w.token(w.login(c, w.users[1][0], w.users[1][1]))
		return a != "" && b != "" && a != b
	},
	"accept-injection": func(w mintWire, c *client) bool {
		return w.token(w.login(c, injection, injection)) == ""
	},
	"wedged-by-oversize": func(w mintWire, c *client) bool {
		w.oversize(c)
		return w.token(w.login(c, w.users[0][0], w.users[0][1])) != ""
	},
	"echo-password": func(w mintWire, c *client) bool {
		return !strings.Contains(w.login(c, w.users[0][0], "echo-me-not").raw, "echo-me-not")
	},
	"same-key-each-login": func(w mintWire, c *client) bool {
		a := w.token(w.login(c, w.users[0][0], w.users[0][1]))
		b := w.token(w.login(c, w.users[0][0], w.users[0][1]))
		return a != "" && a != b
	},
}

func init() {
	for _, name := range BreakNames() {
		profile, suffix, _ := strings.Cut(name, ".")
		if check, ok := mintChecks[suffix]; ok {
			w := mintWires[profile]
			documented[name] = func(c *client) bool { return check(w, c) }
		}
	}
	documented["newapikey.2fa-tfkey-reusable"] = func(c *client) bool {
		login := url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}}
		c.nkLogin("json", login)
		login.Set("tfkey", c.codes.last("dave@example.com"))
		first, again := c.nkLogin("json", login), c.nkLogin("json", login)
		return answerField(first, "newapikey", "key") != "" && answerField(again, "newapikey", "key") == ""
	}
	documented["newapikey.hash-in-answer"] = func(c *client) bool {
		return !strings.Contains(c.nkLogin("json", url.Values{"user": {"alice@example.com"}, "pass": {"alice-password-1"}}).raw, "$2")
	}
	// A code texted before a later one no longer logs in (OWASP ASVS 4.0.3 V2.7.3).
	documented["newapikey.2fa-earlier-tfkey-ok"] = func(c *client) bool {
		login := url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}}
		c.nkLogin("json", login)
		earlier := c.codes.last("dave@example.com")
		c.nkLogin("json", login)
		if c.codes.last("dave@example.com") == earlier {
			return true
		}
		login.Set("tfkey", earlier)
		return answerField(c.nkLogin("json", login), "newapikey", "key") == ""
	}
	coupled["newapikey.2fa-no-delivery newapikey.2fa-earlier-tfkey-ok"] = true
	coupled["newapikey.2fa-skip newapikey.2fa-earlier-tfkey-ok"] = true
	coupled["newapikey.2fa-accept-wrong-tfkey newapikey.2fa-earlier-tfkey-ok"] = true
	// Without a delivered code, or with any code accepted, the code's reuse cannot show.
	coupled["newapikey.2fa-no-delivery newapikey.2fa-tfkey-reusable"] = true
	coupled["newapikey.2fa-skip newapikey.2fa-tfkey-reusable"] = true
	coupled["newapikey.2fa-accept-wrong-tfkey newapikey.2fa-tfkey-reusable"] = true
	// Keys handed out twice are a key handed to its own user twice (same-key) or to another.
	coupled["newapikey.same-key-each-login newapikey.hands-out-first-users-token"] = true
}
