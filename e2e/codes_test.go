package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/fixtures"
	"github.com/conformhq/conform/reference"
	"github.com/conformhq/conform/suites"
)

// TestTwoFactorFlowWithEachCodeSource runs the 2FA specs against the reference once per code
// source, each with one 2FA account whose code comes that way: the whole flow (no code, a
// wrong code, the code) must pass, whatever carries the code.
func TestTwoFactorFlowWithEachCodeSource(t *testing.T) {
	t.Parallel()
	const flylogs = `
flylogs:
  base_path: /flylogs
  api_key: conform-company-key
  token: {header: token}
  probe: {path: /users/me.json, valid_json: {response.result: "true"}}
  accounts:
    - {login: alice@example.com, password: alice-password-1}
    - %s
`
	const newapikey = `
newapikey:
  base_path: /newapikey
  accounts:
    - {login: alice@example.com, password: alice-password-1}
    - %s
`
	cases := []struct {
		source, profile, section, account, passes string
	}{
		{"static", "flylogs", flylogs, `{login: frank@example.com, password: frank-password-6, two_factor: {source: static, code: "424242"}}`, "flylogs.2fa.correct-code"},
		{"totp", "flylogs", flylogs, `{login: erin@example.com, password: erin-password-5, two_factor: {source: totp, totp_secret: GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ}}`, "flylogs.2fa.correct-code"},
		// The command sees the account in its environment.
		{"command", "newapikey", newapikey, `{login: frank@example.com, password: frank-password-6, two_factor: {source: command, command: 'test "$CONFORM_ACCOUNT" = frank@example.com && printf 424242'}}`, "newapikey.2fa.tfkey"},
		{"smtp", "flylogs", flylogs, `{login: carol@example.com, password: carol-password-3, two_factor: {source: smtp, regex: 'code: (\d+)', timeout: 5s}}`, "flylogs.2fa.correct-code"},
		{"webhook", "newapikey", newapikey, `{login: dave@example.com, password: dave-password-4, two_factor: {source: webhook, address: "+15550100004", json_path: code, timeout: 5s}}`, "newapikey.2fa.tfkey"},
	}
	for _, c := range cases {
		t.Run(c.source, func(t *testing.T) {
			t.Parallel()
			smtpAddr, webhookAddr := freeAddr(t), freeAddr(t)
			url := serveReference(t, reference.Options{SMTPAddr: smtpAddr, SMSWebhookURL: "http://" + webhookAddr + "/sms"})
			cfg := fmt.Sprintf("sinks:\n  smtp: {listen: %q}\n  webhook: {listen: %q}\n", smtpAddr, webhookAddr) + fmt.Sprintf(c.section, c.account)
			path := filepath.Join(t.TempDir(), c.source+".yaml")
			if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
				t.Fatal(err)
			}
			r := conform(t, "run", "--target", url, "--config", path, "--profile", c.profile, "--label-filter", "2fa")
			if r.code != 0 || r.report == nil {
				t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			passed := false
			for _, s := range r.report.Specs {
				passed = passed || (s.ID == c.passes && s.State == suites.Passed)
			}
			if !passed {
				t.Errorf("%s did not pass with a %s code source\n%s", c.passes, c.source, r.stdout)
			}
		})
	}
}

// TestCodeSourceErrorsNameTheField shows a config mistake in a code source as exit 2 with the
// file and field.
func TestCodeSourceErrorsNameTheField(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.yaml")
	cfg := "flylogs:\n  api_key: k\n  token: {header: token}\n  probe: {path: /me}\n  accounts:\n    - {login: a, password: b, two_factor: {source: smtp}}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r := conform(t, "run", "--target", "http://127.0.0.1:1", "--config", path)
	want := path + ":6: flylogs.accounts[0].two_factor.source: smtp needs sinks.smtp.listen"
	if r.code != 2 || !strings.Contains(r.stderr, want) {
		t.Fatalf("exit %d, stderr %q; want 2 and %q", r.code, r.stderr, want)
	}
}

// TestASecondAccountsMissingCodeFailsItsDelivery: the reference mails carol's codes and never
// dave's (flylogs.2fa-no-delivery-second). The run fails (exit 1) on the delivery spec, naming
// dave by his login, never his password: a code that never arrives for one account whose
// sibling's did is a failure of delivery for that account, not a skip.
func TestASecondAccountsMissingCodeFailsItsDelivery(t *testing.T) {
	t.Parallel()
	url, cfg := startReferenceWithSinks(t, "flylogs.2fa-no-delivery-second")
	r := conform(t, "run", "--target", url, "--config", cfg, "--profile", "flylogs", "--label-filter", "req:flylogs.2fa.code-delivered")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "expected a 2FA code for dave@example.com") || strings.Contains(r.stdout, "dave-password-4") {
		t.Errorf("the failure does not name dave by his login alone:\n%s", r.stdout)
	}
}

// TestTwoFactorSpecsWaitForCodesSentLate runs the 2FA specs of doc 000 and doc 002 against a
// reference that sends each code lateDelivery after answering, as a mail queue does (the
// documents do not say when a code arrives, so this conforms). Every answer that, by the
// document, sends a code (a wrong or empty code, ADDED_TF) has its code waited for before the
// account's next code is read: otherwise a spec that ends without reading it leaves it to
// arrive during the next spec's challenge, which reads it as its own, an older code.
func TestTwoFactorSpecsWaitForCodesSentLate(t *testing.T) {
	t.Parallel()
	const lateDelivery = 150 * time.Millisecond
	smtpAddr, webhookAddr := freeAddr(t), freeAddr(t)
	url := serveReference(t, reference.Options{SMTPAddr: smtpAddr, SMSWebhookURL: "http://" + webhookAddr + "/sms", DeliveryDelay: lateDelivery})
	cfg := configWith(t, fixtures.ReferenceConfig, map[string]string{"127.0.0.1:2525": smtpAddr, "127.0.0.1:8025": webhookAddr})
	for _, profile := range []string{"flylogs", "newapikey"} {
		r := conform(t, "run", "--target", url, "--config", cfg, "--profile", profile, "--label-filter", "2fa && !model")
		if r.code != 0 || r.report == nil {
			t.Errorf("%s with codes sent %s late: exit %d\n%s%s", profile, lateDelivery, r.code, r.stdout, r.stderr)
			continue
		}
		passed := 0
		for _, s := range r.report.Specs {
			if s.State == suites.Passed {
				passed++
			}
		}
		if passed < 5 {
			t.Errorf("%s: only %d specs passed\n%s", profile, passed, r.stdout)
		}
	}
}
