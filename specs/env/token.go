package env

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
)

// LoginRequest is the document's login of account a as session n, every field present, from
// the profile's wire (the requests load sends too). A JSON body is a map a spec may change.
func (e *Env) LoginRequest(a config.Account, n int) client.Request {
	return e.Wire.Login(e.Config, a, n)
}

// LoginJSON is LoginRequest with its JSON body, for specs that leave out or change a field.
func (e *Env) LoginJSON(a config.Account, n int) (client.Request, map[string]any) {
	ginkgo.GinkgoHelper()
	r := e.LoginRequest(a, n)
	body, ok := r.JSON.(map[string]any)
	if !ok {
		ginkgo.Fail(fmt.Sprintf("the %s wire's login has no JSON object body (%T)", e.Profile, r.JSON))
	}
	return r, body
}

// Token reads the token of a login answer where the document puts it ("" when none).
func (e *Env) Token(resp *client.Response) string {
	return e.Wire.Token(resp.Body)
}

// Placements are the ways the document lets a token travel (for a silent document, the
// config's token), the default first.
func (e *Env) Placements() []profile.Placement {
	ginkgo.GinkgoHelper()
	if e.Wire.Placements == nil {
		ginkgo.Fail("the " + e.Profile + " wire names no token placement")
	}
	return e.Wire.Placements(e.Config)
}

// PlaceToken returns a function that puts account a's token where the document says it
// travels, or, where the document is silent, where the config's token says.
func (e *Env) PlaceToken(a config.Account, token string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	return Placed(e.Placements()[0], a, token)
}

// Placed returns a function that puts account a's token on a request in placement p.
func Placed(p profile.Placement, a config.Account, token string) func(*client.Request) {
	return func(r *client.Request) { p.Put(r, profile.Session{Account: a, Token: token}) }
}

// Both applies each of fs in turn.
func Both(fs ...func(*client.Request)) func(*client.Request) {
	return func(r *client.Request) {
		for _, f := range fs {
			if f != nil {
				f(r)
			}
		}
	}
}
