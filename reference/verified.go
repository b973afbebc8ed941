package reference

import (
	"crypto/sha256"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// verifiedMax bounds the pairs verifiedSecrets remembers.
const verifiedMax = 4096

// verifiedSecrets remembers the outcome of each (hash, secret) pair a bcrypt check compared,
// by the SHA-256 of the pair, so that the same pair again costs a map lookup instead of a
// bcrypt. It serves the embedded run of conform's own specs (Options.CacheVerifiedSecrets):
// they log the same few accounts in over a hundred times, and send the same wrong secrets
// (one character appended, another letter case, the empty one, a hostile value) from spec
// after spec, about 160 bcrypt checks of which some 110 are repeats, and would otherwise spend
// most of the run in bcrypt. Each first check of a pair still costs a full bcrypt, unknown
// users included (against the dummy hash), and what passes is exactly what bcrypt passes.
// Bounded: it stops remembering at verifiedMax pairs. A nil *verifiedSecrets remembers
// nothing, and `conform serve` has none: there every login costs what a hashing server spends.
type verifiedSecrets struct {
	mu sync.RWMutex
	m  map[[sha256.Size]byte]bool
}

func newVerifiedSecrets() *verifiedSecrets {
	return &verifiedSecrets{m: map[[sha256.Size]byte]bool{}}
}

func verifiedKey(hash, secret string) [sha256.Size]byte {
	return sha256.Sum256([]byte(hash + "\x00" + secret))
}

// compare is bcrypt.CompareHashAndPassword's verdict on secret against hash, remembered.
func (v *verifiedSecrets) compare(hash []byte, secret string) bool {
	if v == nil {
		return bcrypt.CompareHashAndPassword(hash, []byte(secret)) == nil
	}
	k := verifiedKey(string(hash), secret)
	v.mu.RLock()
	ok, known := v.m[k]
	v.mu.RUnlock()
	if known {
		return ok
	}
	ok = bcrypt.CompareHashAndPassword(hash, []byte(secret)) == nil
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.m) < verifiedMax {
		v.m[k] = ok
	}
	return ok
}
