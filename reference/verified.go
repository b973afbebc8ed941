package reference

import (
	"crypto/sha256"
	"sync"
)

// verifiedMax bounds the pairs verifiedSecrets remembers.
const verifiedMax = 4096

// verifiedSecrets remembers which (hash, secret) pairs passed a bcrypt check, by the SHA-256 of
// the pair, so that a repeated valid login costs a map lookup instead of a bcrypt. It serves
// the embedded run of conform's own specs (Options.CacheVerifiedSecrets), which log the same
// few accounts in over a hundred times and would otherwise spend most of the run in bcrypt.
// A wrong secret, an unknown user and each account's first login still cost a full bcrypt,
// and what passes is exactly what bcrypt passes. Bounded: it stops remembering at
// verifiedMax pairs. A nil *verifiedSecrets remembers nothing.
type verifiedSecrets struct {
	mu sync.RWMutex
	m  map[[sha256.Size]byte]struct{}
}

func newVerifiedSecrets() *verifiedSecrets {
	return &verifiedSecrets{m: map[[sha256.Size]byte]struct{}{}}
}

func verifiedKey(hash, secret string) [sha256.Size]byte {
	return sha256.Sum256([]byte(hash + "\x00" + secret))
}

// has reports whether secret passed against hash before.
func (v *verifiedSecrets) has(hash, secret string) bool {
	if v == nil {
		return false
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	_, ok := v.m[verifiedKey(hash, secret)]
	return ok
}

// add remembers that secret passed against hash.
func (v *verifiedSecrets) add(hash, secret string) {
	if v == nil {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) < verifiedMax {
		v.m[verifiedKey(hash, secret)] = struct{}{}
	}
}
