package lptracker

import (
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

func ttlSpecs(b *cite.Book, e *env.Env) {
	ginkgo.Describe("the idle TTL", func() {
		// Both edges of the idle TTL (Clock.Edge: 1% of it with a clock hook, at least 2 s),
		// so that a server whose TTL is shorter or longer than declared fails. The edge
		// accepts a server that keeps times to the second, counts idle time from the login's
		// arrival rather than its answer, or evicts expired tokens by a sweep a little late.
		b.It(reqTTLWithin, "sends the probe just before the idle TTL runs out without activity", func(ctx ginkgo.SpecContext) {
			clock := e.TTLClock(ttl24h*time.Second, 1)
			tok := logIn(ctx, e, e.Account(0), 0, "")
			clock.Pass(ctx, clock.Idle()-clock.Edge())
			ok, resp := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(ok, "the token to work before the idle TTL ran out", env.DescribeField(resp, "status"))
		})

		b.It(reqTTLExpires, "sends the probe just after the idle TTL without activity", func(ctx ginkgo.SpecContext) {
			clock := e.TTLClock(ttl24h*time.Second, 1.1)
			tok := logIn(ctx, e, e.Account(0), 0, "")
			clock.PassExpiring(ctx, clock.Idle()+clock.Edge())
			ok, resp := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(!ok, "the token to be invalid after "+clock.Idle().String()+" without activity", env.DescribeField(resp, "status"))
		})

		b.It(reqTTLExtends, "uses the token at 0.6 of the idle TTL and again at 1.2", func(ctx ginkgo.SpecContext) {
			clock := e.TTLClock(ttl24h*time.Second, 1.2)
			tok := logIn(ctx, e, e.Account(0), 0, "")
			step := clock.Idle() * 6 / 10
			clock.Pass(ctx, step)
			ok, resp := e.Probe(ctx, "", withToken(e, tok))
			env.Expect(ok, "the token to work at 0.6 of the idle TTL", env.DescribeField(resp, "status"))
			clock.Pass(ctx, step)
			ok, resp = e.Probe(ctx, "", withToken(e, tok))
			env.Expect(ok, "the token to work 1.2 idle TTLs after login, since it was used at 0.6", env.DescribeField(resp, "status"))
		})
	})
}
