package flylogs

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 000 mails a code per login attempt and does not say how long it lasts.
var reqCodeOnce = doc.Should("security.code-single-use", cite.Security, qCorrect, negative.ReasonCodeOnce)

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
}
