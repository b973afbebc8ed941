package reference

import (
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// clock is the server's time: real time plus an offset that only the test
// clock hook moves. Every expiry decision (lptracker idle TTL, JWT exp)
// reads it, so a spec can check a 24-hour rule by advancing 25 hours.
type clock struct {
	offset atomic.Int64 // nanoseconds
}

// Now returns the server time.
func (c *clock) Now() time.Time {
	return time.Now().Add(time.Duration(c.offset.Load()))
}

// Advance moves the clock forward by d and returns the new time.
func (c *clock) Advance(d time.Duration) time.Time {
	c.offset.Add(int64(d))
	return c.Now()
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
	now := s.clock.Advance(d)
	writeJSON(w, http.StatusOK, map[string]string{"now": now.UTC().Format(time.RFC3339)})
}
