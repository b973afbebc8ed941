package jwt

import (
	"net/http"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /users/login", func() {
		// Every configured account's answer: a server may answer one user in the documented
		// shape and another not.
		b.It(reqSuccessShape, "sends a valid login of every configured account and reads each answer", func(ctx ginkgo.SpecContext) {
			accounts := e.Config.Accounts
			for i, resp := range e.LoginEach(ctx, accounts) {
				who := accounts[i].Login
				env.ExpectFieldOf(who, resp, "token", env.NonEmptyString)
				uid := resp.Get("uid")
				// The example's uid is a UUID string; a numeric id is the same field by another
				// choice the document does not rule out.
				env.Expect((uid.Type == gjson.String && uid.Str != "") || uid.Type == gjson.Number, "body field uid to be a non-empty string or a number for "+who, env.DescribeField(resp, "uid"))
			}
		})

		b.It(reqIsJWT, "decodes the token of a valid login", func(ctx ginkgo.SpecContext) {
			tok, _ := logIn(ctx, e, e.Account(0))
			h, _, _, ok := parts(tok)
			env.Expect(ok, "a JSON Web Token: three base64url parts, header and payload JSON objects", clipTok(tok))
			_, hasAlg := h["alg"]
			env.Expect(hasAlg, `a JOSE header with "alg" (RFC 7515 §4.1.1)`, clipTok(tok))
		})

		// A wrong password in each form a real comparison lets through (env.Forms). Every one
		// is a login that fails, so "a status code of 401": the document's own example request
		// has `password: ""`, so an empty password is a well-formed login, not a malformed
		// request a server could answer 400.
		for _, f := range env.Forms() {
			b.It(reqFail401, "sends a login with "+f.What("password"), func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				pass := f.Of(a.Password, e.Other(a, password), "account "+a.Login+"'s password")
				expectRefused(login(ctx, e, a.Login, pass))
			})
		}

		b.It(reqFail401, "sends a login with an unknown email", func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			expectRefused(login(ctx, e, "conform-nobody-"+a.Login, a.Password))
		})

		// The documented failure body on each failed login: "a message explaining why they
		// can't login", whatever the reason (a wrong password, an unknown email).
		for _, c := range env.Refusals("email") {
			b.It(reqFailShape, "sends a login with "+c.What+" and reads the answer", func(ctx ginkgo.SpecContext) {
				user, pass := c.Credentials(e.Account(0))
				resp := login(ctx, e, user, pass)
				env.ExpectField(resp, "success", env.False)
				env.ExpectField(resp, "message", env.NonEmptyString)
			})
		}
	})
}

func clipTok(t string) string {
	if len(t) > 60 {
		t = t[:60] + "..."
	}
	if strings.TrimSpace(t) == "" {
		return "an empty token"
	}
	return "token " + t
}

// expectRefused fails the spec unless a login answer is doc 004's failure: HTTP 401 and no
// token.
func expectRefused(resp *client.Response) {
	ginkgo.GinkgoHelper()
	env.ExpectStatus(resp, http.StatusUnauthorized)
	env.Expect(!resp.Get("token").Exists(), "no token", env.DescribeField(resp, "token"))
}

// password is what FormOther takes from another account.
func password(a config.Account) string { return a.Password }
