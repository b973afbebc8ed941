package lptracker

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func logoutSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /logout", func() {
		b.It(reqLogoutShape, "sends a logout with the token and no body", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.Account(0), 0, "")
			resp := logout(ctx, e, tok, "")
			env.ExpectValue(resp, "status", "success")
			env.ExpectField(resp, "result", env.True)
		})

		b.It(reqLogoutDeletes, "sends the probe with a token after logging it out", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.Account(0), 0, "")
			ok, resp := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(ok, "the probe to accept the token before logout", env.DescribeField(resp, "status"))
			logout(ctx, e, tok, "")
			ok, resp = e.Probe(ctx, "", withToken(e, tok))
			env.Expect(!ok, "the probe to refuse the token after logout", env.DescribeField(resp, "status"))
		})

		b.It(reqLogoutToken, "sends a logout without a token", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.Account(0), 0, "")
			resp := logout(ctx, e, "", "")
			env.Expect(resp.Get("status").String() != "success", "a logout without a token not to succeed", env.DescribeField(resp, "status"))
		})
	})
}
