package load

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Segment is one generator's share of a load sent from several (a Kubernetes Indexed Job, N
// machines): share Index of Count, counted from 0 as Kubernetes' JOB_COMPLETION_INDEX counts.
// Each share sends 1/Count of the requested rate (of every stage) and owns a disjoint range of
// the users, and its attack name carries "#Index/Count", so that N shares merged by Merge never
// collide and Merge can tell whether every share is there. The zero value is the whole load.
type Segment struct {
	Index, Count int
}

// maxSegments bounds Count: more generators than that is a typo, not a plan.
const maxSegments = 10000

// ParseSegment reads "I/N" (0 <= I < N).
func ParseSegment(s string) (Segment, error) {
	i, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	if !ok {
		return Segment{}, fmt.Errorf("segment %q: want INDEX/COUNT, e.g. 0/4 (the index counts from 0, as JOB_COMPLETION_INDEX does)", s)
	}
	count, err := strconv.Atoi(n)
	if err != nil {
		return Segment{}, fmt.Errorf("segment %q: %q is not a number of segments", s, n)
	}
	return SegmentOf(i, count)
}

// SegmentFromEnv is share JOB_COMPLETION_INDEX of count: the index a Kubernetes Indexed Job
// gives each of its pods.
func SegmentFromEnv(count int) (Segment, error) {
	v, ok := os.LookupEnv("JOB_COMPLETION_INDEX")
	if !ok {
		return Segment{}, fmt.Errorf("JOB_COMPLETION_INDEX is not set: --segments reads the index a Kubernetes Indexed Job gives its pods; elsewhere use --segment INDEX/%d", count)
	}
	return SegmentOf(v, count)
}

// SegmentOf checks index (a decimal string) against count.
func SegmentOf(index string, count int) (Segment, error) {
	if count < 1 || count > maxSegments {
		return Segment{}, fmt.Errorf("%d segments is out of range [1, %d]", count, maxSegments)
	}
	i, err := strconv.Atoi(strings.TrimSpace(index))
	if err != nil || i < 0 || i >= count {
		return Segment{}, fmt.Errorf("segment index %q is out of range [0, %d] for %d segments (the index counts from 0)", index, count-1, count)
	}
	return Segment{Index: i, Count: count}, nil
}

// whole reports whether s is the whole load (no segment).
func (s Segment) whole() bool { return s.Count <= 1 }

func (s Segment) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// share is this segment's part of a rate.
func (s Segment) share(r float64) float64 {
	if s.whole() {
		return r
	}
	return r / float64(s.Count)
}

// users is this segment's range [lo, hi) of n users: the ranges of the N segments are disjoint
// and cover all n, their sizes differing by at most one.
func (s Segment) users(n int) (lo, hi int) {
	if s.whole() {
		return 0, n
	}
	return s.Index * n / s.Count, (s.Index + 1) * n / s.Count
}

// name is the attack name of this segment's results: NAME#I/N, whatever NAME is, so that two
// shares given the same --name (containers sharing a host name) still never collide.
func (s Segment) name(base string) string {
	if s.whole() {
		return base
	}
	return base + "#" + s.String()
}

// parseSegmentName reads the segment of an attack name written by name; ok is false for a
// name without one.
func parseSegmentName(attack string) (base string, s Segment, ok bool) {
	at := strings.LastIndexByte(attack, '#')
	if at < 0 {
		return "", Segment{}, false
	}
	seg, err := ParseSegment(attack[at+1:])
	if err != nil || seg.whole() {
		return "", Segment{}, false
	}
	return attack[:at], seg, true
}

// maxStartWait bounds --start-at: the shares of a distributed run start together within
// minutes of being scheduled; a start hours away is a mistake (a wrong date or time zone), and
// a run must always end.
const maxStartWait = time.Hour

// waitUntil sleeps until at (or ctx ends) and returns how late the start was: more than zero
// when at had already passed. While it waits, waiting (when set) hears the time left at once
// and then every `every`, so a user sees the run is waiting, not hung.
func waitUntil(ctx context.Context, at time.Time, every time.Duration, waiting func(time.Duration)) time.Duration {
	d := time.Until(at)
	if d <= 0 {
		return -d
	}
	t := time.NewTimer(d)
	defer t.Stop()
	var tick <-chan time.Time
	if waiting != nil {
		waiting(d)
		tk := time.NewTicker(every)
		defer tk.Stop()
		tick = tk.C
	}
	for {
		select {
		case <-t.C:
			return 0
		case <-ctx.Done():
			return 0
		case <-tick:
			if left := time.Until(at); left > 0 {
				waiting(left)
			}
		}
	}
}

// startSlack is how late a share may start after --start-at and still count as starting
// together with the others: the merged rate of shares a second apart is off by a second's worth.
const startSlack = time.Second

// judgeStart records the segment and the start in rep: a share that started more than
// startSlack after --start-at (its pod was scheduled late) breaks a "start-at" check, since the
// merged total then describes shares that did not run together.
func (e *prepared) judgeStart(rep *Report, late time.Duration) {
	o := e.o
	if !o.Segment.whole() {
		lo, hi := o.Segment.users(o.Users)
		total := o.Rate.String()
		if len(o.Stages) > 0 {
			total = StagesString(o.Stages)
		}
		rep.Segment = &SegmentInfo{Index: o.Segment.Index, Count: o.Segment.Count, TotalRate: total, UsersFrom: lo, UsersTo: hi}
	}
	if o.StartAt.IsZero() {
		return
	}
	rep.StartAt = o.StartAt.UTC().Format(time.RFC3339Nano)
	if late <= startSlack {
		return
	}
	msg := fmt.Sprintf("started %s after --start-at %s", late.Round(time.Millisecond), rep.StartAt)
	if o.Segment.whole() {
		rep.Notes = append(rep.Notes, msg)
		return
	}
	rep.Checks = append(rep.Checks, Check{Name: "start-at", Limit: "(start within " + startSlack.String() + " of --start-at)",
		Value: msg + ": the shares did not run together"})
}

// SegmentInfo is the share a report covers.
type SegmentInfo struct {
	Index     int    `json:"index"`
	Count     int    `json:"count"`
	TotalRate string `json:"total_rate"` // the rate of all shares together
	UsersFrom int    `json:"users_from"` // this share's users: [users_from, users_to)
	UsersTo   int    `json:"users_to"`
}

// segmentCheck is the "segments" check of merged results: for each distributed run among the
// attack names (NAME#I/N), every share 0..N-1 must be there, or the total is not the load that
// was asked for. ok is false when no name carries a segment.
func segmentCheck(attacks []string) (c Check, ok bool) {
	type run struct {
		count int
		seen  map[int]bool
	}
	runs := map[string]*run{}
	var order []string
	for _, a := range attacks {
		base, s, isSeg := parseSegmentName(a)
		if !isSeg {
			continue
		}
		key := fmt.Sprintf("%s of %d", base, s.Count)
		r := runs[key]
		if r == nil {
			r = &run{count: s.Count, seen: map[int]bool{}}
			runs[key] = r
			order = append(order, key)
		}
		r.seen[s.Index] = true
	}
	if len(runs) == 0 {
		return Check{}, false
	}
	c = Check{Name: "segments", Limit: "(every share of each distributed run)", OK: true}
	var parts []string
	for _, key := range order {
		r := runs[key]
		var missing []string
		for i := range r.count {
			if !r.seen[i] {
				missing = append(missing, strconv.Itoa(i))
			}
		}
		p := fmt.Sprintf("%s: %d/%d shares", key, len(r.seen), r.count)
		if len(missing) > 0 {
			c.OK = false
			p += " (missing " + strings.Join(missing, ", ") + ")"
		}
		parts = append(parts, p)
	}
	c.Value = strings.Join(parts, "; ")
	return c, true
}
