package newapikey

import (
	"context"
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/twofactor"
)

func twoFactorSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("2FA", func() {
		b.It(reqAddedTF, "sends a 2FA user's valid login without tfkey", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			_, _, resp := challenge(ctx, e, a)
			// Doc 002's failure: status error.
			env.ExpectChallenged(a, resp.Get("status").Str == "error", resp, "@this")
			env.ExpectValue(resp, "status", "success")
			env.ExpectValue(resp, "success", "ADDED_TF")
			env.Expect(key(resp) == "", "no key before the code", env.DescribeField(resp, "newapikey"))
		})

		b.It(reqCodeDelivered, "sends a 2FA user's valid login without tfkey and waits for the code", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			src, mark, _ := challenge(ctx, e, a)
			env.ExpectDelivered(ctx, a, src, mark, "webhook")
		})

		b.It(reqTfkey, "sends a 2FA user's valid login again with tfkey set to the code", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			code := currentCode(ctx, e, a)
			resp := login(ctx, e, a.Login, a.Password, str(code))
			env.ExpectValue(resp, "status", "success")
			env.ExpectValue(resp, "success", "ADDED_KEY")
			// The second example answer in full, as the first login's (login.added-key):
			// newapikey an object with controlapikey an integer and a key.
			env.ExpectField(resp, "newapikey", env.Object)
			env.ExpectField(resp, "newapikey.controlapikey", env.Integer)
			env.ExpectField(resp, "newapikey.key", env.NonEmptyString)
		})

		b.It(reqWrongTfkey, "sends a 2FA user's valid login again with a wrong tfkey", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			code := currentCode(ctx, e, a)
			resp := login(ctx, e, a.Login, a.Password, str(env.WrongCode(e.Codes(a), code)))
			env.Expect(key(resp) == "", "no key for a wrong tfkey", env.DescribeField(resp, "newapikey"))
			env.ExpectValue(resp, "status", "error")
		})

		b.It(reqErrorShape, "sends a 2FA user's valid login again with a wrong tfkey and reads the answer", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			code := currentCode(ctx, e, a)
			expectUserNotFound(login(ctx, e, a.Login, a.Password, str(env.WrongCode(e.Codes(a), code))), a.Login, a.Password)
		})

		// The tfkey in the forms a real comparison lets through (env.CodeForms): "something
		// is wrong with ... tfkey", so status error and no key. An empty tfkey may also be
		// read as no tfkey at all, answered ADDED_TF with a new code: both readings pass, as
		// long as no key comes back.
		for _, f := range env.CodeForms() {
			b.It(reqWrongTfkey, "sends a 2FA user's valid login again with "+f.What("tfkey"), func(ctx ginkgo.SpecContext) {
				a := e.TwoFactorAccount(0)
				var tfkey string
				switch f {
				case env.FormEmpty:
					// A code is outstanding; the empty tfkey is not it.
					if _, _, resp := challenge(ctx, e, a); key(resp) != "" {
						ginkgo.Skip("the login without tfkey already gave " + a.Login + " a key (see newapikey.2fa.added-tf)")
					}
				case env.FormOther:
					// The user waits for a code of its own, and gets the other user's: the two
					// logins without tfkey go side by side.
					o := e.TwoFactorAccount(1)
					src, osrc := e.Codes(a), e.Codes(o)
					mark, omark := src.Mark(), osrc.Mark()
					answers := e.DoAll(ctx, loginRequest(e, a.Login, a.Password, nil), loginRequest(e, o.Login, o.Password, nil))
					if key(answers[1]) != "" {
						ginkgo.Skip("the login without tfkey already gave " + o.Login + " a key (see newapikey.2fa.added-tf)")
					}
					other := env.CodeOrSkip(ctx, osrc, omark, "newapikey.2fa.code-delivered")
					mine, _ := src.Code(ctx, mark) // "" when none came: any other code is wrong
					// Four digits: the other user's code is, now and then, one this user was
					// given too (earlier codes may stay valid). Ask the other user a new one.
					for try := 0; env.Issued(src, other) && try < 3; try++ {
						omark = osrc.Mark()
						login(ctx, e, o.Login, o.Password, nil)
						other = env.CodeOrSkip(ctx, osrc, omark, "newapikey.2fa.code-delivered")
					}
					if env.Issued(src, other) {
						ginkgo.Skip("every code " + o.Login + " got was also one " + a.Login + " was given: nothing to tell apart, run again")
					}
					tfkey = f.Of(mine, other, "the other user's code")
				default:
					tfkey = f.Of(currentCode(ctx, e, a), "", "the code")
				}
				resp := login(ctx, e, a.Login, a.Password, str(tfkey))
				env.Expect(key(resp) == "", "no key for a wrong tfkey", env.DescribeField(resp, "newapikey"))
				if f == env.FormEmpty && resp.Get("success").String() == "ADDED_TF" {
					return
				}
				env.ExpectValue(resp, "status", "error")
			})
		}
	})
}

// challenge sends a 2FA user's login without tfkey and returns the account's code source and
// the mark to read the delivered code after.
func challenge(ctx context.Context, e *env.Env, a config.Account) (twofactor.Source, uint64, *client.Response) {
	ginkgo.GinkgoHelper()
	src := e.Codes(a)
	mark := src.Mark()
	return src, mark, login(ctx, e, a.Login, a.Password, nil)
}

// currentCode gets a valid code of a 2FA account after the login that triggers it. Without one
// the spec skips: the must-level specs named report the cause.
func currentCode(ctx context.Context, e *env.Env, a config.Account) string {
	ginkgo.GinkgoHelper()
	src, mark, resp := challenge(ctx, e, a)
	if key(resp) != "" {
		ginkgo.Skip("the login without tfkey already gave " + a.Login + " a key (see newapikey.2fa.added-tf)")
	}
	return env.CodeOrSkip(ctx, src, mark, "newapikey.2fa.code-delivered")
}
