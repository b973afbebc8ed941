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

		// "Any request": a 2FA user's requests too, the first (an empty code, which triggers
		// the code mail) and the one with the code. Either may be answered by any error, whatever
		// its status or body, as long as it is no success: no token, and no result true (the
		// first request's documented answer is result true with two_factor false, not an error).
		b.It(reqKeyRequired, "sends a 2FA user's valid login with an empty code but without the API key", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			resp := login(ctx, e, withoutKey, a.Login, a.Password, str(""))
			env.Expect(isError(resp), "an error (no token, and no response.result true) for a request without an API key", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyRequired, "sends a 2FA user's valid login with the code but without the API key", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			code := currentCode(ctx, e, a)
			resp := login(ctx, e, withoutKey, a.Login, a.Password, str(code))
			env.Expect(isError(resp), "an error (no token, and no response.result true) for a request without an API key", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyUnknown, "sends a valid login with an API key the target never issued", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := login(ctx, e, wrongKey, a.Login, a.Password, nil)
			env.Expect(isError(resp), "an error (no token, and no response.result true) for an unknown API key", env.DescribeField(resp, "@this"))
		})

		// The company key in each form a real comparison lets through (env.Forms; another
		// company's key is the spec after the loop), on a valid login: any answer that is an
		// error passes, whatever its status or body, as doc 000 gives none.
		for _, f := range []env.Form{env.FormEmpty, env.FormCase, env.FormPrefix, env.FormAppended} {
			b.It(reqKeyUnknown, "sends a valid login with "+f.What("API key"), func(ctx ginkgo.SpecContext) {
				a := e.PlainAccount(0)
				r := e.LoginRequest(a, 0)
				keyed(f.Of(e.Config.APIKey, "", "flylogs.api_key"))(&r)
				resp := e.Do(ctx, r)
				env.Expect(isError(resp), "an error (no token, and no response.result true) for a wrong API key", env.DescribeField(resp, "@this"))
			})
		}

		// Another account's key, the last form: another company's, on a valid login of this
		// company's user. "An existing user in your company": the company is the key's, and
		// this user is not one of its users. Readings accepted: any answer that is an error,
		// whatever its status or body; a target whose keys are not per company at all (every
		// key refused but the config's) passes too. The other company's key must first log its
		// own user in, or the spec would only send an unknown key (unknown-refused's case).
		b.It(reqCompanyUsers, "sends a valid login with another company's API key", func(ctx ginkgo.SpecContext) {
			o := e.Config.OtherCompanyAccount
			if o == nil || o.APIKey == "" {
				ginkgo.Skip("needs flylogs.other_company_account with its api_key: a user of another company and that company's API key; add them to the config")
			}
			r := e.LoginRequest(*o, 0)
			keyed(o.APIKey)(&r)
			if resp := e.Do(ctx, r); isError(resp) {
				ginkgo.Skip("flylogs.other_company_account does not log in with its api_key on the target (" + env.DescribeField(resp, "response.message") +
					"): check both, so that the key is one the target issued")
			}
			r = e.LoginRequest(e.PlainAccount(0), 0)
			keyed(o.APIKey)(&r)
			resp := e.Do(ctx, r)
			env.Expect(isError(resp), "an error (no token, and no response.result true) for a user of this company with another company's API key", env.DescribeField(resp, "@this"))
		})
	})
}
