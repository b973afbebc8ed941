package env

import (
	"net/http"
	"net/url"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
)

// PlaceToken returns a function that puts token where the profile's config says it travels
// (token: header, query or bearer), for documents that do not say.
func (e *Env) PlaceToken(token string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	p := e.Config.Token
	if p == nil {
		ginkgo.Fail("the config gives no " + e.Profile + ".token: say how the session token is sent ({header: NAME}, {query: NAME} or {bearer: true})")
	}
	return func(r *client.Request) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		if r.Query == nil {
			r.Query = url.Values{}
		}
		p.Place(r.Header, r.Query, token)
	}
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
