package reference

import "time"

// The checks of the breaks the verdict table and the under-load judge need join documented
// (breaks_test.go).
func init() {
	// Under a burst of valid probes above its busy rate, a live token first probed over
	// busyRefuseAge before is still accepted, every time.
	documented["lptracker.busy-refuses-live"] = func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.lpValid(tok)
		time.Sleep(busyRefuseAge)
		for range busyRefuseRequests + 10 {
			if !c.lpValid(tok) {
				return false
			}
		}
		return true
	}
	// Checks that prove a token valid through the probe see it through header token.
	for _, other := range []string{"lptracker.logout-keeps-token", "lptracker.ignore-token", "lptracker.race-logout-resurrects", "lptracker.token-header-authorization"} {
		coupled[other+" lptracker.busy-refuses-live"] = true
	}
	// A token stays valid however many logins come after it: the server keeps its key.
	documented["jwt.key-changes"] = func(c *client) bool {
		first := c.jwtLogin("alice@example.com")
		for range keyChangesAt {
			c.jwtLogin("bob@example.com")
		}
		return meUID(c, first, true) != ""
	}
	coupled["jwt.no-header-token jwt.key-changes"] = true // the check asks /users/me in the header
}
