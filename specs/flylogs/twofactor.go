package flylogs

import (
	"context"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func twoFactorSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("2FA", func() {
		b.It(reqNullWithout, "sends a valid login of a user without 2FA and reads two_factor", func(ctx ginkgo.SpecContext) {
			a := e.PlainAccount(0)
			resp := login(ctx, e, withKey, a.Login, a.Password, nil)
			env.ExpectField(resp, "response.two_factor", env.Null)
		})

		// The challenge and the delivery of its code on every 2FA account: a server may keep
		// them for one user and not another. The initial requests go side by side.
		b.It(reqCodeRequired, "sends each 2FA user's valid login with an empty code", func(ctx ginkgo.SpecContext) {
			accounts := e.TwoFactorAccounts()
			_, _, answers := challengeEach(ctx, e, accounts)
			for i, resp := range answers {
				a := accounts[i]
				// Doc 000's failure: result false and no two_factor at all.
				env.ExpectChallenged(a, resp.Get("response.result").Type == gjson.False && !resp.Get("response.two_factor").Exists(), resp, "response")
				env.ExpectFieldOf(a.Login, resp, "response.two_factor", env.False)
				env.Expect(!hasToken(resp), "no token before the code for "+a.Login, env.DescribeField(resp, "response.token"))
			}
		})

		b.It(reqCodeDelivered, "sends each 2FA user's valid login with an empty code and waits for each code", func(ctx ginkgo.SpecContext) {
			accounts := e.TwoFactorAccounts()
			srcs, marks, _ := challengeEach(ctx, e, accounts)
			env.ExpectDeliveredEach(ctx, accounts, srcs, marks, "smtp")
		})

		// "This case" is a wrong code too: it triggers the code mail again, as an empty code
		// does. A code is awaited after the wrong one (the same code again or a new one: the
		// document says a code is generated and mailed, not that it differs).
		b.It(reqCodeDelivered, "sends a 2FA user's valid login with a wrong code and waits for a code", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			code := currentCode(ctx, e, a)
			src := e.Codes(a)
			mark := src.Mark(ctx)
			resp := login(ctx, e, withKey, a.Login, a.Password, str(env.WrongCode(src, code)))
			if hasToken(resp) {
				ginkgo.Skip("the wrong code logged " + a.Login + " in (see flylogs.2fa.wrong-code-refused)")
			}
			env.ExpectDelivered(ctx, a, src, mark, "smtp")
		})
		b.It(reqWrongCode, "sends a 2FA user's valid login with a wrong code", func(ctx ginkgo.SpecContext) {
			a := e.TwoFactorAccount(0)
			code := currentCode(ctx, e, a)
			resp := login(ctx, e, withKey, a.Login, a.Password, str(env.WrongCode(e.Codes(a), code)))
			env.ExpectField(resp, "response.two_factor", env.False)
			env.Expect(!hasToken(resp), "no token for a wrong code", env.DescribeField(resp, "response.token"))
		})

		// The code in the forms a real comparison lets through (env.CodeForms: an empty code
		// and another user's code have their own specs, code-required and
		// code-bound-to-user): "not correct", so two_factor false and no token.
		for _, f := range []env.Form{env.FormPrefix, env.FormAppended} {
			b.It(reqWrongCode, "sends a 2FA user's valid login with "+f.What("code"), func(ctx ginkgo.SpecContext) {
				a := e.TwoFactorAccount(0)
				code := currentCode(ctx, e, a)
				resp := login(ctx, e, withKey, a.Login, a.Password, str(f.Of(code, "", "the code")))
				env.ExpectField(resp, "response.two_factor", env.False)
				env.Expect(!hasToken(resp), "no token for a wrong code", env.DescribeField(resp, "response.token"))
			})
		}

		// The login with the code on every 2FA account, one after the other: the shape of the
		// answer a server gives one user it may not give another.
		b.It(reqCorrectCode, "sends each 2FA user's valid login with the code", func(ctx ginkgo.SpecContext) {
			for _, a := range e.TwoFactorAccounts() {
				code := currentCode(ctx, e, a)
				resp := login(ctx, e, withKey, a.Login, a.Password, str(code))
				env.ExpectFieldOf(a.Login, resp, "response.result", env.True)
				env.ExpectFieldOf(a.Login, resp, "response.two_factor", env.True)
				env.ExpectFieldOf(a.Login, resp, "response.token", env.NonEmptyString)
			}
		})

		// "Incorrect email or password" for a 2FA user too, on every 2FA account: without a
		// code, and with the code the right password was just sent (a server that checks the
		// code instead of the password logs anyone holding the code in).
		b.It(reqWrongPassword, "sends each 2FA user's login with a wrong password, without a code and with its current code", func(ctx ginkgo.SpecContext) {
			for _, a := range e.TwoFactorAccounts() {
				wrong := env.Wrong(a.Password)
				expectRefusedFor(a.Login+", a wrong password and no code", login(ctx, e, withKey, a.Login, wrong, nil))
				code := currentCode(ctx, e, a)
				expectRefusedFor(a.Login+", a wrong password and the current code", login(ctx, e, withKey, a.Login, wrong, str(code)))
			}
		})

		b.It(reqOwnCode, "sends a 2FA user's valid login with another 2FA user's code", func(ctx ginkgo.SpecContext) {
			victim, other := e.TwoFactorAccount(0), e.TwoFactorAccount(1)
			// The victim waits for a code of its own, and gets the other user's.
			victimSrc, victimMark, code := challengeBoth(ctx, e, victim, other)
			victimSrc.Code(ctx, victimMark) // wait for the victim's own code, to know it
			if env.Issued(victimSrc, code) {
				ginkgo.Skip("the other user's code " + code + " is also one " + victim.Login + " was given: nothing to tell apart, run again")
			}
			resp := login(ctx, e, withKey, victim.Login, victim.Password, str(code))
			env.Expect(!hasToken(resp), "no token for "+victim.Login+" with "+other.Login+"'s code", env.DescribeField(resp, "response.token"))
			env.Expect(resp.Get("response.two_factor").Type.String() != "True", "two_factor not true", env.DescribeField(resp, "response.two_factor"))
		})
	})
}

// currentCode gets a valid code of a 2FA account: a delivered one after the initial request
// that triggers it, else the source's code now. Without one the spec skips: the must-level
// specs named report the cause.
func currentCode(ctx context.Context, e *env.Env, a config.Account) string {
	ginkgo.GinkgoHelper()
	src, mark, resp := challenge(ctx, e, a)
	if hasToken(resp) {
		ginkgo.Skip("the initial request without a code already logged " + a.Login + " in (see flylogs.2fa.code-required)")
	}
	return env.CodeOrSkip(ctx, src, mark, "flylogs.2fa.code-delivered")
}
