package lptracker

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func logoutSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("POST /logout", func() {
		b.It(reqLogoutShape, "sends a logout with the token and no body", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.Account(0), 0, "")
			resp := logout(ctx, e, tok, "")
			env.ExpectValue(resp, "status", "success")
			env.ExpectField(resp, "result", env.True)
		})

		b.It(reqLogoutDeletes, "sends the probe with a token after logging it out", func(ctx ginkgo.SpecContext) {
			tok := logIn(ctx, e, e.Account(0), 0, "")
			ok, resp := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(ok, "the probe to accept the token before logout", env.DescribeField(resp, "status"))
			logout(ctx, e, tok, "")
			ok, resp = e.Probe(ctx, "", withToken(e, tok))
			env.Expect(!ok, "the probe to refuse the token after logout", env.DescribeField(resp, "status"))
		})

		// Readings accepted: any answer to the logout itself (logout.success-shape judges it);
		// the logged-out token in any state (logout.deletes-token judges it). Required: the same
		// user's token of another service, logged in from the same address, is still accepted.
		// A target that never keeps two services' tokens valid at once fails per-ip.many-services,
		// and this spec then skips: it has nothing to show.
		b.It(reqLogoutOthersKept, "logs one user in from one client address with two services, logs the first out and sends the probe with the second's token", func(ctx ginkgo.SpecContext) {
			if len(e.Config.Services) < 2 {
				ginkgo.Skip("needs two services: add a second name to lptracker.services")
			}
			ip, _ := e.ClientIPs()
			a := e.Account(0)
			tok1 := logIn(ctx, e, a, 0, ip)
			tok2 := logIn(ctx, e, a, 1, ip)
			ok1, _ := e.Probe(ctx, ip, withToken(e, tok1))
			ok2, _ := e.Probe(ctx, ip, withToken(e, tok2))
			if !ok1 || !ok2 {
				ginkgo.Skip("the target does not keep one user's tokens of two services valid at once (per-ip.many-services): no other service's token to keep")
			}
			logout(ctx, e, tok1, ip)
			ok, resp := e.Probe(ctx, ip, withToken(e, tok2))
			env.Expect(ok, "the token of service "+profile.Service(e.Config, 1)+" still valid after the logout of the token of "+profile.Service(e.Config, 0)+
				" (the logout deletes the token it carries)", env.DescribeField(resp, "status"))
		})

		b.It(reqLogoutToken, "sends a logout without a token", func(ctx ginkgo.SpecContext) {
			logIn(ctx, e, e.Account(0), 0, "")
			resp := logout(ctx, e, "", "")
			env.Expect(resp.Get("status").String() != "success", "a logout without a token not to succeed", env.DescribeField(resp, "status"))
		})

		// A token no login issued: no session to delete (should: reqLogoutUnknown says why). No
		// login first: nothing the logout could end by mistake.
		b.It(reqLogoutUnknown, "sends a logout with a token the target never issued", func(ctx ginkgo.SpecContext) {
			resp := logout(ctx, e, "conform-never-issued-0123456789", "")
			env.Expect(resp.Get("status").String() != "success", "a logout with a token no login issued not to succeed", env.DescribeField(resp, "status"))
		})
	})
}
