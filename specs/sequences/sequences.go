// Package sequences declares the model specs of a profile: one spec per rule of the
// document's model (package model), all judged by one exploration of random sequences of the
// document's operations (package explore). The exploration runs once per run and profile, in
// whichever of the specs runs first; each spec then reports its own rule: failed when the
// exploration found a sequence that breaks it (the shrunk sequence is the spec's transcript,
// so its reproducer replays it), skipped when this config or target cannot reach it or when
// the exploration judged no answer by it (NotJudged), passed when answers were judged by it and
// none broke it (the report entry CheckedEntry says how many).
package sequences

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/explore"
	"github.com/conformhq/conform/model"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// Register declares the model specs of d in b against e.
func Register(b *cite.Book, e *env.Env, d *model.Doc) {
	ginkgo.Describe("random sequences judged by the document's model", func() { register(b, e, d) })
}

// register declares the specs, inside Register's container. Ginkgo orders specs by their
// containers' code locations, file name first: this package's name sorts after every
// profile's and negative's, so the model specs run after the specs of the document's
// behaviors (a target that fails those fails them first, and cheaply).
func register(b *cite.Book, e *env.Env, d *model.Doc) {
	x := &exploration{}
	for _, key := range d.Order {
		req := d.Rules[key]
		b.It(req, "sends random sequences of the document's operations and judges every answer by the model", func(ctx ginkgo.SpecContext) {
			ginkgo.GinkgoHelper()
			rep, err := x.get(ctx, e, d)
			abortIfGone(err)
			if err != nil {
				if x.failedIn != "" && x.failedIn != req.ID {
					ginkgo.Skip("the exploration could not run (see " + x.failedIn + "): " + err.Error())
				}
				x.failedIn = req.ID
				ginkgo.Fail("the exploration could not run: " + err.Error())
			}
			if rep.Interrupted {
				ginkgo.Skip(fmt.Sprintf("the exploration was interrupted (seed %d)", rep.Seed))
			}
			if why := rep.Unreachable[key]; why != "" {
				ginkgo.Skip("the exploration cannot reach this rule: " + why)
			}
			if f := rep.ShouldFailure; f != nil && f.Rule == key {
				shown := *rep // the message shows the should-level failure as the failure
				shown.Failure = f
				rep = &shown
			}
			if f := rep.Failure; f != nil && f.Rule == key {
				if f.Reproduced && e.Client != nil {
					e.Client.Transcript().Restore(f.Exchanges)
				}
				if f.Unjudged != "" {
					ginkgo.AddReportEntry(UnjudgedEntry, f.Unjudged, ginkgo.ReportEntryVisibilityNever)
				}
				ginkgo.Fail(Message(rep, req, e.Profile))
			}
			if rep.Checked[key] == 0 {
				ginkgo.Skip(NotJudged(rep, key))
			}
			// How many answers the rule judged, none of them breaking it, is in the spec's
			// report entry.
			ginkgo.AddReportEntry(CheckedEntry, fmt.Sprintf("%d answers judged by this rule in %d steps (seed %d)", rep.Checked[key], rep.Steps, rep.Seed), ginkgo.ReportEntryVisibilityNever)
		})
	}
}

// NotJudged is why a rule that judged no answer is skipped: a pass would say it held where
// nothing tested it. It names the operation that never came up and why the exploration
// stopped: at the first failure of another rule, out of time, or with its steps spent.
func NotJudged(rep *explore.Report, key string) string {
	what := model.Judges(key)
	var why string
	switch {
	case rep.Failure != nil:
		why = fmt.Sprintf("the exploration stopped at its first discrepancy, after %d steps", rep.Steps)
	case rep.OutOfTime:
		why = fmt.Sprintf("--explore-time ran out after %d steps; give it more time", rep.Steps)
	default:
		why = fmt.Sprintf("%d steps (the budget of %d, and more while a rule had judged none) did not bring it; give it more with --explore-steps", rep.Steps, rep.Budget)
	}
	return fmt.Sprintf("the exploration (seed %d) judged no answer by this rule: %s never came up (%s)", rep.Seed, what, why)
}

// CheckedEntry names the report entry that says how many answers the exploration judged by a
// spec's rule.
const CheckedEntry = "conform-model-checked"

// UnjudgedEntry names the report entry that says why a failed model spec's reproducer cannot
// judge it (explore.Failure.Unjudged).
const UnjudgedEntry = "conform-model-unjudged"

// abortAfter is env's: how many failed requests in a row end the run.
const abortAfter = 3

// abortIfGone ends the run, as env.Do does, when the exploration met a target that stopped
// answering or throttles everything: every spec after would cost a timeout for nothing.
func abortIfGone(err error) {
	ginkgo.GinkgoHelper()
	var te *client.TransportError
	var th *explore.ThrottledError
	switch {
	case errors.As(err, &te) && te.Consecutive >= abortAfter:
		ginkgo.AbortSuite(fmt.Sprintf("the target stopped answering the exploration (%d requests in a row got no answer): %v", te.Consecutive, err))
	case errors.As(err, &th) && th.InRow >= abortAfter:
		ginkgo.AbortSuite(err.Error())
	}
}

// exploration is one profile's exploration in one run: the specs of its rules share it.
type exploration struct {
	done     bool
	rep      *explore.Report
	err      error
	failedIn string // the spec that reported err
}

func (x *exploration) get(ctx ginkgo.SpecContext, e *env.Env, d *model.Doc) (*explore.Report, error) {
	if !x.done {
		budget := e.Explore.WithDefaults()
		x.rep, x.err = explore.Explore(ctx, explore.Options{Doc: d, Wire: e.Wire, Config: e.Config, Client: e.Client, Sinks: e.Sinks,
			Seed: budget.Seed, Steps: budget.Steps, Time: budget.Time, Strict: e.Strict})
		x.done = x.err != nil || !x.rep.Interrupted
	}
	return x.rep, x.err
}

// Message is a failure of rule req as the report shows it: the rule and its sentence, the
// numbered steps of the shrunk sequence (what was sent, the answer, what the model allowed),
// the seed, and how to replay it.
func Message(rep *explore.Report, req cite.Requirement, profile string) string {
	f := rep.Failure
	var b strings.Builder
	fmt.Fprintf(&b, "the exploration (seed %d) found a sequence that breaks %s\n", rep.Seed, req.ID)
	fmt.Fprintf(&b, "  %s\n", req.Citation())
	fmt.Fprintf(&b, "found after %d steps in %d sequences; shrunk from %d operations to %d (%d attempts against the target, each starting clean)\n",
		rep.Steps, rep.Sequences, f.Found, len(f.Steps), f.Attempts)
	if !f.Reproduced {
		b.WriteString("the last replay of the shrunk sequence did not break the rule again: the target breaks it only now and then; these are the steps of the last attempt that did\n")
	}
	for i, s := range f.Steps {
		fmt.Fprintf(&b, "  %d. %s\n     %s -> %s\n     allowed: %s\n", i+1, s.What, s.Request, s.Answer, s.Allowed)
		if s.Together != "" {
			fmt.Fprintf(&b, "     released together: %s (sent at once; the model accepts their answers when some order of them explains them all)\n", s.Together)
		}
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	strict := ""
	if req.Level == cite.Should {
		strict = " --strict"
	}
	fmt.Fprintf(&b, "replay the exploration: conform run --seed %d --label-filter model --profile %s%s (the same sequences, as long as the target answers alike)", rep.Seed, profile, strict)
	return b.String()
}
