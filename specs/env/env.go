// Package env is what a profile's specs see of the run: the target, the profile's config
// section and the run's limits. Its helpers fail or skip the running spec with a message that
// says what to change, so the specs themselves stay one behavior each.
package env

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/twofactor"
)

// Env is one profile's view of the run. The runner fills it before the specs run; container
// bodies must not read it (they also run in dry runs, such as `conform list`).
type Env struct {
	// Profile is the profile name, e.g. lptracker.
	Profile string
	// Wire is how the profile's document logs in and carries its token.
	Wire profile.Wire
	// Client sends to the server under test.
	Client *client.Client
	// Config is the profile's section of the target config.
	Config *config.Profile
	// Strict is set when should-level specs run too.
	Strict bool
	// MaxWait is the longest real wait a spec may make for a TTL.
	MaxWait time.Duration
	// Sinks are the running code sinks (smtp, webhook); nil when the config starts none.
	Sinks *twofactor.Sinks
	// Race is how hard the race specs push: requests released together, and rounds.
	Race Race
	// Proofs are the config values that proved right against the target earlier in the run
	// (ConfigWorked), shared by every Env of the run; nil in a dry run.
	Proofs *Proofs
	// Explore is the budget and seed of the model specs' exploration (package explore).
	Explore Explore
}

// Explore is how long the model specs explore a profile, and from which seed.
type Explore struct {
	// Seed makes the exploration's sequences; one seed gives the same sequences again.
	Seed uint64
	// Steps bounds the operations sent per profile (up to 10 times as many while a rule the
	// exploration can reach has judged no answer: explore.Options.Steps), Time the time spent
	// sending them (not counting the shrinking of a failure). Zero takes DefaultExploreSteps,
	// DefaultExploreTime.
	Steps int
	Time  time.Duration
}

// The exploration's default budget per profile: small enough that the embedded run (make
// demo) stays quick; CI gives more with --explore-steps and --explore-time.
const (
	DefaultExploreSteps = 60
	DefaultExploreTime  = 2 * time.Second
)

// WithDefaults fills the zero fields of x.
func (x Explore) WithDefaults() Explore {
	if x.Steps <= 0 {
		x.Steps = DefaultExploreSteps
	}
	if x.Time <= 0 {
		x.Time = DefaultExploreTime
	}
	return x
}

// abortAfter is how many failed requests in a row end the run: no answer, an answer whose
// body stalled or broke off, or a 429 that outlasted conform's retries. A target that died or
// throttles everything mid-run would otherwise cost a timeout per remaining spec.
const abortAfter = 3

// Do sends r with the profile's base path put before r.Path, within ctx (the spec's
// SpecContext, which Ctrl-C cancels). A request that gets no answer fails the spec; after a few
// in a row it aborts the run, naming the client. A request conform refuses to send (see
// client.RefusalError) fails the spec and says it was conform's refusal.
func (e *Env) Do(ctx context.Context, r client.Request) *client.Response {
	ginkgo.GinkgoHelper()
	r.Path = e.Config.BasePath + r.Path
	return e.DoRoot(ctx, r)
}

// DoRoot is Do with r.Path taken from the target's root, for test hooks outside the profile.
func (e *Env) DoRoot(ctx context.Context, r client.Request) *client.Response {
	ginkgo.GinkgoHelper()
	resp, err := e.Client.Do(ctx, r)
	if err != nil {
		e.noAnswer(ctx, r, err)
	}
	e.throttled(resp)
	return resp
}

// throttled aborts the run when the target answered 429 to several requests in a row, even
// after conform's retries: every remaining spec would be judged on a throttled answer.
func (e *Env) throttled(resp *client.Response) {
	ginkgo.GinkgoHelper()
	if resp.Throttled && resp.FailedInRow >= abortAfter {
		ginkgo.AbortSuite(fmt.Sprintf("target %s throttles every request (%d requests in a row still answered 429 after conform's retries); lift its rate limit for conform's client", e.Client.URL(), resp.FailedInRow))
	}
}

// noAnswer fails the spec for a request that got no answer, and aborts the run when the target
// stopped answering.
func (e *Env) noAnswer(ctx context.Context, r client.Request, err error) {
	ginkgo.GinkgoHelper()
	if ctx.Err() != nil {
		// Interrupted or timed out: Ginkgo has recorded why. The target is not to blame.
		ginkgo.Fail(fmt.Sprintf("stopped waiting for %s %s: %v", r.Method, r.Path, context.Cause(ctx)))
	}
	var te *client.TransportError
	if errors.As(err, &te) && te.Consecutive >= abortAfter {
		ginkgo.AbortSuite(fmt.Sprintf("target %s stopped answering (%d requests in a row got no answer, or no whole answer in time); the last: %v", e.Client.URL(), te.Consecutive, te))
	}
	ginkgo.Fail(client.Printable(err.Error()))
}

// DoAll is Do for requests that do not depend on each other (one login per account): it sends
// them side by side and returns the answers in order, so that a spec trying every account
// costs about one login's wait on a target that serves requests concurrently. Specs of a
// document whose rules tie requests together (one user per client IP) send one at a time.
func (e *Env) DoAll(ctx context.Context, rs ...client.Request) []*client.Response {
	ginkgo.GinkgoHelper()
	return e.sendAll(ctx, false, rs)
}

// sendAll sends rs each from its own goroutine, with the profile's base path as Do puts it,
// and returns the answers in order. With barrier, every goroutine waits until all are ready
// and all are released at once (Together). A request that got no answer fails the spec once
// all have finished, on the spec's goroutine, where Ginkgo's failures belong.
func (e *Env) sendAll(ctx context.Context, barrier bool, rs []client.Request) []*client.Response {
	ginkgo.GinkgoHelper()
	out := make([]*client.Response, len(rs))
	errs := make([]error, len(rs))
	sent := make([]client.Request, len(rs))
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for i, r := range rs {
		r.Path = e.Config.BasePath + r.Path
		sent[i] = r
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			if barrier {
				<-release
			}
			out[i], errs[i] = e.Client.Do(ctx, r)
		})
	}
	ready.Wait()
	close(release)
	done.Wait()
	for i, err := range errs {
		if err != nil {
			e.noAnswer(ctx, sent[i], err)
		}
	}
	for _, resp := range out {
		e.throttled(resp)
	}
	return out
}

// Account returns account i of the config, skipping the spec when there are not enough.
func (e *Env) Account(i int) config.Account {
	ginkgo.GinkgoHelper()
	if i >= len(e.Config.Accounts) {
		ginkgo.Skip(fmt.Sprintf("needs %d accounts; %s.accounts has %d: add another existing user to the config", i+1, e.Profile, len(e.Config.Accounts)))
	}
	return e.Config.Accounts[i]
}

// ClientIPs returns two client addresses, skipping the spec when the run has none.
func (e *Env) ClientIPs() (string, string) {
	ginkgo.GinkgoHelper()
	ips, why := e.Client.ClientIPs()
	if len(ips) < 2 {
		ginkgo.Skip("per-IP spec needs two client addresses: " + why)
	}
	return ips[0], ips[1]
}

// Probe sends the config's probe request, with authorize placing the token on it, and says
// whether the target accepted the token: a status in probe.valid_status (default 2xx) and
// every probe.valid_json path holding its value.
func (e *Env) Probe(ctx context.Context, from string, authorize func(*client.Request)) (bool, *client.Response) {
	ginkgo.GinkgoHelper()
	resp := e.Do(ctx, e.ProbeRequest(from, authorize))
	return ProbeAccepted(e.Config.Probe, resp), resp
}

// ProbeAccepted applies the probe's validity rule to an answer.
func ProbeAccepted(p *config.Probe, resp *client.Response) bool {
	return p.Rule().Refusal(resp.Status, resp.Body) == ""
}
