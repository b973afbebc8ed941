package newapikey

import (
	"fmt"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func keySpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("user and key on every query", func() {
		b.It(reqKeyWorks, "sends /view/user/api.json with the user and the login's key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			k := logIn(ctx, e, a)
			ok, resp := view(ctx, e, a.Login, k)
			env.Expect(ok, "the query to be answered with user and key", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyRequired, "sends /view/user/api.json with the user and no key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			logIn(ctx, e, a)
			ok, resp := view(ctx, e, a.Login, "")
			env.Expect(!ok, "the query to be refused without a key", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyRequired, "sends /view/user/api.json with the user and a key the target never issued", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			logIn(ctx, e, a)
			ok, resp := view(ctx, e, a.Login, "conform-never-issued-0123456789")
			env.Expect(!ok, "the query to be refused with a key no login returned", env.DescribeField(resp, "@this"))
		})

		// The login's key in each form a real comparison lets through (env.Forms; an empty
		// key and another user's key have the specs above and below): refused by the probe's
		// rule, whatever the status or body of the refusal.
		for _, f := range []env.Form{env.FormCase, env.FormPrefix, env.FormAppended} {
			b.It(reqKeyRequired, "sends /view/user/api.json with the user and "+f.What("key"), func(ctx ginkgo.SpecContext) {
				a := e.PlainAccount(0)
				k := logIn(ctx, e, a)
				ok, resp := view(ctx, e, a.Login, f.Of(k, "", "the key "+k))
				env.Expect(!ok, "the query to be refused with a key no login returned", env.DescribeField(resp, "@this"))
			})
		}

		b.It(reqKeyOwnUser, "sends /view/user/api.json with one user's key and another user's name", func(ctx ginkgo.SpecContext) {
			a, other := e.PlainAccount(0), e.PlainAccount(1)
			k := logInEach(ctx, e, a, other)[0] // the other user exists and has a key of its own
			ok, resp := view(ctx, e, other.Login, k)
			env.Expect(!ok, "the query to be refused: the key is "+a.Login+"'s, not "+other.Login+"'s", env.DescribeField(resp, "@this"))
		})

		// The username left out, the key the user's own (should: reqUserRequired says why).
		b.It(reqUserRequired, "sends /view/user/api.json with the login's key and no user", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			k := logIn(ctx, e, a)
			ok, resp := e.Probe(ctx, "", func(r *client.Request) {
				e.PlaceToken(config.Account{Login: a.Login}, k)(r)
				r.Query.Del("user")
			})
			env.Expect(!ok, "the query to be refused without the username", env.DescribeField(resp, "@this"))
		})

		b.It(reqKeyReusable, "sends /view/user/api.json three times with one key", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			k := logIn(ctx, e, a)
			for i := 1; i <= 3; i++ {
				ok, resp := view(ctx, e, a.Login, k)
				env.Expect(ok, fmt.Sprintf("query %d with the same key to be answered", i), env.DescribeField(resp, "@this"))
			}
		})
	})
}

// earlierKeySpecs check that a later login leaves an earlier key working, at should level: the
// document is silent on it.
func earlierKeySpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("a key after a later login", func() {
		b.It(reqEarlierKeys, "logs one user in for two applications (two descriptions) and queries with each key", func(ctx ginkgo.SpecContext) {
			// One login after the other, so that which is the earlier is known, and a
			// reproducer that replays them in order meets the same order.
			a := e.PlainAccount(0)
			r1, r2 := e.LoginRequest(a, 0), e.LoginRequest(a, 0)
			r2.Query.Set("description", r2.Query.Get("description")+"-second-app")
			answers := []*client.Response{e.Do(ctx, r1), e.Do(ctx, r2)}
			first, second := e.Token(answers[0]), e.Token(answers[1])
			env.Expect(first != "", "ADDED_KEY with newapikey.key for the first application", env.DescribeField(answers[0], "@this"))
			env.Expect(second != "", "ADDED_KEY with newapikey.key for the second application", env.DescribeField(answers[1], "@this"))
			ok, resp := view(ctx, e, a.Login, first)
			env.Expect(ok, "the first application's key still answered after the second logged in", env.DescribeField(resp, "@this"))
			ok, resp = view(ctx, e, a.Login, second)
			env.Expect(ok, "the second application's key answered", env.DescribeField(resp, "@this"))
		})
	})
}
