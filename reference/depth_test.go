package reference

import (
	"maps"
	"net/url"
	"strings"
	"time"
)

// The checks of the breaks of one variation of a behavior (one account, one placement, one
// format, one refusal), merged into documented (breaks_test.go); same contract: each holds on
// the unbroken server and fails with its break on.
func init() {
	maps.Copy(documented, variationChecks)
	maps.Copy(coupled, variationCoupled)
}

var variationChecks = map[string]func(c *client) bool{
	"jwt.later-user-shape": func(c *client) bool {
		r := c.do("POST", "/users/login", nil, `{"email":"bob@example.com","password":"bob-password-2"}`)
		return r.body["uid"] == "uid-bob"
	},
	"flylogs.later-user-shape": func(c *client) bool {
		_, ok := inner(c.flyJSON("bob@example.com", "bob-password-2", nil))["url"]
		return ok
	},
	"newapikey.later-user-shape": func(c *client) bool {
		nk, _ := c.nkLogin("json", url.Values{"user": {"bob@example.com"}, "pass": {"bob-password-2"}}).body["newapikey"].(map[string]any)
		_, ok := nk["controlapikey"]
		return ok
	},
	"lptracker.later-user-shape": func(c *client) bool {
		r := c.do("POST", "/login", nil, `{"login":"bob@example.com","password":"bob-password-2","service":"S","version":"1.0"}`)
		return r.body["status"] == "success"
	},
	"jwt.unknown-email-shape": func(c *client) bool {
		r := c.do("POST", "/users/login", nil, `{"email":"nobody@example.com","password":"x"}`)
		msg, _ := r.body["message"].(string)
		return r.body["success"] == false && msg != ""
	},
	"flylogs.unknown-email-shape": func(c *client) bool {
		in := inner(c.flyJSON("nobody@example.com", "x", nil))
		url, ok := in["url"]
		return ok && url == nil && in["result"] == false
	},
	"lptracker.unknown-login-shape": func(c *client) bool {
		r := c.do("POST", "/login", nil, `{"login":"nobody@example.com","password":"x","service":"S","version":"1.0"}`)
		errs, _ := r.body["errors"].([]any)
		return r.body["status"] == "error" && len(errs) == 1
	},
	"newapikey.unknown-user-shape": func(c *client) bool {
		login, _ := c.nkLogin("json", url.Values{"user": {"nobody@example.com"}, "pass": {"x"}}).body["login"].(map[string]any)
		return login["user"] == "nobody@example.com" && login["pass"] == "x"
	},
	"newapikey.tfkey-error-shape": func(c *client) bool {
		r := c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}, "tfkey": {"0123"}})
		login, _ := r.body["login"].(map[string]any)
		return r.body["error"] == "USER_NOT_FOUND" && login["user"] == "dave@example.com"
	},
	// The test server's TTL is an hour.
	"lptracker.ttl-short": func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.advance(58 * time.Minute)
		return c.lpValid(tok)
	},
	"lptracker.ttl-long": func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.advance(62 * time.Minute)
		return !c.lpValid(tok)
	},
	// .json and .xml for every data check.
	"newapikey.xml-missing-key-ok": func(c *client) bool {
		return c.nkView("xml", "alice@example.com", "").status == 401
	},
	"newapikey.xml-other-user-key": func(c *client) bool {
		return c.nkView("xml", "bob@example.com", c.nkKey("alice@example.com")).status == 401
	},
	"newapikey.view-wrong-user": func(c *client) bool {
		u, _ := c.nkView("json", "bob@example.com", c.nkKey("bob@example.com")).body["user"].(map[string]any)
		return u["username"] == "bob@example.com"
	},
	"newapikey.view-unnamed": func(c *client) bool {
		u, _ := c.nkView("json", "bob@example.com", c.nkKey("bob@example.com")).body["user"].(map[string]any)
		return u["username"] != nil
	},
	"newapikey.xml-extra-user": func(c *client) bool {
		r := c.nkView("xml", "bob@example.com", c.nkKey("bob@example.com"))
		return r.status == 200 && !strings.Contains(r.raw, "alice") && !strings.Contains(r.raw, "carol")
	},
	// The documents' example messages (should).
	"flylogs.message-wrong-password": func(c *client) bool {
		return inner(c.flyJSON("alice@example.com", "wrong", nil))["message"] == "Incorrect email or password"
	},
	"flylogs.message-unknown-email": func(c *client) bool {
		return inner(c.flyJSON("nobody@example.com", "wrong", nil))["message"] == "Incorrect email or password"
	},
	"jwt.other-message": func(c *client) bool {
		return c.do("POST", "/users/login", nil, `{"email":"alice@example.com","password":"wrong"}`).body["message"] == "Authentication failed. Wrong password."
	},
	"lptracker.message-wrong-password": func(c *client) bool {
		return strings.Contains(c.do("POST", "/login", nil, `{"login":"alice@example.com","password":"wrong","service":"S","version":"1.0"}`).raw, "Invalid login or password")
	},
	"lptracker.message-unknown-login": func(c *client) bool {
		return strings.Contains(c.do("POST", "/login", nil, `{"login":"nobody@example.com","password":"wrong","service":"S","version":"1.0"}`).raw, "Invalid login or password")
	},
	// An earlier key after a later login (should).
	"newapikey.new-login-revokes": func(c *client) bool {
		first := c.nkKey("alice@example.com")
		c.nkKey("alice@example.com")
		return c.nkView("json", "alice@example.com", first).status == 200
	},
	// The company key on every kind of request.
	"flylogs.no-key-for-challenge": func(c *client) bool {
		r := c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			url.Values{"email": {"carol@example.com"}, "password": {"carol-password-3"}, "code": {""}}.Encode())
		return r.status == 401 && inner(r)["result"] == false
	},
	"flylogs.no-key-with-code": func(c *client) bool {
		c.flyJSON("carol@example.com", "carol-password-3", nil)
		r := c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
			url.Values{"email": {"carol@example.com"}, "password": {"carol-password-3"}, "code": {c.codes.last("carol@example.com")}}.Encode())
		return r.status == 401 && flyToken(r) == ""
	},
	"flylogs.any-company": func(c *client) bool {
		return flyToken(c.flyJSON("grace@example.com", "grace-password-7", nil)) == ""
	},
	"apikey.swagger-drift": func(c *client) bool {
		r := c.do("GET", "/apikeys/swagger.yaml", nil, "")
		return r.status == 200 && strings.Contains(r.raw, "        id:\n          type: integer\n")
	},
	"apikey.later-user-schema": func(c *client) bool {
		return c.akLogin(`{"apiKey":"bob-api-key","apiSecret":"bob-api-secret"}`).body["id"] == 2.0
	},
}

// variationCoupled are the pairs whose check observes through the channel the break moves
// (see coupled).
var variationCoupled = map[string]bool{
	"apikey.no-swagger apikey.swagger-drift":                  true,
	"flylogs.no-api-key flylogs.no-key-for-challenge":         true,
	"flylogs.no-api-key flylogs.no-key-with-code":             true,
	"flylogs.2fa-token-without-code flylogs.no-key-with-code": true,
	"flylogs.2fa-no-delivery flylogs.no-key-with-code":        true,
	// The message checks read the error body the shape breaks change, and the shape checks
	// read the message.
	"lptracker.message-wrong-password lptracker.error-shape":           true,
	"flylogs.message-wrong-password flylogs.failure-shape":             true,
	"flylogs.failure-url flylogs.failure-shape":                        true, // its check reads url: null
	"lptracker.error-shape lptracker.message-wrong-password":           true,
	"lptracker.error-shape lptracker.message-unknown-login":            true,
	"lptracker.unknown-login-shape lptracker.message-unknown-login":    true,
	"lptracker.accept-wrong-password lptracker.message-wrong-password": true,
	"flylogs.accept-wrong-password flylogs.message-wrong-password":     true,
	"jwt.login-fail-shape jwt.other-message":                           true,
	// A server that ignores the key, or takes it with any user name, does so in .xml too.
	"newapikey.ignore-key newapikey.xml-missing-key-ok":        true,
	"newapikey.ignore-key newapikey.xml-other-user-key":        true,
	"newapikey.other-user-key newapikey.xml-other-user-key":    true,
	"newapikey.view-wrong-user newapikey.xml-extra-user":       true, // its check reads whose data it is
	"newapikey.view-unnamed newapikey.view-wrong-user":         true, // its check reads the user name
	"lptracker.ttl-none lptracker.ttl-long":                    true,
	"lptracker.ignore-token lptracker.ttl-long":                true,
	"lptracker.token-header-authorization lptracker.ttl-short": true,
	// A break of every user's answer breaks the later users' too.
	"apikey.id-string apikey.later-user-schema":           true,
	"jwt.success-shape jwt.later-user-shape":              true,
	"newapikey.success-shape newapikey.later-user-shape":  true,
	"newapikey.error-shape newapikey.unknown-user-shape":  true,
	"newapikey.error-shape newapikey.tfkey-error-shape":   true,
	"flylogs.failure-shape flylogs.unknown-email-shape":   true,
	"flylogs.failure-shape flylogs.failure-url":           true, // no url to read
	"flylogs.unknown-email-shape flylogs.failure-url":     true, // no url to read
	"flylogs.failure-url flylogs.unknown-email-shape":     true, // its check reads url: null
	"flylogs.accept-wrong-password flylogs.failure-url":   true, // no failure to read
	"lptracker.error-shape lptracker.unknown-login-shape": true,
	"jwt.login-fail-shape jwt.unknown-email-shape":        true,
	// Any tfkey logs in, so there is no wrong-tfkey error to read.
	"newapikey.2fa-accept-wrong-tfkey newapikey.tfkey-error-shape": true,
	"newapikey.tfkey-error-shape newapikey.2fa-accept-wrong-tfkey": true, // its check reads USER_NOT_FOUND
}
