package negative

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// throttleAttempts bounds the wrong logins the throttling advisory sends, all at once: the
// common lockout policies start at 3 to 5 failures, and each attempt costs the target a
// password hash (some 70 ms of a core at bcrypt cost 10, where the run's budget is a few
// seconds) and may count toward locking the test account. The advisory says what it did not
// see after this many, not that there is no limit (ASVS 4.0.3 V2.2.1 allows up to 100 an hour).
const throttleAttempts = 5

// countedDown is how many answers in a row that announce a limit and count each wrong secret
// against it (RateLimit fields going down) settle the advisory before the fifth attempt: the
// target says it counts and when it will stop, and each further wrong secret would cost it a
// hash and the run 70 ms to see the same again.
const countedDown = 3

// adviceSpecs never fail: they record what a reviewer would want to know (env.Advise).
func adviceSpecs(b *cite.Book, e *env.Env, p Plan) {
	b.It(p.Advice, "compares the answers to a wrong secret and to an unknown login", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		l := newLogin(e.LoginRequest(a, 0), a)
		if !l.hasCredential {
			ginkgo.Skip("the login carries no credential fields to vary")
		}
		const secret = "conform-wrong-secret-enum"
		unknown := "conform-no-such-user@example.invalid"
		wrongSecret := l.withSecret(secret)
		var unknownUser client.Request
		if l.encoding == encJSON {
			unknownUser = l.withJSON(map[string]any{l.user: unknown, l.secret: secret})
		} else {
			unknownUser = l.withValues(map[string][]string{l.user: {unknown}, l.secret: {secret}})
		}
		answers := e.DoAll(ctx, wrongSecret, unknownUser)
		// The login each answer may echo is put back to one placeholder: doc 002 echoes it.
		norm := func(resp *client.Response, login string) []byte {
			return bytes.ReplaceAll(resp.Body, []byte(login), []byte("LOGIN"))
		}
		x, y := answers[0], answers[1]
		if x.Status != y.Status || !bytes.Equal(norm(x, l.userValue), norm(y, unknown)) {
			why := ""
			if p.WhyMessageShown {
				why = " (the document asks for a message explaining why the login failed)"
			}
			env.Advise(fmt.Sprintf("a wrong secret and an unknown login get different answers (HTTP %d %s; HTTP %d %s): the answer tells which logins exist%s",
				x.Status, env.Clip(string(x.Body), 120), y.Status, env.Clip(string(y.Body), 120), why), "OWASP ASVS 5.0 V6.3.8")
		}
	})

	b.It(p.Advice, fmt.Sprintf("sends up to %d wrong secrets for one account and looks for throttling", throttleAttempts), func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		l := newLogin(e.LoginRequest(a, 0), a)
		if !l.hasCredential {
			ginkgo.Skip("the login carries no credential fields to vary")
		}
		reqs := make([]client.Request, throttleAttempts)
		for i := range reqs {
			reqs[i] = l.withSecret(fmt.Sprintf("conform-wrong-secret-%d", i))
		}
		// One after another, as a guesser would: side by side they would only crowd a target
		// that hashes each, and a limit shows the same.
		var left []int // what each answer's RateLimit field says is left, while each has one
		for _, r := range reqs {
			resp := e.Do(ctx, r)
			if resp.Status == http.StatusTooManyRequests || resp.Status == http.StatusLocked || resp.Header.Get("Retry-After") != "" {
				return
			}
			if len(resp.Body) > bigAnswer {
				ginkgo.Skip(fmt.Sprintf("the target answered a wrong secret with %d bytes, not a login API's refusal", len(resp.Body)))
			}
			if n, ok := rateLimitLeft(resp.Header); ok {
				left = append(left, n)
			}
			if countsDown(left, countedDown) {
				return // a limit announced, and each wrong secret counted against it
			}
		}
		env.Advise(fmt.Sprintf("no throttling seen after %d wrong secrets for one account sent one after another (no 429, 423 or Retry-After, no RateLimit count going down); conform sends no more, so a limit above %d is not ruled out", throttleAttempts, throttleAttempts), "OWASP ASVS 4.0.3 V2.2.1, 5.0 V6.3.1")
	})

	b.It(p.Advice, "reads the Cache-Control of a login answer that carries a token", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		tok, resp := plainLogin(ctx, e, a, 0)
		defer logout(ctx, e, a, tok)
		if cc := strings.ToLower(resp.Header.Get("Cache-Control")); !strings.Contains(cc, "no-store") {
			env.Advise(fmt.Sprintf("a login answer carrying a token has Cache-Control %q, not no-store: a browser or proxy may keep the token", resp.Header.Get("Cache-Control")), "OWASP ASVS 4.0.3 V8.2.1")
		}
	})

	b.It(p.Advice, "sends the probe with the token in a URL query where the document or the config puts it there", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		for _, pl := range e.Placements() {
			if !strings.HasPrefix(pl.Name, "query") {
				continue
			}
			tok, _ := plainLogin(ctx, e, a, 0)
			ok, _ := e.Probe(ctx, "", env.Both(auth(e), env.Placed(pl, a, tok)))
			logout(ctx, e, a, tok)
			if ok {
				why := "the config puts it there"
				if p.QueryTokenShown {
					why = "the document tells clients to"
				}
				env.Advise(fmt.Sprintf("the target accepts the token in the URL (%s; %s): URLs end up in logs, proxies and browser history", pl.Name, why), "OWASP ASVS 4.0.3 V3.1.1")
			}
			return
		}
	})
}

// rateLimitR is the remaining-quota parameter of a RateLimit field (IETF
// draft-ietf-httpapi-ratelimit-headers: `"failed-logins";r=17;t=900`).
var rateLimitR = regexp.MustCompile(`(?:^|;)\s*r=(\d+)`)

// rateLimitLeft reads what a target says is left of its limit: the RateLimit field's r, or
// the earlier drafts' RateLimit-Remaining.
func rateLimitLeft(h http.Header) (int, bool) {
	if m := rateLimitR.FindStringSubmatch(h.Get("RateLimit")); m != nil {
		n, err := strconv.Atoi(m[1])
		return n, err == nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(h.Get("RateLimit-Remaining")))
	return n, err == nil
}

// countsDown reports whether each of the first n answers announced what is left of a limit, and
// each less than the one before: the target counts the wrong secrets and says when it will
// stop them, a limit conform sees without meeting it.
func countsDown(left []int, n int) bool {
	if len(left) < n || n < 2 {
		return false
	}
	for i := 1; i < n; i++ {
		if left[i] >= left[i-1] {
			return false
		}
	}
	return true
}
