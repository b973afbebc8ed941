package suites

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/load"
)

// LoadAnswers judges the load's own answers in a run under load (JSON "load_answers"). The
// model of the run: a load session's token is live from its login until something in the run
// may end it. The specs may: a login (a new session of the same user may end the old one
// where the document is silent, doc 003's one user per client IP), a logout, the clock hook,
// any request a spec sends besides the probe; so may the load's own logins. A refusal (or a
// 5xx) is a failure when the token was live:
//   - the same token was accepted again by a probe sent after the refused answer came back (no
//     document lets an ended session come back: one of the two answers is wrong, and the
//     refusal is the one the run cannot explain); or
//   - nothing that may end a session happened between the token's last acceptance (or the
//     load's start) and the refusal.
//
// Other refusals are counted apart (EndedBySpecs), as are 429s (Throttled: no document speaks
// of rate limits). Requests that got no answer are the load report's to count.
type LoadAnswers struct {
	// Requirement is the requirement a refusal of a live token breaks (profile.Document.LiveToken).
	Requirement string `json:"requirement"`
	// Judged counts the answers judged; Accepted those the probe accepted.
	Judged   int `json:"judged"`
	Accepted int `json:"accepted"`
	// RefusedLive counts the refusals (and 5xx) of live tokens: each fails the run.
	RefusedLive int `json:"refused_live"`
	// EndedBySpecs counts refusals of tokens that something in the run may have ended.
	EndedBySpecs int `json:"ended_by_specs"`
	Throttled    int `json:"throttled"`
	// NotJudged counts answers past the bound the judge keeps (maxJudged).
	NotJudged int `json:"not_judged,omitempty"`
	// Examples are the first few refusals of live tokens, secrets masked.
	Examples []LoadExchange `json:"examples,omitempty"`
}

// LoadExchange is one refused answer of the load.
type LoadExchange struct {
	Session int       `json:"session"`
	Sent    time.Time `json:"sent"`
	Method  string    `json:"method"`
	URL     string    `json:"url"`
	Status  int       `json:"status"`
	// Refusal is why the probe's rule refused the answer; Why why the token was live.
	Refusal string `json:"refusal"`
	Why     string `json:"why"`
}

// String is the exchange on one line, as the summary prints it.
func (x LoadExchange) String() string {
	return fmt.Sprintf("session %d, %s %s sent at %s: HTTP %d, %s; %s", x.Session, x.Method, x.URL, x.Sent.Format("15:04:05.000"), x.Status, x.Refusal, x.Why)
}

// Bounds of the judge: answers kept, and examples shown.
const (
	maxJudged    = 1 << 20
	loadExamples = 5
)

// answerJudge collects the load's answers and the specs' activity during the pass under load.
type answerJudge struct {
	mu       sync.Mutex
	start    time.Time
	answers  []load.Answer
	dropped  int
	activity []span
	// probe is the load's probe request (method and path from the target's root), which a
	// spec may send without ending anything.
	probeMethod, probePath string
}

// span is a stretch of time in which something may have ended load sessions.
type span struct{ from, to time.Time }

func newAnswerJudge(start time.Time, probeMethod, probePath string) *answerJudge {
	return &answerJudge{start: start, probeMethod: probeMethod, probePath: probePath}
}

// add records an answer (load.Options.OnAnswer). The load's first answer closes the stretch
// in which its own sessions logged in.
func (j *answerJudge) add(a load.Answer) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if len(j.answers) == 0 && j.dropped == 0 {
		j.activity = append(j.activity, span{j.start, a.Sent})
	}
	if len(j.answers) >= maxJudged {
		j.dropped++
		return
	}
	j.answers = append(j.answers, a)
}

// spec records a spec's stretch of time when it sent anything but the load's probe.
func (j *answerJudge) spec(from, to time.Time, exchanges []*client.Exchange, dropped bool) {
	if j == nil {
		return
	}
	ends := dropped
	for _, x := range exchanges {
		if x.Method != j.probeMethod || !strings.HasSuffix(pathOf(x.URL), j.probePath) {
			ends = true
			break
		}
	}
	if !ends {
		return
	}
	j.mu.Lock()
	j.activity = append(j.activity, span{from, to})
	j.mu.Unlock()
}

// pathOf is the path of a URL as a transcript keeps it.
func pathOf(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if k := strings.IndexByte(u, '/'); k >= 0 {
			u = u[k:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// judge applies the model (see LoadAnswers) to what was collected.
func (j *answerJudge) judge(requirement string) *LoadAnswers {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := &LoadAnswers{Requirement: requirement, NotJudged: j.dropped}
	bySession := map[int][]load.Answer{}
	for _, a := range j.answers {
		bySession[a.Session] = append(bySession[a.Session], a)
	}
	slices.SortFunc(j.activity, func(a, b span) int { return a.from.Compare(b.from) })
	var live []LoadExchange
	for _, as := range bySession {
		var accepted []time.Time // sent times, sorted
		for _, a := range as {
			if a.Refusal == "" && a.Err == "" && a.Code != 0 {
				accepted = append(accepted, a.Sent)
			}
		}
		slices.SortFunc(accepted, func(a, b time.Time) int { return a.Compare(b) })
		for _, a := range as {
			switch {
			case a.Code == 0:
				continue // no answer: the load report counts it
			case a.Refusal == "":
				out.Judged++
				out.Accepted++
				continue
			}
			out.Judged++
			if a.Code == 429 {
				out.Throttled++
				continue
			}
			end := a.Sent.Add(a.Latency)
			why := ""
			if n := len(accepted); n > 0 && !accepted[n-1].Before(end) {
				why = fmt.Sprintf("the same token was accepted again by a probe sent at %s, after this answer", accepted[n-1].Format("15:04:05.000"))
			} else {
				from := j.start
				if k := sort.Search(len(accepted), func(i int) bool { return accepted[i].After(a.Sent) }); k > 0 {
					from = accepted[k-1]
				}
				if !j.activeIn(from, end) {
					why = fmt.Sprintf("nothing in the run could have ended the session since %s", from.Format("15:04:05.000"))
				}
			}
			if why == "" {
				out.EndedBySpecs++
				continue
			}
			out.RefusedLive++
			live = append(live, LoadExchange{Session: a.Session, Sent: a.Sent, Method: a.Method, URL: a.URL, Status: a.Code, Refusal: a.Refusal, Why: why})
		}
	}
	slices.SortFunc(live, func(a, b LoadExchange) int { return a.Sent.Compare(b.Sent) })
	out.Examples = live[:min(len(live), loadExamples)]
	return out
}

// activeIn reports whether anything that may end a session happened between from and to.
func (j *answerJudge) activeIn(from, to time.Time) bool {
	for _, s := range j.activity {
		if s.from.Before(to) && s.to.After(from) {
			return true
		}
	}
	return false
}

// failed reports whether the load's answers fail the run.
func (l *LoadAnswers) failed() bool { return l != nil && l.RefusedLive > 0 }

// printLoadAnswers writes the judgement of the load's answers for the summary.
func printLoadAnswers(w io.Writer, l *LoadAnswers, color bool) {
	if l == nil {
		return
	}
	fmt.Fprintf(w, "  load answers: %d judged, %d accepted, %d refused or 5xx while live, %d refused after the run may have ended the session (not counted), %d throttled (429, not counted)",
		l.Judged, l.Accepted, l.RefusedLive, l.EndedBySpecs, l.Throttled)
	if l.NotJudged > 0 {
		fmt.Fprintf(w, ", %d past the judge's bound", l.NotJudged)
	}
	fmt.Fprintln(w)
	if l.RefusedLive == 0 {
		return
	}
	fmt.Fprintf(w, "  %s %s: the load's live tokens were refused %d times (first %d):\n", paint(color, red, "✗ FAILED under load"), paint(color, bold, l.Requirement), l.RefusedLive, len(l.Examples))
	for _, x := range l.Examples {
		fmt.Fprintf(w, "    - %s\n", client.Printable(x.String()))
	}
}
