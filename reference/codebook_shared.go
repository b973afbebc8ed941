package reference

import (
	"context"
	"encoding/json"
	"time"
)

// sharedTimeout bounds one Redis step of the code book, which has no request context: a code
// is issued or checked within it, or not at all.
const sharedTimeout = 2 * time.Second

// update applies fn to u's codes, in memory or, with b.shared, in Redis atomically against
// other instances. fn may run more than once (Redis retries a contended update): it must
// set, not accumulate, what it reports. A Redis failure leaves the codes as they were; the
// code then does not count, as with a code never issued.
func (b *codeBook) update(userID int, fn func(*userCodes)) {
	if b.shared == nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		uc := b.users[userID]
		if uc == nil {
			uc = &userCodes{}
			b.users[userID] = uc
		}
		fn(uc)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	_ = b.shared.Update(ctx, b.name, userID, codeTTL, func(old []byte) []byte {
		uc := decodeCodes(old)
		fn(uc)
		if len(uc.codes) == 0 && uc.failures == 0 {
			return nil
		}
		return encodeCodes(uc)
	})
}

// userIDs lists the users with codes.
func (b *codeBook) userIDs() []int {
	if b.shared == nil {
		b.mu.Lock()
		defer b.mu.Unlock()
		ids := make([]int, 0, len(b.users))
		for id := range b.users {
			ids = append(ids, id)
		}
		return ids
	}
	ctx, cancel := context.WithTimeout(context.Background(), sharedTimeout)
	defer cancel()
	ids, _ := b.shared.Users(ctx, b.name) // none on failure: no code counts
	return ids
}

// storedCodes is userCodes as Redis keeps it.
type storedCodes struct {
	Codes []struct {
		Code    string `json:"c"`
		Expires int64  `json:"e"` // Unix milliseconds, server clock
	} `json:"codes"`
	Failures int `json:"f"`
}

func decodeCodes(b []byte) *userCodes {
	uc := &userCodes{}
	var sc storedCodes
	if len(b) == 0 || json.Unmarshal(b, &sc) != nil {
		return uc
	}
	for _, c := range sc.Codes {
		uc.codes = append(uc.codes, issuedCode{code: c.Code, expires: time.UnixMilli(c.Expires)})
	}
	uc.failures = sc.Failures
	return uc
}

func encodeCodes(uc *userCodes) []byte {
	var sc storedCodes
	sc.Failures = uc.failures
	for _, c := range uc.codes {
		sc.Codes = append(sc.Codes, struct {
			Code    string `json:"c"`
			Expires int64  `json:"e"`
		}{c.code, c.expires.UnixMilli()})
	}
	out, _ := json.Marshal(sc) // strings and numbers only: never fails
	return out
}

// codeBook returns a profile's code book, in Redis when the server's store is (e.shared).
func (e *deps) codeBook(name string, digits int) *codeBook {
	b := newCodeBook(name, digits)
	b.shared = e.shared
	return b
}
