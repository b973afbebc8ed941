package suites

import (
	"bytes"
	"strings"
	"testing"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
)

// TestSummaryEscapesWhatTheTargetSent: failure messages, exchanges, curl lines, skip reasons
// and the reason a run was cut short all quote the target; none may put a raw control
// character on the terminal or start a line of its own.
func TestSummaryEscapesWhatTheTargetSent(t *testing.T) {
	evil := "a\r\n::error::forged\x1b[2K\u202e\xff"
	ex := &client.Exchange{Method: "GET", URL: "http://t/users/me", ReqHeader: map[string][]string{"X-Access-Token": {evil}},
		Status: 200, RespHeader: map[string][]string{"X-Evil": {evil}}, RespBody: evil}
	req := cite.Requirement{ID: "jwt.token.header", Profile: "jwt", Category: "placement", Level: cite.Must, Doc: "004", Quote: "q"}
	r := &Result{
		Target: "http://t", Profiles: []string{"jwt"},
		Specs: []SpecResult{
			{Requirement: req, Text: "sends", State: Failed, Message: "expected a token\n     got: " + evil, Exchanges: []*client.Exchange{ex}, Curl: []string{ex.Curl()}},
			{Requirement: req, Text: "skips", State: Skipped, SkipReason: "because " + evil},
		},
		Interrupted: "target stopped answering: " + evil,
	}
	var out bytes.Buffer
	printSummary(&out, r, false)
	s := out.String()
	for _, bad := range []string{"\r", "\x1b", "\u202e", "\xff"} {
		if strings.Contains(s, bad) {
			t.Errorf("summary holds %q:\n%s", bad, s)
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") {
			t.Errorf("the target's bytes start a line: %q", line)
		}
	}
}
