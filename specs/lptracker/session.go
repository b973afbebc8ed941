package lptracker

import (
	"context"
	"net/http"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/env"
)

// loginBody is doc 003's login of account a as session n (its service: the config's services
// in turn), every field present, and its body for a spec to change.
func loginBody(e *env.Env, a config.Account, n int) (client.Request, map[string]any) {
	ginkgo.GinkgoHelper()
	return e.LoginJSON(a, n)
}

// login sends a login request from the address from.
func login(ctx context.Context, e *env.Env, r client.Request, from string) *client.Response {
	ginkgo.GinkgoHelper()
	r.From = from
	return e.Do(ctx, r)
}

// logIn logs account a in as session n from the address from, fails the spec unless a token
// comes back, and logs it out after the spec so per-IP state does not leak into the next one.
func logIn(ctx context.Context, e *env.Env, a config.Account, n int, from string) string {
	ginkgo.GinkgoHelper()
	resp := login(ctx, e, e.LoginRequest(a, n), from)
	tok := e.Token(resp)
	env.Expect(tok != "", "a successful login with result.token (account "+a.Login+")", env.DescribeField(resp, "result.token"))
	cleanup(e, tok, from)
	return tok
}

// cleanup logs a token out after the spec; its outcome is not part of the spec. It gets a
// context of its own from Ginkgo: it still runs after a first Ctrl-C, and a second one ends it.
func cleanup(e *env.Env, token, from string) {
	r := logoutRequest(e, token, from)
	r.Path = e.Config.BasePath + r.Path
	ginkgo.DeferCleanup(func(ctx ginkgo.SpecContext) {
		_, _ = e.Client.Do(ctx, r)
	})
}

// withToken places the token where doc 003 says: the request header `token`.
func withToken(e *env.Env, token string) func(*client.Request) {
	ginkgo.GinkgoHelper()
	return e.PlaceToken(config.Account{}, token)
}

// logoutRequest is doc 003's POST /logout with the token header, none when token is empty.
func logoutRequest(e *env.Env, token, from string) client.Request {
	ginkgo.GinkgoHelper()
	r := client.Request{Method: http.MethodPost, Path: "/logout", From: from}
	if token != "" {
		withToken(e, token)(&r)
	}
	return r
}

func logout(ctx context.Context, e *env.Env, token, from string) *client.Response {
	ginkgo.GinkgoHelper()
	return e.Do(ctx, logoutRequest(e, token, from))
}

// password is what env.FormOther takes from another account.
func password(a config.Account) string { return a.Password }
