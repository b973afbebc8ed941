package lptracker

import (
	"context"
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// loginBody is doc 003's request body, with every field present.
func loginBody(a config.Account, service string) map[string]any {
	return map[string]any{"login": a.Login, "password": a.Password, "service": service, "version": "1.0"}
}

func login(ctx context.Context, e *env.Env, body map[string]any, from string) *client.Response {
	ginkgo.GinkgoHelper()
	return e.Do(ctx, client.Request{Method: http.MethodPost, Path: "/login", JSON: body, From: from})
}

// logIn logs account a in with service from the address from, fails the spec unless a token
// comes back, and logs it out after the spec so per-IP state does not leak into the next one.
func logIn(ctx context.Context, e *env.Env, a config.Account, service, from string) string {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, loginBody(a, service), from)
	tok := resp.Get("result.token")
	env.Expect(tok.Str != "", "a successful login with result.token (account "+a.Login+")", env.DescribeField(resp, "result.token"))
	cleanup(e, tok.Str, from)
	return tok.Str
}

// cleanup logs a token out after the spec; its outcome is not part of the spec. It gets a
// context of its own from Ginkgo: it still runs after a first Ctrl-C, and a second one ends it.
func cleanup(e *env.Env, token, from string) {
	ginkgo.DeferCleanup(func(ctx ginkgo.SpecContext) {
		_, _ = e.Client.Do(ctx, client.Request{Method: http.MethodPost, Path: e.Config.BasePath + "/logout", Header: tokenHeader(token), From: from})
	})
}

func tokenHeader(token string) http.Header {
	return http.Header{"token": {token}}
}

// withToken places the token where doc 003 says: the request header `token`.
func withToken(token string) func(*client.Request) {
	return func(r *client.Request) {
		if r.Header == nil {
			r.Header = http.Header{}
		}
		// Set the key as written in the document; Go would canonicalize it to "Token", which
		// is the same header on the wire (HTTP header names are case-insensitive).
		r.Header["token"] = []string{token}
	}
}

func logout(ctx context.Context, e *env.Env, token, from string) *client.Response {
	ginkgo.GinkgoHelper()
	r := client.Request{Method: http.MethodPost, Path: "/logout", From: from}
	if token != "" {
		r.Header = tokenHeader(token)
	}
	return e.Do(ctx, r)
}
