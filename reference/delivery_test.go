package reference

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/reference/delivery/deliverytest"
)

// TestFlylogsMailsTheCode runs doc 000's 2FA flow with the code read from
// a real SMTP server.
func TestFlylogsMailsTheCode(t *testing.T) {
	sink := deliverytest.StartSMTP(t)
	c := newClient(t, newTestServer(t, func(o *Options) { flylogsOnly(o); o.SMTPAddr = sink.Addr }))
	const carol = "carol@example.com"
	if r := c.flyJSON(carol, testPasswords[carol], nil); r.raw != pending {
		t.Fatalf("no code: %s", r.raw)
	}
	m := sink.Next(t, 5*time.Second)
	if m.From != "no-reply@conform.local" || strings.Join(m.To, ",") != carol || !strings.Contains(m.Data, "Subject: Your Flylogs code\r\n") {
		t.Fatalf("mail: %+v", m)
	}
	code := regexp.MustCompile(`Your Flylogs code: (\d{6})`).FindStringSubmatch(m.Data)
	if code == nil {
		t.Fatalf("no code in %q", m.Data)
	}
	if r := c.flyJSON(carol, testPasswords[carol], code[1]); inner(r)["two_factor"] != true || flyToken(r) == "" {
		t.Fatalf("mailed code refused: %s", r.raw)
	}
	if c.codes.count(carol) != 0 {
		t.Errorf("code also logged with SMTP configured: %v", c.codes.lines)
	}
	// dave's two_factor is sms, but flylogs mails.
	c.flyJSON("dave@example.com", testPasswords["dave@example.com"], nil)
	if m := sink.Next(t, 5*time.Second); strings.Join(m.To, ",") != "dave@example.com" {
		t.Errorf("dave's code mailed to %v", m.To)
	}
}

// TestNewAPIKeyTextsTheCode runs doc 002's 2FA flow with the code read
// from a real webhook.
func TestNewAPIKeyTextsTheCode(t *testing.T) {
	hook := deliverytest.StartWebhook(t, 0)
	c := newClient(t, newTestServer(t, func(o *Options) { newapikeyOnly(o); o.SMSWebhookURL = hook.URL + "/sms" }))
	for user, phone := range map[string]string{"dave@example.com": "+15550100004", "carol@example.com": "+15550100003"} {
		q := url.Values{"user": {user}, "pass": {testPasswords[user]}}
		if r := c.nkLogin("json", q); r.body["success"] != "ADDED_TF" {
			t.Fatalf("%s: %s", user, r.raw)
		}
		sms := hook.Next(t, 5*time.Second)
		if sms.To != phone || sms.User != user || len(sms.Code) != 4 || sms.Text != "Your code: "+sms.Code {
			t.Fatalf("%s: sms %+v", user, sms)
		}
		q.Set("tfkey", sms.Code)
		if r := c.nkLogin("json", q); r.body["success"] != "ADDED_KEY" {
			t.Fatalf("%s with the texted code: %s", user, r.raw)
		}
	}
}

// TestFailedDeliveryIsLoggedNotAnswered: the login went as documented, so
// a mail server or gateway failure is the operator's problem, not a 5xx.
func TestFailedDeliveryIsLoggedNotAnswered(t *testing.T) {
	sink := deliverytest.StartSMTP(t)
	sink.RefuseRecipients()
	hook := deliverytest.StartWebhook(t, 503)
	c := newClient(t, newTestServer(t, func(o *Options) { o.SMTPAddr = sink.Addr; o.SMSWebhookURL = hook.URL }))
	r := c.do("POST", "/flylogs/users/login.json", flyAuth, `{"email":"carol@example.com","password":"carol-password-3"}`)
	if r.status != 200 || r.raw != pending {
		t.Errorf("flylogs with a failing mail server: %d %s", r.status, r.raw)
	}
	r = c.do("GET", "/newapikey/user/newapikey/login.json?user=dave@example.com&pass=dave-password-4", nil, "")
	if r.status != 200 || r.body["success"] != "ADDED_TF" {
		t.Errorf("newapikey with a failing gateway: %d %s", r.status, r.raw)
	}
	hook.Next(t, 5*time.Second)
	logged := strings.Join(c.codes.lines, "\n")
	if !strings.Contains(logged, "RCPT TO") || !strings.Contains(logged, "HTTP 503") {
		t.Errorf("failures not logged:\n%s", logged)
	}
}

func TestDeliveryOptionsAreValidated(t *testing.T) {
	for _, edit := range []func(*Options){
		func(o *Options) { o.SMTPAddr = "no-port" },
		func(o *Options) { o.SMSWebhookURL = "ftp://x/y" },
		func(o *Options) { o.SMSWebhookURL = "http://" },
	} {
		o := Options{Users: testUsers(), BcryptCost: 4}
		edit(&o)
		if s, err := New(o); err == nil {
			s.Close()
			t.Errorf("accepted %+v", o)
		}
	}
}
