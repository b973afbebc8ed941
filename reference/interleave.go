package reference

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// The interleaving breaks: behaviors no single documented exchange shows, only a sequence of
// them (the n-th use of a token, another user's second login, a third login). Only the model
// specs' exploration (package explore) is meant to catch them; the other specs pass.

// useCounter counts the uses of each token, for lptracker.probe-wears-out: a use counter meant for
// one-time links put on session tokens.
type useCounter struct {
	mu sync.Mutex
	n  map[string]int
}

// use counts one more use of tok and returns the count.
func (c *useCounter) use(tok string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil || len(c.n) > maxTracked {
		c.n = map[string]int{}
	}
	c.n[tok]++
	return c.n[tok]
}

// maxTracked bounds the tokens a break remembers; past it the break forgets them all.
const maxTracked = 10000

// wearsOutAt is the use of a token that lptracker.probe-wears-out refuses.
const wearsOutAt = 3

// recentTokens is a session table of a few rows, for jwt.two-token-table: only the most
// recently issued tokens are accepted.
type recentTokens struct {
	mu   sync.Mutex
	last []string
}

// tableRows is how many tokens jwt.two-token-table keeps.
const tableRows = 2

func (r *recentTokens) issue(tok string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.last = append(r.last, tok)
	if len(r.last) > tableRows {
		r.last = r.last[len(r.last)-tableRows:]
	}
}

func (r *recentTokens) has(tok string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.last, tok)
}

// sessionsByUser remembers which user each issued token belongs to, for
// lptracker.second-session-ends-others: a login of a user who already holds a live session
// ends every other user's sessions, on every address.
type sessionsByUser struct {
	mu    sync.Mutex
	owner map[string]int
}

// issued records tok as user's and, when user already held a live session, ends every other
// user's sessions.
func (s *sessionsByUser) issued(ctx context.Context, st store.Store, now time.Time, user int, tok string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.owner == nil || len(s.owner) > maxTracked {
		s.owner = map[string]int{}
	}
	held := false
	for t, u := range s.owner {
		if u != user {
			continue
		}
		_, ok, err := st.Lookup(ctx, t, now)
		if err != nil {
			return err
		}
		if !ok {
			delete(s.owner, t)
		}
		held = held || ok
	}
	if held {
		for t, u := range s.owner {
			if u != user {
				if _, err := st.Delete(ctx, t); err != nil {
					return err
				}
				delete(s.owner, t)
			}
		}
	}
	s.owner[tok] = user
	return nil
}
