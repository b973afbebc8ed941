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
		// The challenge, the delivery of its code and the login with it on every 2FA account: a
		// server may keep them for one user and not another. The first requests go side by side.
		b.It(reqAddedTF, "sends each 2FA user's valid login without tfkey", func(ctx ginkgo.SpecContext) {
			accounts := e.TwoFactorAccounts()
			_, _, answers := challengeEach(ctx, e, accounts)
			for i, resp := range answers {
				a := accounts[i]
				// Doc 002's failure: status error.
				env.ExpectChallenged(a, resp.Get("status").Str == "error", resp, "@this")
				env.ExpectValueOf(a.Login, resp, "status", "success")
				env.ExpectValueOf(a.Login, resp, "success", "ADDED_TF")
				env.Expect(key(resp) == "", "no key before the code for "+a.Login, env.DescribeField(resp, "newapikey"))
			}
		})

		b.It(reqCodeDelivered, "sends each 2FA user's valid login without tfkey and waits for each code", func(ctx ginkgo.SpecContext) {
			accounts := e.TwoFactorAccounts()
			srcs, marks, _ := challengeEach(ctx, e, accounts)
			env.ExpectDeliveredEach(ctx, accounts, srcs, marks, "webhook")
		})

		b.It(reqTfkey, "sends each 2FA user's valid login again with tfkey set to the code", func(ctx ginkgo.SpecContext) {
			for _, a := range e.TwoFactorAccounts() {
				code := currentCode(ctx, e, a)
				resp := login(ctx, e, a.Login, a.Password, str(code))
				env.ExpectValueOf(a.Login, resp, "status", "success")
				env.ExpectValueOf(a.Login, resp, "success", "ADDED_KEY")
				// The second example answer in full, as the first login's (login.added-key):
				// newapikey an object with controlapikey an integer and a key.
				env.ExpectFieldOf(a.Login, resp, "newapikey", env.Object)
				env.ExpectFieldOf(a.Login, resp, "newapikey.controlapikey", env.Integer)
				env.ExpectFieldOf(a.Login, resp, "newapikey.key", env.NonEmptyString)
			}
		})

		// "If something is wrong with username, password or tfkey" for a 2FA user too, on
		// every 2FA account: without tfkey, and with the code the right password was just sent
		// (a server that checks the tfkey instead of the password logs anyone holding it in).
		b.It(reqWrongRefused, "sends each 2FA user's login with a wrong password, without tfkey and with its current code", func(ctx ginkgo.SpecContext) {
			for _, a := range e.TwoFactorAccounts() {
				wrong := env.Wrong(a.Password)
				for _, c := range []struct {
					what  string
					tfkey func() *string
				}{
					{"a wrong password and no tfkey", func() *string { return nil }},
					{"a wrong password and the current code", func() *string { return str(currentCode(ctx, e, a)) }},
				} {
					resp := login(ctx, e, a.Login, wrong, c.tfkey())
					env.Expect(key(resp) == "", "no key for "+a.Login+", "+c.what, env.DescribeField(resp, "newapikey"))
					env.ExpectValueOf(a.Login+", "+c.what, resp, "status", "error")
				}
			}
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
					owing := e.MarkLogins(ctx, a, o)
					src, osrc := e.Codes(a), e.Codes(o)
					mark, omark := src.Mark(ctx), osrc.Mark(ctx)
					answers := e.DoAll(ctx, loginRequest(e, a.Login, a.Password, nil), loginRequest(e, o.Login, o.Password, nil))
					owing.Owe(answers, texted)
					if key(answers[1]) != "" {
						ginkgo.Skip("the login without tfkey already gave " + o.Login + " a key (see newapikey.2fa.added-tf)")
					}
					other := env.CodeOrSkip(ctx, osrc, omark, "newapikey.2fa.code-delivered")
					mine, _ := src.Code(ctx, mark) // "" when none came: any other code is wrong
					// Four digits: the other user's code is, now and then, one this user was
					// given too (earlier codes may stay valid). Ask the other user a new one.
					for try := 0; env.Issued(src, other) && try < 3; try++ {
						omark = osrc.Mark(ctx)
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
	mark := src.Mark(ctx)
	return src, mark, login(ctx, e, a.Login, a.Password, nil)
}

// challengeEach sends the login without tfkey of every account side by side and returns each
// account's code source, the mark to read its code after, and its answer.
func challengeEach(ctx context.Context, e *env.Env, accounts []config.Account) ([]twofactor.Source, []uint64, []*client.Response) {
	ginkgo.GinkgoHelper()
	o := e.MarkLogins(ctx, accounts...)
	srcs, marks, reqs := make([]twofactor.Source, len(accounts)), make([]uint64, len(accounts)), make([]client.Request, len(accounts))
	for i, a := range accounts {
		srcs[i] = e.Codes(a)
		marks[i] = srcs[i].Mark(ctx)
		reqs[i] = loginRequest(e, a.Login, a.Password, nil)
	}
	answers := e.DoAll(ctx, reqs...)
	o.Owe(answers, texted)
	return srcs, marks, answers
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
