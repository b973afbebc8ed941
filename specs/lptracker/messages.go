package lptracker

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// messageSpecs check the document's example message, at should level: the document shows it
// without saying it is fixed.
func messageSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the error example's message", func() {
		for _, c := range []struct{ what, field string }{
			{"a wrong password", "password"},
			{"an unknown login", "login"},
		} {
			b.It(reqMessage, "sends a login with "+c.what+" and reads errors[0].message", func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				r, body := loginBody(e, a, 0)
				if c.field == "password" {
					body["password"] = env.Wrong(a.Password)
				} else {
					body["login"] = "conform-nobody-" + a.Login
				}
				resp := login(ctx, e, r, "")
				if tok := resp.Get("result.token").String(); tok != "" {
					cleanup(e, tok, "")
				}
				if resp.Get("errors.0.message").Type != gjson.String {
					ginkgo.Skip("the answer has no errors[0].message to compare (see lptracker.login.wrong-password-refused and lptracker.login.error-shape)")
				}
				env.ExpectValue(resp, "errors.0.message", "Invalid login or password")
			})
		}
	})
}
