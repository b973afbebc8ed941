package twofactor

import (
	"context"
	"net/http"
	"net/smtp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/conformhq/conform/config"
)

func account(tf config.TwoFactor) config.Account {
	if tf.Regex == "" {
		tf.Regex = config.DefaultCodeRegex
	}
	if tf.Timeout == 0 {
		tf.Timeout = 500 * time.Millisecond
	}
	if tf.Address == "" {
		tf.Address = "carol@example.com"
	}
	return config.Account{Login: "carol@example.com", Password: "x", TwoFactor: &tf}
}

func code(t *testing.T, src Source, mark uint64) string {
	t.Helper()
	c, err := src.Code(context.Background(), mark)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStaticTOTPAndCommand(t *testing.T) {
	static, _ := For(account(config.TwoFactor{Source: "static", Code: "424242"}), "flylogs", nil)
	if c := code(t, static, static.Mark(context.Background())); c != "424242" || static.Delivered() {
		t.Errorf("static = %q (delivered %v)", c, static.Delivered())
	}
	const secret = "JBSWY3DPEHPK3PXP"
	tp, _ := For(account(config.TwoFactor{Source: "totp", TOTPSecret: strings.ToLower(secret)}), "flylogs", nil)
	if c := code(t, tp, 0); !totp.Validate(c, secret) {
		t.Errorf("totp code %q does not validate against its secret", c)
	}
	cmd, _ := For(account(config.TwoFactor{Source: "command", Command: `printf '%s-%s' "$CONFORM_PROFILE" "$CONFORM_ACCOUNT"`}), "newapikey", nil)
	if c := code(t, cmd, 0); c != "newapikey-carol@example.com" {
		t.Errorf("command did not see the account in its environment: %q", c)
	}
	chatty, _ := For(account(config.TwoFactor{Source: "command", Command: "echo 'your code is 1234'"}), "newapikey", nil)
	if c := code(t, chatty, 0); c != "1234" {
		t.Errorf("command output not passed through the regex: %q", c)
	}
	failing, _ := For(account(config.TwoFactor{Source: "command", Command: "echo boom >&2; exit 3"}), "newapikey", nil)
	if _, err := failing.Code(context.Background(), 0); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("a failing command gave %v, want its stderr", err)
	}
}

func TestSMTPSinkGivesTheCodeMailedAfterTheMark(t *testing.T) {
	sinks, err := Start(context.Background(), &config.Sinks{SMTP: &config.Sink{Listen: "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sinks.Close()
	send := func(to, body string) {
		msg := "From: noreply@example.com\r\nTo: " + to + "\r\nSubject: code\r\nDate: Mon, 02 Jan 2026 15:04:05 +0000\r\n\r\n" + body + "\r\n"
		if err := smtp.SendMail(sinks.SMTP.Addr(), nil, "noreply@example.com", []string{to}, []byte(msg)); err != nil {
			t.Fatal(err)
		}
	}
	src, err := For(account(config.TwoFactor{Source: "smtp", Regex: `code: (\d+)`}), "flylogs", sinks)
	if err != nil {
		t.Fatal(err)
	}
	send("carol@example.com", "Your Flylogs code: 111111") // before the mark: stale
	mark := src.Mark(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		send("dave@example.com", "Your Flylogs code: 222222") // another account
		send("Carol@Example.com", "Your Flylogs code: 333333")
	}()
	if c := code(t, src, mark); c != "333333" || !src.Delivered() {
		t.Errorf("code %q, want 333333 (the first mail to carol after the mark)", c)
	}
	if _, err := src.Code(context.Background(), src.Mark(context.Background())); err == nil || !strings.Contains(err.Error(), "no mail to carol@example.com arrived") {
		t.Errorf("no mail after the mark gave %v", err)
	}
	// Every code mailed to carol, before the mark too, and none of dave's.
	if got := src.Issued(); !slices.Equal(got, []string{"111111", "333333"}) {
		t.Errorf("Issued() = %v, want carol's two codes", got)
	}
}

func TestIssuedCodesOfComputedSources(t *testing.T) {
	static, _ := For(account(config.TwoFactor{Source: "static", Code: "424242"}), "flylogs", nil)
	if got := static.Issued(); !slices.Equal(got, []string{"424242"}) {
		t.Errorf("static Issued() = %v", got)
	}
	const secret = "JBSWY3DPEHPK3PXP"
	tp, _ := For(account(config.TwoFactor{Source: "totp", TOTPSecret: secret}), "flylogs", nil)
	now := code(t, tp, 0)
	if got := tp.Issued(); len(got) != 3 || !slices.Contains(got, now) {
		t.Errorf("totp Issued() = %v, want the codes of three steps, the current %s among them", got, now)
	}
	cmd, _ := For(account(config.TwoFactor{Source: "command", Command: "echo 1234"}), "newapikey", nil)
	if got := cmd.Issued(); len(got) != 0 {
		t.Errorf("command Issued() = %v, want none", got)
	}
}

func TestWebhookSinkExtractsByJSONPathOrRegex(t *testing.T) {
	sinks, err := Start(context.Background(), &config.Sinks{Webhook: &config.Sink{Listen: "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sinks.Close()
	post := func(body string) {
		resp, err := http.Post(sinks.Webhook.URL(), "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	byPath, _ := For(account(config.TwoFactor{Source: "webhook", Address: "+15550100004", JSONPath: "code"}), "newapikey", sinks)
	mark := byPath.Mark(context.Background())
	post(`{"to":"+15550100003","code":"1111","text":"code 1111"}`)
	post(`{"to":"+15550100004","code":"2222","text":"code 2222"}`)
	if c := code(t, byPath, mark); c != "2222" {
		t.Errorf("json_path code %q, want 2222", c)
	}
	byRegex, _ := For(account(config.TwoFactor{Source: "webhook", Address: "+15550100004"}), "newapikey", sinks)
	mark = byRegex.Mark(context.Background())
	post("to=%2B15550100004&text=Your+code+is+3333")
	if c := code(t, byRegex, mark); c != "3333" {
		t.Errorf("regex code from a form body %q, want 3333", c)
	}
	noCode, _ := For(account(config.TwoFactor{Source: "webhook", Address: "+15550100004", Regex: `XYZ(\d+)`}), "newapikey", sinks)
	mark = noCode.Mark(context.Background())
	post(`{"to":"+15550100004","text":"hello"}`)
	if _, err := noCode.Code(context.Background(), mark); err == nil || !strings.Contains(err.Error(), "found no code") {
		t.Errorf("a body without a code gave %v", err)
	}
}

func TestDeliveredSourceNeedsItsSink(t *testing.T) {
	if _, err := For(account(config.TwoFactor{Source: "smtp"}), "flylogs", &Sinks{}); err == nil {
		t.Fatal("smtp source without a running sink was accepted")
	}
}

// A code owed (its request's answer said it was sent, nobody read it) and mailed late arrives
// before the account's next mark, so the next code read is the next request's, not the late
// one; a code read pays what it was owed; one that never comes is given up after the timeout.
func TestMarkWaitsForTheCodesOwed(t *testing.T) {
	sinks, err := Start(context.Background(), &config.Sinks{SMTP: &config.Sink{Listen: "127.0.0.1:0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer sinks.Close()
	send := func(body string) {
		msg := "From: noreply@example.com\r\nTo: carol@example.com\r\nSubject: code\r\n\r\n" + body + "\r\n"
		if err := smtp.SendMail(sinks.SMTP.Addr(), nil, "noreply@example.com", []string{"carol@example.com"}, []byte(msg)); err != nil {
			t.Error(err)
		}
	}
	src, err := For(account(config.TwoFactor{Source: "smtp", Regex: `code: (\d+)`, Timeout: 2 * time.Second}), "flylogs", sinks)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// Two wrong codes sent side by side, each answered "a code is mailed"; the mails leave
	// later.
	m1, m2 := src.Mark(ctx), src.Mark(ctx)
	src.Owe(m1)
	src.Owe(m2)
	go func() {
		time.Sleep(50 * time.Millisecond)
		send("Your code: 111111")
		send("Your code: 222222")
	}()
	mark := src.Mark(ctx) // waits for both
	go send("Your code: 333333")
	if c := code(t, src, mark); c != "333333" {
		t.Errorf("code %q, want 333333 (the next request's, not a late one)", c)
	}
	// Owed and then read: paid, the next mark does not wait.
	mark = src.Mark(ctx)
	src.Owe(mark)
	send("Your code: 444444")
	if c := code(t, src, mark); c != "444444" {
		t.Errorf("code %q, want 444444", c)
	}
	start := time.Now()
	src.Mark(ctx)
	if d := time.Since(start); d > time.Second {
		t.Errorf("a paid code kept the next mark waiting %s", d)
	}
	// Owed and never sent: the mark gives up at the timeout, ctx's end sooner.
	src.Owe(src.Mark(ctx))
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start = time.Now()
	src.Mark(short)
	if d := time.Since(start); d > time.Second {
		t.Errorf("a code never sent kept the mark waiting %s after ctx ended", d)
	}
}
