// Package redact keeps a run's secrets out of everything conform writes: the console, failure
// messages, exchanges and curl lines, the JSON and JUnit reports, transport errors, and
// `conform load`'s report and results file.
//
// A Redactor knows the secrets of a target config (passwords, API keys and secrets, the
// company API key, static 2FA codes, TOTP secrets, the JWT key) and learns more while the run
// goes (the 2FA codes read from sinks). It masks each secret in every form the secret takes on
// the wire or in a report, replacing the whole form with Mask:
//
//   - raw;
//   - JSON-escaped: Go's escaping (& < > as \u0026 \u003c \u003e), plain JSON escaping,
//     non-ASCII as \u escapes (Python's default) and with / as \/ (PHP's);
//   - Go-quoted (%q), plain and ASCII-only;
//   - query-escaped (%XX with + for space, or %20) and path-escaped, hex in upper or lower case;
//   - XML- and HTML-escaped (&#34; &#39; and &quot; &apos;);
//   - each of those escaped once more by JSON, XML or Go quoting (an echoed JSON body inside a
//     JSON answer, a JSON report entry inside JUnit XML);
//   - base64, standard and URL alphabets, padded or not: of the secret, of `secret:` (curl -u
//     KEY:) and of `user:secret` (AddCredential), and wherever the secret sits inside a longer
//     base64 text (a JWT payload, any Basic credential); a whole `Basic` credential that
//     decodes to text holding a secret is masked as one.
//
// Overlapping forms of several secrets are masked as one span, so no part of either shows. A
// secret cut short by a clip, its first characters right before "...", is masked too.
//
// A form of digits only (a 2FA code) is masked where it stands as a whole number: "code=1234"
// and "\"1234\"" are masked, the year of "2026-12-01T10:31:16.451234899Z" and its
// nanoseconds are not.
//
// Secrets shorter than MinLen characters are not masked: a one-letter password would turn every
// "p" of the output into the mask. The config's notes (Notes) name each such field so that a
// run can say so.
//
// Percent escapes are matched with their hex digits in any case (%2a%2B), and base64 forms
// also query-escaped (+ / = as %2B %2F %3D).
//
// What is not masked: forms encoded three times or more,
// encodings not listed above, and secrets the config does not hold (a token is not a secret).
package redact

import (
	"slices"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Mask replaces every secret.
const Mask = "****"

// MinLen is the fewest characters a secret must have to be masked.
const MinLen = 4

// Redactor masks secrets in text. The zero value and nil mask nothing; New makes one. It is safe
// for concurrent use, Add included: masking goes on with the secrets known when it starts.
type Redactor struct {
	mu    sync.Mutex // serialises Add
	known map[string]bool
	pats  []string // every form of every secret, deduplicated
	m     atomic.Pointer[matcher]
}

// New returns a Redactor that masks secrets (see Add for the ones it ignores).
func New(secrets ...string) *Redactor {
	r := &Redactor{}
	r.Add(secrets...)
	return r
}

// Add makes secrets masked from now on and reports whether all of them will be: it ignores an
// empty secret and returns false for one shorter than MinLen characters.
func (r *Redactor) Add(secrets ...string) bool {
	ok := true
	var pats []string
	for _, s := range secrets {
		if !Maskable(s) {
			ok = ok && s == ""
			continue
		}
		pats = append(pats, forms(s)...)
	}
	r.add(secrets, pats)
	return ok
}

// AddCredential adds secret, and the base64 of `user:secret` as a Basic credential carries it.
func (r *Redactor) AddCredential(user, secret string) bool {
	if !Maskable(secret) {
		return secret == ""
	}
	r.add([]string{secret}, append(forms(secret), basicForms(user+":"+secret)...))
	return true
}

// Maskable reports whether s is long enough to be masked (MinLen characters or more).
func Maskable(s string) bool { return utf8.RuneCountInString(s) >= MinLen }

func (r *Redactor) add(secrets, pats []string) {
	if r == nil || len(pats) == 0 {
		return // a nil Redactor masks nothing, and learns nothing
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.known == nil {
		r.known = map[string]bool{}
	}
	grew := false
	var raws []string
	for _, s := range secrets {
		if Maskable(s) && !r.known[s] {
			r.known[s] = true
			raws = append(raws, s)
		}
	}
	seen := make(map[string]bool, len(r.pats)+len(pats))
	for _, p := range r.pats {
		seen[p] = true
	}
	for _, p := range pats {
		if len(p) >= minPattern && !seen[p] {
			seen[p] = true
			r.pats = append(r.pats, p)
			grew = true
		}
	}
	if !grew && len(raws) == 0 {
		return
	}
	old := r.m.Load()
	var rawAll []string
	if old != nil {
		rawAll = slices.Clone(old.raw)
	}
	rawAll = append(rawAll, raws...)
	r.m.Store(newMatcher(r.pats, rawAll))
}

// Len is the number of secrets that are masked.
func (r *Redactor) Len() int {
	if m := r.matcher(); m != nil {
		return len(m.raw)
	}
	return 0
}

func (r *Redactor) matcher() *matcher {
	if r == nil {
		return nil
	}
	return r.m.Load()
}

// String returns s with every form of every secret masked.
func (r *Redactor) String(s string) string {
	m := r.matcher()
	if m == nil {
		return s
	}
	return m.replace(s)
}

// Bytes returns b with every form of every secret masked; b itself when nothing is.
func (r *Redactor) Bytes(b []byte) []byte {
	m := r.matcher()
	if m == nil {
		return b
	}
	s := string(b)
	if out := m.replace(s); out != s {
		return []byte(out)
	}
	return b
}

// Error returns err with its message masked. The result unwraps to err, so errors.Is and
// errors.As see what they saw before; nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil || r.matcher() == nil {
		return err
	}
	if done, ok := err.(*redacted); ok {
		err = done.err // mask its message again with the secrets known now
	}
	return &redacted{msg: r.String(err.Error()), err: err}
}

// redacted is an error whose message had its secrets masked.
type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }
