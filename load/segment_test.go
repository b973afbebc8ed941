package load

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

func TestParseSegment(t *testing.T) {
	for in, want := range map[string]Segment{"0/4": {0, 4}, "3/4": {3, 4}, " 0/1 ": {0, 1}} {
		if got, err := ParseSegment(in); err != nil || got != want {
			t.Errorf("ParseSegment(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"4/4", "-1/4", "1", "a/4", "0/0", "0/x", "1/100000"} {
		if _, err := ParseSegment(in); err == nil {
			t.Errorf("ParseSegment(%q): no error", in)
		}
	}
}

func TestSegmentFromEnv(t *testing.T) {
	t.Setenv("JOB_COMPLETION_INDEX", "2")
	if s, err := SegmentFromEnv(3); err != nil || s != (Segment{2, 3}) {
		t.Errorf("got %v, %v", s, err)
	}
	if _, err := SegmentFromEnv(2); err == nil || !strings.Contains(err.Error(), "[0, 1]") {
		t.Errorf("index 2 of 2: %v", err)
	}
}

// The shares' user ranges are disjoint, cover every user, and differ in size by at most one;
// their rates add up to the whole.
func TestSegmentUsersAndRate(t *testing.T) {
	for _, c := range []struct{ users, count int }{{10, 4}, {4, 4}, {100000, 7}, {5, 1}} {
		next, sum := 0, 0.0
		for i := range c.count {
			s := Segment{i, c.count}
			lo, hi := s.users(c.users)
			if lo != next || hi-lo < c.users/c.count || hi-lo > c.users/c.count+1 {
				t.Errorf("%d users, segment %v: [%d, %d) after %d", c.users, s, lo, hi, next)
			}
			next = hi
			sum += s.share(1600)
		}
		if next != c.users || sum < 1600-1e-9 || sum > 1600+1e-9 {
			t.Errorf("%d users over %d: covered %d, rate %g", c.users, c.count, next, sum)
		}
	}
	if (Segment{}).name("pod") != "pod" || (Segment{1, 4}).name("pod") != "pod#1/4" {
		t.Error("names")
	}
}

func TestSegmentCheck(t *testing.T) {
	if _, ok := segmentCheck([]string{"a", "b@100"}); ok {
		t.Error("a check without segments")
	}
	c, ok := segmentCheck([]string{"pod#0/3", "pod#2/3", "x#0/1", "other#1/2", "other#0/2"})
	if !ok || c.OK || c.Value != "pod of 3: 2/3 shares (missing 1); other of 2: 2/2 shares" {
		t.Errorf("got %+v", c)
	}
}

func TestSegmentOptions(t *testing.T) {
	o := Options{Profile: "jwt", Scenario: "validate", Rate: Rate{100, 100}, Users: 2, Segment: Segment{0, 4}}
	if err := o.Normalize(); err == nil || !strings.Contains(err.Error(), "--users") {
		t.Errorf("2 users over 4 segments: %v", err)
	}
	o = Options{Profile: "jwt", Scenario: "validate", Rate: Rate{100, 100}, FindMax: true, Segment: Segment{0, 2}}
	if err := o.Normalize(); err == nil || !strings.Contains(err.Error(), "--segment") {
		t.Errorf("find-max with a segment: %v", err)
	}
}

// While it waits for --start-at, a run says so at once and counts down; cancelled during the
// wait, it ends at once with the context's error and sends nothing.
func TestStartAtWaitIsVisibleAndCancellable(t *testing.T) {
	var lefts []time.Duration
	waitUntil(context.Background(), time.Now().Add(300*time.Millisecond), 20*time.Millisecond, func(d time.Duration) { lefts = append(lefts, d) })
	if len(lefts) < 2 || lefts[0] <= 0 || lefts[0] > 300*time.Millisecond || lefts[len(lefts)-1] >= lefts[0] {
		t.Errorf("waiting heard %v: want the time left at once, then counting down", lefts)
	}

	o := quick("jwt", "validate")
	o.StartAt = time.Now().Add(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o.Waiting = func(time.Duration) { cancel() }
	var sent atomic.Int64
	o.OnResult = func(*vegeta.Result) error { sent.Add(1); return nil }
	rep, err := Run(ctx, o)
	if rep != nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "waiting for --start-at") || sent.Load() != 0 {
		t.Errorf("report %v, error %v, %d sent: want the wait interrupted, nothing sent", rep, err, sent.Load())
	}
}
