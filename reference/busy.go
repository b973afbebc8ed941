package reference

import (
	"sync"
	"time"
)

// busyRequests probes within busyWindow make the lptracker.busy-cache break's server "busy":
// 200/s sustained over a second. conform's specs alone stay well below it (the busiest, the
// logout race, sends about 80 probes in a few hundred milliseconds, then the run moves on);
// `conform run --under-load 400/s` keeps the server above it for the whole run.
const (
	busyRequests = 200
	busyWindow   = time.Second
	// busyCacheSize bounds the tokens the break remembers; it is emptied when full.
	busyCacheSize = 4096
)

// busyCache is the lptracker.busy-cache break: a server that, under load, sheds its session
// store by answering the probe from a cache of tokens it has seen valid. Nothing tells the
// cache of a logout or an expiry, so while the server is busy a logged-out or expired token
// still works; at the pace of one client (the specs alone) the cache is never consulted.
// Busy is measured in real time, not on the test clock: load is real.
type busyCache struct {
	mu       sync.Mutex
	arrivals [busyRequests]time.Time // ring of the last probes' arrival times
	next     int
	seen     map[string]bool
}

func newBusyCache() *busyCache { return &busyCache{seen: map[string]bool{}} }

// arrive records a probe arriving at now and reports whether the server is busy: the
// busyRequests probes before this one all arrived within busyWindow of it.
func (c *busyCache) arrive(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	oldest := c.arrivals[c.next] // the arrival busyRequests probes ago, zero before that many
	c.arrivals[c.next] = now
	c.next = (c.next + 1) % busyRequests
	return !oldest.IsZero() && now.Sub(oldest) < busyWindow
}

// has reports whether tok was seen valid.
func (c *busyCache) has(tok string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seen[tok]
}

// remember records tok as seen valid.
func (c *busyCache) remember(tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.seen) >= busyCacheSize {
		clear(c.seen)
	}
	c.seen[tok] = true
}
