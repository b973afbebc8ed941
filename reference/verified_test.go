package reference

import "testing"

// With the cache on, what passes is still exactly what bcrypt passes: the right password, again
// and again, and never a wrong one, nor the right one of another account.
func TestCacheVerifiedSecretsPassesWhatBcryptPasses(t *testing.T) {
	c := newClient(t, newTestServer(t, func(o *Options) { jwtOnly(o); o.CacheVerifiedSecrets = true }))
	for i := 0; i < 3; i++ {
		c.jwtLogin("alice@example.com")
		for _, wrong := range []string{"wrong", "alice-password-", "bob-password-2", ""} {
			r := c.do("POST", "/users/login", nil, `{"email":"alice@example.com","password":"`+wrong+`"}`)
			if r.status != 401 {
				t.Fatalf("round %d: password %q answered %d", i, wrong, r.status)
			}
		}
	}
	var v *verifiedSecrets
	v.add("h", "s") // a nil cache remembers nothing
	if v.has("h", "s") {
		t.Error("a nil cache remembered a secret")
	}
}
