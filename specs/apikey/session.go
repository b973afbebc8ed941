package apikey

import (
	"context"
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// login posts doc 001's ApiKeyLogin body.
func login(ctx context.Context, e *env.Env, body map[string]any) *client.Response {
	ginkgo.GinkgoHelper()
	return e.Do(ctx, client.Request{Method: http.MethodPost, Path: "/auth/login", JSON: body})
}

// loginBody is an account's ApiKeyLogin, both fields present.
func loginBody(a config.Account) map[string]any {
	return map[string]any{"apiKey": a.APIKey, "apiSecret": a.APISecret}
}

// logIn logs a in and returns the token and the answer, failing the spec without a token.
func logIn(ctx context.Context, e *env.Env, a config.Account) (string, *client.Response) {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, loginBody(a))
	tok := resp.Get("token")
	env.Expect(tok.Str != "", "a successful login with a token (api_key "+a.APIKey+")", env.DescribeField(resp, "token"))
	return tok.Str, resp
}
