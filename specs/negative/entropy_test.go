package negative

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"
)

func TestEstimateBits(t *testing.T) {
	random := func(n int) []string {
		var out []string
		for range 6 {
			b := make([]byte, n)
			rand.Read(b)
			out = append(out, hex.EncodeToString(b))
		}
		return out
	}
	counter := []string{}
	stamp := []string{}
	now := time.Now().UnixNano()
	for i := range 6 {
		counter = append(counter, fmt.Sprintf("%032x", 1000+i))
		stamp = append(stamp, fmt.Sprintf("%d-%s", now+int64(i)*1500, "fixedsuffixfixedsuffix"))
	}
	for _, tc := range []struct {
		name     string
		tokens   []string
		min, max float64
	}{
		{"128 random bits in hex", random(16), 128, 128},
		{"256 random bits in hex", random(32), 256, 256},
		{"a hex counter", counter, 0, 8},
		{"a nanosecond timestamp", stamp, 0, 40},
		{"one sample", random(16)[:1], 0, 0},
		{"the same token twice", []string{"abc", "abc"}, 0, 0},
	} {
		got := estimateBits(tc.tokens)
		if got < tc.min || got > tc.max {
			t.Errorf("%s: %.1f bits, want %.0f..%.0f", tc.name, got, tc.min, tc.max)
		}
	}
}
