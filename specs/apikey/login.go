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

		// A wrong apiSecret, then a wrong apiKey, in each form a real comparison lets through
		// (env.Forms), every other field right. Doc 001 documents only the successful answer,
		// so any answer without a token passes, whatever its status and body. Another
		// account's apiKey with this account's apiSecret is the mirror of another account's
		// apiSecret, so the key forms leave it to the secret's.
		for _, f := range env.Forms() {
			b.It(reqWrongSecret, "sends a login with "+f.What("apiSecret"), func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				r, body := loginBody(e, a)
				body["apiSecret"] = f.Of(a.APISecret, e.Other(a, apiSecret), "api_key "+a.APIKey+"'s api_secret")
				resp := login(ctx, e, r)
				env.Expect(!resp.Get("token").Exists(), "no token for a wrong apiSecret", env.DescribeField(resp, "token"))
			})
		}
		for _, f := range []env.Form{env.FormEmpty, env.FormCase, env.FormPrefix, env.FormAppended} {
			b.It(reqWrongKey, "sends a login with "+f.What("apiKey"), func(ctx ginkgo.SpecContext) {
				a := e.Account(0)
				r, body := loginBody(e, a)
				body["apiKey"] = f.Of(a.APIKey, "", "api_key "+a.APIKey)
				resp := login(ctx, e, r)
				env.Expect(!resp.Get("token").Exists(), "no token for a wrong apiKey", env.DescribeField(resp, "token"))
			})
		}

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
			// Every configured account's answer: a server may answer one user by the schema
			// and another not.
			b.It(c.req, "sends a valid login of every configured account and validates "+c.what+" against the schema", func(ctx ginkgo.SpecContext) {
				accounts := e.Config.Accounts
				for i, resp := range e.LoginEach(ctx, accounts) {
					expectSchemaPart(env.Who(accounts[i]), resp, c.part)
				}
			})
		}
	})
}
