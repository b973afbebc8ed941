package flylogs

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /users/login.json", func() {
		b.It(reqFormPost, "sends the document's curl: a form with email, password and an empty code", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := login(ctx, e, withKey, a.Login, a.Password, str(""))
			env.ExpectField(resp, "response.result", env.True)
			env.ExpectField(resp, "response.token", env.NonEmptyString)
		})

		// Every configured account without 2FA (a 2FA user's answer comes with its code): a
		// server may answer one user in the documented shape and another not.
		b.It(reqSuccessShape, "sends a valid login of every configured account without 2FA and reads each answer", func(ctx ginkgo.SpecContext) {
			accounts := e.PlainAccounts()
			for i, resp := range e.LoginEach(ctx, accounts) {
				who := accounts[i].Login
				env.ExpectFieldOf(who, resp, "response", env.Object)
				env.ExpectFieldOf(who, resp, "response.result", env.True)
				env.ExpectFieldOf(who, resp, "response.token", env.NonEmptyString)
				// The example's message is null and its url "/users"; both are there, whatever
				// their value on another server.
				for _, f := range []string{"message", "url", "two_factor"} {
					v := resp.Get("response." + f)
					env.Expect(v.Exists(), "body field response."+f+" for "+who+" (the example has it)", env.DescribeField(resp, "response."+f))
				}
			}
		})

		// A wrong password in each form a real comparison lets through (env.Forms): each is
		// "Incorrect email or password", so result false and no token, whatever the status.
		for _, f := range env.Forms() {
			b.It(reqWrongPassword, "sends a login with "+f.What("password"), func(ctx ginkgo.SpecContext) {
				a := e.PlainAccount(0)
				expectRefused(login(ctx, e, withKey, a.Login, f.Of(a.Password, e.Other(a, password), "account "+a.Login+"'s password"), nil))
			})
		}

		// "Valid email address of an existing user in your company": another company's user,
		// with the right password there, is refused with this company's key, whatever the
		// answer as long as it is an error (no token, no result true). The config names the
		// user; without one the spec skips.
		b.It(reqCompanyUsers, "sends a valid login of another company's user with the company's API key", func(ctx ginkgo.SpecContext) {
			o := e.Config.OtherCompanyAccount
			if o == nil {
				ginkgo.Skip("needs flylogs.other_company_account: an existing user of another company, with the password valid there; add one to the config")
			}
			resp := login(ctx, e, withKey, o.Login, o.Password, nil)
			env.Expect(isError(resp), "an error (no token, and no response.result true) for a user of another company", env.DescribeField(resp, "@this"))
		})

		b.It(reqWrongPassword, "sends a login with an unknown email", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			expectRefused(login(ctx, e, withKey, "conform-nobody-"+a.Login, a.Password, nil))
		})

		// The documented failure on each refusal its message names, "Incorrect email or
		// password": a wrong password and an unknown email. The message's text is checked
		// only at should level (messages.go).
		for _, c := range env.Refusals("email") {
			b.It(reqFailureShape, "sends a login with "+c.What+" and reads the answer", func(ctx ginkgo.SpecContext) {
				user, pass := c.Credentials(e.PlainAccount(0))
				resp := login(ctx, e, withKey, user, pass, nil)
				env.ExpectField(resp, "response", env.Object)
				env.ExpectField(resp, "response.result", env.False)
				env.ExpectField(resp, "response.message", env.NonEmptyString)
				// The example's url is null; the success example's is "/users", and neither
				// says the value is fixed, so, as for success, url is there whatever its value.
				env.ExpectField(resp, "response.url", env.Present)
			})
		}
	})
}
