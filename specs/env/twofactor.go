package env

import (
	"context"
	"fmt"
	"slices"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/twofactor"
)

// TwoFactorAccount returns the i-th account (from 0) that has two_factor, skipping the spec
// when the config has fewer.
func (e *Env) TwoFactorAccount(i int) config.Account {
	ginkgo.GinkgoHelper()
	return e.accountWhere(i, true)
}

// TwoFactorAccounts returns every configured account with two_factor, skipping the spec when
// there is none: a per-account 2FA behavior (the challenge, the delivery of the code, the
// login with it) is checked on each, since a server may keep it for one user and not another.
func (e *Env) TwoFactorAccounts() []config.Account {
	ginkgo.GinkgoHelper()
	var out []config.Account
	for _, a := range e.Config.Accounts {
		if a.TwoFactor != nil {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		ginkgo.Skip(fmt.Sprintf("needs an account with two_factor (a user with 2FA on, and how conform gets its codes); %s.accounts has none: add one to the config", e.Profile))
	}
	return out
}

// PlainAccount returns the i-th account (from 0) without two_factor, skipping the spec when
// the config has fewer.
func (e *Env) PlainAccount(i int) config.Account {
	ginkgo.GinkgoHelper()
	return e.accountWhere(i, false)
}

func (e *Env) accountWhere(i int, twoFactor bool) config.Account {
	ginkgo.GinkgoHelper()
	var found []config.Account
	for _, a := range e.Config.Accounts {
		if (a.TwoFactor != nil) == twoFactor {
			found = append(found, a)
		}
	}
	if i < len(found) {
		return found[i]
	}
	what := "without two_factor"
	if twoFactor {
		what = "with two_factor (a user with 2FA on, and how conform gets its codes)"
	}
	ginkgo.Skip(fmt.Sprintf("needs %d accounts %s; %s.accounts has %d: add one to the config", i+1, what, e.Profile, len(found)))
	return config.Account{}
}

// Codes returns the code source of a 2FA account; a source that cannot work (its sink is not
// running) fails the spec, naming the config field to fix.
func (e *Env) Codes(a config.Account) twofactor.Source {
	ginkgo.GinkgoHelper()
	src, err := twofactor.For(a, e.Profile, e.Sinks)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s.accounts (%s).two_factor: %v", e.Profile, a.Login, err))
	}
	return src
}

// Code gets the code of src after mark, failing the spec with the source's reason when none
// comes. A wait for a delivered code ends when ctx does.
func Code(ctx context.Context, src twofactor.Source, mark uint64) string {
	ginkgo.GinkgoHelper()
	c, err := src.Code(ctx, mark)
	if err != nil {
		ginkgo.Fail(fmt.Sprintf("%s\n     got: %v", twofactor.NoCode, err))
	}
	return c
}

// ExpectDelivered fails the spec unless the code the target sent after mark arrives at the
// account's source, naming the account (by its login) whose code did not. A source the target does not deliver to (static, totp, command) cannot
// show a delivery: the spec skips, naming the sink that would (sink, e.g. "smtp").
func ExpectDelivered(ctx context.Context, a config.Account, src twofactor.Source, mark uint64, sink string) {
	ginkgo.GinkgoHelper()
	if !src.Delivered() {
		ginkgo.Skip("the account's code source (" + a.TwoFactor.Source + ") is not one the target delivers to: use " + sink + " to see the delivery")
	}
	if _, err := src.Code(ctx, mark); err != nil {
		ginkgo.Fail(fmt.Sprintf("%s for %s\n     got: %v", twofactor.NoCode, a.Login, err))
	}
}

// ExpectDeliveredEach is ExpectDelivered for every account (srcs and marks in the same order):
// a code that never arrives for one account is a failure of delivery for that account, named,
// not a skip, whatever the other accounts got. Accounts whose source the target does not
// deliver to are left out; when that is every account, the spec skips.
func ExpectDeliveredEach(ctx context.Context, accounts []config.Account, srcs []twofactor.Source, marks []uint64, sink string) {
	ginkgo.GinkgoHelper()
	checked := 0
	for i, a := range accounts {
		if srcs[i].Delivered() {
			ExpectDelivered(ctx, a, srcs[i], marks[i], sink)
			checked++
		}
	}
	if checked == 0 {
		ExpectDelivered(ctx, accounts[0], srcs[0], marks[0], sink)
	}
}

// CodeOrSkip is Code for specs that only use the code: without one they skip, naming the
// must-level spec that reports the cause.
func CodeOrSkip(ctx context.Context, src twofactor.Source, mark uint64, cause string) string {
	ginkgo.GinkgoHelper()
	c, err := src.Code(ctx, mark)
	if err != nil {
		ginkgo.Skip(fmt.Sprintf("no 2FA code to use (%v): see %s", err, cause))
	}
	return c
}

// WrongCode returns a code of right's length that is neither right nor any code src knows the
// target gave the account (twofactor.Source.Issued): a target may keep an earlier code valid
// when it sends a later one, and a 4-digit code has only 9000 values, so the next code along
// from the right one is, now and then, an earlier right one.
func WrongCode(src twofactor.Source, right string) string {
	c := OtherCode(right)
	// The last digit's nine other values; if every one of them were issued too, the ninth is
	// sent all the same.
	for range 8 {
		if !Issued(src, c) {
			break
		}
		c = OtherCode(c)
	}
	return c
}

// Issued reports whether code is one src knows the target gave the account.
func Issued(src twofactor.Source, code string) bool {
	return slices.Contains(src.Issued(), code)
}

// OtherCode returns a code of the same length as c that is not c: a wrong code that a target
// cannot tell from a right one by its form.
func OtherCode(c string) string {
	b := []byte(c)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] >= '0' && b[i] <= '9' {
			b[i] = '0' + (b[i]-'0'+1)%10
			return string(b)
		}
	}
	return c + "0"
}

// ExpectChallenged fails a 2FA spec whose initial login (the right password, no code) was
// refused outright, saying what to check: conform does not log 2FA accounts in before the
// run, as that would make the target send a code, so a wrong password of one in the config
// shows here first. path is the answer's field that tells the refusal.
func ExpectChallenged(a config.Account, refused bool, resp *client.Response, path string) {
	ginkgo.GinkgoHelper()
	if refused {
		ginkgo.Fail(fmt.Sprintf("expected the answer that asks %s for a 2FA code\n     got: a refused login, %s\n    (a target answers so to a wrong password too: check the config's password of %s; conform does not log 2FA accounts in before the run, as that would send a code)",
			a.Login, DescribeField(resp, path), a.Login))
	}
}

// Owing is a batch of logins about to be sent, with the mark of each that is a 2FA account's
// with its right password (a login that can make the target send the account a code).
type Owing struct {
	srcs  []twofactor.Source // nil for a login of no 2FA account
	marks []uint64
}

// MarkLogins takes the mark of each login of who (login and password as sent) that is a 2FA
// account's with its right password; taking it waits for the codes still owed to the account
// (twofactor.Source.Mark), so that a code a target sends late is not read as a later one.
func (e *Env) MarkLogins(ctx context.Context, who ...config.Account) Owing {
	ginkgo.GinkgoHelper()
	o := Owing{srcs: make([]twofactor.Source, len(who)), marks: make([]uint64, len(who))}
	for i, w := range who {
		for _, a := range e.Config.Accounts {
			if a.TwoFactor != nil && a.Login == w.Login && a.Password == w.Password {
				o.srcs[i] = e.Codes(a)
				o.marks[i] = o.srcs[i].Mark(ctx)
				break
			}
		}
	}
	return o
}

// Owe owes the code of every login whose answer (answers in the order of MarkLogins' who) the
// document says makes the target send one (sent), for the account's next mark to wait for.
func (o Owing) Owe(answers []*client.Response, sent func(*client.Response) bool) {
	if sent == nil {
		return
	}
	for i, resp := range answers {
		if i < len(o.srcs) && o.srcs[i] != nil && resp != nil && sent(resp) {
			o.srcs[i].Owe(o.marks[i])
		}
	}
}
