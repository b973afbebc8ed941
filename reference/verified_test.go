package reference

import (
	"testing"

	"golang.org/x/crypto/bcrypt"
)

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
	h, err := bcrypt.GenerateFromPassword([]byte("s"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	var none *verifiedSecrets // a nil cache remembers nothing and still compares
	v := newVerifiedSecrets()
	for i := 0; i < 2; i++ {
		for _, c := range []*verifiedSecrets{none, v} {
			if !c.compare(h, "s") || c.compare(h, "S") || c.compare(h, "") {
				t.Fatalf("round %d: a cache (nil %v) answered otherwise than bcrypt", i, c == nil)
			}
		}
	}
	if len(v.m) != 3 {
		t.Errorf("the cache holds %d pairs, want 3: the right secret and both wrong ones", len(v.m))
	}
}
