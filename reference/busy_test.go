package reference

import (
	"testing"
	"time"
)

// The busy-cache break's check joins documented (breaks_test.go): under a burst of probes
// above its busy rate, a logged-out token must still be refused.
func init() {
	documented["lptracker.busy-cache"] = func(c *client) bool {
		tok := c.lpLogin("alice@example.com", "S")
		c.lpValid(tok)
		for range busyRequests + 10 {
			c.lpValid(tok)
		}
		c.do("POST", "/logout", map[string]string{"token": tok}, "")
		return !c.lpValid(tok)
	}
	// Checks that see a token end through the probe see it through the cache.
	for _, other := range []string{"lptracker.logout-keeps-token", "lptracker.ignore-token", "lptracker.race-logout-resurrects", "lptracker.token-header-authorization"} {
		coupled[other+" lptracker.busy-cache"] = true
	}
}

func TestBusyCacheIsBusyOnlyAboveItsRate(t *testing.T) {
	c := newBusyCache()
	start := time.Unix(1000, 0)
	// One probe every 10 ms (100/s): never busy, however long it goes on.
	for i := range 3 * busyRequests {
		if c.arrive(start.Add(time.Duration(i) * 10 * time.Millisecond)) {
			t.Fatalf("busy at probe %d at 100/s", i)
		}
	}
	// Then one every 2 ms (500/s): busy once busyRequests of them fit in busyWindow.
	at := start.Add(time.Hour)
	busy := false
	for i := range busyRequests + 1 {
		busy = c.arrive(at.Add(time.Duration(i) * 2 * time.Millisecond))
	}
	if !busy {
		t.Error("not busy after busyRequests probes at 500/s")
	}
	c.remember("tok")
	if !c.has("tok") || c.has("other") {
		t.Error("the cache does not hold exactly the tokens remembered")
	}
}
