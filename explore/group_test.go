package explore

import (
	"math/rand/v2"
	"testing"

	"github.com/conformhq/conform/model"
)

// TestGroupMarksShortRunsWithoutClock: over many draws, groups are 2 to 4 consecutive
// operations with one number, never a Clock among them, the operations named by their
// place; and some groups are drawn at all.
func TestGroupMarksShortRunsWithoutClock(t *testing.T) {
	groups := 0
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 0))
		ops := make([]model.Op, 20)
		for i := range ops {
			ops[i].Kind = model.Kind(rng.IntN(4))
		}
		group(rand.New(rand.NewPCG(seed^groupStream, 0)), ops)
		for i := 0; i < len(ops); i++ {
			if ops[i].ID != i+1 {
				t.Fatalf("seed %d: operation %d named %d", seed, i, ops[i].ID)
			}
			n := groupLen(ops, i)
			if ops[i].Together == 0 {
				continue
			}
			groups++
			if n < groupMin || n > groupMax {
				t.Fatalf("seed %d: a group of %d at %d", seed, n, i)
			}
			for k := i; k < i+n; k++ {
				if ops[k].Kind == model.Clock {
					t.Fatalf("seed %d: a clock move in the group at %d", seed, i)
				}
			}
			if i > 0 && ops[i-1].Together == ops[i].Together {
				t.Fatalf("seed %d: group %d split", seed, ops[i].Together)
			}
			i += n - 1
		}
	}
	if groups == 0 {
		t.Fatal("no group drawn in 200 sequences")
	}
}

// TestRemovableSparesTheFailingStepAlone: shrinking may take out the last operation only when
// it is one of a group of several.
func TestRemovableSparesTheFailingStepAlone(t *testing.T) {
	alone := []model.Op{{}, {}, {}}
	grouped := []model.Op{{}, {Together: 1}, {Together: 1}}
	if removable(alone) != 2 || removable(grouped) != 3 || removable([]model.Op{{Together: 1}}) != 0 {
		t.Errorf("removable: %d, %d, want 2, 3", removable(alone), removable(grouped))
	}
}
