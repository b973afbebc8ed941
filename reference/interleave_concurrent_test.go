package reference

import (
	"net/url"
	"sync"
)

// The checks of interleave_concurrent.go's breaks join documented (breaks_test.go): each is
// the short sequence the model specs' exploration shrinks a failure to, its group of two sent
// together.
func init() {
	documented["flylogs.login-ends-probed-token"] = func(c *client) bool {
		tok := flyToken(c.flyJSON("alice@example.com", "alice-password-1", nil))
		together(func() { c.flyJSON("bob@example.com", testPasswords["bob@example.com"], nil) }, func() { c.flyMe(tok) })
		return tok != "" && c.flyMe(tok).status == 200
	}
	documented["apikey.concurrent-probes-refused"] = func(c *client) bool {
		tok, _ := c.akLogin(aliceKey).body["token"].(string)
		var a, b int
		me := func(out *int) func() {
			return func() {
				*out = c.do("GET", "/auth/me", map[string]string{"Authorization": "Bearer " + tok}, "").status
			}
		}
		together(me(&a), me(&b))
		return tok != "" && a == 200 && b == 200
	}
	documented["newapikey.login-key-for-queried-user"] = func(c *client) bool {
		key := c.nkKey("alice@example.com")
		var r resp
		together(func() {
			r = c.nkLogin("json", url.Values{"user": {"bob@example.com"}, "pass": {testPasswords["bob@example.com"]}})
		}, func() { c.nkView("json", "alice@example.com", key) })
		nk, _ := r.body["newapikey"].(map[string]any)
		bobs, _ := nk["key"].(string)
		return bobs != "" && c.nkView("json", "bob@example.com", bobs).status == 200
	}
	documented["lptracker.logout-ends-concurrent-login"] = func(c *client) bool {
		a := c.from("10.0.0.1").lpLogin("alice@example.com", "S")
		var b string
		together(func() { c.from("10.0.0.1").do("POST", "/logout", map[string]string{"token": a}, "") },
			func() { b = c.from("10.0.0.2").lpLogin("bob@example.com", "S") })
		return c.from("10.0.0.2").lpValid(b)
	}
	documented["jwt.login-signs-probed-user"] = func(c *client) bool {
		a := c.jwtLogin("alice@example.com")
		var b string
		together(func() { b = c.jwtLogin("bob@example.com") }, func() { meUID(c, a, true) })
		return meUID(c, b, true) == "uid-bob"
	}
	// Breaks that end or refuse the tokens these checks use break them too.
	for _, pair := range []string{
		"flylogs.success-shape flylogs.login-ends-probed-token",
		"jwt.no-header-token jwt.login-signs-probed-user",
		"jwt.me-wrong-user jwt.login-signs-probed-user",
		"lptracker.token-header-authorization lptracker.logout-ends-concurrent-login",
		// A second user handed the first one's token or key: the first user's logout, or
		// the check's key owner, ends or refuses it.
		"jwt.hands-out-first-users-token jwt.login-signs-probed-user",
		"newapikey.hands-out-first-users-token newapikey.login-key-for-queried-user",
		"lptracker.hands-out-first-users-token lptracker.logout-ends-concurrent-login",
	} {
		coupled[pair] = true
	}
}

// together runs fs at once, each in its own goroutine released at one barrier, and waits
// for them all: requests in flight together, as the exploration's groups send them.
func together(fs ...func()) {
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for _, f := range fs {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-release
			f()
		})
	}
	ready.Wait()
	close(release)
	done.Wait()
}
