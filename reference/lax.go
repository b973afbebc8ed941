package reference

import (
	"crypto/subtle"
	"strings"
	"sync"
	"unicode"
)

// laxForm is a way real servers compare a credential wrongly, each letting one wrong form of it
// through. The reference compares exactly; a break switches one credential of one profile
// (a password, an API secret or key, a 2FA code) to one lax form, so that conform's spec
// sending that form, and no other, sees the server accept it.
type laxForm int

const (
	exact       laxForm = iota
	laxEmpty            // an empty value passes: a check that tests presence only
	laxCase             // letter case is ignored: a case-insensitive compare or a lower-cased lookup
	laxPrefix           // a prefix of the right value passes: a compare over the shorter length
	laxAppended         // the right value with anything appended passes: a starts-with test, truncation
	laxOther            // another account's right value passes: a check against every account
)

// laxDef is one lax form as a break: the name's suffix and what the broken server does, with
// %s standing for the credential.
type laxDef struct {
	suffix string
	form   laxForm
	what   string
}

// laxDefs lists every lax form as a break, in the order conform's forms are sent.
func laxDefs() []laxDef {
	return []laxDef{
		{"empty-ok", laxEmpty, "an empty %s passes"},
		{"case-folded", laxCase, "the %s is compared without letter case"},
		{"prefix-ok", laxPrefix, "a prefix of the %s passes"},
		{"appended-ok", laxAppended, "the %s with anything appended passes"},
		{"other-account", laxOther, "another account's %s passes"},
	}
}

// laxBreakDefs returns one break per lax form of one credential, named name-<form> (e.g.
// jwt.password-empty-ok), each setting the credential's form with set.
func laxBreakDefs[T any](name, credential string, set func(*T, laxForm), forms ...laxForm) []breakDef[T] {
	var out []breakDef[T]
	for _, d := range laxDefs() {
		if len(forms) > 0 && !containsForm(forms, d.form) {
			continue
		}
		f := d.form
		out = append(out, breakDef[T]{
			name: name + "-" + d.suffix,
			what: strings.ReplaceAll(d.what, "%s", credential),
			set:  func(t *T) { set(t, f) },
		})
	}
	return out
}

func containsForm(forms []laxForm, f laxForm) bool {
	for _, g := range forms {
		if g == f {
			return true
		}
	}
	return false
}

// laxEqual compares a credential held in clear (an API key, a 2FA code) with the one sent, in
// constant time when exact.
func laxEqual(right, given string, f laxForm) bool {
	if subtle.ConstantTimeCompare([]byte(right), []byte(given)) == 1 {
		return true
	}
	switch f {
	case laxEmpty:
		return given == ""
	case laxCase:
		return strings.EqualFold(right, given)
	case laxPrefix:
		return given != "" && strings.HasPrefix(right, given)
	case laxAppended:
		return strings.HasPrefix(given, right)
	}
	return false
}

// secretOK checks a secret held as a bcrypt hash (hashOf(u): a password or an API secret)
// against the one sent, in form f. Only the lax forms spend more than one bcrypt, and only
// when the exact check failed. laxPrefix needs the secret in clear, which a hash does not
// give: the broken server keeps each secret that passed, as a server storing secrets in clear
// would, and compares the sent one against what it kept; before any passed, it tries the sent
// value with one character of prefixTail appended.
func (e *deps) secretOK(u *User, hashOf func(*User) string, given string, f laxForm) bool {
	check := func(hash, v string) bool {
		if hash == "" {
			return false
		}
		return e.verified.compare([]byte(hash), v)
	}
	if check(hashOf(u), given) {
		if f == laxPrefix {
			e.kept.Store(hashOf(u), given)
		}
		return true
	}
	switch f {
	case laxEmpty:
		return given == ""
	case laxCase:
		for _, v := range []string{strings.ToLower(given), strings.ToUpper(given), swapCase(given)} {
			if v != given && check(hashOf(u), v) {
				return true
			}
		}
	case laxPrefix:
		if given == "" {
			return false
		}
		if kept, ok := e.kept.Load(hashOf(u)); ok {
			return strings.HasPrefix(kept.(string), given)
		}
		// Nothing kept yet: the secret one character longer (a letter, digit or dash, the
		// characters of the fixtures' secrets), so that the break does not depend on which
		// request came first.
		for _, c := range prefixTail {
			if check(hashOf(u), given+string(c)) {
				e.kept.Store(hashOf(u), given+string(c))
				return true
			}
		}
	case laxAppended:
		// bcrypt reads the first 72 bytes of a secret, so longer prefixes check the same: a
		// 1 MiB secret (the negative specs send one) costs at most 72 hashes, not a million.
		for i := min(len(given)-1, bcryptMaxBytes); i > 0; i-- {
			if check(hashOf(u), given[:i]) {
				return true
			}
		}
	case laxOther:
		for _, o := range e.users.list {
			if o != u && check(hashOf(o), given) {
				return true
			}
		}
	}
	return false
}

// bcryptMaxBytes is the longest secret bcrypt reads; it ignores the bytes after it.
const bcryptMaxBytes = 72

// prefixTail are the characters laxPrefix tries after a sent value when it has kept nothing.
const prefixTail = "0123456789abcdefghijklmnopqrstuvwxyz-"

// passwordHash and apiSecretHash are the hashes secretOK checks.
func passwordHash(u *User) string  { return u.PasswordHash }
func apiSecretHash(u *User) string { return u.APISecretHash }

// swapCase turns every upper-case letter into lower case and every other letter into upper
// case.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}, s)
}

// laxTokens matches a sent session token against the tokens a profile issued in one lax form,
// as a server does that compares tokens over the shorter length (laxPrefix) or truncates what
// it is sent to its column's width (laxAppended). Under the exact form (every run without a
// <profile>.token-* break) it keeps nothing and resolves every token to itself.
type laxTokens struct {
	form   laxForm
	mu     sync.Mutex
	issued []string // the latest tokens issued, at most maxLaxTokens
}

// maxLaxTokens bounds what a broken reference keeps: a load run issues tokens by the thousand.
const maxLaxTokens = 4096

// issue records a token the profile handed out.
func (l *laxTokens) issue(tok string) {
	if l.form == exact {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.issued) == maxLaxTokens {
		l.issued = append(l.issued[:0], l.issued[1:]...)
	}
	l.issued = append(l.issued, tok)
}

// resolve is the token to look up for a sent one: the latest issued token it matches in the
// lax form, or the sent one.
func (l *laxTokens) resolve(given string) string {
	if l.form == exact || given == "" {
		return given
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := len(l.issued) - 1; i >= 0; i-- {
		if laxEqual(l.issued[i], given, l.form) {
			return l.issued[i]
		}
	}
	return given
}
