package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestMemoryContract(t *testing.T) {
	runStoreContract(t, func(*testing.T) Store { return NewMemory(0) })
}

func TestMemorySweepBoundsMemory(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(0)
	for i := range 1000 {
		s := sess(strconv.Itoa(i), i, fmt.Sprintf("10.0.%d.%d", i/256, i%256), time.Hour)
		if i%2 == 0 {
			s.TTL = 2 * time.Hour
		}
		if err := m.Create(ctx, s, RuleOneUserPerIP); err != nil {
			t.Fatal(err)
		}
	}
	if n := m.Sweep(t0.Add(59 * time.Minute)); n != 0 || m.Len() != 1000 {
		t.Fatalf("early sweep removed %d, len %d", n, m.Len())
	}
	if n := m.Sweep(t0.Add(90 * time.Minute)); n != 500 || m.Len() != 500 {
		t.Fatalf("sweep removed %d, len %d; want 500, 500", n, m.Len())
	}
	if n := m.Sweep(t0.Add(3 * time.Hour)); n != 500 || m.Len() != 0 {
		t.Fatalf("final sweep removed %d, len %d", n, m.Len())
	}
	for i := range m.ips {
		if len(m.ips[i].m) != 0 {
			t.Fatalf("ip shard %d still indexes %d IPs", i, len(m.ips[i].m))
		}
	}
}

func TestMemoryLazyEviction(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(0)
	if err := m.Create(ctx, sess("a", 1, "10.0.0.1", time.Hour), RuleNone); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := m.Lookup(ctx, "a", t0.Add(time.Hour)); ok {
		t.Fatal("valid at exactly TTL")
	}
	if m.Len() != 0 {
		t.Fatalf("expired lookup left %d sessions", m.Len())
	}
}

func TestMemoryFull(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(2)
	for i := range 2 {
		if err := m.Create(ctx, sess(strconv.Itoa(i), i, "", time.Hour), RuleNone); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.Create(ctx, sess("x", 9, "", time.Hour), RuleNone); !errors.Is(err, ErrFull) {
		t.Fatalf("create beyond limit: %v, want ErrFull", err)
	}
}

// TestMemoryConcurrent runs logins, lookups, logouts and sweeps together
// (meant for -race) and checks the per-IP invariant at the end.
func TestMemoryConcurrent(t *testing.T) {
	ctx := context.Background()
	m := NewMemory(0)
	const workers, ops = 8, 2000
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range ops {
				tok := fmt.Sprintf("%d-%d", w, i)
				ip := fmt.Sprintf("10.0.0.%d", i%4)
				now := t0.Add(time.Duration(i) * time.Second)
				if err := m.Create(ctx, sess(tok, (w+i)%3, ip, time.Minute), RuleOneUserPerIP); err != nil {
					t.Error(err)
					return
				}
				m.Lookup(ctx, tok, now)
				m.Lookup(ctx, fmt.Sprintf("%d-%d", w, i/2), now)
				if i%7 == 0 {
					m.Delete(ctx, tok)
				}
				if i%500 == 0 {
					m.Sweep(now)
				}
			}
		})
	}
	wg.Wait()
	// Never two users' sessions at one IP.
	users := map[string]map[int]bool{}
	for i := range m.tokens {
		for _, e := range m.tokens[i].m {
			if users[e.ip] == nil {
				users[e.ip] = map[int]bool{}
			}
			users[e.ip][e.userID] = true
		}
	}
	for ip, u := range users {
		if len(u) > 1 {
			t.Errorf("ip %s has sessions of users %v", ip, u)
		}
	}
}

func BenchmarkMemoryLookupParallel(b *testing.B) {
	ctx := context.Background()
	m := NewMemory(0)
	const n = 10000
	toks := make([]string, n)
	for i := range toks {
		toks[i] = fmt.Sprintf("%032x", i)
		if err := m.Create(ctx, sess(toks[i], i, fmt.Sprintf("10.%d.%d.1", i/256, i%256), time.Hour), RuleOneUserPerIP); err != nil {
			b.Fatal(err)
		}
	}
	now := t0.Add(time.Minute)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			if _, ok, _ := m.Lookup(ctx, toks[i%n], now); !ok {
				b.Error("lookup miss")
				return
			}
			i++
		}
	})
}
