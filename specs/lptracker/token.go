package lptracker

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func tokenSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the token", func() {
		b.It(reqTokenHeader, "sends the probe with the token in header token", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.Account(0), 0, "")
			ok, resp := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(ok, "the probe to accept the token in header token", env.DescribeField(resp, "status"))
		})

		b.It(reqTokenRequired, "sends the probe without a token", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.Account(0), 0, "")
			ok, resp := e.Probe(ctx, "", nil)
			env.Expect(!ok, "the probe to refuse a request without a token", env.DescribeField(resp, "status"))
		})

		b.It(reqTokenIssued, "sends the probe with a token the target never issued", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.Account(0), 0, "")
			ok, resp := e.Probe(ctx, "", withToken(e, "conform-never-issued-0123456789abcdef"))
			env.Expect(!ok, "the probe to refuse a token that no login returned", env.DescribeField(resp, "status"))
		})

		for _, f := range env.TokenForms() {
			b.It(reqTokenIssued, "sends the probe with "+f.What("token it was issued"), func(ctx ginkgo.SpecContext) {
				tok := logIn(ctx, e, e.Account(0), 0, "")
				ok, resp := e.Probe(ctx, "", withToken(e, f.Of(tok, "", "the token")))
				env.Expect(!ok, "the probe to refuse "+f.What("token")+", which no login returned", env.DescribeField(resp, "status"))
			})
		}
	})
}
