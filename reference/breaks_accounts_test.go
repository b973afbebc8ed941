package reference

import "net/url"

// The checks of the account breaks (breaks_accounts.go), on dave: the second 2FA user of the
// fixtures (carol is the first), and the one each break but code-skips-password singles out.
func init() {
	flyChallenge := func(c *client) resp { return c.flyJSON("dave@example.com", "dave-password-4", nil) }
	documented["flylogs.2fa-no-delivery-second"] = func(c *client) bool {
		flyChallenge(c)
		return c.codes.last("dave@example.com") != ""
	}
	documented["flylogs.2fa-later-user-challenge"] = func(c *client) bool {
		return inner(flyChallenge(c))["two_factor"] == false
	}
	documented["flylogs.2fa-later-user-shape"] = func(c *client) bool {
		flyChallenge(c)
		r := c.flyJSON("dave@example.com", "dave-password-4", c.codes.last("dave@example.com"))
		return flyToken(r) != "" && inner(r)["two_factor"] == true
	}
	documented["flylogs.2fa-code-skips-password"] = func(c *client) bool {
		flyChallenge(c)
		r := c.flyJSON("dave@example.com", "wrong", c.codes.last("dave@example.com"))
		return flyToken(r) == "" && inner(r)["result"] == false
	}

	nkChallenge := func(c *client) resp {
		return c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}})
	}
	documented["newapikey.2fa-no-delivery-second"] = func(c *client) bool {
		nkChallenge(c)
		return c.codes.last("dave@example.com") != ""
	}
	documented["newapikey.2fa-later-user-challenge"] = func(c *client) bool {
		return nkChallenge(c).body["success"] == "ADDED_TF"
	}
	documented["newapikey.2fa-later-user-shape"] = func(c *client) bool {
		nkChallenge(c)
		r := c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"dave-password-4"}, "tfkey": {c.codes.last("dave@example.com")}})
		nk, _ := r.body["newapikey"].(map[string]any)
		k, _ := nk["key"].(string)
		return r.body["success"] == "ADDED_KEY" && k != ""
	}
	documented["newapikey.2fa-code-skips-password"] = func(c *client) bool {
		nkChallenge(c)
		r := c.nkLogin("json", url.Values{"user": {"dave@example.com"}, "pass": {"wrong"}, "tfkey": {c.codes.last("dave@example.com")}})
		return r.body["status"] == "error" && r.body["newapikey"] == nil
	}
	// The probe with bob's token, the second user's.
	documented["flylogs.later-user-token-refused"] = func(c *client) bool {
		return c.flyMe(flyToken(c.flyJSON("bob@example.com", "bob-password-2", nil))).status == 200
	}
	documented["apikey.later-user-token-refused"] = func(c *client) bool {
		tok, _ := c.akLogin(`{"apiKey":"bob-api-key","apiSecret":"bob-api-secret"}`).body["token"].(string)
		return c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer " + tok}, "").status == 200
	}

	// Without a challenge (a key or token at once) there is no challenge or code to break.
	coupled["flylogs.2fa-token-without-code flylogs.2fa-no-delivery-second"] = true
	coupled["flylogs.2fa-token-without-code flylogs.2fa-later-user-challenge"] = true
	coupled["newapikey.2fa-skip newapikey.2fa-no-delivery-second"] = true
	coupled["newapikey.2fa-skip newapikey.2fa-later-user-challenge"] = true
	// The older newapikey checks are on dave too: without his code, or with his key under
	// another name, or his challenge answered otherwise, they cannot hold.
	coupled["newapikey.2fa-no-delivery-second newapikey.2fa-tfkey-reusable"] = true
	coupled["newapikey.2fa-no-delivery-second newapikey.2fa-no-delivery"] = true
	coupled["newapikey.2fa-later-user-shape newapikey.2fa-tfkey-reusable"] = true
	coupled["newapikey.2fa-later-user-shape newapikey.tfkey-answer-shape"] = true
	coupled["newapikey.2fa-no-delivery-second newapikey.tfkey-answer-shape"] = true
	coupled["newapikey.2fa-later-user-challenge newapikey.2fa-skip"] = true
	// Any password taken is any password with a code taken; a token moved out of "response"
	// is not where the shape check reads it.
	coupled["flylogs.accept-wrong-password flylogs.2fa-code-skips-password"] = true
	coupled["newapikey.accept-wrong-password newapikey.2fa-code-skips-password"] = true
	coupled["flylogs.success-shape flylogs.2fa-later-user-shape"] = true
	coupled["flylogs.success-shape flylogs.later-user-token-refused"] = true
	// Without a mailed code nothing shows whether the code login works.
	for _, p := range []string{"flylogs", "newapikey"} {
		coupled[p+".2fa-no-delivery-second "+p+".2fa-later-user-shape"] = true
		coupled[p+".2fa-no-delivery-second "+p+".2fa-code-skips-password"] = true
		coupled[p+".2fa-no-delivery "+p+".2fa-no-delivery-second"] = true
		coupled[p+".2fa-no-delivery "+p+".2fa-later-user-shape"] = true
		coupled[p+".2fa-no-delivery "+p+".2fa-code-skips-password"] = true
	}
}
