package jwt

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// messageSpecs check the document's example message, at should level: the document shows it
// for a wrong password without saying it is fixed (an unknown email's message it does not show).
func messageSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the failure example's message", func() {
		b.It(reqMessage, "sends a login with a wrong password and reads message", func(ctx ginkgo.SpecContext) {
			a := e.Account(0)
			resp := login(ctx, e, a.Login, env.Wrong(a.Password))
			if resp.Get("message").Type != gjson.String {
				ginkgo.Skip("the answer has no message to compare (see jwt.login.failure-shape)")
			}
			env.ExpectValue(resp, "message", "Authentication failed. Wrong password.")
		})
	})
}
