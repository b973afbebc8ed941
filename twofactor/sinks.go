package twofactor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/conformhq/conform/config"
)

// Sinks are the running sinks of a run; a nil field is a sink not started.
type Sinks struct {
	SMTP    *SMTPSink
	Webhook *WebhookSink
	// Secrets, when set, learns every code a source of these sinks (For) returns, static,
	// totp and command sources included, so that the code is masked in output from then on.
	Secrets Secrets
}

// Start starts the sinks cfg asks for. Close stops them.
func Start(ctx context.Context, cfg *config.Sinks) (*Sinks, error) {
	s := &Sinks{}
	if cfg == nil {
		return s, nil
	}
	var err error
	if cfg.SMTP != nil {
		if s.SMTP, err = StartSMTP(ctx, cfg.SMTP.Listen); err != nil {
			return nil, err
		}
	}
	if cfg.Webhook != nil {
		if s.Webhook, err = StartWebhook(ctx, cfg.Webhook.Listen); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// Close stops every running sink.
func (s *Sinks) Close() {
	if s == nil {
		return
	}
	if s.SMTP != nil {
		s.SMTP.Close()
	}
	if s.Webhook != nil {
		s.Webhook.Close()
	}
}

// SMTPSink is a mail server that accepts every message, without authentication, and keeps
// it for the codes of smtp accounts. It is for tests: never expose it.
type SMTPSink struct {
	box *inbox
	srv *smtp.Server
	ln  net.Listener
}

// StartSMTP listens on addr (port 0 picks one) and serves until Close.
func StartSMTP(ctx context.Context, addr string) (*SMTPSink, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("smtp sink: listen on %s: %w", addr, err)
	}
	s := &SMTPSink{box: newInbox(), ln: ln}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{box: s.box}, nil
	}))
	s.srv.Domain = "conform.invalid"
	s.srv.ReadTimeout = 10 * time.Second
	s.srv.WriteTimeout = 10 * time.Second
	s.srv.MaxMessageBytes = 1 << 20
	s.srv.AllowInsecureAuth = true
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Addr is the host:port the sink listens on.
func (s *SMTPSink) Addr() string { return s.ln.Addr().String() }

// Messages returns the mail received so far.
func (s *SMTPSink) Messages() []Message { return s.box.messages() }

// Close stops the server.
func (s *SMTPSink) Close() { _ = s.srv.Close() }

type smtpSession struct {
	box *inbox
	to  []string
}

func (s *smtpSession) Reset()                                    { s.to = nil }
func (s *smtpSession) Logout() error                             { return nil }
func (s *smtpSession) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = append(s.to, to); return nil }
func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return err
	}
	s.box.add(Message{To: append([]string(nil), s.to...), Text: mailText(raw)})
	return nil
}

// mailText is a mail's subject and its text parts, decoded (quoted-printable, base64 is left
// to the regex); a message that does not parse is kept raw.
func mailText(raw []byte) string {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return string(raw)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	return subject + "\n" + bodyText(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
}

func bodyText(ctype, cte string, body io.Reader) string {
	if strings.EqualFold(strings.TrimSpace(cte), "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	mt, params, err := mime.ParseMediaType(ctype)
	if err == nil && strings.HasPrefix(mt, "multipart/") {
		var parts []string
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			parts = append(parts, bodyText(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p))
		}
		return strings.Join(parts, "\n")
	}
	b, _ := io.ReadAll(io.LimitReader(body, 1<<20))
	return string(b)
}

// WebhookSink is an HTTP server that accepts every POST, as an SMS gateway's callback
// endpoint would, answers 204 and keeps the body for the codes of webhook accounts.
type WebhookSink struct {
	box *inbox
	srv *http.Server
	ln  net.Listener
}

// StartWebhook listens on addr (port 0 picks one) and serves until Close.
func StartWebhook(ctx context.Context, addr string) (*WebhookSink, error) {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("webhook sink: listen on %s: %w", addr, err)
	}
	s := &WebhookSink{box: newInbox(), ln: ln}
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the sink is gone; specs waiting on it time out and say so
		}
	}()
	return s, nil
}

func (s *WebhookSink) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST the message here", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.box.add(Message{Text: string(body)})
	w.WriteHeader(http.StatusNoContent)
}

// Addr is the host:port the sink listens on.
func (s *WebhookSink) Addr() string { return s.ln.Addr().String() }

// URL is the URL to configure as the target's SMS callback.
func (s *WebhookSink) URL() string { return "http://" + s.Addr() + "/sms" }

// Messages returns the bodies received so far.
func (s *WebhookSink) Messages() []Message { return s.box.messages() }

// Close stops the server.
func (s *WebhookSink) Close() { _ = s.srv.Close() }
