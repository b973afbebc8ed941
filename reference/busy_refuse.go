package reference

import (
	"sync"
	"time"
)

// The lptracker.busy-refuses-live break's thresholds: busy is busyRefuseRequests valid probes
// within busyWindow (100/s sustained over a second, which `conform run --under-load 200/s`
// keeps up and conform's specs alone never reach); then a token first probed more than
// busyRefuseAge ago (in real time) is refused two probes out of three.
const (
	busyRefuseRequests = 100
	busyRefuseAge      = 500 * time.Millisecond
	busyRefuseSeen     = 4096 // tokens remembered; emptied when full
)

// busyRefuse is the lptracker.busy-refuses-live break: a server whose session lookups fail
// under load for sessions that are no longer in a hot cache (here: first probed more than
// busyRefuseAge ago), answering the live token as an invalid one two times out of three. The
// specs' tokens are young when probed, so only a long-lived session under load, such as the
// load's own, meets it: only the load's answers show it.
type busyRefuse struct {
	mu        sync.Mutex
	arrivals  [busyRefuseRequests]time.Time
	next      int
	firstSeen map[string]time.Time
	n         uint64
}

func newBusyRefuse() *busyRefuse { return &busyRefuse{firstSeen: map[string]time.Time{}} }

// refuse records a probe of the live token tok at now and reports whether the break refuses it.
func (b *busyRefuse) refuse(tok string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	oldest := b.arrivals[b.next]
	b.arrivals[b.next] = now
	b.next = (b.next + 1) % busyRefuseRequests
	busy := !oldest.IsZero() && now.Sub(oldest) < busyWindow
	first, seen := b.firstSeen[tok]
	if !seen {
		if len(b.firstSeen) >= busyRefuseSeen {
			clear(b.firstSeen)
		}
		b.firstSeen[tok] = now
	}
	if !busy || !seen || now.Sub(first) < busyRefuseAge {
		return false
	}
	b.n++
	return b.n%3 != 0
}
