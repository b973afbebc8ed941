package reference

import "net/url"

// The checks of interleave_seq.go's breaks join documented (breaks_test.go): each is the
// short sequence the model specs' exploration shrinks a failure to.
func init() {
	documented["flylogs.failed-login-ends-sessions"] = func(c *client) bool {
		tok := flyToken(c.flyJSON("alice@example.com", "alice-password-1", nil))
		c.flyJSON("alice@example.com", "wrong-password", nil)
		return tok != "" && c.flyMe(tok).status == 200
	}
	documented["apikey.near-miss-revokes"] = func(c *client) bool {
		tok, _ := c.akLogin(aliceKey).body["token"].(string)
		me := func(t string) int {
			return c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer " + t}, "").status
		}
		return tok != "" && me(tok[:len(tok)-1]) == 401 && me(tok+"x") == 401 && me(tok) == 200
	}
	documented["newapikey.login-ends-used-keys"] = func(c *client) bool {
		key := c.nkKey("alice@example.com")
		c.nkView("json", "alice@example.com", key)
		c.nkLogin("json", url.Values{"user": {"bob@example.com"}, "pass": {testPasswords["bob@example.com"]}})
		return c.nkView("json", "alice@example.com", key).status == 200
	}
	// Breaks that end or refuse the tokens these checks use break them too.
	for _, pair := range []string{
		"flylogs.success-shape flylogs.failed-login-ends-sessions",
		"apikey.ignore-token apikey.near-miss-revokes",
		"newapikey.key-single-use newapikey.login-ends-used-keys",
	} {
		coupled[pair] = true
	}
}
