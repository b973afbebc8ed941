package flylogs

import (
	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// messageSpecs check the document's example message, at should level: the document shows it
// without saying it is fixed.
func messageSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the failure example's message", func() {
		for _, c := range env.Refusals("email") {
			b.It(reqMessage, "sends a login with "+c.What+" and reads response.message", func(ctx ginkgo.SpecContext) {
				user, pass := c.Credentials(e.PlainAccount(0))
				resp := login(ctx, e, withKey, user, pass, nil)
				if resp.Get("response.result").Type != gjson.False || resp.Get("response.message").Type != gjson.String {
					ginkgo.Skip("the answer is not the example's failure with a message, so there is no message to compare (see flylogs.login.wrong-password-refused and flylogs.login.failure-shape)")
				}
				env.ExpectValue(resp, "response.message", "Incorrect email or password")
			})
		}
	})
	ginkgo.Describe("the failure example's url", func() {
		for _, c := range env.Refusals("email") {
			b.It(reqFailureURL, "sends a login with "+c.What+" and reads response.url", func(ctx ginkgo.SpecContext) {
				user, pass := c.Credentials(e.PlainAccount(0))
				resp := login(ctx, e, withKey, user, pass, nil)
				if resp.Get("response.result").Type != gjson.False || !resp.Get("response.url").Exists() {
					ginkgo.Skip("the answer is not the example's failure with a url, so there is no url to compare (see flylogs.login.wrong-password-refused and flylogs.login.failure-shape)")
				}
				env.ExpectField(resp, "response.url", env.Null)
			})
		}
	})
}
