package apikey

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func tokenSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the token", func() {
		// Every configured account, one after the other: a server may keep the session of one
		// user and not another's.
		b.It(reqTokenWorks, "sends the probe with each account's token", func(ctx ginkgo.SpecContext) {
			for _, a := range e.Config.Accounts {
				tok, _ := logIn(ctx, e, a)
				ok, resp := e.Probe(ctx, "", e.PlaceToken(a, tok))
				env.Expect(ok, "the probe to accept "+env.Who(a)+"'s token where the config's token says", env.DescribeField(resp, "@this"))
			}
		})

		b.It(reqTokenRequired, "sends the probe without a token", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.Account(0))
			ok, resp := e.Probe(ctx, "", nil)
			env.Expect(!ok, "the probe to refuse a request without a token", env.DescribeField(resp, "@this"))
		})

		b.It(reqTokenRequired, "sends the probe with a token the target never issued", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.Account(0))
			ok, resp := e.Probe(ctx, "", e.PlaceToken(e.Account(0), "conform-never-issued-0123456789abcdef"))
			env.Expect(!ok, "the probe to refuse a token that no login returned", env.DescribeField(resp, "@this"))
		})

		for _, f := range env.TokenForms() {
			b.It(reqTokenRequired, "sends the probe with "+f.What("token it was issued"), func(ctx ginkgo.SpecContext) {
				tok, _ := logIn(ctx, e, e.Account(0))
				ok, resp := e.Probe(ctx, "", e.PlaceToken(e.Account(0), f.Of(tok, "", "the token")))
				env.Expect(!ok, "the probe to refuse "+f.What("token")+", which no login returned", env.DescribeField(resp, "@this"))
			})
		}
	})
}
