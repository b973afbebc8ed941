package reference

import (
	"context"
	"sync"

	"github.com/conformhq/conform/reference/store"
)

// More interleaving breaks, one per profile without a logout or a clock in its model (flylogs,
// apikey, newapikey): each ends live tokens on an event no single documented exchange joins to
// them (a refused login, a near miss, another user's login). Only the model specs'
// exploration is meant to catch them; the other specs pass.

// ownedTokens remembers the user of each token a profile issued, and which were used, for the
// breaks that end tokens by their user:
//   - flylogs.failed-login-ends-sessions: a refused password ends every session of its user
//     (a lockout that also logs the user out everywhere);
//   - apikey.near-miss-revokes: a probe with a token one character off a live one ends that
//     token (a revocation "on suspicion" of guessing);
//   - newapikey.login-ends-used-keys: a login ends every key of the other users that was
//     already used (a "current session" the login moves on, to which a used key is bound).
type ownedTokens struct {
	mu    sync.Mutex
	owner map[string]int
	used  map[string]bool
}

// issue records tok as user's.
func (o *ownedTokens) issue(tok string, user int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.owner == nil || len(o.owner) > maxTracked {
		o.owner, o.used = map[string]int{}, map[string]bool{}
	}
	o.owner[tok] = user
}

// use records that tok was accepted.
func (o *ownedTokens) use(tok string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.owner[tok]; ok {
		o.used[tok] = true
	}
}

// end deletes from st, and forgets, every token for which pick says so.
func (o *ownedTokens) end(ctx context.Context, st store.Store, pick func(tok string, user int, used bool) bool) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for t, u := range o.owner {
		if !pick(t, u, o.used[t]) {
			continue
		}
		if _, err := st.Delete(ctx, t); err != nil {
			return err
		}
		delete(o.owner, t)
		delete(o.used, t)
	}
	return nil
}

// endUser ends every token of user.
func (o *ownedTokens) endUser(ctx context.Context, st store.Store, user int) error {
	return o.end(ctx, st, func(_ string, u int, _ bool) bool { return u == user })
}

// endUsedOfOthers ends every used token of the users other than user.
func (o *ownedTokens) endUsedOfOthers(ctx context.Context, st store.Store, user int) error {
	return o.end(ctx, st, func(_ string, u int, used bool) bool { return u != user && used })
}

// endNear ends the tokens one character off given: given without its last character, or with
// one character more.
func (o *ownedTokens) endNear(ctx context.Context, st store.Store, given string) error {
	return o.end(ctx, st, func(t string, _ int, _ bool) bool {
		return t != given && len(t) > 0 && (t[:len(t)-1] == given || (len(given) == len(t)+1 && given[:len(t)] == t))
	})
}
