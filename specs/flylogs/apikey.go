package flylogs

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func apiKeySpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the API key", func() {
		b.It(reqKeyRequired, "sends a valid login without the API key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := login(ctx, e, withoutKey, a.Login, a.Password, nil)
			env.Expect(isError(resp), "an error (no token, and no response.result true) for a request without an API key", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyRequired, "sends the probe with a valid token but without the API key", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.PlainAccount(0))
			ok, resp := probe(ctx, e, withoutKey, tok)
			env.Expect(!ok, "the probe to refuse a request without an API key", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyUnknown, "sends a valid login with an API key the target never issued", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := login(ctx, e, wrongKey, a.Login, a.Password, nil)
			env.Expect(isError(resp), "an error (no token, and no response.result true) for an unknown API key", env.DescribeField(resp, "@this"))
		})
	})
}
