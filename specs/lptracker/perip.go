package lptracker

import (
	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func perIPSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the per-IP rule", func() {
		b.It(reqOneUserPerIP, "logs a second user in from the same client address", func(ctx ginkgo.SpecContext) {
			ip, _ := e.ClientIPs()
			first, second := e.Account(0), e.Account(1)
			tokA := logIn(ctx, e, first, 0, ip)
			resp := login(ctx, e, e.LoginRequest(second, 0), ip)
			tokB := resp.Get("result.token").String()
			if tokB != "" {
				cleanup(e, tokB, ip)
			}
			// The document does not say whether the second login is refused or ends the first
			// session; either keeps the invariant checked here.
			okA, _ := e.Probe(ctx, ip, withToken(e, tokA))
			okB := false
			if tokB != "" {
				okB, _ = e.Probe(ctx, ip, withToken(e, tokB))
			}
			env.Expect(!(okA && okB), "at most one user's token valid from "+ip+" (either the second login refused or the first session ended)",
				"both "+first.Login+" and "+second.Login+" have valid tokens from "+ip)
		})

		b.It(reqManyServices, "logs one user in from one client address with two services", func(ctx ginkgo.SpecContext) {
			ip, _ := e.ClientIPs()
			if len(e.Config.Services) < 2 {
				ginkgo.Skip("needs two services: add a second name to lptracker.services")
			}
			a := e.Account(0)
			tok1 := logIn(ctx, e, a, 0, ip)
			tok2 := logIn(ctx, e, a, 1, ip)
			ok1, resp1 := e.Probe(ctx, ip, withToken(e, tok1))
			ok2, resp2 := e.Probe(ctx, ip, withToken(e, tok2))
			env.Expect(ok1, "the token of service "+profile.Service(e.Config, 0)+" to stay valid", env.DescribeField(resp1, "status"))
			env.Expect(ok2, "the token of service "+profile.Service(e.Config, 1)+" to be valid", env.DescribeField(resp2, "status"))
		})

		b.It(reqIPsApart, "logs two users in from two client addresses", func(ctx ginkgo.SpecContext) {
			ip1, ip2 := e.ClientIPs()
			tokA := logIn(ctx, e, e.Account(0), 0, ip1)
			tokB := logIn(ctx, e, e.Account(1), 0, ip2)
			okA, respA := e.Probe(ctx, ip1, withToken(e, tokA))
			okB, respB := e.Probe(ctx, ip2, withToken(e, tokB))
			// A target that does not see the two addresses (client_ips header it does not trust)
			// sees one client here, and rightly ends the first session.
			env.Expect(okA, "the first user's token valid from "+ip1+" (if the target does not see "+ip1+" and "+ip2+
				" as two clients, e.g. it does not trust the client_ips header, it sees one IP here)", env.DescribeField(respA, "status"))
			env.Expect(okB, "the second user's token valid from "+ip2, env.DescribeField(respB, "status"))
		})
	})
}
