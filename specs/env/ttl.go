package env

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
)

// Clock moves a spec forward in the target's time: through the target's clock hook when the
// config names one, else by really waiting, which a spec may do only up to --max-wait.
type Clock struct {
	e    *Env
	idle time.Duration
}

// TTLClock returns a Clock for a profile whose idle TTL is documented as def when the config
// gives none. needed is the total time the spec will pass, as a multiple of the TTL; the spec
// is skipped, saying how to enable it, when that is longer than --max-wait and there is no hook.
func (e *Env) TTLClock(def time.Duration, needed float64) *Clock {
	ginkgo.GinkgoHelper()
	idle := def
	hook := false
	if t := e.Config.TTL; t != nil {
		idle = t.Idle
		hook = t.ClockHook != nil
	}
	if idle <= 0 {
		ginkgo.Skip(fmt.Sprintf("no idle TTL known: set %s.ttl.idle in the config", e.Profile))
	}
	total := time.Duration(needed * float64(idle))
	if !hook && total > e.MaxWait {
		ginkgo.Skip(fmt.Sprintf("would wait %s of real time (ttl.idle %s) but --max-wait is %s: raise --max-wait, or give %s.ttl.clock_hook (a test-only request that advances the target's clock)",
			total.Round(time.Millisecond), idle, e.MaxWait, e.Profile))
	}
	return &Clock{e: e, idle: idle}
}

// Idle returns the TTL in force.
func (c *Clock) Idle() time.Duration { return c.idle }

// Margin is how far before or past the TTL a spec looks: wide enough for a server that
// evicts expired tokens by a periodic sweep (a second late is reasonable against a 24 h TTL,
// but half of a 2 s test TTL), request latency and timer granularity.
func (c *Clock) Margin() time.Duration {
	return c.idle / 2
}

// Edge is how close to the TTL a spec looks on either side of it, so that a server whose TTL
// is shorter or longer than declared fails: 1% of the TTL with a clock hook, at least 2 s (a
// server may keep times to the second, or sweep expired tokens a little late); a tenth of it
// when waiting for real, at least 500 ms (the request's own latency counts as idle time on the
// server); never more than Margin.
func (c *Clock) Edge() time.Duration {
	e := max(c.idle/100, 2*time.Second)
	if c.e.Config.TTL == nil || c.e.Config.TTL.ClockHook == nil {
		e = max(c.idle/10, 500*time.Millisecond)
	}
	return min(e, c.Margin())
}

// PassExpiring is Pass for a spec that then judges a token expired: it also waits, in real
// time, the config's ttl.expiry_grace, the time the target may take to apply the expiry (a
// server that evicts by a periodic sweep reads the hooked clock on its next sweep, not at once).
func (c *Clock) PassExpiring(ctx context.Context, d time.Duration) {
	ginkgo.GinkgoHelper()
	c.Pass(ctx, d)
	grace := c.e.Config.TTL.Grace()
	if grace <= 0 {
		return
	}
	wait := time.NewTimer(grace)
	defer wait.Stop()
	select {
	case <-wait.C:
	case <-ctx.Done():
		ginkgo.Fail(fmt.Sprintf("stopped waiting out ttl.expiry_grace %s: %v", grace, context.Cause(ctx)))
	}
}

// Pass lets d of target time go by. A real wait ends as soon as ctx does (Ctrl-C cancels the
// spec's context), failing the spec where it stands.
func (c *Clock) Pass(ctx context.Context, d time.Duration) {
	ginkgo.GinkgoHelper()
	if c.e.Config.TTL == nil || c.e.Config.TTL.ClockHook == nil {
		wait := time.NewTimer(d)
		defer wait.Stop()
		select {
		case <-wait.C:
		case <-ctx.Done():
			ginkgo.Fail(fmt.Sprintf("stopped waiting out %s of idle TTL: %v", d.Round(time.Millisecond), context.Cause(ctx)))
		}
		return
	}
	h := c.e.Config.TTL.ClockHook
	ds := d.String()
	// The hook path is from the target's root, not the profile's base path.
	resp := c.e.DoRoot(ctx, client.Request{
		Method: h.Method,
		Path:   strings.ReplaceAll(h.Path, "{duration}", ds),
		Body:   strings.ReplaceAll(h.Body, "{duration}", ds),
	})
	if resp.Status >= 300 {
		ginkgo.Fail(fmt.Sprintf("clock hook %s %s answered %d: %s", h.Method, h.Path, resp.Status, http.StatusText(resp.Status)))
	}
}
