package reference

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// mintBreaks are the breaks every profile has of how it hands out tokens and meets hostile
// logins: what the shared security and robustness specs (conform's specs/negative) check. One
// implementation (mint) serves the five documents; each profile calls it at the same points of
// its login.
type mintBreaks struct {
	predictable     bool // tokens are a counter
	firstUsers      bool // a later user's login answers the first user's token
	acceptInjection bool // ' OR 1=1 -- as login and secret logs in as the first user
	wedged          bool // an oversize login body makes the next good login answer 503
	echoPassword    bool // a refused login's answer echoes the secret it was sent
	sameKey         bool // a user's every login answers the token of its first
}

// The mint breaks' suffixes, each what a broken server does instead.
var mintDefs = []struct {
	suffix, what string
	set          func(*mintBreaks)
}{
	{"predictable-tokens", "tokens are a counter, 32 hex digits (00...01, 00...02, ...)", func(m *mintBreaks) { m.predictable = true }},
	{"hands-out-first-users-token", "a login of any user but the first answers the token last issued to the first user (whose session it stays), not a new one of its own", func(m *mintBreaks) { m.firstUsers = true }},
	{"accept-injection", `the login and secret ' OR 1=1 -- log in as the first user`, func(m *mintBreaks) { m.acceptInjection = true }},
	{"wedged-by-oversize", "after a login body over 1 MiB, the next login that would succeed answers 503", func(m *mintBreaks) { m.wedged = true }},
	{"echo-password", "a refused login's error answer echoes the password it was sent", func(m *mintBreaks) { m.echoPassword = true }},
	{"same-key-each-login", "every login of a user answers the key of its first login", func(m *mintBreaks) { m.sameKey = true }},
}

// mintBreakDefs returns the mint breaks of profile named in suffixes (all when none), each
// turning on its switch in the profile's breaks (get).
func mintBreakDefs[T any](profile string, get func(*T) *mintBreaks, suffixes ...string) []breakDef[T] {
	var out []breakDef[T]
	for _, d := range mintDefs {
		if len(suffixes) > 0 && !slices.Contains(suffixes, d.suffix) {
			continue
		}
		set := d.set
		out = append(out, breakDef[T]{name: profile + "." + d.suffix, what: d.what, set: func(t *T) { set(get(t)) }})
	}
	return out
}

// injection is the string the accept-injection break lets in: the shared robustness specs
// send it as both the login and the secret.
const injection = "' OR 1=1 --"

// mint hands out one profile's tokens under its mint breaks and holds their state. Without a
// break it only returns the token it is given: the profile's own, random.
type mint struct {
	brk    mintBreaks
	issued atomic.Uint64 // the predictable-tokens counter
	wedged atomic.Bool   // set by an oversize body with wedged-by-oversize

	firstUser int // the users' first (User.ID), whose token hands-out-first-users-token hands out

	mu         sync.Mutex
	firstToken string         // the token last issued to firstUser
	first      map[int]string // same-key-each-login: each user's first token
}

// newMint returns the mint of breaks b; firstUser is the User.ID of the first user. The
// first user's token, rather than the last one issued, is the one handed out so that a
// reproducer replaying a spec's logins from a restarted server sees the same answers.
func newMint(b mintBreaks, firstUser int) *mint {
	return &mint{brk: b, firstUser: firstUser, first: map[int]string{}}
}

// token returns a new token: random's, or the next counter value with predictable-tokens.
func (m *mint) token(random func() string) string {
	if m.brk.predictable {
		return fmt.Sprintf("%032x", m.issued.Add(1))
	}
	return random()
}

// handOut returns the token to answer user's login with, tok being the one just issued (and
// stored) for it: tok itself without a break.
func (m *mint) handOut(user int, tok string) string {
	if !m.brk.firstUsers && !m.brk.sameKey {
		return tok
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.brk.sameKey {
		if t, ok := m.first[user]; ok {
			return t
		}
		m.first[user] = tok
		return tok
	}
	if user == m.firstUser {
		m.firstToken = tok
		return tok
	}
	if m.firstToken != "" {
		return m.firstToken
	}
	return tok
}

// injected reports whether a login of login and secret is let in by accept-injection.
func (m *mint) injected(login, secret string) bool {
	return m.brk.acceptInjection && login == injection && secret == injection
}

// oversize records an oversize login body (wedged-by-oversize).
func (m *mint) oversize() {
	if m.brk.wedged {
		m.wedged.Store(true)
	}
}

// stalled reports whether a login that would succeed answers 503 instead (once after an
// oversize body, with wedged-by-oversize).
func (m *mint) stalled() bool { return m.wedged.CompareAndSwap(true, false) }

// echo reports whether a refused login's answer echoes the secret it was sent.
func (m *mint) echo() bool { return m.brk.echoPassword }
