package newapikey

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func loginSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("GET /user/newapikey/login.json", func() {
		b.It(reqAddedKey, "sends a valid login and reads the answer", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := login(ctx, e, a.Login, a.Password, nil)
			env.ExpectValue(resp, "status", "success")
			env.ExpectValue(resp, "success", "ADDED_KEY")
			env.ExpectField(resp, "newapikey", env.Object)
			env.ExpectField(resp, "newapikey.controlapikey", env.Integer)
			env.ExpectField(resp, "newapikey.key", env.NonEmptyString)
		})

		for _, c := range []struct{ what, user, pass string }{
			{"a wrong password", "", "-wrong"},
			{"an unknown user", "conform-nobody-", ""},
		} {
			b.It(reqWrongRefused, "sends a login with "+c.what, func(ctx ginkgo.SpecContext) {
				a := e.PlainAccount(0)
				resp := login(ctx, e, c.user+a.Login, a.Password+c.pass, nil)
				env.Expect(key(resp) == "", "no key", env.DescribeField(resp, "newapikey"))
				env.ExpectValue(resp, "status", "error")
			})
		}

		b.It(reqErrorShape, "sends a login with a wrong password and reads the answer", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			pass := a.Password + "-wrong"
			resp := login(ctx, e, a.Login, pass, nil)
			env.ExpectValue(resp, "status", "error")
			env.ExpectValue(resp, "error", "USER_NOT_FOUND")
			env.ExpectField(resp, "login", env.Object)
			env.ExpectValue(resp, "login.user", a.Login)
			env.ExpectValue(resp, "login.pass", pass)
		})
	})
}
