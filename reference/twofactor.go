package reference

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/conformhq/conform/reference/delivery"
	"github.com/conformhq/conform/reference/store"
)

// totpOpts are RFC 6238's defaults (what authenticator apps use) with one
// step of skew either way, so a code typed as the 30 s window turns over,
// or read on a clock a little off, still counts.
var totpOpts = totp.ValidateOpts{Period: 30, Skew: 1, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Lifetime and limits of generated codes. Documents 000 and 002 say
// nothing about them; these are our choices.
const (
	codeTTL = 10 * time.Minute
	// maxCodesPerUser bounds the codes one user has outstanding. A new code
	// supersedes the earlier ones (OWASP ASVS 4.0.3 V2.7.3: an out-of-band
	// code is usable only for the authentication request it was sent for),
	// so one is outstanding; the *.2fa-earlier-*-ok breaks keep the earlier
	// ones valid, as a server that lets a client read any of the mails
	// would, up to this many.
	maxCodesPerUser = 5
	// maxCodeFailures wrong codes in a row drop a user's outstanding codes,
	// so a 4-digit code cannot be guessed by trying them all.
	maxCodeFailures = 10
)

// codeBook holds the generated codes of one profile, bound to the user
// they were issued to. It lives in memory, or with shared set in Redis, so
// that instances sharing one Redis (conform serve --redis) check a code
// another instance issued (see codebook_shared.go).
type codeBook struct {
	digits int
	mu     sync.Mutex
	users  map[int]*userCodes // by User.ID, so bounded by the user count
	name   string             // the profile, naming the book in Redis
	shared *store.Shared      // nil: in memory
}

type userCodes struct {
	codes    []issuedCode
	failures int
}

type issuedCode struct {
	code    string
	expires time.Time
}

func newCodeBook(name string, digits int) *codeBook {
	return &codeBook{name: name, digits: digits, users: map[int]*userCodes{}}
}

// issue generates a code for u, valid for codeTTL from now, which ends u's
// earlier codes unless keepEarlier. Its first digit is never 0, so a client
// that sends it as a JSON number (doc 000 types code as int) does not lose a
// leading zero.
func (b *codeBook) issue(u *User, now time.Time, keepEarlier bool) string {
	lo := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(b.digits-1)), nil)
	span := new(big.Int).Mul(lo, big.NewInt(9))
	n, _ := rand.Int(rand.Reader, span) // never fails for a positive span
	code := n.Add(n, lo).String()

	b.update(u.ID, func(uc *userCodes) {
		uc.prune(now)
		if !keepEarlier {
			uc.codes = uc.codes[:0]
		}
		if len(uc.codes) >= maxCodesPerUser {
			uc.codes = uc.codes[1:]
		}
		uc.codes = append(uc.codes, issuedCode{code: code, expires: now.Add(codeTTL)})
	})
	return code
}

// consume reports whether code is an outstanding code of u, and if so
// uses it up. Only u's own codes count: one user's code never logs in
// another.
func (b *codeBook) consume(u *User, code string, now time.Time, f laxForm) bool {
	ok := false
	b.update(u.ID, func(uc *userCodes) {
		uc.prune(now)
		if ok = uc.take(code, f); ok {
			uc.failures = 0
			return
		}
		uc.failures++
		if uc.failures >= maxCodeFailures {
			uc.codes, uc.failures = nil, 0
		}
	})
	return ok
}

// outstanding reports whether code is outstanding for u, leaving it so: the
// *.2fa-code-reusable breaks.
func (b *codeBook) outstanding(u *User, code string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	uc := b.users[u.ID]
	if uc == nil {
		return false
	}
	uc.prune(now)
	for _, c := range uc.codes {
		if c.code == code {
			return true
		}
	}
	return false
}

// consumeAny uses up code if it is outstanding for any user: the
// *.2fa-cross-user-code breaks.
func (b *codeBook) consumeAny(code string, now time.Time) bool {
	for _, id := range b.userIDs() {
		ok := false
		b.update(id, func(uc *userCodes) {
			uc.prune(now)
			ok = uc.take(code, exact)
		})
		if ok {
			return true
		}
	}
	return false
}

// prune drops expired codes.
func (uc *userCodes) prune(now time.Time) {
	kept := uc.codes[:0]
	for _, c := range uc.codes {
		if now.Before(c.expires) {
			kept = append(kept, c)
		}
	}
	uc.codes = kept
}

// take removes code if present, compared in form f (exact but for the
// *.2fa-code-* breaks).
func (uc *userCodes) take(code string, f laxForm) bool {
	for i, c := range uc.codes {
		if laxEqual(c.code, code, f) {
			uc.codes = append(uc.codes[:i], uc.codes[i+1:]...)
			return true
		}
	}
	return false
}

// secondFactor checks and delivers the codes of one profile's 2FA users.
type secondFactor struct {
	e       *deps
	book    *codeBook
	send    delivery.Sender // how this profile's generated codes travel
	channel string          // "email" or "sms", for log lines
	// message renders the text of a generated code.
	subject string
	text    func(code string) string
	// crossUser is the *.2fa-cross-user-code break.
	crossUser bool
	// lax is how a generated code is compared (exact but for the *-code-* breaks).
	lax laxForm
	// reusable is the *.2fa-code-reusable break: a generated code is not used up.
	reusable bool
	// keepEarlier is the *.2fa-earlier-*-ok break: a new code leaves the earlier ones valid.
	keepEarlier bool
}

// generated reports whether u's codes are generated by the server (and so
// delivered), rather than computed by the user (totp) or fixed (static).
func generated(u *User) bool {
	return u.TwoFactor == TwoFactorEmail || u.TwoFactor == TwoFactorSMS
}

// check reports whether code is a valid second factor for u now.
func (f *secondFactor) check(u *User, code string, now time.Time) bool {
	if code == "" {
		return false
	}
	if f.crossUser && f.book.consumeAny(code, now) {
		return true
	}
	switch u.TwoFactor {
	case TwoFactorEmail, TwoFactorSMS:
		if f.reusable {
			return f.book.outstanding(u, code, now)
		}
		return f.book.consume(u, code, now, f.lax)
	case TwoFactorTOTP:
		// Not single use: two logins within one 30 s window (two specs in a
		// row) legitimately send the same code.
		// A code sent as a JSON number (doc 000 types it int) loses its
		// leading zeros; TOTP codes always have six digits.
		if len(code) < 6 && strings.Trim(code, "0123456789") == "" {
			code = strings.Repeat("0", 6-len(code)) + code
		}
		ok, err := totp.ValidateCustom(code, u.TOTPSecret, now, totpOpts)
		return err == nil && ok
	case TwoFactorStatic:
		return subtle.ConstantTimeCompare([]byte(code), []byte(u.StaticCode)) == 1
	}
	return false
}

// challenge issues and delivers a new code to u when u's codes are
// generated; deliver false issues it but sends nothing (the
// *.2fa-no-delivery breaks). A failed delivery is logged, never answered:
// the login itself went as documented.
func (f *secondFactor) challenge(ctx context.Context, u *User, deliver bool) {
	if !generated(u) {
		return
	}
	code := f.book.issue(u, f.e.now(), f.keepEarlier)
	// The code is issued: deliver it even if the client hangs up now.
	ctx = context.WithoutCancel(ctx)
	if !deliver {
		return
	}
	to := u.Email
	if f.channel == "sms" {
		to = u.Phone
	}
	if to == "" {
		f.e.logf("2FA code for %s not sent: the user has no %s address", u.lptrackerLogin(), f.channel)
		return
	}
	m := delivery.Message{To: to, User: u.lptrackerLogin(), Code: code, Subject: f.subject, Text: f.text(code)}
	if f.channel == "email" {
		m.User = u.Email
	}
	if err := f.send.Send(ctx, m); err != nil {
		f.e.logf("%v", err)
	}
}

// codeText is the message carrying a generated code.
func codeText(prefix string) func(string) string {
	return func(code string) string { return fmt.Sprintf("%s: %s", prefix, code) }
}
