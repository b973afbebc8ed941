package store

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"
)

// numShards splits the token and IP maps so that concurrent logins and
// lookups rarely meet on the same lock. A power of two, for the mask.
const numShards = 64

// DefaultMaxSessions bounds a Memory store when NewMemory is given no limit:
// about a million sessions is a few hundred MiB at worst, and far beyond
// what a conformance or load run creates.
const DefaultMaxSessions = 1 << 20

var _ Store = (*Memory)(nil)

// Memory is an in-process Store. Tokens are spread over 64 shards, each with
// its own RWMutex; the last activity is an atomic so that Lookup, the hot
// path of every authenticated request, takes only a read lock. A second set
// of shards indexes tokens by client IP for the per-IP rules. Expired
// sessions are removed when looked up and by Sweep, which the reference
// server calls periodically, so memory stays bounded by live sessions.
//
// Lock order is always IP shard, then token shard; paths that start from a
// token release its shard before touching the IP index.
type Memory struct {
	seed   maphash.Seed
	max    int64
	count  atomic.Int64
	tokens [numShards]tokenShard
	ips    [numShards]ipShard
}

type tokenShard struct {
	mu sync.RWMutex
	m  map[string]*entry
	_  [32]byte // keep neighbouring shards off one cache line
}

type ipShard struct {
	mu sync.Mutex
	m  map[string]map[string]int // ip -> token -> user ID
	_  [48]byte
}

// entry is a stored session. s is never written after insertion (its
// LastSeen is unused); lastSeen holds the live value in Unix nanoseconds.
type entry struct {
	s        Session
	lastSeen atomic.Int64
}

// NewMemory returns an empty store holding at most maxSessions sessions
// (DefaultMaxSessions when maxSessions <= 0); Create fails with ErrFull
// beyond that.
func NewMemory(maxSessions int) *Memory {
	if maxSessions <= 0 {
		maxSessions = DefaultMaxSessions
	}
	m := &Memory{seed: maphash.MakeSeed(), max: int64(maxSessions)}
	for i := range m.tokens {
		m.tokens[i].m = make(map[string]*entry)
		m.ips[i].m = make(map[string]map[string]int)
	}
	return m
}

func (m *Memory) tokenShard(token string) *tokenShard {
	return &m.tokens[maphash.String(m.seed, token)&(numShards-1)]
}

func (m *Memory) ipShard(ip string) *ipShard {
	return &m.ips[maphash.String(m.seed, ip)&(numShards-1)]
}

// Len returns the number of stored sessions, expired ones not yet swept
// included.
func (m *Memory) Len() int { return int(m.count.Load()) }

// Create implements Store.
func (m *Memory) Create(ctx context.Context, s Session, rule Rule) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if m.count.Load() >= m.max {
		return ErrFull
	}
	e := &entry{s: s}
	e.s.LastSeen = time.Time{}
	e.lastSeen.Store(s.Created.UnixNano())

	if rule == RuleOneUserGlobal {
		for i := range m.ips {
			sh := &m.ips[i]
			sh.mu.Lock()
			for ip, toks := range sh.m {
				for tok, uid := range toks {
					if uid != s.UserID {
						m.removeToken(tok)
						delete(toks, tok)
					}
				}
				if len(toks) == 0 {
					delete(sh.m, ip)
				}
			}
			sh.mu.Unlock()
		}
		rule = RuleNone
	}
	if s.IP == "" {
		m.insert(e)
		return nil
	}
	sh := m.ipShard(s.IP)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	toks := sh.m[s.IP]
	if toks == nil {
		toks = make(map[string]int)
		sh.m[s.IP] = toks
	}
	for tok, uid := range toks {
		if rule == RuleOneSessionPerIP || (rule == RuleOneUserPerIP && uid != s.UserID) {
			m.removeToken(tok)
			delete(toks, tok)
		}
	}
	m.insert(e)
	toks[s.Token] = s.UserID
	return nil
}

// insert puts e in its token shard.
func (m *Memory) insert(e *entry) {
	ts := m.tokenShard(e.s.Token)
	ts.mu.Lock()
	if _, dup := ts.m[e.s.Token]; !dup {
		m.count.Add(1)
	}
	ts.m[e.s.Token] = e
	ts.mu.Unlock()
}

// removeToken deletes token from its token shard only; the caller handles
// the IP index.
func (m *Memory) removeToken(token string) {
	ts := m.tokenShard(token)
	ts.mu.Lock()
	if _, ok := ts.m[token]; ok {
		delete(ts.m, token)
		m.count.Add(-1)
	}
	ts.mu.Unlock()
}

// unindex removes token from the IP index.
func (m *Memory) unindex(ip, token string) {
	if ip == "" {
		return
	}
	sh := m.ipShard(ip)
	sh.mu.Lock()
	if toks := sh.m[ip]; toks != nil {
		delete(toks, token)
		if len(toks) == 0 {
			delete(sh.m, ip)
		}
	}
	sh.mu.Unlock()
}

// Lookup implements Store. The common case takes one read lock and one
// atomic compare-and-swap.
func (m *Memory) Lookup(_ context.Context, token string, now time.Time) (Session, bool, error) {
	ts := m.tokenShard(token)
	ts.mu.RLock()
	e := ts.m[token]
	ts.mu.RUnlock()
	if e == nil {
		return Session{}, false, nil
	}
	s := e.s
	last := e.lastSeen.Load()
	s.LastSeen = time.Unix(0, last)
	if s.Expired(now) {
		m.evict(e)
		return Session{}, false, nil
	}
	if !s.Absolute && s.TTL > 0 {
		n := now.UnixNano()
		// Write only when the stored value is behind by more than 1/1024
		// of the TTL (84s of 24h): a token hammered from many cores then
		// costs no cache-line bouncing, and expiry is at most 0.1% early.
		// Only move forward: a slower concurrent request must not undo a
		// newer refresh.
		for n-last > int64(s.TTL>>10) && !e.lastSeen.CompareAndSwap(last, n) {
			last = e.lastSeen.Load()
		}
		s.LastSeen = now
	}
	return s, true, nil
}

// evict removes e if it is still the entry stored under its token and
// reports whether it did.
func (m *Memory) evict(e *entry) bool {
	ts := m.tokenShard(e.s.Token)
	ts.mu.Lock()
	removed := ts.m[e.s.Token] == e
	if removed {
		delete(ts.m, e.s.Token)
		m.count.Add(-1)
	}
	ts.mu.Unlock()
	if removed {
		m.unindex(e.s.IP, e.s.Token)
	}
	return removed
}

// Delete implements Store.
func (m *Memory) Delete(_ context.Context, token string) (bool, error) {
	ts := m.tokenShard(token)
	ts.mu.Lock()
	e := ts.m[token]
	if e != nil {
		delete(ts.m, token)
		m.count.Add(-1)
	}
	ts.mu.Unlock()
	if e == nil {
		return false, nil
	}
	m.unindex(e.s.IP, token)
	return true, nil
}

// Sweep removes every session expired at now and returns how many it
// removed. Each shard is scanned under its read lock and write-locked only
// when it holds something to remove, so lookups are barely disturbed.
func (m *Memory) Sweep(now time.Time) int {
	removed := 0
	var dead []*entry
	for i := range m.tokens {
		ts := &m.tokens[i]
		dead = dead[:0]
		ts.mu.RLock()
		for _, e := range ts.m {
			s := e.s
			s.LastSeen = time.Unix(0, e.lastSeen.Load())
			if s.Expired(now) {
				dead = append(dead, e)
			}
		}
		ts.mu.RUnlock()
		for _, e := range dead {
			// Re-check: a lookup may have refreshed it since the scan.
			s := e.s
			s.LastSeen = time.Unix(0, e.lastSeen.Load())
			if !s.Expired(now) {
				continue
			}
			if m.evict(e) {
				removed++
			}
		}
	}
	return removed
}
