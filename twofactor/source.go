// Package twofactor obtains the 2FA codes of test accounts, however the target hands them out:
// a fixed code (static), an RFC 6238 code from a shared secret (totp), a shell command that
// prints the code (command), or a message the target sends out of band, caught by a sink
// conform runs itself: a mail server (smtp) or an HTTP endpoint for SMS-gateway callbacks
// (webhook).
//
// A delivered code belongs to the request that triggered it, so a spec marks the sink before
// that request and asks for a code delivered after the mark:
//
//	src, _ := codes.For(account, profile, sinks)
//	mark := src.Mark(ctx)
//	... send the login that makes the target send a code ...
//	code, err := src.Code(ctx, mark)
//
// A target may send a code some time after it answers (a mail queue): a message a request
// triggered and nobody read would then arrive after a later mark and be taken for the later
// request's code. So a request whose answer says a code was sent, and whose code is not read,
// is owed (Owe); the next Mark of the account waits for what is owed first.
package twofactor

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/config"
)

// Source gives an account's current 2FA code.
type Source interface {
	// Delivered reports whether the target sends the code (smtp, webhook), so that a code
	// showing up proves the target sent one, rather than conform knowing it (static, totp,
	// command).
	Delivered() bool
	// Mark returns the current position in the delivered stream; zero for sources that are
	// not delivered. It first waits for the messages owed to the account (Owe), each up to
	// the account's timeout in all (one that does not come is given up), so that none of
	// them arrives after the mark.
	Mark(ctx context.Context) uint64
	// Owe records that a request sent after mark made the target send the account a
	// message (its answer says so), which may still be on its way; reading a code after
	// mark pays it.
	Owe(mark uint64)
	// Code returns the code: for a delivered source, from the first message for the account
	// after mark, waiting up to the account's timeout; otherwise computed now.
	Code(ctx context.Context, mark uint64) (string, error)
	// Issued returns the codes the source knows the target gave the account so far, any of
	// which a target may still take (the documents do not say an earlier code stops working
	// when a later one is sent): for a delivered source the code of every message for the
	// account it holds; for TOTP this step's code and the steps' either side (a server may
	// allow that skew); a static code; none for a command, which prints only the current one.
	// A spec sending a wrong code picks one outside them.
	Issued() []string
}

var (
	_ Source = staticSource("")
	_ Source = totpSource{}
	_ Source = commandSource{}
	_ Source = (*sinkSource)(nil)
	_ Source = learning{}
)

// NoCode starts the failure of a spec whose 2FA code did not come: a failure seen off the
// wire (in a mailbox or a phone), which a replay of the requests cannot show.
const NoCode = "expected a 2FA code"

// Secrets learns values to keep out of output; *redact.Redactor is one.
type Secrets interface {
	// Add makes secrets masked from now on.
	Add(secrets ...string) bool
}

// For returns the source of account a of profile, which must have two_factor. sinks are the
// running sinks; a delivered source whose sink is not running is an error. When sinks has
// Secrets, every code the source returns is added to them before the caller sees it.
func For(a config.Account, profile string, sinks *Sinks) (Source, error) {
	src, err := source(a, profile, sinks)
	if err != nil || sinks == nil || sinks.Secrets == nil {
		return src, err
	}
	return learning{src, sinks.Secrets}, nil
}

// learning is a Source whose codes become secrets as soon as they are read.
type learning struct {
	Source
	secrets Secrets
}

func (l learning) Code(ctx context.Context, mark uint64) (string, error) {
	c, err := l.Source.Code(ctx, mark)
	if c != "" {
		l.secrets.Add(c)
	}
	return c, err
}

func source(a config.Account, profile string, sinks *Sinks) (Source, error) {
	t := a.TwoFactor
	if t == nil {
		return nil, fmt.Errorf("account %s has no two_factor", a.Login)
	}
	re, err := regexp.Compile(t.Regex)
	if err != nil {
		return nil, fmt.Errorf("account %s: two_factor.regex: %w", a.Login, err)
	}
	timeout := t.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	switch t.Source {
	case "static":
		return staticSource(t.Code), nil
	case "totp":
		return totpSource{secret: t.TOTPSecret}, nil
	case "command":
		return commandSource{cmd: t.Command, timeout: timeout, re: re,
			env: []string{"CONFORM_ACCOUNT=" + a.Login, "CONFORM_ADDRESS=" + t.Address, "CONFORM_PROFILE=" + profile}}, nil
	case "smtp":
		if sinks == nil || sinks.SMTP == nil {
			return nil, fmt.Errorf("account %s: source smtp but no SMTP sink is running (set sinks.smtp.listen)", a.Login)
		}
		return &sinkSource{box: sinks.SMTP.box, kind: "mail to " + t.Address, timeout: timeout, re: re,
			match: func(m Message) bool { return m.ForAddress(t.Address) }, text: func(m Message) string { return m.Text }}, nil
	case "webhook":
		if sinks == nil || sinks.Webhook == nil {
			return nil, fmt.Errorf("account %s: source webhook but no webhook sink is running (set sinks.webhook.listen)", a.Login)
		}
		path := t.JSONPath
		return &sinkSource{box: sinks.Webhook.box, kind: "webhook body containing " + t.Address, timeout: timeout, re: re,
			match: func(m Message) bool { return containsDecoded(m.Text, t.Address) },
			text: func(m Message) string {
				if path != "" {
					if v := gjson.Get(m.Text, path); v.Exists() {
						return v.String()
					}
				}
				return m.Text
			}}, nil
	}
	return nil, fmt.Errorf("account %s: unknown two_factor.source %q", a.Login, t.Source)
}

// staticSource is a fixed code the target accepts for a test user.
type staticSource string

func (staticSource) Delivered() bool             { return false }
func (staticSource) Mark(context.Context) uint64 { return 0 }
func (staticSource) Owe(uint64)                  {}
func (s staticSource) Code(context.Context, uint64) (string, error) {
	return string(s), nil
}
func (s staticSource) Issued() []string { return []string{string(s)} }

// totpSource computes RFC 6238 codes with the defaults authenticator apps use: 30 s steps,
// SHA-1, 6 digits.
type totpSource struct{ secret string }

func (totpSource) Delivered() bool             { return false }
func (totpSource) Mark(context.Context) uint64 { return 0 }
func (totpSource) Owe(uint64)                  {}
func (s totpSource) Code(context.Context, uint64) (string, error) {
	return TOTP(s.secret, time.Now())
}
func (s totpSource) Issued() []string {
	var out []string
	now := time.Now()
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		if c, err := TOTP(s.secret, now.Add(d)); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// TOTP returns the RFC 6238 code of a base32 secret at t (30 s steps, SHA-1, 6 digits).
func TOTP(secret string, t time.Time) (string, error) {
	secret = strings.ToUpper(strings.ReplaceAll(secret, " ", ""))
	code, err := totp.GenerateCodeCustom(secret, t, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", fmt.Errorf("totp: %w", err)
	}
	return code, nil
}

// commandSource runs a shell command that prints the code.
type commandSource struct {
	cmd     string
	env     []string
	timeout time.Duration
	re      *regexp.Regexp
}

func (commandSource) Delivered() bool             { return false }
func (commandSource) Mark(context.Context) uint64 { return 0 }
func (commandSource) Owe(uint64)                  {}
func (commandSource) Issued() []string            { return nil }
func (s commandSource) Code(ctx context.Context, _ uint64) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	c := exec.CommandContext(ctx, "sh", "-c", s.cmd)
	c.Env = append(os.Environ(), s.env...)
	var stderr strings.Builder
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		return "", fmt.Errorf("two_factor.command %q: %w %s", s.cmd, err, strings.TrimSpace(stderr.String()))
	}
	code := strings.TrimSpace(string(out))
	if code == "" {
		return "", fmt.Errorf("two_factor.command %q printed nothing", s.cmd)
	}
	if !strings.ContainsAny(code, " \n\t") {
		return code, nil
	}
	if c := extract(s.re, code); c != "" {
		return c, nil
	}
	return "", fmt.Errorf("two_factor.command %q printed %q, not a code", s.cmd, clip(code))
}

// sinkSource waits for a delivered message.
type sinkSource struct {
	box     *inbox
	kind    string
	timeout time.Duration
	re      *regexp.Regexp
	match   func(Message) bool
	text    func(Message) string
}

func (*sinkSource) Delivered() bool   { return true }
func (s *sinkSource) Owe(mark uint64) { s.box.owe(s.kind, mark) }

// Mark waits for the messages owed to the account, oldest first, each after the later of its
// mark and the message before (one message pays one request), then gives the inbox's place.
func (s *sinkSource) Mark(ctx context.Context) uint64 {
	if owed := s.box.takeOwed(s.kind); len(owed) > 0 {
		ctx, cancel := context.WithTimeout(ctx, s.timeout)
		defer cancel()
		var after uint64
		for _, m := range owed {
			m, err := s.box.wait(ctx, max(after, m), s.match)
			if err != nil {
				break // not come within the timeout: given up, as a code never sent
			}
			after = m.Seq
		}
	}
	return s.box.mark()
}
func (s *sinkSource) Issued() []string {
	var out []string
	for _, m := range s.box.messages() {
		if !s.match(m) {
			continue
		}
		if c := extract(s.re, s.text(m)); c != "" {
			out = append(out, c)
		}
	}
	return out
}
func (s *sinkSource) Code(ctx context.Context, mark uint64) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var seen []string
	m, err := s.box.wait(ctx, mark, func(m Message) bool {
		if !s.match(m) {
			return false
		}
		if extract(s.re, s.text(m)) == "" {
			seen = append(seen, clip(s.text(m)))
			return false
		}
		return true
	})
	if err != nil {
		if len(seen) > 0 {
			return "", fmt.Errorf("%s arrived within %s but regex %s found no code in it: %q", s.kind, s.timeout, s.re, seen[0])
		}
		return "", fmt.Errorf("no %s arrived within %s (%d messages reached the sink in all)", s.kind, s.timeout, s.box.count())
	}
	s.box.paid(s.kind, m.Seq)
	return extract(s.re, s.text(m)), nil
}

// containsDecoded reports whether body holds s as is or, for a form-encoded body, decoded.
func containsDecoded(body, s string) bool {
	if strings.Contains(body, s) {
		return true
	}
	d, err := url.QueryUnescape(body)
	return err == nil && strings.Contains(d, s)
}

// extract returns re's first group in s, else its whole match, else "".
func extract(re *regexp.Regexp, s string) string {
	m := re.FindStringSubmatch(s)
	switch {
	case m == nil:
		return ""
	case len(m) > 1:
		return m[1]
	}
	return m[0]
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
