package reference

// The interleaving breaks' checks join documented (breaks_test.go): each is a short sequence,
// the one the model specs' exploration shrinks a failure to.
func init() {
	documented["lptracker.probe-wears-out"] = func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		return c.lpValid(tok) && c.lpValid(tok) && c.lpValid(tok)
	}
	documented["lptracker.second-session-ends-others"] = func(c *client) bool {
		a := c.from("10.0.0.1").lpLogin("alice@example.com", "S")
		c.from("10.0.0.2").lpLogin("bob@example.com", "S1")
		c.from("10.0.0.2").lpLogin("bob@example.com", "S2")
		return c.from("10.0.0.1").lpValid(a)
	}
	documented["jwt.two-token-table"] = func(c *client) bool {
		a := c.jwtLogin("alice@example.com")
		c.jwtLogin("bob@example.com")
		c.jwtLogin("bob@example.com")
		return meUID(c, a, true) == "uid-alice"
	}
	// Breaks that end or refuse the token these checks go on using break them too.
	for _, pair := range []string{
		"lptracker.token-header-authorization lptracker.probe-wears-out",
		"lptracker.token-header-authorization lptracker.second-session-ends-others",
		"lptracker.global-single-user lptracker.second-session-ends-others",
		"jwt.no-header-token jwt.two-token-table",
		"jwt.me-wrong-user jwt.two-token-table",
		// And these checks use one token many times, or after several logins.
		"lptracker.probe-wears-out lptracker.busy-refuses-live",
		"jwt.two-token-table jwt.key-changes",
	} {
		coupled[pair] = true
	}
}
