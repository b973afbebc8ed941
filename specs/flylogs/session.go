package flylogs

import (
	"context"
	"net/http"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
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

// authorize puts the API key k on r: the config's as the wire puts it on every request
// (doc 000's curl: `-u YOUR_API_KEY:`, the basic-auth user with an empty password), none, or
// one the target never issued in the same place.
func authorize(e *env.Env, k key) func(*client.Request) {
	return func(r *client.Request) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		switch k {
		case withoutKey:
			r.Header.Del("Authorization")
		case withKey:
			e.Wire.Authorize(e.Config, r)
		case wrongKey:
			r.Header.Set("Authorization", profile.BasicAuth("conform-not-an-api-key-"+e.Config.APIKey))
		}
	}
}

// keyed puts v on r as the API key, in the place the config's key goes (doc 000's curl: the
// basic-auth user), for specs that send a wrong form of the key.
func keyed(v string) func(*client.Request) {
	return func(r *client.Request) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		r.Header.Set("Authorization", profile.BasicAuth(v))
	}
}

// login posts doc 000's login form (the wire's: the curl's -d fields) with API key k. code
// nil leaves the field out. A login of a 2FA account with its right password owes the code
// its answer says was mailed (mailed), so that the account's next code is not read from it.
func login(ctx context.Context, e *env.Env, k key, email, password string, code *string) *client.Response {
	ginkgo.GinkgoHelper()
	o := e.MarkLogins(ctx, config.Account{Login: email, Password: password})
	resp := e.Do(ctx, loginRequest(e, k, email, password, code))
	o.Owe([]*client.Response{resp}, mailed)
	return resp
}

// mailed reports whether a login answer is one doc 000 says mails a code: "If two_factor
// field is false, the provided code was not correct or empty. This case, triggers a code
// generation process and email."
func mailed(resp *client.Response) bool {
	return resp.Get("response.two_factor").Type == gjson.False && !hasToken(resp)
}

// loginRequest is the request login sends.
func loginRequest(e *env.Env, k key, email, password string, code *string) client.Request {
	r := e.LoginRequest(config.Account{Login: email, Password: password}, 0)
	if code != nil {
		r.Form.Set("code", *code)
	}
	authorize(e, k)(&r)
	return r
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
	tok := e.Token(resp)
	env.Expect(tok != "", "a successful login with response.token (account "+a.Login+")", env.DescribeField(resp, "response.token"))
	return tok
}

// challenge sends a 2FA user's initial request (empty code, as doc 000's curl) and returns
// the account's code source and the mark to read the delivered code after.
func challenge(ctx context.Context, e *env.Env, a config.Account) (twofactor.Source, uint64, *client.Response) {
	ginkgo.GinkgoHelper()
	src := e.Codes(a)
	mark := src.Mark(ctx)
	resp := login(ctx, e, withKey, a.Login, a.Password, str(""))
	return src, mark, resp
}

// challengeEach sends the initial request (no code) of every account side by side and returns
// each account's code source, the mark to read its code after, and its answer.
func challengeEach(ctx context.Context, e *env.Env, accounts []config.Account) ([]twofactor.Source, []uint64, []*client.Response) {
	ginkgo.GinkgoHelper()
	o := e.MarkLogins(ctx, accounts...)
	srcs, marks, reqs := make([]twofactor.Source, len(accounts)), make([]uint64, len(accounts)), make([]client.Request, len(accounts))
	for i, a := range accounts {
		srcs[i] = e.Codes(a)
		marks[i] = srcs[i].Mark(ctx)
		reqs[i] = loginRequest(e, withKey, a.Login, a.Password, str(""))
	}
	answers := e.DoAll(ctx, reqs...)
	o.Owe(answers, mailed)
	return srcs, marks, answers
}

// challengeBoth sends two 2FA users' initial requests side by side and returns, for the
// second, its code (skipping the spec without one, as currentCode does) and, for the first,
// its source and mark, to read its own code after.
func challengeBoth(ctx context.Context, e *env.Env, first, second config.Account) (twofactor.Source, uint64, string) {
	ginkgo.GinkgoHelper()
	o := e.MarkLogins(ctx, first, second)
	src1, src2 := e.Codes(first), e.Codes(second)
	mark1, mark2 := src1.Mark(ctx), src2.Mark(ctx)
	answers := e.DoAll(ctx, loginRequest(e, withKey, first.Login, first.Password, str("")), loginRequest(e, withKey, second.Login, second.Password, str("")))
	o.Owe(answers, mailed)
	if hasToken(answers[1]) {
		ginkgo.Skip("the initial request without a code already logged " + second.Login + " in (see flylogs.2fa.code-required)")
	}
	return src1, mark1, env.CodeOrSkip(ctx, src2, mark2, "flylogs.2fa.code-delivered")
}

// probe sends the configured probe with the API key and, when token is not empty, the token.
func probe(ctx context.Context, e *env.Env, k key, tok string) (bool, *client.Response) {
	ginkgo.GinkgoHelper()
	var place func(*client.Request)
	if tok != "" {
		place = e.PlaceToken(config.Account{}, tok)
	}
	return e.Probe(ctx, "", env.Both(authorize(e, k), place))
}

// expectRefused fails the spec unless a login answer is doc 000's failure: no token and
// response.result false.
func expectRefused(resp *client.Response) {
	ginkgo.GinkgoHelper()
	env.Expect(!hasToken(resp), "no token", env.DescribeField(resp, "response.token"))
	env.ExpectField(resp, "response.result", env.False)
}

// expectRefusedFor is expectRefused for a spec that sends several logins: the message says
// which (what).
func expectRefusedFor(what string, resp *client.Response) {
	ginkgo.GinkgoHelper()
	env.Expect(!hasToken(resp), "no token ("+what+")", env.DescribeField(resp, "response.token"))
	env.ExpectFieldOf(what, resp, "response.result", env.False)
}

// password is what env.FormOther takes from another account.
func password(a config.Account) string { return a.Password }
