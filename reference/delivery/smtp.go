package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"strings"
	"time"
)

// SMTP mails codes through an SMTP server without authentication or TLS:
// its server is a local sink or relay (conform's own, a test server, a
// MailHog), never a public mail exchanger.
type SMTP struct {
	// Addr is the server, host:port.
	Addr string
	// From is the envelope sender and From header, e.g. no-reply@conform.local.
	From string
	// Timeout bounds the whole exchange; zero means 10 s.
	Timeout time.Duration
}

var _ Sender = SMTP{}

// Send mails m.Text to m.To with subject m.Subject.
func (s SMTP) Send(ctx context.Context, m Message) error {
	for _, h := range []string{s.From, m.To, m.Subject} {
		// A CR or LF would let a field inject headers or SMTP commands.
		if strings.ContainsAny(h, "\r\n") {
			return errorf("email", m, errors.New("line break in an address or the subject"))
		}
	}
	ctx, cancel := withTimeout(ctx, s.Timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return errorf("email", m, fmt.Errorf("connect to %s: %w", s.Addr, err))
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl) //nolint:errcheck // a fresh TCP conn accepts deadlines
	}
	// Closing the connection when ctx ends unblocks a stuck exchange.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	host, _, _ := net.SplitHostPort(s.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return errorf("email", m, fmt.Errorf("greeting from %s: %w", s.Addr, err))
	}
	if err := c.Hello("conform.local"); err != nil {
		return errorf("email", m, fmt.Errorf("EHLO: %w", err))
	}
	if err := c.Mail(s.From); err != nil {
		return errorf("email", m, fmt.Errorf("MAIL FROM: %w", err))
	}
	if err := c.Rcpt(m.To); err != nil {
		return errorf("email", m, fmt.Errorf("RCPT TO: %w", err))
	}
	w, err := c.Data()
	if err != nil {
		return errorf("email", m, fmt.Errorf("DATA: %w", err))
	}
	if _, err := w.Write(s.message(m)); err != nil {
		return errorf("email", m, fmt.Errorf("write message: %w", err))
	}
	if err := w.Close(); err != nil {
		return errorf("email", m, fmt.Errorf("end of message: %w", err))
	}
	if err := c.Quit(); err != nil {
		return errorf("email", m, fmt.Errorf("QUIT: %w", err))
	}
	return nil
}

// message renders the RFC 5322 message, lines ending in CRLF.
func (s SMTP) message(m Message) []byte {
	var id [12]byte
	rand.Read(id[:]) // never fails
	var b strings.Builder
	for _, h := range [][2]string{
		{"From", s.From},
		{"To", m.To},
		{"Subject", m.Subject},
		{"Date", time.Now().UTC().Format(time.RFC1123Z)},
		{"Message-ID", "<" + hex.EncodeToString(id[:]) + "@conform.local>"},
		{"MIME-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "8bit"},
	} {
		b.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body + "\r\n")
	return []byte(b.String())
}
