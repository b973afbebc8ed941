package reference

import (
	"hash/maphash"
	"sync"
	"time"
)

// verifiedCache remembers tokens whose algorithm and signature verified,
// with their user and exp, so that /users/me skips re-parsing (two JSON
// decodes and an HMAC, most of its cost) for a token it has seen. exp is
// still checked on every hit against the server clock, which only moves
// forward, so a cached answer is the answer a full parse would give.
//
// It is bounded: each shard is simply emptied when full, which keeps memory
// at most cacheShards*cacheShardSize tokens without any bookkeeping.
type verifiedCache struct {
	seed   maphash.Seed
	shards [cacheShards]cacheShard
}

const (
	cacheShards    = 16
	cacheShardSize = 1024
)

type cacheShard struct {
	mu sync.RWMutex
	m  map[string]cachedToken
}

type cachedToken struct {
	user *User
	exp  time.Time
}

func newVerifiedCache() *verifiedCache {
	c := &verifiedCache{seed: maphash.MakeSeed()}
	for i := range c.shards {
		c.shards[i].m = make(map[string]cachedToken, cacheShardSize)
	}
	return c
}

func (c *verifiedCache) shard(tok string) *cacheShard {
	return &c.shards[maphash.String(c.seed, tok)%cacheShards]
}

// get returns the user of tok if tok is cached and unexpired at now.
func (c *verifiedCache) get(tok string, now time.Time) (*User, bool) {
	sh := c.shard(tok)
	sh.mu.RLock()
	ct, ok := sh.m[tok]
	sh.mu.RUnlock()
	if !ok || !now.Before(ct.exp) {
		return nil, false
	}
	return ct.user, true
}

// put records a verified token.
func (c *verifiedCache) put(tok string, u *User, exp time.Time) {
	sh := c.shard(tok)
	sh.mu.Lock()
	if len(sh.m) >= cacheShardSize {
		clear(sh.m)
	}
	sh.m[tok] = cachedToken{user: u, exp: exp}
	sh.mu.Unlock()
}
