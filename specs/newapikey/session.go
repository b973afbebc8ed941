package newapikey

import (
	"context"
	"net/http"
	"net/url"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// description is doc 002's description parameter (the example's YourAPP).
const description = "conform"

// login sends doc 002's login query; tfkey nil leaves the parameter out.
func login(ctx context.Context, e *env.Env, user, pass string, tfkey *string) *client.Response {
	ginkgo.GinkgoHelper()
	q := url.Values{"user": {user}, "pass": {pass}, "description": {description}}
	if tfkey != nil {
		q.Set("tfkey", *tfkey)
	}
	return e.Do(ctx, client.Request{Method: http.MethodGet, Path: "/user/newapikey/login.json", Query: q})
}

func str(s string) *string { return &s }

// key reads newapikey.key.
func key(resp *client.Response) string { return resp.Get("newapikey.key").String() }

// logIn logs a user without 2FA in and returns its new key, failing the spec without one.
func logIn(ctx context.Context, e *env.Env, a config.Account) string {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, a.Login, a.Password, nil)
	env.Expect(key(resp) != "", "ADDED_KEY with newapikey.key (account "+a.Login+")", env.DescribeField(resp, "@this"))
	return key(resp)
}

// withKey appends user and key to a query, as doc 002 says every query carries them.
func withKey(user, k string) func(*client.Request) {
	return func(r *client.Request) {
		if r.Query == nil {
			r.Query = url.Values{}
		}
		r.Query.Set("user", user)
		if k != "" {
			r.Query.Set("key", k)
		}
	}
}

// view sends the probe (default doc 002's /view/user/api.json) with user and key, and says
// whether the target answered it by the probe's rule (whose default refuses doc 002's error
// envelope, status error, even on HTTP 200).
func view(ctx context.Context, e *env.Env, user, k string) (bool, *client.Response) {
	ginkgo.GinkgoHelper()
	return e.Probe(ctx, "", withKey(user, k))
}
