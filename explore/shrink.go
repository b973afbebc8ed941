package explore

import (
	"context"
	"slices"
	"time"

	"github.com/conformhq/conform/model"
)

// shrink makes ops, which broke rule, as short as it can while it still breaks rule against
// the target, by delta debugging: take out chunks of operations, halving the chunk size, and
// keep each removal after which a clean attempt still breaks the rule (up to the failing step,
// which ends the sequence), then sends each operation in the wire's own form where the rule
// still breaks so. Then it replays the shortest once more from a clean start, with
// the client's transcript reset, so the transcript holds that replay alone.
func (r *runner) shrink(ctx context.Context, ops []model.Op, first attemptResult) (*Failure, error) {
	rule := first.rule
	f := &Failure{Rule: rule, Found: len(ops), Steps: first.steps, Unjudged: unjudgedForm(first.formOf)}
	// Each use keeps the token it used, whichever operations go (model.Op.Of).
	ops = slices.Clone(ops)
	for i, op := range ops {
		if of, ok := first.picks[op.ID]; ok && op.ID != 0 {
			ops[i].Of = of
		}
	}
	deadline := time.Now().Add(r.o.ShrinkTime)
	budget := func() bool { return f.Attempts < r.o.ShrinkAttempts && time.Now().Before(deadline) && ctx.Err() == nil }
	fails := func(cand []model.Op) ([]model.Op, bool, error) {
		f.Attempts++
		res, err := r.attempt(ctx, cand, nil)
		if err != nil || !res.failed || res.rule != rule {
			return nil, false, err
		}
		f.Steps, f.Unjudged = res.steps, unjudgedForm(res.formOf)
		// Each use is pinned to the token it used in this attempt: a use whose pinned login
		// went picks another token by its index, which a later removal would move again.
		kept := cand[:res.at+1]
		for i := range kept {
			if of, ok := res.picks[kept[i].ID]; ok && kept[i].ID != 0 {
				kept[i].Of = of
			}
		}
		return kept, true, nil
	}
	ddmin := func() error {
		for chunk := len(ops) / 2; chunk >= 1 && budget(); {
			removed := false
			for start := 0; start < removable(ops) && budget(); {
				// The last operation is the discrepancy: it stays, unless it is one of a
				// group (the group's discrepancy may need only its other members).
				end := min(start+chunk, removable(ops))
				cand := slices.Concat(ops[:start], ops[end:])
				kept, ok, err := fails(cand)
				if err != nil {
					return err
				}
				if ok {
					ops, removed = kept, true
					continue
				}
				start = end
			}
			// Single operations are tried again while a pass took one out: an operation
			// kept because a later one needed it may go once that one went, and a group's
			// answers come in the order the target ran them, which a busy machine changes.
			if chunk > 1 || !removed {
				chunk /= 2
			}
		}
		return nil
	}
	if err := ddmin(); err != nil {
		return nil, err
	}
	// A failure that needs no requests in flight together is shown without them: each group
	// left is tried one operation after the other, in each order, and the removals again.
	for budget() {
		kept, ok, err := ungroup(ops, fails, budget)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		ops = kept
		if err := ddmin(); err != nil {
			return nil, err
		}
	}
	// Then each operation sent in another wire form goes in the wire's own, where the rule
	// still breaks so: the failure shows a form only where it matters.
	for i := 0; i < len(ops) && budget(); i++ {
		if ops[i].Form == 0 {
			continue
		}
		cand := slices.Clone(ops)
		cand[i].Form = 0
		kept, ok, err := fails(cand)
		if err != nil {
			return nil, err
		}
		if ok {
			ops = kept
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The replay whose exchanges the report shows; a target that breaks the rule only now and
	// then may pass it, and the steps are then the last failing attempt's.
	for range 3 {
		r.o.Client.Transcript().Reset()
		st := model.New(r.o.Doc, r.setup)
		res, err := r.run(ctx, st, ops, nil)
		ex := r.o.Client.Transcript().Exchanges()
		if cerr := r.cleanup(st); err == nil && ctx.Err() == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
		if res.failed && res.rule == rule {
			f.Steps, f.Reproduced, f.Exchanges = res.steps, true, ex
			f.Unjudged = unjudgedForm(res.formOf)
			break
		}
	}
	return f, nil
}

// removable is how many operations of ops, from the first, shrinking may take out: all but
// the last, or all when the last is one of a group of several.
func removable(ops []model.Op) int {
	n := len(ops)
	if n > 1 && ops[n-1].Together != 0 && ops[n-2].Together == ops[n-1].Together {
		return n
	}
	return n - 1
}
