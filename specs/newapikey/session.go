package newapikey

import (
	"context"
	"net/url"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// login sends doc 002's login query (the wire's: user, pass, description); tfkey nil leaves
// the parameter out.
// A login of a 2FA account with its right password owes the code its answer says was sent
// (texted), so that the account's next code is not read from it.
func login(ctx context.Context, e *env.Env, user, pass string, tfkey *string) *client.Response {
	ginkgo.GinkgoHelper()
	o := e.MarkLogins(ctx, config.Account{Login: user, Password: pass})
	resp := e.Do(ctx, loginRequest(e, user, pass, tfkey))
	o.Owe([]*client.Response{resp}, texted)
	return resp
}

// texted reports whether a login answer is one doc 002 says sends a code: ADDED_TF, for a user
// with "two-factor-authentication activated, which will send a code to the users phone". Its
// error answer ("something is wrong with username, password or tfkey") sends none.
func texted(resp *client.Response) bool {
	return resp.Get("success").String() == "ADDED_TF" && key(resp) == ""
}

// loginRequest is the request login sends.
func loginRequest(e *env.Env, user, pass string, tfkey *string) client.Request {
	r := e.LoginRequest(config.Account{Login: user, Password: pass}, 0)
	if tfkey != nil {
		r.Query.Set("tfkey", *tfkey)
	}
	return r
}

func str(s string) *string { return &s }

// key reads newapikey.key.
func key(resp *client.Response) string { return resp.Get("newapikey.key").String() }

// logIn logs a user without 2FA in and returns its new key, failing the spec without one.
func logIn(ctx context.Context, e *env.Env, a config.Account) string {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, a.Login, a.Password, nil)
	k := e.Token(resp)
	env.Expect(k != "", "ADDED_KEY with newapikey.key (account "+a.Login+")", env.DescribeField(resp, "@this"))
	return k
}

// withKey appends user and key to a query, as doc 002 says every query carries them (the
// wire's placement); with k empty, only the user.
func withKey(e *env.Env, user, k string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	if k != "" {
		return e.PlaceToken(config.Account{Login: user}, k)
	}
	return func(r *client.Request) {
		if r.Query == nil {
			r.Query = url.Values{}
		}
		r.Query.Set("user", user)
	}
}

// view sends the probe (default doc 002's /view/user/api.json) with user and key, and says
// whether the target answered it by the probe's rule (whose default refuses doc 002's error
// envelope, status error, even on HTTP 200).
func view(ctx context.Context, e *env.Env, user, k string) (bool, *client.Response) {
	ginkgo.GinkgoHelper()
	return e.Probe(ctx, "", withKey(e, user, k))
}

// expectRefused fails the spec unless a login answer is doc 002's refusal: no key and status
// error.
func expectRefused(resp *client.Response) {
	ginkgo.GinkgoHelper()
	env.Expect(key(resp) == "", "no key", env.DescribeField(resp, "newapikey"))
	env.ExpectValue(resp, "status", "error")
}

// password is what env.FormOther takes from another account.
func password(a config.Account) string { return a.Password }

// expectUserNotFound fails the spec unless a login answer is doc 002's error, echoing the user
// and pass sent: { "status": "error", "error": "USER_NOT_FOUND", "login": { "user", "pass" } }.
func expectUserNotFound(resp *client.Response, user, pass string) {
	ginkgo.GinkgoHelper()
	env.ExpectValue(resp, "status", "error")
	env.ExpectValue(resp, "error", "USER_NOT_FOUND")
	env.ExpectField(resp, "login", env.Object)
	env.ExpectValue(resp, "login.user", user)
	env.ExpectValue(resp, "login.pass", pass)
}
