package reference

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/conformhq/conform/reference/store"
	"github.com/conformhq/conform/reference/store/redistest"
)

// TestCodesAndClockAreSharedThroughRedis is two instances' code books and clocks on one
// Redis: a code one issued is taken once by the other, and a clock one moved has moved on
// both.
func TestCodesAndClockAreSharedThroughRedis(t *testing.T) {
	shared := store.NewRedis(redistest.Start(t), "conform-test:").Shared()
	a, b := newCodeBook("flylogs", 6), newCodeBook("flylogs", 6)
	a.shared, b.shared = shared, shared
	u := &User{ID: 7}
	now := time.Now()

	code := a.issue(u, now, false)
	var taken atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if b.consume(u, code, now, exact) {
				taken.Add(1)
			}
		})
	}
	wg.Wait()
	if taken.Load() != 1 {
		t.Errorf("the code issued on a was taken %d times on b, want once", taken.Load())
	}
	if b.consume(&User{ID: 8}, a.issue(u, now, false), now, exact) {
		t.Error("another user took u's code")
	}
	if late := a.issue(u, now, false); b.consume(u, late, now.Add(codeTTL), exact) {
		t.Error("an expired code was taken")
	}

	ca, cb := &clock{shared: shared}, &clock{shared: shared}
	before := cb.Now()
	if _, err := ca.Advance(25 * time.Hour); err != nil {
		t.Fatal(err)
	}
	if moved := cb.Now().Sub(before); moved < 25*time.Hour {
		t.Errorf("b's clock moved %s after a advanced 25h", moved)
	}
}
