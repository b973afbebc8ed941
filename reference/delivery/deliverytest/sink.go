// Package deliverytest provides in-process sinks for tests of code
// delivery: a real SMTP server (github.com/emersion/go-smtp) and a webhook
// receiver (net/http/httptest), both on free loopback ports and closed
// when the test ends.
package deliverytest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the SMTP sink accepted.
type Mail struct {
	From string
	To   []string
	Data string // the raw message, headers and body
}

// SMTP is a running SMTP sink.
type SMTP struct {
	// Addr is host:port to send to.
	Addr  string
	mails chan Mail
	mu    sync.Mutex
	fail  bool // refuse recipients (RefuseRecipients)
}

// StartSMTP starts an SMTP sink on 127.0.0.1.
func StartSMTP(t testing.TB) *SMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtp sink: listen: %v", err)
	}
	sink := &SMTP{Addr: ln.Addr().String(), mails: make(chan Mail, 100)}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{sink: sink}, nil }))
	srv.Domain = "sink.test"
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	srv.MaxMessageBytes = 1 << 20
	go srv.Serve(ln) //nolint:errcheck // ends with Close below
	t.Cleanup(func() { srv.Close() })
	return sink
}

// RefuseRecipients makes every later RCPT TO fail.
func (s *SMTP) RefuseRecipients() {
	s.mu.Lock()
	s.fail = true
	s.mu.Unlock()
}

// Next waits up to timeout for the next mail.
func (s *SMTP) Next(t testing.TB, timeout time.Duration) Mail {
	t.Helper()
	select {
	case m := <-s.mails:
		return m
	case <-time.After(timeout):
		t.Fatalf("smtp sink: no mail within %s", timeout)
		return Mail{}
	}
}

// Pending reports how many mails arrived and were not taken by Next.
func (s *SMTP) Pending() int { return len(s.mails) }

type session struct {
	sink *SMTP
	mail Mail
}

func (s *session) Reset()        { s.mail = Mail{} }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.mail.From = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.sink.mu.Lock()
	fail := s.sink.fail
	s.sink.mu.Unlock()
	if fail {
		return &smtp.SMTPError{Code: 550, Message: "no such mailbox"}
	}
	s.mail.To = append(s.mail.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mail.Data = string(b)
	s.sink.mails <- s.mail
	return nil
}

// SMS is one POST the webhook sink received, decoded.
type SMS struct {
	To, User, Code, Text string
	ContentType          string
}

// Webhook is a running webhook sink.
type Webhook struct {
	// URL receives the POSTs.
	URL    string
	msgs   chan SMS
	status int
}

// StartWebhook starts a webhook sink answering status (200 if zero).
func StartWebhook(t testing.TB, status int) *Webhook {
	t.Helper()
	if status == 0 {
		status = http.StatusOK
	}
	w := &Webhook{msgs: make(chan SMS, 100), status: status}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		var m struct{ To, User, Code, Text string }
		if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&m) != nil {
			http.Error(rw, "want a POSTed JSON object", http.StatusBadRequest)
			return
		}
		w.msgs <- SMS{To: m.To, User: m.User, Code: m.Code, Text: m.Text, ContentType: r.Header.Get("Content-Type")}
		rw.WriteHeader(w.status)
	}))
	t.Cleanup(srv.Close)
	w.URL = srv.URL
	return w
}

// Next waits up to timeout for the next message.
func (w *Webhook) Next(t testing.TB, timeout time.Duration) SMS {
	t.Helper()
	select {
	case m := <-w.msgs:
		return m
	case <-time.After(timeout):
		t.Fatalf("webhook sink: no message within %s", timeout)
		return SMS{}
	}
}

// Pending reports how many messages arrived and were not taken by Next.
func (w *Webhook) Pending() int { return len(w.msgs) }
