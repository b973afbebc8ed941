// Package explore is conform's model-based exploration: it generates random sequences of a
// document's operations (logins of each account with the right credentials and wrong forms of
// them, from each client address, for each service; the probe with any token ever issued,
// live, logged out, expired, another user's, superseded or forged, in each placement;
// logouts; moves of the target's clock on both sides of the idle TTL), sends them to the
// target through the document's wire, and checks every answer against the document's model
// (package model). A sequence the model cannot explain is shrunk against the target itself,
// each attempt starting clean (the tokens it made logged out), to the shortest that still
// breaks the same rule.
//
// The generator and the shrinker are conform's own: a PCG stream seeded from the run's seed
// (sequence k of a run uses the stream (seed, k)), and delta debugging over the operations of
// a failing sequence. pgregory.net/rapid, which conform's tests use to check the model itself,
// keeps its seed and budget in package flags and reports through a testing.TB, which a library
// run under `conform run` cannot share.
//
// Nothing here prints; the caller (package specs/sequences, the model specs) renders the Report.
package explore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/twofactor"
)

// Options is one profile's exploration.
type Options struct {
	// Doc is the document's model; Wire its wire; Config the profile's config section.
	Doc    *model.Doc
	Wire   profile.Wire
	Config *config.Profile
	// Client sends to the target; its transcript holds the shrunk sequence's exchanges when
	// Explore returns a failure.
	Client *client.Client
	// Sinks are the running code sinks, where the 2FA accounts' codes arrive; nil leaves the
	// 2FA accounts out.
	Sinks *twofactor.Sinks
	// Seed makes the sequences. Steps bounds the operations sent (up to reachFactor times
	// more while a rule the exploration can reach has judged no answer), Time the time spent
	// sending them; shrinking a failure has a budget of its own (ShrinkAttempts, ShrinkTime).
	Seed  uint64
	Steps int
	Time  time.Duration
	// ShrinkAttempts and ShrinkTime bound the shrinking; zero takes 150 and 30s.
	ShrinkAttempts int
	ShrinkTime     time.Duration
	// Strict is set in a --strict run: the exploration then also sends the operations only a
	// should-level rule judges (doc 002's key without the user name).
	Strict bool
}

// Report is what an exploration found.
type Report struct {
	Seed uint64
	// Sequences and Steps count what was sent (shrinking attempts left out); Took is how long.
	Sequences, Steps int
	Took             time.Duration
	// Checked counts, per rule key, the answers judged by that rule.
	Checked map[string]int
	// Notes say what the exploration could not explore with this config and target, as skips
	// say it: one account, one client address, no clock hook.
	Notes []string
	// Unreachable says, per rule key, why this config and target let the exploration not
	// reach the rule at all.
	Unreachable map[string]string
	// Budget is the step budget (Options.Steps); the exploration goes on past it, up to
	// reachFactor times it, while a rule it can reach has judged no answer (Checked).
	// OutOfTime says it stopped because Options.Time ran out.
	Budget    int
	OutOfTime bool
	// Failure is the first discrepancy found, shrunk; nil when none.
	Failure *Failure
	// ShouldFailure is the first discrepancy of a should-level rule, shrunk; the exploration
	// goes on after it, without the operations of should-level rules, so that a target that
	// chose another reading still has its must-level rules explored.
	ShouldFailure *Failure
	// Interrupted is set when the context ended first.
	Interrupted bool
}

// Failure is a sequence the model cannot explain, shrunk.
type Failure struct {
	// Rule is the key of the rule the last step broke.
	Rule string
	// Steps are the shrunk sequence's steps, the last one the discrepancy.
	Steps []Step
	// Found is how many operations the sequence had when first found; Attempts how many
	// shrinking attempts ran against the target.
	Found, Attempts int
	// Reproduced says the shrunk sequence, replayed once more from a clean start, broke the
	// rule again: its Exchanges are that replay's.
	Reproduced bool
	Exchanges  []*client.Exchange
	// Unjudged, when set, says why a reproducer replaying the steps through curl cannot judge
	// the failure (a step's wire form that curl rewrites).
	Unjudged string
}

// Step is one operation of a sequence as it went.
type Step struct {
	// What says what was sent in words; Request is its method and path; Answer the status and
	// the start of the body; Allowed what the model allowed, and why.
	What, Request, Answer, Allowed string
	// Rule is the key of the rule the answer was judged by ("" where anything was allowed).
	Rule string
	OK   bool
	// Together names the steps released together with this one ("steps 2-3"), "" when it
	// was sent alone.
	Together string
}

// Explore explores the target within o's budget. It returns an error when the exploration
// could not run (the target did not answer, the clock hook failed): not a discrepancy.
// Ctrl-C (ctx) stops it between two steps, with Report.Interrupted set.
func Explore(ctx context.Context, o Options) (*Report, error) {
	if o.ShrinkAttempts <= 0 {
		o.ShrinkAttempts = 150
	}
	if o.ShrinkTime <= 0 {
		o.ShrinkTime = 30 * time.Second
	}
	r, err := newRunner(o)
	if err != nil {
		return nil, err
	}
	rep := &Report{Seed: o.Seed, Checked: map[string]int{}, Notes: r.notes, Unreachable: map[string]string{}, Budget: o.Steps}
	for _, k := range o.Doc.Order {
		if why := r.unreachable(k); why != "" {
			rep.Unreachable[k] = why
		}
	}
	start := time.Now()
	defer func() { rep.Took = time.Since(start) }()
	for k := uint64(0); ; k++ {
		limit := o.Steps
		if !r.judgedAll(rep) {
			limit = reachFactor * o.Steps
		}
		if rep.Steps >= limit {
			break
		}
		if time.Since(start) >= o.Time {
			rep.OutOfTime = true
			break
		}
		rng := rand.New(rand.NewPCG(o.Seed, k))
		n := min(minLength+rng.IntN(maxLength-minLength+1), limit-rep.Steps)
		ops := r.generate(rng, n)
		group(rand.New(rand.NewPCG(o.Seed^groupStream, k)), ops)
		drawForms(rand.New(rand.NewPCG(o.Seed^formStream, k)), ops)
		drawKeys(rand.New(rand.NewPCG(o.Seed^keyStream, k)), ops, r.companyKeys)
		r.drawViews(rand.New(rand.NewPCG(o.Seed^viewStream, k)), ops)
		ops = drawCodes(rand.New(rand.NewPCG(o.Seed^codeStream, k)), ops, n)
		res, err := r.attempt(ctx, ops, rep.Checked)
		rep.Sequences++
		rep.Steps += res.sent
		if err != nil {
			return r.stopped(ctx, rep, err)
		}
		if res.failed {
			f, err := r.shrink(ctx, ops[:res.at+1], res)
			if err != nil {
				return r.stopped(ctx, rep, err)
			}
			if req, ok := o.Doc.Rule(f.Rule); ok && req.Level == cite.Should && rep.ShouldFailure == nil {
				rep.ShouldFailure, r.noShould = f, true
				continue
			}
			rep.Failure = f
			return rep, nil
		}
	}
	return rep, nil
}

// reachFactor bounds how far past its step budget an exploration goes while a rule it can
// reach has judged no answer yet: a rule's verdict says something only when the rule judged an
// answer, and which operations come up in a short budget is the seed's luck. The extension
// costs nothing where every rule was judged within the budget, and stays within Time.
const reachFactor = 10

// judgedAll reports whether every rule the setup lets the exploration reach has judged an
// answer.
func (r *runner) judgedAll(rep *Report) bool {
	for _, k := range r.o.Doc.Order {
		if rep.Unreachable[k] == "" && rep.Checked[k] == 0 {
			return false
		}
	}
	return true
}

// stopped is the report of an exploration that ended early: interrupted when ctx ended (the
// error is then the interruption's, not the target's), else the error.
func (r *runner) stopped(ctx context.Context, rep *Report, err error) (*Report, error) {
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		rep.Interrupted = true
		return rep, nil
	}
	return rep, err
}

// Sequence lengths: long enough for a login, some uses and an event between them, short
// enough that a budget of a few dozen steps tries several starts.
const (
	minLength = 6
	maxLength = 20
)

// ThrottledError is a target that still answered 429 after the client's retries: the
// exploration cannot judge a throttled answer, so it stops. InRow counts the requests in a
// row that failed or stayed throttled (client.Response.FailedInRow).
type ThrottledError struct{ InRow int }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("the target throttles the exploration's requests (HTTP 429 after conform's retries, %d in a row); lift its rate limit for conform's client", e.InRow)
}

// errClock is a clock hook that did not move the clock.
type errClock struct {
	status int
	hook   string
}

func (e *errClock) Error() string {
	return fmt.Sprintf("the clock hook %s answered HTTP %d: the exploration cannot move the target's clock (check ttl.clock_hook)", e.hook, e.status)
}
