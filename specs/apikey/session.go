package apikey

import (
	"context"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// login posts doc 001's ApiKeyLogin.
func login(ctx context.Context, e *env.Env, r client.Request) *client.Response {
	ginkgo.GinkgoHelper()
	return e.Do(ctx, r)
}

// loginBody is an account's ApiKeyLogin (the wire's), both fields present, and its body for
// a spec to change.
func loginBody(e *env.Env, a config.Account) (client.Request, map[string]any) {
	ginkgo.GinkgoHelper()
	return e.LoginJSON(a, 0)
}

// logIn logs a in and returns the token and the answer, failing the spec without a token.
func logIn(ctx context.Context, e *env.Env, a config.Account) (string, *client.Response) {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, e.LoginRequest(a, 0))
	tok := e.Token(resp)
	env.Expect(tok != "", "a successful login with a token (api_key "+a.APIKey+")", env.DescribeField(resp, "token"))
	return tok, resp
}

// apiSecret is what env.FormOther takes from another account.
func apiSecret(a config.Account) string { return a.APISecret }
