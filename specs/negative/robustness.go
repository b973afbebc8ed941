package negative

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/onsi/ginkgo/v2"
	"github.com/tidwall/gjson"

	"github.com/conformhq/conform/client"
	"github.com/conformhq/conform/config"
	"github.com/conformhq/conform/profile"
	"github.com/conformhq/conform/specs/cite"
	"github.com/conformhq/conform/specs/env"
)

// answered is what the specs judge of one hostile login's answer. The answer itself is not
// kept: the three specs of the barrage share it, and a target that answers megabytes would
// make conform hold every answer at once.
type answered struct {
	name   string
	parsed bool
	status int
	token  string // the token where the document puts it, "" when none
	// notEnvelope says how the answer misses the document's failure envelope, "" when it holds
	// it (or the document gives none).
	notEnvelope string
	desc        string // the answer's body for messages, clipped
}

// judged reads an answer of v for the barrage's specs.
func judged(e *env.Env, v variant, resp *client.Response) answered {
	a := answered{name: v.name, parsed: v.parsed, status: resp.Status, token: e.Token(resp), desc: env.DescribeBody(resp)}
	if e.Wire.Failure != nil {
		a.notEnvelope = envelope(e.Wire.Failure, resp)
	}
	return a
}

// robustnessSpecs: the hostile logins are sent once, side by side (they do not depend on each
// other, and none may log anyone in), and their answers are judged by three requirements, each
// its own spec: no token (must), the documented envelope (must, where the document gives
// one), no 5xx (should). The container is Ordered so they share the one barrage; a failure of
// one does not skip the others (ContinueOnFailure).
func robustnessSpecs(b *cite.Book, e *env.Env, p Plan) {
	var sent []answered
	barrage := func(ctx context.Context) []answered {
		ginkgo.GinkgoHelper()
		if sent == nil {
			sent = sendBarrage(ctx, e)
		}
		return sent
	}
	ginkgo.Context("hostile logins", ginkgo.Ordered, ginkgo.ContinueOnFailure, func() {
		// Every spec of the container may run alone (--focus): each sends the barrage when
		// no spec before it has.
		b.It(p.NoToken, "sends hostile logins (malformed, mistyped, missing, duplicated, 1 MiB, NUL, unicode, injection)", func(ctx ginkgo.SpecContext) {
			for _, a := range barrage(ctx) {
				env.Expect(a.token == "", "no token for "+a.name, fmt.Sprintf("HTTP %d with a token: %s", a.status, a.desc))
			}
		})
		if p.Shape != nil {
			b.It(*p.Shape, "sends hostile logins the target reads as logins (mistyped, missing, duplicated, NUL, unicode, injection)", func(ctx ginkgo.SpecContext) {
				for _, a := range barrage(ctx) {
					if !a.parsed || a.token != "" {
						continue // a token is the no-token spec's failure
					}
					if a.notEnvelope != "" {
						env.Expect(false, "the document's failure envelope for "+a.name, a.notEnvelope+": "+a.desc)
					}
				}
			})
		}
		b.It(p.No5xx, "sends hostile logins and reads their status", func(ctx ginkgo.SpecContext) {
			for _, a := range barrage(ctx) {
				env.Expect(a.status < 500, "an answer below 500 for "+a.name, fmt.Sprintf("HTTP %d %s", a.status, a.desc))
			}
		})
		ginkgo.AfterAll(func() { sent = nil })
	})

	b.It(p.Survives, "sends a 10 MiB login body, then a valid login and the probe with its token", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		l := newLogin(e.LoginRequest(a, 0), a)
		big := l.clone()
		big.JSON, big.Form, big.Body = nil, nil, strings.Repeat("p", tenMiB)
		big.Header = big.Header.Clone()
		if big.Header == nil {
			big.Header = map[string][]string{}
		}
		big.Header.Set("Content-Type", "application/json")
		if resp := sendMayClose(ctx, e, big); resp != nil {
			env.Expect(resp.Status < 500, "an answer below 500 to a 10 MiB body", fmt.Sprintf("HTTP %d", resp.Status))
		}
		valid := e.Do(ctx, e.LoginRequest(a, 0))
		tok, why := e.Wire.LoginToken(valid.Body)
		env.Expect(why == "", "a valid login to still log in after the 10 MiB body", why+": HTTP "+fmt.Sprint(valid.Status)+" "+env.DescribeBody(valid))
		ok, probe := e.Probe(ctx, "", env.Both(auth(e), e.PlaceToken(a, tok)))
		env.Expect(ok, "the probe to accept the new token after the 10 MiB body", env.DescribeBody(probe))
		logout(ctx, e, a, tok)
	})

	b.It(p.TokenRefused, "sends the probe with hostile tokens (garbage, long, NUL, unicode, injection, JSON operators)", func(ctx ginkgo.SpecContext) {
		a := e.PlainAccount(0)
		var reqs []client.Request
		var names []string
		for _, pl := range e.Placements() {
			for _, t := range hostileTokens(pl) {
				r := probeRequest(e)
				env.Both(auth(e), env.Placed(pl, a, t.value))(&r)
				reqs, names = append(reqs, r), append(names, t.name+" in "+pl.Name)
			}
		}
		doBatches(ctx, e, reqs, func(i int, resp *client.Response) {
			env.Expect(resp.Status < 500, "an answer below 500 for "+names[i], fmt.Sprintf("HTTP %d %s", resp.Status, env.DescribeBody(resp)))
			env.Expect(!env.ProbeAccepted(e.Config.Probe, resp), "the probe to refuse "+names[i], env.DescribeBody(resp))
		})
	})
}

// sendBarrage sends every hostile login of the first account without two_factor side by side.
func sendBarrage(ctx context.Context, e *env.Env) []answered {
	ginkgo.GinkgoHelper()
	a := e.PlainAccount(0)
	l := newLogin(e.LoginRequest(a, 0), a)
	if !l.hasCredential {
		ginkgo.Fail(fmt.Sprintf("the %s wire's login carries neither the account's login nor its secret as a field", e.Profile))
	}
	var plain []variant
	var reqs []client.Request
	var out []answered
	for _, v := range l.variants() {
		if v.mayClose() {
			if resp := sendMayClose(ctx, e, v.req); resp != nil {
				out = append(out, judged(e, v, resp))
			}
			continue
		}
		plain, reqs = append(plain, v), append(reqs, v.req)
	}
	doBatches(ctx, e, reqs, func(i int, resp *client.Response) { out = append(out, judged(e, plain[i], resp)) })
	return out
}

// sendMayClose sends an oversize request and returns the answer, or nil when the target
// closed the connection before conform had sent it all (see variant.mayClose).
func sendMayClose(ctx context.Context, e *env.Env, r client.Request) *client.Response {
	ginkgo.GinkgoHelper()
	r.Path = e.Config.BasePath + r.Path
	resp, err := e.Client.Do(ctx, r)
	if err != nil {
		if ctx.Err() != nil {
			ginkgo.Fail(fmt.Sprintf("stopped waiting for %s %s: %v", r.Method, r.Path, context.Cause(ctx)))
		}
		var refused *client.RefusalError
		if errors.As(err, &refused) {
			ginkgo.Fail(client.Printable(err.Error()))
		}
		return nil
	}
	return resp
}

// batch is how many hostile requests go side by side: a target that hashes each password
// (bcrypt at cost 10 takes some 70 ms of a core) answers a batch well within the timeout.
const batch = 4

// bigAnswer is the answer size past which doBatches stops: a login API answers a refused
// request in bytes, and a target that answers megabytes (a hostile one) would cost conform
// time and memory for every request of a barrage.
const bigAnswer = 64 << 10

// doBatches sends reqs side by side, batch at a time, and hands each answer to each with its
// index, so that no more than a batch of answers is held at once. The first goes alone; an
// answer over bigAnswer skips the spec, saying so, before the rest are sent.
func doBatches(ctx context.Context, e *env.Env, reqs []client.Request, each func(i int, resp *client.Response)) {
	ginkgo.GinkgoHelper()
	n, done := 1, 0
	for done < len(reqs) {
		n = min(n, len(reqs)-done)
		got := e.DoAll(ctx, reqs[done:done+n]...)
		for j, r := range got {
			each(done+j, r)
			if len(r.Body) > bigAnswer {
				ginkgo.Skip(fmt.Sprintf("the target answered %s %s with %d bytes, not a login API's refusal: conform sends no more of these requests", reqs[done+j].Method, reqs[done+j].Path, len(r.Body)))
			}
		}
		done += n
		n = batch
	}
}

// envelope says how resp misses the document's failure envelope (each gjson path holding its
// value), "" when it holds.
func envelope(failure map[string]any, resp *client.Response) string {
	if why := resp.NotJSON(); why != "" {
		return "not JSON (" + why + ")"
	}
	for _, path := range slices.Sorted(maps.Keys(failure)) {
		v := resp.Get(path)
		if !v.Exists() || v.Value() != failure[path] {
			return fmt.Sprintf("%s is %s, not %v", path, orMissing(v), failure[path])
		}
	}
	return ""
}

func orMissing(v gjson.Result) string {
	if !v.Exists() {
		return "missing"
	}
	return v.Raw
}

// token is a hostile token value.
type token struct{ name, value string }

// hostileTokens lists the tokens sent on the probe in placement p. A header cannot carry a
// NUL, CR or LF (conform refuses to send one), so those go only in a query.
func hostileTokens(p profile.Placement) []token {
	ts := []token{
		{"a garbage token", "conform-not-a-token"},
		{"a 6 KiB token", strings.Repeat("t", 6<<10)},
		{"a token of unicode", "tøkén-\U0001F600-\u202e"},
		{`a token ' OR 1=1 --`, `' OR 1=1 --`},
		{`a token {"$ne": null}`, `{"$ne": null}`},
		{"a JWT with alg none and no signature", "eyJhbGciOiJub25lIn0.e30."},
	}
	if strings.HasPrefix(p.Name, "query") {
		ts = append(ts, token{"a token with a NUL byte", "conform\x00token"})
	}
	return ts
}

// probeRequest is the config's probe without a token.
func probeRequest(e *env.Env) client.Request {
	p := e.Config.Probe
	r := client.Request{Method: p.Method, Path: p.Path, Body: p.Body}
	if p.Body != "" {
		r.Header = map[string][]string{"Content-Type": {"application/json"}}
	}
	return r
}

// auth puts on a request what the document asks of every request besides the token.
func auth(e *env.Env) func(*client.Request) {
	return func(r *client.Request) {
		if e.Wire.Authorize != nil {
			e.Wire.Authorize(e.Config, r)
		}
	}
}

// logout ends a session a spec opened, where the document has a logout (doc 003's one user per
// client IP would otherwise keep it in the way of later specs).
func logout(ctx context.Context, e *env.Env, a config.Account, tok string) {
	ginkgo.GinkgoHelper()
	if e.Wire.Logout != nil && tok != "" {
		e.Do(ctx, e.Wire.Logout(e.Config, profile.Session{Account: a, Token: tok}))
	}
}
