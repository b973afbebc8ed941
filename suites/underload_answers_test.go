package suites

import (
	"strings"
	"testing"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/load"
)

// TestTheLoadsAnswersAreJudgedByTheRunsModel: a refusal of a token accepted again later, or
// with nothing in the run that could end it, is a live token refused (a failure); a refusal
// after a spec sent something besides the probe is counted apart, as is a 429.
func TestTheLoadsAnswersAreJudgedByTheRunsModel(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	j := newAnswerJudge(at(0), "GET", "/lptracker/projects")
	ok := func(s, ms int) load.Answer {
		return load.Answer{Session: s, Sent: at(ms), Latency: time.Millisecond, Code: 200, Method: "GET", URL: "http://t/lptracker/projects"}
	}
	no := func(s, ms, code int) load.Answer {
		a := ok(s, ms)
		a.Code, a.Refusal = code, "status = \"error\""
		return a
	}
	for _, a := range []load.Answer{
		ok(0, 100),                  // the first answer: the load's logins ran from 0 to here
		no(0, 200, 401), ok(0, 300), // accepted again: the refusal was of a live token
		ok(1, 100), no(1, 600, 401), // a spec logged in at 500: ended by the specs
		ok(2, 100), no(2, 400, 401), // nothing between 100 and 400: live
		ok(3, 100), no(3, 450, 429), // throttled
		ok(4, 100), no(4, 700, 503), // a 5xx after the spec at 500: counted apart like a refusal
	} {
		j.add(a)
	}
	j.spec(at(450), at(550), []*client.Exchange{{Method: "POST", URL: "http://t/lptracker/login"}}, false)
	j.spec(at(150), at(350), []*client.Exchange{{Method: "GET", URL: "http://t/lptracker/projects?x=1"}}, false) // only the probe: ends nothing
	l := j.judge("lptracker.token.header")
	if l.Judged != 11 || l.Accepted != 6 || l.RefusedLive != 2 || l.EndedBySpecs != 2 || l.Throttled != 1 || !l.failed() {
		t.Errorf("%+v", l)
	}
	if len(l.Examples) != 2 || l.Examples[0].Session != 0 || !strings.Contains(l.Examples[0].Why, "accepted again") ||
		l.Examples[1].Session != 2 || !strings.Contains(l.Examples[1].Why, "nothing in the run could have ended the session") {
		t.Errorf("examples %+v", l.Examples)
	}
	var b strings.Builder
	printLoadAnswers(&b, l, false)
	if !strings.Contains(b.String(), "✗ FAILED under load lptracker.token.header: the load's live tokens were refused 2 times (first 2)") {
		t.Errorf("summary:\n%s", b.String())
	}
}
