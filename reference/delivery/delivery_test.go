package delivery_test

import (
	"context"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/reference/delivery"
	"github.com/conformhq/conform/reference/delivery/deliverytest"
)

var msg = delivery.Message{
	To: "carol@example.com", User: "carol@example.com", Code: "123456",
	Subject: "Your Flylogs code", Text: "Your Flylogs code: 123456",
}

func TestSMTPSendsARealMail(t *testing.T) {
	sink := deliverytest.StartSMTP(t)
	s := delivery.SMTP{Addr: sink.Addr, From: "no-reply@conform.local"}
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	m := sink.Next(t, 5*time.Second)
	if m.From != "no-reply@conform.local" || len(m.To) != 1 || m.To[0] != "carol@example.com" {
		t.Errorf("envelope: %+v", m)
	}
	parsed, err := mail.ReadMessage(strings.NewReader(m.Data))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, m.Data)
	}
	if parsed.Header.Get("Subject") != "Your Flylogs code" || parsed.Header.Get("From") != "no-reply@conform.local" ||
		parsed.Header.Get("To") != "carol@example.com" || !strings.Contains(m.Data, "\r\n\r\nYour Flylogs code: 123456\r\n") {
		t.Errorf("message:\n%s", m.Data)
	}
	if _, err := parsed.Header.Date(); err != nil {
		t.Errorf("Date header: %v", err)
	}
}

func TestSMTPFailures(t *testing.T) {
	sink := deliverytest.StartSMTP(t)
	sink.RefuseRecipients()
	err := delivery.SMTP{Addr: sink.Addr, From: "no-reply@conform.local"}.Send(context.Background(), msg)
	if err == nil || !strings.Contains(err.Error(), "RCPT TO") || !strings.Contains(err.Error(), "carol@example.com") {
		t.Errorf("refused recipient: %v", err)
	}
	// Nothing listens: connect fails, with the address in the error.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	if err := (delivery.SMTP{Addr: addr, From: "a@b"}).Send(context.Background(), msg); err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("closed port: %v", err)
	}
	// A server that never greets, until the test ends: only the timeout can end the attempt,
	// so its returning at all (with an error) is the check; no wall-clock bound that a busy
	// machine could break.
	silent, _ := net.Listen("tcp", "127.0.0.1:0")
	defer silent.Close()
	hold := make(chan struct{})
	defer close(hold)
	go func() {
		c, err := silent.Accept()
		if err == nil {
			defer c.Close()
			<-hold
		}
	}()
	if err := (delivery.SMTP{Addr: silent.Addr().String(), From: "a@b", Timeout: 200 * time.Millisecond}).Send(context.Background(), msg); err == nil {
		t.Error("silent server: Send returned no error")
	}
	// Header injection is refused before connecting.
	bad := msg
	bad.To = "carol@example.com\r\nBcc: eve@example.com"
	if err := (delivery.SMTP{Addr: addr, From: "a@b"}).Send(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("header injection: %v", err)
	}
}

func TestWebhookPostsJSON(t *testing.T) {
	sink := deliverytest.StartWebhook(t, 0)
	sms := delivery.Message{To: "+15550100004", User: "dave@example.com", Code: "1234", Text: "Your code: 1234"}
	if err := (delivery.Webhook{URL: sink.URL}).Send(context.Background(), sms); err != nil {
		t.Fatal(err)
	}
	got := sink.Next(t, 5*time.Second)
	if got.To != "+15550100004" || got.User != "dave@example.com" || got.Code != "1234" || got.Text != "Your code: 1234" || got.ContentType != "application/json" {
		t.Errorf("posted %+v", got)
	}
	failing := deliverytest.StartWebhook(t, 500)
	if err := (delivery.Webhook{URL: failing.URL}).Send(context.Background(), sms); err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Errorf("500 answer: %v", err)
	}
	if err := (delivery.Webhook{URL: "http://%zz"}).Send(context.Background(), sms); err == nil {
		t.Error("bad URL accepted")
	}
}

func TestLogWritesTheCode(t *testing.T) {
	var got string
	l := delivery.Log{Channel: "email (--smtp)", Logf: func(f string, a ...any) { got = fmt.Sprintf(f, a...) }}
	if err := l.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if want := "2FA code 123456 for carol@example.com (to carol@example.com; email (--smtp) not configured)"; got != want {
		t.Errorf("logged %q, want %q", got, want)
	}
	if err := (delivery.Log{}).Send(context.Background(), msg); err != nil {
		t.Errorf("nil Logf: %v", err)
	}
}
