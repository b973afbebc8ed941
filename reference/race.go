package reference

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"
	"time"

	"github.com/conformhq/conform/reference/store"
)

// raceDelay is the gap the race breaks leave between reading shared state and writing what
// they decided from it: a slow database round trip, or a request handler descheduled under
// load. Long enough that requests released together by a barrier land in it every time,
// even on a loaded 2-core machine; short enough that a run with a race break stays fast.
const raceDelay = 50 * time.Millisecond

// lptrackerRace are doc 003's race breaks: each reintroduces a race a real server gets by
// splitting one atomic step in two (check, a delay, then write). Requests sent one after
// another never see them; requests released together do.
type lptrackerRace struct {
	checkThenInsert bool // per-IP rule: end other users, then insert later
	lostUpdate      bool // per-IP record: read, then write back with the new token
	sharedSequence  bool // token from a per-user login counter read, then written
	touchWriteBack  bool // a use writes its session back after a delay
}

func lptrackerRaceBreakDefs() []breakDef[lptrackerBreaks] {
	type b = lptrackerBreaks
	return []breakDef[b]{
		{"lptracker.race-one-user-per-ip", "a login ends other users' sessions on its IP, then inserts its own after a delay: two users' logins at one instant both stay valid", func(x *b) { x.race.checkThenInsert = true }},
		{"lptracker.race-lost-services", "a login reads its IP's record of tokens and writes it back with its own after a delay: of one user's services logging in at once, the last write drops the others", func(x *b) { x.race.lostUpdate = true }},
		{"lptracker.race-shared-token", "the token comes from a per-user login counter read, then incremented after a delay: one user's logins at one instant get the same token", func(x *b) { x.race.sharedSequence = true }},
		{"lptracker.race-logout-resurrects", "every use of a token (the probe) reads its session and writes it back after a delay: a use in flight during a logout brings the token back", func(x *b) { x.race.touchWriteBack = true }},
	}
}

// raceState is what the race breaks keep in the process, as the racy servers they imitate
// keep it in a table of their own. Nil unless a race break is on.
type raceState struct {
	mu       sync.Mutex
	seq      map[int]int                // user ID -> logins so far (race-shared-token)
	ipRecord map[string]map[string]bool // IP -> tokens (race-lost-services)
	salt     [16]byte                   // keeps sequence tokens unguessable across servers
}

func newRaceState() *raceState {
	s := &raceState{seq: map[int]int{}, ipRecord: map[string]map[string]bool{}}
	rand.Read(s.salt[:])
	return s
}

// create stores s under the per-IP rule: atomically, unless a race break splits it.
func (h *lptracker) create(ctx context.Context, s *store.Session) error {
	rb := h.brk.race
	if rb.sharedSequence {
		s.Token = h.sequenceToken(s.UserID)
	}
	if rb.checkThenInsert && h.rule == store.RuleOneUserPerIP && s.IP != "" {
		// Check: end other users' sessions on this IP (through a session that lives only
		// for this step), then insert without the rule after the delay.
		probe := store.Session{Token: newToken(), UserID: s.UserID, IP: s.IP, Created: s.Created}
		if err := h.e.store.Create(ctx, probe, store.RuleOneUserPerIP); err != nil {
			return err
		}
		if _, err := h.e.store.Delete(ctx, probe.Token); err != nil {
			return err
		}
		time.Sleep(raceDelay)
		return h.e.store.Create(ctx, *s, store.RuleNone)
	}
	if err := h.e.store.Create(ctx, *s, h.rule); err != nil {
		return err
	}
	if rb.lostUpdate && s.IP != "" {
		return h.recordOnIP(ctx, s.IP, s.Token)
	}
	return nil
}

// sequenceToken reads the user's login counter, waits, and writes it incremented: logins
// that read it in the same window get the same number, hence the same token.
func (h *lptracker) sequenceToken(userID int) string {
	h.race.mu.Lock()
	n := h.race.seq[userID]
	h.race.mu.Unlock()
	time.Sleep(raceDelay)
	h.race.mu.Lock()
	h.race.seq[userID] = n + 1
	h.race.mu.Unlock()
	sum := sha256.Sum256([]byte(string(h.race.salt[:]) + strconv.Itoa(userID) + "/" + strconv.Itoa(n+1)))
	return hex.EncodeToString(sum[:16])
}

// recordOnIP reads the IP's record, waits, and writes back the record it read plus token;
// sessions of tokens another login added in the meantime are lost with the record.
func (h *lptracker) recordOnIP(ctx context.Context, ip, token string) error {
	h.race.mu.Lock()
	read := make(map[string]bool, len(h.race.ipRecord[ip])+1)
	for t := range h.race.ipRecord[ip] {
		read[t] = true
	}
	h.race.mu.Unlock()
	time.Sleep(raceDelay)
	read[token] = true
	h.race.mu.Lock()
	var lost []string
	for t := range h.race.ipRecord[ip] {
		if !read[t] {
			lost = append(lost, t)
		}
	}
	h.race.ipRecord[ip] = read
	h.race.mu.Unlock()
	for _, t := range lost {
		if _, err := h.e.store.Delete(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// touch is what race-logout-resurrects does after a use's successful lookup (the probe): it
// writes the session back, refreshed, after the delay, whether or not a logout deleted it
// meanwhile. The logout itself deletes at once.
func (h *lptracker) touch(ctx context.Context, s store.Session) error {
	if !h.brk.race.touchWriteBack {
		return nil
	}
	time.Sleep(raceDelay)
	s.Created = s.LastSeen // Create takes Created as the last activity
	return h.e.store.Create(ctx, s, store.RuleNone)
}

// raceConsume is the second step of the race breaks of a generated 2FA code
// (flylogs.race-code-500, newapikey.race-tfkey-500): after the check found code outstanding,
// a delay (raceDelay), then the code is used up; false when another login used it up in the
// meantime, which these servers did not expect.
func raceConsume(f *secondFactor, u *User, code string, now func() time.Time) bool {
	time.Sleep(raceDelay)
	return f.book.consume(u, code, now(), exact)
}
