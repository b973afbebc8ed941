package flylogs

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/twofactor"
)

// key says which API key a request carries.
type key int

const (
	withKey    key = iota // the config's api_key
	withoutKey            // no Authorization header at all
	wrongKey              // a key the target never issued
)

// authorize puts the company API key on r as doc 000's curl does: `-u YOUR_API_KEY:`, the
// basic-auth user with an empty password.
func authorize(e *env.Env, k key) func(*client.Request) {
	return func(r *client.Request) {
		var v string
		switch k {
		case withoutKey:
			return
		case withKey:
			v = e.Config.APIKey
		case wrongKey:
			v = "conform-not-an-api-key-" + e.Config.APIKey
		}
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(v+":")))
	}
}

// login posts doc 000's login form (the curl's -d fields). code nil leaves the field out.
func login(ctx context.Context, e *env.Env, k key, email, password string, code *string) *client.Response {
	ginkgo.GinkgoHelper()
	form := url.Values{"email": {email}, "password": {password}}
	if code != nil {
		form.Set("code", *code)
	}
	r := client.Request{Method: http.MethodPost, Path: "/users/login.json", Form: form}
	authorize(e, k)(&r)
	return e.Do(ctx, r)
}

func str(s string) *string { return &s }

// token reads response.token.
func token(resp *client.Response) gjson.Result { return resp.Get("response.token") }

// hasToken reports whether the answer carries a token anywhere doc 000 puts one.
func hasToken(resp *client.Response) bool {
	return token(resp).String() != "" || resp.Get("token").String() != ""
}

// isError reports whether an answer is an error: no token, and not a success (an HTTP error
// status, or response.result other than true).
func isError(resp *client.Response) bool {
	return !hasToken(resp) && (resp.Status >= 400 || resp.Get("response.result").Type != gjson.True)
}

// logIn logs a user without 2FA in and returns the token, failing the spec without one.
func logIn(ctx context.Context, e *env.Env, a config.Account) string {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, withKey, a.Login, a.Password, nil)
	env.Expect(token(resp).String() != "", "a successful login with response.token (account "+a.Login+")", env.DescribeField(resp, "response.token"))
	return token(resp).String()
}

// challenge sends a 2FA user's initial request (empty code, as doc 000's curl) and returns
// the account's code source and the mark to read the delivered code after.
func challenge(ctx context.Context, e *env.Env, a config.Account) (twofactor.Source, uint64, *client.Response) {
	ginkgo.GinkgoHelper()
	src := e.Codes(a)
	mark := src.Mark()
	resp := login(ctx, e, withKey, a.Login, a.Password, str(""))
	return src, mark, resp
}

// probe sends the configured probe with the API key and, when token is not empty, the token.
func probe(ctx context.Context, e *env.Env, k key, tok string) (bool, *client.Response) {
	ginkgo.GinkgoHelper()
	var place func(*client.Request)
	if tok != "" {
		place = e.PlaceToken(tok)
	}
	return e.Probe(ctx, "", env.Both(authorize(e, k), place))
}
