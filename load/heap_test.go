package load

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// BenchmarkHeapPer100kTokens measures the reference's memory per live lptracker session: 100k
// sessions as a login creates them (32-hex-digit token, one client IP each, the one-user-per-IP
// rule), heap in use before and after. `make bench` reports MiB/100k-tokens.
func BenchmarkHeapPer100kTokens(b *testing.B) {
	const n = 100_000
	now := time.Now()
	var perToken float64
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s := store.NewMemory(0)
		for i := range n {
			// Token and IP strings are made here, as a login does: they are part of the cost.
			var t [16]byte
			rand.Read(t[:])
			ip := fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)
			sess := store.Session{Token: hex.EncodeToString(t[:]), UserID: i + 1, IP: ip, Service: "conform-load", Created: now, TTL: 24 * time.Hour}
			if err := s.Create(context.Background(), sess, store.RuleOneUserPerIP); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if s.Len() != n {
			b.Fatalf("%d sessions, want %d", s.Len(), n)
		}
		runtime.KeepAlive(s)
		perToken = float64(after.HeapAlloc-before.HeapAlloc) / n
	}
	b.ReportMetric(perToken*n/(1<<20), "MiB/100k-tokens")
	b.ReportMetric(perToken, "B/token")
}
