package store

import (
	"context"
	"hash/maphash"
	"math"
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
	// m holds the sessions of each client IP. Almost every IP has one, so a
	// slice of entries (8 bytes beside the map slot) rather than a map per IP
	// (some 200 bytes each): the index was most of a session's memory.
	m map[string][]*entry
	_ [48]byte
}

// entry is a stored session, its fields flattened: a Session holds two
// time.Time (48 bytes) where two Unix nanosecond counts do, which keeps an
// entry in the 96-byte size class. Everything but lastSeen is never written
// after insertion; lastSeen holds the live last activity.
type entry struct {
	token    string
	ip       string
	service  string
	userID   int
	created  int64 // Unix nanoseconds; noTime for the zero time
	ttl      time.Duration
	lastSeen atomic.Int64
	absolute bool
}

// noTime stands for the zero time.Time, which has no Unix nanosecond count.
const noTime = math.MinInt64

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return noTime
	}
	return t.UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == noTime {
		return time.Time{}
	}
	return time.Unix(0, n)
}

func newEntry(s Session) *entry {
	e := &entry{token: s.Token, ip: s.IP, service: s.Service, userID: s.UserID,
		created: unixNano(s.Created), ttl: s.TTL, absolute: s.Absolute}
	e.lastSeen.Store(e.created)
	return e
}

// session is e as a Session, with its last activity.
func (e *entry) session() Session {
	return Session{Token: e.token, UserID: e.userID, IP: e.ip, Service: e.service,
		Created: fromUnixNano(e.created), LastSeen: fromUnixNano(e.lastSeen.Load()), TTL: e.ttl, Absolute: e.absolute}
}

// expired is Session.Expired without building the Session: the hot path
// (Lookup) and Sweep ask it of every entry they touch.
func (e *entry) expired(now time.Time) bool {
	if e.ttl <= 0 {
		return false
	}
	base := e.lastSeen.Load()
	if e.absolute {
		base = e.created
	}
	if base == noTime || now.IsZero() {
		s := e.session() // the rare zero times: Session's own arithmetic
		return s.Expired(now)
	}
	return now.UnixNano()-base >= int64(e.ttl)
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
		m.ips[i].m = make(map[string][]*entry)
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
	e := newEntry(s)

	if rule == RuleOneUserGlobal {
		for i := range m.ips {
			sh := &m.ips[i]
			sh.mu.Lock()
			for ip, es := range sh.m {
				kept := es[:0]
				for _, o := range es {
					if o.userID != s.UserID {
						m.removeToken(o.token)
					} else {
						kept = append(kept, o)
					}
				}
				if len(kept) == 0 {
					delete(sh.m, ip)
				} else {
					sh.m[ip] = kept
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
	es := sh.m[s.IP]
	kept := es[:0]
	for _, o := range es {
		switch {
		case o.token == s.Token:
			// Replaced below, as insert replaces it in the token shard.
		case rule == RuleOneSessionPerIP || (rule == RuleOneUserPerIP && o.userID != s.UserID):
			m.removeToken(o.token)
		default:
			kept = append(kept, o)
		}
	}
	clear(es[len(kept):]) // no stale pointers past the end keep ended sessions alive
	m.insert(e)
	sh.m[s.IP] = append(kept, e)
	return nil
}

// insert puts e in its token shard.
func (m *Memory) insert(e *entry) {
	ts := m.tokenShard(e.token)
	ts.mu.Lock()
	if _, dup := ts.m[e.token]; !dup {
		m.count.Add(1)
	}
	ts.m[e.token] = e
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
	es := sh.m[ip]
	for i, o := range es {
		if o.token == token {
			last := len(es) - 1
			es[i], es[last] = es[last], nil
			es = es[:last]
			break
		}
	}
	if len(es) == 0 {
		delete(sh.m, ip)
	} else {
		sh.m[ip] = es
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
	if e.expired(now) {
		m.evict(e)
		return Session{}, false, nil
	}
	last := e.lastSeen.Load()
	if !e.absolute && e.ttl > 0 {
		n := now.UnixNano()
		// Write only when the stored value is behind by more than 1/1024
		// of the TTL (84s of 24h): a token hammered from many cores then
		// costs no cache-line bouncing, and expiry is at most 0.1% early.
		// Only move forward: a slower concurrent request must not undo a
		// newer refresh.
		for n-last > int64(e.ttl>>10) && !e.lastSeen.CompareAndSwap(last, n) {
			last = e.lastSeen.Load()
		}
	}
	s := e.session()
	if !e.absolute && e.ttl > 0 {
		s.LastSeen = now
	}
	return s, true, nil
}

// evict removes e if it is still the entry stored under its token and
// reports whether it did.
func (m *Memory) evict(e *entry) bool {
	ts := m.tokenShard(e.token)
	ts.mu.Lock()
	removed := ts.m[e.token] == e
	if removed {
		delete(ts.m, e.token)
		m.count.Add(-1)
	}
	ts.mu.Unlock()
	if removed {
		m.unindex(e.ip, e.token)
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
	m.unindex(e.ip, token)
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
			if e.expired(now) {
				dead = append(dead, e)
			}
		}
		ts.mu.RUnlock()
		for _, e := range dead {
			// Re-check: a lookup may have refreshed it since the scan.
			if !e.expired(now) {
				continue
			}
			if m.evict(e) {
				removed++
			}
		}
	}
	return removed
}
