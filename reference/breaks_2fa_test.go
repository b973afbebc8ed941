package reference

import (
	"encoding/base64"
	"maps"
	"net/url"
	"strings"
	"time"
)

// The checks of the documented behaviours of docs 000-002, merged into
// documented (breaks_test.go); same contract: each holds on the unbroken
// server and fails with its break on.
func init() {
	maps.Copy(documented, flylogsChecks)
	maps.Copy(documented, apikeyChecks)
	maps.Copy(documented, newapikeyChecks)
	maps.Copy(coupled, coupled2FA)
}

var flylogsChecks = map[string]func(c *client) bool{
	"flylogs.no-api-key": func(c *client) bool {
		body := `{"email":"alice@example.com","password":"alice-password-1"}`
		none := c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/json"}, body)
		wrong := c.do("POST", "/users/login.json", map[string]string{"Content-Type": "application/json",
			"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("wrong-key:"))}, body)
		return none.status == 401 && wrong.status == 401 && flyToken(none) == "" && flyToken(wrong) == ""
	},
	"flylogs.success-shape": func(c *client) bool {
		r := c.flyJSON("alice@example.com", "alice-password-1", nil)
		_, outside := r.body["token"]
		return flyToken(r) != "" && !outside && inner(r)["result"] == true
	},
	"flylogs.failure-shape": func(c *client) bool {
		in := inner(c.flyJSON("alice@example.com", "wrong", nil))
		url, ok := in["url"]
		return ok && url == nil && in["result"] == false && in["message"] == "Incorrect email or password"
	},
	// The failure example's url: null, on both refusals its message names.
	"flylogs.failure-url": func(c *client) bool {
		for _, email := range []string{"alice@example.com", "nobody@example.com"} {
			if url, ok := inner(c.flyJSON(email, "wrong", nil))["url"]; !ok || url != nil {
				return false
			}
		}
		return true
	},
	"flylogs.accept-wrong-password": func(c *client) bool {
		r := c.flyJSON("alice@example.com", "wrong", nil)
		return inner(r)["result"] == false && flyToken(r) == ""
	},
	"flylogs.2fa-token-without-code": func(c *client) bool {
		r := c.flyJSON("carol@example.com", "carol-password-3", nil)
		return inner(r)["two_factor"] == false && flyToken(r) == ""
	},
	"flylogs.2fa-no-delivery": func(c *client) bool {
		c.flyJSON("carol@example.com", "carol-password-3", nil)
		return c.codes.last("carol@example.com") != ""
	},
	"flylogs.2fa-no-mail-after-wrong-code": func(c *client) bool {
		c.flyJSON("carol@example.com", "carol-password-3", nil)
		before := c.codes.count("carol@example.com")
		c.flyJSON("carol@example.com", "carol-password-3", "012345") // generated codes never start with 0
		return before > 0 && c.codes.count("carol@example.com") > before
	},
	"flylogs.2fa-accept-wrong-code": func(c *client) bool {
		// Generated codes never start with 0.
		r := c.flyJSON("carol@example.com", "carol-password-3", "012345")
		return inner(r)["two_factor"] == false && flyToken(r) == ""
	},
	"flylogs.2fa-cross-user-code": func(c *client) bool {
		c.flyJSON("dave@example.com", "dave-password-4", nil)
		r := c.flyJSON("carol@example.com", "carol-password-3", c.codes.last("dave@example.com"))
		return inner(r)["two_factor"] == false && flyToken(r) == ""
	},
	"flylogs.2fa-flag-for-non-2fa": func(c *client) bool {
		in := inner(c.flyJSON("alice@example.com", "alice-password-1", nil))
		tf, ok := in["two_factor"]
		return ok && tf == nil
	},
	"flylogs.ignore-token": func(c *client) bool {
		return c.flyMe("").status == 401 && c.flyMe("forged").status == 401
	},
	"flylogs.json-only": func(c *client) bool {
		r := c.flyForm(url.Values{"email": {"alice@example.com"}, "password": {"alice-password-1"}, "code": {""}})
		return r.status == 200 && inner(r)["result"] == true
	},
}

var apikeyChecks = map[string]func(c *client) bool{
	"apikey.accept-missing-key":    func(c *client) bool { return akRefused(c, `{"apiSecret":"alice-api-secret"}`) },
	"apikey.accept-missing-secret": func(c *client) bool { return akRefused(c, `{"apiKey":"alice-api-key"}`) },
	"apikey.accept-wrong-secret":   func(c *client) bool { return akRefused(c, `{"apiKey":"alice-api-key","apiSecret":"wrong"}`) },
	"apikey.id-string": func(c *client) bool {
		return c.akLogin(aliceKey).body["id"] == 1.0
	},
	"apikey.bad-date": func(c *client) bool {
		s, _ := c.akLogin(aliceKey).body["createdAt"].(string)
		_, err := time.Parse(time.RFC3339, s)
		return err == nil
	},
	"apikey.bad-updated-date": func(c *client) bool { return akDate(c, "updatedAt") },
	"apikey.date-sql":         func(c *client) bool { return akDate(c, "createdAt") },
	"apikey.date-no-offset":   func(c *client) bool { return akDate(c, "updatedAt") },
	"apikey.accounts-item-missing-id": func(c *client) bool {
		accounts, _ := c.akLogin(aliceKey).body["accounts"].([]any)
		for _, a := range accounts {
			if id, _ := a.(map[string]any)["accountId"].(string); id == "" {
				return false
			}
		}
		return len(accounts) > 0
	},
	"apikey.missing-email": func(c *client) bool {
		return c.akLogin(aliceKey).body["email"] == "alice@example.com"
	},
	"apikey.account-missing-name": func(c *client) bool {
		pa, _ := c.akLogin(aliceKey).body["primaryAccount"].(map[string]any)
		_, ok := pa["name"].(string)
		return ok
	},
	"apikey.no-swagger": func(c *client) bool {
		r := c.do("GET", "/apikeys/swagger.yaml", nil, "")
		return r.status == 200 && strings.Contains(r.raw, "ApiKeyLoginResponse")
	},
	"apikey.ignore-token": func(c *client) bool {
		return c.do("GET", "/auth/me", nil, "").status == 401 &&
			c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer forged"}, "").status == 401
	},
}

// akRefused reports whether an apikey login with body is refused without a token.
func akRefused(c *client, body string) bool {
	r := c.akLogin(body)
	return r.status == 401 && r.body["token"] == nil
}

var newapikeyChecks = map[string]func(c *client) bool{
	"newapikey.success-shape": func(c *client) bool {
		r := c.nkLogin("json", url.Values{"user": {"alice@example.com"}, "pass": {"alice-password-1"}})
		nk, _ := r.body["newapikey"].(map[string]any)
		key, _ := nk["key"].(string)
		return r.body["success"] == "ADDED_KEY" && nk["controlapikey"] == 0.0 && keyShape.MatchString(key)
	},
	"newapikey.2fa-skip": func(c *client) bool {
		r := c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}})
		return r.body["success"] == "ADDED_TF" && r.body["newapikey"] == nil
	},
	"newapikey.tfkey-answer-shape": func(c *client) bool {
		login := url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}}
		c.nkLogin("json", login)
		login.Set("tfkey", c.codes.last("dave@example.com"))
		r := c.nkLogin("json", login)
		nk, _ := r.body["newapikey"].(map[string]any)
		return r.body["success"] == "ADDED_KEY" && nk["controlapikey"] == 0.0 && answerField(r, "newapikey", "key") != ""
	},
	"newapikey.2fa-accept-wrong-tfkey": func(c *client) bool {
		r := c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}, "tfkey": {"0123"}})
		return r.body["error"] == "USER_NOT_FOUND"
	},
	"newapikey.2fa-no-delivery": func(c *client) bool {
		c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}})
		return c.codes.last("dave@example.com") != ""
	},
	"newapikey.accept-wrong-password": func(c *client) bool {
		r := c.nkLogin("json", url.Values{"user": {"alice@example.com"}, "pass": {"wrong"}})
		return r.body["status"] == "error" && r.body["newapikey"] == nil
	},
	"newapikey.error-shape": func(c *client) bool {
		r := c.nkLogin("json", url.Values{"user": {"alice@example.com"}, "pass": {"wrong"}})
		login, _ := r.body["login"].(map[string]any)
		return r.body["error"] == "USER_NOT_FOUND" && login["user"] == "alice@example.com" && login["pass"] == "wrong"
	},
	"newapikey.ignore-key": func(c *client) bool {
		return c.nkView("json", "alice@example.com", "AAAAAAAAAA").body["error"] == "KEY_NOT_VALID"
	},
	"newapikey.other-user-key": func(c *client) bool {
		return c.nkView("json", "bob@example.com", c.nkKey("alice@example.com")).body["error"] == "KEY_NOT_VALID"
	},
	"newapikey.key-without-user-ok": func(c *client) bool {
		return c.nkView("json", "", c.nkKey("alice@example.com")).body["error"] == "KEY_NOT_VALID"
	},
	"newapikey.key-single-use": func(c *client) bool {
		key := c.nkKey("alice@example.com")
		return c.nkView("json", "alice@example.com", key).status == 200 && c.nkView("json", "alice@example.com", key).status == 200
	},
	"newapikey.xml-differs": func(c *client) bool {
		x, err := xmlTree(c.nkLogin("xml", url.Values{"user": {"alice@example.com"}, "pass": {"alice-password-1"}}).raw)
		nk, _ := x["newapikey"].(map[string]any)
		key, _ := nk["key"].(string)
		return err == nil && x["status"] == "success" && c.nkView("json", "alice@example.com", key).status == 200
	},
	"newapikey.xml-malformed": func(c *client) bool {
		_, err := xmlTree(c.nkView("xml", "alice@example.com", c.nkKey("alice@example.com")).raw)
		return err == nil
	},
}

// coupled2FA are the pairs whose check observes through the channel the
// break moves (see coupled).
// akDate reports whether field of alice's login answer is an RFC 3339 date-time.
func akDate(c *client, field string) bool {
	s, _ := c.akLogin(aliceKey).body[field].(string)
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

var coupled2FA = map[string]bool{
	// A wrong code mailed again needs a first code mailed, and a wrong code refused.
	"flylogs.2fa-no-delivery flylogs.2fa-no-mail-after-wrong-code":        true,
	"flylogs.2fa-accept-wrong-code flylogs.2fa-no-mail-after-wrong-code":  true,
	"flylogs.2fa-token-without-code flylogs.2fa-no-mail-after-wrong-code": true,
	// Two breaks of one date-time field: each check reads the field the other breaks.
	"apikey.date-sql apikey.bad-date":               true,
	"apikey.bad-date apikey.date-sql":               true,
	"apikey.date-no-offset apikey.bad-updated-date": true,
	"apikey.bad-updated-date apikey.date-no-offset": true,
	// The tfkey login's answer: without controlapikey for every user (success-shape) or every
	// user but the first (later-user-shape), and never reached without a delivered code.
	"newapikey.success-shape newapikey.tfkey-answer-shape":    true,
	"newapikey.later-user-shape newapikey.tfkey-answer-shape": true,
	"newapikey.2fa-no-delivery newapikey.tfkey-answer-shape":  true,
	// The cross-user check needs dave's delivered code, and a code to be
	// refused.
	"flylogs.2fa-no-delivery flylogs.2fa-cross-user-code":        true,
	"flylogs.2fa-token-without-code flylogs.2fa-cross-user-code": true,
	"flylogs.2fa-token-without-code flylogs.2fa-no-delivery":     true,
	"flylogs.2fa-accept-wrong-code flylogs.2fa-cross-user-code":  true,
	"flylogs.accept-wrong-password flylogs.failure-shape":        true,
	"newapikey.2fa-skip newapikey.2fa-no-delivery":               true,
	"newapikey.accept-wrong-password newapikey.error-shape":      true,
	"newapikey.ignore-key newapikey.other-user-key":              true,
	"newapikey.xml-malformed newapikey.xml-differs":              true,
}
