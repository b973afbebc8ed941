package flylogs

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 000 mails a code per login attempt and does not say how long it lasts.
var reqCodeOnce = doc.Should("security.code-single-use", cite.Security, qCorrect, negative.ReasonCodeOnce)

// Doc 000 mails a new code on each login without the right one ("triggers a code generation
// process and email") and does not say the earlier codes end.
var reqCodeSuperseded = doc.Should("security.superseded-code-refused", cite.Security, qFalse, negative.ReasonCodeSuperseded)

func codeOnceSpecs(b *cite.Book, e *env.Env) {
	b.It(reqCodeOnce, "sends a 2FA user's valid login with a delivered code twice", func(ctx ginkgo.SpecContext) {
		a := e.TwoFactorAccount(0)
		src, mark, resp := challenge(ctx, e, a)
		if hasToken(resp) {
			ginkgo.Skip("the initial request without a code already logged " + a.Login + " in (see flylogs.2fa.code-required)")
		}
		if !src.Delivered() {
			ginkgo.Skip("the account's code source (" + a.TwoFactor.Source + ") is not one the target sends: single use applies to sent codes (use smtp)")
		}
		code := env.CodeOrSkip(ctx, src, mark, "flylogs.2fa.code-delivered")
		if first := login(ctx, e, withKey, a.Login, a.Password, str(code)); !hasToken(first) {
			ginkgo.Skip("the code did not log " + a.Login + " in (see flylogs.2fa.correct-code)")
		}
		again := login(ctx, e, withKey, a.Login, a.Password, str(code))
		env.Expect(!hasToken(again), "no token for a code already used", env.DescribeField(again, "response.token"))
	})

	b.It(reqCodeSuperseded, "sends a 2FA user's valid login with a mailed code after a later code was mailed", func(ctx ginkgo.SpecContext) {
		a := e.TwoFactorAccount(0)
		src, mark, resp := challenge(ctx, e, a)
		if hasToken(resp) {
			ginkgo.Skip("the initial request without a code already logged " + a.Login + " in (see flylogs.2fa.code-required)")
		}
		if !src.Delivered() {
			ginkgo.Skip("the account's code source (" + a.TwoFactor.Source + ") is not one the target sends: a later code supersedes a sent one (use smtp)")
		}
		earlier := env.CodeOrSkip(ctx, src, mark, "flylogs.2fa.code-delivered")
		_, mark, _ = challenge(ctx, e, a)
		if later := env.CodeOrSkip(ctx, src, mark, "flylogs.2fa.code-delivered"); later == earlier {
			ginkgo.Skip("the second code mailed is the first one again: no earlier code to send")
		}
		resp = login(ctx, e, withKey, a.Login, a.Password, str(earlier))
		env.Expect(!hasToken(resp), "no token for a code mailed before a later one", env.DescribeField(resp, "response.token"))
	})
}
