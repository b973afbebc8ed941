package reference

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// clock is the server's time: real time plus an offset that only the test
// clock hook moves. Every expiry decision (lptracker idle TTL, JWT exp)
// reads it, so a spec can check a 24-hour rule by advancing 25 hours.
//
// With shared set (instances sharing one Redis), the offset lives in Redis,
// so a clock advanced through one instance has moved on every instance; a
// failed read keeps the last offset read.
type clock struct {
	offset atomic.Int64 // nanoseconds
	shared *store.Shared
}

// sharedClockTimeout bounds one read or move of a shared clock.
const sharedClockTimeout = time.Second

// Now returns the server time.
func (c *clock) Now() time.Time {
	if c.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedClockTimeout)
		defer cancel()
		if off, err := c.shared.ClockOffset(ctx); err == nil {
			c.offset.Store(int64(off))
		}
	}
	return time.Now().Add(time.Duration(c.offset.Load()))
}

// Advance moves the clock forward by d and returns the new time.
func (c *clock) Advance(d time.Duration) (time.Time, error) {
	if c.shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), sharedClockTimeout)
		defer cancel()
		off, err := c.shared.AdvanceClock(ctx, d)
		if err != nil {
			return time.Time{}, err
		}
		c.offset.Store(int64(off))
		return time.Now().Add(off), nil
	}
	c.offset.Add(int64(d))
	return c.Now(), nil
}

// clockPath is the test clock hook, at the server root whatever profiles
// are served.
const clockPath = "/__conform/clock"

// handleClock serves POST /__conform/clock?advance=<Go duration>.
func (s *Server) handleClock(w http.ResponseWriter, r *http.Request) {
	d, err := time.ParseDuration(r.URL.Query().Get("advance"))
	if err != nil || d < 0 {
		writeJSON(w, http.StatusBadRequest, map[string]string{
			"error": fmt.Sprintf("advance must be a non-negative Go duration such as 25h, got %q", r.URL.Query().Get("advance")),
		})
		return
	}
	now, err := s.clock.Advance(d)
	if err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "the shared clock could not move: " + err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"now": now.UTC().Format(time.RFC3339)})
}
