package explore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/model"
)

// Groups: now and then a few consecutive operations of a sequence are released together, each
// from its own goroutine held at a barrier until all are ready (as the race specs send), and
// their answers are judged by the model's Group: some order of them must explain them all.

// Group sizes and how often a group starts: about one operation in groupOdds starts a group
// of groupMin to groupMax operations (no Clock or 2FA operation among them).
const (
	groupOdds = 8
	groupMin  = 2
	groupMax  = 4
	// groupStream salts the seed of the stream that draws the groups, apart from the
	// operations' own: a sequence's operations are the same with or without its groups.
	groupStream = 0x67726f757073
)

// group names the operations of ops (model.Op.ID, their place from 1) and marks groups in
// them, drawing from rng: each group's operations get one number.
func group(rng *rand.Rand, ops []model.Op) {
	for i := range ops {
		ops[i].ID = i + 1
	}
	id := 0
	for i := 0; i < len(ops); i++ {
		if alone(ops[i]) || rng.IntN(groupOdds) != 0 {
			continue
		}
		want := groupMin + rng.IntN(groupMax-groupMin+1)
		n := 0
		for n < want && i+n < len(ops) && !alone(ops[i+n]) {
			n++
		}
		if n < groupMin {
			continue
		}
		id++
		for k := range n {
			ops[i+k].Together = id
		}
		i += n - 1
	}
}

// alone says op is never in a group: a Clock, and the 2FA operations, whose code a Submit
// picks from the codes the operations before it were sent (model.State.Resolve).
func alone(op model.Op) bool {
	return op.Kind == model.Clock || op.Kind == model.Challenge || op.Kind == model.Submit
}

// groupLen is how many operations from ops[at] on are released together with it: 1 for an
// operation sent alone.
func groupLen(ops []model.Op, at int) int {
	id := ops[at].Together
	if id == 0 {
		return 1
	}
	n := 1
	for at+n < len(ops) && ops[at+n].Together == id {
		n++
	}
	return n
}

// runGroup sends the n operations of ops from at on together, judges their answers by the
// model's Group and appends their steps to res. It says whether the group broke a rule.
func (r *runner) runGroup(ctx context.Context, st *model.State, ops []model.Op, at, n int, checked map[string]int, res *attemptResult) (bool, error) {
	var members []model.Op
	var reqs []client.Request
	var whats []string
	for _, op := range ops[at : at+n] {
		req, what, ok := r.request(st, op)
		if !ok {
			continue // a probe or logout before any token: nothing to send
		}
		res.pick(st, op)
		members = append(members, op)
		reqs = append(reqs, req)
		whats = append(whats, what)
	}
	if len(members) == 0 {
		return false, nil
	}
	if len(reqs) > 1 {
		for i := range reqs {
			reqs[i].Together = members[0].Together
		}
	}
	resps, errs := r.together(ctx, reqs)
	for i, err := range errs {
		if err != nil {
			return false, fmt.Errorf("%s: %w", whats[i], err)
		}
	}
	res.sent += len(reqs)
	as := make([]model.Answer, len(members))
	for i, resp := range resps {
		if resp.Throttled {
			return false, &ThrottledError{InRow: resp.FailedInRow}
		}
		as[i] = r.classify(st, members[i], resp)
	}
	g := st.Group(members, as)
	first := len(res.steps) + 1
	together := ""
	if len(members) > 1 {
		together = fmt.Sprintf("steps %d-%d", first, first+len(members)-1)
	}
	for i, j := range g.Judgements {
		if checked != nil && g.OK() {
			for _, k := range []string{j.Rule, j.Also} {
				if k != "" {
					checked[k]++
				}
			}
		}
		allowed := j.Allowed
		if !g.OK() && i == g.Failed && len(members) > 1 {
			allowed = fmt.Sprintf("no order of %s (released together) explains their answers; in the order %s, which explains the most of them: %s", together, orderText(g.Order, first), allowed)
		}
		req := reqs[i]
		res.steps = append(res.steps, Step{What: whats[i], Request: req.Method + " " + pathOnly(req.Path), Answer: answerText(resps[i]), Allowed: allowed, Rule: j.Rule, OK: j.OK, Together: together})
	}
	if !g.OK() {
		res.failed, res.at, res.rule = true, at+n-1, g.Judgements[g.Failed].Rule
		return true, nil
	}
	return false, nil
}

// orderText is an order of a group as step numbers, the group's first step numbered first.
func orderText(order []int, first int) string {
	s := make([]string, len(order))
	for i, k := range order {
		s[i] = fmt.Sprint(first + k)
	}
	return strings.Join(s, ", ")
}

// together sends reqs at once, each from its own goroutine: every goroutine waits at a
// barrier until all are ready, then all are released (the race specs' technique, env's
// Together), so the requests reach the target within a moment of each other.
func (r *runner) together(ctx context.Context, reqs []client.Request) ([]*client.Response, []error) {
	out := make([]*client.Response, len(reqs))
	errs := make([]error, len(reqs))
	var ready, done sync.WaitGroup
	release := make(chan struct{})
	for i, req := range reqs {
		ready.Add(1)
		done.Go(func() {
			ready.Done()
			<-release
			out[i], errs[i] = r.o.Client.Do(ctx, req)
		})
	}
	ready.Wait()
	close(release)
	done.Wait()
	return out, errs
}

// ungroup tries each group of ops sent one operation after the other, in each order of its
// members, and returns the first such sequence that fails still (fails, within budget).
func ungroup(ops []model.Op, fails func([]model.Op) ([]model.Op, bool, error), budget func() bool) ([]model.Op, bool, error) {
	for i := 0; i < len(ops); i++ {
		n := groupLen(ops, i)
		if n < 2 {
			continue
		}
		for _, order := range model.Orders(n) {
			if !budget() {
				return nil, false, nil
			}
			cand := slices.Clone(ops)
			for k, j := range order {
				cand[i+k] = ops[i+j]
				cand[i+k].Together = 0
			}
			if kept, ok, err := fails(cand); err != nil || ok {
				return kept, ok, err
			}
		}
		i += n - 1
	}
	return nil, false, nil
}
