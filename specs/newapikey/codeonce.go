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

// Doc 002 texts a code on each login of a 2FA user without tfkey (ADDED_TF) and does not say
// the earlier codes end. Accepted readings of the earlier code: USER_NOT_FOUND, or ADDED_TF with
// a new code, or any other answer without a key.
var reqCodeSuperseded = doc.Should("security.superseded-tfkey-refused", cite.Security, qAddedTF, negative.ReasonCodeSuperseded).RenderedFrom(cite.HTML)

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

	b.It(reqCodeSuperseded, "sends a 2FA user's valid login with a texted tfkey after a later one was texted", func(ctx ginkgo.SpecContext) {
		a := e.TwoFactorAccount(0)
		src, mark, resp := challenge(ctx, e, a)
		if key(resp) != "" {
			ginkgo.Skip("the login without tfkey already gave " + a.Login + " a key (see newapikey.2fa.added-tf)")
		}
		if !src.Delivered() {
			ginkgo.Skip("the account's code source (" + a.TwoFactor.Source + ") is not one the target sends: a later code supersedes a sent one (use webhook)")
		}
		earlier := env.CodeOrSkip(ctx, src, mark, "newapikey.2fa.code-delivered")
		_, mark, _ = challenge(ctx, e, a)
		if later := env.CodeOrSkip(ctx, src, mark, "newapikey.2fa.code-delivered"); later == earlier {
			ginkgo.Skip("the second tfkey texted is the first one again: no earlier tfkey to send")
		}
		resp = login(ctx, e, a.Login, a.Password, str(earlier))
		env.Expect(key(resp) == "", "no key for a tfkey texted before a later one", env.DescribeField(resp, "@this"))
	})
}
