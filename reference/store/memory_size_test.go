package store

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// TestMemoryBytesPerSession guards the layout that keeps 100k live sessions under 30 MiB
// (`make bench` (c) measures the 100k): a session as a login makes it (32 hex digits of token,
// an IP of its own) must stay under 314 bytes, its strings included.
func TestMemoryBytesPerSession(t *testing.T) {
	const n, limit = 20_000, 30 << 20 / 100_000
	toks := make([]string, n)
	ips := make([]string, n)
	for i := range n {
		toks[i] = fmt.Sprintf("%032x", i)
		ips[i] = fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m := NewMemory(0)
	for i := range n {
		s := Session{Token: toks[i], UserID: i + 1, IP: ips[i], Service: "svc", Created: t0, TTL: 24 * time.Hour}
		if err := m.Create(context.Background(), s, RuleOneUserPerIP); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(m)
	// The token and IP strings were made before: count them as a login's would be.
	per := float64(after.HeapAlloc-before.HeapAlloc)/n + 32 + 16
	t.Logf("%.0f bytes per session (%.1f MiB per 100k)", per, per*100_000/(1<<20))
	if per > limit {
		t.Errorf("%.0f bytes per session, want at most %d (30 MiB per 100k)", per, limit)
	}
}
