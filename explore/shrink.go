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
// which ends the sequence). Then it replays the shortest once more from a clean start, with
// the client's transcript reset, so the transcript holds that replay alone.
func (r *runner) shrink(ctx context.Context, ops []model.Op, first attemptResult) (*Failure, error) {
	rule := first.rule
	f := &Failure{Rule: rule, Found: len(ops), Steps: first.steps}
	deadline := time.Now().Add(r.o.ShrinkTime)
	budget := func() bool { return f.Attempts < r.o.ShrinkAttempts && time.Now().Before(deadline) && ctx.Err() == nil }
	fails := func(cand []model.Op) ([]model.Op, bool, error) {
		f.Attempts++
		res, err := r.attempt(ctx, cand, nil)
		if err != nil || !res.failed || res.rule != rule {
			return nil, false, err
		}
		f.Steps = res.steps
		return cand[:res.at+1], true, nil
	}
	for chunk := len(ops) / 2; chunk >= 1 && budget(); chunk /= 2 {
		for start := 0; start < len(ops)-1 && budget(); {
			// The last operation is the discrepancy: it stays.
			end := min(start+chunk, len(ops)-1)
			cand := slices.Concat(ops[:start], ops[end:])
			kept, ok, err := fails(cand)
			if err != nil {
				return nil, err
			}
			if ok {
				ops = kept
				continue
			}
			start = end
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
			break
		}
	}
	return f, nil
}
