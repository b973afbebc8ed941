package env

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/config"
)

// Form is one shape of a wrong credential that real servers' comparisons let through: an empty
// value (a missing-value check that tests presence only), the right value in another letter
// case (a case-insensitive compare, or a lower-cased lookup), a prefix of it (a compare over
// the shorter length), the right value with more appended (a truncating compare or a
// starts-with test), and another account's right value (a check against every account, not
// the one named). A server that compares exactly refuses them all, whatever it answers.
//
// Forms are values fixed at compile time, so a spec package registers one spec per form before
// any config is read.
type Form int

// The forms, in the order specs register them.
const (
	FormEmpty    Form = iota // ""
	FormCase                 // every letter's case swapped
	FormPrefix               // all but the last character
	FormAppended             // the right value and one character more
	FormOther                // another account's right value
)

// Forms lists every form in registration order.
func Forms() []Form {
	return []Form{FormEmpty, FormCase, FormPrefix, FormAppended, FormOther}
}

// CodeForms lists the forms that apply to a 2FA code the target generated: digits have no
// letter case.
func CodeForms() []Form {
	return []Form{FormEmpty, FormPrefix, FormAppended, FormOther}
}

// TokenForms lists the forms of an issued session token that its checks send: a prefix (a
// compare over the shorter length) and one character appended (a starts-with test, or a value
// truncated to its column's width). Each is another token, which no login returned, so every
// reading of the documents refuses it: an opaque random token, a JWT (its signature no longer
// decodes to the one signed), an id with a secret. Letter case is left out: a hex token or a
// UUID names the same value in either case on many a conforming server.
func TokenForms() []Form {
	return []Form{FormPrefix, FormAppended}
}

// What says what a spec of this form sends in place of a noun ("password", "apiSecret"), for
// spec texts: "an empty password", "another account's password".
func (f Form) What(noun string) string {
	switch f {
	case FormEmpty:
		return "an empty " + noun
	case FormCase:
		return "the " + noun + " in another letter case"
	case FormPrefix:
		return "the " + noun + " without its last character"
	case FormAppended:
		return "the " + noun + " with one character appended"
	case FormOther:
		return "another account's " + noun
	}
	return fmt.Sprintf("form %d of the %s", int(f), noun)
}

// Of returns the value to send in place of right; other is another account's right value of
// the same kind ("" when the config has no other account). When the form does not apply to
// these values (a value without letters has no other case) the spec skips, saying why; what
// names the value for that message.
func (f Form) Of(right, other, what string) string {
	ginkgo.GinkgoHelper()
	v, why := f.value(right, other)
	if why != "" {
		ginkgo.Skip(fmt.Sprintf("%s: %s", what, why))
	}
	return v
}

// Value is Of without the skip, for callers outside a spec (the exploration, package
// explore): the value, or why the form does not apply.
func (f Form) Value(right, other string) (string, string) { return f.value(right, other) }

// value is Of without the skip, for tests: the value, or why the form does not apply.
func (f Form) value(right, other string) (string, string) {
	switch f {
	case FormEmpty:
		if right == "" {
			return "", "the right value is empty itself"
		}
		return "", ""
	case FormCase:
		v := swapCase(right)
		if v == right {
			return "", "it has no letters, so no other letter case"
		}
		return v, ""
	case FormPrefix:
		_, last := utf8.DecodeLastRuneInString(right)
		if len(right)-last == 0 {
			return "", "a value of one character has no prefix but the empty one (see the empty form)"
		}
		return right[:len(right)-last], ""
	case FormAppended:
		if right != "" && strings.Trim(right, "0123456789") == "" {
			return right + "0", "" // a code stays all digits, so a server cannot refuse it by its form
		}
		return right + "x", ""
	case FormOther:
		switch other {
		case "":
			return "", "needs a second account to take its value from: add one to the config"
		case right:
			return "", "both accounts have the same value"
		}
		return other, ""
	}
	return "", fmt.Sprintf("unknown form %d", int(f))
}

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

// Wrong returns a wrong value in none of the forms, for specs that need a refusal to read
// (its shape, its message) and must not fail with a server that lets one form through, which
// a spec of that form reports: the right value with text put before it.
func Wrong(right string) string {
	return "conform-wrong-" + right
}

// Other returns the value of is for the first configured account other than a whose value
// differs, or "" when there is none: another account's right value, for FormOther.
func (e *Env) Other(a config.Account, is func(config.Account) string) string {
	for _, o := range e.Config.Accounts {
		if v := is(o); v != "" && v != is(a) {
			return v
		}
	}
	return ""
}
