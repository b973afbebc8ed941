package reference

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LoginThrottle limits wrong secrets (passwords, API secrets) per account and client
// address: after Failures wrong ones in a row within Window, counted from the first of them,
// every login of that account from that address is answered 429 with Retry-After, its secret
// not checked, until Window has passed since that first failure. A login that succeeds
// starts the count again. OWASP ASVS 4.0.3 V2.2.1 asks for no more than 100 failed attempts
// an hour on one account; the default, 20 in 15 minutes, allows 80.
//
// Why 20: conform's own specs send one account's secret wrong up to 11 times in a row from
// one address (the wrong-password forms, then the hostile logins of the robustness specs) on
// a conforming run, and a limit they met would fail them. conform's throttling advisory
// sends 5: it sees this limit in the RateLimit fields each refusal carries (announce), not by
// meeting it (README, "The reference as a stand-in for your client").
type LoginThrottle struct {
	// Failures is how many wrong secrets in a row lock the account for the address; 0 means
	// DefaultLoginThrottle, negative means no throttling.
	Failures int
	// Window is how long the failures are counted for and the account stays locked.
	Window time.Duration
}

// DefaultLoginThrottle is the throttle of Options' zero value and of `conform serve`.
var DefaultLoginThrottle = LoginThrottle{Failures: 20, Window: 15 * time.Minute}

// String is the --login-throttle form: "20/15m0s", or "off".
func (l LoginThrottle) String() string {
	if l.Failures < 0 {
		return "off"
	}
	return strconv.Itoa(l.Failures) + "/" + l.Window.String()
}

// ParseLoginThrottle reads "N/DURATION" (e.g. "20/15m": 20 wrong secrets in 15 minutes) or
// "off".
func ParseLoginThrottle(s string) (LoginThrottle, error) {
	if strings.TrimSpace(s) == "off" {
		return LoginThrottle{Failures: -1}, nil
	}
	n, d, ok := strings.Cut(s, "/")
	failures, err := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err != nil || failures < 1 {
		return LoginThrottle{}, fmt.Errorf("login throttle %q: want N/DURATION with N at least 1, e.g. 20/15m, or off", s)
	}
	window, err := time.ParseDuration(strings.TrimSpace(d))
	if err != nil || window <= 0 {
		return LoginThrottle{}, fmt.Errorf("login throttle %q: want N/DURATION with a positive duration, e.g. 20/15m, or off", s)
	}
	return LoginThrottle{Failures: failures, Window: window}, nil
}

// throttle keeps the failure counts of LoginThrottle, in memory: instances sharing a Redis
// store each count their own (a client spread over N instances gets up to N times the limit).
type throttle struct {
	limit LoginThrottle
	mu    sync.Mutex
	keys  map[throttleKey]*failures
}

type throttleKey struct {
	profile string
	user    int
	addr    string
}

type failures struct {
	count int
	first time.Time
}

// newThrottle returns nil (no throttling) when l is off.
func newThrottle(l LoginThrottle) (*throttle, error) {
	if l.Failures == 0 {
		l = DefaultLoginThrottle
	}
	if l.Failures < 0 {
		return nil, nil
	}
	if l.Window <= 0 {
		return nil, fmt.Errorf("login throttle window must be positive, got %s", l.Window)
	}
	return &throttle{limit: l, keys: map[throttleKey]*failures{}}, nil
}

// state returns the wrong secrets k has left before it is locked and how long its window
// still runs (the whole window when no count is kept), for the RateLimit fields.
func (t *throttle) state(k throttleKey, now time.Time) (left int, reset time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.keys[k]
	if f == nil || !now.Before(f.first.Add(t.limit.Window)) {
		return t.limit.Failures, t.limit.Window
	}
	return max(t.limit.Failures-f.count, 0), f.first.Add(t.limit.Window).Sub(now)
}

// announce sets the RateLimit-Policy and RateLimit fields of the IETF draft
// draft-ietf-httpapi-ratelimit-headers on the answer to a wrong secret (or a locked login) of k:
// the quota of wrong secrets, its window, what is left of it and when it resets, in
// seconds. A client learns the limit without meeting it; conform's throttling advisory reads
// the count going down.
func (t *throttle) announce(h http.Header, k throttleKey, now time.Time) {
	left, reset := t.state(k, now)
	h.Set("RateLimit-Policy", fmt.Sprintf(`"failed-logins";q=%d;w=%d`, t.limit.Failures, retryAfterSecs(t.limit.Window)))
	h.Set("RateLimit", fmt.Sprintf(`"failed-logins";r=%d;t=%d`, left, retryAfterSecs(reset)))
}

// locked returns how long k stays locked at now, or 0.
func (t *throttle) locked(k throttleKey, now time.Time) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.keys[k]
	if f == nil {
		return 0
	}
	end := f.first.Add(t.limit.Window)
	if !now.Before(end) {
		delete(t.keys, k) // the window is over: forget it
		return 0
	}
	if f.count < t.limit.Failures {
		return 0
	}
	return end.Sub(now)
}

// note records a checked secret of k.
func (t *throttle) note(k throttleKey, ok bool, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if ok {
		delete(t.keys, k)
		return
	}
	f := t.keys[k]
	if f == nil || !now.Before(f.first.Add(t.limit.Window)) {
		if len(t.keys) >= maxThrottleKeys {
			t.forgetOver(now)
		}
		f = &failures{first: now}
		t.keys[k] = f
	}
	f.count++
}

// maxThrottleKeys bounds the counts kept before the ones whose window is over are dropped:
// with --trust-forwarded-for a client names any address it likes.
const maxThrottleKeys = 1 << 16

// forgetOver drops the counts whose window is over.
func (t *throttle) forgetOver(now time.Time) {
	for k, f := range t.keys {
		if !now.Before(f.first.Add(t.limit.Window)) {
			delete(t.keys, k)
		}
	}
}

// tooManyMessage is the message of the throttle's 429. No document says what a throttled login
// answers, so each profile puts it in its document's failure envelope: a client that reads the
// document's failure shape reads this one too.
func tooManyMessage(wait time.Duration) string {
	return fmt.Sprintf("too many wrong secrets for this account from your address; retry after %d s", retryAfterSecs(wait))
}

// tooManyFailures is the body of the throttle's 429 where the document has no failure
// envelope (doc 001).
func tooManyFailures(wait time.Duration) []byte {
	return encode(map[string]string{"status": "error", "error": "TOO_MANY_FAILED_LOGINS", "message": tooManyMessage(wait)})
}

// retryAfterSecs rounds wait up to whole seconds, Retry-After's unit.
func retryAfterSecs(wait time.Duration) int {
	return int((wait + time.Second - 1) / time.Second)
}

// throttledSecretOK is secretOK behind the login throttle of profile: when u is locked for
// r's client address it checks nothing and returns how long the lock lasts (locked), with
// Retry-After set on w; the caller answers 429 in its document's failure envelope
// (tooManyMessage). Otherwise it checks the secret and counts the result. Both the 429 and the
// refusal of a wrong secret announce the limit (announce).
func (e *deps) throttledSecretOK(w http.ResponseWriter, r *http.Request, profile string, u *User, hashOf func(*User) string, given string, f laxForm) (ok bool, locked time.Duration) {
	if e.throttle == nil {
		return e.secretOK(u, hashOf, given, f), 0
	}
	k := throttleKey{profile: profile, user: u.ID, addr: e.clientIP(r)}
	now := e.now()
	if wait := e.throttle.locked(k, now); wait > 0 {
		e.throttle.announce(w.Header(), k, now)
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSecs(wait)))
		return false, wait
	}
	ok = e.secretOK(u, hashOf, given, f)
	e.throttle.note(k, ok, now)
	if !ok {
		e.throttle.announce(w.Header(), k, now)
	}
	return ok, 0
}
