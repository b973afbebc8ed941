package jwt

import (
	"net/http"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /users/login", func() {
		b.It(reqSuccessShape, "sends a valid login and reads the answer", func(ctx ginkgo.SpecContext) {
			resp := login(ctx, e, e.Account(0).Login, e.Account(0).Password)
			env.ExpectField(resp, "token", env.NonEmptyString)
			uid := resp.Get("uid")
			// The example's uid is a UUID string; a numeric id is the same field by another
			// choice the document does not rule out.
			env.Expect((uid.Type == gjson.String && uid.Str != "") || uid.Type == gjson.Number, "body field uid to be a non-empty string or a number", env.DescribeField(resp, "uid"))
		})

		b.It(reqIsJWT, "decodes the token of a valid login", func(ctx ginkgo.SpecContext) {
			tok, _ := logIn(ctx, e, e.Account(0))
			h, _, _, ok := parts(tok)
			env.Expect(ok, "a JSON Web Token: three base64url parts, header and payload JSON objects", clipTok(tok))
			_, hasAlg := h["alg"]
			env.Expect(hasAlg, `a JOSE header with "alg" (RFC 7515 §4.1.1)`, clipTok(tok))
		})

		for _, c := range []struct{ what, email, pass string }{
			{"a wrong password", "", "-wrong"},
			{"an unknown email", "conform-nobody-", ""},
		} {
			b.It(reqFail401, "sends a login with "+c.what, func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				resp := login(ctx, e, c.email+a.Login, a.Password+c.pass)
				env.ExpectStatus(resp, http.StatusUnauthorized)
				env.Expect(!resp.Get("token").Exists(), "no token", env.DescribeField(resp, "token"))
			})
		}

		b.It(reqFailShape, "sends a login with a wrong password and reads the answer", func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			resp := login(ctx, e, a.Login, a.Password+"-wrong")
			env.ExpectField(resp, "success", env.False)
			env.ExpectField(resp, "message", env.NonEmptyString)
		})
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
