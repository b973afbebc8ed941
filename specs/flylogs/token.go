package flylogs

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func tokenSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the session token", func() {
		// Every account without 2FA, one after the other: a server may keep the session of
		// one user and not another's.
		b.It(reqTokenWorks, "sends the probe with the API key and each account's token", func(ctx ginkgo.SpecContext) {
			for _, a := range e.PlainAccounts() {
				tok := logIn(ctx, e, a)
				ok, resp := probe(ctx, e, withKey, tok)
				env.Expect(ok, "the probe to accept "+a.Login+"'s token where the config's token says", env.DescribeField(resp, "@this"))
			}
		})

		b.It(reqTokenRequired, "sends the probe with the API key and no token", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.PlainAccount(0))
			ok, resp := probe(ctx, e, withKey, "")
			env.Expect(!ok, "the probe to refuse a request without the session token", env.DescribeField(resp, "@this"))
		})

		b.It(reqTokenRequired, "sends the probe with the API key and a token the target never issued", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.PlainAccount(0))
			ok, resp := probe(ctx, e, withKey, "conform-never-issued-0123456789abcdef")
			env.Expect(!ok, "the probe to refuse a token that no login returned", env.DescribeField(resp, "@this"))
		})

		for _, f := range env.TokenForms() {
			b.It(reqTokenRequired, "sends the probe with the API key and "+f.What("token it was issued"), func(ctx ginkgo.SpecContext) {
				tok := logIn(ctx, e, e.PlainAccount(0))
				ok, resp := probe(ctx, e, withKey, f.Of(tok, "", "the token"))
				env.Expect(!ok, "the probe to refuse "+f.What("token")+", which no login returned", env.DescribeField(resp, "@this"))
			})
		}
	})
}
