package newapikey

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("GET /user/newapikey/login.json", func() {
		// Every configured account without 2FA (a 2FA user's ADDED_KEY comes with its tfkey):
		// a server may answer one user in the documented shape and another not.
		b.It(reqAddedKey, "sends a valid login of every configured account without 2FA and reads each answer", func(ctx ginkgo.SpecContext) {
			accounts := e.PlainAccounts()
			for i, resp := range e.LoginEach(ctx, accounts) {
				who := accounts[i].Login
				env.ExpectValueOf(who, resp, "status", "success")
				env.ExpectValueOf(who, resp, "success", "ADDED_KEY")
				env.ExpectFieldOf(who, resp, "newapikey", env.Object)
				env.ExpectFieldOf(who, resp, "newapikey.controlapikey", env.Integer)
				env.ExpectFieldOf(who, resp, "newapikey.key", env.NonEmptyString)
			}
		})

		// A wrong pass in each form a real comparison lets through (env.Forms): "something
		// is wrong with ... password", so status error and no key.
		for _, f := range env.Forms() {
			b.It(reqWrongRefused, "sends a login with "+f.What("pass"), func(ctx ginkgo.SpecContext) {
				a := e.PlainAccount(0)
				expectRefused(login(ctx, e, a.Login, f.Of(a.Password, e.Other(a, password), "account "+a.Login+"'s password"), nil))
			})
		}

		b.It(reqWrongRefused, "sends a login with an unknown user", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			expectRefused(login(ctx, e, "conform-nobody-"+a.Login, a.Password, nil))
		})

		// The documented error on each refusal the sentence names that a login without 2FA
		// can show, "username, password": the same body, echoing what was sent. (A wrong tfkey's
		// is in twofactor.go.)
		for _, c := range env.Refusals("user") {
			b.It(reqErrorShape, "sends a login with "+c.What+" and reads the answer", func(ctx ginkgo.SpecContext) {
				user, pass := c.Credentials(e.PlainAccount(0))
				expectUserNotFound(login(ctx, e, user, pass, nil), user, pass)
			})
		}
	})
}
