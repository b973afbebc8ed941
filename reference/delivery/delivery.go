// Package delivery sends the reference server's generated 2FA codes out of
// band, the way the documents say they travel: doc 000 (flylogs) mails them,
// doc 002 (newapikey) sends them "to the users phone". conform's specs read
// them back from an SMTP sink or an SMS webhook sink; without either, Log
// writes them where a human can read them.
//
// A Sender delivers one Message. SMTP sends a real mail (text/plain, UTF-8)
// to an SMTP server; Webhook POSTs the JSON object
//
//	{"to":"+15550100004","user":"dave@example.com","code":"1234","text":"Your code: 1234"}
//
// to an SMS gateway URL and expects a 2xx answer.
package delivery

import (
	"context"
	"fmt"
	"time"
)

// Message is one code on its way to a person.
type Message struct {
	// To is the address: an email address (SMTP) or a phone number (Webhook).
	To string
	// User is the account the code logs in, for the receiving end's benefit.
	User string
	// Code is the code itself.
	Code string
	// Subject is the mail subject; Webhook ignores it.
	Subject string
	// Text is the human-readable body, containing Code.
	Text string
}

// Sender delivers messages. Implementations are safe for concurrent use
// and return when the message has been handed over (or has failed), so
// that a client reading the sink right after the login finds the code.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Log is the Sender used when no SMTP server or webhook is configured: it
// writes the code with Logf so that a person trying the reference by hand
// can still finish a 2FA login. A nil Logf drops the message.
type Log struct {
	// Channel names what would have carried the code ("email", "sms") and
	// the setting that would enable it, for the log line.
	Channel string
	// Logf writes one line, like log.Printf.
	Logf func(format string, args ...any)
}

var _ Sender = Log{}

// Send logs m. The line reads
// "2FA code 123456 for carol@example.com (to carol@example.com; email not configured)".
func (l Log) Send(_ context.Context, m Message) error {
	if l.Logf != nil {
		l.Logf("2FA code %s for %s (to %s; %s not configured)", m.Code, m.User, m.To, l.Channel)
	}
	return nil
}

// defaultTimeout bounds one delivery when the caller's context has no
// deadline: a stuck SMTP server must not hold a login forever.
const defaultTimeout = 10 * time.Second

// withTimeout gives ctx a deadline of d (defaultTimeout when d is zero)
// unless it has an earlier one.
func withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		d = defaultTimeout
	}
	return context.WithTimeout(ctx, d)
}

// errorf wraps err with what was being delivered to whom.
func errorf(kind string, m Message, err error) error {
	return fmt.Errorf("deliver %s code for %s to %s: %w", kind, m.User, m.To, err)
}
