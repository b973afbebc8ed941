package reference

import (
	"sync"
	"time"
)

// The concurrent interleaving breaks: behaviors only requests in flight together show (a
// login while a probe runs, two probes of one token at once). Requests sent one after the
// other never meet them; the model specs' exploration, which now and then releases a few
// operations together (package explore's groups), does. Each opens a window by holding its
// requests a moment, as a slow database round trip would, wide enough that two requests
// released together (by conform's barrier, or by a reproducer's background curls) overlap
// every time.

// defaultHold is Options.BreakHold's default.
const defaultHold = 100 * time.Millisecond

// holdLong is how long a break holds the request that acts on the others (a login, a
// logout): the window a request sent up to that much after it still falls into.
func (e *deps) holdLong() time.Duration { return e.hold }

// holdShort is how long a break holds the requests it acts on (a probe): the window a
// request sent up to that much before it still falls into.
func (e *deps) holdShort() time.Duration { return e.hold / 2 }

// spans records requests of one kind (probes, logouts) with the time each ran, so that a
// request of another kind can find those that ran while it did.
type spans struct {
	mu   sync.Mutex
	list []*span
}

// span is one request: its key (a token, a user) and when it ran; end is zero while it runs.
type span struct {
	key        string
	start, end time.Time
}

// maxSpans bounds the spans kept; past it the oldest that ended go.
const maxSpans = 256

// begin records a request of key from now on; pass it to done when the request ends.
func (s *spans) begin(key string) *span {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.list) >= maxSpans {
		kept := s.list[:0]
		for _, sp := range s.list {
			if sp.end.IsZero() || time.Since(sp.end) < time.Second {
				kept = append(kept, sp)
			}
		}
		if len(kept) >= maxSpans/2 {
			kept = append([]*span(nil), kept[len(kept)-maxSpans/2:]...)
		}
		s.list = kept
	}
	sp := &span{key: key, start: time.Now()}
	s.list = append(s.list, sp)
	return sp
}

// done ends sp.
func (s *spans) done(sp *span) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sp.end = time.Now()
}

// during returns the keys of the requests other than self that ran at some time since from.
func (s *spans) during(from time.Time, self *span) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, sp := range s.list {
		if sp != self && (sp.end.IsZero() || !sp.end.Before(from)) {
			out = append(out, sp.key)
		}
	}
	return out
}

// held runs a request of key recorded in s, held for hold first: what the request does after
// the hold sees the requests that overlapped it.
func (s *spans) held(key string, hold time.Duration) (sp *span, release func()) {
	sp = s.begin(key)
	time.Sleep(hold)
	return sp, func() { s.done(sp) }
}
