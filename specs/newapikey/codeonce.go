package newapikey

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
	"github.com/conformhq/conform/specs/negative"
)

// Doc 002 texts the code "to the users phone" and takes it back as tfkey; it does not say the
// code is used up. Accepted readings of the second use: USER_NOT_FOUND, or ADDED_TF with a new
// code, or any other answer without a key.
var reqCodeOnce = doc.Should("security.code-single-use", cite.Security, qTfkey, negative.ReasonCodeOnce).RenderedFrom(cite.HTML)

func codeOnceSpecs(b *cite.Book, e *env.Env) {
	b.It(reqCodeOnce, "sends a 2FA user's valid login with a texted tfkey twice", func(ctx ginkgo.SpecContext) {
		a := e.TwoFactorAccount(0)
		src, mark, resp := challenge(ctx, e, a)
		if key(resp) != "" {
			ginkgo.Skip("the login without tfkey already gave " + a.Login + " a key (see newapikey.2fa.added-tf)")
		}
		if !src.Delivered() {
			ginkgo.Skip("the account's code source (" + a.TwoFactor.Source + ") is not one the target sends: single use applies to sent codes (use webhook)")
		}
		code := env.CodeOrSkip(ctx, src, mark, "newapikey.2fa.code-delivered")
		if first := login(ctx, e, a.Login, a.Password, str(code)); key(first) == "" {
			ginkgo.Skip("the tfkey did not log " + a.Login + " in (see newapikey.2fa.tfkey)")
		}
		again := login(ctx, e, a.Login, a.Password, str(code))
		env.Expect(key(again) == "", "no key for a tfkey already used", env.DescribeField(again, "@this"))
	})
}
