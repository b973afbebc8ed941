package apikey

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /auth/login", func() {
		for _, field := range []string{"apiKey", "apiSecret"} {
			b.It(reqFieldRequired, "sends a login without "+field, func(ctx ginkgo.SpecContext) {
				r, body := loginBody(e, e.Account(0))
				delete(body, field)
				resp := login(ctx, e, r)
				env.Expect(!resp.Get("token").Exists(), "no token when "+field+" is missing", env.DescribeField(resp, "token"))
			})
		}

		b.It(reqWrongSecret, "sends a login with a wrong apiSecret", func(ctx ginkgo.SpecContext) {
			r, body := loginBody(e, e.Account(0))
			body["apiSecret"] = e.Account(0).APISecret + "-wrong"
			resp := login(ctx, e, r)
			env.Expect(!resp.Get("token").Exists(), "no token for a wrong apiSecret", env.DescribeField(resp, "token"))
		})

		for _, c := range []struct {
			req  cite.Requirement
			part schemaPart
			what string
		}{
			{reqRespRequired, partRequired, "its required fields id, email and token"},
			{reqIDInteger, partID, "its id"},
			{reqDateTime, partDates, "its createdAt and updatedAt"},
			{reqAccounts, partAccounts, "its primaryAccount and accounts"},
			{reqSchema, partOther, "the rest of its fields"},
		} {
			b.It(c.req, "sends a valid login and validates "+c.what+" against the schema", func(ctx ginkgo.SpecContext) {
				_, resp := logIn(ctx, e, e.Account(0))
				expectSchemaPart(resp, c.part)
			})
		}
	})
}
